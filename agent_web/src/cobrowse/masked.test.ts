import { test } from "node:test";
import assert from "node:assert/strict";
import type { Replayer } from "@rrweb/replay";
import { HIDDEN_MARK, HiddenFields, hiddenFieldStyles, isMasked, optionToShow,
         saysHidden } from "./masked";

test("a masked value is `*`s; an empty one is no secret", () => {
  assert.equal(isMasked("*"), true);
  assert.equal(isMasked("****"), true);
  assert.equal(isMasked(""), false);
  assert.equal(isMasked("L"), false);
  assert.equal(isMasked("*a"), false);
});

test("a list shows no option for a masked choice, the empty option for an empty one", () => {
  const sizes = ["XS", "S", "M", "L"];
  assert.equal(optionToShow(sizes, "*"), -1);
  // An option whose text was masked to `*` on a masked page must not look chosen.
  assert.equal(optionToShow(["*", "**"], "*"), -1);
  assert.equal(optionToShow(["", ...sizes], ""), 0);
  assert.equal(optionToShow(sizes, ""), -1);
});

test("which fields say their value is hidden", () => {
  assert.equal(saysHidden("select", "", "*", ""), true);
  assert.equal(saysHidden("select", "", "", ""), false);
  assert.equal(saysHidden("input", "number", "*", ""), true, "a number cannot show `*`");
  assert.equal(saysHidden("input", "range", "**", "50"), true, "nor a range, which shows 50");
  assert.equal(saysHidden("input", "color", "*******", "#000000"), true);
  assert.equal(saysHidden("input", "text", "****", "****"), false, "`*`s say it already");
  assert.equal(saysHidden("input", "number", "", ""), false, "empty is empty");
  assert.equal(saysHidden("input", "submit", "***", "***"), false);
  assert.equal(saysHidden("input", "checkbox", "**", ""), false, "its value is not data");
  assert.equal(saysHidden("textarea", "", "***", "***"), false);
});

test("vendor parts of the style only where the browser parses them", () => {
  const none = hiddenFieldStyles(() => false);
  assert.ok(none.every((rule) => !rule.includes("::-")));
  assert.ok(none.some((rule) => rule.includes(`[${HIDDEN_MARK}]`) && rule.includes("hidden")));
  const webkit = hiddenFieldStyles((s) => s.includes("-webkit-"));
  assert.equal(webkit.length, none.length + 2);
  assert.ok(webkit.every((rule) => !rule.includes("-moz-")));
});

// Just enough of a mirrored <select> and <input type=number> for the plugin.
class FakeField {
  readonly nodeType = 1;
  isConnected = true;
  selectedIndex: number;
  private text = "";
  private readonly attrs = new Map<string, string>();

  constructor(readonly tagName: "SELECT" | "INPUT", attrs: Record<string, string>,
              readonly options: { value: string }[] = []) {
    for (const [k, v] of Object.entries(attrs)) this.attrs.set(k, v);
    // A list picks its first option, as a browser does.
    this.selectedIndex = options.length ? 0 : -1;
    if (tagName === "INPUT") this.value = attrs.value ?? "";
  }

  get value(): string {
    return this.tagName === "SELECT" ? (this.options[this.selectedIndex]?.value ?? "") : this.text;
  }

  set value(v: string) {
    if (this.tagName === "SELECT") this.selectedIndex = this.options.findIndex((o) => o.value === v);
    else this.text = /^\d*$/.test(v) ? v : ""; // a number input's sanitizing
  }

  getAttribute(name: string): string | null {
    return this.attrs.get(name) ?? null;
  }

  hasAttribute(name: string): boolean {
    return this.attrs.has(name);
  }

  toggleAttribute(name: string, on: boolean): void {
    if (on) this.attrs.set(name, "");
    else this.attrs.delete(name);
  }

  removeAttribute(name: string): void {
    this.attrs.delete(name);
  }
}

function fakeReplayer(nodes: Map<number, FakeField>) {
  const flush: Array<() => void> = [];
  const replayer = {
    getMirror: () => ({ getNode: (id: number) => nodes.get(id) ?? null }),
    on: (name: string, fn: () => void) => {
      if (name === "flush") flush.push(fn);
      return replayer;
    },
  };
  return { replayer: replayer as unknown as Replayer, flush: () => flush.forEach((fn) => fn()) };
}

const sizes = () => ["XS", "S", "M", "L"].map((value) => ({ value }));
const input = (id: number, text: string) => ({ type: 3, timestamp: 0,
                                               data: { source: 5, id, text, isChecked: false } });
const mutation = { type: 3, timestamp: 0, data: { source: 0, adds: [], removes: [], texts: [],
                                                  attributes: [] } };
const snapshot = { type: 2, timestamp: 0, data: {} };

test("built from a snapshot, masked fields show as hidden and stay so", () => {
  const size = new FakeField("SELECT", { id: "size", value: "*" }, sizes());
  const quantity = new FakeField("INPUT", { id: "quantity", type: "number", value: "*" });
  const nodes = new Map([[10, size], [11, quantity]]);
  const { replayer, flush } = fakeReplayer(nodes);
  const hidden = new HiddenFields();
  hidden.follow(replayer);
  const plugin = hidden.plugin;
  plugin.onBuild!(size as unknown as Node, { id: 10, replayer });
  plugin.onBuild!(quantity as unknown as Node, { id: 11, replayer });
  plugin.handler!(snapshot as never, true, { replayer });
  assert.equal(size.selectedIndex, -1, "not XS, which the shopper did not choose");
  assert.ok(size.hasAttribute(HIDDEN_MARK));
  assert.ok(quantity.hasAttribute(HIDDEN_MARK));
  // The store adds an option: the list picks its first again, and is put back.
  size.options.push({ value: "XXL" });
  size.selectedIndex = 0;
  plugin.handler!(mutation as never, false, { replayer });
  assert.equal(size.selectedIndex, -1);
  // A seek re-sets every attribute, the mark among them: put back at the flush.
  size.removeAttribute(HIDDEN_MARK);
  flush();
  assert.ok(size.hasAttribute(HIDDEN_MARK));
});

test("input events: empty shows empty, a choice shows as hidden", () => {
  const size = new FakeField("SELECT", { value: "*" }, [{ value: "" }, ...sizes()]);
  const quantity = new FakeField("INPUT", { type: "number", value: "*" });
  const nodes = new Map([[10, size], [11, quantity]]);
  const { replayer } = fakeReplayer(nodes);
  const { plugin } = new HiddenFields();
  plugin.onBuild!(size as unknown as Node, { id: 10, replayer });
  plugin.onBuild!(quantity as unknown as Node, { id: 11, replayer });
  // rrweb applies the event (sets `value`), then calls the plugin.
  size.value = "";
  quantity.value = "";
  plugin.handler!(input(10, "") as never, false, { replayer });
  plugin.handler!(input(11, "") as never, false, { replayer });
  assert.deepEqual([size.selectedIndex, size.hasAttribute(HIDDEN_MARK)], [0, false]);
  assert.equal(quantity.hasAttribute(HIDDEN_MARK), false);
  size.value = "*";
  quantity.value = "*";
  plugin.handler!(input(10, "*") as never, false, { replayer });
  plugin.handler!(input(11, "**") as never, false, { replayer });
  assert.deepEqual([size.selectedIndex, size.hasAttribute(HIDDEN_MARK)], [-1, true]);
  assert.equal(quantity.hasAttribute(HIDDEN_MARK), true);
});

test("a seek: an input event for a field built only at the flush keeps its value", () => {
  const nodes = new Map<number, FakeField>();
  const { replayer, flush } = fakeReplayer(nodes);
  const hidden = new HiddenFields();
  hidden.follow(replayer);
  // Added by a mutation in the seek (virtual DOM: not in the page yet), then chosen.
  hidden.plugin.handler!(mutation as never, true, { replayer });
  hidden.plugin.handler!(input(20, "*") as never, true, { replayer });
  hidden.plugin.handler!(mutation as never, true, { replayer }); // still not in the page
  // The flush builds it with the value it was added with (empty), then applies the input.
  const size = new FakeField("SELECT", {}, sizes());
  nodes.set(20, size);
  size.value = "*";
  hidden.plugin.onBuild!(size as unknown as Node, { id: 20, replayer });
  flush();
  assert.deepEqual([size.selectedIndex, size.hasAttribute(HIDDEN_MARK)], [-1, true]);
});

test("a new snapshot's fields are not given an older page's input", () => {
  const nodes = new Map<number, FakeField>();
  const { replayer, flush } = fakeReplayer(nodes);
  const hidden = new HiddenFields();
  hidden.follow(replayer);
  hidden.plugin.handler!(input(30, "*") as never, true, { replayer });
  hidden.plugin.handler!(snapshot as never, true, { replayer });
  const size = new FakeField("SELECT", {}, [{ value: "" }, ...sizes()]);
  nodes.set(30, size);
  hidden.plugin.onBuild!(size as unknown as Node, { id: 30, replayer });
  flush();
  assert.deepEqual([size.selectedIndex, size.hasAttribute(HIDDEN_MARK)], [0, false]);
});
