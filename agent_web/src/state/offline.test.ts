import { test } from "node:test";
import assert from "node:assert/strict";
import type { ConversationSummary } from "../protocol.gen";
import { ME } from "./fixtures";
import { offlineStatus } from "./offline";

function line(over: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id: "cnv_1", site_id: "sit_1", status: "offline", topic: "order", team: "support", visitor_id: "vis_1",
    visitor_name: "Fay", agent_id: null, created_at: 1000, queued_at: 1000, ended_at: null,
    last_message: "Can I change my address?", last_seq: 3, rating: null, agent_replied: false, ...over,
  };
}

test("only a message nobody holds says Unanswered, and only when no agent ever replied", () => {
  assert.equal(offlineStatus(line(), ME).text, "Unanswered");
  // Answered live, then the agent dropped and nobody of the team was left.
  const dropped = offlineStatus(line({ agent_replied: true }), ME);
  assert.equal(dropped.text, "Unassigned");
  assert.match(dropped.title ?? "", /answered this chat live/);
  assert.equal(offlineStatus(line({ agent_id: ME, agent_replied: true }), ME).text, "Yours");
  assert.equal(offlineStatus(line({ agent_id: "agt_bea" }), ME).text, "Answered by a colleague");
  assert.equal(offlineStatus(line({ status: "ended", agent_id: ME }), ME).text, "closed");
});
