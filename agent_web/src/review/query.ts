// The recordings search (pure): the filters and the order as the form holds them, as the page's address keeps
// them (so a search can be bookmarked, shared and survives a reload), and as the REST query
// (`GET /api/v1/recordings`: dates as unix ms, durations in seconds).

export const PAGE_SIZE = 20;

export type Flag = "" | "true" | "false";

/** How it ended ("open": under way, or a message left that nobody has closed); "": any. */
export const OUTCOMES = {
  open: "Still open",
  agent_ended: "Ended by the agent",
  visitor_ended: "Ended by the shopper",
  visitor_left: "Shopper left",
  closed_offline: "Message closed",
} as const;
export type Outcome = "" | keyof typeof OUTCOMES;

export const SORTS = {
  newest: "Newest first",
  oldest: "Oldest first",
  lowest_rating: "Lowest CSAT first",
  longest: "Longest first",
} as const;
export type Sort = keyof typeof SORTS;

export interface Filters {
  /** Words said in the chat (all of them). */
  q: string;
  /** Agent id. */
  agent: string;
  team: string;
  /** Local dates, "YYYY-MM-DD" (as <input type=date> gives them). */
  from: string;
  to: string;
  minRating: string;
  maxRating: string;
  /** Minutes (decimals allowed). */
  minMinutes: string;
  maxMinutes: string;
  hasCall: Flag;
  hasCobrowse: Flag;
  outcome: Outcome;
  /** Whether anyone has scored it. */
  scored: Flag;
  sort: Sort;
  /** 0-based page. */
  page: number;
}

export const NO_FILTERS: Filters = {
  q: "", agent: "", team: "", from: "", to: "", minRating: "", maxRating: "",
  minMinutes: "", maxMinutes: "", hasCall: "", hasCobrowse: "", outcome: "", scored: "",
  sort: "newest", page: 0,
};

// Filter field ↔ address parameter.
const PARAMS: Array<[keyof Omit<Filters, "page">, string]> = [
  ["q", "q"], ["agent", "agent"], ["team", "team"], ["from", "from"], ["to", "to"],
  ["minRating", "min_rating"], ["maxRating", "max_rating"], ["minMinutes", "min_minutes"],
  ["maxMinutes", "max_minutes"], ["hasCall", "has_call"], ["hasCobrowse", "has_cobrowse"],
  ["outcome", "outcome"], ["scored", "scored"], ["sort", "sort"],
];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function flag(v: string | null): Flag {
  return v === "true" || v === "false" ? v : "";
}

function isKey<T extends object>(choices: T, v: string): v is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(choices, v);
}

export function filtersFromSearch(search: string): Filters {
  const p = new URLSearchParams(search);
  const f: Filters = { ...NO_FILTERS };
  for (const [key, name] of PARAMS) {
    const v = p.get(name) ?? "";
    if (key === "hasCall" || key === "hasCobrowse" || key === "scored") f[key] = flag(v);
    else if (key === "outcome") f[key] = isKey(OUTCOMES, v) ? v : "";
    else if (key === "sort") f[key] = isKey(SORTS, v) ? v : "newest";
    else f[key] = v;
  }
  const page = Number(p.get("page") ?? "1");
  f.page = Number.isInteger(page) && page > 1 ? page - 1 : 0;
  return f;
}

/** "?q=refund&has_call=true&page=2" — only what is set. */
export function filtersToSearch(f: Filters): string {
  const p = new URLSearchParams();
  for (const [key, name] of PARAMS) {
    const v = f[key].trim();
    if (v && !(key === "sort" && v === NO_FILTERS.sort)) p.set(name, v);
  }
  if (f.page > 0) p.set("page", String(f.page + 1));
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** Local midnight of a "YYYY-MM-DD" date, in unix ms (null if it is not a date). */
export function localDayStart(date: string): number | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(d.getTime()) ? null : d.getTime();
}

function wholeNumber(v: string): number | null {
  const n = Number(v.trim());
  return v.trim() !== "" && Number.isFinite(n) ? Math.round(n) : null;
}

function minutesToSeconds(v: string): number | null {
  const n = Number(v.trim());
  return v.trim() !== "" && Number.isFinite(n) && n >= 0 ? Math.round(n * 60) : null;
}

/** A problem with the filters that the form shows instead of searching, or null. */
export function filtersProblem(f: Filters): string | null {
  const from = f.from ? localDayStart(f.from) : null;
  const to = f.to ? localDayStart(f.to) : null;
  if (from !== null && to !== null && to < from) return "The end date is before the start date.";
  for (const [v, what] of [[f.minRating, "minimum"], [f.maxRating, "maximum"]] as const) {
    const n = wholeNumber(v);
    if (v.trim() && (n === null || n < 1 || n > 5)) return `The ${what} rating is 1 to 5.`;
  }
  for (const [v, what] of [[f.minMinutes, "shortest"], [f.maxMinutes, "longest"]] as const) {
    if (v.trim() && minutesToSeconds(v) === null) return `The ${what} duration is a number of minutes.`;
  }
  const [lowRating, highRating] = [wholeNumber(f.minRating), wholeNumber(f.maxRating)];
  if (lowRating !== null && highRating !== null && highRating < lowRating) {
    return "The maximum rating is below the minimum: nothing can match.";
  }
  const [shortest, longest] = [minutesToSeconds(f.minMinutes), minutesToSeconds(f.maxMinutes)];
  if (f.minMinutes.trim() && f.maxMinutes.trim() && shortest !== null && longest !== null
    && longest < shortest) {
    return "The longest duration is below the shortest: nothing can match.";
  }
  return null;
}

/** The REST query for a page of results. */
export function apiQuery(f: Filters, pageSize = PAGE_SIZE): string {
  const p = new URLSearchParams();
  const words = f.q.trim().split(/\s+/).filter(Boolean);
  if (words.length) p.set("q", words.join(" "));
  if (f.agent.trim()) p.set("agent", f.agent.trim());
  if (f.team.trim()) p.set("team", f.team.trim());
  const from = f.from ? localDayStart(f.from) : null;
  if (from !== null) p.set("from", String(from));
  const to = f.to ? localDayStart(f.to) : null;
  // The whole of the last day: up to the next local midnight.
  if (to !== null) {
    const next = new Date(to);
    next.setDate(next.getDate() + 1);
    p.set("to", String(next.getTime() - 1));
  }
  const minRating = wholeNumber(f.minRating);
  if (minRating !== null) p.set("min_rating", String(minRating));
  const maxRating = wholeNumber(f.maxRating);
  if (maxRating !== null) p.set("max_rating", String(maxRating));
  const minDuration = minutesToSeconds(f.minMinutes);
  if (minDuration !== null) p.set("min_duration", String(minDuration));
  const maxDuration = minutesToSeconds(f.maxMinutes);
  if (maxDuration !== null) p.set("max_duration", String(maxDuration));
  if (f.hasCall) p.set("has_call", f.hasCall);
  if (f.hasCobrowse) p.set("has_cobrowse", f.hasCobrowse);
  if (f.outcome) p.set("outcome", f.outcome);
  if (f.scored) p.set("scored", f.scored);
  if (f.sort !== NO_FILTERS.sort) p.set("sort", f.sort);
  p.set("limit", String(pageSize));
  p.set("offset", String(f.page * pageSize));
  return `?${p.toString()}`;
}

/** "Showing 21–40 of 57". */
export function pageLabel(page: number, count: number, total: number, pageSize = PAGE_SIZE): string {
  if (total === 0 || count === 0) return "No recordings";
  const first = page * pageSize + 1;
  return `Showing ${first}–${first + count - 1} of ${total}`;
}

export function pageCount(total: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** What the agent field shows for an id, and the id for what was typed. */
export function agentName(id: string, agents: Record<string, string>): string {
  return agents[id] ?? id;
}

export function agentId(typed: string, agents: Record<string, string>): string {
  const t = typed.trim();
  if (!t || agents[t]) return t;
  const lower = t.toLowerCase();
  const entries = Object.entries(agents);
  const exact = entries.find(([, name]) => name.toLowerCase() === lower);
  if (exact) return exact[0];
  // Part of a name ("Alex" for "Alex (demo agent)"), when only one agent has it.
  const partial = entries.filter(([, name]) => name.toLowerCase().includes(lower));
  return partial.length === 1 && partial[0] ? partial[0][0] : t;
}
