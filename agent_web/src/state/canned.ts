// Canned responses in the composer: typing `/ship` offers the responses whose shortcut starts
// so, and choosing one replaces the `/ship` with its text (placeholders filled in).
import type { FieldProblem } from "../net/fields";
import type { CannedResponse } from "../protocol.gen";

/** The server's rule for shortcuts (signaling/protocol/requests.py, SaveCanned). */
export const SHORTCUT_PATTERN = /^[a-z0-9_-]{1,32}$/;

export interface ShortcutQuery {
  /** Index of the "/" in the text. */
  start: number;
  /** Index just past the shortcut (the caret). */
  end: number;
  /** What follows the "/", lower-cased. */
  prefix: string;
}

/** The `/word` the caret is at the end of, if any (a "/" inside a word, like a URL, is not one). */
export function shortcutAt(text: string, caret: number): ShortcutQuery | null {
  let i = caret;
  while (i > 0 && /[A-Za-z0-9_-]/.test(text[i - 1]!)) i--;
  if (i === 0 || text[i - 1] !== "/") return null;
  const slash = i - 1;
  if (slash > 0 && !/\s/.test(text[slash - 1]!)) return null;
  // The caret must end the word (no letters right after it).
  if (caret < text.length && /[A-Za-z0-9_-]/.test(text[caret]!)) return null;
  return { start: slash, end: caret, prefix: text.slice(i, caret).toLowerCase() };
}

/** Responses for a prefix: exact match first, then by shortcut; personal before team on a tie. */
export function matchCanned(list: readonly CannedResponse[], prefix: string, limit = 8): CannedResponse[] {
  const p = prefix.toLowerCase();
  const rank = (c: CannedResponse): number => (c.shortcut === p ? 0 : c.shortcut.startsWith(p) ? 1 : 2);
  return list
    .filter((c) => c.shortcut.startsWith(p) || (p.length >= 2 && c.shortcut.includes(p)))
    .sort((a, b) => rank(a) - rank(b) || a.shortcut.localeCompare(b.shortcut)
      || (a.scope === b.scope ? 0 : a.scope === "personal" ? -1 : 1))
    .slice(0, limit);
}

export interface TemplateValues {
  visitor_name?: string | null;
  visitor_email?: string | null;
  agent_name?: string | null;
}

/** `{visitor_name}` (or `{name}`), `{first_name}` (the name's first word), `{visitor_email}`,
 * `{agent_name}`; others stay as written. A missing name reads "there" ("Hi there"). */
export function fillTemplate(text: string, values: TemplateValues): string {
  return text.replace(/\{(visitor_name|name|first_name|visitor_email|agent_name)\}/g, (whole, key: string) => {
    const value = key === "name" ? values.visitor_name
      : key === "first_name" ? values.visitor_name?.trim().split(/\s+/)[0]
      : values[key as keyof TemplateValues];
    return value ? value : key === "name" || key === "visitor_name" || key === "first_name" ? "there" : whole;
  });
}

/** The text with the shortcut at `query` replaced by the response; the caret goes after it. */
export function expandAt(text: string, query: ShortcutQuery, canned: CannedResponse,
                         values: TemplateValues): { text: string; caret: number } {
  const filled = fillTemplate(canned.text, values);
  const next = text.slice(0, query.start) + filled + text.slice(query.end);
  return { text: next, caret: query.start + filled.length };
}

/** A message that is nothing but a known `/shortcut` is sent as the response it names. */
export function expandWhole(text: string, list: readonly CannedResponse[],
                            values: TemplateValues): string | null {
  const m = /^\/([a-z0-9_-]+)$/i.exec(text.trim());
  if (!m) return null;
  const found = list.find((c) => c.shortcut === m[1]!.toLowerCase());
  return found ? fillTemplate(found.text, values) : null;
}

/** What is wrong with a canned response before it is saved, and which field, or null. */
export function cannedProblem(shortcut: string, text: string): FieldProblem | null {
  if (!SHORTCUT_PATTERN.test(shortcut)) {
    return { text: "A shortcut is 1–32 lower-case letters, digits, “-” or “_” (no spaces).", field: "shortcut" };
  }
  if (!text.trim()) return { text: "The response needs some text.", field: "text" };
  if (text.length > 4000) return { text: "The response is limited to 4000 characters.", field: "text" };
  return null;
}

/** The canned form's fields, with the words naming one in a refusal of the server's. */
export const CANNED_FIELDS = { shortcut: /\bshortcut\b/i, text: null, team: null };
