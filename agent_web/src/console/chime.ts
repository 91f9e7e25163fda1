// Sounds made with WebAudio (no audio files): a rising two-note chime for a new chat, a single
// soft note for a new message. Browsers only let audio start after a user gesture, so the
// context is created on the first click or key press.

type Kind = "offer" | "message";

export class Chime {
  private ctx: AudioContext | null = null;
  muted = false;

  constructor() {
    const unlock = (): void => {
      this.context();
      window.removeEventListener("pointerdown", unlock);
      window.removeEventListener("keydown", unlock);
    };
    window.addEventListener("pointerdown", unlock);
    window.addEventListener("keydown", unlock);
  }

  private context(): AudioContext | null {
    if (!this.ctx) {
      const Ctor = window.AudioContext
        ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
      if (!Ctor) return null;
      try {
        this.ctx = new Ctor();
      } catch {
        return null;
      }
    }
    if (this.ctx.state === "suspended") void this.ctx.resume().catch(() => undefined);
    return this.ctx;
  }

  play(kind: Kind): void {
    if (this.muted) return;
    const ctx = this.context();
    if (!ctx) return;
    const notes = kind === "offer" ? [660, 880, 1320] : [740];
    const start = ctx.currentTime + 0.01;
    notes.forEach((freq, i) => this.note(ctx, freq, start + i * 0.13, kind === "offer" ? 0.18 : 0.1));
  }

  private note(ctx: AudioContext, freq: number, at: number, volume: number): void {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = "sine";
    osc.frequency.setValueAtTime(freq, at);
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(volume, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.35);
    osc.connect(gain).connect(ctx.destination);
    osc.start(at);
    osc.stop(at + 0.4);
  }
}
