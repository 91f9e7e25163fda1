import assert from "node:assert/strict";
import { test } from "node:test";

import { currentPage, hiddenParams } from "./pages";

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

test("secrets in the page's address never leave the browser; where the shopper is does", () => {
  const g = globalThis as unknown as { location?: unknown; document?: unknown };
  const saved = { location: g.location, document: g.document };
  g.location = { href: "https://shop.example/account/reset?token=abc123&utm_source=mail" +
                       "&order_ref=o77&email=dana%40example.com#access_token=xyz" };
  g.document = { title: "Choose a new password" };
  try {
    assert.equal(currentPage(hiddenParams({ hidden_url_params: ["order_ref"] })).url,
                 "https://shop.example/account/reset?token=[hidden]&utm_source=mail" +
                 "&order_ref=[hidden]&email=[hidden]#access_token=[hidden]");
    // An older server sends no names of the site's own: the built-in ones still apply.
    assert.equal(currentPage(hiddenParams(null)).url,
                 "https://shop.example/account/reset?token=[hidden]&utm_source=mail" +
                 "&order_ref=o77&email=[hidden]#access_token=[hidden]");
  } finally {
    g.location = saved.location;
    g.document = saved.document;
  }
});
