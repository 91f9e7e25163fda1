// The console's whole state and the one reducer that changes it. Server events and the agent's
// actions become `Action`s; components read the state and never change it directly.
import type {
  AgentInfo, AgentList, CannedResponse, Conversation, ConversationSummary, Dashboard, LogEvent,
  PresenceChanged, TopicList, TypingChanged, VisitorDetails, VisitorProfile,
} from "../protocol.gen";
import {
  type ConvState, type ReadingPlace, type Role, type TabMode, newConv, pendingDone, pendingFailed, roleIn, seen, unread,
  withConversation, withEvents, withPending, withPresence, withTyping,
} from "./conversation";
import { type Offer, removeOffer, upsertOffer, withOfferSummary } from "./offers";
import { type Queues, queuesFromSnapshot, withTeam } from "./queue";
import type { PendingMessage } from "./transcript";

export type Connection = "connecting" | "connected" | "reconnecting" | "disconnected";
export type View = "inbox" | "offline" | "supervisor" | "canned" | "profile";

export interface Notice {
  id: number;
  tone: "error" | "info";
  text: string;
}

/** A line for screen readers about something out of sight (a message in a background chat). */
export interface Announcement {
  id: number;
  text: string;
}

export interface AppState {
  me: AgentInfo | null;
  connection: Connection;
  view: View;
  tabs: string[];
  activeTab: string | null;
  convs: Record<string, ConvState>;
  offers: Offer[];
  queues: Queues;
  visitors: Record<string, VisitorDetails>;
  canned: CannedResponse[];
  colleagues: AgentList | null;
  dashboard: Dashboard | null;
  offline: ConversationSummary[];
  notices: Notice[];
  /** The newest few; a polite live region reads each once as it is added. */
  announcements: Announcement[];
  pageActive: boolean;
  /** Topic labels by `site id/topic id` (conversations name their topic by id). */
  topics: Record<string, string>;
  /** An agent (not a reviewer) has recordings of their own to replay: their store lets agents
   * review their own conversations (`agents_review_own`). */
  ownRecordings: boolean;
}

export const initialState: AppState = {
  me: null, connection: "connecting", view: "inbox", tabs: [], activeTab: null, convs: {},
  offers: [], queues: {}, visitors: {}, canned: [], colleagues: null, dashboard: null,
  offline: [], notices: [], announcements: [], pageActive: true, topics: {},
  ownRecordings: false,
};

export type Action =
  | { type: "signed_in"; me: AgentInfo }
  | { type: "signed_out" }
  | { type: "me"; me: AgentInfo }
  | { type: "own_recordings"; any: boolean }
  | { type: "connection"; connection: Connection }
  | { type: "view"; view: View }
  | { type: "page_active"; active: boolean }
  | { type: "tab_open"; conversation: Conversation; mode: TabMode; focus: boolean }
  | { type: "tab_focus"; id: string }
  | { type: "tab_restore"; remembered: string | null }
  | { type: "tab_close"; id: string }
  | { type: "log"; conversation?: Conversation; id: string; events: LogEvent[]; complete?: boolean }
  | { type: "conversation"; conversation: Conversation }
  | { type: "typing"; typing: TypingChanged }
  | { type: "presence"; presence: PresenceChanged }
  | { type: "pending"; id: string; pending: PendingMessage }
  | { type: "pending_done"; id: string; clientId: string }
  | { type: "pending_failed"; id: string; clientId: string }
  | { type: "seen"; id: string }
  | { type: "reading"; id: string; place: ReadingPlace | null }
  | { type: "offer"; offer: Offer }
  | { type: "offer_gone"; id: string }
  | { type: "offer_summary"; summary: ConversationSummary }
  | { type: "offers"; offers: Offer[] }
  | { type: "queue_snapshot"; conversations: ConversationSummary[] }
  | { type: "queue_team"; team: string; waiting: ConversationSummary[] }
  | { type: "visitor_details"; details: VisitorDetails }
  | { type: "visitor_profile"; visitor: VisitorProfile }
  | { type: "canned"; canned: CannedResponse[] }
  | { type: "canned_saved"; canned: CannedResponse }
  | { type: "canned_deleted"; id: string }
  | { type: "colleagues"; colleagues: AgentList }
  | { type: "topics"; topics: TopicList }
  | { type: "dashboard"; dashboard: Dashboard }
  | { type: "offline"; conversations: ConversationSummary[] }
  | { type: "notice"; notice: Notice }
  | { type: "notice_dismiss"; id: number }
  | { type: "announce"; announcement: Announcement };

function updateConv(state: AppState, id: string, fn: (c: ConvState) => ConvState): AppState {
  const conv = state.convs[id];
  if (!conv) return state;
  const next = fn(conv);
  return next === conv ? state : { ...state, convs: { ...state.convs, [id]: next } };
}

export function reduce(state: AppState, action: Action): AppState {
  switch (action.type) {
    case "signed_in":
      return { ...initialState, me: action.me, pageActive: state.pageActive };
    case "signed_out":
      return { ...initialState, pageActive: state.pageActive };
    case "me":
      return { ...state, me: action.me };
    case "own_recordings":
      return state.ownRecordings === action.any ? state : { ...state, ownRecordings: action.any };
    case "connection": {
      if (state.connection === action.connection) return state;
      if (action.connection === "connected") return { ...state, connection: action.connection };
      // Offline, the console cannot know whether shoppers are still there: it says nothing
      // rather than "Visitor online" (each resume after reconnecting tells it again).
      const convs = Object.fromEntries(Object.entries(state.convs).map(([id, conv]) => [id,
        conv.visitorOnline === null ? conv : { ...conv, visitorOnline: null, visitorTyping: false }]));
      return { ...state, connection: action.connection, convs };
    }
    case "view":
      return { ...state, view: action.view };
    case "page_active":
      return state.pageActive === action.active ? state : { ...state, pageActive: action.active };
    case "tab_open": {
      const id = action.conversation.id;
      const held = state.convs[id];
      const conv = held
        ? { ...withConversation(held, action.conversation), mode: action.mode === "history" ? held.mode : action.mode }
        : newConv(action.conversation, action.mode);
      return {
        ...state,
        convs: { ...state.convs, [id]: conv },
        tabs: state.tabs.includes(id) ? state.tabs : [...state.tabs, id],
        // Opened without focus (listed at connect, adopted): `tab_restore` picks the front one
        // once they are all there, not whichever happened to come first.
        activeTab: action.focus ? id : state.activeTab,
        view: action.focus ? "inbox" : state.view,
      };
    }
    case "tab_focus":
      return state.tabs.includes(action.id) ? { ...state, activeTab: action.id, view: "inbox" } : state;
    case "tab_restore": {
      if (state.activeTab !== null && state.tabs.includes(state.activeTab)) return state;
      const remembered = action.remembered !== null && state.tabs.includes(action.remembered) ? action.remembered : null;
      const activeTab = remembered ?? preferredTab(state);
      return activeTab === state.activeTab ? state : { ...state, activeTab };
    }
    case "tab_close": {
      const i = state.tabs.indexOf(action.id);
      if (i < 0) return state;
      const tabs = state.tabs.filter((t) => t !== action.id);
      const convs = { ...state.convs };
      delete convs[action.id];
      const activeTab = state.activeTab === action.id ? (tabs[Math.min(i, tabs.length - 1)] ?? null) : state.activeTab;
      return { ...state, tabs, convs, activeTab };
    }
    case "log":
      return updateConv(state, action.id, (c) => {
        let next = action.conversation ? withConversation(c, action.conversation) : c;
        next = withEvents(next, action.events);
        return action.complete && !next.loaded ? { ...next, loaded: true } : next;
      });
    case "conversation":
      return updateConv(state, action.conversation.id, (c) => withConversation(c, action.conversation));
    case "reading":
      return updateConv(state, action.id, (c) => ({ ...c, reading: action.place }));
    case "typing":
      return updateConv(state, action.typing.conversation_id,
        (c) => withTyping(c, action.typing, state.me?.display_name ?? ""));
    case "presence":
      return updateConv(state, action.presence.conversation_id, (c) => withPresence(c, action.presence));
    case "pending":
      return updateConv(state, action.id, (c) => withPending(c, action.pending));
    case "pending_done":
      return updateConv(state, action.id, (c) => pendingDone(c, action.clientId));
    case "pending_failed":
      return updateConv(state, action.id, (c) => pendingFailed(c, action.clientId));
    case "seen":
      return updateConv(state, action.id, seen);
    case "offer":
      return { ...state, offers: upsertOffer(state.offers, action.offer) };
    case "offer_summary": {
      const offers = withOfferSummary(state.offers, action.summary);
      return offers === state.offers ? state : { ...state, offers };
    }
    case "offer_gone": {
      const offers = removeOffer(state.offers, action.id);
      return offers === state.offers ? state : { ...state, offers };
    }
    case "offers":
      return { ...state, offers: action.offers };
    case "queue_snapshot":
      return { ...state, queues: queuesFromSnapshot(action.conversations) };
    case "queue_team":
      return { ...state, queues: withTeam(state.queues, action.team, action.waiting) };
    case "visitor_details":
      return { ...state, visitors: { ...state.visitors, [action.details.visitor.id]: action.details } };
    case "visitor_profile": {
      const held = state.visitors[action.visitor.id];
      const details = { visitor: action.visitor, conversations: held?.conversations ?? [],
                        online: held?.online ?? false };
      return { ...state, visitors: { ...state.visitors, [action.visitor.id]: details } };
    }
    case "canned":
      return { ...state, canned: action.canned };
    case "canned_saved":
      return { ...state, canned: [...state.canned.filter((c) => c.id !== action.canned.id), action.canned]
        .sort((a, b) => a.shortcut.localeCompare(b.shortcut)) };
    case "canned_deleted":
      return { ...state, canned: state.canned.filter((c) => c.id !== action.id) };
    case "colleagues":
      return { ...state, colleagues: action.colleagues };
    case "topics":
      return { ...state, topics: Object.fromEntries(action.topics.topics.map((t) => [`${t.site_id}/${t.id}`, t.label])) };
    case "dashboard":
      return { ...state, dashboard: action.dashboard };
    case "offline":
      return { ...state, offline: action.conversations };
    case "notice":
      return { ...state, notices: [...state.notices.slice(-3), action.notice] };
    case "notice_dismiss":
      return { ...state, notices: state.notices.filter((n) => n.id !== action.id) };
    case "announce":
      return { ...state, announcements: [...state.announcements.slice(-2), action.announcement] };
  }
}

// Which open conversation to put in front when nothing says which: the agent's own live chats,
// then ones they joined, then messages left, then what they only watch or read.
const FRONT_ORDER: readonly Role[] = ["assignee", "supervisor", "offline-team", "observer", "readonly"];

/** When the conversation last moved, as far as the tab knows (its log may not be loaded). */
function lastActivity(c: ConvState): number {
  const conv = c.conversation;
  return Math.max(c.events[c.events.length - 1]?.ts ?? 0, conv.created_at, conv.queued_at ?? 0,
                  conv.assigned_at ?? 0, conv.ended_at ?? 0);
}

/** The tab to put in front: by the agent's role in it (FRONT_ORDER), then most recent first. */
export function preferredTab(state: AppState): string | null {
  const me = state.me;
  if (!me) return state.tabs[0] ?? null;
  const rank = (c: ConvState): number => FRONT_ORDER.indexOf(roleIn(c, me.id, isSupervisor(me)));
  let best: { id: string; rank: number; at: number } | null = null;
  for (const id of state.tabs) {
    const c = state.convs[id];
    if (!c) continue;
    const candidate = { id, rank: rank(c), at: lastActivity(c) };
    if (!best || candidate.rank < best.rank || (candidate.rank === best.rank && candidate.at > best.at)) {
      best = candidate;
    }
  }
  return best?.id ?? null;
}

/** Unread messages per tab, and in all. */
export function unreadByTab(state: AppState): Record<string, number> {
  const out: Record<string, number> = {};
  if (!state.me) return out;
  for (const id of state.tabs) {
    const c = state.convs[id];
    if (c) out[id] = unread(c, state.me.id);
  }
  return out;
}

export function totalUnread(state: AppState): number {
  return Object.values(unreadByTab(state)).reduce((a, b) => a + b, 0);
}

/** Offline messages nobody holds: waiting for someone of the team to take them. */
export function unansweredOffline(state: AppState): number {
  return state.offline.filter((c) => c.status === "offline" && c.agent_id === null).length;
}

export function isSupervisor(me: AgentInfo | null): boolean {
  return me?.role === "supervisor" || me?.role === "admin";
}

/** The chats an agent is in now (their own and those they joined), not the tabs kept open of
 * ended ones, messages read from history, or conversations only observed. */
export function openChatCount(state: AppState): number {
  return state.tabs.filter((id) => {
    const conv = state.convs[id];
    return conv !== undefined && conv.mode === "live" && conv.conversation.status !== "ended";
  }).length;
}

/** Reviewers replay, annotate and score recordings (the review player at /review/). */
export function isReviewer(me: AgentInfo | null): boolean {
  return isSupervisor(me) || me?.role === "trainer";
}

/** What a conversation is about, as the shopper picked it: the topic's label, else its id. */
export function topicLabel(topics: Record<string, string>, c: { site_id: string; topic: string }): string {
  return topics[`${c.site_id}/${c.topic}`] ?? c.topic;
}
