// The transcript lines for a call's log events, worded alike in the widget and the console;
// each side says who is who ("You" for the reader).

import { mediaWords } from "./stage";
import type { CallMedia, Source } from "./types";

export interface Person {
  name: string;
  /** The reader: "You … your". */
  self: boolean;
}

/** The call events as both namespaces deliver them (only the fields worded here). */
export type CallLogEvent =
  | { type: "call_requested"; data: { media: CallMedia } }
  | { type: "call_accepted"; data: unknown }
  | { type: "call_ended"; data: { reason: string } }
  | { type: "call_track_added" | "call_track_removed";
      data: { participant: string; source: Source; reason?: string | null } };

export const CALL_EVENTS: ReadonlySet<string> = new Set([
  "call_requested", "call_accepted", "call_ended", "call_track_added", "call_track_removed",
]);

const ENDED: Record<string, string> = {
  unanswered: "The call was not answered",
  left: "The call ended: a participant left the page and did not come back",
  connection_lost: "The call ended: a participant's connection was lost and did not come back " +
    "in time",
  conversation_ended: "The call ended with the chat",
  server_restart: "The call was cut off (server restart)",
  failed: "The call failed",
};

/** `actor`: who did it (the event's actor); `participant`: who a track belongs to. */
export function callLine(e: CallLogEvent, actor: Person,
                         participant: (id: string) => Person): string {
  switch (e.type) {
    case "call_requested":
      return `${actor.name} started a ${mediaWords(e.data.media)}`;
    case "call_accepted":
      return `${actor.name} answered the call`;
    case "call_ended":
      if (e.data.reason === "hangup") return `${actor.name} ended the call`;
      if (e.data.reason === "declined") return `${actor.name} declined the call`;
      return ENDED[e.data.reason] ?? "The call ended";
    case "call_track_added":
    case "call_track_removed": {
      const p = participant(e.data.participant);
      const their = p.self ? "your" : "their";
      const on = e.type === "call_track_added";
      // Gone with their connection: it went silent (lost), or they left the page.
      const cut = !on && e.data.reason === "connection_lost";
      const lost = cut ? " (connection lost)"
        : !on && (e.data.reason === "rebuild_expired" || e.data.reason === "peer_closed")
          ? " (left the call)" : "";
      switch (e.data.source) {
        case "microphone":
          if (on) return `${p.name} joined the call`;
          return cut ? `${p.name}'s connection to the call was lost` : `${p.name} left the call`;
        case "camera":
          return `${p.name} turned ${on ? "on" : "off"} ${their} camera${lost}`;
        case "screen":
          return on ? `${p.name} started sharing ${their} screen`
            : `${p.name} stopped sharing ${their} screen${lost}`;
      }
    }
  }
}

/** A track gone because its page went away (a reload, the next page) and back within this
 * long is the page changing, not the person leaving. */
const REJOIN_MS = 60_000;

interface Logged { seq: number; ts: number; type: string; data: unknown }

/** The seqs of track events that only say a page changed during the call: a track removed
 * because its peer closed, and the same person's same source added again within a minute (the
 * call not ended in between). Transcripts leave both out ("You left the call … You joined the
 * call" on every page of the store). */
export function pageChanges(events: readonly Logged[]): Set<number> {
  const hidden = new Set<number>();
  const gone = new Map<string, Logged>(); // participant:source → its removal
  for (const e of events) {
    if (e.type === "call_ended") {
      gone.clear();
      continue;
    }
    if (e.type !== "call_track_added" && e.type !== "call_track_removed") continue;
    const d = e.data as { participant: string; source: string; reason?: string | null };
    const key = `${d.participant}:${d.source}`;
    if (e.type === "call_track_removed") {
      if (d.reason === "peer_closed") gone.set(key, e);
      continue;
    }
    const removed = gone.get(key);
    gone.delete(key);
    if (removed && e.ts - removed.ts <= REJOIN_MS) {
      hidden.add(removed.seq);
      hidden.add(e.seq);
    }
  }
  return hidden;
}
