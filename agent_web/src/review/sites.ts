// The Sites page's form (pure): a site as the fields an admin edits (lines of text, rows of
// topics and masking rules, hours per weekday) and back to the change the server checks with
// the rules `aisle sites` uses; what the form says before saving (hours that never open,
// masking selectors the browser cannot read); and a failed save's reason in words.
import { RequestError } from "../net/session";
import type { CobrowseRule, Site, SiteChanges, Topic } from "../protocol.gen";

export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Day = (typeof DAYS)[number];
export const DAY_NAMES: Record<Day, string> = {
  mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday",
  sat: "Saturday", sun: "Sunday",
};

export interface Span { from: string; to: string }
export interface DayHours { open: boolean; spans: Span[] }
/** `maskAllText`: "" as the page's kind says (on for checkout, account…), or forced. */
export interface RuleForm { match: string; maskAllText: "" | "on" | "off"; mask: string; block: string; unmask: string }

export interface SiteForm {
  name: string;
  origins: string;
  enabled: boolean;
  topics: Topic[];
  alwaysOpen: boolean;
  days: Record<Day, DayHours>;
  timezone: string;
  color: string;
  position: "right" | "left";
  greeting: string;
  recordCobrowse: boolean;
  recordCalls: boolean;
  notice: "notice" | "consent";
  pauseUrls: string;
  retentionDays: string;
  agentsReviewOwn: boolean;
  rules: RuleForm[];
  assetOrigins: string;
  /** Page-address parameters hidden besides the built-in ones, one a line. */
  hiddenParams: string;
}

export type SetForm = (f: SiteForm) => void;

/** What a day that opens starts with. */
export const NEW_SPAN: Span = { from: "09:00", to: "17:00" };

/** The non-blank lines of a text area, trimmed. */
export function lines(text: string): string[] {
  return text.split("\n").map((l) => l.trim()).filter(Boolean);
}

function spanOf(text: string): Span {
  const [from = "", to = ""] = text.split("-");
  return { from: from.trim(), to: to.trim() };
}

export function formOf(site: Site): SiteForm {
  const days = Object.fromEntries(DAYS.map((d) => {
    const spans = (site.hours?.[d] ?? []).map(spanOf);
    return [d, { open: spans.length > 0, spans }];
  })) as Record<Day, DayHours>;
  return {
    name: site.name,
    origins: site.origins.join("\n"),
    enabled: site.enabled,
    topics: site.topics.map((t) => ({ ...t })),
    alwaysOpen: site.hours === null,
    days,
    timezone: site.timezone,
    color: site.theme.color,
    position: site.theme.position,
    greeting: site.theme.greeting,
    recordCobrowse: site.recording.cobrowse,
    recordCalls: site.recording.calls,
    notice: site.recording.notice,
    pauseUrls: site.recording.pause_urls.join("\n"),
    retentionDays: site.recording.retention_days === null ? "" : String(site.recording.retention_days),
    agentsReviewOwn: site.recording.agents_review_own,
    rules: site.cobrowse.rules.map(ruleFormOf),
    assetOrigins: site.cobrowse.asset_origins.join("\n"),
    hiddenParams: site.cobrowse.hidden_url_params.join("\n"),
  };
}

function ruleFormOf(rule: CobrowseRule): RuleForm {
  return {
    match: rule.match,
    maskAllText: rule.mask_all_text === null ? "" : rule.mask_all_text ? "on" : "off",
    mask: rule.mask.join("\n"), block: rule.block.join("\n"), unmask: rule.unmask.join("\n"),
  };
}

/** Hours as the server keeps them: null around the clock; an open day without spans is closed. */
export function hoursOf(form: SiteForm): Record<string, string[]> | null {
  if (form.alwaysOpen) return null;
  const hours: Record<string, string[]> = {};
  for (const day of DAYS) {
    const { open, spans } = form.days[day];
    if (open && spans.length) hours[day] = spans.map((s) => `${s.from.trim()}-${s.to.trim()}`);
  }
  return hours;
}

/** Hours set but no day opens: every shopper is sent to leave a message (`aisle sites` warns
 * too). Allowed — a store may close for a while — but said before saving. */
export function neverOpens(form: SiteForm): boolean {
  const hours = hoursOf(form);
  return hours !== null && Object.keys(hours).length === 0;
}

export const SELECTOR_FIELDS = ["mask", "block", "unmask"] as const;
export type SelectorField = (typeof SELECTOR_FIELDS)[number];

/** A masking rule's selectors that `valid` refuses, per field (the widget drops such a selector,
 * so what the admin meant to hide would show). */
export interface BadSelectors { rule: number; field: SelectorField; selectors: string[] }

export function badSelectors(form: SiteForm, valid: (selector: string) => boolean): BadSelectors[] {
  const bad: BadSelectors[] = [];
  form.rules.forEach((r, rule) => {
    for (const field of SELECTOR_FIELDS) {
      const selectors = lines(r[field]).filter((sel) => !valid(sel));
      if (selectors.length) bad.push({ rule, field, selectors });
    }
  });
  return bad;
}

/** "“div[” is not a CSS selector." */
export function selectorProblem(selectors: string[]): string {
  const named = selectors.map((sel) => `“${sel}”`).join(", ");
  return selectors.length === 1 ? `${named} is not a CSS selector.` : `${named} are not CSS selectors.`;
}

/** The whole form as one change (each value is checked by the server, which says what is wrong). */
export function changesOf(form: SiteForm): SiteChanges {
  const retention = form.retentionDays.trim();
  return {
    name: form.name.trim(),
    origins: lines(form.origins),
    enabled: form.enabled,
    topics: form.topics.map((t) => ({ id: t.id.trim(), label: t.label.trim(), team: t.team })),
    hours: hoursOf(form),
    timezone: form.timezone,
    theme: { color: form.color, position: form.position, greeting: form.greeting },
    recording: {
      cobrowse: form.recordCobrowse, calls: form.recordCalls, notice: form.notice,
      pause_urls: lines(form.pauseUrls), retention_days: retention === "" ? null : Number(retention),
      agents_review_own: form.agentsReviewOwn,
    },
    cobrowse: {
      rules: form.rules.map((r) => ({
        match: r.match.trim(), mask_all_text: r.maskAllText === "" ? null : r.maskAllText === "on",
        mask: lines(r.mask), block: lines(r.block), unmask: lines(r.unmask),
      })),
      asset_origins: lines(form.assetOrigins),
      hidden_url_params: lines(form.hiddenParams),
    },
  };
}

/** A day switched open starts with the usual span; switched closed it keeps none. */
export function withDay(form: SiteForm, day: Day, open: boolean): SiteForm {
  const spans = open ? (form.days[day].spans.length ? form.days[day].spans : [{ ...NEW_SPAN }]) : [];
  return { ...form, days: { ...form.days, [day]: { open, spans } } };
}

/** The hours in a few words, for the list of sites. */
export function hoursSummary(site: Site): string {
  if (site.hours === null) return "Always open";
  const open = DAYS.filter((d) => (site.hours?.[d] ?? []).length > 0);
  if (open.length === 0) return "Closed";
  return `${open.length} day${open.length === 1 ? "" : "s"} a week (${site.timezone})`;
}

/** Where a schema error points, as people count: "topics.0.id" → "topics 1 id". */
function place(loc: string): string {
  return loc.replace(/\.(\d+)/g, (_, n: string) => ` ${Number(n) + 1}`).replace(/\./g, " ");
}

/** A failed save in words: the server's reason, and each value it refused. */
export function problemOf(err: unknown): string {
  if (!(err instanceof RequestError)) return err instanceof Error ? err.message : "Something went wrong.";
  if (err.status === 403) return "Not allowed: only admins manage sites.";
  const errors = err.details?.["errors"];
  if (Array.isArray(errors) && errors.length) {
    const said = errors.map((e: { loc?: unknown; msg?: unknown }) =>
      `${place(String(e.loc ?? ""))}: ${String(e.msg ?? "")}`);
    return `Not saved: ${said.join("; ")}.`;
  }
  return err.status >= 400 && err.status < 500 ? `Not saved: ${err.message}.` : err.message;
}
