// The review player's entry point (served at /review/).
import { render } from "preact";
import { RRWEB_STYLES } from "../cobrowse/rrweb-styles";
import { ReviewSession } from "./api";
import { App } from "./ui/App";

// rrweb's cursor and click styles for the replay (the CSP allows inline styles, not scripts).
const style = document.createElement("style");
style.textContent = RRWEB_STYLES;
document.head.appendChild(style);

let storage: Storage;
try {
  storage = localStorage;
} catch {
  // Storage blocked: a session that lasts as long as the page.
  const items = new Map<string, string>();
  storage = { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v),
              removeItem: (k: string) => void items.delete(k) } as unknown as Storage;
}
const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(<App session={new ReviewSession(storage)} />, root);
}
