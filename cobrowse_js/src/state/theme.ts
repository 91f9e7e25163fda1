// The site's theme made safe and readable: a valid accent colour, and text on it that meets
// WCAG contrast (white or near-black, whichever reads better).

export const DEFAULT_ACCENT = "#4f46e5";

export function accentColor(color: string | null | undefined): string {
  return typeof color === "string" && /^#[0-9a-fA-F]{6}$/.test(color) ? color : DEFAULT_ACCENT;
}

function channel(hex: string, at: number): number {
  const c = parseInt(hex.slice(at, at + 2), 16) / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function luminance(color: string): number {
  const hex = accentColor(color);
  return 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export const DARK_TEXT = "#111827";

/** The text colour to put on `accent`. */
export function textOn(accent: string): string {
  return contrast(accent, "#ffffff") >= contrast(accent, DARK_TEXT) ? "#ffffff" : DARK_TEXT;
}
