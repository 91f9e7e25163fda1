// The co-browse replay: @rrweb/replay's Replayer over one page session whose events are already
// on the conversation clock, kept on the player's clock. rrweb rebuilds the page into an iframe
// sandboxed with `allow-same-origin` only (no script in it runs; the page's CSP applies on top);
// canvas replay stays off, since it would turn scripts on. Masked fields show as hidden, as in
// the live view (../../cobrowse/masked.ts).

import { Replayer } from "@rrweb/replay";

import { HiddenFields, hiddenFieldStyles } from "../../cobrowse/masked";
import { clamp } from "../clock";
import type { PageSession } from "../cobrowse";

type ReplayEvent = ConstructorParameters<typeof Replayer>[0][number];

/** The replayer keeps its own clock while playing; it is moved back when it drifts this far. */
const REPLAY_DRIFT_MS = 250;

export interface ReplayHooks {
  /** The shopper's viewport (Meta or resize), in CSS pixels. */
  resized(width: number, height: number): void;
}

export class SessionReplay {
  private replayer: Replayer | null = null;
  private session: PageSession | null = null;
  private playing = false;
  private pausedAt: number | null = null;
  private speed = 1;

  constructor(private readonly root: HTMLElement, private readonly hooks: ReplayHooks) {}

  /** Shows `session` at conversation time `t`, playing or not. Cheap when nothing changed. */
  sync(session: PageSession | null, t: number, playing: boolean, speed: number): void {
    if (session !== this.session) this.build(session, speed);
    const replayer = this.replayer;
    if (!replayer || !session) return;
    if (speed !== this.speed) {
      replayer.setConfig({ speed });
      this.speed = speed;
    }
    // Offsets are from the session's first event. rrweb applies at once only the events before
    // the offset (those at it are scheduled, and a pause drops them): 1 ms more shows every event
    // at or before `t`, the first snapshot and the last event included.
    const total = session.endMs - session.startMs;
    const offset = clamp(t - session.startMs + 1, 1, total + 1);
    if (!playing || t >= session.endMs || t < session.startMs) {
      if (this.playing || this.pausedAt !== offset) {
        replayer.pause(offset);
        this.playing = false;
        this.pausedAt = offset;
      }
      return;
    }
    if (!this.playing || Math.abs(replayer.getCurrentTime() - offset) > REPLAY_DRIFT_MS) {
      replayer.play(offset);
      this.playing = true;
      this.pausedAt = null;
    }
  }

  get iframe(): HTMLIFrameElement | null {
    return this.replayer?.iframe ?? null;
  }

  private build(session: PageSession | null, speed: number): void {
    this.destroy();
    this.session = session;
    if (!session || session.events.length < 2) return;
    const hidden = new HiddenFields();
    const replayer = new Replayer(session.events as unknown as ReplayEvent[], {
      root: this.root,
      speed,
      skipInactive: false,
      liveMode: false,
      mouseTail: false,
      triggerFocus: false,
      showWarning: false,
      showDebug: false,
      UNSAFE_replayCanvas: false,
      insertStyleRules: ["html { cursor: default !important; }", ...hiddenFieldStyles()],
      plugins: [hidden.plugin],
    });
    hidden.follow(replayer);
    replayer.on("resize", (d: unknown) => {
      const { width, height } = d as { width: number; height: number };
      this.hooks.resized(width, height);
    });
    this.replayer = replayer;
    this.speed = speed;
  }

  destroy(): void {
    const replayer = this.replayer;
    this.replayer = null;
    this.session = null;
    this.playing = false;
    this.pausedAt = null;
    if (!replayer) return;
    try {
      replayer.destroy();
    } catch {
      // Already torn down with its root.
    }
    this.root.replaceChildren();
  }
}
