// The shopper's typing indicator: "typing" sent once when they start, "stopped" after a pause
// (or when they send), so a keystroke is not a message on the wire.

const TYPING_IDLE_MS = 3_000;

export class TypingSignal {
  private sent = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `send` returns false when it cannot tell anyone (no open conversation, offline). */
  constructor(private readonly send: (typing: boolean) => boolean) {}

  keystroke(): void {
    if (!this.sent) {
      if (!this.send(true)) return;
      this.sent = true;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  stop(): void {
    clearTimeout(this.timer);
    if (!this.sent) return;
    this.sent = false;
    this.send(false);
  }

  /** The connection dropped: the server forgot; nothing to take back. */
  reset(): void {
    clearTimeout(this.timer);
    this.sent = false;
  }
}
