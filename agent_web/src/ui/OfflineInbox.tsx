// Messages left while nobody could answer: open one to read and reply (which makes it yours),
// or close it.
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { ConversationSummary } from "../protocol.gen";
import { shopperName } from "../state/conversation";
import { offlineStatus } from "../state/offline";
import { formatWhen } from "../state/time";
import { Avatar } from "./Avatar";
import { useController, useTopicLabel } from "./hooks";
import { IconInbox, IconRefresh } from "./Icons";

type Filter = "open" | "all";

export function OfflineInbox({ items, meId }: { items: ConversationSummary[]; meId: string }): JSX.Element {
  const topic = useTopicLabel();
  const c = useController();
  const [filter, setFilter] = useState<Filter>("open");
  const [busy, setBusy] = useState(false);
  const refresh = async (): Promise<void> => {
    setBusy(true);
    await c.actions.loadOffline();
    setBusy(false);
  };
  useEffect(() => {
    void refresh();
    // Nothing announces new offline messages to agents: look again while the view is open.
    const t = setInterval(() => void c.actions.loadOffline(), 20_000);
    return () => clearInterval(t);
  }, []);
  const shown = items.filter((i) => filter === "all" || i.status === "offline");
  return (
    <div class="page">
      <div class="page-head">
        <div>
          <h1>Offline messages</h1>
          <p class="muted">Left by visitors when no one in their team was available. Replying assigns the message to you.</p>
        </div>
        <div class="page-actions">
          <div class="segmented small" role="group" aria-label="Show">
            <button type="button" class={filter === "open" ? "active" : ""} aria-pressed={filter === "open"} onClick={() => setFilter("open")}>Open</button>
            <button type="button" class={filter === "all" ? "active" : ""} aria-pressed={filter === "all"} onClick={() => setFilter("all")}>All</button>
          </div>
          <button type="button" class="btn btn-ghost" onClick={() => void refresh()} disabled={busy}><IconRefresh size={15} /> Refresh</button>
        </div>
      </div>
      {shown.length === 0 ? (
        <div class="empty">
          <div class="empty-icon"><IconInbox size={34} /></div>
          <h2>Inbox zero</h2>
          <p class="muted">No offline messages waiting for an answer.</p>
        </div>
      ) : (
        <ul class="card-list" aria-label="Offline messages">
          {shown.map((m) => {
            const status = offlineStatus(m, meId);
            return (
              <li key={m.id}>
                <button type="button" class="inbox-row" data-conversation={m.id} onClick={() => void c.actions.openOffline(m.id)}>
                  <Avatar name={shopperName(m)} size={36} />
                  <span class="inbox-row-main">
                    <span class="inbox-row-top">
                      <strong>{shopperName(m)}</strong>
                      <span class="chip">{m.team}</span>
                      <span class="muted">{topic(m)}</span>
                    </span>
                    <span class="inbox-row-msg">{m.last_message ?? "(no message)"}</span>
                  </span>
                  <span class="inbox-row-side">
                    <span class="muted">{formatWhen(m.created_at)}</span>
                    <span class={`status-chip ${status.tone}`} title={status.title}>{status.text}</span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
