// The seam between the widget (aisle.js) and co-browsing (aisle-cobrowse.js, loaded only when
// an agent first asks to see the page): what the widget lends, what co-browsing answers to.

import type { VisitorConversation, VisitorRequests } from "../protocol.gen";
import type { SitePolicy } from "./privacy";

export interface CobrowseHost {
  siteKey: string;
  request<K extends keyof VisitorRequests>(event: K, payload: VisitorRequests[K]["request"],
                                           timeoutMs?: number
  ): Promise<VisitorRequests[K]["result"]>;
  connected(): boolean;
  conversation(): VisitorConversation | null;
  /** The site's theme colour. */
  accent(): string;
  /** The site's co-browse rules, when the server sends any. */
  policy(): SitePolicy | null;
  /** Whether the site records co-browsing (the shopper is told before agreeing). */
  recorded(): boolean;
}

export interface CobrowseRuntime {
  /** A notification or log event from the server (only co-browse ones are passed on). */
  notify(event: string, data: unknown): void;
  /** The conversation on screen changed (a snapshot from the server). */
  conversation(conv: VisitorConversation | null): void;
  connected(): void;
  destroy(): void;
}

export type RuntimeFactory = (host: CobrowseHost) => CobrowseRuntime;

/** Where aisle-cobrowse.js leaves its factory (a symbol: no new global name on the page). */
export const RUNTIME_KEY = Symbol.for("aisle.cobrowse.v1");

/** Server events co-browsing listens to. */
export const COBROWSE_EVENTS: ReadonlySet<string> = new Set([
  "cobrowse_requested", "cobrowse_started", "cobrowse_ended", "control_requested",
  "control_granted", "control_ended", "snapshot_requested", "pointer_moved", "cobrowse_command",
  "conversation_ended",
]);

/** Events that mean co-browsing is wanted now (the others only matter once it runs). */
export const WAKING_EVENTS: ReadonlySet<string> = new Set([
  "cobrowse_requested", "cobrowse_started", "control_requested", "control_granted",
  "snapshot_requested", "pointer_moved", "cobrowse_command",
]);
