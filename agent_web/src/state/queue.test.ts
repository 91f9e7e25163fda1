import { test } from "node:test";
import assert from "node:assert/strict";
import type { ConversationSummary } from "../protocol.gen";
import { type Queues, queuesFromSnapshot, waitingList, withTeam } from "./queue";

function s(id: string, team: string, queuedAt: number): ConversationSummary {
  return { id, site_id: "sit_1", status: "queued", topic: "t", team, visitor_id: "v", visitor_name: null, agent_id: null,
    created_at: 0, queued_at: queuedAt, ended_at: null, last_message: null, last_seq: 1, rating: null,
    agent_replied: false };
}

test("queues by team, merged into one list longest waiting first", () => {
  let q: Queues = queuesFromSnapshot([s("a", "sales", 30), s("b", "support", 10)]);
  assert.deepEqual(waitingList(q).map((x) => x.id), ["b", "a"]);
  q = withTeam(q, "sales", [s("c", "sales", 5)]);
  assert.deepEqual(waitingList(q).map((x) => x.id), ["c", "b"]);
  q = withTeam(q, "support", []);
  assert.deepEqual(waitingList(q).map((x) => x.id), ["c"]);
});
