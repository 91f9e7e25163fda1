// Log events and snapshots shaped like the server's, for the state tests (only tests use it).

import type { AgentCard, LogEvent, VisitorConversation } from "../protocol.gen";

export const CNV = "cnv_1";
export const ALEX: AgentCard = { id: "agt_1", display_name: "Alex", photo_url: null };
const visitor = { kind: "visitor" as const, id: "vis_1", name: "Dana" };
const system = { kind: "system" as const, id: null, name: null };
const agent = { kind: "agent" as const, id: ALEX.id, name: ALEX.display_name };

export function started(seq = 1): LogEvent {
  return { conversation_id: CNV, seq, ts: 1000 + seq, actor: visitor, type: "conversation_started",
           data: { topic: "order", topic_label: "An order I placed", team: "support",
                   visitor_id: "vis_1", site_id: "sit_1",
                   fields: { name: "Dana", email: null }, page_url: null } };
}

export function queued(seq: number, reason: "new" | "transfer" = "new"): LogEvent {
  return { conversation_id: CNV, seq, ts: 1000 + seq, actor: system, type: "conversation_queued",
           data: { team: "support", reason, front: false } };
}

export function visitorSays(seq: number, text: string, clientId = `c${seq}`): LogEvent {
  return { conversation_id: CNV, seq, ts: 1000 + seq, actor: visitor, type: "message_created",
           data: { client_id: clientId, text } };
}

export function agentSays(seq: number, text: string): LogEvent {
  return { conversation_id: CNV, seq, ts: 1000 + seq, actor: agent, type: "message_created",
           data: { client_id: `a${seq}`, text } };
}

export function joined(seq: number): LogEvent {
  return { conversation_id: CNV, seq, ts: 1000 + seq, actor: agent, type: "agent_joined",
           data: { agent: ALEX, role: "assignee" } };
}

export function left(seq: number, reason: "disconnected" | "transfer" = "disconnected"
): LogEvent {
  return { conversation_id: CNV, seq, ts: 1000 + seq, actor: system, type: "agent_left",
           data: { agent_id: ALEX.id, reason } };
}

export function read(seq: number, side: "visitor" | "agent", upTo: number): LogEvent {
  return { conversation_id: CNV, seq, ts: 1000 + seq, actor: side === "agent" ? agent : visitor,
           type: "messages_read", data: { side, up_to_seq: upTo } };
}

export function ended(seq: number, reason: "agent_ended" | "visitor_ended" = "agent_ended"
): LogEvent {
  return { conversation_id: CNV, seq, ts: 1000 + seq, actor: agent, type: "conversation_ended",
           data: { reason, left_at: null } };
}

export function offline(seq: number): LogEvent {
  return { conversation_id: CNV, seq, ts: 1000 + seq, actor: system,
           type: "conversation_offline", data: { reason: "no_agents" } };
}

export function conversation(over: Partial<VisitorConversation> = {}): VisitorConversation {
  return { id: CNV, status: "queued", topic: "order", agent: null,
           queue: { position: 1, estimated_wait_s: 60 }, offline_reason: null, ended_reason: null,
           rating: null, last_seq: 3, created_at: 1000, cobrowse: "off", control: "off",
           call: "off", call_id: null, call_media: null, call_by: null, cobrowse_recorded: null,
           call_recorded: null, ...over };
}

/** The site configuration parts the widget's state does not depend on. */
export const SITE_DEFAULTS = {
  cobrowse: { rules: [], asset_origins: [], hidden_url_params: [] },
  recording: { cobrowse: true, calls: true, mode: "notice" as const },
  enabled: true,
};
