// The widget's root: the launcher and, when open, the panel. Themed from the site config; Esc
// closes; focus goes into the panel when it opens and back to the launcher when it closes.

import { useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";

import type { Controller } from "../controller";
import { allOffline } from "../state/prechat";
import { accentColor, textOn } from "../state/theme";
import { unread } from "../state/widget";
import { useWidget } from "./hooks";
import { CallSound, CallSoundContext, type CallSoundState } from "./Call";
import { ChatIcon, CloseIcon, PhoneIcon } from "./icons";
import { Panel } from "./Panel";

export function App({ controller }: { controller: Controller }) {
  const state = useWidget(controller);
  const launcher = useRef<HTMLButtonElement>(null);
  // Set when the shopper closes the panel from inside it: focus then returns to the launcher.
  // (Aisle.close() from the page leaves focus where the page put it.)
  const refocus = useRef(false);
  const root = useRef<HTMLDivElement>(null);
  const [soundBlocked, setSoundBlocked] = useState(false);
  const sound = useMemo<CallSoundState>(() => ({
    blocked: soundBlocked,
    unblock: () => root.current?.querySelectorAll("audio").forEach((a) => {
      a.play().then(() => setSoundBlocked(false), () => undefined);
    }),
  }), [soundBlocked]);

  useLayoutEffect(() => {
    if (!state.open && refocus.current) {
      refocus.current = false;
      launcher.current?.focus();
    }
  }, [state.open]);

  const close = () => {
    refocus.current = true;
    controller.close();
  };

  if (!state.ready || state.unavailable || !state.site) return null;
  const { theme } = state.site;
  const accent = accentColor(theme.color);
  const count = unread(state);
  const offline = !state.conversation && allOffline(state.site, state.availability);
  const inCall = controller.call?.state.stage.kind === "in-call";
  const label = state.open ? "Close chat" : inCall ? "Open chat: call in progress"
    : offline ? "Leave us a message" : "Chat with us";

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape" && state.open) {
      e.stopPropagation();
      close();
    }
  };

  return (
    <div ref={root}
         class={`root ${theme.position === "left" ? "left" : "right"}${state.open ? " open" : ""}`}
         style={{ "--accent": accent, "--on-accent": textOn(accent) }} onKeyDown={onKeyDown}>
      <CallSoundContext.Provider value={sound}>
        {state.open && <Panel controller={controller} state={state} close={close} />}
      </CallSoundContext.Provider>
      <CallSound controller={controller} state={state} blocked={setSoundBlocked} />
      <button ref={launcher} type="button" class={`launcher${inCall && !state.open ? " in-call" : ""}`}
              aria-expanded={state.open}
              aria-controls="aisle-panel" data-testid="aisle-launcher"
              aria-label={count > 0 && !state.open
                ? `${label}: ${count} unread message${count === 1 ? "" : "s"}` : label}
              title={label}
              onClick={() => (state.open ? controller.close() : controller.open())}>
        {state.open ? <CloseIcon /> : inCall ? <PhoneIcon /> : <ChatIcon />}
        {count > 0 && !state.open && <span class="badge" aria-hidden="true">{count}</span>}
      </button>
      {/* With the panel minimised, an answer is still said to screen readers. */}
      <p class="sr-only" role="status" data-testid="aisle-unread-status">
        {count > 0 && !state.open ? `${count} unread message${count === 1 ? "" : "s"} in the chat` : ""}
        {soundBlocked && !state.open ? " The call's sound is paused: open the chat to turn it on." : ""}
      </p>
    </div>
  );
}
