// Keeps a scrolling log at its newest line while the reader is there: new lines and the box
// shrinking (a call or a sharing opening above it) keep the end in view; a reader who scrolled
// back is left where they are. Shared by the widget's chat and the console's transcript.
//
// Whether the reader is "at the end" is decided by their own scrolling only: the scroll event
// that follows our own scrolling (or a resize that moved nothing) carries the position we set,
// and is not taken for the reader leaving the end, even when the box has shrunk in between.

const NEAR_END_PX = 60;

export class StickToBottom {
  private pinned = true;
  private setTop = -1;
  private readonly resized: ResizeObserver | null;

  constructor(private readonly el: HTMLElement) {
    this.resized = typeof ResizeObserver === "undefined" ? null
      : new ResizeObserver(() => this.follow());
    this.resized?.observe(el);
  }

  /** After new content: to the end, if the reader is there (or `force`: they just wrote). */
  follow(force = false): void {
    if (force) this.pinned = true;
    if (!this.pinned) return;
    this.el.scrollTop = this.el.scrollHeight;
    this.setTop = this.el.scrollTop;
  }

  /** Whether the reader is at the end (new lines are in view). */
  get atEnd(): boolean {
    return this.pinned;
  }

  /** The box's scroll event. */
  scrolled(): void {
    const el = this.el;
    if (el.scrollTop === this.setTop) return;  // ours
    this.setTop = -1;
    this.pinned = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_END_PX;
  }

  stop(): void {
    this.resized?.disconnect();
  }
}
