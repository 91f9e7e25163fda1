// In aisle.js: the small part of co-browsing every page carries. It watches for an agent asking
// to see the page (or a share this tab already agreed to, after a navigation), then loads
// aisle-cobrowse.js from Aisle's origin and hands it the events that came meanwhile.

import type { VisitorConversation } from "../protocol.gen";
import { loadScript } from "../script";
import {
  COBROWSE_EVENTS, RUNTIME_KEY, WAKING_EVENTS, type CobrowseHost, type CobrowseRuntime,
  type RuntimeFactory,
} from "./host";

/** Events kept while the runtime loads; more than this means something is wrong. */
const MAX_QUEUED = 200;

function loadedFactory(): RuntimeFactory | null {
  const slot = (window as unknown as Record<symbol, unknown>)[RUNTIME_KEY];
  return typeof slot === "function" ? (slot as RuntimeFactory) : null;
}

export class CobrowseBridge {
  private runtime: CobrowseRuntime | null = null;
  private loading: Promise<void> | null = null;
  private queued: [string, unknown][] = [];
  private destroyed = false;

  constructor(private readonly host: CobrowseHost, private readonly scriptUrl: string) {}

  notify(event: string, data: unknown): void {
    if (!COBROWSE_EVENTS.has(event)) return;
    if (this.runtime) {
      this.runtime.notify(event, data);
      return;
    }
    if (!WAKING_EVENTS.has(event)) return;
    if (this.queued.length < MAX_QUEUED) this.queued.push([event, data]);
    void this.load();
  }

  conversation(conv: VisitorConversation | null): void {
    if (this.runtime) {
      this.runtime.conversation(conv);
      return;
    }
    if (conv && conv.status !== "ended" && (conv.cobrowse !== "off" || conv.control !== "off")) {
      void this.load();
    }
  }

  connected(): void {
    this.runtime?.connected();
  }

  siteChanged(): void {
    this.runtime?.siteChanged();
  }

  private load(): Promise<void> {
    this.loading ??= (async () => {
      let factory = loadedFactory();
      if (!factory) {
        await loadScript(this.scriptUrl);
        factory = loadedFactory();
      }
      if (!factory || this.destroyed) return;
      this.runtime = factory(this.host);
      this.runtime.conversation(this.host.conversation());
      const queued = this.queued;
      this.queued = [];
      for (const [event, data] of queued) this.runtime.notify(event, data);
    })().catch(() => {
      // Could not load: the agent's request stays unanswered (and lapses); try again next time.
      this.loading = null;
    });
    return this.loading;
  }

  destroy(): void {
    this.destroyed = true;
    this.runtime?.destroy();
    this.runtime = null;
  }
}
