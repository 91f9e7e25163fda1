// A tiny element builder for the store's plain-DOM pages (the checkout uses Preact instead).

export type Handlers = { [E in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[E]) => void };
type AttrValue = string | number | boolean | null | undefined;
export type Attrs = { [name: string]: AttrValue | Handlers; on?: Handlers };
export type Child = Node | string | number | null | undefined | false;

/**
 * Creates an element. Attributes: `true` sets an empty attribute, `false`/`null`/`undefined`
 * leave it out; `on` holds event listeners.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "on") {
      for (const [type, listener] of Object.entries(value as Handlers)) {
        el.addEventListener(type, listener as EventListener);
      }
    } else if (value === true) {
      el.setAttribute(name, "");
    } else if (value !== false && value !== null && value !== undefined) {
      el.setAttribute(name, String(value));
    }
  }
  el.append(...toNodes(children));
  return el;
}

function toNodes(children: Child[]): (Node | string)[] {
  const out: (Node | string)[] = [];
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    out.push(typeof child === "number" ? String(child) : child);
  }
  return out;
}

/** The element with this id, or an error naming it: pages rely on their static markup. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`demo store: #${id} is missing from the page`);
  return el as T;
}
