// Canned responses: the agent's own, and (supervisors) their teams'.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { FieldProblem } from "../net/fields";
import type { AgentInfo, CannedResponse } from "../protocol.gen";
import { isSupervisor } from "../state/app";
import { cannedProblem } from "../state/canned";
import { useController } from "./hooks";
import { IconBolt } from "./Icons";

interface Draft {
  id: string | null;
  shortcut: string;
  text: string;
  /** "personal" or a team name. */
  scope: string;
}

const EMPTY: Draft = { id: null, shortcut: "", text: "", scope: "personal" };

export function CannedManager({ canned, me }: { canned: CannedResponse[]; me: AgentInfo }): JSX.Element {
  const c = useController();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<FieldProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const supervisor = isSupervisor(me);
  const editable = (r: CannedResponse): boolean => r.scope === "personal" || (supervisor && (me.role === "admin" || me.teams.includes(r.team ?? "")));

  /** Shows why not: beside its field, which gets the focus, or under the form. */
  const refuse = (problem: FieldProblem, form: HTMLFormElement): void => {
    setError(problem);
    if (problem.field) setTimeout(() => form.querySelector<HTMLElement>(`#canned-${problem.field}`)?.focus(), 0);
  };
  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    // Busy: the button says so (aria-disabled) but keeps the focus, which `disabled` would drop.
    if (busy) return;
    const form = e.currentTarget as HTMLFormElement;
    setDone(null);
    const shortcut = draft.shortcut.trim().replace(/^\//, "").toLowerCase();
    const problem = cannedProblem(shortcut, draft.text);
    if (problem) {
      refuse(problem, form);
      return;
    }
    setBusy(true);
    const team = draft.scope === "personal" ? null : draft.scope;
    const failed = await c.actions.saveCanned({ id: draft.id, scope: team ? "team" : "personal", team, shortcut, text: draft.text.trim() });
    setBusy(false);
    if (failed) {
      refuse(failed, form);
      return;
    }
    setError(null);
    setDone(`${draft.id ? "Saved" : "Added"} /${shortcut}.`);
    setDraft(EMPTY);
  };
  const remove = async (r: CannedResponse): Promise<void> => {
    const failed = await c.actions.deleteCanned(r.id);
    setError(failed ? { text: failed, field: null } : null);
    setDone(failed ? null : `Deleted /${r.shortcut}.`);
    if (draft.id === r.id) setDraft(EMPTY);
  };
  const edit = (next: Draft): void => {
    setDraft(next);
    setDone(null);
    if (error?.field) setError(null);
  };
  const said = (field: string): string | null => (error?.field === field ? error.text : null);

  return (
    <div class="page">
      <div class="page-head">
        <div>
          <h1>Canned responses</h1>
          <p class="muted">Type <kbd>/</kbd> and a shortcut in the composer to insert one. Use <code>{"{visitor_name}"}</code>, <code>{"{first_name}"}</code> and <code>{"{agent_name}"}</code> as placeholders.</p>
        </div>
      </div>
      <div class="two-col">
        <form class="card form-card" onSubmit={save} aria-labelledby="canned-form-title">
          <h2 id="canned-form-title">{draft.id ? "Edit response" : "New response"}</h2>
          <div class="field">
            <label for="canned-shortcut">Shortcut</label>
            <div class="input-prefix"><span aria-hidden="true">/</span>
              <input id="canned-shortcut" value={draft.shortcut} maxLength={32} placeholder="shipping"
                aria-invalid={said("shortcut") ? true : undefined}
                aria-describedby={said("shortcut") ? "canned-shortcut-error" : undefined}
                onInput={(e) => edit({ ...draft, shortcut: e.currentTarget.value })} />
            </div>
            {said("shortcut") ? <small class="field-error" id="canned-shortcut-error">{said("shortcut")}</small> : null}
          </div>
          <div class="field">
            <label for="canned-text">Text</label>
            <textarea id="canned-text" rows={5} maxLength={4000} value={draft.text}
              placeholder="Hi {visitor_name}, orders ship within 24 hours."
              aria-invalid={said("text") ? true : undefined}
              aria-describedby={said("text") ? "canned-text-error" : undefined}
              onInput={(e) => edit({ ...draft, text: e.currentTarget.value })} />
            {said("text") ? <small class="field-error" id="canned-text-error">{said("text")}</small> : null}
          </div>
          <label class="field">
            <span>Who can use it</span>
            <select id="canned-scope" value={draft.scope} onChange={(e) => setDraft({ ...draft, scope: e.currentTarget.value })}>
              <option value="personal">Only me</option>
              {supervisor ? me.teams.map((t) => <option value={t}>Team: {t}</option>) : null}
            </select>
          </label>
          {error && !error.field ? <p class="form-error" role="alert">{error.text}</p> : null}
          {done ? <p class="form-ok" role="status">{done}</p> : null}
          <div class="form-actions">
            {draft.id ? <button type="button" class="btn btn-ghost" onClick={() => { setDraft(EMPTY); setError(null); }}>Cancel</button> : null}
            <button type="submit" class="btn btn-primary" aria-disabled={busy ? true : undefined}>{draft.id ? "Save changes" : "Add response"}</button>
          </div>
        </form>
        <section class="card" aria-labelledby="canned-list-title">
          <h2 id="canned-list-title">Your responses <span class="count-pill">{canned.length}</span></h2>
          {canned.length === 0 ? (
            <div class="empty small"><IconBolt size={26} /><p class="muted">No canned responses yet.</p></div>
          ) : (
            <ul class="canned-list">
              {canned.map((r) => (
                <li key={r.id} data-shortcut={r.shortcut}>
                  <div class="canned-row-top">
                    <code class="canned-short">/{r.shortcut}</code>
                    <span class="chip">{r.scope === "team" ? `team · ${r.team}` : "personal"}</span>
                    {editable(r) ? (
                      <span class="row-actions">
                        <button type="button" class="link" onClick={() => { setDraft({ id: r.id, shortcut: r.shortcut, text: r.text, scope: r.team ?? "personal" }); setError(null); setDone(null); }}
                          aria-label={`Edit /${r.shortcut}`}>Edit</button>
                        <button type="button" class="link danger" onClick={() => void remove(r)} aria-label={`Delete /${r.shortcut}`}>Delete</button>
                      </span>
                    ) : null}
                  </div>
                  <p class="canned-body">{r.text}</p>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
