// Finding our own <script> tag: the site key and Aisle's base URL come from it. An async
// script has no document.currentScript, so the tag is also looked up by its attributes.

export interface Embed {
  siteKey: string;
  /** Aisle's origin (where /aisle.js came from): the API and sockets live there. */
  base: string;
}

interface ScriptLike {
  src: string;
  getAttribute(name: string): string | null;
}

interface DocumentLike {
  currentScript: unknown;
  querySelectorAll(selector: string): ArrayLike<ScriptLike>;
}

const SELECTOR = 'script[data-site][src$="/aisle.js"], script[data-site][src*="/aisle.js?"]';

export function findEmbed(doc: DocumentLike): Embed | null {
  const candidates: ScriptLike[] = [];
  const current = doc.currentScript as ScriptLike | null;
  if (current && typeof current.getAttribute === "function") candidates.push(current);
  candidates.push(...Array.from(doc.querySelectorAll(SELECTOR)));
  for (const script of candidates) {
    const siteKey = script.getAttribute("data-site");
    if (!siteKey || !script.src) continue;
    try {
      const url = new URL(script.src);
      if (url.protocol !== "http:" && url.protocol !== "https:") continue;
      return { siteKey, base: url.origin };
    } catch {
      continue;
    }
  }
  return null;
}
