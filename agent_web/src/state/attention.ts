// What asks for the agent's attention: the window title ("(1) New chat — Aisle") and whether a
// new message should chime and count as unread.

export const APP_TITLE = "Aisle";

export function titleFor(offers: number, unread: number): string {
  const count = offers + unread;
  if (count === 0) return `Agent console — ${APP_TITLE}`;
  return `(${count}) ${offers > 0 ? "New chat" : "New message"} — ${APP_TITLE}`;
}

export interface FocusState {
  /** The page is visible and the window has focus. */
  pageActive: boolean;
  /** The conversations view is open (not the dashboard, profile…). */
  inboxOpen: boolean;
  activeTab: string | null;
}

/** The agent is looking at this conversation right now (so its messages are read). */
export function isWatching(focus: FocusState, conversationId: string): boolean {
  return focus.pageActive && focus.inboxOpen && focus.activeTab === conversationId;
}
