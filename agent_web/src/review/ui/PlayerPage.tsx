// One recording: fetched with its manifest and log, then the player, which fetches the
// co-browse chunks as it reaches them (chunks.ts). "Not allowed" when the server says so. Its way
// back is to the list as the reviewer left it in this tab.
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { anonymousName } from "../../state/conversation";
import { formatDuration } from "../../state/time";
import { RequestError, explain } from "../api";
import { ChunkSource } from "../chunks";
import { parseChunk } from "../cobrowse";
import type { Recording } from "../types";
import { Exports } from "./Exports";
import { onLinkClick, useReview } from "./hooks";
import { IconArrowLeft, IconStar } from "./icons";
import { lastListHref } from "./ListPage";
import { Player } from "./Player";

interface Loaded {
  rec: Recording;
  pages: ChunkSource;
}

/** A chunk, checked (null: not readable). */
async function fetchChunk(url: string): Promise<ReturnType<typeof parseChunk>> {
  const resp = await fetch(url);
  return resp.ok ? parseChunk(await resp.json()) : null;
}

const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function PlayerPage({ id, startAt }: { id: string; startAt: number | null }): JSX.Element {
  const { api, navigate } = useReview();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<{ text: string; forbidden: boolean } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // Opened: the keyboard starts at the recording's title (the link followed is gone), unless
  // the reviewer has gone somewhere while it loaded.
  useEffect(() => {
    const active = document.activeElement;
    if (loaded && (!active || active === document.body || active.id === "main")) heading.current?.focus();
  }, [loaded]);

  useEffect(() => {
    let live = true;
    (async () => {
      const rec = await api.recording(id);
      const pages = new ChunkSource(rec.manifest.cobrowse, rec.manifest.clock_origin_ms, fetchChunk);
      if (live) setLoaded({ rec, pages });
    })().catch((err: unknown) => {
      if (live) setError({ text: explain(err), forbidden: err instanceof RequestError && err.status === 403 });
    });
    return () => { live = false; };
  }, [id]);

  const back = (
    <a class="rv-back" href={lastListHref()} onClick={onLinkClick(navigate)}>
      <IconArrowLeft size={16} /> Recordings
    </a>
  );
  if (error) {
    return (
      <div class="rv-page">
        {back}
        <div class="rv-empty" role="alert" data-testid={error.forbidden ? "not-allowed" : "load-error"}>
          <h1>{error.forbidden ? "Not allowed" : "This recording cannot be opened"}</h1>
          <p class="muted">{error.forbidden
            ? "Reviewing recordings is for supervisors and trainers. Agents can replay their own conversations only where their site allows it."
            : error.text}</p>
        </div>
      </div>
    );
  }
  if (!loaded) {
    return <div class="rv-page">{back}<p class="boot" role="status">Loading the recording…</p></div>;
  }
  const { rec, pages } = loaded;
  const conv = rec.conversation;
  // The agent who had it last, as the recordings list says (earlier agents are in the transcript).
  const agents = rec.manifest.participants.filter((p) => p.kind === "agent");
  const agentName = (agents.find((p) => p.id === conv.agent_id) ?? agents[agents.length - 1])?.name ?? null;
  const visitor = conv.fields.name || rec.manifest.participants.find((p) => p.kind === "visitor")?.name
    || anonymousName(conv.visitor_id);
  const seconds = conv.ended_at ? Math.round((conv.ended_at - conv.created_at) / 1000) : null;
  return (
    <div class="rv-page rv-player-page">
      <div class="rv-rec-head">
        <div class="rv-rec-title">
          {back}
          <h1 ref={heading} tabIndex={-1} data-testid="recording-title">{visitor} <span class="muted">· {rec.topic_label ?? conv.topic}</span></h1>
          <p class="rv-facts muted small">
            <span>{agentName ? `Agent: ${agentName}` : "No agent"}</span>
            <span>Team: {conv.team}</span>
            <span>{DATE.format(conv.created_at)}</span>
            {seconds !== null ? <span>{formatDuration(seconds)}</span> : <span>Still going</span>}
            {conv.rating !== null && conv.rating !== undefined
              ? <span class={`rv-rating r${conv.rating}`}><IconStar size={12} /> CSAT {conv.rating}/5</span> : null}
            <span class={`status-chip rv-state-${rec.manifest.state}`}>{rec.manifest.state}</span>
          </p>
        </div>
        <Exports id={conv.id} hasMedia={rec.manifest.media.length > 0} />
      </div>
      <Broken pages={pages} />
      <Player rec={rec} pages={pages} startAt={startAt} />
    </div>
  );
}

/** Chunks that could not be read, as the player meets them. */
function Broken({ pages }: { pages: ChunkSource }): JSX.Element | null {
  const [broken, setBroken] = useState(pages.broken);
  useEffect(() => pages.subscribe(() => setBroken(pages.broken)), [pages]);
  return broken ? <p class="form-error" role="alert">{broken} co-browse part{broken === 1 ? "" : "s"} could not be read; the replay may be incomplete.</p> : null;
}
