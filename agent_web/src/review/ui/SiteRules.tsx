// A site's business hours (per weekday: open or closed, one or more from–to spans, and the time
// zone they are in) and its co-browse masking rules (per address pattern: selectors masked,
// blocked or shown), as rows an admin adds and removes.
import type { JSX } from "preact";
import { DAY_NAMES, DAYS, NEW_SPAN, withDay, type Day, type RuleForm, type SetForm,
  type SiteForm } from "../sites";
import { focusLater } from "./hooks";

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

export function MaskingFields({ form, set }: { form: SiteForm; set: SetForm }): JSX.Element {
  const put = (i: number, change: Partial<RuleForm>) =>
    set({ ...form, rules: form.rules.map((r, j) => (j === i ? { ...r, ...change } : r)) });
  const selectors = (i: number, field: "mask" | "block" | "unmask", label: string) => (
    <label class="field">
      <span>{label}</span>
      <textarea rows={2} value={form.rules[i]?.[field] ?? ""} placeholder=".balance"
        onInput={(e) => put(i, { [field]: e.currentTarget.value })} />
    </label>
  );
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
      <label class="field rv-assets">
        <span>Where the store's pictures, fonts and stylesheets also come from (a CDN), one origin a line</span>
        <textarea rows={2} value={form.assetOrigins} placeholder="https://cdn.shop.example"
          onInput={(e) => set({ ...form, assetOrigins: e.currentTarget.value })} />
      </label>
    </fieldset>
  );
}
