// The stage: the shopper's page as it was (the co-browse replay, scaled to fit) and one tile per
// recorded video (camera or screen) with the participant's name; audio files play unseen. Each
// element shows only while the clock is inside its file.
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { coversTime } from "../clock";
import type { ChunkSource } from "../chunks";
import { replayCover } from "../cobrowse";
import type { Engine } from "../player/engine";
import { participantName } from "../timeline";
import type { MediaFile, Recording } from "../types";
import { usePlayer } from "./hooks";
import { IconCursor, IconPhone } from "./icons";

const GAP_REASONS: Record<string, string> = {
  url: "Not recorded: the shopper was on a page the site does not record.",
  policy: "Not recorded: the site's policy paused recording here.",
  declined: "Not recorded: the shopper did not agree to recording the co-browsing.",
  withdrawn: "Not recorded: the shopper stopped the recording of the co-browsing.",
};

export function Stage({ engine, rec, pages, sharing }: {
  engine: Engine; rec: Recording; pages: ChunkSource; sharing: Array<[number, number]>;
}): JSX.Element {
  const videos = rec.manifest.media.filter((m) => m.kinds.includes("video"));
  const audios = rec.manifest.media.filter((m) => !m.kinds.includes("video"));
  return (
    <section class={`rv-stage${videos.length ? " with-media" : ""}`} aria-label="Replay">
      <Replay engine={engine} rec={rec} pages={pages} sharing={sharing} />
      {videos.length || audios.length ? (
        <div class="rv-media" aria-label="Call">
          {videos.map((m) => <VideoTile key={m.file} engine={engine} file={m} name={label(m, rec.manifest.participants)} />)}
          {audios.map((m) => <AudioTrack key={m.file} engine={engine} file={m} name={label(m, rec.manifest.participants)} />)}
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

function VideoTile({ engine, file, name }: { engine: Engine; file: MediaFile; name: string }): JSX.Element {
  const ref = useRef<HTMLVideoElement>(null);
  const on = usePlayer(engine, (s) => coversTime(file, s.t));
  useEffect(() => (ref.current ? engine.attachMedia(ref.current, file) : undefined), [engine, file]);
  const silent = !file.kinds.includes("audio");
  return (
    <figure class={`rv-tile${on ? "" : " off"}`} data-file={file.file} data-offset={file.start_offset_ms}>
      <video ref={ref} src={file.url} preload="auto" playsInline muted={silent}
        data-silent={silent ? "true" : "false"} aria-label={name} />
      {!on ? <div class="rv-tile-off"><IconPhone size={18} /><span>Not on camera now</span></div> : null}
      <figcaption>{name}{file.state === "recovered" ? " (recovered)" : ""}</figcaption>
    </figure>
  );
}

function AudioTrack({ engine, file, name }: { engine: Engine; file: MediaFile; name: string }): JSX.Element {
  const ref = useRef<HTMLAudioElement>(null);
  const on = usePlayer(engine, (s) => coversTime(file, s.t));
  useEffect(() => (ref.current ? engine.attachMedia(ref.current, file) : undefined), [engine, file]);
  return (
    <div class={`rv-audio${on ? " on" : ""}`} data-file={file.file} data-offset={file.start_offset_ms}>
      <audio ref={ref} src={file.url} preload="auto" aria-label={name} />
      <span class="rv-audio-dot" aria-hidden="true" /> {name}
    </div>
  );
}
