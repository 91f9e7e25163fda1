// What the widget keeps in the shopper's browser, namespaced per site: the visitor key and the
// conversation on screen (localStorage: every tab and later visits), each conversation's events
// by seq (localStorage: a reload or another tab starts from them), and per tab the unsent
// messages, whether the panel was open and the draft (sessionStorage: survives navigation).
// Storage can be missing or full (private modes, sandboxed frames): every access may fail.

import type { LogEvent } from "./protocol.gen";
import type { Pending } from "./state/transcript";

/** Events kept per conversation: enough for any chat; older ones stay on the server. */
const MAX_EVENTS = 500;
/** An ended conversation stays on screen across pages for this long, then the form returns. */
export const ENDED_KEPT_MS = 60 * 60 * 1000;

export interface CurrentConversation {
  id: string;
  /** When ended, until when it stays on screen (ms since epoch); null while open. */
  keepUntil: number | null;
}

function area(kind: "localStorage" | "sessionStorage"): Storage | null {
  try {
    return window[kind];
  } catch {
    return null;
  }
}

/** Everything the widget keeps in this browser for a site, in both storages, removed
 * (`Aisle.reset()`: the shopper signed out, or a shared computer changes hands). */
export function forgetSite(siteKey: string): void {
  const prefix = `aisle:${siteKey}:`;
  for (const kind of ["localStorage", "sessionStorage"] as const) {
    const store = area(kind);
    if (!store) continue;
    try {
      const keys: string[] = [];
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i);
        if (key?.startsWith(prefix)) keys.push(key);
      }
      for (const key of keys) store.removeItem(key);
    } catch {
      // forbidden: nothing was kept either
    }
  }
}

export class WidgetStorage {
  private readonly prefix: string;
  private readonly local = area("localStorage");
  private readonly session = area("sessionStorage");

  constructor(siteKey: string) {
    this.prefix = `aisle:${siteKey}:`;
  }

  private read<T>(store: Storage | null, key: string): T | null {
    try {
      const raw = store?.getItem(this.prefix + key);
      return raw ? (JSON.parse(raw) as T) : null;
    } catch {
      return null;
    }
  }

  private write(store: Storage | null, key: string, value: unknown): void {
    try {
      if (value === null) store?.removeItem(this.prefix + key);
      else store?.setItem(this.prefix + key, JSON.stringify(value));
    } catch {
      // Full or forbidden: the server still has everything; we only lose the head start.
    }
  }

  /** The key of localStorage entry `key`, for `storage` events from other tabs. */
  keyOf(key: string): string {
    return this.prefix + key;
  }

  get visitorKey(): string | null {
    return this.read<string>(this.local, "visitor_key");
  }

  set visitorKey(value: string | null) {
    this.write(this.local, "visitor_key", value);
  }

  get current(): CurrentConversation | null {
    return this.read<CurrentConversation>(this.local, "current");
  }

  set current(value: CurrentConversation | null) {
    const before = this.current;
    if (before?.id !== value?.id || before?.keepUntil !== value?.keepUntil) {
      this.write(this.local, "current", value);
    }
    if (before && before.id !== value?.id) this.forget(before.id);
  }

  events(conversationId: string): LogEvent[] {
    const events = this.read<LogEvent[]>(this.local, `events:${conversationId}`);
    return Array.isArray(events) ? events : [];
  }

  /** Merges with what another tab may have written meanwhile. */
  saveEvents(conversationId: string, events: readonly LogEvent[]): void {
    const bySeq = new Map<number, LogEvent>();
    for (const e of this.events(conversationId)) bySeq.set(e.seq, e);
    for (const e of events) bySeq.set(e.seq, e);
    const merged = [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-MAX_EVENTS);
    this.write(this.local, `events:${conversationId}`, merged);
  }

  outbox(conversationId: string): Pending[] {
    const pending = this.read<Pending[]>(this.session, `outbox:${conversationId}`);
    return Array.isArray(pending) ? pending : [];
  }

  saveOutbox(conversationId: string, pending: readonly Pending[]): void {
    // What the server refused stays refused on the next page (shown, not sent again).
    const unacked = pending.filter((p) => p.seq === undefined)
      .map((p) => (p.status === "refused" ? p : { ...p, status: "queued" as const }));
    this.write(this.session, `outbox:${conversationId}`, unacked.length ? unacked : null);
  }

  forget(conversationId: string): void {
    this.write(this.local, `events:${conversationId}`, null);
    this.write(this.session, `outbox:${conversationId}`, null);
    this.write(this.session, `draft:${conversationId}`, null);
  }

  get open(): boolean {
    return this.read<boolean>(this.session, "open") === true;
  }

  set open(value: boolean) {
    this.write(this.session, "open", value || null);
  }

  draft(conversationId: string): string {
    return this.read<string>(this.session, `draft:${conversationId}`) ?? "";
  }

  saveDraft(conversationId: string, text: string): void {
    this.write(this.session, `draft:${conversationId}`, text || null);
  }
}
