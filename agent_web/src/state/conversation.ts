// One conversation as a console tab holds it: the server's state, the log so far, messages on
// their way, and what is live (typing, the visitor's connection). Pure functions only.
import type { Conversation, LogEvent, PresenceChanged, TypingChanged } from "../protocol.gen";
import { advanceConversation, highestSeq, lastContentSeq, mergeEvents, unreadCount } from "./log";
import type { PendingMessage } from "./transcript";

/** How the tab was opened: the agent's own chat, a supervisor watching, or a past one. */
export type TabMode = "live" | "observing" | "history";

export interface ConvState {
  conversation: Conversation;
  events: LogEvent[];
  pending: PendingMessage[];
  /** The newest seq the agent has had in front of them. */
  seenSeq: number;
  visitorTyping: boolean;
  /** Another agent (a supervisor who joined) typing, by name. */
  agentTyping: string | null;
  visitorOnline: boolean | null;
  mode: TabMode;
  /** The whole log has been fetched at least once. */
  loaded: boolean;
  /** Where the agent had scrolled back to when they left the tab for another (null: at the
   * end), to take them back to the same line. */
  reading?: ReadingPlace | null;
}

/** A line of the transcript (its key), how far below the top of the box it was, and the last
 * line the agent had seen (for "New messages below"). */
export interface ReadingPlace {
  key: string;
  offset: number;
  seenKey: string | null;
}

export function newConv(conversation: Conversation, mode: TabMode = "live"): ConvState {
  return {
    conversation, events: [], pending: [], seenSeq: conversation.agent_read_seq,
    visitorTyping: false, agentTyping: null, visitorOnline: null, mode, loaded: false,
  };
}

/** What the agent can do in a conversation. */
export type Role = "assignee" | "supervisor" | "observer" | "offline-team" | "readonly";

export function roleIn(state: ConvState, meId: string, isSupervisor: boolean): Role {
  const c = state.conversation;
  if (state.mode === "history" || c.status === "ended") return "readonly";
  if (c.status === "offline") return "offline-team";
  if (c.status === "active" && c.agent_id === meId) return "assignee";
  const part = c.participants.find((p) => p.agent_id === meId);
  if (c.status === "active" && part?.role === "supervisor") return "supervisor";
  if (part?.role === "observer" || (state.mode === "observing" && isSupervisor)) return "observer";
  return "readonly";
}

export function canWrite(role: Role): boolean {
  return role === "assignee" || role === "supervisor" || role === "offline-team";
}

/** Reads by this agent move the conversation's read mark (observers' do not). */
export function readsCount(role: Role): boolean {
  return role === "assignee" || role === "supervisor" || role === "offline-team";
}

export function withEvents(state: ConvState, events: readonly LogEvent[]): ConvState {
  const mine = events.filter((e) => e.conversation_id === state.conversation.id);
  const merged = mergeEvents(state.events, mine);
  const conversation = advanceConversation(state.conversation, mine);
  if (merged === state.events && conversation === state.conversation) return state;
  let { visitorTyping, agentTyping } = state;
  // A message ends its author's typing.
  for (const e of mine) {
    if (e.type !== "message_created") continue;
    if (e.actor.kind === "visitor") visitorTyping = false;
    else if (e.actor.name === agentTyping) agentTyping = null;
  }
  return { ...state, events: merged, conversation, visitorTyping, agentTyping };
}

/** A newer state from the server (`conversation_updated`, a resume or an ack). */
export function withConversation(state: ConvState, conversation: Conversation): ConvState {
  const held = state.conversation;
  if (conversation.last_seq < held.last_seq && conversation.status === held.status) {
    // An older snapshot than what the log has told us: keep our read marks and seq.
    return { ...state, conversation: { ...conversation, last_seq: held.last_seq,
      visitor_read_seq: held.visitor_read_seq, agent_read_seq: held.agent_read_seq } };
  }
  return { ...state, conversation: {
    ...conversation,
    last_seq: Math.max(conversation.last_seq, held.last_seq),
    visitor_read_seq: Math.max(conversation.visitor_read_seq, held.visitor_read_seq),
    agent_read_seq: Math.max(conversation.agent_read_seq, held.agent_read_seq),
  } };
}

export function withTyping(state: ConvState, t: TypingChanged, myName: string): ConvState {
  if (t.side === "visitor") return state.visitorTyping === t.typing ? state : { ...state, visitorTyping: t.typing };
  if (t.name === myName) return state; // our own other tab
  const agentTyping = t.typing ? (t.name ?? "An agent") : null;
  return agentTyping === state.agentTyping ? state : { ...state, agentTyping };
}

export function withPresence(state: ConvState, p: PresenceChanged): ConvState {
  if (p.side !== "visitor") return state;
  return { ...state, visitorOnline: p.online, visitorTyping: p.online ? state.visitorTyping : false };
}

export function withPending(state: ConvState, pending: PendingMessage): ConvState {
  return { ...state, pending: [...state.pending.filter((p) => p.clientId !== pending.clientId), pending] };
}

export function pendingDone(state: ConvState, clientId: string): ConvState {
  return { ...state, pending: state.pending.filter((p) => p.clientId !== clientId) };
}

export function pendingFailed(state: ConvState, clientId: string): ConvState {
  return { ...state, pending: state.pending.map((p) => (p.clientId === clientId ? { ...p, state: "failed" } : p)) };
}

/** Everything up to the newest event is in front of the agent now. */
export function seen(state: ConvState): ConvState {
  const top = highestSeq(state.events);
  return top > state.seenSeq ? { ...state, seenSeq: top } : state;
}

export function unread(state: ConvState, meId: string): number {
  return unreadCount(state.events, state.seenSeq, meId);
}

/** The seq to send in `mark_read`, or null when the server already has it. */
export function readMarkToSend(state: ConvState): number | null {
  const seq = Math.min(lastContentSeq(state.events), state.seenSeq);
  return seq > state.conversation.agent_read_seq ? seq : null;
}

/** Who the visitor is, for tab titles and cards. */
export function visitorLabel(conversation: Conversation, visitorName?: string | null): string {
  return visitorName || conversation.fields.name || conversation.fields.email
    || anonymousName(conversation.visitor_id);
}

/** A name for a shopper who gave none: "Visitor 4821", the same for the same visitor in every
 * list (chats, queue, offers, dashboard, inbox, recordings), so that two anonymous shoppers
 * can be told apart. From the visitor's id, which is random: nothing about them. */
export function anonymousName(visitorId: string): string {
  let hash = 2166136261;  // FNV-1a
  for (let i = 0; i < visitorId.length; i++) {
    hash = Math.imul(hash ^ visitorId.charCodeAt(i), 16777619) >>> 0;
  }
  return `Visitor ${1000 + (hash % 9000)}`;
}

/** A list line's shopper: the name they gave, else their anonymous name. */
export function shopperName(line: { visitor_name?: string | null; visitor_id: string }): string {
  return line.visitor_name || anonymousName(line.visitor_id);
}

/** The live chats this agent is serving (theirs to finish or hand back before going off). */
export function servingNow(convs: Readonly<Record<string, ConvState>>, meId: string): Conversation[] {
  return Object.values(convs)
    .filter((s) => s.mode !== "history" && s.conversation.status === "active"
      && s.conversation.agent_id === meId)
    .map((s) => s.conversation);
}
