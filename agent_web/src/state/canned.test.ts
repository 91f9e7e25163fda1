import { test } from "node:test";
import assert from "node:assert/strict";
import type { CannedResponse } from "../protocol.gen";
import { cannedProblem, expandAt, expandWhole, fillTemplate, matchCanned, shortcutAt } from "./canned";

const list: CannedResponse[] = [
  { id: "1", scope: "personal", team: null, shortcut: "ship", text: "We ship in 24h, {visitor_name}." },
  { id: "2", scope: "team", team: "support", shortcut: "shipping-eu", text: "EU shipping takes 3 days." },
  { id: "3", scope: "personal", team: null, shortcut: "thanks", text: "Thanks, {name}! — {agent_name}" },
];

test("the /word at the caret is a shortcut query; a slash inside a word is not", () => {
  assert.deepEqual(shortcutAt("/shi", 4), { start: 0, end: 4, prefix: "shi" });
  assert.deepEqual(shortcutAt("Hello /Th", 9), { start: 6, end: 9, prefix: "th" });
  assert.deepEqual(shortcutAt("/", 1), { start: 0, end: 1, prefix: "" });
  assert.equal(shortcutAt("see http://x/y", 14), null);
  assert.equal(shortcutAt("a/b", 3), null);
  assert.equal(shortcutAt("/ship now", 3), null, "caret inside the word");
  assert.equal(shortcutAt("no slash", 8), null);
});

test("matches: exact first, then by prefix, then containing", () => {
  assert.deepEqual(matchCanned(list, "ship").map((c) => c.shortcut), ["ship", "shipping-eu"]);
  assert.deepEqual(matchCanned(list, "").map((c) => c.shortcut), ["ship", "shipping-eu", "thanks"]);
  assert.deepEqual(matchCanned(list, "eu").map((c) => c.shortcut), ["shipping-eu"]);
  assert.deepEqual(matchCanned(list, "x"), []);
});

test("expansion replaces the shortcut and fills placeholders", () => {
  const text = "Hi! /ship";
  const q = shortcutAt(text, text.length)!;
  const out = expandAt(text, q, list[0]!, { visitor_name: "Dana" });
  assert.equal(out.text, "Hi! We ship in 24h, Dana.");
  assert.equal(out.caret, out.text.length);
  assert.equal(fillTemplate("Thanks, {name}! — {agent_name}", { agent_name: "Alex" }), "Thanks, there! — Alex");
  assert.equal(fillTemplate("{unknown} stays", {}), "{unknown} stays");
  assert.equal(fillTemplate("Hi {first_name}!", { visitor_name: " Dana  Li " }), "Hi Dana!");
  assert.equal(fillTemplate("Hi {first_name}!", {}), "Hi there!");
});

test("a message that is only a known shortcut is sent expanded", () => {
  assert.equal(expandWhole(" /thanks ", list, { visitor_name: "Dana", agent_name: "Alex" }), "Thanks, Dana! — Alex");
  assert.equal(expandWhole("/nope", list, {}), null);
  assert.equal(expandWhole("/thanks a lot", list, {}), null);
});

test("shortcuts follow the server's rule", () => {
  assert.equal(cannedProblem("ship-2", "text"), null);
  assert.match(cannedProblem("Ship it", "text")!.text, /lower-case/);
  assert.equal(cannedProblem("Ship it", "text")!.field, "shortcut");
  assert.match(cannedProblem("ok", "  ")!.text, /needs some text/);
  assert.equal(cannedProblem("ok", "  ")!.field, "text");
});
