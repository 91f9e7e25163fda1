// The widget's view state as a reducer: what happened (server notifications, acks, the
// shopper's actions, the connection) in; what to draw out. Pure: no DOM, no socket, no clock.

import type {
  Availability, LogEvent, QueueInfo, SiteConfig, VisitorConversation, VisitorSession,
} from "../protocol.gen";
import { applyEvents, applyQueue, applySnapshot } from "./conversation";
import {
  ackPending, addPending, agentAnswered, emptyTranscript, lastAgentMessageSeq, mergeEvents,
  setPendingStatus, unreadCount, type Pending, type PendingStatus, type Transcript,
} from "./transcript";

export type Connection = "connecting" | "online" | "reconnecting";

export interface WidgetState {
  /** The session exists: the launcher can show. */
  ready: boolean;
  /** The session could not be made (server down, origin refused): stay out of the way. */
  unavailable: boolean;
  connection: Connection;
  open: boolean;
  /** The shopper opened the panel (focus goes into it); not a ringing call or a page load,
   * which must not take focus from what they are doing on the page. */
  openedByShopper: boolean;
  site: SiteConfig | null;
  availability: Availability | null;
  conversation: VisitorConversation | null;
  transcript: Transcript | null;
  /** The agent is typing (their name, when known). */
  agentTyping: { name: string | null } | null;
  /** False while the assigned agent's connection is down. */
  agentOnline: boolean;
  /** Read up to here locally (ahead of our own `messages_read` event). */
  readSeq: number;
  starting: boolean;
  /** A sentence for the shopper when an action failed; cleared by the next action. */
  problem: string | null;
  /** What the store told us about the shopper (`Aisle.identify`): pre-fills the form. */
  identity: { name: string; email: string };
  /** Answers to a message left also go to the email address given (the server sends mail). */
  emailReplies: boolean;
}

export type Action =
  | { type: "session"; session: VisitorSession }
  | { type: "unavailable" }
  | { type: "restored"; conversation: VisitorConversation; events: LogEvent[];
      pending: Pending[] }
  | { type: "resumed"; conversation: VisitorConversation; events: LogEvent[] }
  | { type: "conversation"; conversation: VisitorConversation }
  | { type: "event"; event: LogEvent }
  | { type: "queue"; conversationId: string; queue: QueueInfo }
  /** `site`: the site's settings changed (topics, look): the new ones. */
  | { type: "availability"; availability: Availability; site?: SiteConfig | null }
  | { type: "typing"; conversationId: string; typing: boolean; name: string | null }
  | { type: "presence"; conversationId: string; online: boolean }
  | { type: "connection"; connection: Connection }
  | { type: "open"; byShopper?: boolean }
  | { type: "close" }
  | { type: "send"; clientId: string; text: string; at: number; status?: PendingStatus }
  | { type: "delivery"; clientId: string; status: PendingStatus }
  | { type: "acked"; clientId: string; seq: number }
  | { type: "read"; upToSeq: number }
  | { type: "starting" }
  | { type: "start_failed"; problem: string | null }
  | { type: "problem"; problem: string | null }
  | { type: "rated"; conversationId: string; rating: number }
  | { type: "identity"; name?: string | null; email?: string | null }
  | { type: "forget"; conversationId: string }
  | { type: "reset" };

export const initialState: WidgetState = {
  ready: false, unavailable: false, connection: "connecting", open: false, openedByShopper: false,
  site: null,
  availability: null, conversation: null, transcript: null, agentTyping: null, agentOnline: true,
  readSeq: 0, starting: false, problem: null, identity: { name: "", email: "" },
  emailReplies: false,
};

/** Switches to `conv` (a new transcript when it is another conversation). */
function adopt(state: WidgetState, conv: VisitorConversation): WidgetState {
  if (state.conversation?.id === conv.id && state.transcript?.conversationId === conv.id) {
    return { ...state, conversation: applySnapshot(state.conversation, conv) };
  }
  return { ...state, conversation: conv, transcript: emptyTranscript(conv.id),
           agentTyping: null, agentOnline: true, readSeq: 0, starting: false };
}

function withEvents(state: WidgetState, events: readonly LogEvent[]): WidgetState {
  if (!state.conversation || !state.transcript) return state;
  const transcript = mergeEvents(state.transcript, events);
  const conversation = applyEvents(state.conversation, events);
  let { agentTyping, agentOnline } = state;
  for (const e of events) {
    if (e.conversation_id !== conversation.id) continue;
    if (e.type === "message_created" && e.actor.kind === "agent") agentTyping = null;
    if (e.type === "agent_joined" || e.type === "agent_left") agentOnline = true;
    if (e.type === "conversation_ended") agentTyping = null;
  }
  if (transcript === state.transcript && conversation === state.conversation &&
      agentTyping === state.agentTyping && agentOnline === state.agentOnline) return state;
  return { ...state, transcript, conversation, agentTyping, agentOnline };
}

function forCurrent(state: WidgetState, conversationId: string): boolean {
  return state.conversation?.id === conversationId;
}

function mapTranscript(state: WidgetState, f: (t: Transcript) => Transcript): WidgetState {
  if (!state.transcript) return state;
  const transcript = f(state.transcript);
  return transcript === state.transcript ? state : { ...state, transcript };
}

export function reduce(state: WidgetState, action: Action): WidgetState {
  switch (action.type) {
    case "session": {
      const { session } = action;
      let next: WidgetState = { ...state, ready: true, unavailable: false, site: session.site,
                                availability: session.availability,
                                emailReplies: session.email_replies };
      if (session.conversation) next = adopt(next, session.conversation);
      return next;
    }
    case "unavailable":
      return { ...state, unavailable: true, open: false };
    case "restored": {
      let next = adopt(state, action.conversation);
      next = withEvents(next, action.events);
      for (const p of action.pending) next = mapTranscript(next, (t) => addPending(t, p));
      return next;
    }
    case "resumed":
      return withEvents(adopt(state, action.conversation), action.events);
    case "conversation":
      if (state.conversation && state.conversation.id !== action.conversation.id &&
          state.conversation.status !== "ended") {
        // Another open conversation replaces ours only once ours is over.
        return state;
      }
      return adopt(state, action.conversation);
    case "event":
      if (!forCurrent(state, action.event.conversation_id)) return state;
      return withEvents(state, [action.event]);
    case "queue":
      if (!state.conversation || !forCurrent(state, action.conversationId)) return state;
      return { ...state, conversation: applyQueue(state.conversation, action.queue) };
    case "availability":
      return { ...state, availability: action.availability, site: action.site ?? state.site };
    case "typing":
      if (!forCurrent(state, action.conversationId)) return state;
      return { ...state, agentTyping: action.typing ? { name: action.name } : null };
    case "presence":
      if (!forCurrent(state, action.conversationId)) return state;
      return { ...state, agentOnline: action.online,
               agentTyping: action.online ? state.agentTyping : null };
    case "connection":
      return state.connection === action.connection ? state
        : { ...state, connection: action.connection };
    case "open":
      return state.open || state.unavailable ? state
        : { ...state, open: true, openedByShopper: action.byShopper === true };
    case "close":
      return state.open ? { ...state, open: false } : state;
    case "send":
      return { ...mapTranscript(state, (t) => addPending(t, {
        clientId: action.clientId, text: action.text, at: action.at,
        status: action.status ?? "queued",
      })), problem: null };
    case "delivery":
      return mapTranscript(state, (t) => setPendingStatus(t, action.clientId, action.status));
    case "acked":
      return mapTranscript(state, (t) => ackPending(t, action.clientId, action.seq));
    case "read":
      return action.upToSeq > state.readSeq ? { ...state, readSeq: action.upToSeq } : state;
    case "starting":
      return { ...state, starting: true, problem: null };
    case "start_failed":
      return { ...state, starting: false, problem: action.problem };
    case "problem":
      return state.problem === action.problem ? state : { ...state, problem: action.problem };
    case "rated":
      if (!state.conversation || !forCurrent(state, action.conversationId)) return state;
      return { ...state, conversation: { ...state.conversation, rating: action.rating } };
    case "identity":
      return { ...state, identity: { name: action.name ?? state.identity.name,
                                     email: action.email ?? state.identity.email } };
    case "forget":
      if (!forCurrent(state, action.conversationId)) return state;
      return { ...state, conversation: null, transcript: null, agentTyping: null,
               agentOnline: true, readSeq: 0, starting: false };
    case "reset":
      if (state.conversation && state.conversation.status !== "ended") return state;
      return { ...state, conversation: null, transcript: null, agentTyping: null,
               agentOnline: true, readSeq: 0, starting: false, problem: null };
  }
}

/** Agent messages the shopper has not seen. */
export function unread(state: WidgetState): number {
  return state.transcript ? unreadCount(state.transcript, state.readSeq) : 0;
}

/** The seq to report in `mark_read` when the shopper is looking, or null when nothing new. */
export function readTarget(state: WidgetState): number | null {
  if (!state.transcript || unread(state) === 0) return null;
  return lastAgentMessageSeq(state.transcript);
}

/** An agent took part in the conversation on screen (it is theirs, or one answered before it
 * went back to the queue): only then is there a chat to rate, or a live answer to speak of. */
export function agentTookPart(state: WidgetState): boolean {
  const conv = state.conversation;
  if (!conv) return false;
  if (conv.agent) return true;
  const t = state.transcript;
  return t !== null && t.conversationId === conv.id && agentAnswered(t);
}
