// Where the shopper is: the page at load, and single-page-app navigations (pushState,
// replaceState, back/forward). Reported shortly after the change, when the app has usually set
// the new title. Starting returns its stop function.

import { maskCardDigits } from "./redact";

/** Long enough for an SPA to render its new title; short enough to feel live to an agent. */
const SETTLE_MS = 300;

export interface Page {
  url: string;
  title: string;
}

/** A card number a store put in its address or title (a payment page's query string) never
 * leaves the browser: the agent's panel, the profile and the chat's start carry them. */
export function currentPage(): Page {
  return { url: maskCardDigits(location.href).slice(0, 2048),
           title: maskCardDigits(document.title || "").slice(0, 200) };
}

/** `settleMs` null: told at once, inside the app's `pushState` (co-browsing must change its
 * rules before the app renders the new page). */
export function watchPages(changed: () => void, settleMs: number | null = SETTLE_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const soon = () => {
    if (settleMs === null) {
      changed();
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(changed, settleMs);
  };
  const originals = { pushState: history.pushState, replaceState: history.replaceState };
  const wrap = (name: "pushState" | "replaceState") => {
    const original = originals[name];
    const wrapped = function (this: History, ...args: Parameters<History["pushState"]>) {
      const result = original.apply(this, args);
      soon();
      return result;
    };
    history[name] = wrapped;
    return wrapped;
  };
  const pushed = wrap("pushState");
  const replaced = wrap("replaceState");
  window.addEventListener("popstate", soon);
  window.addEventListener("hashchange", soon);
  return () => {
    clearTimeout(timer);
    // Put the originals back only if nobody wrapped ours since.
    if (history.pushState === pushed) history.pushState = originals.pushState;
    if (history.replaceState === replaced) history.replaceState = originals.replaceState;
    window.removeEventListener("popstate", soon);
    window.removeEventListener("hashchange", soon);
  };
}
