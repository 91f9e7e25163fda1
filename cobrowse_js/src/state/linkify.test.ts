import assert from "node:assert/strict";
import { test } from "node:test";

import { linkify } from "./linkify";

test("plain text stays one segment", () => {
  assert.deepEqual(linkify("no links <b>here</b>"), [{ text: "no links <b>here</b>" }]);
});

test("URLs become links without trailing punctuation", () => {
  assert.deepEqual(linkify("Track it at https://post.example/t/42. Thanks!"), [
    { text: "Track it at " },
    { text: "https://post.example/t/42", href: "https://post.example/t/42" },
    { text: ". Thanks!" },
  ]);
});

test("parentheses around a link are not part of it", () => {
  assert.deepEqual(linkify("(see https://shop.example/size)"), [
    { text: "(see " },
    { text: "https://shop.example/size", href: "https://shop.example/size" },
    { text: ")" },
  ]);
});

test("only http and https are linked", () => {
  assert.deepEqual(linkify("javascript:alert(1)"), [{ text: "javascript:alert(1)" }]);
});
