import { test } from "node:test";
import assert from "node:assert/strict";
import {
  anonymousName, canWrite, newConv, readMarkToSend, roleIn, seen, servingNow, shopperName, unread, visitorLabel,
  withConversation, withEvents, withTyping,
} from "./conversation";
import { ME, conversation, meActor, msg, read, started } from "./fixtures";

test("the agent's role decides what they can do", () => {
  const mine = newConv(conversation());
  assert.equal(roleIn(mine, ME, false), "assignee");
  assert.equal(canWrite("assignee"), true);
  const theirs = newConv(conversation({ agent_id: "agt_x" }), "observing");
  assert.equal(roleIn(theirs, ME, true), "observer");
  assert.equal(canWrite("observer"), false);
  const joined = newConv(conversation({ agent_id: "agt_x", participants: [{ agent_id: ME, role: "supervisor" }] }));
  assert.equal(roleIn(joined, ME, true), "supervisor");
  assert.equal(roleIn(newConv(conversation({ status: "offline", agent_id: null })), ME, false), "offline-team");
  assert.equal(roleIn(newConv(conversation({ status: "ended" })), ME, false), "readonly");
  assert.equal(roleIn(newConv(conversation({ agent_id: null, status: "queued" })), ME, false), "readonly");
});

test("events, unread and what to mark read", () => {
  let c = newConv(conversation());
  c = withEvents(c, [started(1), msg(2, "hi"), msg(3, "there")]);
  assert.equal(unread(c, ME), 2);
  assert.equal(readMarkToSend(c), null, "nothing seen yet");
  c = seen(c);
  assert.equal(unread(c, ME), 0);
  assert.equal(readMarkToSend(c), 3);
  c = withEvents(c, [read(4, "agent", 3)]);
  assert.equal(c.conversation.agent_read_seq, 3);
  assert.equal(readMarkToSend(seen(c)), null, "a read is not itself content");
});

test("a visitor's message ends their typing; our own typing echo is ignored", () => {
  let c = newConv(conversation());
  c = withTyping(c, { conversation_id: c.conversation.id, side: "visitor", typing: true, name: null, agent_id: null }, "Alex");
  assert.equal(c.visitorTyping, true);
  c = withEvents(c, [msg(1, "done")]);
  assert.equal(c.visitorTyping, false);
  const echo = withTyping(c, { conversation_id: c.conversation.id, side: "agent", typing: true, name: "Alex", agent_id: "agt_alex" }, "Alex");
  assert.equal(echo, c);
  const sup = withTyping(c, { conversation_id: c.conversation.id, side: "agent", typing: true, name: "Sam", agent_id: "agt_sam" }, "Alex");
  assert.equal(sup.agentTyping, "Sam");
  assert.equal(withEvents(sup, [msg(2, "hello", { kind: "agent", id: "agt_s", name: "Sam" })]).agentTyping, null);
  void meActor;
});

test("an older snapshot does not move read marks back", () => {
  let c = newConv(conversation());
  c = withEvents(c, [msg(1, "a"), read(2, "visitor", 1)]);
  c = withConversation(c, conversation({ last_seq: 1, visitor_read_seq: 0 }));
  assert.equal(c.conversation.visitor_read_seq, 1);
  assert.equal(c.conversation.last_seq, 2);
  c = withConversation(c, conversation({ status: "ended", last_seq: 5 }));
  assert.equal(c.conversation.status, "ended");
  assert.equal(c.conversation.last_seq, 5);
});


test("the chats an agent is serving now: active and theirs, not watched, offline or history", () => {
  const convs = {
    a: newConv(conversation({ id: "a" })),
    b: newConv(conversation({ id: "b", agent_id: "agt_x" }), "observing"),
    c: newConv(conversation({ id: "c", status: "offline", agent_id: ME })),
    d: newConv(conversation({ id: "d" }), "history"),
    e: newConv(conversation({ id: "e", status: "ended" })),
  };
  assert.deepEqual(servingNow(convs, ME).map((c) => c.id), ["a"]);
});

test("a shopper who gave no name gets one of their own, the same everywhere", () => {
  const a = anonymousName("vis_1m88007x8ybpa2wnf5ar39phq");
  assert.match(a, /^Visitor [1-9]\d{3}$/);
  assert.equal(anonymousName("vis_1m88007x8ybpa2wnf5ar39phq"), a);
  const names = new Set(Array.from({ length: 50 }, (_, i) => anonymousName(`vis_${i}x`)));
  assert.ok(names.size >= 45);  // two anonymous shoppers are told apart (almost always)
  assert.equal(shopperName({ visitor_name: "Dana", visitor_id: "vis_1" }), "Dana");
  assert.equal(shopperName({ visitor_name: null, visitor_id: "vis_1" }), anonymousName("vis_1"));
  const conv = conversation({ visitor_id: "vis_2", fields: { name: null, email: null } });
  assert.equal(visitorLabel(conv), anonymousName("vis_2"));
  assert.equal(visitorLabel(conversation({ visitor_id: "vis_2", fields: { name: "Eli", email: null } })),
               "Eli");
});
