// What the transcript shows, built from the log: bubbles for messages, internal notes, one-line
// system entries for joins, transfers, offline and endings, read receipts, and the messages
// still on their way (sent optimistically, matched to the log by their client id).
import { CALL_EVENTS, callLine, pageChanges, type CallLogEvent } from "../../../cobrowse_js/src/call/wording";
import type { LogEvent } from "../protocol.gen";
import { storedClientIds } from "./log";

export interface PendingMessage {
  clientId: string;
  text: string;
  note: boolean;
  state: "sending" | "failed";
  at: number;
}

export type Side = "visitor" | "me" | "agent";

export interface MessageItem {
  kind: "message" | "note";
  key: string;
  seq: number | null; // null while pending
  side: Side;
  author: string;
  text: string;
  ts: number;
  /** First of a run by the same author: show the name. */
  first: boolean;
  status: "sending" | "failed" | "sent" | "seen";
  clientId: string;
}

export interface SystemItem {
  kind: "system";
  key: string;
  seq: number;
  text: string;
  ts: number;
  tone: "neutral" | "warning" | "end";
}

export type TranscriptItem = MessageItem | SystemItem;

export interface TranscriptOptions {
  meId: string;
  visitorName: string;
  /** Names of agents known elsewhere (colleague list), by id. */
  agentNames?: Readonly<Record<string, string>>;
  visitorReadSeq: number;
  pending?: readonly PendingMessage[];
  /** The label of the conversation's topic (events name it by id). */
  topicLabel?: string;
}

const ENDED: Record<string, string> = {
  agent_ended: "ended the conversation",
  visitor_ended: "ended the conversation",
  visitor_left: "The visitor left — the conversation ended",
  closed_offline: "closed the offline message",
};

const REQUEUED: Record<string, string> = {
  declined: "Back in the queue",
  offer_expired: "Back in the queue",
  agent_disconnected: "The agent did not come back — back in the queue",
  transfer: "Waiting in the queue after the transfer",
  agent_unavailable: "Back in the queue",
};

/** Agent ids → names, learnt from the log itself. */
export function namesFromLog(events: readonly LogEvent[]): Record<string, string> {
  const names: Record<string, string> = {};
  for (const e of events) {
    if (e.actor.kind === "agent" && e.actor.id && e.actor.name) names[e.actor.id] = e.actor.name;
    if (e.type === "agent_joined") names[e.data.agent.id] = e.data.agent.display_name;
  }
  return names;
}

export function buildTranscript(events: readonly LogEvent[], opts: TranscriptOptions): TranscriptItem[] {
  const names = { ...(opts.agentNames ?? {}), ...namesFromLog(events) };
  const agentName = (id: string | null | undefined): string =>
    (id && (id === opts.meId ? "You" : names[id])) || "An agent";
  const actorName = (e: LogEvent): string => {
    if (e.actor.kind === "visitor") return e.actor.name || opts.visitorName;
    if (e.actor.kind === "agent") return e.actor.id === opts.meId ? "You" : e.actor.name || agentName(e.actor.id);
    return "Aisle";
  };
  const items: TranscriptItem[] = [];
  let toColleague = false; // the last transfer named a colleague
  let controlOn = false; // the shopper had given control (its end is "took back", not "declined")
  let shared = false; // the shopper shares (its end by the agent is "stopped viewing", not "withdrew")
  const system = (e: LogEvent, text: string, tone: SystemItem["tone"] = "neutral"): void => {
    items.push({ kind: "system", key: `s${e.seq}`, seq: e.seq, text, ts: e.ts, tone });
  };
  const person = (id: string | null | undefined, fallback: string) => (id === opts.meId
    ? { name: "You", self: true } : { name: (id && names[id]) || fallback, self: false });
  const quiet = pageChanges(events); // a page changing during a call is not news
  for (const e of events) {
    if (quiet.has(e.seq)) continue;
    if (CALL_EVENTS.has(e.type)) {
      // Track owners are agents (by id) or the visitor (their own id).
      system(e, callLine(e as CallLogEvent,
        e.actor.kind === "agent" ? person(e.actor.id, actorName(e)) : { name: actorName(e), self: false },
        (id) => person(id, opts.visitorName)));
      continue;
    }
    switch (e.type) {
      case "message_created":
      case "note_created": {
        const side: Side = e.actor.kind === "visitor" ? "visitor"
          : e.actor.id === opts.meId ? "me" : "agent";
        items.push({
          // The agent's own line keeps the key it had while pending: the same element stays in
          // the live log (a screen reader does not hear it twice).
          kind: e.type === "note_created" ? "note" : "message",
          key: side === "me" && e.data.client_id ? `p${e.data.client_id}` : `e${e.seq}`, seq: e.seq, side,
          author: actorName(e), text: e.data.text, ts: e.ts, first: true, status: "sent",
          clientId: e.data.client_id,
        });
        break;
      }
      case "conversation_started": {
        const page = e.data.page_url ? ` on ${e.data.page_url}` : "";
        system(e, `${actorName(e)} started a conversation about “${opts.topicLabel ?? e.data.topic}”${page}`);
        break;
      }
      case "conversation_queued":
        // A transfer to a named colleague waits for them, not in the team's queue: its own
        // line says so already.
        if (e.data.reason !== "new" && !(e.data.reason === "transfer" && toColleague)) {
          system(e, `${REQUEUED[e.data.reason] ?? "Back in the queue"} (${e.data.team})`);
        }
        break;
      case "agent_joined":
        system(e, e.data.role === "supervisor"
          ? `${e.data.agent.id === opts.meId ? "You" : e.data.agent.display_name} joined as a supervisor`
          : `${e.data.agent.id === opts.meId ? "You" : e.data.agent.display_name} joined the conversation`);
        break;
      case "agent_left":
        if (e.data.reason !== "transfer") {
          system(e, e.data.reason === "disconnected"
            ? `${agentName(e.data.agent_id)} lost connection and left`
            : e.data.reason === "unavailable"
              ? `${agentName(e.data.agent_id)} is no longer available (account disabled) and left`
              : `${agentName(e.data.agent_id)} left the conversation`, "warning");
        }
        break;
      case "participant_added":
        system(e, `${agentName(e.data.agent_id)} started observing (internal)`);
        break;
      case "participant_removed":
        system(e, `${agentName(e.data.agent_id)} stopped observing (internal)`);
        break;
      case "conversation_transferred": {
        toColleague = e.data.to_agent_id !== null && e.data.to_agent_id !== undefined;
        const to = e.data.to_team ? `the ${e.data.to_team} team`
          : e.data.to_agent_id === opts.meId ? "you" : agentName(e.data.to_agent_id);
        const note = e.data.note ? ` — “${e.data.note}”` : "";
        system(e, `${actorName(e)} transferred the conversation to ${to}${note}`);
        break;
      }
      case "conversation_offline":
        system(e, e.data.reason === "outside_hours"
          ? "Outside business hours — kept as an offline message"
          : "No agent was available — kept as an offline message", "warning");
        break;
      case "conversation_ended": {
        const what = ENDED[e.data.reason] ?? "ended the conversation";
        system(e, e.data.reason === "visitor_left" ? what : `${actorName(e)} ${what}`, "end");
        break;
      }
      case "recording_paused":
        // Someone's choice is worth a line; pauses by page or policy are not.
        if (e.data.reason === "withdrawn") {
          system(e, `${actorName(e)} stopped the recording of the ${e.data.kind === "call" ? "call" : "co-browsing"}; it goes on unrecorded`, "warning");
        } else if (e.data.reason === "agent") {
          system(e, `${person(e.actor.id, actorName(e)).name} paused the recording of the ${e.data.kind === "call" ? "call" : "co-browsing"}`, "warning");
        } else if (e.data.reason === "storage") {
          system(e, `The recording of the ${e.data.kind === "call" ? "call" : "co-browsing"} stopped: it could not be saved (the server’s disk may be full)`, "warning");
        } else if (e.data.reason === "restart") {
          system(e, "The server restarted: the co-browsing is not recorded until the shopper’s page is back", "warning");
        }
        break;
      case "recording_resumed":
        if (e.data.reason === "agent") {
          system(e, `${person(e.actor.id, actorName(e)).name} resumed the recording of the ${e.data.kind === "call" ? "call" : "co-browsing"}`);
        } else if (e.data.reason === "restart") {
          system(e, "The shopper’s page is back: the co-browsing is recorded again");
        }
        break;
      // Co-browsing, as the agent lived it: asked, shared, declined, stopped; control too.
      case "cobrowse_requested":
        system(e, `${person(e.data.agent_id, actorName(e)).name} asked to see the shopper’s page`);
        break;
      case "cobrowse_started":
        shared = true;
        system(e, `${opts.visitorName} is sharing their page${e.data.recorded ? " (recorded)" : ""}`);
        break;
      case "cobrowse_ended": {
        controlOn = false;
        const wasShared = shared;
        shared = false;
        if (e.data.reason === "declined") {
          system(e, `${opts.visitorName} declined to share their page`, "warning");
        } else if (e.data.reason === "stopped") {
          system(e, e.data.by === "visitor" ? `${opts.visitorName} stopped sharing their page`
            : e.data.by === "agent" ? (wasShared ? `${actorName(e)} stopped viewing the shopper’s page`
              : `${actorName(e)} withdrew the request to see the shopper’s page`)
              : "Co-browsing ended");
        } else if (e.data.reason === "agent_left") {
          system(e, "Co-browsing ended: the agent left");
        } else if (e.data.reason === "page_closed") {
          system(e, `${opts.visitorName} closed the page they were sharing`, "warning");
        }
        break;
      }
      case "control_requested":
        system(e, `${person(e.data.agent_id, actorName(e)).name} asked for control of the page`);
        break;
      case "control_granted":
        controlOn = true;
        system(e, `${opts.visitorName} gave ${person(e.data.agent_id, "the agent").self ? "you"
          : person(e.data.agent_id, "the agent").name} control of the page`);
        break;
      case "control_ended": {
        const had = controlOn;
        controlOn = false;
        const who = person(e.data.agent_id, "the agent");
        if (e.data.by === "visitor") {
          system(e, had ? `${opts.visitorName} took back control of the page`
            : `${opts.visitorName} declined control of the page`, had ? "neutral" : "warning");
        } else if (e.data.by === "agent") {
          system(e, `${who.name} gave control of the page back`);
        } else if (!had) {
          system(e, "The request for control expired", "warning");
        } else {
          system(e, "Control of the page ended");
        }
        break;
      }
      case "conversation_rated": {
        const stars = "★".repeat(e.data.rating) + "☆".repeat(5 - e.data.rating);
        system(e, `Rated ${stars}${e.data.comment ? ` — “${e.data.comment}”` : ""}`);
        break;
      }
      case "reply_emailed":
        system(e, `The answer was emailed to ${e.data.to} (not read here in time)`);
        break;
      default:
        break; // offers, declines, reads: not lines of the conversation
    }
  }
  const stored = storedClientIds(events);
  for (const p of opts.pending ?? []) {
    if (stored.has(p.clientId)) continue;
    items.push({
      kind: p.note ? "note" : "message", key: `p${p.clientId}`, seq: null, side: "me", author: "You",
      text: p.text, ts: p.at, first: true, status: p.state, clientId: p.clientId,
    });
  }
  markRuns(items);
  markSeen(items, opts.visitorReadSeq);
  return items;
}

/** Consecutive bubbles by the same author within five minutes form a run; only the first is named. */
function markRuns(items: TranscriptItem[]): void {
  let prev: MessageItem | null = null;
  for (const item of items) {
    if (item.kind === "system") {
      prev = null;
      continue;
    }
    item.first = !(prev && prev.author === item.author && prev.kind === item.kind
      && item.ts - prev.ts < 5 * 60_000);
    prev = item;
  }
}

/** "Seen" goes on the newest agent message the visitor has read. */
function markSeen(items: TranscriptItem[], visitorReadSeq: number): void {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (item.kind !== "message" || item.side === "visitor" || item.seq === null) continue;
    if (item.seq <= visitorReadSeq) {
      item.status = "seen";
      return;
    }
  }
}
