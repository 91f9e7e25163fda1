// The player: the stage (co-browse replay, each participant's video and audio), one timeline
// under it, and beside it the transcript, the annotations and the scorecard — all on one clock.
// Keys: space plays and pauses, ←/→ move 5 s (with Shift 1 s), Home/End.
import type { JSX } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { timelineEnd } from "../clock";
import type { ChunkSource } from "../chunks";
import { sharingIntervals } from "../cobrowse";
import { Engine } from "../player/engine";
import { hrefOf } from "../route";
import { markersOf, transcriptOf } from "../timeline";
import type { Annotation, Recording, Score } from "../types";
import { Annotations } from "./Annotations";
import { useReview } from "./hooks";
import { ScorecardPanel } from "./ScorecardPanel";
import { Stage } from "./Stage";
import { Timeline } from "./Timeline";
import { Transcript } from "./Transcript";

type Tab = "transcript" | "annotations" | "scorecard";

const TYPING = new Set(["INPUT", "TEXTAREA", "SELECT"]);

export function Player({ rec, pages, startAt }: {
  rec: Recording; pages: ChunkSource; startAt: number | null;
}): JSX.Element {
  const { api } = useReview();
  const origin = rec.manifest.clock_origin_ms;
  const duration = useMemo(() => timelineEnd({
    createdAt: origin, endedAt: rec.conversation.ended_at ?? null,
    lastEventTs: rec.events.length ? rec.events[rec.events.length - 1]!.ts : null,
    media: rec.manifest.media,
    cobrowseEndMs: pages.lastStartMs,
  }), [rec, pages]);
  const engine = useMemo(() => new Engine(duration), [rec]);
  useEffect(() => {
    if (startAt !== null) engine.seek(startAt);
    return () => engine.destroy();
  }, [engine]);
  // The address follows the moment the reviewer stopped or jumped to (not every tick while
  // playing): copied, it is a link to that moment.
  useEffect(() => engine.subscribe((s) => {
    if (s.playing) return;
    const href = hrefOf({ page: "recording", id: rec.conversation.id, at: s.t });
    if (href !== location.pathname + location.search) history.replaceState(history.state, "", href);
  }), [engine]);

  const lines = useMemo(() => transcriptOf(rec.events, origin), [rec]);
  const markers = useMemo(() => markersOf(rec.events, origin), [rec]);
  const sharing = useMemo(() => sharingIntervals(rec.events, origin, duration), [rec, duration]);
  const [annotations, setAnnotations] = useState<Annotation[]>(rec.annotations);
  const [scores, setScores] = useState<Score[]>(rec.scores);
  const [tab, setTab] = useState<Tab>("transcript");

  // Other reviewers' annotations and scores, fetched again when the tab comes back into view.
  useEffect(() => {
    const refresh = () => {
      if (document.visibilityState !== "visible") return;
      api.recording(rec.conversation.id).then((fresh) => {
        setAnnotations(fresh.annotations);
        setScores(fresh.scores);
      }, () => undefined);
    };
    document.addEventListener("visibilitychange", refresh);
    return () => document.removeEventListener("visibilitychange", refresh);
  }, [rec]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (target && (TYPING.has(target.tagName) || target.isContentEditable
        || target.closest("[role=dialog]"))) return;
      const onButton = target?.tagName === "BUTTON" || target?.tagName === "A";
      if (e.key === " " && !onButton) {
        e.preventDefault();
        engine.toggle();
      } else if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
        e.preventDefault();
        const step = e.shiftKey ? 1_000 : 5_000;
        engine.skip(e.key === "ArrowLeft" ? -step : step);
      } else if (e.key === "Home" && !onButton) {
        e.preventDefault();
        engine.seek(0);
      } else if (e.key === "End" && !onButton) {
        e.preventDefault();
        engine.seek(duration);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [engine, duration]);

  const tabs: Array<[Tab, string]> = [["transcript", "Transcript"],
    ["annotations", `Annotations${annotations.length ? ` (${annotations.length})` : ""}`], ["scorecard", "Scorecard"]];

  return (
    <div class="rv-player" data-testid="player">
      <div class="rv-player-main">
        <Stage engine={engine} rec={rec} pages={pages} sharing={sharing} />
        <Timeline engine={engine} rec={rec} lines={lines} markers={markers} sharing={sharing}
          annotations={annotations} />
      </div>
      <aside class="rv-side card" aria-label="Transcript, annotations and scorecard">
        <div class="rv-tabs" role="tablist" aria-label="Panels">
          {tabs.map(([id, label]) => (
            <button type="button" role="tab" id={`tab-${id}`} aria-controls={`panel-${id}`}
              aria-selected={tab === id} tabIndex={tab === id ? 0 : -1} class={`rv-tab${tab === id ? " active" : ""}`}
              onClick={() => setTab(id)}
              onKeyDown={(e) => {
                if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
                e.preventDefault();
                e.stopPropagation();
                const i = tabs.findIndex(([t]) => t === tab);
                const next = tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length]![0];
                setTab(next);
                document.getElementById(`tab-${next}`)?.focus();
              }}>{label}</button>
          ))}
        </div>
        {/* All panels stay mounted (a range being marked, the transcript's scroll survive). */}
        <div class="rv-panel" role="tabpanel" id="panel-transcript" aria-labelledby="tab-transcript"
          hidden={tab !== "transcript"}>
          <Transcript engine={engine} lines={lines} />
        </div>
        <div class="rv-panel" role="tabpanel" id="panel-annotations" aria-labelledby="tab-annotations"
          hidden={tab !== "annotations"}>
          <Annotations engine={engine} id={rec.conversation.id} annotations={annotations}
            onChange={setAnnotations} />
        </div>
        <div class="rv-panel" role="tabpanel" id="panel-scorecard" aria-labelledby="tab-scorecard"
          hidden={tab !== "scorecard"}>
          <ScorecardPanel rec={rec} scores={scores} onScores={setScores} />
        </div>
      </aside>
    </div>
  );
}
