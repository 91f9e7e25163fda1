// Finding a chat again: the shopper's name or email address, words written in it, or its id.
// The server returns what the agent may read whole (theirs, their teams' messages left; a
// supervisor's: all). A result opens as a tab: a message left to answer; a chat of theirs
// under way where it is; one under way that a supervisor found, watched live; the others
// read-only.
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { SEARCH_LIMIT } from "../console/actions";
import type { ConversationSummary } from "../protocol.gen";
import { shopperName } from "../state/conversation";
import { formatWhen } from "../state/time";
import { Avatar } from "./Avatar";
import { useController, useTopicLabel } from "./hooks";

/** Results wait until typing pauses this long. */
const PAUSE_MS = 250;

type Found = { text: string; conversations: ConversationSummary[]; more: boolean } | null;

export function ChatSearch(): JSX.Element {
  const c = useController();
  const topic = useTopicLabel();
  const [text, setText] = useState("");
  const [found, setFound] = useState<Found>(null);
  const asked = useRef(0);
  const query = text.trim();
  useEffect(() => {
    // Whatever is on its way for the words before is not shown under these.
    const mine = ++asked.current;
    setFound(null);
    if (query.length < 2) return undefined;
    const t = setTimeout(() => {
      // One more than shown, to say whether there are more.
      void c.actions.searchConversations(query, SEARCH_LIMIT + 1).then((conversations) => {
        if (mine !== asked.current || !conversations) return;  // (a failure is told apart)
        setFound({ text: query, conversations: conversations.slice(0, SEARCH_LIMIT),
                   more: conversations.length > SEARCH_LIMIT });
      });
    }, PAUSE_MS);
    return () => clearTimeout(t);
  }, [query]);
  const open = (line: ConversationSummary): void => {
    const tab = c.state.convs[line.id];
    if (line.status === "offline") void c.actions.openOffline(line.id);
    else if (tab) c.dispatch({ type: "tab_focus", id: line.id });
    else if (line.status !== "ended" && (c.state.me?.role === "supervisor" || c.state.me?.role === "admin")) {
      void c.actions.observe(line.id);
    } else void c.actions.openHistory(line.id);
  };
  return (
    <section class="chat-search" role="search" aria-label="Search chats">
      <input type="search" value={text} placeholder="Search chats: name, email, words"
        aria-label="Search chats by the shopper's name or email, or words written"
        maxLength={100} onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => { if (e.key === "Escape" && text) { e.preventDefault(); setText(""); } }} />
      {found && query.length >= 2 ? (
        <div class="chat-search-results">
          <p class="muted small" role="status">
            {found.conversations.length === 0 ? `No chats found for “${found.text}”.`
              : `${found.conversations.length}${found.more ? "+" : ""} found`}
          </p>
          {found.conversations.length ? (
            <ul class="mychats-list" aria-label="Chats found">
              {found.conversations.map((line) => (
                <li key={line.id}>
                  <button type="button" class="mychat" data-conversation={line.id} onClick={() => open(line)}>
                    <Avatar name={shopperName(line)} size={32} />
                    <span class="mychat-main">
                      <span class="mychat-top">
                        <span class="mychat-name">{shopperName(line)}</span>
                        <time class="muted">{formatWhen(line.created_at)}</time>
                      </span>
                      <span class="mychat-line">
                        <span class="mychat-text">{line.last_message ?? topic(line)}</span>
                        <span class={`status-chip st-${line.status}`}>{line.status}</span>
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
