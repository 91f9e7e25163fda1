// `window.Aisle`, the page's handle on the widget (the only global we define). Calls made
// before the script loaded wait in `window.Aisle.q` and are replayed in order:
//   window.Aisle = window.Aisle || { q: [] };  Aisle.q.push(["identify", { name: "Dana" }]);
// or with stub methods that push onto `q` (see README.md).

import type { HostEvent } from "./controller";

export const VERSION = "1";

export type Listener = (payload: unknown) => void;

/** What the controller offers the API; calls before it exists are held. */
export interface Target {
  open(): void;
  close(): void;
  identify(visitor: unknown): void;
  setContext(context: unknown): void;
}

export interface AislePublic {
  readonly version: string;
  open(): void;
  close(): void;
  toggle(): void;
  identify(visitor: { name?: string; email?: string }): void;
  setContext(context: Record<string, unknown>): void;
  /** The shopper signed out (or the computer changes hands): ends a chat under way, forgets
   * what the widget kept in this browser, and starts again as a new visitor. */
  reset(): void;
  /** Subscribes; returns the function that unsubscribes. */
  on(event: HostEvent, listener: Listener): () => void;
  off(event: HostEvent, listener: Listener): void;
}

type Call = [string, ...unknown[]];

export class Api {
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Payloads of one-time events, so late subscribers still hear them. */
  private readonly once = new Map<string, unknown>();
  private target: Target | null = null;
  /** Set by the loader: tears the widget down and starts a new one. */
  resetWith: (() => void) | null = null;
  private held: Array<(t: Target) => void> = [];
  private isOpen = false;
  readonly handle: AislePublic;

  constructor() {
    const call = (f: (t: Target) => void) => {
      if (this.target) f(this.target);
      else this.held.push(f);
    };
    this.handle = Object.freeze({
      version: VERSION,
      open: () => call((t) => t.open()),
      close: () => call((t) => t.close()),
      toggle: () => call((t) => (this.isOpen ? t.close() : t.open())),
      identify: (visitor: unknown) => call((t) => t.identify(visitor)),
      setContext: (context: unknown) => call((t) => t.setContext(context)),
      reset: () => this.resetWith?.(),
      on: (event: HostEvent, listener: Listener) => this.on(event, listener),
      off: (event: HostEvent, listener: Listener) => this.off(event, listener),
    }) as AislePublic;
  }

  attach(target: Target): void {
    this.target = target;
    const held = this.held;
    this.held = [];
    for (const f of held) f(target);
  }

  private on(event: string, listener: Listener): () => void {
    if (typeof listener !== "function") return () => undefined;
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    if (this.once.has(event)) {
      const payload = this.once.get(event);
      queueMicrotask(() => this.deliver(listener, payload));
    }
    return () => this.off(event, listener);
  }

  private off(event: string, listener: Listener): void {
    this.listeners.get(event)?.delete(listener);
  }

  emit = (event: HostEvent, payload?: unknown): void => {
    if (event === "open") this.isOpen = true;
    if (event === "close") this.isOpen = false;
    if (event === "ready" || event === "unavailable") this.once.set(event, payload);
    for (const listener of [...(this.listeners.get(event) ?? [])]) this.deliver(listener, payload);
  };

  private deliver(listener: Listener, payload: unknown): void {
    try {
      listener(payload);
    } catch (error) {
      // The page's own bug: surface it in the page's console without breaking the widget.
      setTimeout(() => {
        throw error;
      });
    }
  }

  /** Replays calls queued before the script loaded: `[method, ...args]` entries. */
  replay(queue: unknown): void {
    if (!Array.isArray(queue)) return;
    for (const entry of queue as unknown[]) {
      if (!Array.isArray(entry) || typeof entry[0] !== "string") continue;
      const [method, ...args] = entry as Call;
      const f = (this.handle as unknown as Record<string, unknown>)[method];
      if (typeof f === "function" && method !== "version") {
        (f as (...a: unknown[]) => void)(...args);
      }
    }
  }
}

/** True when `value` is an installed widget (the script was included twice). */
export function isInstalled(value: unknown): boolean {
  return typeof value === "object" && value !== null &&
    typeof (value as { version?: unknown }).version === "string" &&
    typeof (value as { on?: unknown }).on === "function" && !("q" in value);
}
