// The call's part of the widget's stylesheet (see Call.tsx).

export const CALL_STYLES = `
/* With the call buttons the header is tighter: one line, its dot's ring not clipped. */
.header p { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; margin: 0 -3px;
  padding: 2px 3px 0; }
.call-card { margin: 12px 14px 0; padding: 12px 14px; border-radius: 14px; flex: none;
  background: color-mix(in srgb, var(--accent) 8%, #fff); display: flex; flex-direction: column;
  gap: 10px; border: 1px solid color-mix(in srgb, var(--accent) 22%, #fff); }
.call-card.ring { animation: ring 1.6s ease-in-out infinite; }
@keyframes ring { 50% { box-shadow: 0 0 0 6px color-mix(in srgb, var(--accent) 18%, transparent); } }
.call-card strong { display: block; font-size: 15px; }
.call-card p { margin: 2px 0 0; font-size: 13px; color: var(--muted); }
.call-card.problem-only { background: #fef2f2; border-color: #fecaca; padding: 10px 14px; }
.call-who { display: flex; align-items: center; gap: 12px; }
.call-who .avatar { background: var(--accent); color: var(--on-accent); border: 0; }
.call-actions { display: flex; gap: 8px; justify-content: flex-end; flex-wrap: wrap; }
.call-record { display: flex; align-items: flex-start; gap: 8px; margin: 8px 0; font-size: 13px; cursor: pointer; }
.call-record input { margin: 2px 0 0; }
.call-btn { border: 1.5px solid var(--line); background: #fff; color: var(--ink);
  border-radius: 999px; padding: 7px 16px; font-weight: 650; font-size: 14px; cursor: pointer; }
.call-btn.accept { background: #047857; border-color: #047857; color: #fff; }
.call-btn.decline { background: #dc2626; border-color: #dc2626; color: #fff; }
.call-btn:disabled { opacity: .6; cursor: default; }
.preview { width: 88px; aspect-ratio: 4 / 3; border-radius: 10px; overflow: hidden; flex: none;
  background: #111827; }
.preview video { width: 100%; height: 100%; object-fit: cover; display: block; }
.mirror { transform: scaleX(-1); }
.call-card .call-problem { margin: 0; padding: 0; background: none; color: var(--danger); }

.call { flex: none; background: #0b1020; color: #fff; }
.stage { position: relative; width: 100%; aspect-ratio: 16 / 9; max-height: 38vh; background: #0b1020;
  overflow: hidden; }
.stage > video { width: 100%; height: 100%; object-fit: contain; display: block; }
.stage.voice { aspect-ratio: auto; height: 128px; display: grid; place-items: center; }
.voice-who { display: flex; flex-direction: column; align-items: center; gap: 6px;
  font-weight: 650; font-size: 14px; }
.voice-who .avatar { width: 56px; height: 56px; font-size: 19px; background: var(--accent);
  color: var(--on-accent); border: 0; }
.self, .tile { position: absolute; bottom: 8px; width: 96px; aspect-ratio: 4 / 3;
  border-radius: 8px; overflow: hidden; border: 2px solid rgba(255,255,255,.85);
  background: #111827; box-shadow: 0 2px 8px rgba(0,0,0,.4); }
.self { right: 8px; }
.tile { left: 8px; }
.tile + .tile { left: 112px; }
.stage.voice .self { width: 72px; }
.self video, .tile video { width: 100%; height: 100%; object-fit: cover; display: block; }
.call-status { position: absolute; left: 8px; top: 8px; padding: 3px 10px; border-radius: 999px;
  background: rgba(0,0,0,.55); font-size: 12.5px; font-variant-numeric: tabular-nums; }
.live { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 6px;
  background: #fbbf24; vertical-align: 0; }
.live.connected { background: #34d399; }
.rec { color: #fca5a5; }
.rec-stop { margin-left: 8px; padding: 1px 8px; border: 1px solid rgba(255,255,255,.6);
  border-radius: 999px; background: transparent; color: #fff; font: inherit; cursor: pointer; }
.rec-stop:hover, .rec-stop:focus-visible { background: rgba(255,255,255,.18); }
.rec-stop[aria-disabled="true"] { opacity: .6; cursor: default; }
.call-status:focus { outline: none; }
.call-status:focus-visible { outline: 2px solid #fff; outline-offset: 2px; }
.expand { position: absolute; right: 8px; top: 8px; width: 30px; height: 30px; border: 0;
  border-radius: 8px; background: rgba(0,0,0,.55); color: #fff; cursor: pointer;
  display: grid; place-items: center; }
.expand svg { width: 16px; height: 16px; }
.stage:fullscreen { aspect-ratio: auto; max-height: none; }
.controls { display: flex; justify-content: center; gap: 10px; padding: 10px; background: #111827; }
.ctl { width: 42px; height: 42px; border-radius: 50%; border: 0; cursor: pointer;
  background: rgba(255,255,255,.14); color: #fff; display: grid; place-items: center; }
.ctl:hover { background: rgba(255,255,255,.24); }
.ctl svg { width: 20px; height: 20px; }
.ctl.off { background: #fff; color: #111827; }
.ctl.on { background: var(--accent); color: var(--on-accent); }
.ctl.hangup { background: #dc2626; width: 54px; border-radius: 21px; }
.ctl:disabled { opacity: .5; cursor: default; }
.call-devices { display: grid; gap: 8px; padding: 4px 14px 12px; background: #111827; }
.call-devices label { display: flex; flex-direction: column; gap: 4px; font-size: 12.5px;
  color: #d1d5db; }
.call-devices select { font-size: 13.5px; padding: 6px 8px; border-radius: 8px; color: #fff;
  border: 1px solid #374151; background: #1f2937; }
.call-note { padding: 10px 14px; background: #1f2937; font-size: 13.5px; display: flex;
  flex-direction: column; gap: 8px; }
.call-note p { margin: 0; }
.call-note.sharing { flex-direction: row; align-items: center; justify-content: space-between;
  background: #065f46; }
.call-note .call-btn { padding: 5px 12px; font-size: 13px; align-self: flex-end;
  white-space: nowrap; }
.call-problem { margin: 0; padding: 8px 14px; font-size: 13px; background: #fef2f2;
  color: #7f1d1d; }
`;
