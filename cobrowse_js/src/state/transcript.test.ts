import assert from "node:assert/strict";
import { test } from "node:test";

import {
  ackPending, addPending, agentAnswered, emptyTranscript, lastAgentLeft, maxSeq, mergeEvents,
  readUpTo, setPendingStatus, timeline, unreadCount, unsent,
} from "./transcript";
import type { LogEvent } from "../protocol.gen";
import {
  agentSays, ALEX, CNV, ended, joined, left, queued, read, started, visitorSays,
} from "./fixtures";

test("merging keeps one event per seq, in seq order, whatever the arrival order", () => {
  let t = emptyTranscript(CNV);
  t = mergeEvents(t, [visitorSays(3, "hi"), started(1)]);
  t = mergeEvents(t, [started(1), queued(2), visitorSays(3, "hi")]);
  assert.deepEqual(t.events.map((e) => e.seq), [1, 2, 3]);
  assert.equal(maxSeq(t), 3);
});

test("merging nothing new returns the same transcript", () => {
  const t = mergeEvents(emptyTranscript(CNV), [started(1)]);
  assert.equal(mergeEvents(t, [started(1)]), t);
  assert.equal(mergeEvents(t, []), t);
});

test("another conversation's events are ignored", () => {
  const other = { ...started(1), conversation_id: "cnv_other" };
  const t = mergeEvents(emptyTranscript(CNV), [other]);
  assert.equal(t.events.length, 0);
});

test("gaps in seq are normal: nothing is invented, max seq is the highest held", () => {
  const t = mergeEvents(emptyTranscript(CNV), [started(1), joined(5), agentSays(9, "hello")]);
  assert.equal(maxSeq(t), 9);
  assert.deepEqual(t.events.map((e) => e.seq), [1, 5, 9]);
});

test("a pending message is replaced by its event, never shown twice", () => {
  let t = mergeEvents(emptyTranscript(CNV), [started(1)]);
  t = addPending(t, { clientId: "u1", text: "where is it?", at: 5, status: "sending" });
  assert.equal(timeline(t).filter((i) => i.kind === "message").length, 1);
  t = mergeEvents(t, [visitorSays(4, "where is it?", "u1")]);
  assert.equal(t.pending.length, 0);
  const messages = timeline(t).filter((i) => i.kind === "message");
  assert.equal(messages.length, 1);
  assert.equal(messages[0]?.seq, 4);
});

test("an ack before the event marks the message sent with its seq; the event then takes over",
  () => {
    let t = addPending(emptyTranscript(CNV), { clientId: "u1", text: "a", at: 5,
                                               status: "sending" });
    t = ackPending(t, "u1", 7);
    const [item] = timeline(t);
    assert.equal(item?.kind === "message" && item.delivery, "sent");
    assert.equal(item?.kind === "message" && item.seq, 7);
    assert.deepEqual(unsent(t), []);
    t = mergeEvents(t, [visitorSays(7, "a", "u1")]);
    assert.equal(t.pending.length, 0);
    assert.equal(timeline(t).length, 1);
  });

test("an ack after the event drops the pending entry", () => {
  let t = addPending(emptyTranscript(CNV), { clientId: "u1", text: "a", at: 5,
                                             status: "sending" });
  t = mergeEvents(t, [visitorSays(7, "a", "u1")]);
  t = ackPending(t, "u1", 7);
  assert.equal(t.pending.length, 0);
});

test("adding a pending message already confirmed (a retried send) does nothing", () => {
  const t = mergeEvents(emptyTranscript(CNV), [visitorSays(2, "a", "u1")]);
  assert.equal(addPending(t, { clientId: "u1", text: "a", at: 1, status: "queued" }), t);
});

test("queued messages are unsent until acked; sending ones are not resent", () => {
  let t = emptyTranscript(CNV);
  t = addPending(t, { clientId: "u1", text: "a", at: 1, status: "queued" });
  t = addPending(t, { clientId: "u2", text: "b", at: 2, status: "sending" });
  assert.deepEqual(unsent(t).map((p) => p.clientId), ["u1"]);
  t = setPendingStatus(t, "u2", "queued");
  assert.deepEqual(unsent(t).map((p) => p.clientId), ["u1", "u2"]);
});

test("delivery: sent, then read when the agent's messages_read covers it", () => {
  let t = mergeEvents(emptyTranscript(CNV), [started(1), joined(3), visitorSays(4, "one"),
                                             visitorSays(5, "two")]);
  const delivery = () => timeline(t).flatMap((i) => i.kind === "message" ? [i.delivery] : []);
  assert.deepEqual(delivery(), ["sent", "sent"]);
  t = mergeEvents(t, [read(6, "agent", 4)]);
  assert.deepEqual(delivery(), ["read", "sent"]);
  t = mergeEvents(t, [read(8, "visitor", 5)]);
  assert.deepEqual(delivery(), ["read", "sent"], "the visitor's own reads are not receipts");
});

test("unread counts agent messages past the visitor's read point", () => {
  let t = mergeEvents(emptyTranscript(CNV), [started(1), joined(3), agentSays(4, "hi"),
                                             agentSays(6, "there?")]);
  assert.equal(unreadCount(t, 0), 2);
  assert.equal(unreadCount(t, 4), 1);
  t = mergeEvents(t, [read(7, "visitor", 6)]);
  assert.equal(readUpTo(t, "visitor"), 6);
  assert.equal(unreadCount(t, 0), 0);
});

test("notices: joined and ended are shown; queueing is not", () => {
  const t = mergeEvents(emptyTranscript(CNV), [started(1), queued(2), joined(3), ended(9)]);
  const texts = timeline(t).map((i) => i.kind === "notice" ? i.text : "");
  assert.deepEqual(texts, ["Alex joined the chat", "Alex ended the chat"]);
});

test("agent messages carry the agent's name and no delivery", () => {
  const t = mergeEvents(emptyTranscript(CNV), [joined(3), agentSays(4, "hi")]);
  const message = timeline(t).find((i) => i.kind === "message");
  assert.equal(message?.kind === "message" && message.name, "Alex");
  assert.equal(message?.kind === "message" && message.delivery, null);
});

test("an agent who left is explained to the shopper by why", () => {
  const left = (seq: number, reason: "disconnected" | "unavailable"): LogEvent => ({
    conversation_id: CNV, seq, ts: 1000 + seq, actor: { kind: "system", id: null, name: null },
    type: "agent_left", data: { agent_id: ALEX.id, reason } });
  const t = mergeEvents(emptyTranscript(CNV), [started(1), joined(2), left(3, "disconnected"),
                                              joined(4), left(5, "unavailable")]);
  const notices = timeline(t).filter((i) => i.kind === "notice").map((i) => (i as { text: string }).text);
  assert.deepEqual(notices.slice(-3), [
    "Alex lost their connection. We're finding someone else to help",
    "Alex joined the chat",
    "Alex is no longer available. We're finding someone else to help"]);
});

test("who answered and who left, from the log", () => {
  const waiting = mergeEvents(emptyTranscript(CNV), [started(1), queued(2)]);
  assert.equal(agentAnswered(waiting), false);
  assert.equal(lastAgentLeft(waiting), null);
  const dropped = mergeEvents(waiting, [joined(3), left(4), queued(5)]);
  assert.equal(agentAnswered(dropped), true);
  assert.deepEqual(lastAgentLeft(dropped), { name: ALEX.display_name, reason: "disconnected" });
});
