import { test } from "node:test";
import assert from "node:assert/strict";
import { choiceSearch, dayIn, formatDuration, parseChoice, reportCsv, reportQuery, share, zones } from "./reports";

test("the page's choices round-trip through its address, and bad ones fall back", () => {
  for (const choice of [{ days: 7, team: null, range: null }, { days: 30, team: "support", range: null },
                        { days: 90, team: null, range: null }] as const) {
    assert.deepEqual(parseChoice(choiceSearch(choice)), choice);
  }
  assert.deepEqual(parseChoice("?days=13&team=a%20b"), { days: 7, team: null, range: null });
  assert.equal(choiceSearch({ days: 7, team: null }), "");
  // A range of days, chosen: in the address and the query; impossible ones are dropped.
  const range = { days: 7, team: "sales", range: { from: "2026-02-01", to: "2026-02-28" } } as const;
  assert.equal(choiceSearch(range), "?from=2026-02-01&to=2026-02-28&team=sales");
  assert.deepEqual(parseChoice(choiceSearch(range)), range);
  for (const bad of ["?from=2026-02-30&to=2026-03-01", "?from=2026-03-05&to=2026-03-01",
                     "?from=yesterday&to=2026-03-01", "?from=2026-03-01"]) {
    assert.equal(parseChoice(bad).range, null, bad);
  }
  assert.equal(reportQuery(range, "Europe/Paris", new Date()),
               "?from=2026-02-01&to=2026-02-28&tz=Europe%2FParis&team=sales");
  // A time zone chosen goes in the address (a link shows everyone the same days); an unknown
  // one is dropped, and the reader's own is used.
  const kabul = { days: 30, team: null, range: null, tz: "Asia/Kabul" } as const;
  assert.equal(choiceSearch(kabul), "?days=30&tz=Asia%2FKabul");
  assert.deepEqual(parseChoice(choiceSearch(kabul)), kabul);
  assert.equal(parseChoice("?tz=Mars%2FOlympus").tz, undefined);
  assert.deepEqual(zones("Europe/Paris").slice(0, 2), ["Europe/Paris", "UTC"]);
});

test("the REST query covers whole days up to today in the supervisor's time zone", () => {
  // 23:30 UTC on 2026-03-09 is already the 10th in Paris, still the 9th in New York.
  const now = new Date(Date.UTC(2026, 2, 9, 23, 30));
  assert.equal(dayIn(now, "Europe/Paris"), "2026-03-10");
  assert.equal(reportQuery({ days: 7, team: null }, "Europe/Paris", now),
               "?from=2026-03-04&to=2026-03-10&tz=Europe%2FParis");
  assert.equal(reportQuery({ days: 30, team: "billing" }, "America/New_York", now),
               "?from=2026-02-08&to=2026-03-09&tz=America%2FNew_York&team=billing");
});

test("durations and shares read as people say them", () => {
  assert.equal(formatDuration(null), "—");
  assert.equal(formatDuration(44.6), "45 s");
  assert.equal(formatDuration(200), "3 min 20 s");
  assert.equal(formatDuration(180), "3 min");
  assert.equal(formatDuration(3900), "1 h 05 min");
  assert.equal(share(1, 3), "33 %");
  assert.equal(share(0, 0), "—");
});

test("the report as CSV: sections a spreadsheet reads, names that cannot run as formulas", () => {
  const none = { count: 0, median_s: null, p90_s: null };
  const csv = reportCsv({
    from_date: "2026-03-04", to_date: "2026-03-10", tz: "Europe/Paris", team: null,
    totals: { started: 4, answered: 2, abandoned: 1, offline: 1, offline_answered: 1, waiting: 0,
              transfers: 0 },
    wait: { count: 2, median_s: 12.5, p90_s: 20 }, abandoned_after: { count: 1, median_s: 40, p90_s: 40 },
    first_response: none, handle: none, first_reply_from_start: none, offline_reply: { count: 1, median_s: 3600, p90_s: 3600 },
    csat: { responses: 1, satisfied_ratio: 1, average: 5, response_ratio: 0.5, distribution: [0, 0, 0, 0, 1] },
    time: { online_s: 3600, away_s: 600, busy_s: 2700, idle_s: 900, occupancy: 0.75, chats_at_once: 1.8 },
    agents: [{ agent_id: "a1", name: "=HYPERLINK(\"x\")", answered: 2, offline_answered: 1, first_response: none, handle: none,
               csat_responses: 1, csat_average: 5,
               time: { online_s: 3600, away_s: 600, busy_s: 2700, idle_s: 900, occupancy: 0.75, chats_at_once: 1.8 } }],
    days: [{ date: "2026-03-10", started: 3, answered: 2, abandoned: 1, offline: 0 }],
    teams: ["support"],
  });
  const lines = csv.split("\r\n");
  assert.equal(lines[0], "Aisle report,2026-03-04 to 2026-03-10,Europe/Paris,all teams");
  assert.ok(lines.includes("abandoned,1,40,40"));
  assert.ok(lines.includes("wait to be answered,2,12.5,20"));
  assert.ok(lines.includes("first response after pick-up,0,,"));
  assert.ok(lines.includes("first reply from the start,0,,"));
  assert.ok(lines.includes("messages replied to,1,3600,3600"));
  assert.ok(lines.includes("2026-03-10,3,2,1,0"));
  assert.ok(lines.includes(`"'=HYPERLINK(""x"")",2,1,,,1,5,3600,600,0.75,1.8`), csv);
  assert.ok(lines.includes("occupancy,0.75,,") && lines.includes("chats at once,1.8,,"));
  assert.ok(csv.endsWith("\r\n"));
});
