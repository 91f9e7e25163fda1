// Where the agent points, in the shopper's terms: overlay coordinates scaled back to the
// shopper's viewport, and the mirrored element there (through open shadow roots and same-origin
// frames), named by its rrweb id so the shopper's page can find the real one.

import { isSecretField } from "../../../cobrowse_js/src/cobrowse/privacy";

export interface Point {
  x: number;
  y: number;
}

/** The deepest mirrored element at a viewport point of the mirror's document. */
export function mirroredElementAt(doc: Document, x: number, y: number): Element | null {
  let el = doc.elementFromPoint(x, y);
  let ox = 0;
  let oy = 0;
  for (let depth = 0; el && depth < 8; depth++) {
    if (el.shadowRoot) {
      const inner = el.shadowRoot.elementFromPoint(x - ox, y - oy);
      if (inner && inner !== el) {
        el = inner;
        continue;
      }
    }
    if (el.tagName === "IFRAME") {
      const inner = (el as HTMLIFrameElement).contentDocument;
      if (inner) {
        const r = el.getBoundingClientRect();
        ox += r.left;
        oy += r.top;
        const found = inner.elementFromPoint(x - ox, y - oy);
        if (found) {
          el = found;
          continue;
        }
      }
    }
    break;
  }
  return el;
}

/** What kind of control the element wants: typing, choosing, or a click. */
export function fieldKind(el: Element | null): "text" | "select" | null {
  if (!el || privateField(el)) return null;
  const tag = el.tagName.toLowerCase();
  if (tag === "select") return "select";
  if (tag === "textarea") return "text";
  if (tag === "input") {
    const type = (el.getAttribute("type") ?? "text").toLowerCase();
    const notText = ["checkbox", "radio", "button", "submit", "reset", "image", "range", "color",
                     "file", "hidden"];
    return notText.includes(type) ? null : "text";
  }
  return null;
}

/** A password or card field (by the shopper's page's own rule), or one the store masks: the
 * page refuses any typing or choosing there, so none is offered. */
export function privateField(el: Element): boolean {
  return isSecretField(el) || el.closest("[data-aisle-mask]") !== null;
}

/** A short description of the element for the agent ("input #email", "button “Pay”"). */
export function describe(el: Element | null): string {
  if (!el) return "nothing";
  const tag = el.tagName.toLowerCase();
  const short = (text: string | null | undefined) => (text ?? "").trim().replace(/\s+/g, " ").slice(0, 40);
  // A form field by what the shopper reads beside it: its label, else its name for people.
  const field = el as Element & { labels?: NodeListOf<HTMLLabelElement> | null };
  const named = short(field.labels?.[0]?.textContent) || short(el.getAttribute("aria-label"))
    || short(el.getAttribute("placeholder"));
  if (named) return `“${named}”`;
  const text = short(el.textContent).slice(0, 30);
  if (text) return `${tag} “${text}”`;
  const id = el.getAttribute("id");
  return id ? `${tag} #${id}` : tag;
}

/** Thins a stroke to at most `max` points, keeping both ends. */
export function thin(points: Point[], max = 400): Point[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  const out: Point[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]!);
  return out;
}

export function commandId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === "function") return c.randomUUID();
  return `cmd-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
