// What asks for the agent's attention: the window title ("(1) New chat — Aisle"), whether a
// new message should chime and count as unread, and what a screen reader is told of messages in
// chats out of sight.

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

/** How much of a message a background announcement quotes. */
const QUOTE_CHARS = 80;

/** The start of a message, cut at a word where one ends near the limit. */
export function quoteStart(text: string, max = QUOTE_CHARS): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** What a screen reader hears of a shopper's message in a chat that is not in front (the front
 * chat's transcript is a live log of its own): null for the front chat. `inFront` is the
 * conversation shown in the conversations view, null when another view is open. */
export function backgroundMessage(conversationId: string, inFront: string | null, visitorName: string,
                                  text: string): string | null {
  if (conversationId === inFront) return null;
  const where = inFront ? " (another chat)" : "";
  return `New message from ${visitorName}${where}: ${quoteStart(text)}`;
}
