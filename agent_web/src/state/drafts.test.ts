import { test } from "node:test";
import assert from "node:assert/strict";
import { clearDrafts, loadDraft, saveDraft } from "./drafts";
import { MemoryStorage } from "./fixtures";

test("a draft is kept per conversation and comes back after a reload", () => {
  const s = new MemoryStorage();
  saveDraft(s, "ag1", "c1", { text: "Let me check your ord", note: false });
  saveDraft(s, "ag1", "c2", { text: "Asked twice already", note: true });
  assert.deepEqual(loadDraft(s, "ag1", "c1"), { text: "Let me check your ord", note: false });
  assert.deepEqual(loadDraft(s, "ag1", "c2"), { text: "Asked twice already", note: true });
  assert.equal(loadDraft(s, "ag1", "c3"), null);
});

test("an emptied reply is forgotten; an empty note keeps its mode", () => {
  const s = new MemoryStorage();
  saveDraft(s, "ag1", "c1", { text: "x", note: false });
  saveDraft(s, "ag1", "c1", { text: "", note: false });
  assert.equal(loadDraft(s, "ag1", "c1"), null);
  saveDraft(s, "ag1", "c1", { text: "", note: true });
  assert.deepEqual(loadDraft(s, "ag1", "c1"), { text: "", note: true });
});

test("another agent signing in on the same tab does not get the drafts; sign-out clears", () => {
  const s = new MemoryStorage();
  saveDraft(s, "ag1", "c1", { text: "private words", note: true });
  assert.equal(loadDraft(s, "ag2", "c1"), null);
  saveDraft(s, "ag2", "c9", { text: "mine", note: false });
  assert.equal(loadDraft(s, "ag1", "c1"), null, "ag2's save replaced ag1's drafts");
  clearDrafts(s);
  assert.equal(loadDraft(s, "ag2", "c9"), null);
});

test("at most 50 conversations are kept, the oldest dropped first", () => {
  const s = new MemoryStorage();
  for (let i = 0; i < 60; i++) saveDraft(s, "ag1", `c${i}`, { text: `t${i}`, note: false });
  assert.equal(loadDraft(s, "ag1", "c9"), null);
  assert.deepEqual(loadDraft(s, "ag1", "c10"), { text: "t10", note: false });
  saveDraft(s, "ag1", "c10", { text: "t10 again", note: false });  // now the newest
  saveDraft(s, "ag1", "c60", { text: "t60", note: false });
  assert.deepEqual(loadDraft(s, "ag1", "c10"), { text: "t10 again", note: false });
  assert.equal(loadDraft(s, "ag1", "c11"), null);
});

test("refusing or corrupt storage costs only the keeping", () => {
  const s = new MemoryStorage();
  s.setItem("aisle.console.drafts", "{not json");
  assert.equal(loadDraft(s, "ag1", "c1"), null);
  s.setItem("aisle.console.drafts", JSON.stringify({ agent: "ag1", drafts: { c1: { text: 5 } } }));
  assert.equal(loadDraft(s, "ag1", "c1"), null);
  s.refuse = true;
  saveDraft(s, "ag1", "c1", { text: "x", note: false });
  assert.equal(loadDraft(s, "ag1", "c1"), null);
});
