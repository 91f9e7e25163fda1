import { test } from "node:test";
import assert from "node:assert/strict";
import type { AgentInfo } from "../protocol.gen";
import { type AppState, initialState, openChatCount, preferredTab, reduce, topicLabel, totalUnread, unreadByTab } from "./app";
import { CNV, ME, conversation, msg, started } from "./fixtures";
import { titleFor, isWatching } from "./attention";

const me: AgentInfo = {
  id: ME, login: "alex", display_name: "Alex", photo_url: null, role: "agent", teams: ["support"],
  max_concurrent: 3, status: "online", connected: true, load: 0,
};

function signedIn(): AppState {
  return reduce(initialState, { type: "signed_in", me });
}

test("tabs open, focus and close; closing the focused one focuses a neighbour", () => {
  let s = signedIn();
  s = reduce(s, { type: "tab_open", conversation: conversation({ id: "a" }), mode: "live", focus: true });
  s = reduce(s, { type: "tab_open", conversation: conversation({ id: "b" }), mode: "live", focus: false });
  s = reduce(s, { type: "tab_open", conversation: conversation({ id: "c" }), mode: "live", focus: false });
  assert.deepEqual(s.tabs, ["a", "b", "c"]);
  assert.equal(s.activeTab, "a");
  s = reduce(s, { type: "tab_focus", id: "b" });
  s = reduce(s, { type: "tab_close", id: "b" });
  assert.equal(s.activeTab, "c");
  assert.equal(s.convs.b, undefined);
});

test("live events and a resume overlap without doubles; unread per tab", () => {
  let s = signedIn();
  s = reduce(s, { type: "tab_open", conversation: conversation(), mode: "live", focus: false });
  s = reduce(s, { type: "log", id: CNV, events: [msg(3, "three")] });
  s = reduce(s, { type: "log", id: CNV, events: [started(1), msg(2, "two"), msg(3, "three")], complete: true });
  assert.deepEqual(s.convs[CNV]!.events.map((e) => e.seq), [1, 2, 3]);
  assert.equal(s.convs[CNV]!.loaded, true);
  assert.deepEqual(unreadByTab(s), { [CNV]: 2 });
  assert.equal(totalUnread(s), 2);
  s = reduce(s, { type: "seen", id: CNV });
  assert.equal(totalUnread(s), 0);
});

test("a sign-out forgets everything", () => {
  let s = signedIn();
  s = reduce(s, { type: "tab_open", conversation: conversation(), mode: "live", focus: true });
  s = reduce(s, { type: "signed_out" });
  assert.equal(s.me, null);
  assert.deepEqual(s.tabs, []);
});

test("the title counts offers and unread messages", () => {
  assert.equal(titleFor(0, 0), "Agent console — Aisle");
  assert.equal(titleFor(1, 0), "(1) New chat — Aisle");
  assert.equal(titleFor(1, 2), "(3) New chat — Aisle");
  assert.equal(titleFor(0, 2), "(2) New message — Aisle");
});

test("watching a conversation needs the page, the inbox and its tab", () => {
  const focus = { pageActive: true, inboxOpen: true, activeTab: "a" };
  assert.equal(isWatching(focus, "a"), true);
  assert.equal(isWatching(focus, "b"), false);
  assert.equal(isWatching({ ...focus, pageActive: false }, "a"), false);
  assert.equal(isWatching({ ...focus, inboxOpen: false }, "a"), false);
});

test("topics are named by their labels, per site", () => {
  const s = reduce(initialState, { type: "topics", topics: { topics: [
    { site_id: "sit_1", id: "order", label: "An order I placed", team: "support" },
    { site_id: "sit_2", id: "order", label: "My order", team: "sales" },
  ] } });
  assert.equal(topicLabel(s.topics, { site_id: "sit_1", topic: "order" }), "An order I placed");
  assert.equal(topicLabel(s.topics, { site_id: "sit_2", topic: "order" }), "My order");
  // A topic since removed from the site: its id.
  assert.equal(topicLabel(s.topics, { site_id: "sit_1", topic: "returns" }), "returns");
});

test("tabs listed at connect do not put the first one in front; restoring picks the remembered one", () => {
  let s = signedIn();
  s = reduce(s, { type: "tab_open", conversation: conversation({ id: "msg", status: "offline", created_at: 500 }), mode: "live", focus: false });
  s = reduce(s, { type: "tab_open", conversation: conversation({ id: "live" }), mode: "live", focus: false });
  assert.equal(s.activeTab, null);
  assert.equal(reduce(s, { type: "tab_restore", remembered: "msg" }).activeTab, "msg");
  // Gone since (closed, ended elsewhere) or never kept: the live chat, not the message left.
  assert.equal(reduce(s, { type: "tab_restore", remembered: "cnv_gone" }).activeTab, "live");
  assert.equal(reduce(s, { type: "tab_restore", remembered: null }).activeTab, "live");
  // A tab already in front (the agent clicked one meanwhile) stays.
  s = reduce(s, { type: "tab_focus", id: "msg" });
  assert.equal(reduce(s, { type: "tab_restore", remembered: "live" }).activeTab, "msg");
});

test("with nothing remembered: own live chats first, then joined, messages left, watched; newest first", () => {
  let s = signedIn();
  const open = (over: Parameters<typeof conversation>[0], mode: "live" | "observing" | "history" = "live"): void => {
    s = reduce(s, { type: "tab_open", conversation: conversation(over), mode, focus: false });
  };
  open({ id: "past", status: "ended", assigned_at: 90_000 }, "history");
  open({ id: "watched", agent_id: "agt_other", assigned_at: 80_000 }, "observing");
  open({ id: "msg-old", status: "offline", agent_id: ME, created_at: 1_000, assigned_at: 5_000 });
  open({ id: "msg-new", status: "offline", agent_id: null, created_at: 70_000, queued_at: 70_000, assigned_at: null });
  assert.equal(preferredTab(s), "msg-new");
  open({ id: "joined", agent_id: "agt_other", participants: [{ agent_id: ME, role: "supervisor" }], assigned_at: 60_000 });
  assert.equal(preferredTab(s), "joined");
  open({ id: "live-a", assigned_at: 3_000 });
  open({ id: "live-b", assigned_at: 4_000 });
  assert.equal(preferredTab(s), "live-b");
  // The most recent activity is the last message when the log is in.
  s = reduce(s, { type: "log", id: "live-a", events: [{ ...msg(1, "still there?"), conversation_id: "live-a", ts: 99_000 }] });
  assert.equal(preferredTab(s), "live-a");
});

test("offline, the console says nothing of whether shoppers are there; connected again, it is told", () => {
  let s = signedIn();
  s = reduce(s, { type: "connection", connection: "connected" });
  s = reduce(s, { type: "tab_open", conversation: conversation(), mode: "live", focus: true });
  s = reduce(s, { type: "presence", presence: { conversation_id: CNV, side: "visitor", online: true } });
  assert.equal(s.convs[CNV]!.visitorOnline, true);
  s = reduce(s, { type: "connection", connection: "reconnecting" });
  assert.equal(s.convs[CNV]!.visitorOnline, null);
  s = reduce(s, { type: "connection", connection: "connected" });
  s = reduce(s, { type: "presence", presence: { conversation_id: CNV, side: "visitor", online: false } });
  assert.equal(s.convs[CNV]!.visitorOnline, false);
});

test("'Your chats' counts the chats the agent is in, not ended, history or observed tabs", () => {
  let s = signedIn();
  s = reduce(s, { type: "tab_open", conversation: conversation({ id: "a", status: "active" }), mode: "live", focus: true });
  s = reduce(s, { type: "tab_open", conversation: conversation({ id: "b", status: "ended" }), mode: "live", focus: false });
  s = reduce(s, { type: "tab_open", conversation: conversation({ id: "c", status: "active" }), mode: "observing", focus: false });
  s = reduce(s, { type: "tab_open", conversation: conversation({ id: "d", status: "offline" }), mode: "history", focus: false });
  s = reduce(s, { type: "tab_open", conversation: conversation({ id: "e", status: "offline" }), mode: "live", focus: false });
  assert.equal(s.tabs.length, 5);
  assert.equal(openChatCount(s), 2);  // a, and the message e being answered
});
