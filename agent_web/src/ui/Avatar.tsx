// A round photo, or initials on a colour derived from the name.
import type { JSX } from "preact";

// White initials on each of them reach 4.5:1 or more (WCAG AA): see Avatar.test.ts.
export const COLOURS = ["#4f46e5", "#0369a1", "#047857", "#b45309", "#b91c1c", "#7c3aed", "#0f766e", "#be185d"];

// An aside in brackets, closed or not: "Olivia (owner)", "Sam [night shift".
const ASIDE = /[([{][^)\]}]*(?:[)\]}]|$)/g;
// A letter of any script with its accents or vowel signs (é typed as e + ´, देवनागरी).
const LETTER = /\p{L}\p{M}*/u;

function firstLetters(text: string): string[] {
  return text.split(/\s+/).flatMap((word) => word.match(LETTER) ?? []);
}

/** One or two letters for a name: the first letters of its first and last words. Digits,
 * punctuation and emoji never count; an aside in brackets only when there is nothing else. */
export function initials(name: string): string {
  let letters = firstLetters(name.replace(ASIDE, " "));
  if (letters.length === 0) letters = firstLetters(name);
  if (letters.length === 0) return "?";
  const picked = letters.length > 1 ? [letters[0]!, letters[letters.length - 1]!] : [letters[0]!];
  // Upper case where it stays one letter ("ß" would become "SS").
  return picked.map((l) => (l.toUpperCase().length === l.length ? l.toUpperCase() : l)).join("");
}

function colour(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return COLOURS[h % COLOURS.length]!;
}

export function Avatar({ name, photo, size = 32, status }: {
  name: string; photo?: string | null; size?: number; status?: "online" | "away" | "offline" | null;
}): JSX.Element {
  const style = { width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size * 0.4)}px` };
  return (
    <span class="avatar" style={style}>
      {photo ? <img src={photo} alt="" /> : <span class="avatar-initials" style={{ background: colour(name) }}>{initials(name)}</span>}
      {status ? <span class={`avatar-dot dot-${status}`} aria-hidden="true" /> : null}
    </span>
  );
}
