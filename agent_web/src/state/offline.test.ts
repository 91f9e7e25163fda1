import { test } from "node:test";
import assert from "node:assert/strict";
import type { ConversationSummary } from "../protocol.gen";
import { ME, joined, meActor, msg, started } from "./fixtures";
import { agentReplied, needsReplyCheck, type OfflineLine, offlineStatus } from "./offline";

function line(over: Partial<OfflineLine> = {}): OfflineLine {
  const summary: ConversationSummary = {
    id: "cnv_1", site_id: "sit_1", status: "offline", topic: "order", team: "support", visitor_id: "vis_1",
    visitor_name: "Fay", agent_id: null, created_at: 1000, queued_at: 1000, ended_at: null,
    last_message: "Can I change my address?", last_seq: 3, rating: null,
  };
  return { ...summary, agentReplied: null, ...over };
}

test("an agent replied when one wrote to the shopper; joining, or a note, is not a reply", () => {
  assert.equal(agentReplied([started(1), msg(2, "hello?")]), false);
  assert.equal(agentReplied([started(1), joined(2), msg(3, "hello?")]), false);
  assert.equal(agentReplied([started(1), joined(2), msg(3, "Hi, I'm Alex", meActor)]), true);
});

test("only a message nobody holds says Unanswered, and only when no agent ever replied", () => {
  assert.equal(offlineStatus(line({ agentReplied: false }), ME).text, "Unanswered");
  // Answered live, then the agent dropped and nobody of the team was left.
  const dropped = offlineStatus(line({ agentReplied: true }), ME);
  assert.equal(dropped.text, "Unassigned");
  assert.match(dropped.title ?? "", /answered this chat live/);
  assert.equal(offlineStatus(line({ agentReplied: null }), ME).text, "Unassigned", "not known: no claim");
  assert.equal(offlineStatus(line({ agent_id: ME }), ME).text, "Yours");
  assert.equal(offlineStatus(line({ agent_id: "agt_bea" }), ME).text, "Answered by a colleague");
  assert.equal(offlineStatus(line({ status: "ended", agent_id: ME }), ME).text, "closed");
});

test("the log is read only for open lines nobody holds", () => {
  assert.equal(needsReplyCheck(line()), true);
  assert.equal(needsReplyCheck(line({ agent_id: ME })), false);
  assert.equal(needsReplyCheck(line({ status: "ended" })), false);
});
