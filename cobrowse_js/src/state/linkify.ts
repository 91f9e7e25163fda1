// Links in chat text: http(s) URLs become links (agents paste tracking and product links);
// everything else stays text, rendered as text (never as HTML).

export interface Segment {
  text: string;
  href?: string;
}

const URL = /\bhttps?:\/\/[^\s<>"']+/gi;
const TRAILING = /[.,!?;:'"]+$/;

export function linkify(text: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(URL)) {
    const start = match.index ?? 0;
    let url = match[0].replace(TRAILING, "");
    // A closing parenthesis belongs to the URL only if it opened one.
    while (url.endsWith(")") && (url.match(/\(/g)?.length ?? 0) < (url.match(/\)/g)?.length ?? 0)) {
      url = url.slice(0, -1);
    }
    if (start > last) segments.push({ text: text.slice(last, start) });
    segments.push({ text: url, href: url });
    last = start + url.length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}
