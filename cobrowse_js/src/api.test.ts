import assert from "node:assert/strict";
import { test } from "node:test";

import { Api, isInstalled, type Target } from "./api";

function recorder(): Target & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    open: () => calls.push("open"),
    close: () => calls.push("close"),
    identify: (v) => calls.push(`identify ${JSON.stringify(v)}`),
    setContext: (c) => calls.push(`setContext ${JSON.stringify(c)}`),
  };
}

test("calls queued before the script loaded are replayed in order", () => {
  const api = new Api();
  const target = recorder();
  api.attach(target);
  api.replay([["identify", { name: "Dana" }], ["bogus"], "junk", ["setContext", { cart: 3 }],
              ["open"]]);
  assert.deepEqual(target.calls, ['identify {"name":"Dana"}', 'setContext {"cart":3}', "open"]);
});

test("calls before the widget is attached are held until it is", () => {
  const api = new Api();
  api.handle.open();
  const target = recorder();
  api.attach(target);
  assert.deepEqual(target.calls, ["open"]);
});

test("listeners hear events; unsubscribing stops them; a throwing one harms no other", () => {
  const api = new Api();
  const heard: unknown[] = [];
  const stop = api.handle.on("message", (p) => heard.push(p));
  const stopBuggy = api.handle.on("message", () => {
    throw new Error("the page's bug");
  });
  // The page's error is rethrown later (for its console), not into the widget.
  const later: Array<() => void> = [];
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((f: () => void) => later.push(f)) as unknown as typeof setTimeout;
  try {
    api.emit("message", { text: "hi" });
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
  stop();
  stopBuggy();
  api.emit("message", { text: "again" });
  assert.deepEqual(heard, [{ text: "hi" }]);
  assert.equal(later.length, 1);
  assert.throws(() => later[0]?.(), /the page's bug/);
});

test("a late 'ready' subscriber still hears it", async () => {
  const api = new Api();
  api.emit("ready", { visitorId: "vis_1" });
  const payload = await new Promise((resolve) => api.handle.on("ready", resolve));
  assert.deepEqual(payload, { visitorId: "vis_1" });
});

test("toggle follows open and close", () => {
  const api = new Api();
  const target = recorder();
  api.attach(target);
  api.handle.toggle();
  api.emit("open");
  api.handle.toggle();
  assert.deepEqual(target.calls, ["open", "close"]);
});

test("the queue stub is not mistaken for an installed widget", () => {
  assert.equal(isInstalled({ q: [] }), false);
  assert.equal(isInstalled(undefined), false);
  assert.equal(isInstalled(new Api().handle), true);
});

test("reset goes to the loader, also when queued before the script loaded", () => {
  const api = new Api();
  let resets = 0;
  api.resetWith = () => { resets += 1; };
  api.replay([["reset"]]);
  api.handle.reset();
  assert.equal(resets, 2);
});
