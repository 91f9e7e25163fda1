import assert from "node:assert/strict";
import { test } from "node:test";

import { agentSays, CNV } from "./fixtures";
import { actionFor } from "./notifications";

test("log events become events; a payload that is not one is ignored", () => {
  const e = agentSays(4, "hi");
  assert.deepEqual(actionFor("message_created", e), { type: "event", event: e });
  assert.equal(actionFor("message_created", { text: "hi" }), null);
  assert.equal(actionFor("agent_joined", e), null, "the name must match the event's type");
});

test("only the agent's typing and presence concern the shopper", () => {
  assert.equal(actionFor("typing_changed", { conversation_id: CNV, side: "visitor",
                                             typing: true, name: null }), null);
  assert.deepEqual(actionFor("typing_changed", { conversation_id: CNV, side: "agent",
                                                 typing: true, name: "Alex" }),
                   { type: "typing", conversationId: CNV, typing: true, name: "Alex" });
  assert.deepEqual(actionFor("presence_changed", { conversation_id: CNV, side: "agent",
                                                   online: false }),
                   { type: "presence", conversationId: CNV, online: false });
});

test("queue and availability updates", () => {
  assert.deepEqual(actionFor("queue_updated", { conversation_id: CNV,
                                                queue: { position: 2, estimated_wait_s: null } }),
                   { type: "queue", conversationId: CNV,
                     queue: { position: 2, estimated_wait_s: null } });
  assert.deepEqual(actionFor("availability_changed", { availability: { teams: [] } }),
                   { type: "availability", availability: { teams: [] } });
  const site = { name: "Shop", topics: [] };
  assert.deepEqual(actionFor("availability_changed", { availability: { teams: [] }, site }),
                   { type: "availability", availability: { teams: [] }, site });
});

test("other features' notifications and garbage do nothing", () => {
  assert.equal(actionFor("pointer_moved", { conversation_id: CNV, x: 1, y: 2 }), null);
  assert.equal(actionFor("queue_updated", null), null);
});
