// The co-browse layer's stylesheet (its own shadow root). The layer lets clicks through except
// on the bar and the prompts.

export const COBROWSE_STYLES = `
:host { all: initial; }
.layer { position: fixed; inset: 0; pointer-events: none; --accent: #4f46e5;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #111827; -webkit-font-smoothing: antialiased; text-align: left; }
.layer *, .layer *::before, .layer *::after { box-sizing: border-box; }
.btn { pointer-events: auto; font: inherit; font-weight: 600; border-radius: 8px; cursor: pointer;
  padding: 8px 14px; border: 1px solid #d1d5db; background: #fff; color: #111827; }
.btn:hover { background: #f3f4f6; }
.btn.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
.btn.primary:hover { filter: brightness(1.08); }
.btn.small { padding: 4px 10px; font-size: 13px; }
.btn.danger { background: #b91c1c; border-color: #b91c1c; color: #fff; }
.btn:focus-visible { outline: 3px solid #fff; outline-offset: 1px; box-shadow: 0 0 0 5px var(--accent); }

.bar { pointer-events: auto; position: fixed; top: 0; left: 50%; transform: translateX(-50%);
  display: flex; align-items: center; gap: 10px; padding: 6px 8px 6px 14px; max-width: calc(100vw - 16px);
  background: #111827; color: #fff; border-radius: 0 0 12px 12px;
  box-shadow: 0 6px 24px rgba(0,0,0,.25); border-top: 3px solid var(--accent); }
.bar.control { border-top-color: #f59e0b; }
@media (max-width: 560px) {
  /* A phone: the whole width, the words on one line and the buttons under them. */
  .bar { left: 0; right: 0; transform: none; max-width: none; border-radius: 0;
    flex-wrap: wrap; gap: 6px 8px; padding: 6px 8px; font-size: 13px; }
  .bar .bar-text { flex: 1 1 calc(100% - 20px); }
}
.bar b { font-weight: 700; }
.bar .btn:not(.danger) { background: #374151; color: #fff; border-color: #4b5563; }
.bar-notice { color: #d1d5db; }
.bar-text:focus { outline: none; }
.bar-text:focus-visible { outline: 2px solid #fff; outline-offset: 2px; border-radius: 4px; }
.live { width: 10px; height: 10px; border-radius: 50%; background: #ef4444; flex: none;
  box-shadow: 0 0 0 0 rgba(239,68,68,.6); animation: pulse 1.6s infinite; }
@keyframes pulse { 70% { box-shadow: 0 0 0 8px rgba(239,68,68,0); } 100% { box-shadow: 0 0 0 0 rgba(239,68,68,0); } }

.prompts { position: fixed; top: 56px; left: 50%; transform: translateX(-50%);
  width: min(420px, calc(100vw - 24px)); display: grid; gap: 12px; }
.prompt { pointer-events: auto; background: #fff; border-radius: 14px; padding: 18px 18px 14px;
  box-shadow: 0 16px 48px rgba(17,24,39,.28), 0 2px 8px rgba(17,24,39,.1);
  border-top: 4px solid var(--accent); animation: drop .18s ease-out; }
.prompt:focus { outline: none; }
.prompt:focus-visible { outline: 3px solid var(--accent, #4f46e5); outline-offset: 2px; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.prompt-title { margin: 0 0 6px; font-size: 16px; }
.prompt-text { margin: 0 0 14px; color: #4b5563; }
.prompt-check { display: flex; align-items: flex-start; gap: 8px; margin: -4px 0 14px; color: #374151; font-size: 13.5px; cursor: pointer; }
.prompt-check input { margin: 2px 0 0; accent-color: var(--accent, #4f46e5); }
.prompt-actions { display: flex; justify-content: flex-end; align-items: center; gap: 8px; }
.countdown { margin-right: auto; color: #6b7280; font-variant-numeric: tabular-nums; }
@keyframes drop { from { opacity: 0; transform: translateY(-8px); } }

.pointer { position: fixed; left: 0; top: 0; display: flex; align-items: flex-start;
  transition: transform .08s linear; will-change: transform; }
.pointer svg { filter: drop-shadow(0 1px 2px rgba(0,0,0,.35)); }
.pointer-name { margin: 16px 0 0 -4px; padding: 2px 8px; border-radius: 10px; background: var(--accent);
  color: #fff; font-size: 12px; font-weight: 600; white-space: nowrap; }
.highlight { position: fixed; border: 3px solid var(--accent); border-radius: 8px;
  box-shadow: 0 0 0 4000px rgba(17,24,39,.12); animation: fade 4s ease-in forwards; }
.highlight-name { position: absolute; top: -24px; left: -3px; padding: 2px 8px; border-radius: 8px;
  background: var(--accent); color: #fff; font-size: 12px; font-weight: 600; white-space: nowrap; }
.drawing { position: fixed; inset: 0; }
.stroke { fill: none; stroke: var(--accent); stroke-width: 4; stroke-linecap: round;
  stroke-linejoin: round; animation: fade 4s ease-in forwards; }
.flash { position: fixed; width: 36px; height: 36px; margin: -18px 0 0 -18px; border-radius: 50%;
  border: 3px solid #f59e0b; animation: ring .6s ease-out forwards; }
@keyframes fade { 0%, 60% { opacity: 1; } 100% { opacity: 0; } }
@keyframes ring { from { transform: scale(.4); opacity: 1; } to { transform: scale(1.4); opacity: 0; } }
@media (prefers-reduced-motion: reduce) {
  .prompt, .live { animation: none; }
  .pointer { transition: none; }
}
`;
