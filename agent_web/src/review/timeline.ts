// What the timeline shows, from the conversation's log (pure): the transcript lines, the
// markers (calls, co-browse consent, control, transfers and escalations, recording pauses, the
// end, the rating), which line is current at a time, and how times read.

import { lastAtOrBefore } from "./sorted";
import type { Gap, LogEvent } from "./types";

export type MarkerKind = "call" | "cobrowse" | "control" | "transfer" | "join" | "recording"
  | "end" | "rating";

export interface Marker {
  seq: number;
  /** Conversation ms. */
  t: number;
  kind: MarkerKind;
  label: string;
}

export interface Line {
  seq: number;
  t: number;
  /** event: who joined or left, a transfer and its note, the end, the rating and its comment. */
  kind: "message" | "note" | "event";
  side: "visitor" | "agent" | "system";
  author: string;
  text: string;
}

/** Who is who, from the log: agents by id (their display names), the visitor by name. */
export function namesOf(events: LogEvent[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const e of events) {
    if (e.actor.id && e.actor.name) names.set(e.actor.id, e.actor.name);
    if (e.type === "agent_joined") names.set(e.data.agent.id, e.data.agent.display_name);
  }
  return names;
}

const ENDED: Record<string, string> = {
  agent_ended: "ended by the agent", visitor_ended: "ended by the shopper",
  visitor_left: "the shopper left", closed_offline: "the message was closed",
};

/** What a reviewer reads in the transcript of an event that is not a message. */
function eventText(e: LogEvent, names: Map<string, string>): string | null {
  switch (e.type) {
    case "agent_joined":
      return e.data.role === "supervisor" ? `${e.data.agent.display_name} joined as a supervisor`
        : `${e.data.agent.display_name} took the conversation`;
    case "agent_left":
      return e.data.reason === "left" ? `${who(names, e.data.agent_id, "The agent")} left`
        : `${who(names, e.data.agent_id, "The agent")} left (${e.data.reason.replace(/_/g, " ")})`;
    case "conversation_transferred": {
      const to = e.data.to_agent_id ? who(names, e.data.to_agent_id, "another agent")
        : e.data.to_team ? `the ${e.data.to_team} team` : "the queue";
      return `Transferred to ${to}${e.data.note ? `: “${e.data.note}”` : ""}`;
    }
    case "conversation_ended":
      return `Conversation ended (${ENDED[e.data.reason] ?? e.data.reason})`;
    case "conversation_rated":
      return `Rated ${e.data.rating}/5${e.data.comment ? `: “${e.data.comment}”` : ""}`;
    case "reply_emailed":
      return `The answer was emailed to ${e.data.to}`;
    case "call_requested":
      return `${e.actor.name ?? `The ${e.data.by}`} started a ${e.data.media === "audio" ? "voice" : e.data.media === "screen" ? "screen-share" : "video"} call`;
    case "call_accepted":
      return "The call was answered";
    case "call_ended":
      return `The call ended: ${CALL_ENDED[e.data.reason] ?? e.data.reason}`;
    case "cobrowse_requested":
      return `${who(names, e.data.agent_id, "The agent")} asked to see the shopper's page`;
    case "cobrowse_started":
      return "The shopper shared their page";
    case "cobrowse_ended":
      return `Co-browsing ended: ${COBROWSE_ENDED[e.data.reason] ?? e.data.reason}`;
    case "control_granted":
      return `The shopper gave ${who(names, e.data.agent_id, "the agent")} control of their page`;
    case "control_ended":
      return `Control of the page ended (by the ${e.data.by})`;
    case "control_action":
      return e.data.action === "scroll" ? null
        : `${who(names, e.data.agent_id, "The agent")} ${controlActionText(e.data)}`;
    default:
      return null;
  }
}

export function transcriptOf(events: LogEvent[], originMs: number): Line[] {
  const lines: Line[] = [];
  const names = namesOf(events);
  for (const e of events) {
    if (e.type !== "message_created" && e.type !== "note_created") {
      const text = eventText(e, names);
      if (text !== null) lines.push({ seq: e.seq, t: e.ts - originMs, kind: "event", side: "system", author: "", text });
      continue;
    }
    const side = e.actor.kind;
    const author = e.actor.name ?? (side === "visitor" ? "Visitor" : side === "agent" ? "Agent" : "Aisle");
    lines.push({ seq: e.seq, t: e.ts - originMs, kind: e.type === "note_created" ? "note" : "message",
                 side, author, text: e.data.text });
  }
  return lines;
}

const CALL_ENDED: Record<string, string> = {
  hangup: "hung up", declined: "declined", unanswered: "not answered", left: "a side left",
  connection_lost: "a side's connection was lost",
  conversation_ended: "the conversation ended", server_restart: "the server restarted",
  failed: "connection failed",
};

const COBROWSE_ENDED: Record<string, string> = {
  stopped: "stopped", declined: "declined", conversation_ended: "the conversation ended",
  agent_left: "the agent left", page_closed: "the shared page was closed",
};

/** What the agent did on the shopper's page (remote control), and whether the page refused
 * it: "clicked on the page", "typed “M”". The same words as the export's transcript.txt. */
export function controlActionText(d: { action: string; value?: string | null; ok: boolean;
                                       reason?: string | null }): string {
  const did = d.action === "click" ? "clicked on the page"
    : d.action === "type" ? (d.value ? `typed “${d.value}”` : "typed")
    : d.action === "select" ? (d.value ? `chose “${d.value}”` : "chose an option")
    : d.action === "navigate" ? (d.value ? `opened ${d.value}` : "opened a page")
    : "scrolled the page";
  return d.ok ? did : `${did}: refused (${(d.reason ?? "").replace(/_/g, " ")})`;
}

function who(names: Map<string, string>, id: string | null | undefined, fallback: string): string {
  return (id && names.get(id)) || fallback;
}

export function markersOf(events: LogEvent[], originMs: number): Marker[] {
  const names = namesOf(events);
  const out: Marker[] = [];
  const add = (e: LogEvent, kind: MarkerKind, label: string) =>
    out.push({ seq: e.seq, t: e.ts - originMs, kind, label });
  for (const e of events) {
    switch (e.type) {
      case "call_requested":
        add(e, "call", `${e.data.media === "audio" ? "Voice" : e.data.media === "screen" ? "Screen-share" : "Video"} call requested by the ${e.data.by}`);
        break;
      case "call_accepted":
        add(e, "call", "Call answered");
        break;
      case "call_ended":
        add(e, "call", `Call ended: ${CALL_ENDED[e.data.reason] ?? e.data.reason}`);
        break;
      case "cobrowse_started":
        add(e, "cobrowse", "Shopper agreed to co-browse");
        break;
      case "cobrowse_ended":
        add(e, "cobrowse", `Co-browsing ended: ${COBROWSE_ENDED[e.data.reason] ?? e.data.reason} (${e.data.by})`);
        break;
      case "control_granted":
        add(e, "control", `Control granted to ${who(names, e.data.agent_id, "the agent")}`);
        break;
      case "control_ended":
        add(e, "control", `Control ended by the ${e.data.by}`);
        break;
      case "control_action":
        // The agent's own clicks and typing on the shopper's page (the replay shows them as
        // the page's, since they were): marked here as the agent's.
        if (e.data.action !== "scroll") {
          add(e, "control", `${who(names, e.data.agent_id, "The agent")} ${controlActionText(e.data)}`);
        }
        break;
      case "conversation_transferred": {
        const to = e.data.to_agent_id ? who(names, e.data.to_agent_id, "another agent")
          : e.data.to_team ? `team ${e.data.to_team}` : "the queue";
        add(e, "transfer", `Transferred to ${to}`);
        break;
      }
      case "agent_joined":
        add(e, "join", e.data.role === "supervisor"
          ? `Escalated: supervisor ${e.data.agent.display_name} joined`
          : `${e.data.agent.display_name} joined`);
        break;
      case "recording_paused": {
        const what = e.data.kind === "call" ? "call" : "co-browsing";
        add(e, "recording", e.data.reason === "url"
          ? "Recording paused: a page the site does not record"
          : e.data.reason === "declined"
            ? `Not recorded: the shopper did not agree to recording the ${what}`
            : e.data.reason === "withdrawn"
              ? `Recording stopped: the shopper stopped recording the ${what}`
              : e.data.reason === "agent"
                ? `Recording paused by the agent (${what})`
                : e.data.reason === "storage"
                  ? `Recording stopped: it could not be saved (${what})`
                  : e.data.reason === "restart"
                    ? "Not recorded: the server restarted (co-browsing)"
                    : "Recording paused");
        break;
      }
      case "recording_resumed":
        add(e, "recording", "Recording resumed");
        break;
      case "conversation_ended":
        add(e, "end", "Conversation ended");
        break;
      case "conversation_rated":
        add(e, "rating", `Rated ${e.data.rating}/5${e.data.comment ? `: “${e.data.comment}”` : ""}`);
        break;
      default:
        break;
    }
  }
  return out;
}

/** Index of the last item at or before `t` (items sorted by t), or -1. */
export function currentIndex(items: Array<{ t: number }>, t: number): number {
  return lastAtOrBefore(items, t, (item) => item.t);
}

/** "0:07", "12:34", "1:02:03" (conversation time). */
export function formatTime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** "1 minute 5 seconds" for screen readers. */
export function spokenTime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const parts: string[] = [];
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) parts.push(`${h} hour${h === 1 ? "" : "s"}`);
  if (m) parts.push(`${m} minute${m === 1 ? "" : "s"}`);
  if (sec || parts.length === 0) parts.push(`${sec} second${sec === 1 ? "" : "s"}`);
  return parts.join(" ");
}

/** Percent of the timeline, for placing things on it. */
export function percentOf(t: number, durationMs: number): number {
  return durationMs > 0 ? Math.min(100, Math.max(0, (t / durationMs) * 100)) : 0;
}

/** Who a recorded file belongs to, as people read it. */
export function participantName(file: { participant: string; participant_name: string | null },
  participants: Array<Record<string, string | null>>): string {
  if (file.participant_name) return file.participant_name;
  const p = participants.find((x) => x.id === file.participant);
  if (p?.name) return p.name;
  const visitor = p ? p.kind === "visitor" : file.participant === "visitor" || file.participant.startsWith("vis_");
  return visitor ? "Shopper" : "Agent";
}

/** Files of one participant's one source (their camera, say), in time order: a page reload or
 * a recording paused and resumed makes several files of what people see as one stream. */
export function mediaLanes<F extends { participant: string; source: string; start_offset_ms: number }>(
  files: F[]): F[][] {
  const lanes = new Map<string, F[]>();
  for (const f of files) {
    const key = `${f.participant}\u0000${f.source}`;
    const lane = lanes.get(key);
    if (lane) lane.push(f);
    else lanes.set(key, [f]);
  }
  return [...lanes.values()].map((lane) => lane.sort((a, b) => a.start_offset_ms - b.start_offset_ms));
}

/** The lane's file to show at `t`: the latest that covers it, or -1. */
export function laneFileAt(lane: Array<{ start_offset_ms: number; duration_ms: number }>, t: number): number {
  for (let i = lane.length - 1; i >= 0; i--) {
    const f = lane[i];
    if (f && t >= f.start_offset_ms && t < f.start_offset_ms + f.duration_ms) return i;
  }
  return -1;
}

/** Why the call is not recorded at `t` when a gap says so (the agent paused it, say); null
 * otherwise: then a tile without a file is someone not on camera. */
export function callGapAt(gaps: readonly Gap[], t: number): string | null {
  const gap = gaps.find((g) => (g.kind === "call" || g.kind === "all") && t >= g.start_offset_ms
    && (g.end_offset_ms === null || t < g.end_offset_ms));
  return gap ? gap.reason : null;
}
