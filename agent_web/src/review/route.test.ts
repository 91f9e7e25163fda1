import { test } from "node:test";
import assert from "node:assert/strict";
import { hrefOf, parseRoute } from "./route";

test("pages and their addresses", () => {
  assert.deepEqual(parseRoute("/review/", "?q=mug"), { page: "list", search: "?q=mug" });
  assert.deepEqual(parseRoute("/review/recordings/cnv_abc123", ""), { page: "recording", id: "cnv_abc123", at: null });
  assert.deepEqual(parseRoute("/review/recordings/cnv_abc123", "?t=75"), { page: "recording", id: "cnv_abc123", at: 75_000 });
  assert.deepEqual(parseRoute("/review/recordings/../../etc", ""), { page: "list", search: "" });
  assert.deepEqual(parseRoute("/review/summaries", "?by=team"), { page: "summaries", by: "team" });
  assert.deepEqual(parseRoute("/review/whatever", ""), { page: "list", search: "" });
  assert.deepEqual(parseRoute("/review/team", ""), { page: "team" });
  assert.deepEqual(parseRoute("/review/sites", ""), { page: "sites" });
  assert.deepEqual(parseRoute("/review/shoppers", ""), { page: "shoppers" });
  // The moment a reviewer stopped at is in the address, to a tenth of a second (a link to it).
  assert.equal(hrefOf({ page: "recording", id: "cnv_1", at: 20_540 }), "/review/recordings/cnv_1?t=20.5");
  assert.equal(hrefOf({ page: "recording", id: "cnv_1", at: 0 }), "/review/recordings/cnv_1");
  // Read back, a tenth is the same tenth (32.3 × 1000 is 32299.999… in floating point).
  for (let tenths = 1; tenths < 2_000; tenths += 1) {
    const href = hrefOf({ page: "recording", id: "cnv_1", at: tenths * 100 });
    const url = new URL(href, "http://x");
    assert.equal(hrefOf(parseRoute(url.pathname, url.search)), href);
  }
  for (const route of [parseRoute("/review/", "?q=mug"), parseRoute("/review/recordings/cnv_1", "?t=9"),
                       parseRoute("/review/recordings/cnv_1", "?t=20.5"),
                       parseRoute("/review/summaries", "?by=team"), parseRoute("/review/summaries", ""),
                       parseRoute("/review/team", ""), parseRoute("/review/sites", ""),
                       parseRoute("/review/shoppers", "")]) {
    const url = new URL(hrefOf(route), "http://x");
    assert.deepEqual(parseRoute(url.pathname, url.search), route);
  }
});
