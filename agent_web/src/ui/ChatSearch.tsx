// Finding a chat again: the shopper's name or email address, words written in it, or its id.
// The server returns what the agent may read whole (theirs, their teams' messages left; a
// supervisor's: all); a result opens as a tab, read-only unless it is still theirs to answer.
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

type Found = { text: string; conversations: ConversationSummary[] } | null;

export function ChatSearch(): JSX.Element {
  const c = useController();
  const topic = useTopicLabel();
  const [text, setText] = useState("");
  const [found, setFound] = useState<Found>(null);
  const asked = useRef(0);
  const query = text.trim();
  useEffect(() => {
    if (query.length < 2) {
      asked.current++;  // an answer still on its way is not shown
      setFound(null);
      return;
    }
    const t = setTimeout(() => {
      const mine = ++asked.current;
      void c.actions.searchConversations(query).then((conversations) => {
        if (mine === asked.current && conversations) setFound({ text: query, conversations });
      });
    }, PAUSE_MS);
    return () => clearTimeout(t);
  }, [query]);
  const open = (line: ConversationSummary): void => {
    void (line.status === "offline" ? c.actions.openOffline(line.id) : c.actions.openHistory(line.id));
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
              : `${found.conversations.length}${found.conversations.length === SEARCH_LIMIT ? "+" : ""} found`}
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
