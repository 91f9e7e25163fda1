// The mirror: @rrweb/replay in live mode, rebuilt for each full snapshot (so memory does not
// grow with the session). rrweb rebuilds into an iframe sandboxed with `allow-same-origin` only:
// no script in it ever runs, and the console's CSP applies on top. Canvas replay stays off (it
// would turn scripts on). Masked fields show as hidden (masked.ts).

import { Replayer } from "@rrweb/replay";

import { HiddenFields, hiddenFieldStyles } from "./masked";
import { LiveClock, type PageEvent } from "./stream";

type ReplayEvent = Parameters<Replayer["addEvent"]>[0];

export interface ReplayHooks {
  /** The shopper's viewport changed (Meta or resize). */
  resized?(width: number, height: number): void;
  /** An event was applied to the mirror; `sentAt` is the shopper's timestamp. */
  applied?(sentAt: number, type: number): void;
}

export class LiveReplay {
  private replayer: Replayer | null = null;
  private clock = new LiveClock();
  private readonly sent = new WeakMap<object, number>();

  constructor(private readonly root: HTMLElement, private readonly hooks: ReplayHooks = {}) {}

  /** Starts over from a full snapshot batch (Meta + FullSnapshot …). */
  reset(events: PageEvent[]): void {
    this.destroy();
    this.clock = new LiveClock();
    const hidden = new HiddenFields();
    const replayer = new Replayer([], {
      root: this.root,
      liveMode: true,
      useVirtualDom: false,
      mouseTail: false,
      triggerFocus: false,
      pauseAnimation: false,
      showWarning: false,
      showDebug: false,
      UNSAFE_replayCanvas: false,
      // Keep the shopper's cursor shown while the page is still.
      insertStyleRules: ["html { cursor: default !important; }", ...hiddenFieldStyles()],
      plugins: [hidden.plugin],
    });
    hidden.follow(replayer);
    replayer.on("resize", (d: unknown) => {
      const { width, height } = d as { width: number; height: number };
      this.hooks.resized?.(width, height);
    });
    replayer.on("event-cast", (e: unknown) => {
      const event = e as PageEvent;
      const sentAt = this.sent.get(event);
      if (sentAt !== undefined) this.hooks.applied?.(sentAt, event.type);
    });
    this.replayer = replayer;
    this.push(events, true);
  }

  add(events: PageEvent[]): void {
    if (this.replayer) this.push(events, false);
  }

  private push(events: PageEvent[], first: boolean): void {
    for (const e of events) this.sent.set(e, e.timestamp);
    const now = Date.now();
    this.clock.map(events, now);
    // The replayer's clock starts now: the snapshot's events (all mapped to now or before) are
    // applied at once, and later events as they arrive. Starting it at the Meta event instead
    // would play everything late by the time the shopper's page took to serialize itself.
    if (first) this.replayer!.startLive(now + 1);
    for (const e of events) this.replayer!.addEvent(e as unknown as ReplayEvent);
  }

  get iframe(): HTMLIFrameElement | null {
    return this.replayer?.iframe ?? null;
  }

  /** The rrweb id of a node in the mirror (what the shopper's page resolves), or null. */
  idOf(node: Node | null): number | null {
    if (!node || !this.replayer) return null;
    const id = this.replayer.getMirror().getId(node);
    return id > 0 ? id : null;
  }

  nodeOf(id: number): Node | null {
    return this.replayer?.getMirror().getNode(id) ?? null;
  }

  destroy(): void {
    if (!this.replayer) return;
    try {
      this.replayer.destroy();
    } catch {
      // Already torn down with its root.
    }
    this.replayer = null;
    this.root.replaceChildren();
  }
}
