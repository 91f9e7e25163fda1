// Where the shopper is: the page at load, and single-page-app navigations (pushState,
// replaceState, back/forward). Reported shortly after the change, when the app has usually set
// the new title. Starting returns its stop function.

import { scrubAddress } from "./address";
import { maskCardDigits } from "./redact";

/** Long enough for an SPA to render its new title; short enough to feel live to an agent. */
const SETTLE_MS = 300;

export interface Page {
  url: string;
  title: string;
}

/** The parameter names a site hides in page addresses besides the built-in ones (its
 * `cobrowse.hidden_url_params`; an older server sends none). */
export function hiddenParams(policy: { hidden_url_params?: unknown } | null | undefined
): readonly string[] {
  const names = policy?.hidden_url_params;
  return Array.isArray(names) ? names.filter((n): n is string => typeof n === "string") : [];
}

/** The page's address as it may leave the browser: its secrets (tokens, session ids,
 * signatures, e-mail addresses; address.ts) hidden, and a card number a store put in it (a
 * payment page's query string) masked. */
export function shareableAddress(href: string, hidden: readonly string[]): string {
  return maskCardDigits(scrubAddress(href, hidden));
}

/** Where the shopper is, as the agent's panel, the profile and the chat's start carry it. */
export function currentPage(hidden: readonly string[] = []): Page {
  return { url: shareableAddress(location.href, hidden).slice(0, 2048),
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
