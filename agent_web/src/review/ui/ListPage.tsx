// Recordings: the search form (words said, agent, team, dates, CSAT, duration, call,
// co-browse, outcome, scored or not), the results in the order chosen, with excerpt, outcome,
// duration, rating and badges, and pages of them. The filters live in the address, so a search
// survives a reload and can be shared; the tab remembers the last one, for the player's way back.
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { shopperName } from "../../state/conversation";
import { formatDuration } from "../../state/time";
import { explain } from "../api";
import { apiQuery, filtersFromSearch, filtersProblem, filtersToSearch, pageCount, pageLabel,
  OUTCOMES, SORTS, type Filters, type Sort } from "../query";
import { BASE, hrefOf } from "../route";
import { percent } from "../scoring";
import type { RecordingList, RecordingSummary } from "../types";
import { Filters as FilterForm, rememberAgents } from "./Filters";
import { isReviewer, onLinkClick, useReview } from "./hooks";
import { IconCursor, IconNote, IconPhone, IconStar } from "./icons";

const LAST_SEARCH_KEY = "aisle.review.search";

/** The list as this tab last showed it (filters, order, page), or the whole list. */
export function lastListHref(): string {
  try {
    return `${BASE}${filtersToSearch(filtersFromSearch(sessionStorage.getItem(LAST_SEARCH_KEY) ?? ""))}`;
  } catch {
    return BASE;  // storage blocked: the whole list
  }
}

function rememberSearch(search: string): void {
  try {
    sessionStorage.setItem(LAST_SEARCH_KEY, search);
  } catch {
    // Storage blocked: the way back is the whole list.
  }
}

export function ListPage({ search }: { search: string }): JSX.Element {
  const { api, me, navigate } = useReview();
  const filters = filtersFromSearch(search);
  const [result, setResult] = useState<RecordingList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    rememberSearch(search);
    const problem = filtersProblem(filters);
    if (problem) {
      setError(problem);
      setLoading(false);
      return undefined;
    }
    let live = true;
    setLoading(true);
    api.search(apiQuery(filters)).then((found) => {
      if (!live) return;
      rememberAgents(found.recordings);
      setResult(found);
      setError(null);
      setLoading(false);
    }, (err: unknown) => {
      if (!live) return;
      setError(explain(err));
      setLoading(false);
    });
    return () => { live = false; };
  }, [search]);

  const go = (f: Filters): void => navigate(`/review/${filtersToSearch(f)}`);
  const total = result?.total ?? 0;
  const rows = result?.recordings ?? [];
  const pages = pageCount(total);

  if (result?.scope === "none") {  // an agent whose stores keep recordings for reviewers only
    return (
      <div class="rv-page rv-list">
        <div class="rv-page-head"><h1>Recordings</h1></div>
        <div class="rv-empty" role="status" data-testid="not-allowed">
          <h2>Not open to agents here</h2>
          <p class="muted">Your store does not let agents replay their own conversations.
            Supervisors and trainers review them; an admin can let agents replay their own on
            the store’s Sites page (Recording).</p>
          <p><a href="/agent/">Back to the console</a></p>
        </div>
      </div>
    );
  }
  return (
    <div class="rv-page rv-list">
      <div class="rv-page-head">
        <h1>Recordings</h1>
        {!isReviewer(me) ? (
          <p class="muted small">You see only your own conversations, where your site allows it.</p>
        ) : null}
      </div>
      <FilterForm initial={filters} onSearch={(f) => go({ ...f, page: 0 })} />
      <section class="rv-results" aria-labelledby="results-title" aria-busy={loading}>
        <div class="rv-results-head">
          <h2 id="results-title">{loading ? "Searching…" : pageLabel(filters.page, rows.length, total)}</h2>
          <label class="rv-sort">
            <span class="muted small">Order</span>
            <select name="sort" value={filters.sort}
              onChange={(e) => go({ ...filters, sort: e.currentTarget.value as Sort, page: 0 })}>
              {Object.entries(SORTS).map(([v, label]) => <option value={v} key={v}>{label}</option>)}
            </select>
          </label>
        </div>
        {error ? <p class="form-error" role="alert">{error}</p> : null}
        {!loading && !error && rows.length === 0 ? <Empty filtered={search.length > 1} unscored={filters.scored === "false"} /> : null}
        {rows.length ? (
          <ul class="rv-rows" data-testid="results">
            {rows.map((r) => <Row key={r.conversation_id} r={r} />)}
          </ul>
        ) : null}
        {pages > 1 ? (
          <nav class="rv-pager" aria-label="Pages">
            <button type="button" class="btn btn-ghost btn-sm" disabled={filters.page === 0}
              onClick={() => go({ ...filters, page: filters.page - 1 })}>Previous</button>
            <span class="muted small">Page {filters.page + 1} of {pages}</span>
            <button type="button" class="btn btn-ghost btn-sm" disabled={filters.page + 1 >= pages}
              onClick={() => go({ ...filters, page: filters.page + 1 })}>Next</button>
          </nav>
        ) : null}
      </section>
    </div>
  );
}

function Empty({ filtered, unscored }: { filtered: boolean; unscored: boolean }): JSX.Element {
  return (
    <div class="rv-empty" role="status">
      <h2>No recordings found</h2>
      <p class="muted">{filtered ? "Try fewer words or wider filters." : "Ended conversations appear here."}</p>
      {unscored ? (
        <p class="muted" data-testid="unscored-hint">“Not scored yet” lists answered conversations of teams
          with a scorecard. A supervisor creates a team’s criteria in the Scorecard tab of any of its
          recordings.</p>
      ) : null}
    </div>
  );
}

/** How it ended, or where it stands. */
export function outcome(r: Pick<RecordingSummary, "status" | "ended_reason" | "message_answered">
): string {
  // A message left stays open until someone closes it, answered or not.
  if (r.status === "offline") return r.message_answered ? "Message answered" : "Message waiting";
  if (r.status !== "ended" || r.ended_reason === null) return "Under way";
  return OUTCOMES[r.ended_reason];
}

const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function Row({ r }: { r: RecordingSummary }): JSX.Element {
  const { navigate } = useReview();
  const href = hrefOf({ page: "recording", id: r.conversation_id, at: null });
  const who = shopperName(r);
  return (
    <li class="rv-row" data-conversation={r.conversation_id}>
      <div class="rv-row-main">
        <a class="rv-row-title" href={href} onClick={onLinkClick(navigate)}>
          {who} <span class="muted">· {r.topic_label ?? r.topic}</span>
        </a>
        {r.excerpt ? <p class="rv-excerpt">“{r.excerpt}”</p> : null}
        <div class="rv-badges">
          {r.has_call ? <span class="chip chip-accent rv-badge" title="Has a call"><IconPhone size={12} /> Call</span> : null}
          {r.has_cobrowse ? <span class="chip chip-accent rv-badge" title="Has co-browsing"><IconCursor size={12} /> Co-browse</span> : null}
          {r.annotations ? <span class="chip rv-badge"><IconNote size={12} /> {r.annotations} note{r.annotations === 1 ? "" : "s"}</span> : null}
          {r.score_ratio !== null ? <span class="chip rv-badge">QA {percent(r.score_ratio)}</span> : null}
        </div>
      </div>
      <dl class="rv-row-facts">
        <div><dt>Agent</dt><dd>{r.agent_name ?? "—"}</dd></div>
        <div><dt>Team</dt><dd>{r.team}</dd></div>
        <div><dt>Started</dt><dd><time dateTime={new Date(r.started_at).toISOString()}>{DATE.format(r.started_at)}</time></dd></div>
        <div><dt>Duration</dt><dd>{formatDuration(r.duration_s)}</dd></div>
        <div><dt>Outcome</dt><dd data-testid="outcome">{outcome(r)}</dd></div>
        <div><dt>CSAT</dt><dd>{r.rating !== null
          ? <span class={`rv-rating r${r.rating}`}><IconStar size={12} /> {r.rating}/5</span> : "—"}</dd></div>
      </dl>
    </li>
  );
}
