// One site's form: name and origins, the embed tag, topics, the widget's look, and what is
// recorded; hours and masking rules are in SiteRules.tsx. Saved as one change: the server checks
// every value before writing any, and says which one it refused; masking selectors this browser
// cannot read are refused here first, as the server cannot tell.
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { Site } from "../../protocol.gen";
import { fieldOf, type FieldProblem } from "../../net/fields";
import { badSelectors, changesOf, formOf, problemOf, type SetForm, type SiteForm } from "../sites";
import { focusLater, useReview } from "./hooks";
import { HoursFields, isSelector, MaskingFields } from "./SiteRules";

/** The fields a refusal is shown beside (the server names them in `details.field`); the others'
 * refusals are said under the form. */
const EDITOR_FIELDS = { name: null, origins: null };

export function SiteEditor({ site, teams, timezones, onSaved, onClose }: {
  site: Site; teams: string[]; timezones: string[]; onSaved: (s: Site) => void; onClose: () => void;
}): JSX.Element {
  const { api } = useReview();
  const [form, setForm] = useState<SiteForm>(() => formOf(site));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<FieldProblem | null>(null);
  const [saved, setSaved] = useState(false);
  const [refused, setRefused] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const set: SetForm = (next) => {
    setForm(next);
    setSaved(false);
  };
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setSaved(false);
    const bad = badSelectors(form, isSelector);
    const first = bad[0];
    if (first) {
      const count = bad.reduce((n, b) => n + b.selectors.length, 0);
      setRefused(true);
      setProblem({ text: `Not saved: ${count === 1 ? "a masking selector is" : `${count} masking selectors are`} not valid CSS: see the field marked in red.`, field: null });
      focusLater(e.currentTarget, `#rule-${first.rule}-${first.field}`);
      return;
    }
    // Busy: the button says so (aria-disabled) but keeps the focus, which `disabled` would drop
    // (and the page would scroll away from the form).
    if (busy) return;
    const target = e.currentTarget;
    setBusy(true);
    setProblem(null);
    try {
      const fresh = await api.changeSite(site.key, changesOf(form));
      onSaved(fresh);
      setForm(formOf(fresh));
      setRefused(false);
      setSaved(true);
    } catch (err) {
      const field = fieldOf(err, EDITOR_FIELDS);
      setProblem({ text: problemOf(err), field });
      if (field) focusLater(target, `[name=${field}]`);
    } finally {
      setBusy(false);
    }
  };
  const id = `site-${site.key}`;
  const said = (field: string): string | null => (problem?.field === field ? problem.text : null);
  return (
    <form class="card rv-site-form" aria-labelledby={id} onSubmit={(e) => void submit(e)}>
      <h2 id={id} ref={heading} tabIndex={-1}>Edit {site.name}</h2>
      <EmbedTag embed={site.embed} />
      <fieldset class="rv-site-section">
        <legend>The store</legend>
        <div class="rv-filter-grid">
          <div class="field">
            <label for={`${id}-name`}>Store name</label>
            <input id={`${id}-name`} name="name" value={form.name} required maxLength={80}
              aria-invalid={said("name") ? true : undefined} aria-describedby={said("name") ? `${id}-name-error` : undefined}
              onInput={(e) => set({ ...form, name: e.currentTarget.value })} />
            {said("name") ? <small class="field-error" id={`${id}-name-error`}>{said("name")}</small> : null}
          </div>
          <div class="field rv-wide">
            <label for={`${id}-origins`}>Allowed origins, one a line</label>
            <textarea id={`${id}-origins`} name="origins" rows={3} value={form.origins}
              aria-invalid={said("origins") ? true : undefined}
              aria-describedby={said("origins") ? `${id}-origins-error ${id}-origins-hint` : `${id}-origins-hint`}
              onInput={(e) => set({ ...form, origins: e.currentTarget.value })} />
            {said("origins") ? <small class="field-error" id={`${id}-origins-error`}>{said("origins")}</small> : null}
            <small class="hint" id={`${id}-origins-hint`}>The addresses of the store's pages, such as
              https://shop.example (no path); <code>self</code> is Aisle's own address.</small>
          </div>
          <div class="field rv-wide">
            <label class="rv-check">
              <input type="checkbox" name="enabled" checked={form.enabled} aria-describedby={`${id}-enabled-hint`}
                onChange={(e) => set({ ...form, enabled: e.currentTarget.checked })} />
              Chat on the store's pages
            </label>
            <small class="hint" id={`${id}-enabled-hint`}>Turned off, the chat button no longer appears on
              the store and no chat starts; chats already open go on until they end.</small>
          </div>
        </div>
      </fieldset>
      <TopicRows form={form} set={set} teams={teams} />
      <HoursFields form={form} set={set} timezones={timezones} />
      <ThemeFields form={form} set={set} />
      <RecordingFields form={form} set={set} />
      <MaskingFields form={form} set={set} checked={refused} />
      {problem && !problem.field ? <p class="form-error" role="alert">{problem.text}</p> : null}
      {saved ? <p class="form-ok" role="status">Saved. Open chat widgets of the store follow at
        once, masking on pages being shared included.</p> : null}
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={onClose}>Close</button>
        <button type="submit" class="btn btn-primary" aria-disabled={busy ? true : undefined}>Save</button>
      </div>
    </form>
  );
}

function EmbedTag({ embed }: { embed: string }): JSX.Element {
  const text = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(embed);
      setCopied("Copied.");
    } catch {
      // No clipboard (a page not served over HTTPS): the text is selected for Ctrl+C.
      text.current?.select();
      setCopied("Selected: press Ctrl+C (⌘C) to copy.");
    }
  };
  return (
    <div class="rv-embed">
      <label class="field">
        <span>Embed tag: put it on every page of the store</span>
        <textarea ref={text} readOnly rows={2} value={embed} data-testid="embed"
          onFocus={(e) => e.currentTarget.select()} />
      </label>
      <div class="rv-embed-actions">
        <button type="button" class="btn btn-ghost btn-sm" onClick={() => void copy()}>Copy embed tag</button>
        <span class="muted small" role="status">{copied}</span>
      </div>
    </div>
  );
}

function TopicRows({ form, set, teams }: { form: SiteForm; set: SetForm; teams: string[] }): JSX.Element {
  const topics = form.topics;
  const put = (i: number, change: Partial<SiteForm["topics"][number]>) =>
    set({ ...form, topics: topics.map((t, j) => (j === i ? { ...t, ...change } : t)) });
  return (
    <fieldset class="rv-site-section">
      <legend>Topics</legend>
      <p class="hint">What the shopper picks before chatting; each sends the chat to a team.</p>
      <table class="table rv-rows-table" data-testid="topics">
        <thead>
          <tr><th scope="col">ID</th><th scope="col">Label shoppers see</th><th scope="col">Team</th>
            <th scope="col"><span class="visually-hidden">Remove</span></th></tr>
        </thead>
        <tbody>
          {topics.map((t, i) => {
            const options = teams.includes(t.team) || !t.team ? teams : [t.team, ...teams];
            return (
              <tr key={i}>
                <td><input aria-label={`Topic ${i + 1} ID`} data-topic={i} value={t.id} required maxLength={64}
                  pattern="[A-Za-z0-9_\-]+" title="Letters, digits, - and _"
                  onInput={(e) => put(i, { id: e.currentTarget.value })} /></td>
                <td><input aria-label={`Topic ${i + 1} label`} value={t.label} required maxLength={200}
                  onInput={(e) => put(i, { label: e.currentTarget.value })} /></td>
                <td>
                  <select aria-label={`Topic ${i + 1} team`} value={t.team}
                    onChange={(e) => put(i, { team: e.currentTarget.value })}>
                    {options.map((team) => <option key={team} value={team}>{team}</option>)}
                  </select>
                </td>
                <td class="rv-actions">
                  <button type="button" class="btn btn-danger-ghost btn-sm" disabled={topics.length === 1}
                    aria-label={`Remove topic ${i + 1}`} title={topics.length === 1 ? "A site needs a topic" : undefined}
                    onClick={(e) => {
                      set({ ...form, topics: topics.filter((_, j) => j !== i) });
                      focusLater(e.currentTarget, "[data-add=topic]");
                    }}>Remove</button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button type="button" class="btn btn-ghost btn-sm" data-add="topic" onClick={(e) => {
        set({ ...form, topics: [...topics, { id: "", label: "", team: teams[0] ?? "" }] });
        focusLater(e.currentTarget, `[data-topic="${topics.length}"]`);
      }}>Add topic</button>
    </fieldset>
  );
}

function ThemeFields({ form, set }: { form: SiteForm; set: SetForm }): JSX.Element {
  return (
    <fieldset class="rv-site-section">
      <legend>The widget's look</legend>
      <div class="rv-filter-grid">
        <label class="field">
          <span>Colour</span>
          <input type="color" name="color" value={form.color} class="rv-color"
            onInput={(e) => set({ ...form, color: e.currentTarget.value })} />
        </label>
        <label class="field">
          <span>Side of the page</span>
          <select name="position" value={form.position}
            onChange={(e) => set({ ...form, position: e.currentTarget.value === "left" ? "left" : "right" })}>
            <option value="right">Right</option>
            <option value="left">Left</option>
          </select>
        </label>
        <label class="field rv-wide">
          <span>Greeting</span>
          <input name="greeting" value={form.greeting} maxLength={200}
            onInput={(e) => set({ ...form, greeting: e.currentTarget.value })} />
        </label>
      </div>
    </fieldset>
  );
}

function RecordingFields({ form, set }: { form: SiteForm; set: SetForm }): JSX.Element {
  return (
    <fieldset class="rv-site-section">
      <legend>Recording</legend>
      <p class="hint">Chats are always kept. Co-browsing and calls are recorded as set here.</p>
      <div class="rv-checks">
        <label class="rv-check"><input type="checkbox" checked={form.recordCobrowse}
          onChange={(e) => set({ ...form, recordCobrowse: e.currentTarget.checked })} /> Record co-browsing</label>
        <label class="rv-check"><input type="checkbox" checked={form.recordCalls}
          onChange={(e) => set({ ...form, recordCalls: e.currentTarget.checked })} /> Record calls</label>
        <label class="rv-check"><input type="checkbox" checked={form.agentsReviewOwn}
          onChange={(e) => set({ ...form, agentsReviewOwn: e.currentTarget.checked })} /> Agents may replay
          their own conversations</label>
      </div>
      <div class="rv-filter-grid">
        <label class="field">
          <span>Before recording</span>
          <select name="notice" value={form.notice}
            onChange={(e) => set({ ...form, notice: e.currentTarget.value === "consent" ? "consent" : "notice" })}>
            <option value="notice">Tell the shopper</option>
            <option value="consent">Ask the shopper's consent</option>
          </select>
        </label>
        <label class="field">
          <span>Delete recordings after (days)</span>
          <input type="number" name="retention_days" min={1} max={36500} step={1} value={form.retentionDays}
            placeholder="Keep them" onInput={(e) => set({ ...form, retentionDays: e.currentTarget.value })} />
        </label>
        <label class="field rv-wide">
          <span>Pages not recorded, one address pattern a line</span>
          <textarea name="pause_urls" rows={2} value={form.pauseUrls}
            onInput={(e) => set({ ...form, pauseUrls: e.currentTarget.value })} />
          <small class="hint">Shell-style, e.g. <code>*/checkout*</code>: <code>*</code> is any run of characters.</small>
        </label>
      </div>
    </fieldset>
  );
}
