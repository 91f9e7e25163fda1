// Export: the conversation as a zip (fetched with the Authorization header, then saved — a plain
// link could not carry it), and the composed video: a background job whose progress is polled
// every second, then played here or downloaded.
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { explain, saveBlob } from "../api";
import type { Job } from "../types";
import { useReview } from "./hooks";
import { IconDownload, IconFilm } from "./icons";

const POLL_MS = 1_000;

/** `hasMedia`: a call was recorded, so there is a video to compose. */
export function Exports({ id, hasMedia }: { id: string; hasMedia: boolean }): JSX.Element {
  const { api } = useReview();
  const [zipping, setZipping] = useState(false);
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [watching, setWatching] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  const alive = useRef(true);
  useEffect(() => () => {
    alive.current = false;
    clearTimeout(timer.current);
  }, []);

  const exportZip = async (): Promise<void> => {
    setZipping(true);
    setError(null);
    try {
      saveBlob(await api.exportZip(id), `aisle-${id}.zip`);
    } catch (err) {
      setError(explain(err));
    } finally {
      setZipping(false);
    }
  };

  const follow = (current: Job): void => {
    if (!alive.current) return;
    setJob(current);
    if (current.state !== "queued" && current.state !== "running") return;
    timer.current = setTimeout(() => {
      api.job(current.id).then(follow, (err: unknown) => {
        if (!alive.current) return;
        setError(explain(err));
        setJob(null);
      });
    }, POLL_MS);
  };

  const compose = async (): Promise<void> => {
    setError(null);
    setWatching(false);
    try {
      follow(await api.compose(id));
    } catch (err) {
      setError(explain(err));
    }
  };

  const running = job !== null && (job.state === "queued" || job.state === "running");
  const pct = job ? Math.round(job.progress * 100) : 0;
  return (
    <div class="rv-exports">
      <div class="rv-export-buttons">
        <button type="button" class="btn btn-ghost" onClick={() => void exportZip()} disabled={zipping}
          data-testid="export-zip">
          <IconDownload size={16} /> {zipping ? "Preparing…" : "Export .zip"}
        </button>
        {hasMedia ? (
          <button type="button" class="btn btn-ghost" onClick={() => void compose()} disabled={running}
            data-testid="compose">
            <IconFilm size={16} /> {job?.state === "done" ? "Compose again" : "Compose video"}
          </button>
        ) : null}
      </div>
      {job ? (
        <div class="rv-job" data-testid="compose-job" data-state={job.state}>
          {running ? (
            <>
              <span class="small">{job.state === "queued" ? "Waiting to compose…" : `Composing video… ${pct}%`}</span>
              <div class="rv-progress" role="progressbar" aria-label="Composing the video" aria-valuemin={0}
                aria-valuemax={100} aria-valuenow={pct}><span style={{ width: `${pct}%` }} /></div>
            </>
          ) : job.state === "done" && job.url ? (
            <span class="rv-job-done">
              <span class="small">The composed video is ready.</span>
              <button type="button" class="link" onClick={() => setWatching(true)}>
                Play
              </button>
              <a class="link" href={job.url} download={`aisle-${id}.webm`} data-testid="composed-download">Download</a>
            </span>
          ) : (
            <span class="form-error small" role="alert">The video could not be composed{job.error ? `: ${job.error}` : "."}</span>
          )}
        </div>
      ) : null}
      {error ? <p class="form-error small" role="alert">{error}</p> : null}
      {watching && job?.url ? <Watch url={job.url} onClose={() => setWatching(false)} /> : null}
    </div>
  );
}

function Watch({ url, onClose }: { url: string; onClose(): void }): JSX.Element {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    close.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    document.addEventListener("keydown", onKey, true);
    return () => {
      document.removeEventListener("keydown", onKey, true);
      opener?.focus();
    };
  }, []);
  return (
    <div class="rv-modal-backdrop" onClick={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div class="rv-modal card" role="dialog" aria-modal="true" aria-labelledby="composed-title">
        <div class="rv-panel-head">
          <h2 id="composed-title">Composed video</h2>
          <button type="button" class="btn btn-ghost btn-sm" ref={close} onClick={onClose}>Close</button>
        </div>
        <video class="rv-composed" src={url} controls preload="metadata" data-testid="composed-video"
          aria-label="The composed video" />
      </div>
    </div>
  );
}
