// A conversation's log as the console holds it: events kept sorted by `seq`, each seq once, so
// live events, resume results and history pages can arrive in any order and overlap.
import type { Conversation, LogEvent } from "../protocol.gen";

/** A log event, recognised by its shape: every type (today's and tomorrow's) goes into the log;
 * the transcript shows the ones it knows. */
export function isLogEvent(event: string, payload: unknown): payload is LogEvent {
  if (typeof payload !== "object" || payload === null) return false;
  const p = payload as Record<string, unknown>;
  return p.type === event && typeof p.conversation_id === "string" && typeof p.seq === "number"
    && typeof p.ts === "number" && typeof p.actor === "object" && p.actor !== null;
}

/** `existing` and `incoming` merged, sorted by seq, one event per seq (the first one seen). */
export function mergeEvents(existing: readonly LogEvent[], incoming: readonly LogEvent[]): LogEvent[] {
  if (incoming.length === 0) return existing as LogEvent[];
  const last = existing.length ? existing[existing.length - 1]!.seq : 0;
  // The common case: one live event right after the newest held.
  if (incoming.length === 1 && incoming[0]!.seq > last) return [...existing, incoming[0]!];
  const bySeq = new Map<number, LogEvent>();
  for (const e of existing) bySeq.set(e.seq, e);
  let added = false;
  for (const e of incoming) {
    if (!bySeq.has(e.seq)) {
      bySeq.set(e.seq, e);
      added = true;
    }
  }
  if (!added) return existing as LogEvent[];
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** The largest n such that seqs 1…n are all held: where a resume should start. */
export function contiguousSeq(events: readonly LogEvent[]): number {
  let n = 0;
  for (const e of events) {
    if (e.seq !== n + 1) break;
    n = e.seq;
  }
  return n;
}

export function highestSeq(events: readonly LogEvent[]): number {
  return events.length ? events[events.length - 1]!.seq : 0;
}

/** True when the events held do not run 1, 2, 3… without a hole up to `upTo`: time to resume. */
export function hasGap(events: readonly LogEvent[], upTo: number): boolean {
  if (upTo > highestSeq(events)) return true;
  let expected = 1;
  for (const e of events) {
    if (e.seq !== expected) return true;
    expected++;
  }
  return false;
}

/** The conversation's read marks and last seq moved forward by events (reads do not come as
 * `conversation_updated`: the server counts them as quiet changes). */
export function advanceConversation(conv: Conversation, events: readonly LogEvent[]): Conversation {
  let { last_seq, visitor_read_seq, agent_read_seq } = conv;
  for (const e of events) {
    if (e.conversation_id !== conv.id) continue;
    last_seq = Math.max(last_seq, e.seq);
    if (e.type === "messages_read") {
      if (e.data.side === "visitor") visitor_read_seq = Math.max(visitor_read_seq, e.data.up_to_seq);
      else agent_read_seq = Math.max(agent_read_seq, e.data.up_to_seq);
    }
  }
  if (last_seq === conv.last_seq && visitor_read_seq === conv.visitor_read_seq
      && agent_read_seq === conv.agent_read_seq) return conv;
  return { ...conv, last_seq, visitor_read_seq, agent_read_seq };
}

/** Messages and notes: what a person reads (and what counts as unread). */
export function isContent(e: LogEvent): boolean {
  return e.type === "message_created" || e.type === "note_created";
}

/** The newest message or note, the seq a `mark_read` should name. */
export function lastContentSeq(events: readonly LogEvent[]): number {
  for (let i = events.length - 1; i >= 0; i--) if (isContent(events[i]!)) return events[i]!.seq;
  return 0;
}

/** Unread: messages and notes by someone else after `seenSeq`. */
export function unreadCount(events: readonly LogEvent[], seenSeq: number, meId: string): number {
  let n = 0;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.seq <= seenSeq) break;
    if (isContent(e) && !(e.actor.kind === "agent" && e.actor.id === meId)) n++;
  }
  return n;
}

/** The client ids of messages the server has stored (to drop their optimistic copies). */
export function storedClientIds(events: readonly LogEvent[]): Set<string> {
  const ids = new Set<string>();
  for (const e of events) if (isContent(e)) ids.add((e.data as { client_id: string }).client_id);
  return ids;
}

/** When the last offer of this conversation expires, from its log. */
export function offerExpiry(events: readonly LogEvent[], agentId: string): number | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === "conversation_offered") return e.data.agent_id === agentId ? e.data.expires_at : null;
  }
  return null;
}

/** The note of the conversation's last transfer, if it had one. */
export function transferNote(events: readonly LogEvent[]): string | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === "conversation_transferred") return e.data.note || null;
  }
  return null;
}

/** The first message the visitor wrote, for offer cards and history lines. */
export function firstVisitorMessage(events: readonly LogEvent[]): string | null {
  for (const e of events) if (e.type === "message_created" && e.actor.kind === "visitor") return e.data.text;
  return null;
}
