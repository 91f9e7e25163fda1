import { test } from "node:test";
import assert from "node:assert/strict";
import type { AgentInfo } from "../protocol.gen";
import { handBackPlan, handBackText } from "./handback";

function agent(id: string, teams: string[], over: Partial<AgentInfo> = {}): AgentInfo {
  return { id, login: id, display_name: id, photo_url: null, role: "agent", teams, max_concurrent: 3,
           status: "online", connected: true, load: 0, ...over };
}

const list = (agents: AgentInfo[]) => ({ agents, teams: ["support", "billing"] });
const me = agent("me", ["support", "billing"]);
const leo = { name: "Leo", team: "support" };
const mia = { name: "Mia", team: "billing" };

test("each chat goes to a colleague of its team online and connected, or becomes a message", () => {
  assert.equal(handBackPlan(null, "me", [leo]), null);
  assert.deepEqual(handBackPlan(list([me]), "me", [leo]), { toColleague: [], toMessage: ["Leo"] });
  assert.deepEqual(handBackPlan(list([me, agent("bea", ["support"])]), "me", [leo, mia]),
                   { toColleague: ["Leo"], toMessage: ["Mia"] });
  for (const over of [{ status: "away" as const }, { connected: false }]) {
    assert.deepEqual(handBackPlan(list([me, agent("bea", ["support"], over)]), "me", [leo]),
                     { toColleague: [], toMessage: ["Leo"] });
  }
});

test("the dialog says what each shopper will read", () => {
  assert.match(handBackText(null), /for a colleague/);
  assert.match(handBackText({ toColleague: ["Leo"], toMessage: [] }), /for a colleague/);
  assert.match(handBackText({ toColleague: [], toMessage: ["Leo"] }),
               /^Nobody else of their team is online.*becomes a message/);
  const mixed = handBackText({ toColleague: ["Leo"], toMessage: ["Mia"] });
  assert.match(mixed, /^Handed back, Leo goes to a colleague; nobody else of the team of Mia is online/);
});
