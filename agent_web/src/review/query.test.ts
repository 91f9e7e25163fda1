import { test } from "node:test";
import assert from "node:assert/strict";
import { NO_FILTERS, agentId, agentName, apiQuery, filtersFromSearch, filtersProblem, filtersToSearch, localDayStart,
  pageCount, pageLabel } from "./query";

test("filters round-trip through the page's address, keeping only what is set", () => {
  const f = { ...NO_FILTERS, q: "refund mug", team: "support", hasCall: "true" as const, page: 2 };
  const search = filtersToSearch(f);
  assert.equal(search, "?q=refund+mug&team=support&has_call=true&page=3");
  assert.deepEqual(filtersFromSearch(search), f);
  assert.equal(filtersToSearch(NO_FILTERS), "");
  assert.deepEqual(filtersFromSearch("?has_call=maybe&page=-4&junk=1"), NO_FILTERS);
});

test("how it ended, scored or not, and the order: in the address and the REST query", () => {
  const f = { ...NO_FILTERS, outcome: "visitor_left" as const, scored: "false" as const,
              sort: "lowest_rating" as const };
  const search = filtersToSearch(f);
  assert.equal(search, "?outcome=visitor_left&scored=false&sort=lowest_rating");
  assert.deepEqual(filtersFromSearch(search), f);
  const p = new URLSearchParams(apiQuery(f, 20));
  assert.equal(p.get("outcome"), "visitor_left");
  assert.equal(p.get("scored"), "false");
  assert.equal(p.get("sort"), "lowest_rating");
  // The default order is not spelled out; unknown values fall back to the defaults.
  assert.equal(new URLSearchParams(apiQuery(NO_FILTERS)).get("sort"), null);
  assert.deepEqual(filtersFromSearch("?outcome=lost&sort=best&scored=maybe&sort=newest"), NO_FILTERS);
  assert.deepEqual(filtersFromSearch("?outcome=toString&sort=constructor"), NO_FILTERS);
});

test("the REST query: words, dates as unix ms over whole local days, minutes as seconds", () => {
  const f = { ...NO_FILTERS, q: "  refund   mug ", agent: "agt_1", from: "2026-03-01", to: "2026-03-02",
              minRating: "2", maxRating: "4", minMinutes: "1.5", maxMinutes: "10",
              hasCall: "false" as const, hasCobrowse: "true" as const, page: 1 };
  const p = new URLSearchParams(apiQuery(f, 20));
  assert.equal(p.get("q"), "refund mug");
  assert.equal(p.get("agent"), "agt_1");
  assert.equal(p.get("from"), String(new Date(2026, 2, 1).getTime()));
  assert.equal(p.get("to"), String(new Date(2026, 2, 3).getTime() - 1));
  assert.equal(p.get("min_rating"), "2");
  assert.equal(p.get("max_rating"), "4");
  assert.equal(p.get("min_duration"), "90");
  assert.equal(p.get("max_duration"), "600");
  assert.equal(p.get("has_call"), "false");
  assert.equal(p.get("has_cobrowse"), "true");
  assert.equal(p.get("limit"), "20");
  assert.equal(p.get("offset"), "20");
  assert.equal(apiQuery(NO_FILTERS), "?limit=20&offset=0");
});

test("bad filters are explained instead of searched", () => {
  assert.equal(filtersProblem(NO_FILTERS), null);
  assert.match(filtersProblem({ ...NO_FILTERS, from: "2026-03-05", to: "2026-03-01" })!, /end date/);
  assert.match(filtersProblem({ ...NO_FILTERS, minRating: "4", maxRating: "2" })!, /nothing can match/);
  assert.match(filtersProblem({ ...NO_FILTERS, minMinutes: "10", maxMinutes: "2" })!, /nothing can match/);
  assert.equal(filtersProblem({ ...NO_FILTERS, minRating: "3", maxRating: "3" }), null);
  assert.match(filtersProblem({ ...NO_FILTERS, minRating: "9" })!, /minimum rating/);
  assert.match(filtersProblem({ ...NO_FILTERS, maxMinutes: "soon" })!, /longest duration/);
  assert.equal(localDayStart("yesterday"), null);
});

test("pages read as people count them", () => {
  assert.equal(pageLabel(0, 20, 57), "Showing 1–20 of 57");
  assert.equal(pageLabel(2, 17, 57), "Showing 41–57 of 57");
  assert.equal(pageLabel(0, 0, 0), "No recordings");
  assert.equal(pageCount(57), 3);
  assert.equal(pageCount(0), 1);
});

test("the agent field takes a name, part of one, or an id", () => {
  const agents = { agt_1: "Alex (demo agent)", agt_2: "Sam (demo supervisor)", agt_3: "Alexis" };
  assert.equal(agentId("agt_2", agents), "agt_2");
  assert.equal(agentId(" sam (demo supervisor) ", agents), "agt_2");
  assert.equal(agentId("Sam", agents), "agt_2"); // only one name has it
  assert.equal(agentId("Alex", agents), "Alex"); // two do: left as typed, finds nothing
  assert.equal(agentId("alex (demo", agents), "agt_1");
  assert.equal(agentName("agt_1", agents), "Alex (demo agent)");
});
