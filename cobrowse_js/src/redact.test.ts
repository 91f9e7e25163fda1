import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { isCardNumber, maskCardDigits, redactCardNumbers } from "./redact";

interface Case { what: string; text: string; redacted: string }

// The cases signaling/redaction.py is held to as well (the tests run from the repository root).
const cases = (JSON.parse(readFileSync("tests/fixtures/card_numbers.json", "utf8")) as
  { cases: Case[] }).cases;

test("the widget masks card numbers exactly as the server does", () => {
  assert.ok(cases.length > 20);
  for (const c of cases) assert.equal(redactCardNumbers(c.text), c.redacted, c.what);
});

test("a card number is recognised by scheme, length and Luhn check", () => {
  assert.ok(isCardNumber("378282246310005"));
  assert.ok(!isCardNumber("378282246310006"));   // Luhn
  assert.ok(!isCardNumber("3782822463100058"));  // Amex has 15 digits
  assert.ok(!isCardNumber("1234567812345670"));  // no scheme starts with 1
});

test("co-browsing keeps a card number's layout and masks its digits", () => {
  assert.equal(maskCardDigits("Card 4111 1111 1111 1111 saved"), "Card **** **** **** **** saved");
  assert.equal(maskCardDigits("Order 1234567890123, ending 4242"),
               "Order 1234567890123, ending 4242");
  assert.equal(maskCardDigits("12 4242424242424242 123"), "12 **************** ***");
});
