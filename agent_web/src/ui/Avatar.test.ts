import { test } from "node:test";
import assert from "node:assert/strict";
import { COLOURS, initials } from "./Avatar";

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

/** WCAG's contrast ratio of two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string): number => {
    const [r, g, b2] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b2!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

test("white initials are readable on every avatar colour (4.5:1)", () => {
  for (const c of COLOURS) assert.ok(contrast("#ffffff", c) >= 4.5, `${c}: ${contrast("#ffffff", c).toFixed(2)}`);
});
