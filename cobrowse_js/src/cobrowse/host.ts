// The seam between the widget (aisle.js) and co-browsing (aisle-cobrowse.js, loaded only when
// an agent first asks to see the page): what the widget lends, what co-browsing answers to.

import type { SiteConfig, VisitorConversation, VisitorRequests } from "../protocol.gen";
import type { SitePolicy } from "./privacy";

export type Recording = "off" | "notice" | "consent";

/** Whether the site records co-browsing, and whether it tells the shopper or asks them. */
export function cobrowseRecording(site: SiteConfig | null): Recording {
  const recording = site?.recording;
  if (!recording?.cobrowse) return "off";
  return recording.mode === "consent" ? "consent" : "notice";
}

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
  /** Whether the site records co-browsing: not at all, after telling the shopper, or only
   * with the shopper's consent (asked in the prompt). */
  recording(): Recording;
}

export interface CobrowseRuntime {
  /** A notification or log event from the server (only co-browse ones are passed on). */
  notify(event: string, data: unknown): void;
  /** The conversation on screen changed (a snapshot from the server). */
  conversation(conv: VisitorConversation | null): void;
  connected(): void;
  /** The site's settings changed (an admin saved them): its look, recording and masking
   * rules apply from now on, not from the next page. */
  siteChanged(): void;
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
