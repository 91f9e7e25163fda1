import { test } from "node:test";
import assert from "node:assert/strict";
import { RequestError } from "../net/session";
import type { Site } from "../protocol.gen";
import { badSelectors, changesOf, formOf, hoursOf, hoursSummary, lines, neverOpens, problemOf,
  selectorProblem, withDay } from "./sites";

const site = (over: Partial<Site> = {}): Site => ({
  id: "sit_1", key: "k1", name: "Harbour Goods", origins: ["self", "https://shop.example"],
  hours: { mon: ["09:00-12:00", "13:00-17:00"], sat: ["10:00-14:00"] }, timezone: "Europe/Paris",
  topics: [{ id: "order", label: "An order", team: "support" }],
  theme: { color: "#4f46e5", position: "right", greeting: "Hi!" },
  cobrowse: { rules: [{ match: "*/account*", mask_all_text: true, mask: [".a", ".b"], block: [], unmask: [] }],
              asset_origins: [], hidden_url_params: ["order_ref", "member"] },
  recording: { cobrowse: true, calls: false, notice: "consent", pause_urls: ["*/checkout*"],
               retention_days: 30, agents_review_own: false },
  embed: "<script …>", enabled: true, ...over,
});

test("a site read into the form and written back is the same site", () => {
  const s = site();
  const changes = changesOf(formOf(s));
  assert.deepEqual(changes, {
    name: s.name, origins: s.origins, topics: s.topics, hours: s.hours, timezone: s.timezone,
    theme: s.theme, recording: s.recording, cobrowse: s.cobrowse, enabled: true,
  });
  assert.equal(changesOf(formOf(site({ enabled: false }))).enabled, false);
  const always = changesOf(formOf(site({ hours: null, recording: { ...s.recording, retention_days: null } })));
  assert.equal(always.hours, null);
  assert.equal(always.recording?.retention_days, null);
});

test("hours: closed days and open days without spans are left out; always open is null", () => {
  const form = formOf(site());
  assert.equal(form.days.mon.open, true);
  assert.deepEqual(form.days.mon.spans, [{ from: "09:00", to: "12:00" }, { from: "13:00", to: "17:00" }]);
  assert.equal(form.days.tue.open, false);
  const opened = withDay(form, "tue", true);
  assert.deepEqual(opened.days.tue.spans, [{ from: "09:00", to: "17:00" }]);
  assert.deepEqual(hoursOf(withDay(opened, "mon", false)),
                   { tue: ["09:00-17:00"], sat: ["10:00-14:00"] });
  const emptied = { ...form, days: { ...form.days, sat: { open: true, spans: [] } } };
  assert.deepEqual(hoursOf(emptied), { mon: ["09:00-12:00", "13:00-17:00"] });
  assert.deepEqual(hoursOf({ ...form, days: Object.fromEntries(Object.entries(form.days).map(
    ([d, h]) => [d, { ...h, open: false }])) as typeof form.days }), {});
  assert.equal(hoursOf({ ...form, alwaysOpen: true }), null);
});

test("text areas are one value a line; rules keep 'as the page says' apart from on and off", () => {
  assert.deepEqual(lines(" a \n\n b\r\n"), ["a", "b"]);
  const form = formOf(site());
  form.rules.push({ match: " */x* ", maskAllText: "", mask: "", block: ".c\n", unmask: "" },
                  { match: "*/y*", maskAllText: "off", mask: "", block: "", unmask: ".d" });
  assert.deepEqual(changesOf(form).cobrowse?.rules?.map((r) => [r.match, r.mask_all_text, r.block, r.unmask]), [
    ["*/account*", true, [], []], ["*/x*", null, [".c"], []], ["*/y*", false, [], [".d"]]]);
});

test("address parameters to hide are one a line, as the admin wrote them", () => {
  const form = formOf(site());
  assert.equal(form.hiddenParams, "order_ref\nmember");
  assert.deepEqual(changesOf({ ...form, hiddenParams: " loyalty \n\nref_id\n" }).cobrowse?.hidden_url_params,
                   ["loyalty", "ref_id"]);
});

test("the list says the hours in a few words", () => {
  assert.equal(hoursSummary(site({ hours: null })), "Always open");
  assert.equal(hoursSummary(site({ hours: {} })), "Closed");
  assert.equal(hoursSummary(site()), "2 days a week (Europe/Paris)");
});

test("a refused save says why, value by value", () => {
  assert.equal(problemOf(new RequestError("invalid_payload", "unknown time zone 'Mars'", 400, { field: "timezone" })),
               "Not saved: unknown time zone 'Mars'.");
  assert.equal(problemOf(new RequestError("invalid_payload", "the body does not match the schema", 400, {
    errors: [{ loc: "topics.0.id", msg: "String should match pattern" }, { loc: "theme.color", msg: "bad" }] })),
  "Not saved: topics 1 id: String should match pattern; theme color: bad.");
  assert.equal(problemOf(new RequestError("forbidden", "only admins manage sites", 403)),
               "Not allowed: only admins manage sites.");
  assert.equal(problemOf(new RequestError("network", "Aisle cannot be reached.")), "Aisle cannot be reached.");
});

test("hours that never open are told apart from always open and from some open day", () => {
  const form = formOf(site());
  assert.equal(neverOpens(form), false);
  assert.equal(neverOpens({ ...form, alwaysOpen: true }), false);
  assert.equal(neverOpens(formOf(site({ hours: null }))), false);
  const closed = withDay(withDay(form, "mon", false), "sat", false);
  assert.equal(neverOpens(closed), true);
  // Unticking "around the clock" with no day ticked.
  assert.equal(neverOpens({ ...formOf(site({ hours: null })), alwaysOpen: false }), true);
  // A day ticked but left without hours is closed too.
  assert.equal(neverOpens({ ...closed, days: { ...closed.days, tue: { open: true, spans: [] } } }), true);
  assert.equal(neverOpens(withDay(closed, "tue", true)), false);
});

test("masking selectors the browser refuses are named per rule and field", () => {
  const form = formOf(site());
  form.rules.push({ match: "*/x*", maskAllText: "", mask: "div[\n.ok", block: ".fine", unmask: " a..b \n>>" });
  const valid = (sel: string): boolean => !/\[$|\.\.|^>/.test(sel);
  assert.deepEqual(badSelectors(form, valid), [
    { rule: 1, field: "mask", selectors: ["div["] },
    { rule: 1, field: "unmask", selectors: ["a..b", ">>"] },
  ]);
  assert.deepEqual(badSelectors(formOf(site()), valid), []);
  assert.equal(selectorProblem(["div["]), "“div[” is not a CSS selector.");
  assert.equal(selectorProblem(["a..b", ">>"]), "“a..b”, “>>” are not CSS selectors.");
});
