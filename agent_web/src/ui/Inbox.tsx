// The conversations view: who is waiting, the open conversations as tabs (arrow keys move
// between them), and the focused one.
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { LogEvent } from "../protocol.gen";
import { type AppState, openChatCount, unreadByTab } from "../state/app";
import { visitorLabel } from "../state/conversation";
import { waitingList } from "../state/queue";
import { formatClock } from "../state/time";
import { Avatar } from "./Avatar";
import { ChatSearch } from "./ChatSearch";
import { ConversationPane } from "./ConversationPane";
import { useController, useTopicLabel } from "./hooks";
import { IconChat, IconClose, IconEye, IconHistory } from "./Icons";
import { QueuePanel } from "./QueuePanel";

function wideEnough(): boolean {
  return typeof window === "undefined" || window.matchMedia("(min-width: 1180px)").matches;
}

function Tabs({ state }: { state: AppState }): JSX.Element {
  const c = useController();
  const unread = unreadByTab(state);
  const focusTab = (id: string): void => {
    c.dispatch({ type: "tab_focus", id });
    requestAnimationFrame(() => document.getElementById(`tab-${id}`)?.focus());
  };
  const onKey = (e: KeyboardEvent): void => {
    const i = state.activeTab ? state.tabs.indexOf(state.activeTab) : -1;
    const n = state.tabs.length;
    let next: number | null = null;
    if (e.key === "ArrowRight") next = (i + 1) % n;
    else if (e.key === "ArrowLeft") next = (i - 1 + n) % n;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = n - 1;
    if (next === null) return;
    e.preventDefault();
    focusTab(state.tabs[next]!);
  };
  return (
    <div class="tabs" role="tablist" aria-label="Open conversations" onKeyDown={onKey}>
      {state.tabs.map((id) => {
        const conv = state.convs[id];
        if (!conv) return null;
        const name = visitorLabel(conv.conversation, state.visitors[conv.conversation.visitor_id]?.visitor.name);
        const selected = id === state.activeTab;
        const count = unread[id] ?? 0;
        const closable = conv.mode === "history" || conv.conversation.status === "ended"
          || (conv.mode === "live" && conv.conversation.agent_id !== state.me?.id && conv.conversation.status === "active"
            && !conv.conversation.participants.some((p) => p.agent_id === state.me?.id));
        const st = conv.conversation.status;
        return (
          <div class={`tab-wrap${selected ? " selected" : ""}`} role="presentation" key={id}>
            <button type="button" role="tab" id={`tab-${id}`} aria-selected={selected} aria-controls={`panel-${id}`}
              tabIndex={selected ? 0 : -1} class={`tab${count ? " has-unread" : ""}`} data-conversation={id}
              onClick={() => c.dispatch({ type: "tab_focus", id })}>
              <span class={`tab-dot st-dot-${st}${conv.visitorOnline === false ? " away" : ""}`} aria-hidden="true" />
              {conv.mode === "observing" ? <IconEye size={13} /> : null}
              {conv.mode === "history" ? <IconHistory size={13} /> : null}
              <span class="tab-name">{name}</span>
              {conv.visitorTyping ? <span class="tab-typing" aria-label="typing">…</span> : null}
              {count ? <span class="badge" data-testid="unread" aria-label={`${count} unread`}>{count}</span> : null}
            </button>
            {closable ? (
              <button type="button" class="tab-close" aria-label={`Close ${name}`} onClick={() => c.actions.close(id)}>
                <IconClose size={13} />
              </button>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}

/** The open conversations as a list (the tabs' long form): newest line, unread count. */
function MyChats({ state }: { state: AppState }): JSX.Element | null {
  const topic = useTopicLabel();
  const c = useController();
  const unread = unreadByTab(state);
  if (state.tabs.length === 0) return null;
  return (
    <section class="mychats" aria-labelledby="mychats-title">
      <div class="panel-head">
        <h2 id="mychats-title">Your chats</h2>
        <span class="count-pill" data-testid="open-chats" title="Chats you are in now (the list also keeps the ones that ended until you close them)">{openChatCount(state)} open</span>
      </div>
      <ul class="mychats-list">
        {state.tabs.map((id) => {
          const conv = state.convs[id];
          if (!conv) return null;
          const name = visitorLabel(conv.conversation, state.visitors[conv.conversation.visitor_id]?.visitor.name);
          const last = lastLine(conv.events, state.me?.id ?? "");
          const count = unread[id] ?? 0;
          return (
            <li key={id}>
              <button type="button" class={`mychat${id === state.activeTab ? " active" : ""}`}
                onClick={() => c.dispatch({ type: "tab_focus", id })} aria-current={id === state.activeTab ? "true" : undefined}>
                <Avatar name={name} size={32} />
                <span class="mychat-main">
                  <span class="mychat-top">
                    <span class={`mychat-name${count ? " strong" : ""}`}>{name}</span>
                    {last ? <time class="muted">{formatClock(last.ts)}</time> : null}
                  </span>
                  <span class="mychat-line">
                    <span class="mychat-text">{conv.visitorTyping ? <em>typing…</em> : last?.text ?? topic(conv.conversation)}</span>
                    {count ? <span class="badge" aria-label={`${count} unread`}>{count}</span> : null}
                    {conv.conversation.status !== "active" ? <span class={`status-chip st-${conv.conversation.status}`}>{conv.mode === "history" ? "past" : conv.conversation.status}</span> : null}
                  </span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function lastLine(events: readonly LogEvent[], meId: string): { text: string; ts: number } | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type !== "message_created") continue;
    const who = e.actor.kind !== "agent" ? "" : e.actor.id === meId ? "You: " : `${e.actor.name ?? "Agent"}: `;
    return { text: who + e.data.text, ts: e.ts };
  }
  return null;
}

function Empty({ status }: { status: string }): JSX.Element {
  return (
    <div class="empty">
      <div class="empty-icon"><IconChat size={34} /></div>
      <h2>No open conversations</h2>
      <p class="muted">
        {status === "online"
          ? "You are online: new chats will be offered to you here, with a sound."
          : `You are ${status}: set yourself online in the top bar to receive chats.`}
      </p>
    </div>
  );
}

export function Inbox({ state }: { state: AppState }): JSX.Element {
  const [showVisitor, setShowVisitor] = useState(wideEnough());
  useEffect(() => {
    const mq = window.matchMedia("(min-width: 1180px)");
    const change = (): void => setShowVisitor(mq.matches);
    mq.addEventListener("change", change);
    return () => mq.removeEventListener("change", change);
  }, []);
  const active = state.activeTab ? state.convs[state.activeTab] : undefined;
  return (
    <div class="inbox">
      {/* The view's title for headings navigation; the page shows who each chat is with. */}
      <h1 class="visually-hidden">Conversations</h1>
      <aside class="inbox-side">
        <ChatSearch />
        <MyChats state={state} />
        <QueuePanel waiting={waitingList(state.queues)} />
      </aside>
      <section class="inbox-main" aria-label="Conversations">
        {state.tabs.length ? <Tabs state={state} /> : null}
        {active
          ? <ConversationPane key={active.conversation.id} state={state} conv={active}
              showVisitor={showVisitor} setShowVisitor={setShowVisitor} />
          // Tabs but none in front: for a moment after a reload, until their logs are in.
          : state.tabs.length ? null : <Empty status={state.me?.status ?? "offline"} />}
      </section>
    </div>
  );
}
