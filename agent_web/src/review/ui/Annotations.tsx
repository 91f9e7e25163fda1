// Annotations: a note at the current moment or over a range (start and end taken from the
// clock), visible to every reviewer; listed in time order, each seeks there; one's own can be
// reworded, and deleted (supervisors: anyone's).
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { explain } from "../api";
import type { Engine } from "../player/engine";
import { formatTime } from "../timeline";
import type { Annotation } from "../types";
import { isSupervisor, usePlayer, useReview } from "./hooks";
import { IconEdit, IconTrash } from "./icons";

const MAX_TEXT = 4000;

export function Annotations({ engine, id, annotations, onChange }: {
  engine: Engine; id: string; annotations: Annotation[]; onChange(a: Annotation[]): void;
}): JSX.Element {
  const { api, me } = useReview();
  const now = usePlayer(engine, (s) => Math.floor(s.t));
  const [mode, setMode] = useState<"point" | "range">("point");
  const [start, setStart] = useState<number | null>(null);
  const [end, setEnd] = useState<number | null>(null);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const sorted = [...annotations].sort((a, b) => a.at_ms - b.at_ms || a.created_at - b.created_at);
  const rangeStart = start ?? now;
  const rangeEnd = end ?? Math.max(now, rangeStart);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const body = text.trim();
    if (!body) {
      setError("Write the annotation first.");
      return;
    }
    const at = mode === "point" ? now : Math.min(rangeStart, rangeEnd);
    const until = mode === "point" ? null : Math.max(rangeStart, rangeEnd);
    if (until !== null && until === at) {
      setError("A range needs an end after its start: set the end at a later moment.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await api.annotate(id, { at_ms: at, end_ms: until, text: body });
      onChange([...annotations.filter((a) => a.id !== created.id), created]);
      setText("");
      setStart(mode === "range" ? now : null);
      setEnd(null);
    } catch (err) {
      setError(explain(err));
    } finally {
      setBusy(false);
    }
  };

  const [confirming, setConfirming] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);

  const saveEdit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!editing) return;
    const body = editing.text.trim();
    if (!body) {
      setError("An annotation needs words: delete it instead.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const edited = await api.editAnnotation(id, editing.id, body);
      onChange(annotations.map((a) => (a.id === edited.id ? edited : a)));
      setEditing(null);
    } catch (err) {
      setError(explain(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (a: Annotation): Promise<void> => {
    if (confirming !== a.id) {
      setConfirming(a.id);
      return;
    }
    setConfirming(null);
    try {
      await api.deleteAnnotation(id, a.id);
      onChange(annotations.filter((x) => x.id !== a.id));
    } catch (err) {
      setError(explain(err));
    }
  };

  return (
    <div class="rv-annotations">
      <form class="rv-annotate" onSubmit={submit} aria-label="Add an annotation">
        <div class="rv-seg" role="radiogroup" aria-label="Annotate">
          {(["point", "range"] as const).map((m) => (
            <label class={`rv-seg-item${mode === m ? " active" : ""}`} key={m}>
              <input type="radio" name="annotation-mode" value={m} checked={mode === m}
                onChange={() => {
                  setMode(m);
                  // A range starts where the reviewer chose it: here, until they say otherwise
                  // (not wherever the playhead has got to by the time they save).
                  if (m === "range" && start === null) setStart(now);
                }} />
              {m === "point" ? `At ${formatTime(now)}` : "Over a range"}
            </label>
          ))}
        </div>
        {mode === "range" ? (
          <div class="rv-range">
            <button type="button" class="btn btn-ghost btn-sm" onClick={() => setStart(now)}>
              Start here
            </button>
            <span class="rv-range-times" aria-live="polite">{formatTime(rangeStart)} – {formatTime(rangeEnd)}</span>
            <button type="button" class="btn btn-ghost btn-sm" onClick={() => setEnd(now)}>
              End here
            </button>
          </div>
        ) : null}
        <label class="visually-hidden" for="annotation-text">Annotation</label>
        <textarea id="annotation-text" rows={3} maxLength={MAX_TEXT} value={text}
          placeholder={mode === "point" ? "What happens at this moment?" : "What happens in this stretch?"}
          onInput={(e) => setText(e.currentTarget.value)} />
        {error ? <p class="form-error" role="alert">{error}</p> : null}
        <div class="form-actions">
          <button type="submit" class="btn btn-primary btn-sm" disabled={busy}>
            {busy ? "Saving…" : "Add annotation"}
          </button>
        </div>
      </form>
      {sorted.length === 0 ? <p class="empty-small">No annotations yet.</p> : (
        <ul class="rv-note-list" data-testid="annotations">
          {sorted.map((a) => (
            <li key={a.id} class="rv-note-item">
              <button type="button" class="rv-note-seek" onClick={() => engine.seek(a.at_ms)}
                aria-label={`Go to ${formatTime(a.at_ms)}`}>
                {formatTime(a.at_ms)}{a.end_ms !== null ? `–${formatTime(a.end_ms)}` : ""}
              </button>
              <div class="rv-note-body">
                {editing?.id === a.id ? (
                  <form class="rv-note-edit" onSubmit={saveEdit} aria-label={`Edit the annotation at ${formatTime(a.at_ms)}`}>
                    <label class="visually-hidden" for={`edit-${a.id}`}>Annotation</label>
                    <textarea id={`edit-${a.id}`} rows={3} maxLength={MAX_TEXT} value={editing.text}
                      onInput={(e) => setEditing({ id: a.id, text: e.currentTarget.value })} />
                    <span class="form-actions">
                      <button type="submit" class="btn btn-primary btn-sm" disabled={busy}>Save</button>
                      <button type="button" class="btn btn-ghost btn-sm" onClick={() => setEditing(null)}>Cancel</button>
                    </span>
                  </form>
                ) : <p class="rv-note-text">{a.text}</p>}
                <p class="muted small">{a.author_id === me.id ? "You" : a.author_name ?? a.author_id}</p>
              </div>
              {a.author_id === me.id && editing?.id !== a.id ? (
                <button type="button" class="icon-btn" onClick={() => setEditing({ id: a.id, text: a.text })}
                  aria-label={`Edit the annotation at ${formatTime(a.at_ms)}`} title="Edit">
                  <IconEdit size={16} />
                </button>
              ) : null}
              {a.author_id === me.id || isSupervisor(me) ? (
                confirming === a.id ? (
                  <span class="rv-confirm">
                    <button type="button" class="btn btn-danger btn-sm" onClick={() => void remove(a)}>Delete</button>
                    <button type="button" class="btn btn-ghost btn-sm" onClick={() => setConfirming(null)}>Keep</button>
                  </span>
                ) : (
                  <button type="button" class="icon-btn" onClick={() => void remove(a)}
                    aria-label={`Delete the annotation at ${formatTime(a.at_ms)}`} title="Delete">
                    <IconTrash size={16} />
                  </button>
                )
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
