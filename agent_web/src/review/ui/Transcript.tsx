// The transcript on the clock: each message and internal note with its time; clicking one seeks
// there; the current one is highlighted (and kept in view while playing).
import type { JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { Engine } from "../player/engine";
import { currentIndex, formatTime, type Line } from "../timeline";
import { usePlayer } from "./hooks";

export function Transcript({ engine, lines }: { engine: Engine; lines: Line[] }): JSX.Element {
  const current = usePlayer(engine, (s) => currentIndex(lines, s.t));
  const playing = usePlayer(engine, (s) => s.playing);
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (!playing || current < 0) return;
    const el = list.current?.querySelector<HTMLElement>(`[data-index="${current}"]`);
    el?.scrollIntoView({ block: "nearest" });
  }, [current, playing]);

  if (lines.length === 0) return <p class="empty-small">Nothing was written in this conversation.</p>;
  return (
    <ol class="rv-transcript" ref={list} aria-label="Transcript" data-testid="transcript">
      {lines.map((l, i) => (
        <li key={l.seq} data-index={i} class={`rv-line ${l.kind} ${l.side}${i === current ? " current" : ""}`}
          aria-current={i === current ? "true" : undefined}>
          <button type="button" class="rv-line-btn" onClick={() => engine.seek(l.t)}
            data-t={l.t} data-seq={l.seq}>
            <span class="rv-line-head">
              <time class="rv-line-time">{formatTime(l.t)}</time>
              {l.author ? <strong>{l.author}</strong> : null}
              {l.kind === "note" ? <span class="chip rv-note-chip">Internal note</span> : null}
            </span>
            <span class="rv-line-text">{l.text}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}
