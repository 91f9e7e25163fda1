// What never leaves the shopper's browser, decided before rrweb serializes anything: which
// elements are blocked (our own UI, payment frames, `data-aisle-block`), which text is masked
// (`data-aisle-mask`; every text on checkout/account pages except an allow-list and
// `data-aisle-unmask`), which fields are secret outright (passwords, hidden inputs, card fields)
// and which the agent may not operate. Site settings add rules per URL pattern.

import { hiddenParams } from "../pages";

/** Our own UI: the chat widget and the co-browse overlay. Never mirrored, never controlled. */
export const OWN_HOSTS = "#aisle-widget-host, #aisle-cobrowse-host";

/** Payment providers' frames, by address or name, plus the generic "payment" in a frame src. */
const PAYMENT_FRAMES = [
  "iframe[src*='stripe']", "iframe[name^='__privateStripe']", "iframe[src*='adyen']",
  "iframe[src*='braintree']", "iframe[src*='paypal']", "iframe[src*='checkout.com']",
  "iframe[src*='klarna']", "iframe[src*='payment']", "iframe[src*='pay.google']",
  "iframe[src*='apple-pay']", "iframe[src*='squareup']", "iframe[src*='mollie']",
].join(", ");

/** On pages that mask all text, these stay readable (they carry no typed data). */
const DEFAULT_UNMASKED = "h1, h2, h3, h4, label, legend, button, nav, th, dt, " +
  "[role=button], [role=tab], [role=menuitem], .page-title";

/** Pages that mask all text unless a site rule says otherwise. */
const DEFAULT_MASK_ALL_TEXT = /(checkout|account|login|sign-?in|sign-?up|register|payment|billing|profile|password|order-status)/i;

export interface UrlRule {
  /** Shell-style pattern on the full address: `*` any run of characters, `?` one. */
  match: string;
  mask_all_text?: boolean | null;
  mask?: string[];
  block?: string[];
  unmask?: string[];
}

/** Optional co-browse settings of a site (`site.cobrowse`), when the server sends them. */
export interface SitePolicy {
  rules?: UrlRule[];
  /** Parameters hidden in page addresses besides the built-in ones (address.ts). */
  hidden_url_params?: string[];
}

export interface PagePolicy {
  maskAllText: boolean;
  maskSelector: string;
  blockSelector: string;
  unmaskSelector: string;
  /** The site's parameter names hidden in addresses (the page's, and its links'). */
  hiddenParams: readonly string[];
}

export function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, "i");
}

/** A selector list the browser accepts, or "" (one bad site rule must not break masking). */
function validSelectors(list: readonly string[], check: (s: string) => boolean): string[] {
  return list.map((s) => s.trim()).filter((s) => s && s.length <= 500 && check(s));
}

export function pagePolicy(url: string, site: SitePolicy | null | undefined,
                           check: (selector: string) => boolean = () => true): PagePolicy {
  let path = url;
  try {
    const parsed = new URL(url);
    path = parsed.pathname + parsed.search;
  } catch {
    // not a URL: match the text as it is
  }
  let maskAllText = DEFAULT_MASK_ALL_TEXT.test(path);
  const mask = ["[data-aisle-mask]"];
  const block = [OWN_HOSTS, "[data-aisle-block]", PAYMENT_FRAMES];
  const unmask = ["[data-aisle-unmask]", DEFAULT_UNMASKED];
  for (const rule of Array.isArray(site?.rules) ? site.rules : []) {
    if (!rule || typeof rule.match !== "string" || !globToRegExp(rule.match).test(url)) continue;
    if (typeof rule.mask_all_text === "boolean") maskAllText = rule.mask_all_text;
    mask.push(...validSelectors(rule.mask ?? [], check));
    block.push(...validSelectors(rule.block ?? [], check));
    unmask.push(...validSelectors(rule.unmask ?? [], check));
  }
  return { maskAllText, maskSelector: mask.join(", "), blockSelector: block.join(", "),
           unmaskSelector: unmask.join(", "), hiddenParams: hiddenParams(site) };
}

/** Every visible character becomes `*`; spacing stays, so the layout does. */
export function maskText(text: string): string {
  return text.replace(/\S/g, "*");
}

/** The parts of an element the rules look at (a real Element satisfies it). */
export interface ElementLike {
  tagName: string;
  getAttribute(name: string): string | null;
  closest(selector: string): unknown;
  getRootNode?(): unknown;
  ownerDocument?: { defaultView: { frameElement: unknown } | null } | null;
}

/** Typed rich text: masked like any input's value. */
const EDITABLE = "[contenteditable]:not([contenteditable='false'])";

/** The element a shadow root or a same-origin frame's document hangs from, or null. */
function container(el: ElementLike): ElementLike | null {
  const root = el.getRootNode?.() as { host?: ElementLike } | undefined;
  if (root?.host) return root.host;
  try {
    return (el.ownerDocument?.defaultView?.frameElement as ElementLike | null) ?? null;
  } catch {
    return null;  // a cross-origin frame: never recorded
  }
}

/** Whether `el`, or an element it lives in, matches `selector`, through shadow roots and
 * same-origin frames (`Element.closest` stops at both: a marked shadow host or iframe would
 * hide nothing inside it). */
export function closestComposed(el: ElementLike, selector: string): boolean {
  let at: ElementLike | null = el;
  for (let hops = 0; at && hops < 32; hops++) {
    if (at.closest(selector)) return true;
    at = container(at);
  }
  return false;
}

const CARD_NAME = /(card.?num|cc.?num|cardnumber|cvc|cvv|csc|security.?code|card.?code|cc-?exp|expir|iban|account.?number|routing|sort.?code|\bpin\b|ssn)/i;

/** Fields whose values never leave the page, not even masked to their length. */
export function isSecretField(el: ElementLike): boolean {
  const tag = el.tagName.toLowerCase();
  if (tag !== "input" && tag !== "textarea" && tag !== "select") return false;
  const type = (el.getAttribute("type") ?? "").toLowerCase();
  if (type === "password" || type === "hidden") return true;
  const autocomplete = (el.getAttribute("autocomplete") ?? "").toLowerCase();
  if (/\bcc-/.test(autocomplete) || autocomplete.includes("one-time-code") ||
      autocomplete.includes("current-password") || autocomplete.includes("new-password")) {
    return true;
  }
  const names = `${el.getAttribute("name") ?? ""} ${el.getAttribute("id") ?? ""}`;
  return CARD_NAME.test(names);
}

/** What an input shows the agent: nothing for secrets, one `*` per character otherwise (a
 * choice in a list: one `*`, as its length would tell which option it is). */
export function maskInputValue(value: string, el: ElementLike | null): string {
  if (!value) return "";
  if (el && isSecretField(el)) return "";
  if (el?.tagName.toLowerCase() === "select") return "*";
  return "*".repeat(Math.min(value.length, 64));
}

/** Text the agent sees: masked when the page or the store says so, unless allow-listed; what
 * the shopper types into a rich-text box is masked as an input's value is. */
export function textVisible(el: ElementLike | null, policy: PagePolicy): boolean {
  if (!el) return !policy.maskAllText;
  if (closestComposed(el, policy.maskSelector)) return false;
  if (closestComposed(el, OWN_HOSTS)) return false;
  const unmasked = closestComposed(el, policy.unmaskSelector);
  if (closestComposed(el, EDITABLE) && !closestComposed(el, "[data-aisle-unmask]")) return false;
  return !policy.maskAllText || unmasked;
}

/** Why the agent may not operate this element, or null when they may. */
export function refusal(el: ElementLike, policy: PagePolicy): string | null {
  if (closestComposed(el, OWN_HOSTS)) return "that is the chat window, not the store's page";
  const tag = el.tagName.toLowerCase();
  if (closestComposed(el, policy.blockSelector)) {
    return tag === "iframe" || closestComposed(el, PAYMENT_FRAMES) ? "payment frames are private"
      : "that part of the page is private";
  }
  if (tag === "iframe") return "frames cannot be controlled";
  if (closestComposed(el, policy.maskSelector)) return "that field is private (masked by the store)";
  const type = (el.getAttribute("type") ?? "").toLowerCase();
  if (type === "password") return "password fields are private";
  if (type === "file") return "only the shopper can choose files";
  if (isSecretField(el)) return "card and security fields are private";
  return null;
}

/** Attributes that can carry what the shopper typed or who they are. */
export const SCRUBBED_ATTRIBUTES = new Set(["value", "placeholder", "title", "aria-label",
  "aria-valuetext", "aria-description", "alt"]);
