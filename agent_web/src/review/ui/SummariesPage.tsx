// Score summaries: average QA score per agent or per team, overall and per criterion (labels
// from the teams' scorecards).
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { explain } from "../api";
import { hrefOf } from "../route";
import { percent } from "../scoring";
import type { ScoreSummary } from "../types";
import { onLinkClick, useReview } from "./hooks";

interface Loaded {
  summary: ScoreSummary;
  /** Criterion id → label (and max), across the teams' scorecards. */
  labels: Map<string, { label: string; max: number }>;
}

export function SummariesPage({ by }: { by: "agent" | "team" }): JSX.Element {
  const { api, navigate } = useReview();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setLoaded(null);
    (async () => {
      const summary = await api.summary(by);
      const teams = by === "team" ? summary : await api.summary("team");
      const cards = await Promise.all(teams.rows.map((r) => api.scorecard(r.key).catch(() => null)));
      const labels = new Map<string, { label: string; max: number }>();
      for (const card of cards) for (const c of card?.criteria ?? []) labels.set(c.id, { label: c.label, max: c.max });
      if (live) setLoaded({ summary, labels });
    })().catch((err: unknown) => { if (live) setError(explain(err)); });
    return () => { live = false; };
  }, [by]);

  const link = onLinkClick(navigate);
  // In the scorecards' own order (then any criterion no scorecard has any more, by name).
  const order = loaded ? [...loaded.labels.keys()] : [];
  const rank = (c: string): number => (order.indexOf(c) + 1 || order.length + 1);
  const criteria = loaded ? [...new Set(loaded.summary.rows.flatMap((r) => Object.keys(r.per_criterion)))]
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)) : [];
  return (
    <div class="rv-page">
      <div class="rv-page-head">
        <h1>Score summaries</h1>
        <nav class="rv-seg" aria-label="Group by">
          {(["agent", "team"] as const).map((b) => (
            <a key={b} href={hrefOf({ page: "summaries", by: b })} onClick={link}
              class={`rv-seg-item${by === b ? " active" : ""}`} aria-current={by === b ? "page" : undefined}>
              By {b}
            </a>
          ))}
        </nav>
      </div>
      {error ? <p class="form-error" role="alert">{error}</p> : null}
      {!loaded && !error ? <p class="boot" role="status">Loading…</p> : null}
      {loaded && loaded.summary.rows.length === 0 ? (
        <div class="rv-empty" role="status"><h2>No scores yet</h2>
          <p class="muted">Scores appear here once reviewers fill in scorecards.</p></div>
      ) : null}
      {loaded && loaded.summary.rows.length ? (
        <div class="card rv-table-wrap">
          <table class="table" data-testid="summary">
            <caption class="visually-hidden">Average QA scores by {by}</caption>
            <thead>
              <tr>
                <th scope="col">{by === "agent" ? "Agent" : "Team"}</th>
                <th scope="col">Conversations</th>
                <th scope="col">Average</th>
                {criteria.map((c) => <th scope="col" key={c}>{loaded.labels.get(c)?.label ?? c}</th>)}
              </tr>
            </thead>
            <tbody>
              {loaded.summary.rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{r.name}</th>
                  <td>{r.conversations}</td>
                  <td><span class="rv-meter" aria-hidden="true"><span style={{ width: percent(r.average_ratio) }} /></span>
                    {percent(r.average_ratio)}</td>
                  {criteria.map((c) => {
                    const v = r.per_criterion[c];
                    return <td key={c}>{v === undefined ? "—" : percent(v)}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
