// A last pass over rrweb's events before they are batched: rrweb masks input values and text,
// but not hidden inputs (rrweb#1609) nor attributes that echo what the shopper typed or who they
// are (`placeholder`, `title`, `aria-label`…), and it serializes the document of a same-origin
// frame even when the frame is blocked (a payment frame). Here every serialized element,
// attribute change and input event is checked against the live node it came from, and what
// belongs to a blocked frame is dropped. The page's address (Meta events) and the addresses
// links point to lose their secrets (address.ts). Mutates events in place.

import { maskCardDigits } from "../redact";
import { isSecretField, maskInputValue, maskText, SCRUBBED_ATTRIBUTES, type ElementLike } from "./privacy";

// rrweb's numbers (packages/types): EventType and IncrementalSource, and serialized NodeType.
const FULL_SNAPSHOT = 2;
const META = 4;
const INCREMENTAL = 3;
const MUTATION = 0;
const INPUT = 5;
const ELEMENT_NODE = 2;

type Attributes = Record<string, unknown>;

interface SerializedNode {
  type: number;
  id?: number;
  tagName?: string;
  attributes?: Attributes;
  childNodes?: SerializedNode[];
}

export interface RawEvent {
  type: number;
  data: unknown;
  timestamp: number;
}

/** An address as it may leave the browser (the page's, or a link's): secrets hidden. */
export type AddressScrub = (url: string) => string;

export interface Lookup {
  /** The live element for an rrweb node id (record.mirror), when there is one. */
  element(id: number): ElementLike | null;
  /** The node lives in a blocked frame's document (or is a blocked frame). */
  blocked(id: number): boolean;
}

const FORM_FIELDS = new Set(["input", "textarea", "select"]);
/** Store markup may keep its attributes readable. */
const UNMASKED_ATTRIBUTES = "[data-aisle-unmask]";

/** Attributes that hold styles, not anything typed: left as they are. */
const STYLE_ATTRIBUTES = new Set(["style", "_csstext", "class"]);
/** On SVG elements, the drawing's numbers too: a path's `M6 24.5c2.7 0 2.7-2.6 5.3-2.6…` can
 * read as a card number that passes the Luhn check, and masked, the drawing broke and filled
 * the agent's console with errors. Only on SVG's own elements: elsewhere such a name is any
 * attribute a page could put a number in. */
const SVG_DRAWING = new Set(["d", "points", "viewbox", "transform", "gradienttransform",
                             "patterntransform"]);
const SVG_ELEMENTS = new Set(["svg", "path", "polygon", "polyline", "g", "symbol", "use", "defs",
  "lineargradient", "radialgradient", "pattern", "marker", "clippath", "mask", "rect",
  "circle", "ellipse", "line"]);

function keptAsIs(name: string, tag: string): boolean {
  return STYLE_ATTRIBUTES.has(name) || (SVG_DRAWING.has(name) && SVG_ELEMENTS.has(tag));
}

/** Addresses the agent's browser loads to draw the mirror (pictures, stylesheets, media): a
 * signed picture's address must stay whole or the picture breaks. Every other address is only
 * read: where a link, a form or a frame goes, a URL in a `data-` attribute, a page's canonical
 * address. rrweb makes links and frames absolute from the page's own address (a link to
 * `#reviews` carries the page's query) but leaves a form's `action`, a button's `formaction`,
 * a link's `ping` and `data-` values as the page wrote them: relative ones count too. */
const FETCHED = new Set(["src", "srcset", "poster", "background", "data"]);
const FETCHED_BY_HREF = new Set(["link", "image", "use", "feimage", "script"]);
/** A <link> the mirror loads; any other (canonical, alternate) is only read. */
const FETCHED_LINKS = /(^|\s)(stylesheet|icon|preload|prefetch|modulepreload|manifest|apple-touch-icon)(\s|$)/i;
const WEB_ADDRESS = /^https?:\/\//i;
const RELATIVE_ADDRESS = /^(\/|\?|#|\.\.?\/)/;
const ADDRESS_ATTRIBUTES = new Set(["href", "xlink:href", "action", "formaction", "ping", "cite",
                                    "rr_src"]);

function readOnlyAddress(name: string, value: string, tag: string, rel: string): boolean {
  if (FETCHED.has(name)) return false;
  if (!WEB_ADDRESS.test(value) &&
      !(RELATIVE_ADDRESS.test(value) && (ADDRESS_ATTRIBUTES.has(name) || name.startsWith("data-")))) {
    return false;
  }
  if (name !== "href" && name !== "xlink:href") return true;
  if (tag === "link") return !FETCHED_LINKS.test(rel);
  return !FETCHED_BY_HREF.has(tag);
}

function scrubAttribute(name: string, value: unknown, tag: string, el: ElementLike | null,
                        address: AddressScrub, rel: string): unknown {
  if (typeof value !== "string") return value;
  // A card number a page copied into any attribute (`data-card`, a link) never leaves.
  if (!SCRUBBED_ATTRIBUTES.has(name)) {
    if (keptAsIs(name, tag)) return value;
    return readOnlyAddress(name, value, tag, rel) ? address(value) : maskCardDigits(value);
  }
  if (name === "value") {
    if (!FORM_FIELDS.has(tag)) return maskCardDigits(value);
    // rrweb has masked it already unless it is a hidden input (or masking failed): redo it.
    if (el && isSecretField(el)) return "";
    return /^\**$/.test(value) ? value : maskInputValue(value, el);
  }
  if (el?.closest(UNMASKED_ATTRIBUTES)) return maskCardDigits(value);
  return maskText(value);
}

function scrubAttributes(attrs: Attributes, tag: string, el: ElementLike | null,
                         address: AddressScrub): void {
  // What a <link> is for, from the event or, for a change of its address alone, the page.
  const rel = typeof attrs.rel === "string" ? attrs.rel : el?.getAttribute("rel") ?? "";
  for (const name of Object.keys(attrs)) {
    const lower = name.toLowerCase();
    // Event handlers never belong in a mirror (rrweb strips scripts, not attributes).
    if (lower.startsWith("on")) {
      delete attrs[name];
      continue;
    }
    attrs[name] = scrubAttribute(lower, attrs[name], tag, el, address, rel);
  }
}

function scrubNode(node: SerializedNode, lookup: Lookup, address: AddressScrub): void {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === ELEMENT_NODE && n.attributes) {
      const tag = (n.tagName ?? "").toLowerCase();
      scrubAttributes(n.attributes, tag, typeof n.id === "number" ? lookup.element(n.id) : null,
                      address);
    }
    if (Array.isArray(n.childNodes)) stack.push(...n.childNodes);
  }
}

interface MutationData {
  source: number;
  adds?: { parentId: number; node: SerializedNode }[];
  removes?: { parentId: number; id: number }[];
  texts?: { id: number }[];
  attributes?: { id: number; attributes: Attributes }[];
}

interface InputData {
  source: number;
  id: number;
  text?: unknown;
}

/** Scrubs one event in place: the event to send, or null when nothing of it may go.
 * `address` scrubs the page's address and where its links go. */
export function scrubEvent(event: RawEvent, lookup: Lookup, address: AddressScrub
): RawEvent | null {
  if (event.type === FULL_SNAPSHOT) {
    const data = event.data as { node?: SerializedNode };
    if (data?.node) scrubNode(data.node, lookup, address);
    return event;
  }
  if (event.type === META) {
    // The page's address (a reset token, a payment page's card number in its query string).
    const meta = event.data as { href?: unknown };
    if (typeof meta?.href === "string") meta.href = address(meta.href);
    return event;
  }
  if (event.type !== INCREMENTAL) return event;
  const data = event.data as MutationData & InputData;
  if (data.source === MUTATION) {
    const open = (id: number) => !lookup.blocked(id);
    data.adds = (data.adds ?? []).filter((add) => open(add.parentId));
    data.removes = (data.removes ?? []).filter((r) => open(r.parentId));
    data.texts = (data.texts ?? []).filter((t) => open(t.id));
    data.attributes = (data.attributes ?? []).filter((a) => open(a.id));
    if (!data.adds.length && !data.removes.length && !data.texts.length &&
        !data.attributes.length) return null;
    for (const add of data.adds) if (add.node) scrubNode(add.node, lookup, address);
    for (const change of data.attributes) {
      const el = lookup.element(change.id);
      const tag = el ? el.tagName.toLowerCase() : "";
      if (change.attributes) scrubAttributes(change.attributes, tag, el, address);
    }
    return event;
  }
  const id = (data as { id?: unknown }).id;
  if (typeof id === "number" && lookup.blocked(id)) return null;
  if (data.source === INPUT && typeof data.text === "string") {
    const el = lookup.element(data.id);
    if (!el || isSecretField(el)) data.text = "";
    else if (!/^\**$/.test(data.text)) data.text = maskInputValue(data.text, el);
  }
  return event;
}
