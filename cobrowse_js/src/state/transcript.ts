// A conversation's transcript as this visitor has it: the server's log events keyed by `seq`
// (merged without duplicates; gaps are normal, agent-only events never reach visitors) plus the
// messages typed here that the server has not confirmed yet, matched back by client id.

import { CALL_EVENTS, callLine, pageChanges, type CallLogEvent, type Person } from "../call/wording";
import { SHARING_EVENTS, sharingLine, type SharingLogEvent } from "../cobrowse/wording";
import type { AgentLeftData, LogEvent } from "../protocol.gen";

/** Where a message typed here stands: waiting for a connection, in flight, refused. */
/** failed: the server could not store it (tried again on request, or with the next send);
 * refused: it never will take it (too long, not this shopper's conversation any more). */
export type PendingStatus = "queued" | "sending" | "failed" | "refused";

export interface Pending {
  clientId: string;
  text: string;
  at: number;
  status: PendingStatus;
  /** The seq the server acked with, before its `message_created` reached us. */
  seq?: number;
}

export interface Transcript {
  conversationId: string;
  /** Sorted by seq, one per seq. */
  events: LogEvent[];
  pending: Pending[];
}

export type Delivery = PendingStatus | "sent" | "read";

export interface MessageItem {
  kind: "message";
  key: string;
  seq: number | null;
  clientId: string | null;
  from: "visitor" | "agent";
  name: string | null;
  agentId: string | null;
  text: string;
  ts: number;
  /** For the visitor's own messages; null for the agent's. */
  delivery: Delivery | null;
}

export interface NoticeItem {
  kind: "notice";
  key: string;
  seq: number;
  ts: number;
  text: string;
}

export type TimelineItem = MessageItem | NoticeItem;

export function emptyTranscript(conversationId: string): Transcript {
  return { conversationId, events: [], pending: [] };
}

export function maxSeq(t: Transcript): number {
  const last = t.events[t.events.length - 1];
  return last ? last.seq : 0;
}

function clientIdOf(e: LogEvent): string | null {
  return e.type === "message_created" ? e.data.client_id : null;
}

/** Adds events (any order, repeats allowed; other conversations' are ignored) and drops the
 * pending messages the server has now confirmed. Returns `t` itself when nothing changed. */
export function mergeEvents(t: Transcript, incoming: readonly LogEvent[]): Transcript {
  const fresh = incoming.filter((e) => e.conversation_id === t.conversationId);
  if (fresh.length === 0) return t;
  const bySeq = new Map<number, LogEvent>();
  for (const e of t.events) bySeq.set(e.seq, e);
  let added = false;
  for (const e of fresh) {
    if (!bySeq.has(e.seq)) {
      bySeq.set(e.seq, e);
      added = true;
    }
  }
  if (!added) return t;
  const events = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const confirmed = new Set(events.map(clientIdOf).filter((c): c is string => c !== null));
  const pending = t.pending.filter((p) => !confirmed.has(p.clientId));
  return { ...t, events, pending: pending.length === t.pending.length ? t.pending : pending };
}

export function addPending(t: Transcript, p: Pending): Transcript {
  if (t.pending.some((x) => x.clientId === p.clientId)) return t;
  if (t.events.some((e) => clientIdOf(e) === p.clientId)) return t;
  return { ...t, pending: [...t.pending, p] };
}

export function setPendingStatus(t: Transcript, clientId: string, status: PendingStatus
): Transcript {
  let changed = false;
  const pending = t.pending.map((p) => {
    if (p.clientId !== clientId || p.status === status || p.seq !== undefined) return p;
    changed = true;
    return { ...p, status };
  });
  return changed ? { ...t, pending } : t;
}

/** The server stored the message as `seq`; its event may still be on its way. */
export function ackPending(t: Transcript, clientId: string, seq: number): Transcript {
  if (t.events.some((e) => e.seq === seq)) {
    const pending = t.pending.filter((p) => p.clientId !== clientId);
    return pending.length === t.pending.length ? t : { ...t, pending };
  }
  let changed = false;
  const pending = t.pending.map((p) => {
    if (p.clientId !== clientId) return p;
    changed = true;
    return { ...p, seq };
  });
  return changed ? { ...t, pending } : t;
}

/** Messages to (re)send: typed here, not yet acked. */
export function unsent(t: Transcript): Pending[] {
  return t.pending.filter((p) => p.seq === undefined && p.status !== "sending"
                                 && p.status !== "refused");
}

/** How far a side has read, from its `messages_read` events. */
export function readUpTo(t: Transcript, side: "visitor" | "agent"): number {
  let seq = 0;
  for (const e of t.events) {
    if (e.type === "messages_read" && e.data.side === side) seq = Math.max(seq, e.data.up_to_seq);
  }
  return seq;
}

function isAgentMessage(e: LogEvent): boolean {
  return e.type === "message_created" && e.actor.kind === "agent";
}

/** The seq of the newest agent message, 0 when there is none. */
export function lastAgentMessageSeq(t: Transcript): number {
  for (let i = t.events.length - 1; i >= 0; i--) {
    const e = t.events[i];
    if (e && isAgentMessage(e)) return e.seq;
  }
  return 0;
}

/** Agent messages the visitor has not read, given how far they read (`readSeq`). */
export function unreadCount(t: Transcript, readSeq: number): number {
  const read = Math.max(readSeq, readUpTo(t, "visitor"));
  return t.events.filter((e) => isAgentMessage(e) && e.seq > read).length;
}

/** An agent answered: took the conversation (`agent_joined` as its assignee) or wrote in it. */
export function agentAnswered(t: Transcript): boolean {
  return t.events.some((e) => isAgentMessage(e) ||
    (e.type === "agent_joined" && e.data.role === "assignee"));
}

/** The agent who left last (their name when the log has it) and why; null when none did. */
export function lastAgentLeft(t: Transcript
): { name: string | null; reason: AgentLeftData["reason"] } | null {
  for (let i = t.events.length - 1; i >= 0; i--) {
    const e = t.events[i];
    if (e?.type === "agent_left") {
      return { name: agentNames(t).get(e.data.agent_id) ?? null, reason: e.data.reason };
    }
  }
  return null;
}

/** Agents' names by id, from their `agent_joined` events. */
export function agentNames(t: Transcript): Map<string, string> {
  const names = new Map<string, string>();
  for (const e of t.events) {
    if (e.type === "agent_joined") names.set(e.data.agent.id, e.data.agent.display_name);
  }
  return names;
}

/** Who did something, as the shopper reads it. */
function person(e: LogEvent, names: Map<string, string>): Person {
  if (e.actor.kind === "visitor") return { name: "You", self: true };
  if (e.actor.kind === "agent") {
    return { name: e.actor.name ?? names.get(e.actor.id ?? "") ?? "The agent", self: false };
  }
  return { name: "Aisle", self: false };
}

/** `sharing`: whether the shopper's page was being shared just before `e`. */
function notice(e: LogEvent, names: Map<string, string>, sharing: boolean): string | null {
  if (SHARING_EVENTS.has(e.type)) {
    return sharingLine(e as SharingLogEvent, person(e, names),
                       (id) => names.get(id) ?? "the agent", sharing);
  }
  if (CALL_EVENTS.has(e.type)) {
    // A call's participants are the agents (by id) and, otherwise, the shopper.
    return callLine(e as CallLogEvent, person(e, names), (id) => {
      const name = names.get(id);
      return name ? { name, self: false } : { name: "You", self: true };
    });
  }
  switch (e.type) {
    case "agent_joined":
      return e.data.role === "assignee"
        ? `${e.data.agent.display_name} joined the chat`
        : `${e.data.agent.display_name} joined the chat as a supervisor`;
    case "agent_left": {
      const name = names.get(e.data.agent_id) ?? "The agent";
      if (e.data.reason === "transfer") return `${name} is handing you over to a colleague`;
      if (e.data.reason === "disconnected") {
        return `${name} lost their connection. We're finding someone else to help`;
      }
      if (e.data.reason === "unavailable") {
        return `${name} is no longer available. We're finding someone else to help`;
      }
      return `${name} left the chat`;
    }
    // A line of the chat's history (the card above says what happens next, while it does).
    case "conversation_offline":
      return e.data.reason === "outside_hours"
        ? "Left as a message: it was outside opening hours"
        : "Left as a message: nobody could answer live";
    case "conversation_ended":
      switch (e.data.reason) {
        case "visitor_ended": return "You ended the chat";
        case "agent_ended": return `${e.actor.name ?? "The agent"} ended the chat`;
        case "visitor_left": return "The chat ended because you were away";
        case "closed_offline": return "This conversation was closed";
      }
      return "The chat ended";
    default:
      return null;
  }
}

/** What the log shows: messages (with delivery state for the visitor's) and notices. */
export function timeline(t: Transcript): TimelineItem[] {
  const names = agentNames(t);
  const agentRead = readUpTo(t, "agent");
  const items: TimelineItem[] = [];
  const quiet = pageChanges(t.events);
  let sharing = false;
  for (const e of t.events) {
    const wasSharing = sharing;
    if (e.type === "cobrowse_started") sharing = true;
    else if (e.type === "cobrowse_ended" || e.type === "conversation_ended") sharing = false;
    if (quiet.has(e.seq)) continue;
    if (e.type === "message_created") {
      const fromVisitor = e.actor.kind === "visitor";
      items.push({
        // The shopper's own message keeps the key it had while being sent: the same element
        // stays in the live log (a screen reader does not hear it twice).
        kind: "message", key: fromVisitor && e.data.client_id ? `c${e.data.client_id}` : `s${e.seq}`,
        seq: e.seq, clientId: e.data.client_id,
        from: fromVisitor ? "visitor" : "agent",
        name: fromVisitor ? e.actor.name : (e.actor.name ?? names.get(e.actor.id ?? "") ?? null),
        agentId: fromVisitor ? null : e.actor.id,
        text: e.data.text, ts: e.ts,
        delivery: fromVisitor ? (e.seq <= agentRead ? "read" : "sent") : null,
      });
      continue;
    }
    const text = notice(e, names, wasSharing);
    if (text !== null) items.push({ kind: "notice", key: `s${e.seq}`, seq: e.seq, ts: e.ts, text });
  }
  for (const p of t.pending) {
    items.push({
      kind: "message", key: `c${p.clientId}`, seq: p.seq ?? null, clientId: p.clientId,
      from: "visitor", name: null, agentId: null, text: p.text, ts: p.at,
      delivery: p.seq !== undefined ? (p.seq <= agentRead ? "read" : "sent") : p.status,
    });
  }
  return items;
}
