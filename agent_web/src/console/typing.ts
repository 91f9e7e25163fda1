// The agent's typing indicator: `typing: true` when they start, again every few seconds while they
// keep going (so the other side's indicator does not time out), `false` after a pause, on send,
// or when the draft is emptied. Timers are injected so tests drive the clock.

export interface Timers {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  now: () => Date.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class TypingEmitter {
  private typing = false;
  private lastSent = 0;
  private idle: unknown = null;

  constructor(private readonly send: (typing: boolean) => void,
              private readonly idleMs = 3000,
              private readonly repeatMs = 5000,
              private readonly timers: Timers = realTimers) {}

  /** The draft changed to `text`. */
  input(text: string): void {
    if (!text.trim()) {
      this.stop();
      return;
    }
    const now = this.timers.now();
    if (!this.typing || now - this.lastSent >= this.repeatMs) {
      this.typing = true;
      this.lastSent = now;
      this.send(true);
    }
    if (this.idle !== null) this.timers.clear(this.idle);
    this.idle = this.timers.set(() => this.stop(), this.idleMs);
  }

  stop(): void {
    if (this.idle !== null) {
      this.timers.clear(this.idle);
      this.idle = null;
    }
    if (this.typing) {
      this.typing = false;
      this.send(false);
    }
  }
}
