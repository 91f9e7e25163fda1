import assert from "node:assert/strict";
import { test } from "node:test";

import {
  globToRegExp, isSecretField, maskInputValue, maskText, pagePolicy, refusal, textVisible,
  type ElementLike,
} from "./privacy";
import { scrubEvent, type Lookup } from "./scrub";
import { shareableAddress } from "../pages";

/** The recorder's, on a site that hides no names of its own. */
const address = (url: string) => shareableAddress(url, []);

/** An element that "matches" the selectors listed in `inside` (itself or an ancestor). */
function el(tag: string, attrs: Record<string, string> = {}, inside: string[] = []): ElementLike {
  return {
    tagName: tag.toUpperCase(),
    getAttribute: (name) => attrs[name] ?? null,
    closest: (selector) => selector.split(",").map((s) => s.trim()).some((s) => inside.includes(s)),
  };
}

test("checkout and account pages mask all text; other pages only what the store marks", () => {
  assert.equal(pagePolicy("https://shop.example/checkout", null).maskAllText, true);
  assert.equal(pagePolicy("https://shop.example/demo/account.html", null).maskAllText, true);
  assert.equal(pagePolicy("https://shop.example/demo/product.html?id=3", null).maskAllText, false);
  const policy = pagePolicy("https://shop.example/product", null);
  assert.equal(textVisible(el("p"), policy), true);
  assert.equal(textVisible(el("p", {}, ["[data-aisle-mask]"]), policy), false);
  const checkout = pagePolicy("https://shop.example/checkout", null);
  assert.equal(textVisible(el("p"), checkout), false);
  assert.equal(textVisible(el("label", {}, ["label"]), checkout), true);
  assert.equal(textVisible(el("span", {}, ["[data-aisle-unmask]"]), checkout), true);
  // Store masking wins over an allow-listed ancestor.
  assert.equal(textVisible(el("h2", {}, ["h2", "[data-aisle-mask]"]), checkout), false);
});

test("site rules per URL pattern add selectors and switch text masking", () => {
  const site = { rules: [
    { match: "*/product*", mask_all_text: true, mask: [".reviews"], block: [".chat-embed"],
      unmask: [".price"] },
    { match: "*/checkout*", mask_all_text: false },
    { match: "*/product*", mask: ["!!bad("] },
  ] };
  const check = (s: string) => !s.includes("(");
  const product = pagePolicy("https://shop.example/product/7", site, check);
  assert.equal(product.maskAllText, true);
  assert.match(product.maskSelector, /\.reviews/);
  assert.match(product.blockSelector, /\.chat-embed/);
  assert.match(product.unmaskSelector, /\.price/);
  assert.doesNotMatch(product.maskSelector, /bad/);
  assert.equal(pagePolicy("https://shop.example/checkout", site).maskAllText, false);
  assert.equal(globToRegExp("*/help?.html").test("https://x/help1.html"), true);
  assert.equal(globToRegExp("*/help?.html").test("https://x/help12.html"), false);
});

test("secret fields send nothing; other inputs only their length in stars", () => {
  const secrets: Record<string, string>[] = [
    { type: "password" }, { type: "hidden" }, { autocomplete: "cc-number" },
    { autocomplete: "cc-csc" }, { name: "cvv" }, { id: "card-number" }];
  for (const attrs of secrets) {
    assert.equal(isSecretField(el("input", attrs)), true, JSON.stringify(attrs));
    assert.equal(maskInputValue("4242 4242", el("input", attrs)), "");
  }
  assert.equal(isSecretField(el("input", { autocomplete: "address-line1" })), false);
  assert.equal(maskInputValue("12 Harbour St", el("input", {})), "*************");
  assert.equal(maskText("Card ending in 4242"), "**** ****** ** ****");
});

test("control is refused on private fields, with a reason", () => {
  const policy = pagePolicy("https://shop.example/checkout", null);
  assert.match(refusal(el("input", { type: "password" }), policy)!, /password/);
  assert.match(refusal(el("input", { autocomplete: "cc-number" }), policy)!, /card/);
  assert.match(refusal(el("iframe", {}, ["[data-aisle-block]"]), policy)!, /payment|private/);
  assert.match(refusal(el("input", {}, ["[data-aisle-mask]"]), policy)!, /private/);
  assert.match(refusal(el("button", {}, ["#aisle-widget-host"]), policy)!, /chat/);
  assert.equal(refusal(el("input", { autocomplete: "address-line1" }), policy), null);
  assert.equal(refusal(el("button"), policy), null);
});

test("the scrubber masks typed-data attributes, empties secrets and drops handlers", () => {
  const nodes = new Map<number, ElementLike>([
    [2, el("input", { type: "hidden" })], [3, el("img")], [4, el("input", {})],
    [5, el("div", {}, ["[data-aisle-unmask]"])],
  ]);
  const lookup: Lookup = { element: (id) => nodes.get(id) ?? null, blocked: (id) => id === 9 };
  const full = { type: 2, timestamp: 1, data: { node: { type: 0, id: 1, childNodes: [
    { type: 2, id: 2, tagName: "input", attributes: { type: "hidden", value: "ot_secret" },
      childNodes: [] },
    { type: 2, id: 3, tagName: "img", attributes: { title: "dana@example.com", onerror: "x()",
                                                    src: "/a.png" }, childNodes: [] },
    { type: 2, id: 4, tagName: "input", attributes: { value: "12 Harbour St",
                                                      placeholder: "you@example.com" },
      childNodes: [] },
    { type: 2, id: 5, tagName: "div", attributes: { "aria-label": "Basket" }, childNodes: [] },
  ] } } };
  const out = JSON.stringify(scrubEvent(full, lookup, address));
  for (const secret of ["ot_secret", "dana@example.com", "12 Harbour", "you@example", "onerror"]) {
    assert.ok(!out.includes(secret), secret);
  }
  assert.match(out, /"src":"\/a.png"/);
  assert.match(out, /"aria-label":"Basket"/);
  const typed = { type: 3, timestamp: 2, data: { source: 5, id: 2, text: "ot_secret" } };
  assert.equal((scrubEvent(typed, lookup, address)!.data as { text: string }).text, "");
  const mutation = { type: 3, timestamp: 3, data: { source: 0, texts: [], removes: [],
    attributes: [{ id: 3, attributes: { title: "Dana Smith" } }],
    adds: [{ parentId: 9, nextId: null, node: { type: 2, id: 10, tagName: "input",
                                                attributes: {}, childNodes: [] } }] } };
  const scrubbed = scrubEvent(mutation, lookup, address)!;
  const data = scrubbed.data as { adds: unknown[]; attributes: { attributes: { title: string } }[] };
  assert.equal(data.adds.length, 0); // inside a blocked frame
  assert.equal(data.attributes[0]!.attributes.title, "**** *****");
  const inFrame = { type: 3, timestamp: 4, data: { source: 5, id: 9, text: "4242" } };
  assert.equal(scrubEvent(inFrame, lookup, address), null);
});

test("marks reach through shadow roots and frames; typed rich text and card numbers are masked", () => {
  const product = pagePolicy("https://shop.example/product", null);
  // A paragraph in the shadow root of a marked host, and one in a marked frame's document.
  const host = el("div", {}, ["[data-aisle-mask]"]);
  const inShadow: ElementLike = { ...el("p"), getRootNode: () => ({ host }) };
  assert.equal(textVisible(inShadow, product), false);
  const frame = el("iframe", {}, ["[data-aisle-mask]"]);
  const inFrame: ElementLike = { ...el("p"), getRootNode: () => ({}),
                                 ownerDocument: { defaultView: { frameElement: frame } } };
  assert.equal(textVisible(inFrame, product), false);
  assert.match(refusal({ ...el("input"), getRootNode: () => ({ host }) }, product)!, /private/);
  const editable = "[contenteditable]:not([contenteditable='false'])";
  assert.equal(textVisible(el("p", {}, [editable]), product), false);
  assert.equal(textVisible(el("p", {}, [editable, "[data-aisle-unmask]"]), product), true);
  // A choice in a list: one star, whatever its length.
  assert.equal(maskInputValue("Express delivery", el("select")), "*");

  const lookup: Lookup = { element: () => el("p"), blocked: () => false };
  const echoed = { type: 3, timestamp: 5, data: { source: 0, texts: [], removes: [], adds: [],
    attributes: [{ id: 3, attributes: { "data-card": "4111111111111111", href: "/o/12" } }] } };
  const attrs = (scrubEvent(echoed, lookup, address)!.data as
    { attributes: { attributes: Record<string, string> }[] }).attributes[0]!.attributes;
  assert.deepEqual(attrs, { "data-card": "****************", href: "/o/12" });
  // A payment page's address in the page's Meta event.
  const meta = { type: 4, timestamp: 1, data: { href: "https://shop/pay?card=4111111111111111", width: 1, height: 1 } };
  assert.equal((scrubEvent(meta, lookup, address)!.data as { href: string }).href, "https://shop/pay?card=****************");
  // An SVG drawing's numbers are no card, even where they pass the Luhn check (the demo
  // store's logo did): masked, the drawing broke.
  const logo = "M6 24.5c2.7 0 2.7-2.6 5.3-2.6s2.7 2.6 5.4 2.6 2.7-2.6 5.3-2.6";
  const drawn = { type: 3, timestamp: 6, data: { source: 0, texts: [], removes: [], adds: [],
    attributes: [{ id: 4, attributes: { d: logo, viewBox: "0 0 4111 1111 1111 1111" } }] } };
  const svg: Lookup = { element: () => el("path"), blocked: () => false };
  const kept = (scrubEvent(drawn, svg, address)!.data as
    { attributes: { attributes: Record<string, string> }[] }).attributes[0]!.attributes;
  assert.deepEqual(kept, { d: logo, viewBox: "0 0 4111 1111 1111 1111" });
  // The same names on any other element are masked as any attribute is.
  const onDiv = { type: 3, timestamp: 7, data: { source: 0, texts: [], removes: [], adds: [],
    attributes: [{ id: 5, attributes: { points: "4111111111111111" } }] } };
  const masked = (scrubEvent(onDiv, lookup, address)!.data as
    { attributes: { attributes: Record<string, string> }[] }).attributes[0]!.attributes;
  assert.deepEqual(masked, { points: "****************" });
});

test("the page's address and where its links go lose their secrets; what the mirror loads does not", () => {
  const page = "https://shop.example/demo/product.html?token=abc123&utm_source=mail";
  const site = (url: string) => shareableAddress(url, pagePolicy(page, {
    hidden_url_params: ["order_ref"] }).hiddenParams);
  const meta = { type: 4, timestamp: 1, data: { href: `${page}&order_ref=o77#access_token=xyz`,
                                                width: 1, height: 1 } };
  assert.equal((scrubEvent(meta, { element: () => null, blocked: () => false }, site)!.data as
    { href: string }).href, "https://shop.example/demo/product.html?token=[hidden]&utm_source=mail" +
    "&order_ref=[hidden]#access_token=[hidden]");
  const nodes = new Map<number, ElementLike>([[2, el("a")], [3, el("img")], [4, el("link")],
    [5, el("form")], [6, el("iframe")], [7, el("div")]]);
  const lookup: Lookup = { element: (id) => nodes.get(id) ?? null, blocked: () => false };
  const signed = "https://cdn.example/tee.jpg?X-Amz-Signature=f00d&X-Amz-Credential=AKIA";
  const full = { type: 2, timestamp: 2, data: { node: { type: 0, id: 1, childNodes: [
    // rrweb writes `#main` as the page's own address with it.
    { type: 2, id: 2, tagName: "a", attributes: { href: `${page}#main` }, childNodes: [] },
    { type: 2, id: 3, tagName: "img", attributes: { src: signed, srcset: `${signed} 2x` },
      childNodes: [] },
    { type: 2, id: 4, tagName: "link", attributes: { rel: "stylesheet", href: signed },
      childNodes: [] },
    { type: 2, id: 5, tagName: "form", attributes: { action: "https://shop.example/login?session=s1" },
      childNodes: [] },
    { type: 2, id: 6, tagName: "iframe", attributes: { rr_src: "https://chat.example/w?jwt=j1" },
      childNodes: [] },
    { type: 2, id: 7, tagName: "div", attributes: {
      "data-share": "https://x.example/share?url=https%3A%2F%2Fshop.example%2F%3Ftoken%3Dabc123" },
      childNodes: [] },
  ] } } };
  const out = JSON.stringify(scrubEvent(full, lookup, site));
  for (const secret of ["abc123", "s1", "j1"]) assert.ok(!out.includes(secret), secret);
  assert.ok(out.includes(`"href":"https://shop.example/demo/product.html?token=[hidden]&utm_source=mail#main"`));
  assert.equal(out.split(signed).length - 1, 3); // a picture, its sizes and a stylesheet, whole
  // An attribute change to a link: the same.
  const moved = { type: 3, timestamp: 3, data: { source: 0, texts: [], removes: [], adds: [],
    attributes: [{ id: 2, attributes: { href: "https://shop.example/?order_ref=o77&q=mug" } }] } };
  assert.deepEqual((scrubEvent(moved, lookup, site)!.data as
    { attributes: { attributes: Record<string, string> }[] }).attributes[0]!.attributes,
    { href: "https://shop.example/?order_ref=[hidden]&q=mug" });
  // Addresses rrweb leaves as the page wrote them (relative), and a page's canonical address.
  nodes.set(8, el("button"));
  nodes.set(9, el("link"));
  const relative = { type: 2, timestamp: 4, data: { node: { type: 0, id: 1, childNodes: [
    { type: 2, id: 5, tagName: "form", attributes: { action: "/account/login?session=s2&email=dana%40example.com" },
      childNodes: [] },
    { type: 2, id: 8, tagName: "button", attributes: { formaction: "/reset?token=t2" }, childNodes: [] },
    { type: 2, id: 2, tagName: "a", attributes: { href: "/p", ping: "/t?email=dana%40example.com" },
      childNodes: [] },
    { type: 2, id: 7, tagName: "div", attributes: { "data-url": "//shop.example/reset?token=t3" },
      childNodes: [] },
    { type: 2, id: 9, tagName: "link", attributes: { rel: "canonical",
      href: "https://shop.example/account/reset?token=t4" }, childNodes: [] },
  ] } } };
  const scrubbed = JSON.stringify(scrubEvent(relative, lookup, site));
  for (const secret of ["s2", "dana", "t2", "t3", "t4"]) assert.ok(!scrubbed.includes(secret), secret);
  assert.ok(scrubbed.includes(`"action":"/account/login?session=[hidden]&email=[hidden]"`));
});
