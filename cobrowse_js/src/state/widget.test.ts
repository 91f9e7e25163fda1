import assert from "node:assert/strict";
import { test } from "node:test";

import type { VisitorSession } from "../protocol.gen";
import { applyEvent, applySnapshot } from "./conversation";
import {
  agentSays, ALEX, CNV, conversation, ended, joined, left, offline, queued, read, started,
  visitorSays, SITE_DEFAULTS,
} from "./fixtures";
import { unsent } from "./transcript";
import {
  agentTookPart, initialState, readTarget, reduce, unread, type Action, type WidgetState,
} from "./widget";

function session(over: Partial<VisitorSession> = {}): VisitorSession {
  return {
    visitor_id: "vis_1", visitor_key: "key", token: "tok", expires_at: 9e12,
    site: { name: "Shop", theme: { color: "#4f46e5", position: "right", greeting: "Hi" },
            topics: [{ id: "order", label: "An order", team: "support" }], ...SITE_DEFAULTS },
    availability: { teams: [{ team: "support", available: true, reason: null,
                              estimated_wait_s: 60, opens_at: null }] },
    conversation: null, email_replies: false, ...over,
  };
}

function run(...actions: Action[]): WidgetState {
  return actions.reduce(reduce, initialState);
}

test("a session makes the widget ready, with its site and availability", () => {
  const s = run({ type: "session", session: session() });
  assert.equal(s.ready, true);
  assert.equal(s.site?.name, "Shop");
  assert.equal(s.conversation, null);
});

test("a returning visitor's open conversation comes with the session", () => {
  const s = run({ type: "session", session: session({ conversation: conversation() }) });
  assert.equal(s.conversation?.id, CNV);
  assert.equal(s.transcript?.conversationId, CNV);
});

test("restored events and a resume after them give each event once", () => {
  const conv = conversation({ status: "active", agent: ALEX, last_seq: 5, queue: null });
  const s = run(
    { type: "session", session: session({ conversation: conv }) },
    { type: "restored", conversation: conv, events: [started(1), joined(3), agentSays(4, "hi")],
      pending: [] },
    { type: "resumed", conversation: { ...conv, last_seq: 6 },
      events: [agentSays(4, "hi"), visitorSays(6, "thanks")] },
  );
  assert.deepEqual(s.transcript?.events.map((e) => e.seq), [1, 3, 4, 6]);
  assert.equal(s.conversation?.last_seq, 6);
});

test("the site's new settings replace the old ones; an availability change alone keeps them", () => {
  const s = run({ type: "session", session: session() });
  const renamed = { ...s.site!, topics: [{ id: "refunds", label: "Refunds", team: "billing" }] };
  const next = reduce(s, { type: "availability", availability: { teams: [] }, site: renamed });
  assert.deepEqual(next.site?.topics.map((t) => t.id), ["refunds"]);
  const later = reduce(next, { type: "availability", availability: { teams: [] } });
  assert.equal(later.site, next.site);
});

test("queue updates move the waiting shopper's place in line", () => {
  const s = run(
    { type: "session", session: session({ conversation: conversation() }) },
    { type: "queue", conversationId: CNV, queue: { position: 2, estimated_wait_s: null } },
  );
  assert.deepEqual(s.conversation?.queue, { position: 2, estimated_wait_s: null });
  const other = reduce(s, { type: "queue", conversationId: "cnv_x",
                            queue: { position: 9, estimated_wait_s: 1 } });
  assert.equal(other, s);
});

test("an agent joining makes the conversation active with that agent", () => {
  const s = run(
    { type: "session", session: session({ conversation: conversation({ last_seq: 2 }) }) },
    { type: "event", event: joined(3) },
  );
  assert.equal(s.conversation?.status, "active");
  assert.equal(s.conversation?.agent?.display_name, "Alex");
  assert.equal(s.conversation?.queue, null);
});

test("events already reflected in a snapshot do not change it (no regressions)", () => {
  const endedConv = conversation({ status: "ended", ended_reason: "agent_ended", last_seq: 9 });
  assert.equal(applyEvent(endedConv, joined(3)), endedConv);
  assert.equal(applySnapshot(endedConv, conversation({ last_seq: 4 })), endedConv);
});

test("typing shows the agent's name and stops when their message arrives", () => {
  const conv = conversation({ status: "active", agent: ALEX, last_seq: 3, queue: null });
  let s = run({ type: "session", session: session({ conversation: conv }) },
              { type: "typing", conversationId: CNV, typing: true, name: "Alex" });
  assert.deepEqual(s.agentTyping, { name: "Alex" });
  s = reduce(s, { type: "event", event: agentSays(4, "hello") });
  assert.equal(s.agentTyping, null);
});

test("presence: the agent's dropped connection, then back", () => {
  const conv = conversation({ status: "active", agent: ALEX, last_seq: 3, queue: null });
  let s = run({ type: "session", session: session({ conversation: conv }) },
              { type: "presence", conversationId: CNV, online: false });
  assert.equal(s.agentOnline, false);
  s = reduce(s, { type: "presence", conversationId: CNV, online: true });
  assert.equal(s.agentOnline, true);
});

test("sending while offline queues the message; it goes out on reconnect", () => {
  const conv = conversation({ status: "active", agent: ALEX, last_seq: 3, queue: null });
  let s = run({ type: "session", session: session({ conversation: conv }) },
              { type: "connection", connection: "reconnecting" },
              { type: "send", clientId: "u1", text: "hello?", at: 10 });
  assert.equal(s.transcript?.pending[0]?.status, "queued");
  s = reduce(s, { type: "connection", connection: "online" });
  assert.deepEqual(s.transcript && unsent(s.transcript).map((p) => p.clientId), ["u1"]);
  s = reduce(s, { type: "delivery", clientId: "u1", status: "sending" });
  assert.deepEqual(s.transcript && unsent(s.transcript), []);
  s = reduce(s, { type: "acked", clientId: "u1", seq: 4 });
  s = reduce(s, { type: "event", event: visitorSays(4, "hello?", "u1") });
  assert.equal(s.transcript?.pending.length, 0);
  assert.equal(s.transcript?.events.length, 1);
});

test("unread and the read target follow the shopper's reads", () => {
  const conv = conversation({ status: "active", agent: ALEX, last_seq: 3, queue: null });
  let s = run({ type: "session", session: session({ conversation: conv }) },
              { type: "event", event: agentSays(4, "hi") },
              { type: "event", event: agentSays(5, "still there?") });
  assert.equal(unread(s), 2);
  assert.equal(readTarget(s), 5);
  s = reduce(s, { type: "read", upToSeq: 5 });
  assert.equal(unread(s), 0);
  assert.equal(readTarget(s), null);
  s = reduce(s, { type: "event", event: read(6, "visitor", 5) });
  assert.equal(unread(s), 0);
});

test("an offline conversation, answered later, shows the answer as unread", () => {
  const conv = conversation({ status: "offline", offline_reason: "no_agents", last_seq: 5,
                              queue: null, agent: ALEX });
  const s = run(
    { type: "session", session: session({ conversation: conv }) },
    { type: "resumed", conversation: conv,
      events: [started(1), offline(2), visitorSays(3, "call me"), joined(4),
               agentSays(5, "We'll call you")] },
  );
  assert.equal(s.conversation?.status, "offline");
  assert.equal(unread(s), 1);
});

test("a message left that is queued again (transferred) is no longer a message", () => {
  const conv = conversation({ status: "offline", offline_reason: "no_agents", last_seq: 3,
                              queue: null, agent: null });
  const next = applyEvent(conv, queued(4, "transfer"));
  assert.equal(next.status, "queued");
  assert.equal(next.offline_reason, null);
});

test("the end, then a new conversation only once the old one has ended", () => {
  const conv = conversation({ status: "active", agent: ALEX, last_seq: 3, queue: null });
  let s = run({ type: "session", session: session({ conversation: conv }) });
  assert.equal(reduce(s, { type: "reset" }), s, "an open conversation is not dropped");
  s = reduce(s, { type: "event", event: ended(4) });
  assert.equal(s.conversation?.status, "ended");
  s = reduce(s, { type: "reset" });
  assert.equal(s.conversation, null);
  assert.equal(s.transcript, null);
});

test("another tab's conversation is adopted only when ours is over", () => {
  const mine = conversation({ status: "active", agent: ALEX, last_seq: 3, queue: null });
  const theirs = conversation({ id: "cnv_2", status: "queued" });
  let s = run({ type: "session", session: session({ conversation: mine }) },
              { type: "conversation", conversation: theirs });
  assert.equal(s.conversation?.id, CNV);
  s = reduce(s, { type: "event", event: ended(4) });
  s = reduce(s, { type: "conversation", conversation: theirs });
  assert.equal(s.conversation?.id, "cnv_2");
  assert.equal(s.transcript?.events.length, 0);
});

test("queued events put a conversation back in line", () => {
  const conv = conversation({ status: "active", agent: ALEX, last_seq: 3, queue: null });
  const s = run({ type: "session", session: session({ conversation: conv }) },
                { type: "event", event: queued(5) });
  assert.equal(s.conversation?.status, "queued");
  assert.equal(s.conversation?.agent, null);
});

test("a failed start keeps the form and says why", () => {
  const s = run({ type: "session", session: session() }, { type: "starting" },
                { type: "start_failed", problem: "We couldn't reach our team." });
  assert.equal(s.starting, false);
  assert.equal(s.problem, "We couldn't reach our team.");
});

test("unavailable keeps the widget closed", () => {
  const s = run({ type: "unavailable" }, { type: "open" });
  assert.equal(s.open, false);
});

test("a rating is kept once acked; another conversation's is ignored", () => {
  const conv = conversation({ status: "ended", ended_reason: "agent_ended", last_seq: 9 });
  let s = run({ type: "session", session: session({ conversation: conv }) },
              { type: "rated", conversationId: "cnv_x", rating: 2 });
  assert.equal(s.conversation?.rating, null);
  s = reduce(s, { type: "rated", conversationId: CNV, rating: 5 });
  assert.equal(s.conversation?.rating, 5);
});

test("identify pre-fills; a later call keeps what it does not mention", () => {
  const s = run({ type: "identity", name: "Dana", email: "d@example.com" },
                { type: "identity", name: "Dana K" });
  assert.deepEqual(s.identity, { name: "Dana K", email: "d@example.com" });
});

test("a conversation the server no longer lets us see is forgotten", () => {
  const s = run({ type: "session", session: session({ conversation: conversation() }) },
                { type: "forget", conversationId: CNV });
  assert.equal(s.conversation, null);
});

test("an agent took part if one answered, even if it went back to the queue since", () => {
  const waiting = conversation({ status: "ended", ended_reason: "visitor_ended", queue: null });
  const unanswered = run(
    { type: "session", session: session() },
    { type: "resumed", conversation: waiting,
      events: [started(1), queued(2), ended(3, "visitor_ended")] },
  );
  assert.equal(agentTookPart(unanswered), false);
  const dropped = conversation({ status: "offline", offline_reason: "no_agents", queue: null,
                                 last_seq: 6 });
  const answered = run(
    { type: "session", session: session() },
    { type: "resumed", conversation: dropped,
      events: [started(1), queued(2), joined(3), agentSays(4, "Hi"), left(5), offline(6)] },
  );
  assert.equal(answered.conversation?.agent, null);
  assert.equal(agentTookPart(answered), true);
  // The agent on the snapshot is enough (the log may not have reached us yet).
  assert.equal(agentTookPart(run({ type: "session", session: session({
    conversation: conversation({ status: "active", agent: ALEX, queue: null }) }) })), true);
});

test("a message the server could not store is sent again; one it refused is not", () => {
  const conv = conversation({ status: "active", agent: ALEX, last_seq: 3, queue: null });
  let s = run({ type: "session", session: session({ conversation: conv }) },
              { type: "send", clientId: "u1", text: "full disk", at: 10 },
              { type: "send", clientId: "u2", text: "x".repeat(10), at: 11 });
  s = reduce(s, { type: "delivery", clientId: "u1", status: "failed" });
  s = reduce(s, { type: "delivery", clientId: "u2", status: "refused" });
  assert.deepEqual(s.transcript && unsent(s.transcript).map((p) => p.clientId), ["u1"]);
});
