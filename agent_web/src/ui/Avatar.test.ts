import { test } from "node:test";
import assert from "node:assert/strict";
import { initials } from "./Avatar";

test("initials are letters only: brackets, punctuation, digits and emoji are skipped", () => {
  assert.equal(initials("Olivia (owner)"), "O");
  assert.equal(initials("Sam Reyes [night shift]"), "SR");
  assert.equal(initials("Sam {temp"), "S", "an aside left open");
  assert.equal(initials('"Dana" O\'Brien'), "DO");
  assert.equal(initials("Jean-Luc Picard"), "JP");
  assert.equal(initials("Agent 007"), "A");
  assert.equal(initials("🎉 party team"), "PT");
  assert.equal(initials("@alex"), "A");
});

test("one word, first and last of many, lower case", () => {
  assert.equal(initials("Olivia"), "O");
  assert.equal(initials("  maria  de la cruz "), "MC");
});

test("letters of other scripts, with their accents", () => {
  assert.equal(initials("Łukasz Żak"), "ŁŻ");
  assert.equal(initials("E\u0301mile Zola"), "E\u0301Z", "a decomposed accent stays on its letter");
  assert.equal(initials("Иван Петров"), "ИП");
  assert.equal(initials("王小明"), "王");
  assert.equal(initials("محمد علي"), "مع");
  assert.equal(initials("अमित शाह"), "अशा", "a vowel sign stays with its letter");
  assert.equal(initials("ßimon"), "ß", "no letter becomes two");
});

test("nothing to take a letter from", () => {
  assert.equal(initials(""), "?");
  assert.equal(initials("   "), "?");
  assert.equal(initials("(owner)"), "O", "only an aside: better than nothing");
  assert.equal(initials("007 !!"), "?");
});
