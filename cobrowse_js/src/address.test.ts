import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { HIDDEN, SECRET_PARAMS, SECRET_SUFFIXES, nameKey, scrubAddress } from "./address";

interface Case { what: string; url: string; scrubbed: string; extra?: string[] }
interface Shared { secret_params: string[]; secret_suffixes: string[]; cases: Case[] }

// What signaling/addresses.py is held to as well (the tests run from the repository root).
const shared = JSON.parse(readFileSync("tests/fixtures/page_addresses.json", "utf8")) as Shared;

test("the widget hides the same parameter names as the server", () => {
  assert.deepEqual([...SECRET_PARAMS], shared.secret_params);
  assert.deepEqual([...SECRET_SUFFIXES], shared.secret_suffixes);
});

test("the widget scrubs addresses exactly as the server does", () => {
  assert.ok(shared.cases.length > 20);
  for (const c of shared.cases) assert.equal(scrubAddress(c.url, c.extra ?? []), c.scrubbed, c.what);
});

test("the brief's address keeps where the shopper is and loses its tokens", () => {
  const url = "https://shop.example/demo/product.html?token=abc123&utm_source=mail#access_token=xyz";
  const scrubbed = scrubAddress(url);
  assert.equal(scrubbed, `https://shop.example/demo/product.html?token=${HIDDEN}&utm_source=mail` +
                         `#access_token=${HIDDEN}`);
  assert.doesNotMatch(scrubbed, /abc123|xyz/);
});

test("names compare without case, dashes, underscores or dots", () => {
  assert.equal(nameKey("X-Amz-Signature"), nameKey("x_amz_signature"));
  assert.equal(nameKey("xAmzSignature"), nameKey("x.amz.signature"));
});
