// Puts the widget on the page: one host element (#aisle-widget-host) with an open shadow root
// holding our styles and the Preact tree, so the store's CSS and ours never meet.

import { render } from "preact";

import type { Controller } from "../controller";
import { App } from "./App";
import { STYLES } from "./styles";

export const HOST_ID = "aisle-widget-host";

/** Fixed, zero-size and on top; `!important` so the store's stylesheets cannot move it. */
const HOST_STYLE = "all:initial!important;position:fixed!important;top:0!important;" +
  "left:0!important;width:0!important;height:0!important;z-index:2147483000!important;" +
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

export function mount(controller: Controller): () => void {
  let host: HTMLElement | null = null;
  let container: HTMLElement | null = null;
  const attach = () => {
    if (document.getElementById(HOST_ID)) return;
    host = document.createElement("div");
    host.id = HOST_ID;
    host.style.cssText = HOST_STYLE; // through the CSSOM: allowed under a strict style-src
    const shadow = host.attachShadow({ mode: "open" });
    container = document.createElement("div");
    adoptStyles(shadow);
    shadow.append(container);
    document.body.appendChild(host);
    render(<App controller={controller} />, container);
  };
  if (document.body) attach();
  else document.addEventListener("DOMContentLoaded", attach, { once: true });
  return () => {
    if (container) render(null, container);
    host?.remove();
  };
}
