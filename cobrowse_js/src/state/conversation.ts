// The conversation as the visitor sees it, kept current between the server's snapshots
// (`conversation_updated`, `resume`) by folding the log events that change it. A snapshot
// already reflects every event up to its `last_seq`, so only later events are applied.

import type { LogEvent, QueueInfo, VisitorConversation } from "../protocol.gen";

const NO_CALL = { call: "off", call_id: null, call_media: null, call_by: null,
                  call_recorded: null } as const;

export function applyEvent(conv: VisitorConversation, e: LogEvent): VisitorConversation {
  if (e.conversation_id !== conv.id || e.seq <= conv.last_seq) return conv;
  const next = { ...conv, last_seq: e.seq };
  switch (e.type) {
    case "conversation_queued":  // no longer a message left, if it was one
      return { ...next, status: "queued", agent: null, offline_reason: null };
    case "agent_joined":
      if (e.data.role !== "assignee") return next;
      return { ...next, status: conv.status === "offline" ? "offline" : "active",
               agent: e.data.agent, queue: null };
    case "agent_left":
      return conv.agent?.id === e.data.agent_id ? { ...next, agent: null } : next;
    case "conversation_offline":
      return { ...next, status: "offline", offline_reason: e.data.reason, queue: null };
    case "conversation_ended":
      return { ...next, status: "ended", ended_reason: e.data.reason, queue: null, ...NO_CALL };
    case "call_requested":
      return { ...next, call: "ringing", call_id: e.data.call_id, call_media: e.data.media,
               call_by: e.data.by };
    case "call_accepted":
      return conv.call_id === e.data.call_id
        ? { ...next, call: "active", call_recorded: e.data.recorded ?? null } : next;
    case "call_ended":
      return conv.call_id === e.data.call_id ? { ...next, ...NO_CALL } : next;
    case "conversation_rated":
      return { ...next, rating: e.data.rating };
    // Whether the current sharing or call is recorded: someone stopped or paused it (or the
    // store could not keep it), or the agent resumed their pause. Pages the site does not
    // record leave it as it is (as on the server).
    case "recording_paused":
      if (e.data.reason !== "withdrawn" && e.data.reason !== "agent" &&
          e.data.reason !== "storage") return next;
      return e.data.kind === "call" ? { ...next, call_recorded: false }
        : { ...next, cobrowse_recorded: false };
    case "recording_resumed":
      if (e.data.reason !== "agent") return next;
      return e.data.kind === "call" ? { ...next, call_recorded: true }
        : { ...next, cobrowse_recorded: true };
    default:
      return next;
  }
}

export function applyEvents(conv: VisitorConversation, events: readonly LogEvent[]
): VisitorConversation {
  return [...events].sort((a, b) => a.seq - b.seq).reduce(applyEvent, conv);
}

/** A newer snapshot replaces ours; an older one (it crossed a later event) is ignored. */
export function applySnapshot(conv: VisitorConversation | null, snapshot: VisitorConversation
): VisitorConversation {
  if (conv === null || conv.id !== snapshot.id) return snapshot;
  return snapshot.last_seq >= conv.last_seq ? snapshot : conv;
}

export function applyQueue(conv: VisitorConversation, queue: QueueInfo): VisitorConversation {
  if (conv.status !== "queued" && conv.status !== "offered") return conv;
  return { ...conv, queue };
}

export function isOpen(conv: VisitorConversation | null): boolean {
  return conv !== null && conv.status !== "ended";
}

/** The shopper may end it: a chat under way or waiting for an agent. A message left (`offline`)
 * stays with the store until they answer it: ending it would withdraw it from their inbox. */
export function canEnd(conv: VisitorConversation | null): boolean {
  return conv !== null &&
    (conv.status === "queued" || conv.status === "offered" || conv.status === "active");
}

export function isWaiting(conv: VisitorConversation | null): boolean {
  return conv !== null && (conv.status === "queued" || conv.status === "offered");
}
