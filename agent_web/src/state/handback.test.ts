import { test } from "node:test";
import assert from "node:assert/strict";
import type { AgentInfo } from "../protocol.gen";
import { colleagueAvailable, handBackText } from "./handback";

function agent(id: string, teams: string[], over: Partial<AgentInfo> = {}): AgentInfo {
  return { id, login: id, display_name: id, photo_url: null, role: "agent", teams, max_concurrent: 3,
           status: "online", connected: true, load: 0, ...over };
}

test("a colleague counts when online, connected and in every team being handed back", () => {
  const list = (agents: AgentInfo[]) => ({ agents, teams: ["support", "billing"] });
  const me = agent("me", ["support", "billing"]);
  assert.equal(colleagueAvailable(null, "me", ["support"]), null);
  assert.equal(colleagueAvailable(list([me]), "me", ["support"]), false);
  assert.equal(colleagueAvailable(list([me, agent("bea", ["support"])]), "me", ["support"]), true);
  assert.equal(colleagueAvailable(list([me, agent("bea", ["support"])]), "me", ["support", "billing"]), false);
  assert.equal(colleagueAvailable(list([me, agent("bea", ["support"], { status: "away" })]), "me", ["support"]), false);
  assert.equal(colleagueAvailable(list([me, agent("bea", ["support"], { connected: false })]), "me", ["support"]), false);
});

test("with nobody to take them, handing back says what the shoppers will read", () => {
  assert.match(handBackText(false), /Nobody else of their team is online.*leave a message/);
  assert.match(handBackText(true), /for a colleague/);
  assert.match(handBackText(null), /for a colleague/);
});
