// Scorecards (pure): the criteria editor's rows checked before they are saved, a reviewer's
// form turned into a score, and how scores read.
import type { Criterion, NewScore, Score } from "./types";

export interface CriterionDraft {
  id: string;
  label: string;
  max: string;
}

const ID = /^[a-z0-9_-]{1,32}$/;

/** An id from a label: "Greets by name" → "greets_by_name". */
export function idFromLabel(label: string): string {
  return label.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "")
    .slice(0, 32) || "criterion";
}

/** The criteria to save, or the first problem with the drafts. */
export function checkCriteria(drafts: CriterionDraft[]): { criteria: Criterion[] } | { problem: string } {
  const rows = drafts.filter((d) => d.label.trim() || d.id.trim());
  if (rows.length === 0) return { problem: "A scorecard needs at least one criterion." };
  if (rows.length > 30) return { problem: "A scorecard has at most 30 criteria." };
  const criteria: Criterion[] = [];
  const seen = new Set<string>();
  for (const [i, d] of rows.entries()) {
    const label = d.label.trim();
    if (!label) return { problem: `Criterion ${i + 1} needs a label.` };
    if (label.length > 200) return { problem: `Criterion ${i + 1}: the label is too long.` };
    let id = d.id.trim() || idFromLabel(label);
    if (!ID.test(id)) return { problem: `Criterion ${i + 1}: ids use a–z, 0–9, _ and - only.` };
    if (seen.has(id)) {
      if (d.id.trim()) return { problem: `Two criteria have the id “${id}”.` };
      let n = 2;
      while (seen.has(`${id.slice(0, 29)}_${n}`)) n += 1;
      id = `${id.slice(0, 29)}_${n}`;
    }
    seen.add(id);
    const max = Number(d.max);
    if (!Number.isInteger(max) || max < 1 || max > 10) return { problem: `Criterion ${i + 1}: the maximum is 1 to 10.` };
    criteria.push({ id, label, max });
  }
  return { criteria };
}

/** The form's values ("" = not scored) as a score for PUT …/score. Every criterion is scored,
 * as the server requires (a partial score's ratio would flatter); the missing ones are named by
 * their labels. */
export function scoreFromForm(values: Record<string, string>, comment: string,
  criteria: Criterion[]): NewScore | { problem: string } {
  const scores: Record<string, number> = {};
  const missing: string[] = [];
  for (const c of criteria) {
    const raw = (values[c.id] ?? "").trim();
    if (!raw) {
      missing.push(c.label);
      continue;
    }
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > c.max) return { problem: `${c.label}: 0 to ${c.max}.` };
    scores[c.id] = n;
  }
  if (missing.length) {
    return { problem: `Score every criterion: ${missing.map((l) => `“${l}”`).join(", ")} ${missing.length === 1 ? "is" : "are"} missing.` };
  }
  return { scores, comment: comment.trim() };
}

/** A saved score back into the form. */
export function formFromScore(score: Score | undefined): { values: Record<string, string>; comment: string } {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(score?.scores ?? {})) values[k] = String(v);
  return { values, comment: score?.comment ?? "" };
}

export function percent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? "—" : `${Math.round(ratio * 100)}%`;
}
