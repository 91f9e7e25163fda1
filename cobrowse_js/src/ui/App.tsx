// The widget's root: the launcher and, when open, the panel. Themed from the site config; Esc
// closes; focus goes into the panel when it opens and back to the launcher when it closes.

import { useLayoutEffect, useRef } from "preact/hooks";

import type { Controller } from "../controller";
import { allOffline } from "../state/prechat";
import { accentColor, textOn } from "../state/theme";
import { unread } from "../state/widget";
import { useWidget } from "./hooks";
import { ChatIcon, CloseIcon } from "./icons";
import { Panel } from "./Panel";

export function App({ controller }: { controller: Controller }) {
  const state = useWidget(controller);
  const launcher = useRef<HTMLButtonElement>(null);
  // Set when the shopper closes the panel from inside it: focus then returns to the launcher.
  // (Aisle.close() from the page leaves focus where the page put it.)
  const refocus = useRef(false);

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
  const label = state.open ? "Close chat" : offline ? "Leave us a message" : "Chat with us";

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape" && state.open) {
      e.stopPropagation();
      close();
    }
  };

  return (
    <div class={`root ${theme.position === "left" ? "left" : "right"}${state.open ? " open" : ""}`}
         style={{ "--accent": accent, "--on-accent": textOn(accent) }} onKeyDown={onKeyDown}>
      {state.open && <Panel controller={controller} state={state} close={close} />}
      <button ref={launcher} type="button" class="launcher" aria-expanded={state.open}
              aria-controls="aisle-panel" data-testid="aisle-launcher"
              aria-label={count > 0 && !state.open
                ? `${label}: ${count} unread message${count === 1 ? "" : "s"}` : label}
              title={label}
              onClick={() => (state.open ? controller.close() : controller.open())}>
        {state.open ? <CloseIcon /> : <ChatIcon />}
        {count > 0 && !state.open && <span class="badge" aria-hidden="true">{count}</span>}
      </button>
      {/* With the panel minimised, an answer is still said to screen readers. */}
      <p class="sr-only" role="status" data-testid="aisle-unread-status">
        {count > 0 && !state.open ? `${count} unread message${count === 1 ? "" : "s"} in the chat` : ""}
      </p>
    </div>
  );
}
