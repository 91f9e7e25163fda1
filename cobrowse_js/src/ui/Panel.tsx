// The chat window: a header (the agent once assigned, else the store), the connection state,
// and either the pre-chat form or the conversation.

import type { ComponentChild } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

import type { Controller } from "../controller";
import type { AgentCard } from "../protocol.gen";
import { canEnd } from "../state/conversation";
import { allOffline } from "../state/prechat";
import type { WidgetState } from "../state/widget";
import { initials } from "../state/wording";
import { CallArea, CallButtons } from "./Call";
import { ConversationView } from "./Conversation";
import { MinimiseIcon } from "./icons";
import { keepTabInside } from "./focus";
import { Prechat } from "./Prechat";

interface Props {
  controller: Controller;
  state: WidgetState;
  close: () => void;
}

export function Avatar({ agent, base, small }: { agent: AgentCard; base: string;
                                                  small?: boolean }) {
  const [broken, setBroken] = useState(false);
  const cls = small ? "avatar small" : "avatar";
  if (agent.photo_url && !broken) {
    let src: string;
    try {
      src = new URL(agent.photo_url, base).href;
    } catch {
      return <span class={cls} aria-hidden="true">{initials(agent.display_name)}</span>;
    }
    return <img class={cls} src={src} alt="" referrerpolicy="origin" onError={() => setBroken(true)} />;
  }
  return <span class={cls} aria-hidden="true">{initials(agent.display_name)}</span>;
}

function Header({ controller, state, close, confirmEnd }: Props & { confirmEnd: () => void }) {
  const site = state.site;
  const conv = state.conversation;
  const agent = conv?.agent ?? null;
  let title = site?.name ?? "Help";
  let subtitle: ComponentChild = null;
  if (agent && conv?.status === "offline") {
    // An agent answering a message left while nobody was available: not a live chat.
    title = agent.display_name;
    subtitle = "Replied to your message";
  } else if (agent && conv && conv.status !== "ended") {
    title = agent.display_name;
    subtitle = state.agentOnline
      ? <><span class="dot" aria-hidden="true" />Online</>
      : <><span class="dot away" aria-hidden="true" />Connection dropped, waiting…</>;
  } else if (agent && conv) {
    title = agent.display_name;
    subtitle = "Chat ended";
  } else if (conv?.status === "offline") {
    subtitle = "We'll answer here";
  } else if (conv?.status === "ended") {
    subtitle = "Chat ended";  // (ended before anyone answered, or after they had left)
  } else if (conv) {
    subtitle = "Waiting for an agent";
  } else if (site) {
    subtitle = allOffline(site, state.availability) ? "Leave us a message"
      : "We usually answer in a few minutes";
  }
  return (
    <div class="header">
      {agent && <Avatar agent={agent} base={controller.base} />}
      <div class="who">
        {/* A long name may end in "…" on screen: the title shows the whole of it on hover (and
            the heading's text, the panel's name, is whole for screen readers). */}
        <h2 id="aisle-title" data-testid="aisle-title" title={title}>{title}</h2>
        {subtitle && <p data-testid="aisle-subtitle">{subtitle}</p>}
      </div>
      <CallButtons controller={controller} state={state} />
      {canEnd(conv) && (
        <button type="button" class="text-btn" onClick={confirmEnd}>End chat</button>
      )}
      <button type="button" class="icon-btn" aria-label="Minimise chat" title="Minimise"
              onClick={close}>
        <MinimiseIcon />
      </button>
    </div>
  );
}

function ConfirmEnd({ controller, cancel }: { controller: Controller; cancel: () => void }) {
  // The safe answer has the focus: a key pressed by mistake keeps the chat going.
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => keep.current?.focus(), []);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape") {  // this question only, not the whole panel
      e.stopPropagation();
      cancel();
    }
  };
  return (
    <div class="confirm" role="alertdialog" aria-label="End this chat?" onKeyDown={onKeyDown}>
      <span>End this chat?</span>
      <button type="button" class="text-btn" style={{ background: "var(--accent)",
              color: "var(--on-accent)" }}
              onClick={() => { cancel(); void controller.leave(); }}>End chat</button>
      <button ref={keep} type="button" class="text-btn" style={{ color: "var(--ink)" }}
              onClick={cancel}>Keep chatting</button>
    </div>
  );
}

/** Where focus goes in the panel: what is marked for it, else the first thing to type into,
 * else the first control (in that order of preference, not of the page). */
function focusTarget(panel: HTMLElement): HTMLElement | null {
  for (const selector of ["[data-autofocus]", "textarea:not([disabled])",
                          "input:not([disabled]):not([type=hidden])", "button:not([disabled])"]) {
    const found = panel.querySelector<HTMLElement>(selector);
    if (found) return found;
  }
  return null;
}

/** Where the panel covers the page (a phone, a short window: styles.ts), it is modal: Tab
 * stays inside it, and assistive technology is told the page behind is out of reach. */
const FULL_SCREEN = "(max-width: 480px), (max-height: 520px)";

function useFullScreen(): boolean {
  const query = typeof matchMedia === "function" ? matchMedia(FULL_SCREEN) : null;
  const [full, setFull] = useState(query?.matches ?? false);
  useEffect(() => {
    if (!query) return undefined;
    const changed = () => setFull(query.matches);
    query.addEventListener("change", changed);
    return () => query.removeEventListener("change", changed);
  }, []);
  return full;
}

export function Panel(props: Props) {
  const { controller, state } = props;
  const fullScreen = useFullScreen();
  const [confirming, setConfirming] = useState(false);
  const panel = useRef<HTMLElement>(null);

  // When the shopper opens the panel, focus goes to the first thing to type into; a panel a
  // ringing call or a page load opened leaves focus where it is on the page.
  useEffect(() => {
    if (state.openedByShopper && panel.current) focusTarget(panel.current)?.focus();
  }, []);
  // A conversation just started from the form: the button that had focus is gone, so the
  // message box gets it (not the page's body).
  const convId = state.conversation?.id;
  const shownConv = useRef(convId);
  useEffect(() => {
    if (convId === shownConv.current) return;  // (not the one the panel opened with)
    shownConv.current = convId;
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (convId && panel.current && lost) {
      panel.current.querySelector<HTMLElement>("textarea:not([disabled])")?.focus();
    }
  }, [convId]);

  useEffect(() => {
    if (!canEnd(state.conversation)) setConfirming(false);
  }, [state.conversation?.status]);

  const connection = state.connection === "reconnecting"
    ? "Connection lost. Reconnecting…"
    : state.connection === "connecting" ? "Connecting…" : null;

  return (
    <section ref={panel} id="aisle-panel" class="panel" role="dialog"
             aria-labelledby="aisle-title" data-testid="aisle-panel"
             aria-modal={fullScreen ? "true" : undefined}
             onKeyDown={fullScreen ? (e) => keepTabInside(e, panel.current) : undefined}>
      <Header {...props} confirmEnd={() => setConfirming(true)} />
      {confirming && <ConfirmEnd controller={controller} cancel={() => setConfirming(false)} />}
      {connection && <div class="banner" role="status" data-testid="aisle-connection">
        {connection}</div>}
      {state.conversation && <CallArea controller={controller} state={state} />}
      {state.conversation
        ? <ConversationView controller={controller} state={state} />
        : <Prechat controller={controller} state={state} />}
    </section>
  );
}
