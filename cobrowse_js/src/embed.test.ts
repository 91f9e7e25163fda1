import assert from "node:assert/strict";
import { test } from "node:test";

import { findEmbed } from "./embed";

function script(src: string, site: string | null) {
  return { src, getAttribute: (name: string) => (name === "data-site" ? site : null) };
}

test("an async script (no currentScript) is found by its attributes", () => {
  const doc = { currentScript: null,
                querySelectorAll: () => [script("https://help.example.com/aisle.js", "shop")] };
  assert.deepEqual(findEmbed(doc), { siteKey: "shop", base: "https://help.example.com" });
});

test("currentScript wins when there is one", () => {
  const doc = { currentScript: script("http://127.0.0.1:8080/aisle.js?v=2", "demo"),
                querySelectorAll: () => [script("https://other.example/aisle.js", "x")] };
  assert.deepEqual(findEmbed(doc), { siteKey: "demo", base: "http://127.0.0.1:8080" });
});

test("no site key, or a non-http source, means no widget", () => {
  assert.equal(findEmbed({ currentScript: null,
                           querySelectorAll: () => [script("https://a.example/aisle.js", null)] }),
               null);
  assert.equal(findEmbed({ currentScript: script("data:text/javascript,1", "s"),
                           querySelectorAll: () => [] }), null);
});
