// Who is waiting in the agent's teams, with waiting times that tick; a chat waiting (not on
// offer) can be taken from the line.
import type { JSX } from "preact";
import type { ConversationSummary } from "../protocol.gen";
import { servingNow, shopperName } from "../state/conversation";
import { formatDuration, waitedSeconds } from "../state/time";
import { useController, useServerNow, useTopicLabel } from "./hooks";
import { IconClock } from "./Icons";

export function WaitingRow({ item, now, onTake }: {
  item: ConversationSummary; now: number;
  /** Offered when the agent may take it from the line (waiting, not on offer to anyone). */
  onTake?: () => void;
}): JSX.Element {
  const topic = useTopicLabel();
  const waited = waitedSeconds(item.queued_at ?? item.created_at, now);
  return (
    <li class="queue-item" data-conversation={item.id}>
      <div class="queue-line">
        <span class="queue-name">{shopperName(item)}</span>
        <span class={`wait${waited >= 120 ? " wait-long" : ""}`} title="Waiting for">
          <IconClock size={13} /> <span class="wait-time">{formatDuration(waited)}</span>
        </span>
      </div>
      <div class="queue-meta">
        <span class="chip">{item.team}</span> {topic(item)}
        {item.status === "offered" ? <span class="chip chip-accent">offered</span> : null}
      </div>
      {item.last_message ? <div class="queue-msg">{item.last_message}</div> : null}
      {onTake && item.status === "queued" ? (
        <button type="button" class="btn btn-ghost btn-sm queue-take" onClick={onTake}
          aria-label={`Take the chat with ${item.visitor_name || "this visitor"}`}>Take</button>
      ) : null}
    </li>
  );
}

export function QueuePanel({ waiting }: { waiting: ConversationSummary[] }): JSX.Element {
  const c = useController();
  const now = useServerNow(1000);
  // At their limit (chats served and offers pending count) an agent cannot take another: the
  // server would refuse, so no Take then.
  const me = c.state.me;
  const full = me !== null
    && servingNow(c.state.convs, me.id).length + c.state.offers.length >= me.max_concurrent;
  return (
    <section class="queue-panel" aria-labelledby="queue-title">
      <div class="panel-head">
        <h2 id="queue-title">Waiting</h2>
        <span class="count-pill" data-testid="queue-count">{waiting.length}</span>
      </div>
      {waiting.length === 0
        ? <p class="empty-small">Nobody is waiting in your teams.</p>
        : <ul class="queue-list" aria-label="Waiting visitors">{waiting.map((w) => (
            <WaitingRow key={w.id} item={w} now={now}
              onTake={full ? undefined : () => void c.actions.take(w.id)} />))}</ul>}
    </section>
  );
}
