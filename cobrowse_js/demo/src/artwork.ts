// Product illustrations drawn as inline SVG, so the store needs no image files or outside hosts.
// Every product has a few gallery views; all share one 400×400 drawing per kind.
import type { Colour, Kind, Product } from "./catalogue";

export type View = "front" | "detail" | "lifestyle" | "colours";

export const VIEW_LABELS: Record<View, string> = {
  front: "Front view",
  detail: "Close-up",
  lifestyle: "Styled shot",
  colours: "All colours",
};

/** The gallery views a product offers; "All colours" only when there is more than one. */
export function viewsFor(product: Product): View[] {
  const views: View[] = ["front", "detail", "lifestyle"];
  if (product.colours.length > 1) views.push("colours");
  return views;
}

/** Mixes a #rrggbb colour toward white (amount > 0) or black (amount < 0). */
function shade(hex: string, amount: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const target = amount > 0 ? 255 : 0;
  const t = Math.abs(amount);
  const mix = (c: number): number => Math.round(c + (target - c) * t);
  const r = mix((n >> 16) & 255);
  const g = mix((n >> 8) & 255);
  const b = mix(n & 255);
  return `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;
}

interface Palette {
  readonly main: string;
  readonly dark: string;
  readonly light: string;
}

/** Relative luminance, 0 (black) to 1 (white), close enough to pick a backdrop. */
function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  return (0.2126 * ((n >> 16) & 255) + 0.7152 * ((n >> 8) & 255) + 0.0722 * (n & 255)) / 255;
}

/** A backdrop tinted by the product colour, darker than pale products so they stand out. */
function backdrop(hex: string): string {
  return luminance(hex) > 0.7 ? shade(hex, -0.16) : shade(hex, 0.86);
}

function palette(hex: string): Palette {
  return { main: hex, dark: shade(hex, -0.35), light: shade(hex, 0.6) };
}

type Drawing = (p: Palette) => string;

const DRAWINGS: Record<Kind, Drawing> = {
  tee: ({ main, dark }) => `
    <path d="M150 92 L120 100 L70 140 L98 190 L130 172 L130 322 Q130 330 138 330 L262 330 Q270 330 270 322 L270 172 L302 190 L330 140 L280 100 L250 92 Q200 130 150 92 Z" fill="${main}"/>
    <path d="M150 92 Q200 130 250 92" fill="none" stroke="${dark}" stroke-width="8" stroke-linecap="round"/>
    <path d="M98 190 L130 172 M302 190 L270 172" stroke="${dark}" stroke-width="6" stroke-linecap="round"/>
    <rect x="222" y="152" width="30" height="34" rx="4" fill="none" stroke="${dark}" stroke-width="4"/>
    <path d="M138 318 L262 318" stroke="${dark}" stroke-width="4" opacity=".5"/>`,
  hoodie: ({ main, dark, light }) => `
    <path d="M150 100 Q150 50 200 50 Q250 50 250 100 Z" fill="${dark}"/>
    <path d="M150 95 L115 108 Q80 122 76 170 L64 300 Q63 312 75 313 L98 315 Q108 315 110 304 L128 190 L128 322 Q128 332 138 332 L262 332 Q272 332 272 322 L272 190 L290 304 Q292 315 302 315 L325 313 Q337 312 336 300 L324 170 Q320 122 285 108 L250 95 Z" fill="${main}"/>
    <path d="M160 98 Q200 150 240 98 Q200 82 160 98 Z" fill="${dark}"/>
    <path d="M186 128 L182 178 M214 128 L218 178" stroke="${light}" stroke-width="4" stroke-linecap="round"/>
    <path d="M160 250 L240 250 L256 300 L144 300 Z" fill="none" stroke="${dark}" stroke-width="5" stroke-linejoin="round"/>
    <path d="M130 316 L270 316" stroke="${dark}" stroke-width="6" opacity=".45"/>`,
  sneaker: ({ main, dark, light }) => `
    <path d="M62 262 Q58 200 100 188 L150 176 Q168 140 205 138 L228 140 Q240 170 270 190 L320 212 Q348 224 346 262 Z" fill="${main}"/>
    <path d="M62 262 Q58 200 100 188 L106 262 Z" fill="${dark}"/>
    <path d="M150 244 Q205 204 268 198" fill="none" stroke="${light}" stroke-width="12" stroke-linecap="round"/>
    <path d="M176 162 L200 172 M186 152 L212 162 M198 144 L224 154" stroke="${light}" stroke-width="5" stroke-linecap="round"/>
    <path d="M52 258 L352 258 Q362 258 362 270 L362 280 Q362 292 350 292 L68 292 Q52 292 52 276 Z" fill="#f5f5f4" stroke="${dark}" stroke-width="4"/>
    <path d="M62 281 L354 281" stroke="${dark}" stroke-width="3" opacity=".35"/>`,
  tote: ({ main, dark, light }) => `
    <path d="M150 170 L150 122 Q150 80 200 80 Q250 80 250 122 L250 170" fill="none" stroke="${dark}" stroke-width="14" stroke-linecap="round"/>
    <path d="M104 160 L296 160 L312 330 Q313 340 302 340 L98 340 Q87 340 88 330 Z" fill="${main}"/>
    <path d="M104 160 L296 160 L297.5 176 L102.5 176 Z" fill="${dark}" opacity=".35"/>
    <circle cx="200" cy="258" r="40" fill="none" stroke="${dark}" stroke-width="6"/>
    <path d="M172 266 Q186 244 200 266 T228 266" fill="none" stroke="${dark}" stroke-width="6" stroke-linecap="round"/>
    <path d="M118 330 L282 330" stroke="${light}" stroke-width="3" opacity=".6"/>`,
  backpack: ({ main, dark, light }) => `
    <path d="M176 100 Q176 72 200 72 Q224 72 224 100" fill="none" stroke="${dark}" stroke-width="10"/>
    <rect x="106" y="140" width="18" height="160" rx="9" fill="${dark}"/>
    <rect x="276" y="140" width="18" height="160" rx="9" fill="${dark}"/>
    <rect x="118" y="95" width="164" height="245" rx="48" fill="${main}"/>
    <path d="M126 172 Q200 192 274 172" fill="none" stroke="${dark}" stroke-width="5" stroke-linecap="round"/>
    <rect x="146" y="222" width="108" height="92" rx="22" fill="${dark}"/>
    <path d="M162 244 L238 244" stroke="${light}" stroke-width="4" stroke-linecap="round"/>
    <rect x="232" y="240" width="9" height="20" rx="3" fill="${light}"/>`,
  beanie: ({ main, dark, light }) => {
    const ribs = Array.from({ length: 13 }, (_, i) => `M${116 + i * 14} 248 L${116 + i * 14} 302`).join(" ");
    return `
    <circle cx="200" cy="108" r="30" fill="${light}"/>
    <path d="M108 262 Q104 128 200 124 Q296 128 292 262 Z" fill="${main}"/>
    <path d="M160 140 Q150 200 150 250 M200 126 L200 250 M240 140 Q250 200 250 250" fill="none" stroke="${dark}" stroke-width="4" opacity=".35"/>
    <rect x="96" y="240" width="208" height="70" rx="16" fill="${dark}"/>
    <path d="${ribs}" stroke="${main}" stroke-width="4" opacity=".45"/>`;
  },
  mug: ({ main, dark, light }) => `
    <path d="M170 108 Q158 90 172 72 M200 108 Q188 88 202 66 M230 108 Q218 90 232 72" fill="none" stroke="#a8a29e" stroke-width="6" stroke-linecap="round" opacity=".7"/>
    <path d="M272 176 Q330 176 330 228 Q330 282 272 282" fill="none" stroke="${dark}" stroke-width="22"/>
    <path d="M118 130 L282 130 L282 300 Q282 330 252 330 L148 330 Q118 330 118 300 Z" fill="${main}"/>
    <ellipse cx="200" cy="130" rx="82" ry="14" fill="${dark}"/>
    <ellipse cx="200" cy="130" rx="82" ry="14" fill="none" stroke="${light}" stroke-width="4"/>
    <circle cx="150" cy="200" r="4" fill="${dark}" opacity=".35"/>
    <circle cx="236" cy="250" r="3" fill="${dark}" opacity=".35"/>
    <circle cx="180" cy="290" r="3.5" fill="${dark}" opacity=".35"/>`,
  bottle: ({ main, dark, light }) => `
    <path d="M228 70 Q262 70 262 88 Q262 106 228 106" fill="none" stroke="${dark}" stroke-width="8"/>
    <rect x="170" y="56" width="60" height="42" rx="10" fill="${dark}"/>
    <rect x="180" y="94" width="40" height="26" fill="#d6d3d1"/>
    <path d="M180 118 L220 118 Q262 130 262 176 L262 320 Q262 342 240 342 L160 342 Q138 342 138 320 L138 176 Q138 130 180 118 Z" fill="${main}"/>
    <rect x="152" y="168" width="12" height="150" rx="6" fill="#ffffff" opacity=".3"/>
    <rect x="138" y="220" width="124" height="54" fill="${light}" opacity=".9"/>
    <path d="M164 240 L236 240 M176 256 L224 256" stroke="${dark}" stroke-width="5" stroke-linecap="round"/>`,
};

const GROUND = `<ellipse cx="200" cy="356" rx="120" ry="12" fill="#000000" opacity=".08"/>`;

function item(product: Product, colour: Colour): string {
  return DRAWINGS[product.kind](palette(colour.hex));
}

function body(product: Product, colour: Colour, view: View): { viewBox: string; content: string } {
  const tint = backdrop(colour.hex);
  switch (view) {
    case "front":
      return {
        viewBox: "0 0 400 400",
        content: `<rect width="400" height="400" fill="${tint}"/>${GROUND}${item(product, colour)}`,
      };
    case "detail":
      return {
        viewBox: "100 110 200 200",
        content: `<rect width="400" height="400" fill="${tint}"/>${item(product, colour)}`,
      };
    case "lifestyle": {
      const warm = shade(colour.hex, 0.72);
      return {
        viewBox: "0 0 400 400",
        content:
          `<rect width="400" height="400" fill="#f5f1ea"/>` +
          `<circle cx="300" cy="96" r="150" fill="${warm}"/>` +
          `<rect y="318" width="400" height="82" fill="#e7ded0"/>` +
          `<g transform="rotate(-8 200 220) translate(40 46) scale(.8)">${GROUND}${item(product, colour)}</g>`,
      };
    }
    case "colours": {
      const n = product.colours.length;
      const slot = 400 / n;
      const scale = Math.min(0.6, (slot / 400) * 1.1);
      const items = product.colours
        .map((c, i) => {
          const x = slot * i + (slot - 400 * scale) / 2;
          const y = (400 - 400 * scale) / 2;
          return `<g transform="translate(${x.toFixed(1)} ${y.toFixed(1)}) scale(${scale.toFixed(3)})">${GROUND}${item(product, c)}</g>`;
        })
        .join("");
      return { viewBox: "0 0 400 400", content: `<rect width="400" height="400" fill="#f4f4f5"/>${items}` };
    }
  }
}

/** SVG markup for one view. `label` makes it an image with that name; without, it is decorative. */
export function artworkMarkup(product: Product, colour: Colour, view: View, label?: string): string {
  const { viewBox, content } = body(product, colour, view);
  const a11y = label
    ? `role="img" aria-label="${label.replace(/"/g, "&quot;")}"`
    : `aria-hidden="true" focusable="false"`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${viewBox}" class="art" ${a11y}>${content}</svg>`;
}

/** A container element holding the drawing; `className` styles the frame. */
export function artworkElement(
  product: Product,
  colour: Colour,
  view: View,
  className: string,
  label?: string,
): HTMLDivElement {
  const frame = document.createElement("div");
  frame.className = className;
  // The markup is built only from the fixed catalogue above, never from user input.
  frame.innerHTML = artworkMarkup(product, colour, view, label);
  return frame;
}
