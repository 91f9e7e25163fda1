// A site's business hours (per weekday: open or closed, one or more from–to spans, and the time
// zone they are in) and its co-browse masking rules (per address pattern: selectors masked,
// blocked or shown, and the address parameters hidden), as rows an admin adds and removes. Hours that never open are pointed out;
// selectors this browser cannot read are marked on their field once a save is refused for them
// (the widget would drop them).
import type { JSX } from "preact";
import { badSelectors, DAY_NAMES, DAYS, NEW_SPAN, neverOpens, selectorProblem, withDay, type Day,
  type RuleForm, type SelectorField, type SetForm, type SiteForm } from "../sites";
import { focusLater } from "./hooks";

/** Whether this browser reads `selector` (the shopper's browser applies the same syntax). */
export function isSelector(selector: string): boolean {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

export function HoursFields({ form, set, timezones }: {
  form: SiteForm; set: SetForm; timezones: string[];
}): JSX.Element {
  const zones = timezones.includes(form.timezone) ? timezones : [form.timezone, ...timezones];
  return (
    <fieldset class="rv-site-section" data-testid="hours">
      <legend>Business hours</legend>
      <p class="hint">Outside them the widget offers to leave a message. A day not ticked is closed.</p>
      <label class="rv-check"><input type="checkbox" checked={form.alwaysOpen}
        onChange={(e) => set({ ...form, alwaysOpen: e.currentTarget.checked })} /> Open around the clock</label>
      {form.alwaysOpen ? null : (
        <div class="rv-hours">
          {DAYS.map((day) => <DayRow key={day} day={day} form={form} set={set} />)}
        </div>
      )}
      <div role="status">
        {neverOpens(form) ? (
          <p class="rv-warning" data-testid="never-open">Closed every day: every shopper will be asked to
            leave a message. Tick a day with its hours, or open around the clock.</p>
        ) : null}
      </div>
      <label class="field rv-timezone">
        <span>Time zone</span>
        <select name="timezone" value={form.timezone}
          onChange={(e) => set({ ...form, timezone: e.currentTarget.value })}>
          {zones.map((z) => <option key={z} value={z}>{z}</option>)}
        </select>
      </label>
    </fieldset>
  );
}

function DayRow({ day, form, set }: { day: Day; form: SiteForm; set: SetForm }): JSX.Element {
  const name = DAY_NAMES[day];
  const { open, spans } = form.days[day];
  const put = (next: typeof spans) => set({ ...form, days: { ...form.days, [day]: { open, spans: next } } });
  return (
    <div class="rv-day" role="group" aria-label={name} data-day={day}>
      <label class="rv-check rv-day-name"><input type="checkbox" checked={open}
        onChange={(e) => set(withDay(form, day, e.currentTarget.checked))} /> {name}</label>
      {open ? (
        <div class="rv-spans">
          {spans.map((s, i) => (
            <span class="rv-span" key={i}>
              <input aria-label={`${name} opens at (${i + 1})`} data-span={`${day}-${i}`} value={s.from}
                inputMode="numeric" placeholder="09:00" maxLength={5} size={5}
                onInput={(e) => put(spans.map((x, j) => (j === i ? { ...x, from: e.currentTarget.value } : x)))} />
              <span aria-hidden="true">–</span>
              <input aria-label={`${name} closes at (${i + 1})`} value={s.to}
                inputMode="numeric" placeholder="17:00" maxLength={5} size={5}
                onInput={(e) => put(spans.map((x, j) => (j === i ? { ...x, to: e.currentTarget.value } : x)))} />
              <button type="button" class="btn btn-ghost btn-sm" aria-label={`Remove ${name} hours ${i + 1}`}
                onClick={(e) => {
                  put(spans.filter((_, j) => j !== i));
                  focusLater(e.currentTarget, `[data-add-span=${day}]`);
                }}>Remove</button>
            </span>
          ))}
          <button type="button" class="btn btn-ghost btn-sm" data-add-span={day} aria-label={`Add hours on ${name}`}
            onClick={(e) => {
              put([...spans, { ...NEW_SPAN }]);
              focusLater(e.currentTarget, `[data-span="${day}-${spans.length}"]`);
            }}>Add hours</button>
        </div>
      ) : <span class="muted small">Closed</span>}
    </div>
  );
}

const NEW_RULE: RuleForm = { match: "", maskAllText: "", mask: "", block: "", unmask: "" };

/** `checked`: a save was refused for its selectors; from then on each field says its own,
 * as it is edited. (Not earlier, on leaving a field: the message appearing would move the Save
 * button away from under the pointer between press and release.) */
export function MaskingFields({ form, set, checked }: { form: SiteForm; set: SetForm; checked: boolean }): JSX.Element {
  const put = (i: number, change: Partial<RuleForm>) =>
    set({ ...form, rules: form.rules.map((r, j) => (j === i ? { ...r, ...change } : r)) });
  const bad = badSelectors(form, isSelector);
  const selectors = (i: number, field: SelectorField, label: string) => {
    const wrong = checked ? bad.find((b) => b.rule === i && b.field === field) : undefined;
    const id = `rule-${i}-${field}`;
    // The message is outside the label: it describes the field, it does not name it.
    return (
      <div class="field">
        <label for={id}>{label}</label>
        <textarea id={id} rows={2} value={form.rules[i]?.[field] ?? ""} placeholder=".balance"
          aria-invalid={wrong ? true : undefined} aria-describedby={wrong ? `${id}-error` : undefined}
          onInput={(e) => put(i, { [field]: e.currentTarget.value })} />
        {wrong ? <small class="rv-field-error" id={`${id}-error`}>{selectorProblem(wrong.selectors)}</small> : null}
      </div>
    );
  };
  return (
    <fieldset class="rv-site-section" data-testid="masking">
      <legend>Co-browsing: what agents never see</legend>
      <p class="hint">Input values, passwords and card fields are always hidden. Rules add to that on pages
        whose address matches (shell-style, e.g. <code>*/account*</code>); CSS selectors one a line.</p>
      {form.rules.map((r, i) => (
        <div class="rv-rule" role="group" aria-label={`Rule ${i + 1}`} key={i}>
          <div class="rv-filter-grid">
            <label class="field">
              <span>Pages matching</span>
              <input value={r.match} required maxLength={500} data-rule={i} placeholder="*/account*"
                onInput={(e) => put(i, { match: e.currentTarget.value })} />
            </label>
            <label class="field">
              <span>All text on those pages</span>
              <select value={r.maskAllText}
                onChange={(e) => put(i, { maskAllText: e.currentTarget.value as RuleForm["maskAllText"] })}>
                <option value="">As the kind of page says</option>
                <option value="on">Hidden</option>
                <option value="off">Shown</option>
              </select>
            </label>
            {selectors(i, "mask", "Hidden (mask)")}
            {selectors(i, "block", "Left out (block)")}
            {selectors(i, "unmask", "Shown even so (unmask)")}
          </div>
          <div class="form-actions">
            <button type="button" class="btn btn-danger-ghost btn-sm" aria-label={`Remove rule ${i + 1}`}
              onClick={(e) => {
                set({ ...form, rules: form.rules.filter((_, j) => j !== i) });
                focusLater(e.currentTarget, "[data-add=rule]");
              }}>Remove rule</button>
          </div>
        </div>
      ))}
      <button type="button" class="btn btn-ghost btn-sm" data-add="rule" onClick={(e) => {
        set({ ...form, rules: [...form.rules, { ...NEW_RULE }] });
        focusLater(e.currentTarget, `[data-rule="${form.rules.length}"]`);
      }}>Add rule</button>
      <label class="field rv-hidden-params">
        <span>Page addresses: parameters whose values agents never see, one a line</span>
        <textarea rows={2} value={form.hiddenParams} placeholder="order_ref" data-testid="hidden-url-params"
          aria-describedby="hidden-params-hint"
          onInput={(e) => set({ ...form, hiddenParams: e.currentTarget.value })} />
      </label>
      <p class="hint" id="hidden-params-hint">Tokens, codes, keys, passwords, session ids, signatures and
        e-mail addresses are always hidden where shoppers' addresses show (the pages they visit, the
        co-browse view, recordings): add your store's own names here.</p>
      <label class="field rv-assets">
        <span>Where the store's pictures, fonts and stylesheets also come from (a CDN), one origin a line</span>
        <textarea rows={2} value={form.assetOrigins} placeholder="https://cdn.shop.example"
          onInput={(e) => set({ ...form, assetOrigins: e.currentTarget.value })} />
      </label>
    </fieldset>
  );
}
