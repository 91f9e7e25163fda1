// The agent's commands, applied to the real page (control consent given): the element is the
// rrweb node the agent pointed at, cross-checked with the point; a click is the full pointer and
// mouse sequence (widgets that open on pointerdown need it), typing and choosing go through the
// element's own prototype `value` setter so React/Preact controlled inputs see the change.
// Private fields are refused with a reason the agent is shown.

import type { CommandRequested } from "../protocol.gen";
import { OWN_HOSTS, refusal, type PagePolicy } from "./privacy";

export interface Outcome {
  ok: boolean;
  reason: string | null;
}

const ok: Outcome = { ok: true, reason: null };
const no = (reason: string): Outcome => ({ ok: false, reason });

/** The deepest element at a viewport point, through open shadow roots (not into ours). */
export function elementAt(x: number, y: number): Element | null {
  let el = document.elementFromPoint(x, y);
  while (el?.shadowRoot && !el.matches(OWN_HOSTS)) {
    const inner = el.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === el) break;
    el = inner;
  }
  return el;
}

function asElement(node: Node | null): Element | null {
  if (!node) return null;
  return node.nodeType === 1 ? (node as Element) : node.parentElement;
}

function view(el: Element): Window & typeof globalThis {
  return (el.ownerDocument.defaultView ?? window) as Window & typeof globalThis;
}

/** The element a command is for: the node id when it resolves, else what is at the point. */
export function resolveTarget(cmd: Pick<CommandRequested, "target">,
                              getNode: (id: number) => Node | null): Element | null {
  const t = cmd.target;
  if (!t) return null;
  const byId = t.node_id !== null ? asElement(getNode(t.node_id)) : null;
  if (byId && byId.isConnected) return byId;
  return elementAt(t.x, t.y);
}

function center(el: Element, x?: number, y?: number): { x: number; y: number } {
  const r = el.getBoundingClientRect();
  const inside = x !== undefined && y !== undefined && x >= r.left && x <= r.right &&
    y >= r.top && y <= r.bottom;
  return inside ? { x: x!, y: y! } : { x: r.left + r.width / 2, y: r.top + r.height / 2 };
}

/** pointerdown → mousedown → focus → pointerup → mouseup → click, as a real click does. */
export function click(el: Element, x?: number, y?: number): void {
  const win = view(el);
  const at = center(el, x, y);
  const base = { bubbles: true, cancelable: true, composed: true, clientX: at.x, clientY: at.y,
                 view: win, button: 0 };
  const pointer = { ...base, pointerId: 1, pointerType: "mouse", isPrimary: true };
  const Pointer = win.PointerEvent ?? win.MouseEvent;
  el.dispatchEvent(new Pointer("pointerover", pointer));
  el.dispatchEvent(new win.MouseEvent("mouseover", base));
  const down = el.dispatchEvent(new Pointer("pointerdown", { ...pointer, buttons: 1 }));
  const mouseDown = down && el.dispatchEvent(new win.MouseEvent("mousedown", { ...base, buttons: 1 }));
  if (mouseDown) {
    const focusable = (el as HTMLElement).closest?.(
      "input, textarea, select, button, a[href], [tabindex], [contenteditable]") as HTMLElement | null;
    focusable?.focus?.({ preventScroll: true });
  }
  el.dispatchEvent(new Pointer("pointerup", pointer));
  el.dispatchEvent(new win.MouseEvent("mouseup", base));
  el.dispatchEvent(new win.MouseEvent("click", { ...base, detail: 1 }));
}

/** The `value` setter of the element's own class (HTMLInputElement's throws on a textarea). */
function nativeValueSetter(el: Element): ((v: string) => void) | null {
  let proto: object | null = Object.getPrototypeOf(el);
  while (proto) {
    const desc = Object.getOwnPropertyDescriptor(proto, "value");
    if (desc?.set) {
      const set = desc.set;
      return (v: string) => set.call(el, v);
    }
    proto = Object.getPrototypeOf(proto);
  }
  return null;
}

function fire(el: Element, type: string, data: string | null): void {
  const win = view(el);
  const event = type === "input" && win.InputEvent
    ? new win.InputEvent("input", { bubbles: true, composed: true, inputType: "insertText", data })
    : new win.Event(type, { bubbles: true, composed: true });
  el.dispatchEvent(event);
}

export function typeInto(el: Element, value: string): Outcome {
  const tag = el.tagName.toLowerCase();
  (el as HTMLElement).focus?.({ preventScroll: true });
  if (tag === "input" || tag === "textarea") {
    const input = el as HTMLInputElement;
    if (input.disabled || input.readOnly) return no("that field cannot be edited");
    if (["checkbox", "radio", "button", "submit", "reset", "image", "range", "color"]
      .includes(input.type)) return no("that is not a text field: click it instead");
    const set = nativeValueSetter(el);
    if (!set) return no("that field cannot be edited");
    set(value);
    fire(el, "input", value);
    fire(el, "change", null);
    return ok;
  }
  if ((el as HTMLElement).isContentEditable) {
    el.textContent = value;
    fire(el, "input", value);
    return ok;
  }
  return no("that is not a text field");
}

export function choose(el: Element, value: string): Outcome {
  const select = el.closest("select") as HTMLSelectElement | null;
  if (!select) return no("that is not a list to choose from");
  if (select.disabled) return no("that list cannot be changed");
  const wanted = value.trim().toLowerCase();
  const option = Array.from(select.options).find((o) => o.value === value) ??
    Array.from(select.options).find((o) => o.text.trim().toLowerCase() === wanted);
  if (!option) return no("no such option");
  const set = nativeValueSetter(select);
  if (set) set(option.value);
  else select.value = option.value;
  fire(select, "input", null);
  fire(select, "change", null);
  return ok;
}

function scrollable(el: Element | null): Element | null {
  for (let node = el; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (/(auto|scroll)/.test(style.overflowY + style.overflowX) &&
        (node.scrollHeight > node.clientHeight || node.scrollWidth > node.clientWidth)) return node;
  }
  return null;
}

export function scrollBy(el: Element | null, dx: number, dy: number): Outcome {
  const box = scrollable(el);
  if (box) box.scrollBy({ left: dx, top: dy });
  else window.scrollBy({ left: dx, top: dy });
  return ok;
}

/** Only within the store: the same origin as this page, http(s) only. */
export function navigationRefusal(url: string | null): string | null {
  if (!url) return "no address given";
  try {
    const target = new URL(url, location.href);
    if (target.protocol !== "http:" && target.protocol !== "https:") return "only web addresses";
    if (target.origin !== location.origin) return "agents may only navigate within the store";
  } catch {
    return "not an address";
  }
  return null;
}

/** Applies a command; `navigate` is returned as a deferred action so the result can go first. */
export function apply(cmd: CommandRequested, policy: PagePolicy,
                      getNode: (id: number) => Node | null): Outcome & { then?: () => void } {
  if (cmd.action === "navigate") {
    const why = navigationRefusal(cmd.url);
    if (why) return no(why);
    const url = new URL(cmd.url!, location.href).href;
    return { ...ok, then: () => location.assign(url) };
  }
  const el = resolveTarget(cmd, getNode);
  if (cmd.action === "scroll") return scrollBy(el, cmd.dx, cmd.dy);
  if (!el) return no("nothing is there any more");
  const why = refusal(el, policy);
  if (why) return no(why);
  switch (cmd.action) {
    case "click":
      click(el, cmd.target?.x, cmd.target?.y);
      return ok;
    case "type":
      return typeInto(el, cmd.value ?? "");
    case "select":
      return choose(el, cmd.value ?? "");
  }
  return no("unknown action");
}
