// Puts the widget on the page: one host element (#aisle-widget-host) with an open shadow root
// holding our styles and the Preact tree, so the store's CSS and ours never meet.

import { render } from "preact";

import type { Controller } from "../controller";
import { App } from "./App";
import { STYLES } from "./styles";

export const HOST_ID = "aisle-widget-host";

/** Fixed, zero-size and on top — of everything: a store's cookie bar or sticky header at the
 * highest z-index must not cover the full-screen chat's only close button on a phone (on a
 * tie, the host comes later in the document and wins); `!important` so the store's
 * stylesheets cannot move it. */
const HOST_STYLE = "all:initial!important;position:fixed!important;top:0!important;" +
  "left:0!important;width:0!important;height:0!important;z-index:2147483647!important;" +
  "display:block!important;";

/** A constructed stylesheet is not an inline <style>, so stores whose CSP forbids inline styles
 * still get ours; older browsers get the <style> element. */
function adoptStyles(shadow: ShadowRoot): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement("style");
    style.textContent = STYLES;
    shadow.append(style);
  }
}

/** The host lives in <html>, after <body>: stores that swap their body (Turbo, PJAX, htmx, a
 * framework's router) keep the chat as it was. Anything that still removes it (the whole
 * document rewritten) puts it back, with its state: the same element, re-attached. */
export function mount(controller: Controller): () => void {
  let host: HTMLElement | null = null;
  let container: HTMLElement | null = null;
  let watch: MutationObserver | null = null;
  const attach = () => {
    if (document.getElementById(HOST_ID)) return;
    host = document.createElement("div");
    host.id = HOST_ID;
    host.style.cssText = HOST_STYLE; // through the CSSOM: allowed under a strict style-src
    const shadow = host.attachShadow({ mode: "open" });
    container = document.createElement("div");
    // The widget speaks English: left to right on a right-to-left page too (what people
    // write is laid out by its own direction, dir=auto on each message).
    container.dir = "ltr";
    adoptStyles(shadow);
    shadow.append(container);
    document.documentElement.appendChild(host);
    render(<App controller={controller} />, container);
    const kept = host;
    watch = new MutationObserver(() => {
      if (!kept.isConnected) document.documentElement.appendChild(kept);
    });
    watch.observe(document.documentElement, { childList: true });
  };
  if (document.body) attach();
  else document.addEventListener("DOMContentLoaded", attach, { once: true });
  return () => {
    watch?.disconnect();
    if (container) render(null, container);
    host?.remove();
  };
}
