// The recordings search form (the order is chosen above the results). The agent field suggests every agent by name (GET /api/v1/agents,
// for reviewers) and the agents seen in results so far, and sends their id; an id typed in
// works too.
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { agentId, agentName, NO_FILTERS, OUTCOMES, type Filters as F, type Flag, type Outcome } from "../query";
import type { RecordingSummary } from "../types";
import { isReviewer, useReview } from "./hooks";
import { IconSearch } from "./icons";

const AGENTS_KEY = "aisle.review.agents";
const TEAMS_KEY = "aisle.review.teams";

function load(key: string): Record<string, string> {
  try {
    const raw = sessionStorage.getItem(key);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return typeof parsed === "object" && parsed !== null ? parsed as Record<string, string> : {};
  } catch {
    return {};
  }
}

function store(key: string, value: Record<string, string>): void {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage blocked: suggestions last as long as the page.
  }
}

/** Agents (id → name) and teams seen in results, for the suggestions. */
export function rememberAgents(rows: RecordingSummary[]): void {
  const agents = load(AGENTS_KEY);
  const teams = load(TEAMS_KEY);
  for (const r of rows) {
    if (r.agent_id) agents[r.agent_id] = r.agent_name ?? r.agent_id;
    teams[r.team] = r.team;
  }
  store(AGENTS_KEY, agents);
  store(TEAMS_KEY, teams);
}

const RATINGS = ["", "1", "2", "3", "4", "5"];

/** Every agent and team from the server (reviewers), remembered like those seen in results. */
function useDirectory(): number {
  const { api, me } = useReview();
  const [loaded, setLoaded] = useState(0);
  useEffect(() => {
    if (!isReviewer(me)) return undefined;  // an agent replaying their own: results suggest
    let live = true;
    api.agents().then(({ agents: list }) => {
      const agents = load(AGENTS_KEY);
      const teams = load(TEAMS_KEY);
      for (const a of list) {
        agents[a.id] = a.display_name;
        for (const t of a.teams) teams[t] = t;
      }
      store(AGENTS_KEY, agents);
      store(TEAMS_KEY, teams);
      if (live) setLoaded((n) => n + 1);
    }).catch(() => undefined);
    return () => { live = false; };
  }, [api]);
  return loaded;
}

export function Filters({ initial, onSearch }: { initial: F; onSearch(f: F): void }): JSX.Element {
  const loaded = useDirectory();
  const agents = load(AGENTS_KEY);
  const teams = Object.keys(load(TEAMS_KEY)).sort();
  const [f, setF] = useState<F>(initial);
  const [agentText, setAgentText] = useState(agentName(initial.agent, agents));
  // A new search resets the form to it; a new order or page of the same search keeps what
  // is being typed (it is not searched until Search).
  const { sort: _sort, page: _page, ...searched } = initial;
  const key = JSON.stringify(searched);
  useEffect(() => {
    setF(initial);
    setAgentText(agentName(initial.agent, load(AGENTS_KEY)));
  }, [key]);
  // The directory came: an id shown for want of a name becomes the name (typing is kept).
  useEffect(() => {
    setAgentText((text) => (text === initial.agent ? agentName(initial.agent, load(AGENTS_KEY)) : text));
  }, [loaded]);

  const set = <K extends keyof F>(k: K) => (e: Event) =>
    setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value as F[K] });
  const submit = (e: Event): void => {
    e.preventDefault();
    onSearch({ ...f, sort: initial.sort, agent: agentId(agentText, load(AGENTS_KEY)) });
  };
  const clear = (): void => {
    setAgentText("");
    onSearch({ ...NO_FILTERS, sort: initial.sort });  // the filters, not the order
  };

  return (
    <form class="card rv-filters" role="search" aria-label="Search recordings" onSubmit={submit}>
      <div class="rv-filter-words">
        <label class="field">
          <span>Words said in the chat</span>
          <input type="search" name="q" value={f.q} onInput={set("q")} placeholder="e.g. refund blue mug"
            data-testid="filter-words" />
        </label>
      </div>
      <div class="rv-filter-grid">
        <label class="field">
          <span>Agent</span>
          <input name="agent" list="rv-agents" value={agentText} placeholder="Any agent"
            onInput={(e) => setAgentText(e.currentTarget.value)} autocomplete="off" />
          <datalist id="rv-agents">
            {Object.entries(agents).map(([id, name]) => <option value={name} key={id}>{id}</option>)}
          </datalist>
        </label>
        <label class="field">
          <span>Team</span>
          <input name="team" list="rv-teams" value={f.team} onInput={set("team")} placeholder="Any team"
            autocomplete="off" />
          <datalist id="rv-teams">{teams.map((t) => <option value={t} key={t} />)}</datalist>
        </label>
        <label class="field">
          <span>From</span>
          <input type="date" name="from" value={f.from} onInput={set("from")} />
        </label>
        <label class="field">
          <span>To</span>
          <input type="date" name="to" value={f.to} onInput={set("to")} />
        </label>
        <fieldset class="field rv-pair">
          <legend>CSAT</legend>
          <select aria-label="Lowest CSAT" value={f.minRating} onChange={set("minRating")}>
            {RATINGS.map((r) => <option value={r} key={r}>{r ? `from ${r}` : "any"}</option>)}
          </select>
          <select aria-label="Highest CSAT" value={f.maxRating} onChange={set("maxRating")}>
            {RATINGS.map((r) => <option value={r} key={r}>{r ? `to ${r}` : "any"}</option>)}
          </select>
        </fieldset>
        <fieldset class="field rv-pair">
          <legend>Duration (minutes)</legend>
          <input type="number" min="0" step="0.5" aria-label="Shortest, minutes" placeholder="min"
            value={f.minMinutes} onInput={set("minMinutes")} />
          <input type="number" min="0" step="0.5" aria-label="Longest, minutes" placeholder="max"
            value={f.maxMinutes} onInput={set("maxMinutes")} />
        </fieldset>
        <FlagField label="Call" value={f.hasCall} onChange={(v) => setF({ ...f, hasCall: v })} name="has-call" />
        <FlagField label="Co-browse" value={f.hasCobrowse} onChange={(v) => setF({ ...f, hasCobrowse: v })} name="has-cobrowse" />
        <label class="field">
          <span>Outcome</span>
          <select name="outcome" value={f.outcome}
            onChange={(e) => setF({ ...f, outcome: e.currentTarget.value as Outcome })}>
            <option value="">Any</option>
            {Object.entries(OUTCOMES).map(([v, label]) => <option value={v} key={v}>{label}</option>)}
          </select>
        </label>
        <label class="field">
          <span>QA score</span>
          <select name="scored" value={f.scored}
            onChange={(e) => setF({ ...f, scored: e.currentTarget.value as Flag })}>
            <option value="">Any</option>
            <option value="false">Not scored yet</option>
            <option value="true">Scored</option>
          </select>
        </label>
      </div>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={clear}>Clear</button>
        <button type="submit" class="btn btn-primary"><IconSearch size={16} /> Search</button>
      </div>
    </form>
  );
}

function FlagField({ label, value, onChange, name }: {
  label: string; value: Flag; onChange(v: Flag): void; name: string;
}): JSX.Element {
  return (
    <label class="field">
      <span>{label}</span>
      <select name={name} value={value} onChange={(e) => onChange(e.currentTarget.value as Flag)}>
        <option value="">Any</option>
        <option value="true">With {label.toLowerCase()}</option>
        <option value="false">Without {label.toLowerCase()}</option>
      </select>
    </label>
  );
}
