// Builders of protocol objects for the unit tests.
import type { Actor, Conversation, LogEvent } from "../protocol.gen";

export const ME = "agt_me";
export const CNV = "cnv_1";

export const visitor: Actor = { kind: "visitor", id: "vis_1", name: "Dana" };
export const meActor: Actor = { kind: "agent", id: ME, name: "Alex" };
export const system: Actor = { kind: "system", id: null, name: null };

/** Fields the tests do not care about (co-browse state…) are left out: hence the cast. */
export function conversation(over: Partial<Conversation> = {}): Conversation {
  return {
    id: CNV, site_id: "sit_1", visitor_id: "vis_1", status: "active", topic: "order", team: "support",
    agent_id: ME, offered_agent_id: null, participants: [], fields: { name: "Dana", email: null },
    offline_reason: null, ended_reason: null, rating: null, rating_comment: null, created_at: 1000,
    queued_at: 1000, assigned_at: 2000, ended_at: null, last_seq: 0, visitor_read_seq: 0, agent_read_seq: 0,
    ...over,
  } as Conversation;
}

let ts = 10_000;

export function msg(seq: number, text: string, actor: Actor = visitor, clientId = `c${seq}`): LogEvent {
  return { conversation_id: CNV, seq, ts: (ts += 1000), actor, type: "message_created", data: { client_id: clientId, text } };
}

export function note(seq: number, text: string, actor: Actor = meActor): LogEvent {
  return { conversation_id: CNV, seq, ts: (ts += 1000), actor, type: "note_created", data: { client_id: `n${seq}`, text } };
}

export function read(seq: number, side: "visitor" | "agent", upTo: number): LogEvent {
  return { conversation_id: CNV, seq, ts: (ts += 1000), actor: side === "visitor" ? visitor : meActor, type: "messages_read", data: { side, up_to_seq: upTo } };
}

export function started(seq = 1): LogEvent {
  return {
    conversation_id: CNV, seq, ts: (ts += 1000), actor: visitor, type: "conversation_started",
    data: { topic: "order", topic_label: "An order I placed", team: "support", visitor_id: "vis_1", site_id: "sit_1",
            fields: { name: "Dana", email: null }, page_url: null },
  };
}

export function offered(seq: number, agentId: string, expiresAt: number): LogEvent {
  return { conversation_id: CNV, seq, ts: (ts += 1000), actor: system, type: "conversation_offered", data: { agent_id: agentId, expires_at: expiresAt } };
}

export function joined(seq: number, id = ME, name = "Alex", role: "assignee" | "supervisor" = "assignee"): LogEvent {
  return { conversation_id: CNV, seq, ts: (ts += 1000), actor: meActor, type: "agent_joined", data: { agent: { id, display_name: name, photo_url: null }, role } };
}

/** sessionStorage for the tests; `refuse` makes writes fail as a full or blocked one does. */
export class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  refuse = false;
  get length(): number { return this.items.size; }
  clear(): void { this.items.clear(); }
  getItem(k: string): string | null { return this.items.get(k) ?? null; }
  key(i: number): string | null { return [...this.items.keys()][i] ?? null; }
  removeItem(k: string): void { this.items.delete(k); }
  setItem(k: string, v: string): void {
    if (this.refuse) throw new Error("QuotaExceededError");
    this.items.set(k, v);
  }
}
