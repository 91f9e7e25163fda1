// Reports (pure): the page's choices in its address (?days=30&team=support), the REST query
// they make in the supervisor's time zone, how durations and shares read, and the report as a
// CSV file for a spreadsheet.

import type { Durations, Report } from "./types";

export const PERIODS = [7, 30, 90] as const;
export type PeriodDays = (typeof PERIODS)[number];

export interface ReportChoice {
  days: PeriodDays;
  team: string | null;
  /** A range of whole days chosen instead of the last `days` (YYYY-MM-DD, both included). */
  range?: { from: string; to: string } | null;
  /** The time zone days are cut in, when chosen (a link then shows everyone the same days);
   * else the reader's own. */
  tz?: string;
}

/** An IANA time zone this browser knows. */
export function knownZone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The time zones to choose from: the browser's list, the reader's own and UTC first. */
export function zones(own: string): string[] {
  const all = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] })
    .supportedValuesOf?.("timeZone") ?? [];
  return [...new Set([own, "UTC", ...all])];
}

const TEAM = /^[A-Za-z0-9_-]{1,64}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A range the page can ask for: two real dates, in order (the server checks the rest). */
export function validRange(from: string, to: string): boolean {
  const real = (d: string) => DAY.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`))
    && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
  return real(from) && real(to) && from <= to;
}

export function parseChoice(search: string): ReportChoice {
  const params = new URLSearchParams(search);
  const days = Number(params.get("days"));
  const team = params.get("team");
  const [from, to] = [params.get("from") ?? "", params.get("to") ?? ""];
  const tz = params.get("tz") ?? "";
  return { days: (PERIODS as readonly number[]).includes(days) ? (days as PeriodDays) : 7,
           team: team && TEAM.test(team) ? team : null,
           range: validRange(from, to) ? { from, to } : null,
           ...(knownZone(tz) ? { tz } : {}) };
}

export function choiceSearch(choice: ReportChoice): string {
  const params = new URLSearchParams();
  if (choice.range) {
    params.set("from", choice.range.from);
    params.set("to", choice.range.to);
  } else if (choice.days !== 7) params.set("days", String(choice.days));
  if (choice.team) params.set("team", choice.team);
  if (choice.tz) params.set("tz", choice.tz);
  const s = params.toString();
  return s ? `?${s}` : "";
}

/** YYYY-MM-DD of `at` in the time zone. */
export function dayIn(at: Date, tz: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit",
                                            day: "2-digit" }).format(at);
}

function minusDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

/** The REST query for the chosen range, or the last `days` days up to today, in the time
 * zone. */
export function reportQuery(choice: ReportChoice, tz: string, now: Date): string {
  const to = choice.range?.to ?? dayIn(now, tz);
  const from = choice.range?.from ?? minusDays(to, choice.days - 1);
  const params = new URLSearchParams({ from, to, tz });
  if (choice.team) params.set("team", choice.team);
  return `?${params.toString()}`;
}

/** "—", "45 s", "3 min 20 s", "1 h 05 min". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest ? `${Math.floor(s / 60)} min ${rest} s` : `${Math.floor(s / 60)} min`;
  }
  const minutes = Math.round((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h ${String(minutes).padStart(2, "0")} min`;
}

/** "62 %" of a whole, or "—" with nothing to divide by. */
export function share(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)} %` : "—";
}

/** A CSV field: quoted when it must be, and never read as a formula by a spreadsheet. */
function field(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function rows(lines: (string | number | null)[][]): string {
  return lines.map((line) => line.map(field).join(",")).join("\r\n");
}

const seconds = (d: Durations): [number | null, number | null] => [d.median_s, d.p90_s];

/** The report as CSV: the period, the totals, times and agents' time, then per day and per
 * agent. */
export function reportCsv(r: Report): string {
  const t = r.totals;
  return [
    rows([["Aisle report", `${r.from_date} to ${r.to_date}`, r.tz, r.team ?? "all teams"]]),
    rows([["figure", "value", "median_s", "p90_s"],
          ["conversations", t.started, null, null], ["answered", t.answered, null, null],
          ["abandoned", t.abandoned, ...seconds(r.abandoned_after)],
          ["left a message", t.offline, null, null],
          ["messages replied to", t.offline_answered, ...seconds(r.offline_reply)],
          ["waiting now", t.waiting, null, null],
          ["transfers", t.transfers, null, null],
          ["wait to be answered", r.wait.count, ...seconds(r.wait)],
          ["first response after pick-up", r.first_response.count, ...seconds(r.first_response)],
          ["first reply from the start", r.first_reply_from_start.count,
           ...seconds(r.first_reply_from_start)],
          ["handle time", r.handle.count, ...seconds(r.handle)],
          ["csat responses", r.csat.responses, null, null],
          ["csat satisfied ratio", r.csat.satisfied_ratio, null, null],
          ["csat average", r.csat.average, null, null],
          ["online_s", r.time.online_s, null, null], ["away_s", r.time.away_s, null, null],
          ["busy_s", r.time.busy_s, null, null], ["idle_s", r.time.idle_s, null, null],
          ["occupancy", r.time.occupancy, null, null],
          ["chats at once", r.time.chats_at_once, null, null]]),
    rows([["day", "conversations", "answered", "abandoned", "left a message"],
          ...r.days.map((d) => [d.date, d.started, d.answered, d.abandoned, d.offline])]),
    rows([["agent", "answered", "messages_replied_to", "first_response_median_s", "handle_median_s",
           "csat_responses", "csat_average", "online_s", "away_s", "occupancy", "chats_at_once"],
          ...r.agents.map((a) => [a.name, a.answered, a.offline_answered, a.first_response.median_s,
                                  a.handle.median_s, a.csat_responses, a.csat_average,
                                  a.time.online_s, a.time.away_s, a.time.occupancy,
                                  a.time.chats_at_once])]),
  ].join("\r\n\r\n") + "\r\n";
}

