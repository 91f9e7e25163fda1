import { test } from "node:test";
import assert from "node:assert/strict";
import { checkCriteria, formFromScore, idFromLabel, percent, scoreFromForm } from "./scoring";

test("criteria drafts are checked and get ids from their labels", () => {
  assert.equal(idFromLabel("Greets by name!"), "greets_by_name");
  assert.equal(idFromLabel("Résolution"), "resolution");
  assert.deepEqual(checkCriteria([
    { id: "", label: "Greets by name", max: "5" },
    { id: "", label: "", max: "5" }, // an empty row is ignored
    { id: "resolution", label: "Resolves the issue", max: "10" },
    { id: "", label: "Greets by name", max: "3" },
  ]), { criteria: [
    { id: "greets_by_name", label: "Greets by name", max: 5 },
    { id: "resolution", label: "Resolves the issue", max: 10 },
    { id: "greets_by_name_2", label: "Greets by name", max: 3 },
  ] });
  assert.deepEqual(checkCriteria([]), { problem: "A scorecard needs at least one criterion." });
  assert.match((checkCriteria([{ id: "x", label: "X", max: "11" }]) as { problem: string }).problem, /1 to 10/);
  assert.match((checkCriteria([{ id: "Bad Id", label: "X", max: "5" }]) as { problem: string }).problem, /a–z/);
  assert.match((checkCriteria([{ id: "a", label: "A", max: "5" }, { id: "a", label: "B", max: "5" }]) as { problem: string }).problem, /Two criteria/);
});

test("a reviewer's form becomes a score of every criterion; missing ones are named by label", () => {
  const criteria = [{ id: "greeting", label: "Greeting", max: 5 }, { id: "solves_the_problem", label: "Solves the problem", max: 10 }];
  assert.deepEqual(scoreFromForm({ greeting: "4", solves_the_problem: "0" }, " Solid ", criteria),
    { scores: { greeting: 4, solves_the_problem: 0 }, comment: "Solid" });
  assert.deepEqual(scoreFromForm({ greeting: "4", solves_the_problem: "" }, "", criteria),
    { problem: "Score every criterion: “Solves the problem” is missing." });
  assert.deepEqual(scoreFromForm({}, "", criteria),
    { problem: "Score every criterion: “Greeting”, “Solves the problem” are missing." });
  assert.deepEqual(scoreFromForm({ greeting: "6" }, "", criteria), { problem: "Greeting: 0 to 5." });
  const saved = { reviewer_id: "agt_1", reviewer_name: "T", agent_id: null, team: "support",
                  scores: { greeting: 4 }, ratio: 0.8, comment: "Solid", created_at: 1 };
  assert.deepEqual(formFromScore(saved), { values: { greeting: "4" }, comment: "Solid" });
  assert.deepEqual(formFromScore(undefined), { values: {}, comment: "" });
  assert.equal(percent(0.8), "80%");
  assert.equal(percent(null), "—");
});
