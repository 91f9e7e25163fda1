// The shopper's page as batches arrive (pure, no DOM): inflate and check each batch, follow the
// page session and its numbering (a gap or an unknown session means "ask for a full snapshot"),
// pick out what the view shows besides the mirror (viewport size, the page going away, the
// keep-alive), and map the shopper's clock onto ours so events play as soon as they arrive.
// Batch contents are untrusted: anything that is not an array of rrweb-shaped events is dropped.

import { inflateSync, strFromU8 } from "fflate";

import type { BatchRelayed, Conversation, LogEvent } from "../protocol.gen";

export interface PageEvent {
  type: number;
  data: unknown;
  timestamp: number;
  delay?: number;
}

const META = 4;
const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
const CUSTOM = 5;
const VIEWPORT_RESIZE = 4;
const MAX_EVENT_TYPE = 6;
/** rrweb's own Meta width/height are CSS pixels; anything beyond this is nonsense. */
const MAX_VIEWPORT = 20_000;

export type Step =
  /** A new page (or a fresh snapshot of it): rebuild the mirror from these events. */
  | { kind: "reset"; sessionId: string; events: PageEvent[] }
  | { kind: "events"; events: PageEvent[] }
  /** Lost the thread: ask for a full snapshot, ignore batches until it comes. */
  | { kind: "gap" }
  | { kind: "ignore" };

export function decode(data: Uint8Array | ArrayBuffer): PageEvent[] | null {
  try {
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
    const parsed: unknown = JSON.parse(strFromU8(inflateSync(bytes)));
    if (!Array.isArray(parsed)) return null;
    const events: PageEvent[] = [];
    for (const e of parsed) {
      if (typeof e !== "object" || e === null) return null;
      const { type, timestamp, data: body } = e as Record<string, unknown>;
      if (typeof type !== "number" || !Number.isInteger(type) || type < 0 || type > MAX_EVENT_TYPE
          || typeof timestamp !== "number" || !Number.isFinite(timestamp)
          || typeof body !== "object" || body === null) return null;
      events.push({ type, timestamp, data: body });
    }
    return events;
  } catch {
    return null;
  }
}

export function isCustom(e: PageEvent, tag: string): boolean {
  return e.type === CUSTOM && (e.data as { tag?: unknown }).tag === tag;
}

/** The shopper's viewport from a Meta or ViewportResize event. */
export function viewportOf(e: PageEvent): { width: number; height: number } | null {
  const d = e.data as { width?: unknown; height?: unknown; source?: unknown };
  const sized = e.type === META || (e.type === INCREMENTAL && d.source === VIEWPORT_RESIZE);
  if (!sized || typeof d.width !== "number" || typeof d.height !== "number") return null;
  if (!(d.width > 0 && d.width < MAX_VIEWPORT && d.height > 0 && d.height < MAX_VIEWPORT)) return null;
  return { width: Math.round(d.width), height: Math.round(d.height) };
}

export function hrefOf(events: readonly PageEvent[]): string | null {
  for (const e of events) {
    const href = e.type === META ? (e.data as { href?: unknown }).href : undefined;
    if (typeof href === "string") return href;
  }
  return null;
}

/** Follows one conversation's page sessions and their batch numbers. */
export class PageStream {
  private session: string | null = null;
  private next = 0;
  private broken = true;

  accept(batch: Pick<BatchRelayed, "session_id" | "batch_no" | "full" | "data">): Step {
    const events = decode(batch.data);
    if (batch.full) {
      if (!events || !events.some((e) => e.type === FULL_SNAPSHOT)) return this.gap();
      this.session = batch.session_id;
      this.next = batch.batch_no + 1;
      this.broken = false;
      return { kind: "reset", sessionId: batch.session_id, events };
    }
    if (this.broken) return { kind: "ignore" };
    if (batch.session_id !== this.session || batch.batch_no !== this.next || !events) return this.gap();
    this.next += 1;
    return { kind: "events", events };
  }

  /** Forget the thread (the console tab was hidden): the next full snapshot starts over. */
  gap(): Step {
    const already = this.broken;
    this.broken = true;
    return already ? { kind: "ignore" } : { kind: "gap" };
  }

  get waiting(): boolean {
    return this.broken;
  }
}

/**
 * Maps the shopper's timestamps onto this browser's clock so the live replayer plays each
 * event on arrival whatever the two clocks say: the offset is the smallest (arrival − sent)
 * seen so far, and mapped times never go backwards (the replayer must keep the order).
 */
export class LiveClock {
  private offset = Number.POSITIVE_INFINITY;
  private last = Number.NEGATIVE_INFINITY;

  map(events: PageEvent[], now: number): void {
    for (const e of events) this.offset = Math.min(this.offset, now - e.timestamp);
    for (const e of events) {
      const mapped = Math.max(e.timestamp + this.offset, this.last);
      e.timestamp = mapped;
      this.last = mapped;
    }
  }
}

export type Consent = "off" | "requested" | "on";

export interface CobrowseStatus {
  view: Consent;
  /** Who asked to see / sees the page. */
  viewAgentId: string | null;
  control: Consent;
  controlAgentId: string | null;
  /** When an unanswered control request lapses (server clock, ms). */
  controlExpiresAt: number | null;
  /** Whether the current sharing is recorded (null: not sharing, or the log does not say). */
  recorded: boolean | null;
  /** Not recorded, in a way the agent may resume: they paused it, or it could not be saved. */
  pausedByAgent: boolean;
  /** The recording stopped because the server could not write it (a full disk). */
  unsaved: boolean;
}

/** The conversation's co-browse state from its log (the snapshot when the log says nothing). */
export function cobrowseStatus(conv: Conversation, events: readonly LogEvent[]): CobrowseStatus {
  const status: CobrowseStatus = {
    view: conv.cobrowse, viewAgentId: conv.cobrowse_agent_id, control: conv.control,
    controlAgentId: conv.control_agent_id, controlExpiresAt: null,
    recorded: conv.cobrowse_recorded ?? null, pausedByAgent: false, unsaved: false,
  };
  for (const e of events) {
    const data = e.data as { agent_id?: string; expires_at?: number; recorded?: boolean | null;
                             kind?: string; reason?: string };
    switch (e.type) {
      case "cobrowse_requested":
        Object.assign(status, { view: "requested", viewAgentId: data.agent_id ?? null });
        break;
      case "cobrowse_started":
        Object.assign(status, { view: "on", viewAgentId: data.agent_id ?? status.viewAgentId,
                                recorded: data.recorded ?? null, pausedByAgent: false, unsaved: false });
        break;
      case "cobrowse_ended":
        Object.assign(status, { view: "off", control: "off", controlAgentId: null,
                                controlExpiresAt: null, recorded: null, pausedByAgent: false, unsaved: false });
        break;
      case "recording_paused":
        // The shopper stopped recording this sharing, the agent paused it, or it could not be
        // saved (which the agent may resume, as a pause); the sharing goes on.
        if (data.kind === "cobrowse" && (data.reason === "withdrawn" || data.reason === "agent"
                                         || data.reason === "storage")) {
          Object.assign(status, { recorded: false, pausedByAgent: data.reason !== "withdrawn",
                                  unsaved: data.reason === "storage" });
        }
        break;
      case "recording_resumed":
        if (data.kind === "cobrowse" && data.reason === "agent") {
          Object.assign(status, { recorded: true, pausedByAgent: false, unsaved: false });
        }
        break;
      case "control_requested":
        Object.assign(status, { control: "requested", controlAgentId: data.agent_id ?? null,
                                controlExpiresAt: data.expires_at ?? null });
        break;
      case "control_granted":
        Object.assign(status, { control: "on", controlExpiresAt: null });
        break;
      case "control_ended":
        Object.assign(status, { control: "off", controlAgentId: null, controlExpiresAt: null });
        break;
      case "conversation_ended":
      case "conversation_transferred":
        Object.assign(status, { view: "off", control: "off", controlAgentId: null,
                                recorded: null, pausedByAgent: false, unsaved: false });
        break;
    }
  }
  return status;
}
