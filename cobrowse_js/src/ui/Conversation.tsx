// A conversation on screen: where it stands (queue, offline message), the log of messages and
// notices (a live region), the agent typing, and the composer, or the rating once it ended.

import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";

import type { Controller } from "../controller";
import { isOpen, isWaiting } from "../state/conversation";
import { linkify } from "../state/linkify";
import {
  lastAgentLeft, timeline, type MessageItem, type TimelineItem,
} from "../state/transcript";
import { agentTookPart, type WidgetState } from "../state/widget";
import { clockTime, messageCard, waitWording } from "../state/wording";
import { Ending } from "./Ending";
import { SendIcon } from "./icons";
import { StickToBottom } from "./stick";
import { Avatar } from "./Panel";

interface Props {
  controller: Controller;
  state: WidgetState;
}

const DELIVERY_TEXT: Record<string, string> = {
  queued: "Waiting for connection…", sending: "Sending…", sent: "Sent", read: "Read",
  failed: "Not delivered", refused: "Not delivered",
};

function Text({ text }: { text: string }) {
  return <>{linkify(text).map((s, i) => s.href
    ? <a key={i} href={s.href} target="_blank" rel="noopener noreferrer nofollow">{s.text}</a>
    : s.text)}</>;
}

function StatusCard({ state }: { state: WidgetState }) {
  const conv = state.conversation;
  if (!conv) return null;
  if (isWaiting(conv)) {
    const words = waitWording(conv);
    return (
      <div class="status-card" role="status" data-testid="aisle-queue"
           data-position={conv.queue?.position ?? ""}>
        {conv.queue && conv.status === "queued" && (
          <span class="pos" aria-hidden="true">#{conv.queue.position}</span>
        )}
        <strong><span class="pulse" aria-hidden="true" />{words.headline}</strong>
        <p>{words.detail}</p>
      </div>
    );
  }
  if (conv.status === "offline" && !conv.agent) {
    // "Nobody could answer live" only if nobody did: an agent may have answered before their
    // connection dropped with nobody else left to take over.
    const left = state.transcript ? lastAgentLeft(state.transcript) : null;
    const words = messageCard(agentTookPart(state) ? left ?? { name: null, reason: null } : null,
                              state.emailReplies ? state.identity.email || null : null);
    return (
      <div class="status-card offline" role="status" data-testid="aisle-offline-sent">
        <strong>{words.headline}</strong>
        <p>{words.detail}</p>
      </div>
    );
  }
  return null;
}

/** The last of an agent's consecutive messages (their name and time go under it). */
function endsAgentRun(items: TimelineItem[], i: number): boolean {
  const item = items[i];
  const next = items[i + 1];
  if (!item || item.kind !== "message" || item.from !== "agent") return false;
  return !next || next.kind !== "message" || next.from !== "agent" || next.agentId !== item.agentId;
}

function Message({ item, showMeta, endsRun, state, controller }: {
  item: MessageItem; showMeta: boolean; endsRun: boolean; state: WidgetState; controller: Controller;
}) {
  const agent = item.from === "agent" ? state.conversation?.agent : null;
  const pending = item.delivery === "queued" || item.delivery === "sending";
  const notDelivered = item.delivery === "failed" || item.delivery === "refused";
  const cls = `msg ${item.from}${pending ? " pending" : ""}${
    notDelivered ? " failed" : ""}`;
  return (
    <>
      <div class={cls} data-testid="aisle-message" data-from={item.from}
           data-seq={item.seq ?? ""} data-delivery={item.delivery ?? ""}>
        {item.from === "agent" && (
          // An earlier agent (before a transfer): their initials, from the name in the log.
          <Avatar agent={agent && agent.id === item.agentId ? agent
            : { id: item.agentId ?? "", display_name: item.name ?? "Agent", photo_url: null }}
            base={controller.base} small />)}
        <div class="bubble">
          <span class="sr-only">{item.from === "agent" ? `${item.name ?? "Agent"}: ` : "You: "}</span>
          {/* Laid out in the direction of what was written (Arabic, Hebrew: right to left). */}
          <span class="text" dir="auto"><Text text={item.text} /></span>
        </div>
      </div>
      {item.from === "agent" && endsRun && (
        // Who answered, and when: after a transfer, more than one agent has.
        <div class="meta agent" data-testid="aisle-agent-meta">{item.name ?? "Agent"} · {clockTime(item.ts)}</div>
      )}
      {item.from === "visitor" && item.delivery && (showMeta || notDelivered ||
                                                    item.delivery === "queued") && (
        // Sending → Sent → Read, readable but not announced at each step (the log is live);
        // a message that failed is.
        <div class={`meta${notDelivered ? " failed" : ""}`}
             aria-live={notDelivered ? undefined : "off"}>
          {clockTime(item.ts)} · {DELIVERY_TEXT[item.delivery]}
          {item.delivery === "failed" && (
            <> · <button type="button" class="link-btn" data-testid="aisle-retry"
                         onClick={() => controller.retrySending()}>Try again</button></>)}
        </div>
      )}
    </>
  );
}

function Log({ items, state, controller }: { items: TimelineItem[]; state: WidgetState;
                                              controller: Controller }) {
  let lastVisitor = -1;
  items.forEach((item, i) => {
    if (item.kind === "message" && item.from === "visitor") lastVisitor = i;
  });
  return (
    <div class="log" role="log" aria-live="polite" aria-label="Conversation"
         data-testid="aisle-log">
      {items.map((item, i) => item.kind === "notice"
        ? <p key={item.key} class="notice" data-testid="aisle-notice">{item.text}</p>
        : <Message key={item.key} item={item} showMeta={i === lastVisitor} state={state}
                   endsRun={endsAgentRun(items, i)} controller={controller} />)}
    </div>
  );
}

function Composer({ controller, state }: Props) {
  const conv = state.conversation;
  const id = conv?.id ?? "";
  const [text, setText] = useState(() => controller.draft(id));
  const area = useRef<HTMLTextAreaElement>(null);

  useLayoutEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight + 2, 140)}px`;
  }, [text]);

  const send = () => {
    if (!text.trim()) return;
    controller.send(text);
    setText("");
    controller.saveDraft(id, "");
    area.current?.focus();
  };

  return (
    <form class="composer" onSubmit={(e) => { e.preventDefault(); send(); }}>
      <textarea ref={area} rows={1} value={text} aria-label="Message" data-autofocus=""
                placeholder={conv?.status === "offline" ? "Add to your message…"
                  : "Write a message…"}
                data-testid="aisle-input"
                onInput={(e) => {
                  const value = e.currentTarget.value;
                  setText(value);
                  controller.saveDraft(id, value);
                  if (value.trim()) controller.typing();
                  else controller.stopTyping();
                }}
                onBlur={() => controller.stopTyping()}
                onKeyDown={(e) => {
                  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
                    e.preventDefault();
                    send();
                  }
                }} />
      <button type="submit" class="send" aria-label="Send" disabled={!text.trim()}>
        <SendIcon />
      </button>
    </form>
  );
}

export function ConversationView({ controller, state }: Props) {
  const body = useRef<HTMLDivElement>(null);
  const items = state.transcript ? timeline(state.transcript) : [];
  const last = items[items.length - 1]?.key;
  const conv = state.conversation;

  // Keep the newest message in view while the shopper is at the bottom (not while they read
  // back), also when the body shrinks: a call or a sharing opening above it.
  const stick = useRef<StickToBottom | null>(null);
  useLayoutEffect(() => {
    stick.current = body.current ? new StickToBottom(body.current) : null;
    return () => stick.current?.stop();
  }, []);
  const newest = items[items.length - 1];
  const mine = newest?.kind === "message" && newest.from === "visitor";
  useLayoutEffect(() => {
    stick.current?.follow(mine);  // what they just sent is always shown
  }, [last, state.agentTyping, conv?.status]);
  const onScroll = (): void => stick.current?.scrolled();

  useEffect(() => controller.markReadIfSeen(), [last]);

  const typing = state.agentTyping && conv?.status !== "ended"
    ? `${state.agentTyping.name ?? conv?.agent?.display_name ?? "The agent"} is typing…` : "";
  const presence = conv?.status === "active" && !state.agentOnline
    ? `${conv.agent?.display_name ?? "The agent"}'s connection dropped. Waiting for them to ` +
      "come back…" : "";

  return (
    <>
      <div class="body" ref={body} onScroll={onScroll}>
        <StatusCard state={state} />
        <Log items={items} state={state} controller={controller} />
        <div class="typing" role="status" data-testid="aisle-typing">
          {presence || (typing && <><span class="dots" aria-hidden="true">
            <span /><span /><span /></span>{typing}</>)}
        </div>
        {conv && !isOpen(conv) && <Ending controller={controller} state={state} />}
      </div>
      {state.problem && <div class="problem-line" role="alert">{state.problem}</div>}
      {conv && isOpen(conv) && <Composer key={conv.id} controller={controller} state={state} />}
    </>
  );
}
