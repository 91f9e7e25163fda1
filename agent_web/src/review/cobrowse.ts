// Recorded co-browsing on the conversation's clock (pure, no DOM). Chunk files come back as
// `[{batch_no, full, ts, events}]`: `ts` is when the server received the batch (unix ms, the
// conversation's clock), the rrweb events carry the shopper's own clock. Each batch is pinned
// to the server's time by its last event (sent right after it happened), the others keep their
// spacing before it, and time never runs backwards. Chunk contents are untrusted: anything that
// is not an array of rrweb-shaped events is dropped.

import type { PageEvent } from "../cobrowse/stream";
import { lastAtOrBefore } from "./sorted";
import type { CobrowseChunkRef, Gap, LogEvent } from "./types";

export type { PageEvent };

export interface ChunkBatch {
  batch_no: number;
  full: boolean;
  ts: number;
  events: PageEvent[];
}

/** One page session (a tab): its events with `timestamp` on the conversation clock. */
export interface PageSession {
  id: string;
  events: PageEvent[];
  /** Conversation ms of its first and last event. */
  startMs: number;
  endMs: number;
  /** When its page said it was going (`aisle:leaving`, its last event), or null: after that,
   * unless another page takes over, the shopper is off the store's pages. */
  leftMs?: number | null;
}

/** How long after a page said it was going the replay still shows it, when no other page of
 * the store followed: a moment, as the agent's live view does. */
export const LEFT_AFTER_MS = 1_500;
/** A page of the store that starts (or a page not recorded, a gap) within this long after the
 * last one went is a page change, however slow the next page was to load: the old page stays
 * until it comes. The server waits as long before it takes a page for gone. */
export const NEXT_PAGE_WITHIN_MS = 15_000;

const MAX_EVENT_TYPE = 6;
const FULL_SNAPSHOT = 2;
const CUSTOM = 5;

function isNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

function asEvent(raw: unknown): PageEvent | null {
  if (typeof raw !== "object" || raw === null) return null;
  const { type, timestamp, data } = raw as Record<string, unknown>;
  if (!isNumber(type) || !Number.isInteger(type) || type < 0 || type > MAX_EVENT_TYPE
      || !isNumber(timestamp) || typeof data !== "object" || data === null) return null;
  return { type, timestamp, data };
}

/** A decoded chunk, checked; null when it is not what the server sends. */
export function parseChunk(json: unknown): ChunkBatch[] | null {
  if (!Array.isArray(json)) return null;
  const batches: ChunkBatch[] = [];
  for (const raw of json) {
    if (typeof raw !== "object" || raw === null) return null;
    const b = raw as Record<string, unknown>;
    if (!isNumber(b.batch_no) || !isNumber(b.ts) || !Array.isArray(b.events)) return null;
    const events: PageEvent[] = [];
    for (const e of b.events) {
      const event = asEvent(e);
      if (event === null) return null;
      events.push(event);
    }
    batches.push({ batch_no: b.batch_no, full: b.full === true, ts: b.ts, events });
  }
  return batches;
}

/** The batches' events moved onto the conversation clock, in order; `floor` is the time of
 * the session's previous event (nothing goes before it). */
export function retime(batches: ChunkBatch[], originMs: number, floor = 0): PageEvent[] {
  const out: PageEvent[] = [];
  let last = floor;
  for (const batch of [...batches].sort((a, b) => a.batch_no - b.batch_no)) {
    if (batch.events.length === 0) continue;
    const received = batch.ts - originMs;
    const newest = Math.max(...batch.events.map((e) => e.timestamp));
    for (const e of batch.events) {
      const t = Math.max(last, received - (newest - e.timestamp));
      out.push({ ...e, timestamp: t });
      last = t;
    }
  }
  return out;
}

/** Keep-alives say nothing about the page. */
function isLeaving(e: PageEvent): boolean {
  return e.type === CUSTOM && (e.data as { tag?: unknown }).tag === "aisle:leaving";
}

function meaningful(e: PageEvent): boolean {
  return !(e.type === CUSTOM && (e.data as { tag?: unknown }).tag === "aisle:alive");
}

/** Every page session's events on the conversation clock, from the loaded chunks. A session
 * starts at its first full snapshot (the replayer cannot show anything before one). */
export function buildSessions(chunks: Array<{ ref: CobrowseChunkRef; batches: ChunkBatch[] }>,
  originMs: number): PageSession[] {
  const bySession = new Map<string, Array<{ ref: CobrowseChunkRef; batches: ChunkBatch[] }>>();
  for (const chunk of chunks) {
    const list = bySession.get(chunk.ref.session_id) ?? [];
    list.push(chunk);
    bySession.set(chunk.ref.session_id, list);
  }
  const sessions: PageSession[] = [];
  for (const [id, list] of bySession) {
    list.sort((a, b) => a.ref.first_batch - b.ref.first_batch);
    const events: PageEvent[] = [];
    for (const chunk of list) {
      const floor = events.length ? events[events.length - 1]!.timestamp : 0;
      events.push(...retime(chunk.batches, originMs, floor));
    }
    const kept = events.filter(meaningful);
    const first = kept.findIndex((e) => e.type === FULL_SNAPSHOT);
    if (first < 0) continue;
    // The Meta event just before the snapshot carries the viewport: keep it.
    const from = first > 0 && kept[first - 1]!.type === 4 ? first - 1 : first;
    const playable = kept.slice(from);
    if (playable.length < 2) continue;
    const last = playable[playable.length - 1]!;
    sessions.push({ id, events: playable, startMs: playable[0]!.timestamp, endMs: last.timestamp,
                    leftMs: isLeaving(last) ? last.timestamp : null });
  }
  sessions.sort((a, b) => a.startMs - b.startMs);
  // A page that went, followed by the next page of the store: a page change, not the shopper
  // leaving.
  for (const s of sessions) {
    const left = s.leftMs;
    if (left == null) continue;
    if (sessions.some((o) => o !== s && o.startMs >= left && o.startMs <= left + NEXT_PAGE_WITHIN_MS)) {
      s.leftMs = null;
    }
  }
  return sessions;
}

/** The time of a session's newest event at or before `t`, or null. */
function lastEventAt(session: PageSession, t: number): number | null {
  const i = lastAtOrBefore(session.events, t, (e) => e.timestamp);
  return i < 0 ? null : session.events[i]!.timestamp;
}

/** The session to show at `t`: of those already started, the tab that did something last. */
export function sessionAt(sessions: PageSession[], t: number): PageSession | null {
  let best: PageSession | null = null;
  let bestAt = -Infinity;
  for (const s of sessions) {
    const at = lastEventAt(s, t);
    if (at !== null && at >= bestAt) {
      best = s;
      bestAt = at;
    }
  }
  return best;
}

/** Intervals (conversation ms) when co-browsing was on, from the log. */
export function sharingIntervals(events: LogEvent[], originMs: number,
  endMs: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let since: number | null = null;
  for (const e of events) {
    if (e.type === "cobrowse_started" && since === null) since = e.ts - originMs;
    if ((e.type === "cobrowse_ended" || e.type === "conversation_ended") && since !== null) {
      out.push([since, e.ts - originMs]);
      since = null;
    }
  }
  if (since !== null) out.push([since, endMs]);
  return out;
}

export type ReplayCover =
  | { kind: "none" }
  | { kind: "off" } // not co-browsing at that moment
  | { kind: "waiting" } // co-browsing, but no page recorded yet
  | { kind: "gap"; reason: string } // not recorded (a page the site does not record, policy)
  | { kind: "left" }; // the shopper's page went, and no other page of the store took over

/** What covers the replay at `t`, if anything. */
export function replayCover(t: number, sharing: Array<[number, number]>, gaps: Gap[],
  session: PageSession | null): ReplayCover {
  const gap = gaps.find((g) => (g.kind === "cobrowse" || g.kind === "all")
    && t >= g.start_offset_ms && (g.end_offset_ms === null || t < g.end_offset_ms));
  if (gap) return { kind: "gap", reason: gap.reason };
  const on = sharing.some(([a, b]) => t >= a && t <= b);
  if (!on) return { kind: "off" };
  if (!session) return { kind: "waiting" };
  const left = session.leftMs;
  if (left != null && t >= left + LEFT_AFTER_MS
      // (A page the site does not record came next: its gap says so when it opens.)
      && !gaps.some((g) => g.start_offset_ms >= left && g.start_offset_ms <= left + NEXT_PAGE_WITHIN_MS)) {
    return { kind: "left" };
  }
  return { kind: "none" };
}
