// The agent's live view of the shopper's page: asks for consent, mirrors the page (sandboxed
// replay, resynced after a gap or when this tab comes back from the background), shows the
// shopper's viewport size and whether the stream is live, stale or gone, and carries the tools:
// pointer, highlight, scroll-to, drawing, and — with the shopper's second consent — control.

import type { JSX } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";

import type { AgentRequests, BatchRelayed, CommandApplied, Conversation, LogEvent } from "../protocol.gen";
import { commandId, describe, fieldKind, mirroredElementAt, privateField, thin, type Point } from "./pointing";
import { LiveReplay } from "./replay";
import { cobrowseStatus, isCustom, PageStream, viewportOf, type PageEvent } from "./stream";
import { injectStyles } from "./styles";

/** What the view needs from the console's socket. */
export interface CobrowseLink {
  request<K extends keyof AgentRequests>(event: K, payload: AgentRequests[K]["request"]
  ): Promise<AgentRequests[K]["result"]>;
  /** Every notification and log event; returns the unsubscribe function. */
  subscribe(fn: (event: string, data: unknown) => void): () => void;
}

export type CobrowseRole = "assignee" | "supervisor" | "observer" | "readonly";

export interface CobrowseViewProps {
  link: CobrowseLink;
  conversation: Conversation;
  events: readonly LogEvent[];
  me: { id: string; name: string };
  role: CobrowseRole;
  /** Names agents by id (for "Alex has control"). */
  agentName?(id: string): string | null;
}

type Tool = "point" | "highlight" | "scroll_to" | "draw" | "control";
type Live = "waiting" | "live" | "stale" | "leaving" | "left" | "dropped";

const STALE_MS = 3_000;
const LEFT_MS = 4_000;
const MOVE_EVERY_MS = 50;
const WHEEL_EVERY_MS = 120;

interface Picked { nodeId: number | null; x: number; y: number; kind: "text" | "select";
                   label: string; options: string[] }

/** The live view's height at most: about 30 % of the window, leaving the transcript and the
 * composer room below; enlarged, about 70 % (the transcript scrolls under it); never under
 * 180 px. */
export function stageMaxHeight(windowHeight: number, large = false): number {
  return Math.max(180, Math.round(windowHeight * (large ? 0.7 : 0.3)));
}

/** The agent's choice of a larger view, kept for the next sharing (this browser). */
const LARGE_KEY = "aisle:cobrowse:large";

function storedLarge(): boolean {
  try {
    return localStorage.getItem(LARGE_KEY) === "1";
  } catch {
    return false;
  }
}

export function CobrowseView(props: CobrowseViewProps): JSX.Element {
  const { link, conversation, me, role } = props;
  const status = useMemo(() => cobrowseStatus(conversation, props.events), [conversation, props.events]);
  const convId = conversation.id;
  const viewing = status.view === "on";
  const mineControl = status.control === "on" && status.controlAgentId === me.id;
  const canPoint = role === "assignee" || role === "supervisor";

  const stage = useRef<HTMLDivElement>(null);
  const scaled = useRef<HTMLDivElement>(null);
  const replay = useRef<LiveReplay | null>(null);
  const stream = useRef(new PageStream());
  const lastBatch = useRef(0);
  const [live, setLive] = useState<Live>("waiting");
  const [viewport, setViewport] = useState<{ width: number; height: number } | null>(null);
  const [stageWidth, setStageWidth] = useState(800);
  const [tool, setTool] = useState<Tool>("point");
  const [feedback, setFeedback] = useState<{ text: string; bad: boolean } | null>(null);
  const [stroke, setStroke] = useState<Point[] | null>(null);
  const [strokes, setStrokes] = useState<{ id: number; points: Point[] }[]>([]);
  const [picked, setPicked] = useState<Picked | null>(null);
  // A text field just clicked on the page: the keyboard goes to the box that types into it.
  useEffect(() => {
    if (picked?.kind === "text") document.getElementById(`cb-type-${convId}`)?.focus();
  }, [picked]);
  const [typed, setTyped] = useState("");
  const [url, setUrl] = useState("");
  // Whether the page on screen is recorded (false on a page the site does not record).
  const [pageRecorded, setPageRecorded] = useState<boolean | null>(null);
  const moveAt = useRef(0);
  const wheel = useRef({ at: 0, dx: 0, dy: 0 });

  const [large, setLarge] = useState(storedLarge);
  const enlarge = (on: boolean) => {
    setLarge(on);
    try {
      localStorage.setItem(LARGE_KEY, on ? "1" : "0");
    } catch {
      // no storage: for this view only
    }
  };
  const [innerHeight, setInnerHeight] = useState(window.innerHeight);
  useEffect(() => {
    const onResize = () => setInnerHeight(window.innerHeight);
    window.addEventListener("resize", onResize);
    return () => window.removeEventListener("resize", onResize);
  }, []);
  // Fits the width, and leaves the transcript and the composer room below (a 1280 × 800 screen):
  // of the window less a call's panel above, when one is on.
  const callHeight = stage.current?.closest(".conv-main")?.querySelector(".call-panel")
    ?.getBoundingClientRect().height ?? 0;
  const scale = viewport
    ? Math.min(1, stageWidth / viewport.width,
               stageMaxHeight(innerHeight - callHeight, large) / viewport.height) : 1;
  const say = (text: string, bad = false) => setFeedback({ text, bad });
  const fail = (err: unknown) => say((err as Error)?.message ?? "That did not work", true);
  const ask = <K extends keyof AgentRequests>(event: K, payload: AgentRequests[K]["request"]) =>
    link.request(event, payload).catch((err: unknown) => { fail(err); return null; });

  useEffect(() => injectStyles(), []);

  // What became of a request for control, said where the agent looks.
  const control = useRef({ state: status.control, mine: mineControl, releasing: false });
  useEffect(() => {
    const was = control.current;
    if (was.state === "requested" && status.control === "off") say("The shopper declined control.", true);
    else if (was.state === "requested" && mineControl) say("The shopper gave you control: pick Control to click and type.");
    else if (was.mine && status.control === "off" && !was.releasing && viewing) say("The shopper took back control.");
    control.current = { state: status.control, mine: mineControl, releasing: was.releasing && status.control !== "off" };
  }, [status.control, mineControl]);
  // A sharing that ends takes what was said about it along (the transcript keeps the story).
  useEffect(() => {
    if (!viewing) setFeedback(null);
  }, [viewing]);
  // What became of a request to see the page (the shopper may simply not want to), and of a
  // sharing whose tab the shopper closed (after the line above: this is what stays said).
  const asked = useRef(status.view);
  useEffect(() => {
    if (status.view === "requested" && asked.current !== "requested") setFeedback(null);
    if (asked.current !== "off" && status.view === "off") {
      const ended = [...props.events].reverse().find((e) => e.type === "cobrowse_ended");
      const reason = ended?.type === "cobrowse_ended" ? ended.data.reason : null;
      if (reason === "declined" && asked.current === "requested") {
        say("The shopper declined to share their page.", true);
      } else if (reason === "page_closed") {
        say("The shopper closed the page they were sharing. Ask again to see the page they are on now.", true);
      }
    }
    asked.current = status.view;
  }, [status.view]);

  useEffect(() => {
    const el = stage.current;
    if (!el) return undefined;
    const observer = new ResizeObserver(() => setStageWidth(el.clientWidth || 800));
    observer.observe(el);
    return () => observer.disconnect();
  }, [viewing]);


  // The stream: only while the shopper shares.
  useEffect(() => {
    if (!viewing || !scaled.current) return undefined;
    const root = scaled.current;
    const mirror = new LiveReplay(root, {
      resized: (width, height) => setViewport({ width, height }),
      // For measurements (bench/cobrowse.py): when each event reached the mirror.
      applied: (sentAt, type) => root.dispatchEvent(new CustomEvent("aisle-cobrowse-applied", {
        bubbles: true, detail: { sentAt, type, at: Date.now() } })),
    });
    replay.current = mirror;
    stream.current = new PageStream();
    setLive("waiting");
    setPageRecorded(null);
    let leftTimer: ReturnType<typeof setTimeout> | undefined;
    const resync = () => void link.request("request_snapshot", { conversation_id: convId }).catch(() => undefined);
    const onBatch = (batch: BatchRelayed) => {
      if (document.visibilityState === "hidden") return; // resynced when visible again
      lastBatch.current = Date.now();
      if (batch.recorded !== null && batch.recorded !== undefined) setPageRecorded(batch.recorded);
      const step = stream.current.accept(batch);
      if (step.kind === "gap") {
        resync();
        return;
      }
      if (step.kind === "ignore") return;
      const events = step.events.filter((e: PageEvent) => !isCustom(e, "aisle:alive"));
      for (const e of events) {
        const size = viewportOf(e);
        if (size) setViewport(size);
      }
      if (events.some((e) => isCustom(e, "aisle:leaving"))) {
        setLive("leaving");
        clearTimeout(leftTimer);
        leftTimer = setTimeout(() => setLive("left"), LEFT_MS);
      } else if (step.kind === "reset") {
        clearTimeout(leftTimer);
        setLive("live");
        setPicked(null); // a new page (or a fresh copy of it): the field picked may be gone
      } else {
        setLive((l) => (l === "stale" || l === "dropped" ? "live" : l));  // news: it is back
      }
      if (step.kind === "reset") mirror.reset(events);
      else mirror.add(events);
    };
    const off = link.subscribe((event, data) => {
      const d = data as { conversation_id?: string };
      if (d?.conversation_id !== convId) return;
      if (event === "presence_changed") {
        // Every tab of the shopper lost its connection. After the page said it was leaving
        // (`aisle:leaving`), that is a page change or the store left; without it, the
        // connection dropped (a dead spot): the shopper is likely still on the page, and the
        // view resumes when they are back. Told apart, so no agent ends a chat over a tunnel.
        const p = data as { side: string; online: boolean };
        if (p.side === "visitor" && !p.online) {
          setLive((l) => (l === "left" || l === "leaving" ? l : "dropped"));
        } else if (p.side === "visitor") {
          setLive((l) => (l === "dropped" ? "stale" : l));
        }
      } else if (event === "cobrowse_batch") onBatch(data as BatchRelayed);
      else if (event === "command_applied") {
        const r = data as CommandApplied;
        say(r.ok ? "Done on the shopper's page" : `Refused: ${r.reason ?? "no reason given"}`, !r.ok);
      }
    });
    const onVisibility = () => {
      if (document.visibilityState === "hidden") stream.current.gap();
      else resync();
    };
    document.addEventListener("visibilitychange", onVisibility);
    const staleTimer = setInterval(() => {
      if (Date.now() - lastBatch.current > STALE_MS) setLive((l) => (l === "live" ? "stale" : l));
    }, 500);
    resync();
    return () => {
      off();
      clearInterval(staleTimer);
      clearTimeout(leftTimer);
      document.removeEventListener("visibilitychange", onVisibility);
      mirror.destroy();
      replay.current = null;
    };
  }, [viewing, convId, link]);

  /** Overlay position → the shopper's viewport, and the mirrored element there. */
  const locate = (e: MouseEvent): { x: number; y: number; el: Element | null; id: number | null } => {
    const rect = scaled.current!.getBoundingClientRect();
    const x = (e.clientX - rect.left) / scale;
    const y = (e.clientY - rect.top) / scale;
    const doc = replay.current?.iframe?.contentDocument ?? null;
    const el = doc ? mirroredElementAt(doc, x, y) : null;
    return { x, y, el, id: replay.current?.idOf(el) ?? null };
  };
  const scrollOf = (): Point => {
    const win = replay.current?.iframe?.contentWindow;
    return { x: win?.scrollX ?? 0, y: win?.scrollY ?? 0 };
  };

  const onMove = (e: MouseEvent) => {
    if (stroke) {
      const at = locate(e);
      const s = scrollOf();
      setStroke([...stroke, { x: at.x + s.x, y: at.y + s.y }]);
      return;
    }
    if (!canPoint || tool === "control" || Date.now() - moveAt.current < MOVE_EVERY_MS) return;
    moveAt.current = Date.now();
    const { x, y } = locate(e);
    void link.request("cobrowse_pointer", { conversation_id: convId, kind: "move",
                                            target: { node_id: null, x, y } }).catch(() => undefined);
  };

  const onDown = (e: MouseEvent) => {
    if (tool !== "draw" || !canPoint) return;
    const at = locate(e);
    const s = scrollOf();
    setStroke([{ x: at.x + s.x, y: at.y + s.y }]);
  };

  const onUp = () => {
    if (!stroke) return;
    const points = thin(stroke);
    setStroke(null);
    if (points.length < 2) return;
    const id = Date.now();
    setStrokes((all) => [...all, { id, points }]);
    setTimeout(() => setStrokes((all) => all.filter((s) => s.id !== id)), 4_000);
    void ask("cobrowse_pointer", { conversation_id: convId, kind: "draw",
                                   points: points.map((p) => [p.x, p.y]) });
  };

  const command = (payload: Omit<AgentRequests["cobrowse_command"]["request"], "conversation_id" | "command_id">,
                   what: string = payload.action) => {
    say(`Sent: ${what}…`);
    void ask("cobrowse_command", { conversation_id: convId, command_id: commandId(), ...payload });
  };

  const onClick = (e: MouseEvent) => {
    if (tool === "draw" || !canPoint) return;
    const at = locate(e);
    const target = { node_id: at.id, x: at.x, y: at.y };
    if (tool === "highlight" || tool === "scroll_to") {
      void ask("cobrowse_pointer", { conversation_id: convId, kind: tool, target });
      say(`${tool === "highlight" ? "Highlighted" : "Scrolled the shopper to"} ${describe(at.el)}`);
      return;
    }
    if (tool !== "control" || !mineControl) return;
    const kind = fieldKind(at.el);
    command({ action: "click", target }, `click on ${describe(at.el)}`);
    if (at.el && privateField(at.el)) say(`${describe(at.el)} is private: only the shopper types there.`);
    if (kind) {
      const options = kind === "select"
        ? Array.from((at.el as HTMLSelectElement).options).map((o) => o.value) : [];
      setPicked({ nodeId: at.id, x: at.x, y: at.y, kind, label: describe(at.el), options });
      setTyped("");
    } else {
      setPicked(null);
    }
  };

  const onWheel = (e: WheelEvent) => {
    if (tool !== "control" || !mineControl) return;
    e.preventDefault();
    const w = wheel.current;
    w.dx += e.deltaX;
    w.dy += e.deltaY;
    if (Date.now() - w.at < WHEEL_EVERY_MS) return;
    w.at = Date.now();
    const at = locate(e);
    command({ action: "scroll", target: { node_id: at.id, x: at.x, y: at.y }, dx: w.dx, dy: w.dy });
    w.dx = 0;
    w.dy = 0;
  };

  const name = (id: string | null) => (id === me.id ? "You" : (id && props.agentName?.(id)) || "A colleague");
  const chip = live === "live" ? ["live", "Live"] : live === "stale" ? ["stale", "Stale: no news from the page"]
    : live === "left" ? ["left", "Shopper left the store"] : live === "leaving" ? ["stale", "Shopper is changing page…"]
    : live === "dropped" ? ["stale", "Shopper's connection dropped: the view resumes when they are back"]
    : ["", "Waiting for the page…"];

  if (!viewing) {
    return (
      <div class="cb" data-testid="cobrowse-view">
        <div class="cb-bar">
          {status.view === "requested"
            ? <><span class="cb-chip" data-testid="cobrowse-status">Waiting for the shopper to allow…</span>
                {role === "assignee" ? <button type="button" class="cb-btn" onClick={() => void ask("stop_cobrowse", { conversation_id: convId })}>Cancel</button> : null}</>
            : role === "assignee"
              ? <button type="button" class="cb-btn primary" data-testid="cobrowse-request"
                        onClick={() => void ask("request_cobrowse", { conversation_id: convId })}>Ask to see the shopper’s page</button>
              : <span class="cb-chip" data-testid="cobrowse-status">The shopper is not sharing their page.</span>}
        </div>
        {feedback ? <p class={`cb-feedback${feedback.bad ? " bad" : ""}`} data-testid="cobrowse-feedback"
                       role="status">{feedback.text}</p> : null}
      </div>
    );
  }

  return (
    <div class="cb" data-testid="cobrowse-view">
      <div class="cb-bar">
        <span class={`cb-chip ${chip[0]}`} data-testid="cobrowse-live" data-live={live}>{chip[1]}</span>
        {viewport ? <span class="cb-dim" data-testid="cobrowse-viewport">{viewport.width} × {viewport.height}</span> : null}
        <button type="button" class="cb-btn" aria-pressed={large} data-testid="cobrowse-size"
                title={large ? "Leave the transcript more room" : "See the shopper’s page bigger (the transcript scrolls below)"}
                onClick={() => enlarge(!large)}>{large ? "Smaller view" : "Larger view"}</button>
        {status.view === "on" && status.recorded !== null ? (
          <span class="cb-dim" data-testid="cobrowse-recorded"
                title={status.unsaved
                  ? "The recording could not be saved (the server’s disk may be full): the view goes on, unrecorded. Resume to try again."
                  : !status.recorded
                  ? "Not recorded: the site does not record co-browsing, or the shopper did not agree"
                  : pageRecorded === false ? "The site does not record this page (the live view goes on)"
                    : "This sharing is recorded for review"}>
            {!status.recorded ? (status.unsaved ? "Recording stopped: not saved"
              : status.pausedByAgent ? "Recording paused" : "Not recorded")
              : pageRecorded === false ? "Not recorded on this page" : "Recorded"}</span>
        ) : null}
        {status.view === "on" && role === "assignee"
          && ((status.recorded && pageRecorded !== false) || status.pausedByAgent) ? (
          <button type="button" class="cb-btn" data-testid={status.recorded ? "cobrowse-pause-recording" : "cobrowse-resume-recording"}
                  title={status.recorded ? "Stop recording for a moment (the shopper shows something private, say); the view goes on"
                    : "Record the sharing again"}
                  onClick={() => void ask(status.recorded ? "pause_recording" : "resume_recording",
                                          { conversation_id: convId, kind: "cobrowse" })}>
            {status.recorded ? "Pause page recording" : "Resume page recording"}</button>
        ) : null}
        <span class="cb-grow" />
        {canPoint ? (
          <span class="cb-tools" role="group" aria-label="Tools">
            {(["point", "highlight", "scroll_to", "draw"] as const).map((t) => (
              <button type="button" key={t} aria-pressed={tool === t} onClick={() => setTool(t)}
                      data-testid={`cobrowse-tool-${t}`}>
                {{ point: "Point", highlight: "Highlight", scroll_to: "Scroll to", draw: "Draw" }[t]}
              </button>))}
            {mineControl ? <button type="button" aria-pressed={tool === "control"} onClick={() => setTool("control")}
                                   data-testid="cobrowse-tool-control">Control</button> : null}
          </span>) : null}
        {role === "assignee" && status.control === "off"
          ? <button type="button" class="cb-btn" data-testid="control-request"
                    onClick={() => void ask("request_control", { conversation_id: convId }).then(() => say("Asked the shopper for control…"))}>Ask for control</button> : null}
        {status.control === "requested" ? <span class="cb-chip" data-testid="control-status">Asking for control…</span> : null}
        {status.control === "on" && !mineControl ? <span class="cb-chip" data-testid="control-status">{name(status.controlAgentId)} has control</span> : null}
        {mineControl ? <button type="button" class="cb-btn" data-testid="control-release"
                               onClick={() => {
                                 setTool("point");
                                 control.current.releasing = true;
                                 void ask("release_control", { conversation_id: convId }).then(() => say("You gave control back."));
                               }}>Release control</button> : null}
        {role === "assignee" || role === "supervisor"
          ? <button type="button" class="cb-btn danger" data-testid="cobrowse-stop-agent"
                    onClick={() => void ask("stop_cobrowse", { conversation_id: convId })}>Stop</button> : null}
      </div>
      <div class="cb-stage" ref={stage} style={{ height: `${viewport ? Math.round(viewport.height * scale) : 240}px` }}>
        <div class="cb-scaled" ref={scaled} data-testid="cobrowse-mirror"
             style={{ transform: `scale(${scale})`, width: viewport ? `${viewport.width}px` : "100%" }} />
        <div class={`cb-overlay${tool === "control" ? " control" : ""}`} data-testid="cobrowse-overlay"
             onMouseMove={onMove} onMouseDown={onDown} onMouseUp={onUp} onMouseLeave={onUp}
             onClick={onClick} onWheel={onWheel}>
          <svg aria-hidden="true">
            {[...strokes, ...(stroke ? [{ id: -1, points: stroke }] : [])].map((s) => {
              const sc = scrollOf();
              return <polyline key={s.id} points={s.points.map((p) => `${(p.x - sc.x) * scale},${(p.y - sc.y) * scale}`).join(" ")} />;
            })}
          </svg>
        </div>
        {live === "left" ? <div class="cb-cover" data-testid="cobrowse-left">The shopper left the store (or is on a page without the chat).<br />The view comes back when they return.</div> : null}
      </div>
      {mineControl && tool === "control" ? (
        <div class="cb-field">
          {picked?.kind === "text" ? (
            // Clicking a field on the page puts the keyboard here: what the agent types goes in
            // with Enter (or Type), as one command.
            <form class="cb-type" onSubmit={(e) => {
              e.preventDefault();
              command({ action: "type", target: { node_id: picked.nodeId, x: picked.x, y: picked.y }, value: typed });
              setTyped("");
            }}>
              <label class="cb-dim" for={`cb-type-${convId}`}>Type into {picked.label}:</label>
              <input id={`cb-type-${convId}`} value={typed} onInput={(e) => setTyped(e.currentTarget.value)}
                     data-testid="control-text" autocomplete="off" />
              <button type="submit" class="cb-btn primary" data-testid="control-type">Type</button>
            </form>
          ) : null}
          {picked?.kind === "select" ? <>
            <label class="cb-dim" for={`cb-choose-${convId}`}>Choose in {picked.label}:</label>
            <select id={`cb-choose-${convId}`} onChange={(e) => command({ action: "select", target: { node_id: picked.nodeId, x: picked.x, y: picked.y }, value: e.currentTarget.value })}>
              {picked.options.map((o) => <option key={o} value={o}>{o}</option>)}
            </select>
          </> : null}
          <span class="cb-grow" />
          <input placeholder="Go to an address in the store" value={url} onInput={(e) => setUrl(e.currentTarget.value)} data-testid="control-url" />
          <button type="button" class="cb-btn" onClick={() => url && command({ action: "navigate", url })}>Go</button>
        </div>) : null}
      {feedback ? <p class={`cb-feedback${feedback.bad ? " bad" : ""}`} data-testid="cobrowse-feedback" role="status">{feedback.text}</p> : null}
    </div>
  );
}
