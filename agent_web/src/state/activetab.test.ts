import { test } from "node:test";
import assert from "node:assert/strict";
import { clearActiveTab, loadActiveTab, saveActiveTab } from "./activetab";
import { MemoryStorage } from "./fixtures";

test("the front tab is kept for the agent who had it, until the last tab closes or sign-out", () => {
  const s = new MemoryStorage();
  assert.equal(loadActiveTab(s, "ag1"), null);
  saveActiveTab(s, "ag1", "cnv_live");
  assert.equal(loadActiveTab(s, "ag1"), "cnv_live");
  assert.equal(loadActiveTab(s, "ag2"), null, "someone else signing in on the tab");
  saveActiveTab(s, "ag1", null);
  assert.equal(loadActiveTab(s, "ag1"), null);
  saveActiveTab(s, "ag1", "cnv_msg");
  clearActiveTab(s);
  assert.equal(loadActiveTab(s, "ag1"), null);
});

test("refusing or corrupt storage costs only the keeping", () => {
  const s = new MemoryStorage();
  s.setItem("aisle.console.active-tab", "{not json");
  assert.equal(loadActiveTab(s, "ag1"), null);
  s.setItem("aisle.console.active-tab", "null");
  assert.equal(loadActiveTab(s, "ag1"), null);
  s.setItem("aisle.console.active-tab", JSON.stringify({ agent: "ag1", conversation: 7 }));
  assert.equal(loadActiveTab(s, "ag1"), null);
  s.clear();
  s.refuse = true;
  saveActiveTab(s, "ag1", "cnv_live");
  assert.equal(loadActiveTab(s, "ag1"), null);
});
