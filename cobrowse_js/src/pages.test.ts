import assert from "node:assert/strict";
import { test } from "node:test";

import { currentPage } from "./pages";

test("a card number in the page's address or title never leaves the browser", () => {
  const g = globalThis as unknown as { location?: unknown; document?: unknown };
  const saved = { location: g.location, document: g.document };
  g.location = { href: "https://shop.example/pay?card=4111111111111111&step=2" };
  g.document = { title: "Paying with 4111 1111 1111 1111" };
  try {
    assert.deepEqual(currentPage(), { url: "https://shop.example/pay?card=****************&step=2",
                                      title: "Paying with **** **** **** ****" });
  } finally {
    g.location = saved.location;
    g.document = saved.document;
  }
});
