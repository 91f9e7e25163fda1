// The player: one master clock (performance.now) that everything follows — one <video> or
// <audio> per recorded file, placed at its offset and moved back when it drifts; the co-browse
// replay; the UI, told the time about ten times a second and at once on play, pause and seek.
// A background tab stops requestAnimationFrame; the clock does not, so all is resynced when
// the tab is visible again.

import { MasterClock, mediaStep, type Placed } from "../clock";
import type { PageSource } from "../chunks";
import { SessionReplay, type ReplayHooks } from "./replay";

export interface PlayerState {
  t: number;
  playing: boolean;
  rate: number;
  duration: number;
  muted: boolean;
}

const EMIT_EVERY_MS = 100;

interface Attached {
  file: Placed;
  movedAt: number;
}

export class Engine {
  readonly clock: MasterClock;
  private media = new Map<HTMLMediaElement, Attached>();
  private replay: SessionReplay | null = null;
  private pages: PageSource | null = null;
  private listeners = new Set<(s: PlayerState) => void>();
  private frame = 0;
  private lastEmit = -Infinity;
  private muted = false;
  private state: PlayerState;

  constructor(durationMs: number) {
    this.clock = new MasterClock(durationMs, () => performance.now());
    this.state = this.snapshot();
    this.frame = requestAnimationFrame(this.tick);
    document.addEventListener("visibilitychange", this.onVisible);
  }

  get current(): PlayerState {
    return this.state;
  }

  subscribe(listener: (s: PlayerState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A media element for one file; returns its detach. */
  attachMedia(el: HTMLMediaElement, file: Placed): () => void {
    el.muted = this.muted || el.dataset.silent === "true";
    this.media.set(el, { file, movedAt: -Infinity });
    const onReady = () => this.step(true);
    el.addEventListener("loadedmetadata", onReady);
    this.step(true);
    return () => {
      el.removeEventListener("loadedmetadata", onReady);
      el.pause();
      this.media.delete(el);
    };
  }

  /** The co-browse replay of `pages`, rendered into `root`; returns its detach. */
  attachReplay(root: HTMLElement, pages: PageSource, hooks: ReplayHooks): () => void {
    this.replay?.destroy();
    this.pages = pages;
    this.replay = new SessionReplay(root, hooks);
    const unsubscribe = pages.subscribe(() => this.step(true)); // a chunk arrived
    this.step(true);
    return () => {
      unsubscribe();
      this.replay?.destroy();
      this.replay = null;
      this.pages = null;
    };
  }

  get replayFrame(): HTMLIFrameElement | null {
    return this.replay?.iframe ?? null;
  }

  play(): void {
    this.clock.play();
    this.step(true);
  }

  pause(): void {
    this.clock.pause();
    this.step(true);
  }

  toggle(): void {
    if (this.clock.playing) this.pause();
    else this.play();
  }

  seek(t: number): void {
    this.clock.seek(t);
    this.step(true);
  }

  skip(deltaMs: number): void {
    this.seek(this.clock.time() + deltaMs);
  }

  setRate(rate: number): void {
    this.clock.setRate(rate);
    this.step(true);
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    for (const el of this.media.keys()) el.muted = muted || el.dataset.silent === "true";
    this.step(true);
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    document.removeEventListener("visibilitychange", this.onVisible);
    for (const el of this.media.keys()) el.pause();
    this.media.clear();
    this.replay?.destroy();
    this.replay = null;
    this.listeners.clear();
  }

  private onVisible = (): void => {
    if (document.visibilityState === "visible") this.step(true);
  };

  private tick = (): void => {
    this.step(false);
    this.frame = requestAnimationFrame(this.tick);
  };

  private step(force: boolean): void {
    const clock = this.clock;
    if (clock.playing && clock.atEnd) clock.pause();
    const t = clock.time();
    const now = performance.now();
    for (const [el, placed] of this.media) {
      const want = mediaStep(t, clock.playing, placed.file, el, now - placed.movedAt);
      if (el.playbackRate !== clock.rate) el.playbackRate = clock.rate;
      if (want.seekTo !== null && el.readyState >= HTMLMediaElement.HAVE_METADATA) {
        el.currentTime = want.seekTo;
        placed.movedAt = now;
      }
      if (want.play && el.paused) el.play().catch(() => undefined);
      else if (!want.play && !el.paused) el.pause();
    }
    if (this.replay && this.pages) this.replay.sync(this.pages.at(t), t, clock.playing, clock.rate);
    if (force || now - this.lastEmit >= EMIT_EVERY_MS) {
      this.lastEmit = now;
      this.state = this.snapshot();
      for (const listener of this.listeners) listener(this.state);
    }
  }

  private snapshot(): PlayerState {
    return { t: this.clock.time(), playing: this.clock.playing, rate: this.clock.rate,
             duration: this.clock.durationMs, muted: this.muted };
  }
}
