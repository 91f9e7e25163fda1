// The QA scorecard of the conversation's team: a reviewer scores each criterion (0 to its
// maximum) with a comment and saves (replacing their earlier score); every reviewer's scores
// are listed; supervisors edit the team's criteria here.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { explain } from "../api";
import { checkCriteria, formFromScore, percent, scoreFromForm, type CriterionDraft } from "../scoring";
import type { Criterion, Recording, Score } from "../types";
import { isReviewer, isSupervisor, useReview } from "./hooks";

export function ScorecardPanel({ rec, scores, onScores }: {
  rec: Recording; scores: Score[]; onScores(s: Score[]): void;
}): JSX.Element {
  const { api, me } = useReview();
  const [criteria, setCriteria] = useState<Criterion[]>(rec.scorecard.criteria);
  const [editing, setEditing] = useState(false);
  const mine = scores.find((s) => s.reviewer_id === me.id);
  const [form, setForm] = useState(() => formFromScore(mine));
  const [status, setStatus] = useState<{ text: string; ok: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const team = rec.conversation.team;
  const canScore = isReviewer(me);

  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    const score = scoreFromForm(form.values, form.comment, criteria);
    if ("problem" in score) {
      setStatus({ text: score.problem, ok: false });
      return;
    }
    setBusy(true);
    try {
      const saved = await api.score(rec.conversation.id, score);
      onScores([...scores.filter((s) => s.reviewer_id !== me.id), saved]);
      setStatus({ text: `Saved: ${percent(saved.ratio)}.`, ok: true });
    } catch (err) {
      setStatus({ text: explain(err), ok: false });
    } finally {
      setBusy(false);
    }
  };

  if (editing) {
    return <CriteriaEditor team={team} criteria={criteria} onDone={(c) => {
      if (c) {
        setCriteria(c);
        setStatus({ text: "The scorecard was saved.", ok: true });
      }
      setEditing(false);
    }} />;
  }
  const others = scores.filter((s) => s.reviewer_id !== me.id);
  return (
    <div class="rv-scorecard">
      <div class="rv-panel-head">
        <h2>QA scorecard <span class="chip">{team}</span></h2>
        {isSupervisor(me) ? (
          <button type="button" class="link" onClick={() => setEditing(true)}>
            {criteria.length ? "Edit criteria" : "Create criteria"}
          </button>
        ) : null}
      </div>
      {criteria.length === 0 ? (
        <p class="empty-small">Team {team} has no scorecard yet{isSupervisor(me) ? "." : ": a supervisor sets its criteria."}</p>
      ) : canScore ? (
        <form onSubmit={save} aria-label="Your score" data-testid="score-form">
          {criteria.map((c) => (
            <label class="rv-criterion" key={c.id}>
              <span>{c.label}</span>
              <select value={form.values[c.id] ?? ""} data-criterion={c.id}
                onChange={(e) => setForm({ ...form, values: { ...form.values, [c.id]: e.currentTarget.value } })}>
                <option value="">—</option>
                {Array.from({ length: c.max + 1 }, (_, n) => <option value={String(n)} key={n}>{n}</option>)}
              </select>
              <span class="muted small">/ {c.max}</span>
            </label>
          ))}
          <label class="field">
            <span>Comment</span>
            <textarea rows={3} maxLength={4000} value={form.comment}
              onInput={(e) => setForm({ ...form, comment: e.currentTarget.value })} />
          </label>
          {status ? <p class={status.ok ? "form-ok" : "form-error"} role={status.ok ? "status" : "alert"}>{status.text}</p> : null}
          <div class="form-actions">
            <button type="submit" class="btn btn-primary btn-sm" disabled={busy}>
              {busy ? "Saving…" : mine ? "Update score" : "Save score"}
            </button>
          </div>
        </form>
      ) : null}
      <h3 class="rv-subhead">{canScore ? "Other reviewers" : "Reviewers' scores"}</h3>
      {(canScore ? others : scores).length === 0 ? <p class="empty-small">No scores yet.</p> : (
        <ul class="rv-scores" data-testid="scores">
          {(canScore ? others : scores).map((s) => (
            <li key={s.reviewer_id}>
              <div class="rv-score-head"><strong>{s.reviewer_name ?? s.reviewer_id}</strong>
                <span class="chip chip-accent">{percent(s.ratio)}</span></div>
              <p class="muted small">{Object.entries(s.scores).map(([k, v]) => {
                const c = criteria.find((x) => x.id === k);
                return `${c?.label ?? k} ${v}${c ? `/${c.max}` : ""}`;
              }).join(" · ")}</p>
              {s.comment ? <p class="rv-score-comment">{s.comment}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function CriteriaEditor({ team, criteria, onDone }: {
  team: string; criteria: Criterion[]; onDone(saved: Criterion[] | null): void;
}): JSX.Element {
  const { api } = useReview();
  const [rows, setRows] = useState<CriterionDraft[]>(() => criteria.length
    ? criteria.map((c) => ({ id: c.id, label: c.label, max: String(c.max) }))
    : [{ id: "", label: "", max: "5" }]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (i: number, patch: Partial<CriterionDraft>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    const checked = checkCriteria(rows);
    if ("problem" in checked) {
      setError(checked.problem);
      return;
    }
    setBusy(true);
    try {
      const card = await api.setScorecard(team, checked.criteria);
      onDone(card.criteria);
    } catch (err) {
      setError(explain(err));
      setBusy(false);
    }
  };

  return (
    <form class="rv-criteria-editor" onSubmit={save} aria-label={`Criteria of team ${team}`}>
      <div class="rv-panel-head"><h2>Criteria <span class="chip">{team}</span></h2></div>
      <p class="hint">Every conversation of team {team} is scored on these. Scores already given keep their values.</p>
      <table class="table">
        <thead><tr><th scope="col">Criterion</th><th scope="col">Max</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td><input aria-label={`Criterion ${i + 1}`} value={r.label} maxLength={200}
                onInput={(e) => set(i, { label: e.currentTarget.value })} placeholder="e.g. Greets by name" /></td>
              <td class="rv-max"><input type="number" min="1" max="10" aria-label={`Maximum of criterion ${i + 1}`}
                value={r.max} onInput={(e) => set(i, { max: e.currentTarget.value })} /></td>
              <td><button type="button" class="link danger" onClick={() => setRows(rows.filter((_, j) => j !== i))}
                aria-label={`Remove criterion ${i + 1}`}>Remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" class="link" onClick={() => setRows([...rows, { id: "", label: "", max: "5" }])}>
        + Add a criterion
      </button>
      {error ? <p class="form-error" role="alert">{error}</p> : null}
      <div class="form-actions">
        <button type="button" class="btn btn-ghost btn-sm" onClick={() => onDone(null)}>Cancel</button>
        <button type="submit" class="btn btn-primary btn-sm" disabled={busy}>{busy ? "Saving…" : "Save criteria"}</button>
      </div>
    </form>
  );
}
