// The co-browse panel's styles, added once to the console's document (the console's CSP allows
// inline styles, not inline scripts).

import { RRWEB_STYLES } from "./rrweb-styles";

const PANEL = `
.cb-panel { flex: none; max-height: 46vh; overflow: auto; padding: 10px 18px; background: #fff;
  border-bottom: 1px solid #e5e7eb; }
.cb { display: flex; flex-direction: column; gap: 8px; min-height: 0; }
.cb-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.cb-chip { font-size: 12px; font-weight: 600; padding: 2px 8px; border-radius: 10px;
  background: #e5e7eb; color: #374151; }
.cb-chip.live { background: #dcfce7; color: #166534; }
.cb-chip.stale { background: #fef3c7; color: #92400e; }
.cb-chip.left { background: #fee2e2; color: #991b1b; }
.cb-dim { color: #6b7280; font-size: 12px; font-variant-numeric: tabular-nums; }
.cb-grow { flex: 1; }
.cb-type { display: contents; }
.cb-tools { display: inline-flex; border: 1px solid #d1d5db; border-radius: 8px; overflow: hidden; }
.cb-tools button { border: 0; border-right: 1px solid #d1d5db; background: #fff; padding: 4px 10px;
  font: inherit; font-size: 13px; cursor: pointer; }
.cb-tools button:last-child { border-right: 0; }
.cb-tools button[aria-pressed="true"] { background: #4f46e5; color: #fff; }
.cb-btn { font: inherit; font-size: 13px; padding: 4px 10px; border-radius: 8px; cursor: pointer;
  border: 1px solid #d1d5db; background: #fff; }
.cb-btn.primary { background: #4f46e5; border-color: #4f46e5; color: #fff; }
.cb-btn.danger { color: #b91c1c; border-color: #fca5a5; }
.cb-stage { position: relative; overflow: hidden; background: #f3f4f6; border: 1px solid #e5e7eb;
  border-radius: 8px; min-height: 120px; }
.cb-scaled { position: absolute; left: 0; top: 0; transform-origin: 0 0; }
.cb-scaled iframe { border: 0; display: block; background: #fff; }
.cb-overlay { position: absolute; inset: 0; cursor: crosshair; }
.cb-overlay.control { cursor: pointer; }
.cb-overlay svg { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; }
.cb-overlay polyline { fill: none; stroke: #4f46e5; stroke-width: 3; stroke-linecap: round;
  stroke-linejoin: round; animation: cb-fade 4s ease-in forwards; }
.cb-target { position: absolute; border: 2px solid #f59e0b; border-radius: 4px; pointer-events: none; }
.cb-cover { position: absolute; inset: 0; display: grid; place-items: center; text-align: center;
  padding: 24px; color: #374151; background: rgba(243,244,246,.92); font-size: 14px; }
.cb-field { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.cb-field input, .cb-field select { font: inherit; font-size: 13px; padding: 4px 8px;
  border: 1px solid #d1d5db; border-radius: 6px; min-width: 200px; }
.cb-feedback { font-size: 13px; color: #374151; }
.cb-feedback.bad { color: #b91c1c; }
@keyframes cb-fade { 0%, 60% { opacity: 1; } 100% { opacity: 0; } }
`;

export function injectStyles(doc: Document = document): void {
  if (doc.getElementById("aisle-cobrowse-styles")) return;
  const style = doc.createElement("style");
  style.id = "aisle-cobrowse-styles";
  style.textContent = PANEL + RRWEB_STYLES;
  doc.head.appendChild(style);
}
