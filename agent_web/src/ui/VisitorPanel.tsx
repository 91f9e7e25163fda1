// Who the visitor is: contact, the page they are on, the store's context (cart etc.), the pages
// they visited and their earlier conversations (each opens read-only).
import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import type { ConversationSummary, VisitorDetails } from "../protocol.gen";
import { formatWhen } from "../state/time";
import { Avatar } from "./Avatar";
import { useController, useTopicLabel } from "./hooks";
import { IconClose, IconHistory } from "./Icons";

function contextValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** "cart_value" → "Cart value". */
function contextLabel(key: string): string {
  const words = key.replace(/[_-]+/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").trim();
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

function Stars({ rating }: { rating: number }): JSX.Element {
  return <span class="stars" aria-label={`Rated ${rating} of 5`}>{"★".repeat(rating)}<span class="stars-off">{"★".repeat(5 - rating)}</span></span>;
}

function Previous({ items, currentId }: { items: ConversationSummary[]; currentId: string }): JSX.Element {
  const topic = useTopicLabel();
  const c = useController();
  const earlier = items.filter((i) => i.id !== currentId);
  if (earlier.length === 0) return <p class="empty-small">No earlier conversations.</p>;
  return (
    <ul class="history-list">
      {earlier.map((h) => (
        <li key={h.id}>
          <button type="button" class="history-item" onClick={() => void c.actions.openHistory(h.id)}
            aria-label={`Open the ${h.status} conversation of ${formatWhen(h.created_at)} (read-only)`}>
            <span class="history-top">
              <span class={`status-chip st-${h.status}`}>{h.status}</span>
              <span class="muted">{formatWhen(h.created_at)}</span>
              {h.rating ? <Stars rating={h.rating} /> : null}
            </span>
            <span class="history-topic"><IconHistory size={13} /> {topic(h)} · {h.team}</span>
            {h.last_message ? <span class="history-msg">{h.last_message}</span> : null}
          </button>
        </li>
      ))}
    </ul>
  );
}

export function VisitorPanel({ visitorId, currentId, details, fallbackName, online, onClose }: {
  visitorId: string; currentId: string; details: VisitorDetails | undefined; fallbackName: string;
  online: boolean | null; onClose: () => void;
}): JSX.Element {
  const c = useController();
  useEffect(() => {
    if (!details) void c.actions.loadVisitor(visitorId);
  }, [visitorId]);
  const v = details?.visitor;
  const name = v?.name || fallbackName;
  const pages = [...(v?.pages_visited ?? [])].reverse();
  const context = Object.entries(v?.context ?? {});
  return (
    <aside class="visitor-panel" aria-label="Visitor details" data-testid="visitor-panel">
      <div class="visitor-head">
        <Avatar name={name} size={44} />
        <div class="visitor-id">
          <div class="visitor-name">{name}</div>
          {v?.email ? <a class="visitor-email" href={`mailto:${v.email}`}>{v.email}</a> : <span class="muted">No email given</span>}
          {online === null ? null : (
            <div class={`presence ${online ? "presence-on" : "presence-off"}`}>{online ? "On the site" : "Disconnected"}</div>
          )}
        </div>
        <button type="button" class="icon-btn panel-close" onClick={onClose} aria-label="Hide visitor details"><IconClose size={16} /></button>
      </div>
      {!details ? <p class="empty-small">Loading visitor…</p> : null}
      <section class="vsec">
        <h3>Current page</h3>
        {v?.current_page ? (
          <div class="current-page" data-testid="current-page">
            <div class="page-title">{v.current_page.title || v.current_page.url}</div>
            {/^https?:\/\//i.test(v.current_page.url)
              ? <a href={v.current_page.url} target="_blank" rel="noopener noreferrer" class="page-url">{v.current_page.url}</a>
              : <span class="page-url">{v.current_page.url}</span>}
          </div>
        ) : <p class="empty-small">Not known yet.</p>}
      </section>
      <section class="vsec">
        <h3>Store context</h3>
        {context.length ? (
          <dl class="kv" data-testid="visitor-context">
            {context.map(([k, val]) => <div class="kv-row" key={k}><dt>{contextLabel(k)}</dt><dd>{contextValue(val)}</dd></div>)}
          </dl>
        ) : <p class="empty-small">The store has shared nothing.</p>}
      </section>
      <section class="vsec">
        <h3>Pages visited <span class="count-pill">{pages.length}</span></h3>
        {pages.length ? (
          <ol class="pages" data-testid="pages-visited">
            {pages.slice(0, 20).map((p) => (
              <li key={`${p.at}-${p.url}`}>
                <time>{formatWhen(p.at)}</time>
                <span class="page-line" title={p.url}>{p.title || p.url}</span>
              </li>
            ))}
          </ol>
        ) : <p class="empty-small">None recorded.</p>}
      </section>
      <section class="vsec">
        <h3>Previous conversations</h3>
        {details ? <Previous items={details.conversations} currentId={currentId} /> : null}
      </section>
    </aside>
  );
}
