// <demo-trust-badge>: delivery promises in a CLOSED shadow root, which co-browse recorders
// cannot see into (the agent should get an empty box of the same size, not an error).
import { adoptStyles } from "./shadow-styles";

const CSS = `
:host { display: block; }
ul { list-style: none; margin: 0; padding: .9rem 1.1rem; border-radius: 12px;
  background: var(--accent-soft, #ccfbf1); color: var(--accent-strong, #134e4a);
  display: grid; gap: .35rem; font-size: .95rem; }
li::before { content: "✓ "; font-weight: 700; }
`;

const PROMISES = ["Free delivery over £50", "Free returns within 30 days", "Carbon-neutral shipping"];

class DemoTrustBadge extends HTMLElement {
  constructor() {
    super();
    const root = this.attachShadow({ mode: "closed" });
    adoptStyles(root, CSS);
    const list = document.createElement("ul");
    for (const line of PROMISES) {
      const li = document.createElement("li");
      li.textContent = line;
      list.append(li);
    }
    root.append(list);
  }
}

export function defineTrustBadge(): void {
  if (!customElements.get("demo-trust-badge")) customElements.define("demo-trust-badge", DemoTrustBadge);
}

declare global {
  interface HTMLElementTagNameMap {
    "demo-trust-badge": HTMLElement;
  }
}
