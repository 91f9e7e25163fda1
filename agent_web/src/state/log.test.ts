import { test } from "node:test";
import assert from "node:assert/strict";
import type { LogEvent } from "../protocol.gen";
import {
  advanceConversation, contiguousSeq, hasGap, highestSeq, lastContentSeq, mergeEvents, offerExpiry,
  unreadCount, firstVisitorMessage, isLogEvent, transferNote,
} from "./log";
import { CNV, ME, conversation, meActor, msg, note, offered, read, started } from "./fixtures";

test("merging keeps each seq once, in order, whatever the arrival order", () => {
  const live = [msg(3, "c"), msg(5, "e")];
  const resumed = [started(1), msg(2, "b"), msg(3, "c again"), msg(4, "d")];
  const merged = mergeEvents(live, resumed);
  assert.deepEqual(merged.map((e) => e.seq), [1, 2, 3, 4, 5]);
  // The first copy of a seq wins (the server never changes an event).
  assert.equal((merged[2]!.data as { text: string }).text, "c");
  assert.equal(mergeEvents(merged, resumed), merged, "nothing new: same array");
});

test("a live event after the newest is appended; a duplicate is ignored", () => {
  const held = [started(1), msg(2, "b")];
  assert.deepEqual(mergeEvents(held, [msg(3, "c")]).map((e) => e.seq), [1, 2, 3]);
  assert.equal(mergeEvents(held, [msg(2, "b")]), held);
});

test("gaps and where to resume from", () => {
  const events = [started(1), msg(2, "b"), msg(4, "d")];
  assert.equal(contiguousSeq(events), 2);
  assert.equal(highestSeq(events), 4);
  assert.equal(hasGap(events, 4), true);
  assert.equal(hasGap(events.filter((e) => e.seq !== 4), 2), false);
  assert.equal(hasGap(events.filter((e) => e.seq !== 4), 3), true, "the server has more");
  assert.equal(contiguousSeq([msg(2, "x")]), 0);
});

test("reads advance the conversation's read marks", () => {
  const conv = conversation({ last_seq: 3 });
  const next = advanceConversation(conv, [read(4, "visitor", 3), read(5, "agent", 2)]);
  assert.equal(next.visitor_read_seq, 3);
  assert.equal(next.agent_read_seq, 2);
  assert.equal(next.last_seq, 5);
  assert.equal(advanceConversation(next, [read(4, "visitor", 1)]), next, "never backwards");
});

test("unread counts messages and notes by others after what was seen", () => {
  const events = [started(1), msg(2, "hi"), msg(3, "answer", meActor), msg(4, "thanks"),
    note(5, "colleague's note", { kind: "agent", id: "agt_other", name: "Sam" }), read(6, "visitor", 3)];
  assert.equal(unreadCount(events, 0, ME), 3);
  assert.equal(unreadCount(events, 3, ME), 2);
  assert.equal(unreadCount(events, 6, ME), 0);
  assert.equal(lastContentSeq(events), 5);
});

test("an offer's expiry comes from its newest conversation_offered", () => {
  const events = [started(1), offered(2, "agt_other", 5000), offered(3, ME, 9000)];
  assert.equal(offerExpiry(events, ME), 9000);
  assert.equal(offerExpiry(events.slice(0, 2), ME), null);
  assert.equal(firstVisitorMessage([started(1), msg(2, "Where is my order?")]), "Where is my order?");
});

test("log events are recognised by their shape, whatever their type", () => {
  const e = msg(1, "hi");
  assert.equal(isLogEvent("message_created", e), true);
  assert.equal(isLogEvent("note_created", e), false, "the event name is its type");
  assert.equal(isLogEvent("some_future_event", { ...e, type: "some_future_event" }), true);
  assert.equal(isLogEvent("typing_changed", { conversation_id: "c", side: "visitor", typing: true }), false);
  assert.equal(isLogEvent("x", null), false);
});

test("an offer card's transfer note is the last transfer's", () => {
  const transferred = (seq: number, text: string): LogEvent => ({
    conversation_id: CNV, seq, ts: seq * 1000, actor: meActor, type: "conversation_transferred",
    data: { from_agent_id: ME, to_agent_id: null, to_team: "billing", note: text } });
  assert.equal(transferNote([started(1)]), null);
  assert.equal(transferNote([started(1), transferred(2, "Refund, order 1042"), msg(3, "hi")]), "Refund, order 1042");
  assert.equal(transferNote([started(1), transferred(2, "first"), transferred(3, "")]), null);
});
