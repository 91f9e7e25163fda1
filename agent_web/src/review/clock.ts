// The player's one clock (conversation ms since `clock_origin_ms`) and how each media file
// follows it. Pure: the time source is injected, media elements are seen through a small
// interface, so all of it is unit-tested.

export const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2] as const;

/** How far a media element may drift from the clock before it is moved back (ms). */
export const DRIFT_MS = 150;
/** After moving an element, let it settle this long before judging its drift again (ms):
 * a freshly seeked element starts a little late, and re-seeking it only makes that worse. */
export const SETTLE_MS = 1_000;
/** During the settling time, only a drift this large is corrected (ms). */
export const SETTLE_DRIFT_MS = 1_000;

/** Play, pause, seek and speed on a monotonic time source (performance.now in the page). */
export class MasterClock {
  private anchorT = 0;
  private anchorNow: number;
  private running = false;
  private speed = 1;

  constructor(readonly durationMs: number, private readonly now: () => number) {
    this.anchorNow = now();
  }

  get playing(): boolean {
    return this.running;
  }

  get rate(): number {
    return this.speed;
  }

  /** Conversation ms now, within [0, duration]. */
  time(): number {
    const t = this.running ? this.anchorT + (this.now() - this.anchorNow) * this.speed : this.anchorT;
    return clamp(t, 0, this.durationMs);
  }

  /** True once playing has reached the end (the caller then pauses). */
  get atEnd(): boolean {
    return this.time() >= this.durationMs;
  }

  play(): void {
    if (this.running) return;
    this.anchorT = this.atEnd ? 0 : this.anchorT;
    this.anchorNow = this.now();
    this.running = true;
  }

  pause(): void {
    if (!this.running) return;
    this.anchorT = this.time();
    this.running = false;
  }

  seek(t: number): void {
    this.anchorT = clamp(t, 0, this.durationMs);
    this.anchorNow = this.now();
  }

  setRate(rate: number): void {
    this.anchorT = this.time();
    this.anchorNow = this.now();
    this.speed = rate;
  }
}

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Where a file lies on the conversation clock. */
export interface Placed {
  start_offset_ms: number;
  duration_ms: number;
}

/** Seconds into the file at conversation time `t` (may be outside the file). */
export function fileTime(t: number, file: Placed): number {
  return (t - file.start_offset_ms) / 1000;
}

export function coversTime(file: Placed, t: number): boolean {
  return t >= file.start_offset_ms && t < file.start_offset_ms + file.duration_ms;
}

/** What the player sees of a media element. */
export interface MediaState {
  currentTime: number;
  paused: boolean;
  seeking: boolean;
}

export interface MediaStep {
  /** Shown (video) / audible: the clock is inside the file. */
  visible: boolean;
  /** Should be playing. */
  play: boolean;
  /** Move it here (seconds), or leave it where it is. */
  seekTo: number | null;
}

/** One step of keeping a media element on the clock. `sinceSeekMs` is how long ago the player
 * last moved this element (Infinity if never). */
export function mediaStep(t: number, playing: boolean, file: Placed, el: MediaState,
  sinceSeekMs: number): MediaStep {
  const inside = coversTime(file, t);
  const target = clamp(fileTime(t, file), 0, file.duration_ms / 1000);
  const drift = Math.abs(el.currentTime - target) * 1000;
  if (!inside) {
    // Parked at its start (or end) so that it is ready when the clock gets there.
    return { visible: false, play: false, seekTo: drift > DRIFT_MS && !el.seeking ? target : null };
  }
  const limit = playing && !el.paused && sinceSeekMs < SETTLE_MS ? SETTLE_DRIFT_MS : DRIFT_MS;
  const seekTo = drift > limit && !el.seeking ? target : null;
  return { visible: true, play: playing, seekTo };
}

/** The end of the timeline: the conversation, its log, and every file, whichever is last. */
export function timelineEnd(parts: {
  createdAt: number; endedAt: number | null; lastEventTs: number | null; media: Placed[];
  cobrowseEndMs?: number;
}): number {
  let end = 0;
  if (parts.endedAt !== null) end = Math.max(end, parts.endedAt - parts.createdAt);
  if (parts.lastEventTs !== null) end = Math.max(end, parts.lastEventTs - parts.createdAt);
  for (const m of parts.media) end = Math.max(end, m.start_offset_ms + m.duration_ms);
  if (parts.cobrowseEndMs !== undefined) end = Math.max(end, parts.cobrowseEndMs);
  return Math.max(1_000, end);
}
