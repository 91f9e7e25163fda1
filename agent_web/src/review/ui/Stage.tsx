// The stage: the shopper's page as it was (the co-browse replay, scaled to fit) and one tile per
// participant's camera or screen with their name (its files, when a reload or a pause split it,
// play in the one tile); audio plays unseen, a line per participant's microphone. Each file
// plays only while the clock is inside it.
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ChunkSource } from "../chunks";
import { replayCover } from "../cobrowse";
import type { Engine } from "../player/engine";
import { callGapAt, laneFileAt, mediaLanes, participantName } from "../timeline";
import type { Gap, MediaFile, Recording } from "../types";
import { usePlayer } from "./hooks";
import { IconCursor, IconPhone } from "./icons";

const GAP_REASONS: Record<string, string> = {
  url: "Not recorded: the shopper was on a page the site does not record.",
  policy: "Not recorded: the site's policy paused recording here.",
  declined: "Not recorded: the shopper did not agree to recording the co-browsing.",
  withdrawn: "Not recorded: the shopper stopped the recording of the co-browsing.",
  agent: "Not recorded: the agent paused the recording of the co-browsing.",
  storage: "Not recorded: the recording could not be saved (the server's disk was full or failing).",
  restart: "Not recorded: the server restarted; recording went on when the shopper's page was back.",
};

export function Stage({ engine, rec, pages, sharing }: {
  engine: Engine; rec: Recording; pages: ChunkSource; sharing: Array<[number, number]>;
}): JSX.Element {
  const videos = mediaLanes(rec.manifest.media.filter((m) => m.kinds.includes("video")));
  const audios = mediaLanes(rec.manifest.media.filter((m) => !m.kinds.includes("video")));
  return (
    <section class={`rv-stage${videos.length ? " with-media" : ""}`} aria-label="Replay">
      <Replay engine={engine} rec={rec} pages={pages} sharing={sharing} />
      {videos.length || audios.length ? (
        <div class="rv-media" aria-label="Call">
          {videos.map(([first, ...rest]) => first && <VideoTile key={first.file} engine={engine} gaps={rec.manifest.gaps}
            lane={[first, ...rest]} name={label(first, rec.manifest.participants)} />)}
          {audios.map(([first, ...rest]) => first && <AudioTrack key={first.file} engine={engine}
            lane={[first, ...rest]} name={label(first, rec.manifest.participants)} />)}
        </div>
      ) : null}
    </section>
  );
}

function Replay({ engine, rec, pages, sharing }: {
  engine: Engine; rec: Recording; pages: ChunkSource; sharing: Array<[number, number]>;
}): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const scaled = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState<{ width: number; height: number } | null>(null);
  const [size, setSize] = useState({ width: 800, height: 450 });
  const cover = usePlayer(engine, (s) => {
    const c = replayCover(s.t, sharing, rec.manifest.gaps, pages.at(s.t));
    if (c.kind === "waiting" && pages.loading) return "loading";
    return c.kind === "gap" ? `gap:${c.reason}` : c.kind;
  });
  const chunks = rec.manifest.cobrowse.length;
  const unreadable = usePlayer(engine, () => chunks > 0 && pages.broken === chunks);

  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const observer = new ResizeObserver(() => setSize({ width: el.clientWidth, height: el.clientHeight }));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (!scaled.current || chunks === 0) return undefined;
    return engine.attachReplay(scaled.current, pages, {
      resized: (width, height) => setViewport({ width, height }),
    });
  }, [engine, pages]);

  const scale = viewport ? Math.min(size.width / viewport.width, size.height / viewport.height) : 1;
  const left = viewport ? Math.max(0, (size.width - viewport.width * scale) / 2) : 0;
  const top = viewport ? Math.max(0, (size.height - viewport.height * scale) / 2) : 0;
  let coverText: string | null = null;
  if (chunks === 0) {
    coverText = "No co-browsing was recorded in this conversation.";
  } else if (unreadable) {
    coverText = "The co-browse recording could not be read.";
  } else if (cover === "loading") {
    coverText = "Loading the page…";
  } else if (cover === "off") {
    coverText = "Not co-browsing at this moment.";
  } else if (cover === "waiting") {
    coverText = "Co-browsing: waiting for the shopper's page…";
  } else if (cover === "left") {
    coverText = "The shopper left this page and is not on another page of the store with the chat.";
  } else if (cover.startsWith("gap:")) {
    coverText = GAP_REASONS[cover.slice(4)] ?? "Not recorded here.";
  }
  return (
    <div class="rv-replay" ref={box} data-testid="replay" data-cover={cover}>
      <div class="rv-replay-scaled" ref={scaled}
        style={{ transform: `translate(${left}px, ${top}px) scale(${scale})` }} />
      {coverText ? (
        <div class="rv-cover" role="status"><IconCursor size={22} /><p>{coverText}</p></div>
      ) : null}
    </div>
  );
}

function label(file: MediaFile, participants: Recording["manifest"]["participants"]): string {
  const who = participantName(file, participants);
  return `${who} · ${file.source === "screen" ? "screen" : file.source === "camera" ? "camera" : "microphone"}`;
}

type Lane = [MediaFile, ...MediaFile[]];

const CALL_GAPS: Record<string, string> = {
  agent: "Recording paused by the agent",
  withdrawn: "The shopper stopped the recording",
  declined: "Not recorded: the shopper did not agree",
};

function VideoTile({ engine, lane, name, gaps }: {
  engine: Engine; lane: Lane; name: string; gaps: readonly Gap[];
}): JSX.Element {
  const shown = usePlayer(engine, (s) => laneFileAt(lane, s.t));
  const gap = usePlayer(engine, (s) => callGapAt(gaps, s.t));
  const file = lane[shown] ?? null;
  return (
    <figure class={`rv-tile${file ? "" : " off"}`} data-lane={`${lane[0].participant}:${lane[0].source}`}>
      {lane.map((f, i) => <LaneVideo key={f.file} engine={engine} file={f} name={name} shown={i === shown} />)}
      {!file ? <div class="rv-tile-off"><IconPhone size={18} />
        <span>{gap ? CALL_GAPS[gap] ?? "Not recorded here" : "Not on camera now"}</span></div> : null}
      <figcaption>{name}{file?.state === "recovered" ? " (recovered)" : ""}</figcaption>
    </figure>
  );
}

function LaneVideo({ engine, file, name, shown }: {
  engine: Engine; file: MediaFile; name: string; shown: boolean;
}): JSX.Element {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => (ref.current ? engine.attachMedia(ref.current, file) : undefined), [engine, file]);
  const silent = !file.kinds.includes("audio");
  return (
    <div class={`rv-lane-file${shown ? " shown" : ""}`} data-file={file.file} data-offset={file.start_offset_ms}>
      <video ref={ref} src={file.url} preload="auto" playsInline muted={silent}
        data-silent={silent ? "true" : "false"} aria-label={name} aria-hidden={shown ? undefined : "true"} />
    </div>
  );
}

function AudioTrack({ engine, lane, name }: { engine: Engine; lane: Lane; name: string }): JSX.Element {
  const on = usePlayer(engine, (s) => laneFileAt(lane, s.t) >= 0);
  return (
    <div class={`rv-audio${on ? " on" : ""}`} data-lane={`${lane[0].participant}:${lane[0].source}`}>
      {lane.map((f) => <LaneAudio key={f.file} engine={engine} file={f} name={name} />)}
      <span class="rv-audio-dot" aria-hidden="true" /> {name}
    </div>
  );
}

function LaneAudio({ engine, file, name }: { engine: Engine; file: MediaFile; name: string }): JSX.Element {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => (ref.current ? engine.attachMedia(ref.current, file) : undefined), [engine, file]);
  return (
    <span data-file={file.file} data-offset={file.start_offset_ms}>
      <audio ref={ref} src={file.url} preload="auto" aria-label={name} />
    </span>
  );
}
