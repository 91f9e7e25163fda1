import assert from "node:assert/strict";
import { test } from "node:test";

import { redialOnReturn } from "./redial";

test("the socket is dialled when the network, the tab or the page comes back", () => {
  const win = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: "hidden" });
  let dials = 0;
  const stop = redialOnReturn(win, doc, () => { dials++; });
  win.dispatchEvent(new Event("online"));
  assert.equal(dials, 1);
  doc.dispatchEvent(new Event("visibilitychange"));  // hidden: nothing
  assert.equal(dials, 1);
  doc.visibilityState = "visible";
  doc.dispatchEvent(new Event("visibilitychange"));
  assert.equal(dials, 2);
  win.dispatchEvent(new Event("pageshow"));  // a fresh load: the page dials anyway
  win.dispatchEvent(Object.assign(new Event("pageshow"), { persisted: true }));
  assert.equal(dials, 3);
  stop();
  win.dispatchEvent(new Event("online"));
  assert.equal(dials, 3);
});
