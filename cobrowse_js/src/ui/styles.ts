// The widget's stylesheet, inside its shadow root: the store's CSS cannot reach in and ours
// cannot leak out. Colours come from the site's theme through --accent / --on-accent.

import { CALL_STYLES } from "./callStyles";

export const STYLES = `
:host { all: initial; }
.root {
  --accent: #4f46e5; --on-accent: #fff;
  --ink: #111827; --muted: #4b5563; --faint: #6b7280; --line: #e5e7eb; --soft: #f3f4f6;
  --field: #8a919c;
  --panel: #fff; --danger: #b91c1c; --ok: #047857;
  --radius: 16px; --shadow: 0 12px 40px rgba(17, 24, 39, .18), 0 2px 8px rgba(17, 24, 39, .08);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
  color: var(--ink); -webkit-font-smoothing: antialiased; text-align: left;
}
.root *, .root *::before, .root *::after { box-sizing: border-box; }
/* :where keeps these resets below any class rule. */
:where(.root) :where(button, input, textarea) { font: inherit; color: inherit; }
.root :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.root .header :focus-visible { outline-color: var(--on-accent); }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }

/* Launcher */
.launcher { position: fixed; bottom: 20px; right: 20px; z-index: 2; width: 60px; height: 60px;
  border-radius: 50%; border: 0; cursor: pointer; background: var(--accent);
  color: var(--on-accent); box-shadow: var(--shadow); display: grid; place-items: center;
  transition: transform .15s ease, box-shadow .15s ease; }
.launcher:hover { transform: translateY(-2px); }
.launcher svg { width: 28px; height: 28px; }
.left .launcher { right: auto; left: 20px; }
/* A call goes on behind the minimised chat: the launcher says so (and takes the shopper back). */
.launcher.in-call { background: #15803d; color: #fff; animation: aisle-call-on 2s ease-in-out infinite; }
@keyframes aisle-call-on { 50% { box-shadow: 0 0 0 8px rgba(21, 128, 61, .25), var(--shadow); } }
@media (prefers-reduced-motion: reduce) { .launcher.in-call { animation: none; } }
.badge { position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px;
  padding: 0 6px; border-radius: 11px; background: #dc2626; color: #fff; font-size: 12px;
  font-weight: 700; line-height: 22px; text-align: center; border: 2px solid #fff; }

/* Panel */
.panel { position: fixed; bottom: 92px; right: 20px; z-index: 1; width: 380px;
  height: min(640px, calc(100vh - 112px)); background: var(--panel);
  border-radius: var(--radius); box-shadow: var(--shadow); display: flex;
  flex-direction: column; overflow: hidden; animation: rise .18s ease-out; }
.left .panel { right: auto; left: 20px; }
@keyframes rise { from { opacity: 0; transform: translateY(12px); } }
@media (max-width: 480px), (max-height: 520px) {
  .panel { inset: var(--aisle-sharing-bar, 0px) 0 0 0; width: 100%; height: auto;
    border-radius: 0; animation: none; }
  .left .panel { left: 0; }
  .open .launcher { display: none; }
  .composer textarea, .field input, .field textarea, .field select { font-size: 16px; }
}

/* Tight gaps between the buttons: the agent's name needs the room more. The panel is a phone's
   width on a desktop too (380 px), so the header is as compact there as on a phone. */
.header { background: var(--accent); color: var(--on-accent); padding: 12px 6px 12px 12px;
  display: flex; align-items: center; gap: 4px; flex: none; }
.header .avatar { width: 32px; height: 32px; margin-right: 2px; }
.header .icon-btn { width: 32px; }
.header .text-btn { padding: 6px 8px; }
.header .who { flex: 1; min-width: 0; }
/* A long name wraps between its words (up to three lines) rather than becoming "Maximili…"
   beside the call buttons; only a word wider than the whole line is broken, and a name longer
   still ends in "…" (the whole of it is the heading's title and the panel's name). */
.header h2 { margin: 0; font-size: 15px; font-weight: 650; line-height: 1.3;
  overflow: hidden; overflow-wrap: break-word; display: -webkit-box;
  -webkit-box-orient: vertical; -webkit-line-clamp: 3; }
.header p { margin: 2px 0 0; font-size: 13px; opacity: .9; }
.dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 6px;
  background: #34d399; box-shadow: 0 0 0 2px rgba(255,255,255,.5); vertical-align: 1px; }
.dot.away { background: #fbbf24; }
.icon-btn { background: transparent; border: 0; color: inherit; width: 36px; height: 36px;
  border-radius: 10px; cursor: pointer; display: grid; place-items: center; flex: none; }
.icon-btn:hover { background: rgba(255,255,255,.16); }
.icon-btn svg { width: 20px; height: 20px; }
.text-btn { background: rgba(255,255,255,.16); border: 0; color: inherit; border-radius: 8px;
  padding: 6px 10px; font-size: 13px; font-weight: 600; cursor: pointer; flex: none; }
.text-btn:hover { background: rgba(255,255,255,.26); }

.avatar { width: 40px; height: 40px; border-radius: 50%; flex: none; object-fit: cover;
  background: rgba(255,255,255,.22); color: inherit; display: grid; place-items: center;
  font-weight: 700; font-size: 15px; border: 2px solid rgba(255,255,255,.6); }
.avatar.small { width: 28px; height: 28px; font-size: 11px; border: 0;
  background: var(--soft); color: var(--muted); }

.banner { padding: 8px 16px; font-size: 13px; background: #fef3c7; color: #78350f;
  border-bottom: 1px solid #fde68a; flex: none; animation: appear .2s 1.2s both; }
@keyframes appear { from { opacity: 0; } }
.confirm { padding: 10px 16px; background: var(--soft); border-bottom: 1px solid var(--line);
  display: flex; align-items: center; gap: 8px; flex-wrap: wrap; font-size: 14px; flex: none; }
.confirm span { flex: 1; min-width: 120px; }

.body { flex: 1; min-height: 0; overflow-y: auto; overscroll-behavior: contain;
  display: flex; flex-direction: column; }

/* Pre-chat */
.form { padding: 18px; display: flex; flex-direction: column; gap: 14px; }
.greeting { margin: 0; font-size: 15px; color: var(--ink); }
fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
legend, .label { font-size: 13px; font-weight: 600; color: var(--muted); margin-bottom: 6px;
  padding: 0; display: block; }
.topic { display: flex; align-items: center; gap: 10px; padding: 10px 12px;
  border: 1.5px solid var(--line); border-radius: 12px; cursor: pointer;
  transition: border-color .12s, background .12s; }
.topic:hover { border-color: #cbd5e1; }
.topic.selected { border-color: var(--accent); background: color-mix(in srgb, var(--accent) 6%, #fff); }
.topic input { accent-color: var(--accent); margin: 0; width: 16px; height: 16px; flex: none; }
.topic .t { flex: 1; }
.topic .a { font-size: 12px; color: var(--faint); white-space: nowrap; }
.topic .a.on { color: var(--ok); }
.field input, .field textarea { width: 100%; border: 1.5px solid var(--field);
  border-radius: 10px; padding: 9px 11px; background: #fff; outline: none; }
.field textarea { resize: vertical; min-height: 84px; max-height: 220px; }
.field input:focus, .field textarea:focus { border-color: var(--accent);
  box-shadow: 0 0 0 3px color-mix(in srgb, var(--accent) 20%, transparent); }
.field [aria-invalid="true"] { border-color: var(--danger); }
.row { display: flex; gap: 10px; }
.row .field { flex: 1; min-width: 0; }
@media (max-width: 360px) { .row { flex-direction: column; } }
.hint { font-size: 12px; color: var(--faint); margin: 4px 0 0; }
.error { font-size: 12.5px; color: var(--danger); margin: 4px 0 0; }
.note { border-radius: 12px; padding: 12px 14px; font-size: 14px; background: var(--soft);
  color: var(--ink); }
.note strong { display: block; margin-bottom: 2px; }
.note.offline { background: #fff7ed; border: 1px solid #fed7aa; }
.note.problem { background: #fef2f2; border: 1px solid #fecaca; color: #7f1d1d; }
.primary { background: var(--accent); color: var(--on-accent); border: 0; border-radius: 12px;
  padding: 12px 16px; font-weight: 650; cursor: pointer; width: 100%; font-size: 15px; }
.primary:disabled { opacity: .6; cursor: default; }
.secondary { background: #fff; color: var(--ink); border: 1.5px solid var(--line);
  border-radius: 12px; padding: 10px 16px; font-weight: 600; cursor: pointer; width: 100%; }
.privacy { font-size: 12px; color: var(--faint); margin: 0; text-align: center; }

/* Conversation */
.status-card { margin: 14px 14px 0; padding: 14px 16px; border-radius: 14px;
  background: color-mix(in srgb, var(--accent) 8%, #fff);
  border: 1px solid color-mix(in srgb, var(--accent) 22%, #fff); }
.status-card strong { display: block; font-size: 15px; }
.status-card p { margin: 4px 0 0; font-size: 13.5px; color: var(--muted); }
.status-card.offline { background: #fff7ed; border-color: #fed7aa; }
.status-card .pos { float: right; font-size: 26px; font-weight: 750; line-height: 1;
  color: var(--accent); margin-left: 12px; }
.pulse { display: inline-block; width: 10px; height: 10px; border-radius: 50%;
  background: var(--accent); margin-right: 8px; animation: pulse 1.6s ease-in-out infinite; }
@keyframes pulse { 50% { opacity: .3; transform: scale(.75); } }
.log { flex: 1; padding: 14px 14px 6px; display: flex; flex-direction: column; gap: 6px; }
.msg { display: flex; gap: 8px; align-items: flex-end; max-width: 86%; }
.msg.visitor { align-self: flex-end; flex-direction: row-reverse; }
.bubble { padding: 9px 13px; border-radius: 18px; white-space: pre-wrap;
  overflow-wrap: anywhere; font-size: 14.5px; }
.bubble .text { display: block; }
.agent .bubble { background: var(--soft); border-bottom-left-radius: 6px; }
.visitor .bubble { background: var(--accent); color: var(--on-accent);
  border-bottom-right-radius: 6px; }
.visitor .bubble a { color: inherit; }
.bubble a { color: var(--accent); text-decoration: underline; }
.visitor.pending .bubble { opacity: .75; }
.visitor.failed .bubble { background: #fee2e2; color: #7f1d1d; }
.who-line { font-size: 12px; color: var(--faint); margin: 8px 0 0 36px; }
.meta { font-size: 11.5px; color: var(--faint); align-self: flex-end; margin: -2px 4px 4px 0; }
.meta.failed { color: var(--danger); }
.link-btn { font: inherit; color: inherit; text-decoration: underline; background: none; border: 0; padding: 0; min-height: 0; cursor: pointer; }
.meta.agent { align-self: flex-start; margin: -2px 0 4px 36px; }
.notice { align-self: center; text-align: center; font-size: 12.5px; color: var(--faint);
  margin: 8px 12px; max-width: 90%; }
.typing { padding: 2px 14px 8px 14px; font-size: 12.5px; color: var(--faint); min-height: 26px; }
.typing .dots span { display: inline-block; width: 5px; height: 5px; border-radius: 50%;
  background: var(--faint); margin-right: 3px; animation: bounce 1.2s infinite ease-in-out; }
.typing .dots span:nth-child(2) { animation-delay: .15s; }
.typing .dots span:nth-child(3) { animation-delay: .3s; margin-right: 8px; }
@keyframes bounce { 0%, 60%, 100% { transform: none; opacity: .5; }
  30% { transform: translateY(-3px); opacity: 1; } }
.composer { display: flex; gap: 8px; align-items: flex-end; padding: 10px 12px 12px;
  border-top: 1px solid var(--line); flex: none; background: #fff; }
.composer textarea { flex: 1; resize: none; border: 1.5px solid var(--field); border-radius: 20px;
  padding: 9px 14px; max-height: 140px; min-height: 42px; outline: none; line-height: 1.4; }
.composer textarea:focus { border-color: var(--accent); }
.send { width: 42px; height: 42px; border-radius: 50%; border: 0; background: var(--accent);
  color: var(--on-accent); cursor: pointer; display: grid; place-items: center; flex: none; }
.send:disabled { opacity: .45; cursor: default; }
.send svg { width: 20px; height: 20px; }
.problem-line { padding: 0 14px 8px; font-size: 12.5px; color: var(--danger); }

/* End and rating */
.end { padding: 4px 14px 16px; display: flex; flex-direction: column; gap: 12px; }
.csat { border: 1px solid var(--line); border-radius: 14px; padding: 16px; }
.csat h3 { margin: 0 0 4px; font-size: 16px; }
.csat p { margin: 0 0 12px; font-size: 13.5px; color: var(--muted); }
.stars { display: flex; flex-direction: row; gap: 6px; border: 0; padding: 0; margin: 0 0 12px; }
.star { position: relative; cursor: pointer; }
.star input { position: absolute; opacity: 0; width: 100%; height: 100%; margin: 0;
  cursor: pointer; }
.star span { display: grid; place-items: center; width: 44px; height: 44px; border-radius: 12px;
  border: 1.5px solid var(--line); font-weight: 700; color: var(--muted); font-size: 15px;
  transition: background .12s, border-color .12s; }
.star input:checked + span, .star.lit span { background: var(--accent); color: var(--on-accent);
  border-color: var(--accent); }
.star input:focus-visible + span { outline: 3px solid var(--accent); outline-offset: 2px; }
.scale { display: flex; justify-content: space-between; font-size: 11.5px; color: var(--faint);
  margin: -6px 0 12px; max-width: 244px; }
.thanks { text-align: center; padding: 18px 10px; }
.thanks strong { display: block; font-size: 16px; margin-bottom: 4px; }
.thanks p { margin: 0; color: var(--muted); font-size: 14px; }
@media (prefers-reduced-motion: reduce) {
  .root *, .root *::before, .root *::after { animation: none !important;
    transition: none !important; }
}
` + CALL_STYLES;
