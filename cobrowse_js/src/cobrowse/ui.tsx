// What the shopper sees of co-browsing, in its own shadow host (blocked from recording): the
// consent prompt naming the agent, the always-visible sharing bar with Stop (and "take back
// control" while the agent has it; "Stop recording" where the shopper agreed to a recording), the control prompt with its countdown, and the agent's
// pointer, highlight and fading drawings over the page.

import { render, type RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

import { deepActive, useFocusWhenGone } from "../ui/focus";
import type { Recording } from "./host";
import { COBROWSE_STYLES } from "./styles";

export const COBROWSE_HOST_ID = "aisle-cobrowse-host";

export interface Stroke {
  id: number;
  /** Page (document) coordinates. */
  points: [number, number][];
}

export interface ViewState {
  accent: string;
  /** Whether the site records co-browsing: said (notice) or asked (consent) in the prompt. */
  recording: Recording;
  /** Asking to see the page: the agent's name. */
  askView: string | null;
  /** Sharing with this agent (the bar). */
  sharingWith: string | null;
  /** Whether this sharing is recorded (null: the server has not said). */
  recorded: boolean | null;
  /** Whether this page is: false where the site does not record it (e.g. checkout). */
  pageRecorded: boolean | null;
  /** Asking for control: the agent's name and when the request lapses (ms since epoch). */
  askControl: { agent: string; expiresAt: number } | null;
  /** This agent may click and type. */
  controlBy: string | null;
  pointer: { name: string; x: number; y: number } | null;
  highlight: { name: string; el: Element } | null;
  strokes: Stroke[];
  /** A brief ring where the agent clicked. */
  flash: { x: number; y: number; id: number } | null;
  /** A short line in the bar: what the agent just did, or why it was refused. */
  notice: string | null;
}

export const emptyView: ViewState = {
  accent: "#4f46e5", recording: "off", askView: null, sharingWith: null, recorded: null,
  pageRecorded: null, askControl: null, controlBy: null,
  pointer: null, highlight: null, strokes: [], flash: null, notice: null,
};

export interface ViewActions {
  answerView(allow: boolean, record: boolean): void;
  stop(): void;
  /** Stops recording this sharing (where the site asked for consent); sharing goes on. */
  stopRecording(): void;
  answerControl(allow: boolean): void;
  revokeControl(): void;
}

function useTick(active: boolean, ms: number): void {
  const [, set] = useState(0);
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => set((n) => n + 1), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
}

/** Re-renders on scroll and resize while `active` (highlight and drawings follow the page). */
function useViewport(active: boolean): void {
  const [, set] = useState(0);
  useEffect(() => {
    if (!active) return undefined;
    let frame = 0;
    const on = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => set((n) => n + 1));
    };
    window.addEventListener("scroll", on, true);
    window.addEventListener("resize", on);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener("scroll", on, true);
      window.removeEventListener("resize", on);
    };
  }, [active]);
}

// ---- focus --------------------------------------------------------------------------------

const NOT_TYPED = new Set(["button", "checkbox", "radio", "submit", "reset", "range", "color",
                           "file", "image"]);

/** The shopper is typing there: their next keys must not answer a prompt that just came. */
function typingIn(el: HTMLElement | null): boolean {
  if (!el) return false;
  if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
  return el.tagName === "INPUT" && !NOT_TYPED.has((el as HTMLInputElement).type);
}

/** Where focus was on the page (or in the chat) before it came into our prompts or bar. */
let focusBefore: HTMLElement | null = null;

function rememberFocus(e: FocusEvent): void {
  if ((e.target as Element | null)?.id !== COBROWSE_HOST_ID) focusBefore = deepActive();
}

/** A prompt or the bar going away with focus inside it gives focus back to where the shopper
 * was (not to the top of the page). */
function useGivesFocusBack(box: RefObject<HTMLElement>): void {
  useEffect(() => () => {
    const now = deepActive();
    const inside = now !== null && (box.current?.contains(now) || !now.isConnected ||
                                    now === document.body);
    if (inside && focusBefore?.isConnected) focusBefore.focus({ preventScroll: true });
  }, []);
}

/** A prompt that appears takes focus (its text is read out; Tab reaches its buttons; Enter
 * answers nothing), unless the shopper is typing somewhere: then it is announced instead.
 * Returns whether it was announced. */
function usePromptFocus(box: RefObject<HTMLElement>): boolean {
  const [announced, setAnnounced] = useState(false);
  useEffect(() => {
    if (typingIn(deepActive())) setAnnounced(true);
    else box.current?.focus();
  }, []);
  useGivesFocusBack(box);
  return announced;
}

function ViewPrompt({ agent, recording, act }: {
  agent: string; recording: Recording; act: ViewActions;
}) {
  const box = useRef<HTMLDivElement>(null);
  // Consent to recording is the shopper's to give: off until they tick it.
  const [record, setRecord] = useState(false);
  const announced = usePromptFocus(box);
  return (
    <div ref={box} tabIndex={-1} class="prompt" role="alertdialog" aria-modal="false"
         aria-labelledby="cb-view-title" aria-describedby="cb-view-text"
         data-testid="cobrowse-consent">
      {announced ? <p class="sr-only" role="alert">{agent} would like to see this page: the
        question is at the bottom of the page.</p> : null}
      <p class="prompt-title" id="cb-view-title"><b>{agent}</b> would like to see this page</p>
      <p class="prompt-text" id="cb-view-text">
        They will see this page as you do and can point at things (a supervisor helping them
        may see it too). What you type in forms and card details stay hidden. They can't click
        or type unless you allow it. You can stop at any time.{recording === "notice" ? " The session is recorded for training and quality." : ""}
      </p>
      {recording === "consent" ? (
        <label class="prompt-check">
          <input type="checkbox" checked={record} data-testid="cobrowse-record"
                 onChange={(e) => setRecord((e.currentTarget as HTMLInputElement).checked)} />
          Record this session for training and quality (optional)
        </label>
      ) : null}
      <div class="prompt-actions">
        <button type="button" class="btn" onClick={() => act.answerView(false, false)}
                data-testid="cobrowse-decline">Decline</button>
        <button type="button" class="btn primary"
                onClick={() => act.answerView(true, recording === "consent" && record)}
                data-testid="cobrowse-allow">Allow</button>
      </div>
    </div>
  );
}

function ControlPrompt({ ask, act }: { ask: NonNullable<ViewState["askControl"]>;
                                       act: ViewActions }) {
  useTick(true, 500);
  const box = useRef<HTMLDivElement>(null);
  const announced = usePromptFocus(box);
  const left = Math.max(0, Math.ceil((ask.expiresAt - Date.now()) / 1000));
  return (
    <div ref={box} tabIndex={-1} class="prompt" role="alertdialog" aria-labelledby="cb-ctl-title"
         aria-describedby="cb-ctl-text" data-testid="control-consent">
      {announced ? <p class="sr-only" role="alert">{ask.agent} asks to click and type on this
        page for you: the question is at the bottom of the page.</p> : null}
      <p class="prompt-title" id="cb-ctl-title">
        <b>{ask.agent}</b> asks to click and type on this page for you
      </p>
      <p class="prompt-text" id="cb-ctl-text">
        You'll see everything they do. They can't use password or card fields. Press Esc or
        "Take back control" to stop them at any moment.
      </p>
      <div class="prompt-actions">
        <span class="countdown" aria-live="off">{left} s</span>
        <button type="button" class="btn" onClick={() => act.answerControl(false)}
                data-testid="control-decline">Decline</button>
        <button type="button" class="btn primary" onClick={() => act.answerControl(true)}
                data-testid="control-allow">Allow control</button>
      </div>
    </div>
  );
}

/** What the bar says of recording: where the shopper chose, their choice; where the prompt
 * only told them, that the agent paused it (the shopper cannot stop it there); anywhere, a
 * page the site does not record (the prompt said the session would be). */
function recordingWords(s: ViewState): string | null {
  if (s.recording === "off") return null;
  if (s.recorded === false) return s.recording === "consent" ? "Not recorded" : "Recording paused";
  if (s.pageRecorded === false) return "Not recorded on this page";
  return s.recording === "consent" && s.recorded ? "Recorded" : null;
}

/** The bar's height as `--aisle-sharing-bar` on the page's root, for as long as it shows:
 * the chat panel, full-screen on a phone, starts below it instead of under it. */
const BAR_HEIGHT = "--aisle-sharing-bar";

function Bar({ s, act }: { s: ViewState; act: ViewActions }) {
  const recording = recordingWords(s);
  const bar = useRef<HTMLDivElement>(null);
  // "Stop recording" and "Take back control" go once done: the status line takes the focus.
  const status = useRef<HTMLSpanElement>(null);
  const goes = useFocusWhenGone(status);
  useGivesFocusBack(bar);
  useEffect(() => {
    const el = bar.current;
    const root = document.documentElement.style;
    if (!el || typeof ResizeObserver === "undefined") return undefined;
    const watch = new ResizeObserver(() => root.setProperty(BAR_HEIGHT, `${el.offsetHeight}px`));
    watch.observe(el);
    return () => {
      watch.disconnect();
      root.removeProperty(BAR_HEIGHT);
    };
  }, []);
  return (
    <div ref={bar} class={`bar${s.controlBy ? " control" : ""}`} role="region"
         aria-label="Screen sharing" data-testid="cobrowse-bar">
      <span class="live" aria-hidden="true" />
      <span ref={status} class="bar-text" role="status" tabIndex={-1}>
        {s.controlBy
          ? <><b>{s.controlBy}</b> can click and type on this page</>
          : <>You are sharing this page with <b>{s.sharingWith}</b></>}
        {recording
          ? <span class="bar-notice" data-testid="cobrowse-recorded">{" · "}{recording}</span>
          : null}
        {s.notice ? <span class="bar-notice"> · {s.notice}</span> : null}
      </span>
      {s.recorded && s.recording === "consent"
        ? <button ref={goes} type="button" class="btn small" onClick={act.stopRecording}
                  title="Sharing goes on without being recorded"
                  data-testid="cobrowse-stop-recording">Stop recording</button>
        : null}
      {s.controlBy
        ? <button ref={goes} type="button" class="btn small" onClick={act.revokeControl}
                  data-testid="control-revoke">Take back control (Esc)</button>
        : null}
      <button type="button" class="btn small danger" onClick={act.stop}
              data-testid="cobrowse-stop">Stop sharing</button>
    </div>
  );
}

function Pointer({ p }: { p: NonNullable<ViewState["pointer"]> }) {
  return (
    <div class="pointer" style={{ transform: `translate(${p.x}px, ${p.y}px)` }}
         data-testid="agent-pointer">
      <svg viewBox="0 0 20 20" width="22" height="22" aria-hidden="true">
        <path d="M2 1l15 8-6.5 1.6L7.5 17z" fill="var(--accent)" stroke="#fff" stroke-width="1.4"
              stroke-linejoin="round" />
      </svg>
      <span class="pointer-name">{p.name}</span>
    </div>
  );
}

function Highlight({ h }: { h: NonNullable<ViewState["highlight"]> }) {
  if (!h.el.isConnected) return null;
  const r = h.el.getBoundingClientRect();
  return (
    <div class="highlight" data-testid="agent-highlight"
         style={{ left: `${r.left - 4}px`, top: `${r.top - 4}px`, width: `${r.width + 8}px`,
                  height: `${r.height + 8}px` }}>
      <span class="highlight-name">{h.name}</span>
    </div>
  );
}

function Drawings({ strokes }: { strokes: Stroke[] }) {
  return (
    <svg class="drawing" width="100%" height="100%" aria-hidden="true" data-testid="agent-drawing">
      <g transform={`translate(${-window.scrollX} ${-window.scrollY})`}>
        {strokes.map((s) => (
          <polyline key={s.id} class="stroke" points={s.points.map((p) => p.join(",")).join(" ")} />
        ))}
      </g>
    </svg>
  );
}

function Layer({ s, act }: { s: ViewState; act: ViewActions }) {
  useViewport(Boolean(s.highlight || s.strokes.length));
  return (
    <div class="layer" style={{ "--accent": s.accent }}>
      {s.strokes.length ? <Drawings strokes={s.strokes} /> : null}
      {s.highlight ? <Highlight h={s.highlight} /> : null}
      {s.flash ? <div key={s.flash.id} class="flash"
                      style={{ left: `${s.flash.x}px`, top: `${s.flash.y}px` }} /> : null}
      {s.pointer ? <Pointer p={s.pointer} /> : null}
      {s.sharingWith ? <Bar s={s} act={act} /> : null}
      <div class="prompts">
        {s.askView ? <ViewPrompt agent={s.askView} recording={s.recording} act={act} /> : null}
        {s.askControl ? <ControlPrompt ask={s.askControl} act={act} /> : null}
      </div>
    </div>
  );
}

/** Mounts the layer; returns its update and remove functions. */
export function mountView(act: ViewActions): { update(s: ViewState): void; remove(): void } {
  const host = document.createElement("div");
  host.id = COBROWSE_HOST_ID;
  // Zero-size like the widget's host: the mirror gets an empty placeholder that takes no room.
  host.style.cssText = "all:initial!important;position:fixed!important;top:0!important;" +
    "left:0!important;width:0!important;height:0!important;z-index:2147483647!important;" +
    "display:block!important;";
  const shadow = host.attachShadow({ mode: "open" });
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(COBROWSE_STYLES);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement("style");
    style.textContent = COBROWSE_STYLES;
    shadow.append(style);
  }
  const root = document.createElement("div");
  shadow.append(root);
  document.documentElement.appendChild(host);
  focusBefore = deepActive();
  document.addEventListener("focusin", rememberFocus, true);
  return {
    update: (s) => render(<Layer s={s} act={act} />, root),
    remove: () => {
      document.removeEventListener("focusin", rememberFocus, true);
      render(null, root);
      host.remove();
    },
  };
}
