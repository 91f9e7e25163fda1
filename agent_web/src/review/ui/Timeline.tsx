// The one timeline: play/pause, skip, time, speed and sound; a scrubber (a keyboard slider); and
// lanes on the same scale — chat messages, co-browsing (with the gaps not recorded), each
// recorded file, the markers (calls, consent, control, transfers, escalations, recording
// pauses, the end, the rating) and the annotations. Clicking any lane seeks there.
import { Fragment, type JSX } from "preact";
import { useMemo } from "preact/hooks";
import { SPEEDS } from "../clock";
import type { Engine } from "../player/engine";
import { formatTime, participantName, percentOf, spokenTime, type Line, type Marker } from "../timeline";
import type { Annotation, Gap, MediaFile, Recording } from "../types";
import { usePlayer } from "./hooks";
import { IconBack5, IconFwd5, IconMute, IconPause, IconPlay, IconVolume } from "./icons";

interface Props {
  engine: Engine;
  rec: Recording;
  lines: Line[];
  markers: Marker[];
  sharing: Array<[number, number]>;
  annotations: Annotation[];
}

export function Timeline(props: Props): JSX.Element {
  const { engine, rec, lines, markers, sharing, annotations } = props;
  const duration = engine.clock.durationMs;
  const pct = (t: number) => `${percentOf(t, duration)}%`;
  const span = (a: number, b: number) => ({ left: pct(a), width: `${Math.max(0.4, percentOf(b, duration) - percentOf(a, duration))}%` });
  const seekFrom = (e: PointerEvent): void => {
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    engine.seek(((e.clientX - rect.left) / Math.max(1, rect.width)) * duration);
  };
  const onPointerDown = (e: PointerEvent): void => {
    if ((e.target as HTMLElement).closest("button")) return;
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    seekFrom(e);
  };
  const onPointerMove = (e: PointerEvent): void => {
    if ((e.currentTarget as HTMLElement).hasPointerCapture(e.pointerId)) seekFrom(e);
  };
  const track = (children: JSX.Element | JSX.Element[] | null, cls = ""): JSX.Element => (
    <div class={`rv-track ${cls}`} onPointerDown={onPointerDown} onPointerMove={onPointerMove}>{children}</div>
  );
  const gaps = rec.manifest.gaps;

  const lanes = useMemo(() => {
    const out: Array<{ label: string; body: JSX.Element }> = [];
    out.push({ label: "Chat", body: track(lines.map((l) => (
      <span class={`rv-tick ${l.kind === "note" ? "note" : l.side}`} style={{ left: pct(l.t) }} key={l.seq}
        title={`${formatTime(l.t)} ${l.author}: ${l.text.slice(0, 80)}`} />))) });
    out.push({ label: "Co-browse", body: track([
      ...sharing.map(([a, b]) => <span class="rv-bar cobrowse" style={span(a, b)} key={`s${a}`} />),
      ...gapBars(gaps.filter((g) => g.kind !== "call"), duration, span)]) });
    // One lane per participant: video (camera, screen) above, audio below.
    const people = new Map<string, MediaFile[]>();
    for (const m of rec.manifest.media) people.set(m.participant, [...(people.get(m.participant) ?? []), m]);
    for (const files of people.values()) {
      const who = participantName(files[0]!, rec.manifest.participants);
      out.push({ label: who, body: track([
        ...files.map((m) => (
          <span class={`rv-bar media ${m.kinds.includes("video") ? m.source : "audio"}`} key={m.file}
            style={span(m.start_offset_ms, m.start_offset_ms + m.duration_ms)}
            title={`${who}, ${m.source}: ${formatTime(m.start_offset_ms)}–${formatTime(m.start_offset_ms + m.duration_ms)}`} />)),
        ...gapBars(gaps.filter((g) => g.kind !== "cobrowse"), duration, span)], "media") });
    }
    out.push({ label: "Events", body: track(markers.map((m) => (
      <button type="button" class={`rv-marker ${m.kind}`} style={{ left: pct(m.t) }} key={m.seq}
        title={`${formatTime(m.t)} — ${m.label}`} aria-label={`${m.label}, at ${formatTime(m.t)}`}
        data-kind={m.kind} onClick={() => engine.seek(m.t)} />)), "markers") });
    out.push({ label: "Notes", body: track(annotations.map((a) => (
      <button type="button" class={`rv-note ${a.end_ms !== null ? "range" : "point"}`} key={a.id}
        style={a.end_ms !== null ? span(a.at_ms, a.end_ms) : { left: pct(a.at_ms) }}
        title={`${formatTime(a.at_ms)} ${a.author_name ?? ""}: ${a.text.slice(0, 80)}`}
        aria-label={`Annotation at ${formatTime(a.at_ms)}: ${a.text.slice(0, 80)}`}
        onClick={() => engine.seek(a.at_ms)} />)), "notes") });
    return out;
  }, [rec, lines, markers, sharing, annotations, engine]);

  return (
    <section class="rv-timeline card" aria-label="Timeline">
      <Controls engine={engine} />
      <div class="rv-lanes">
        <div class="rv-lane-label rv-scrub-label" aria-hidden="true">Time</div>
        <Scrubber engine={engine} gaps={gaps} />
        {lanes.map((l, i) => (
          <Fragment key={i}><div class="rv-lane-label">{l.label}</div>{l.body}</Fragment>))}
        <Playhead engine={engine} />
      </div>
    </section>
  );
}

function gapBars(gaps: Gap[], duration: number,
  span: (a: number, b: number) => Record<string, string>): JSX.Element[] {
  return gaps.map((g) => (
    <span class="rv-bar gap" key={`g${g.kind}${g.start_offset_ms}`}
      style={span(g.start_offset_ms, g.end_offset_ms ?? duration)}
      title={`Not recorded (${g.reason}) ${formatTime(g.start_offset_ms)}–${g.end_offset_ms !== null ? formatTime(g.end_offset_ms) : "end"}`} />
  ));
}

function Controls({ engine }: { engine: Engine }): JSX.Element {
  const state = usePlayer(engine, (p) => p);
  return (
    <div class="rv-controls">
      <button type="button" class="icon-btn" onClick={() => engine.skip(-5_000)} aria-label="Back 5 seconds"
        title="Back 5 s (←)"><IconBack5 /></button>
      <button type="button" class="rv-play" onClick={() => engine.toggle()} data-testid="play"
        aria-label={state.playing ? "Pause" : "Play"} title={state.playing ? "Pause (space)" : "Play (space)"}>
        {state.playing ? <IconPause size={20} /> : <IconPlay size={20} />}
      </button>
      <button type="button" class="icon-btn" onClick={() => engine.skip(5_000)} aria-label="Forward 5 seconds"
        title="Forward 5 s (→)"><IconFwd5 /></button>
      <span class="rv-time" data-testid="time">
        <span>{formatTime(state.t)}</span> <span class="muted">/ {formatTime(state.duration)}</span>
      </span>
      <span class="topbar-spacer" />
      <label class="rv-speed">
        <span class="muted small">Speed</span>
        <select value={String(state.rate)} onChange={(e) => engine.setRate(Number(e.currentTarget.value))}
          aria-label="Playback speed">
          {SPEEDS.map((r) => <option value={String(r)} key={r}>{r}×</option>)}
        </select>
      </label>
      <button type="button" class="icon-btn" onClick={() => engine.setMuted(!state.muted)}
        aria-pressed={state.muted} aria-label={state.muted ? "Unmute" : "Mute"}>
        {state.muted ? <IconMute /> : <IconVolume />}
      </button>
    </div>
  );
}

function Scrubber({ engine, gaps }: { engine: Engine; gaps: Gap[] }): JSX.Element {
  const t = usePlayer(engine, (p) => Math.round(p.t / 100) * 100);
  const duration = engine.clock.durationMs;
  const onKey = (e: KeyboardEvent): void => {
    const moves: Record<string, number> = { ArrowLeft: -5_000, ArrowRight: 5_000, ArrowDown: -5_000,
      ArrowUp: 5_000, PageDown: -30_000, PageUp: 30_000 };
    if (e.key in moves) engine.skip(e.shiftKey ? Math.sign(moves[e.key]!) * 1_000 : moves[e.key]!);
    else if (e.key === "Home") engine.seek(0);
    else if (e.key === "End") engine.seek(duration);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  const seekFrom = (e: PointerEvent): void => {
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    engine.seek(((e.clientX - rect.left) / Math.max(1, rect.width)) * duration);
  };
  return (
    <div class="rv-scrub" role="slider" tabIndex={0} aria-label="Position in the conversation"
      aria-valuemin={0} aria-valuemax={Math.round(duration / 1000)} aria-valuenow={Math.round(t / 1000)}
      aria-valuetext={`${spokenTime(t)} of ${spokenTime(duration)}`} data-testid="scrubber"
      onKeyDown={onKey}
      onPointerDown={(e) => { (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId); seekFrom(e); }}
      onPointerMove={(e) => { if ((e.currentTarget as HTMLElement).hasPointerCapture(e.pointerId)) seekFrom(e); }}>
      <span class="rv-scrub-rail" />
      {gaps.map((g) => (
        <span class="rv-scrub-gap" key={`${g.kind}${g.start_offset_ms}`} style={{
          left: `${percentOf(g.start_offset_ms, duration)}%`,
          width: `${percentOf(g.end_offset_ms ?? duration, duration) - percentOf(g.start_offset_ms, duration)}%` }} />
      ))}
      <span class="rv-scrub-fill" style={{ width: `${percentOf(t, duration)}%` }} />
      <span class="rv-scrub-thumb" style={{ left: `${percentOf(t, duration)}%` }} />
    </div>
  );
}

function Playhead({ engine }: { engine: Engine }): JSX.Element {
  const left = usePlayer(engine, (p) => percentOf(p.t, p.duration).toFixed(2));
  return (
    <div class="rv-playhead-layer" aria-hidden="true">
      <span class="rv-playhead" style={{ left: `${left}%` }} />
    </div>
  );
}
