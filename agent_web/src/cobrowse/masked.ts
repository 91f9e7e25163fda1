// Masked form fields in a mirror (the live view and the review replay). The shopper's page sends
// a field's value as `*`s (a list's choice as one `*`) and never which option is selected, so
// rebuilt as sent, a <select> shows its first option, a number or date field nothing, a range or
// colour one a value of its own: choices the shopper did not make. Here such a field shows that
// it is hidden instead: no option selected, and a mark the mirror's style draws as "••• hidden".
// rrweb rebuilds fields, re-sets attributes (dropping the mark) and lets a list pick its first
// option again when options are added, so each field's last value is kept and its display put
// back after every event and every flush. Nothing is added to the mirror's tree but the mark.

import type { playerConfig, Replayer } from "@rrweb/replay";

type ReplayPlugin = NonNullable<playerConfig["plugins"]>[number];

/** Set on a mirrored field whose value is hidden; only the mirror's style reads it. */
export const HIDDEN_MARK = "data-aisle-hidden-value";

const LABEL_SVG = "<svg xmlns='http://www.w3.org/2000/svg' width='76' height='16'>" +
  "<text x='0' y='12' font-family='system-ui, sans-serif' font-size='12' fill='#4b5563'>" +
  "\u2022\u2022\u2022 hidden</text></svg>";
const LABEL = `url("data:image/svg+xml,${encodeURIComponent(LABEL_SVG)}")`;

const MARKED = `[${HIDDEN_MARK}]`;

/** What the field would still draw of a value of its own: a range's thumb, a colour's swatch. */
const OWN_VALUE_PARTS = ["::-webkit-slider-thumb", "::-moz-range-thumb",
                         "::-webkit-color-swatch-wrapper", "::-moz-color-swatch"];

function selectorSupported(selector: string): boolean {
  return typeof CSS !== "undefined" && CSS.supports(`selector(${selector})`);
}

/** For the replayer's `insertStyleRules`, one rule each. rrweb inserts them unguarded, and a
 * rule the browser cannot parse would stop the mirror from being built: the vendor parts only
 * where `supports` them. */
export function hiddenFieldStyles(supports: (selector: string) => boolean = selectorSupported
): string[] {
  return [
    `${MARKED} { appearance: none !important; background: #eceff3 ${LABEL} no-repeat 0.5em ` +
      "center !important; outline: 1px dashed #6b7280 !important; " +
      "outline-offset: -1px !important; }",
    // A list box shows its (unchosen) options: the label goes beside them.
    `select${MARKED}[multiple], select${MARKED}[size]:not([size="1"]) { background-position: ` +
      "right 0.5em top 0.4em !important; }",
    // Whatever the field would show of its own (an empty date's "mm/dd/yyyy", a placeholder).
    `input${MARKED} { color: transparent !important; ` +
      "-webkit-text-fill-color: transparent !important; }",
    `input${MARKED}::placeholder { color: transparent !important; }`,
    ...OWN_VALUE_PARTS.map((part) => `input${MARKED}${part}`).filter(supports)
      .map((selector) => `${selector} { visibility: hidden !important; }`),
  ];
}

/** A value the shopper's page masked; "" is an empty field, no secret. */
export function isMasked(text: string): boolean {
  return /^\*+$/.test(text);
}

/** The option a mirrored list shows for the value it was given: none for a masked one (the
 * page never says which, and an option whose text was masked to `*` must not look chosen),
 * else the first of that value, as the list itself would. */
export function optionToShow(values: readonly string[], text: string): number {
  return isMasked(text) ? -1 : values.indexOf(text);
}

/** Inputs whose value is not data (their `value` is a label or a fixed token). */
const NOT_DATA = new Set(["checkbox", "radio", "button", "submit", "reset", "image", "hidden"]);

/** Whether a field says its value is hidden: a list whose choice was masked; an input whose
 * masked value it cannot show as `*`s (a number, a date, a colour empties or replaces it). */
export function saysHidden(tag: string, type: string, text: string, shown: string): boolean {
  if (!isMasked(text)) return false;
  if (tag === "select") return true;
  return tag === "input" && !NOT_DATA.has(type) && shown !== text;
}

type Field = HTMLSelectElement | HTMLInputElement;

function asField(node: unknown): Field | null {
  const el = node as Element | null;
  if (!el || el.nodeType !== 1) return null;
  return el.tagName === "SELECT" || el.tagName === "INPUT" ? (el as Field) : null;
}

const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
const MUTATION = 0;
const INPUT = 5;

/** One replayer's masked fields: pass `plugin` to the Replayer, then `follow(replayer)`. */
export class HiddenFields {
  /** The value rrweb last gave each field: its `value` attribute when built, then its input
   * events. */
  private readonly values = new WeakMap<Element, string>();
  private readonly fields = new Set<Field>();
  /** Input events for nodes not in the page yet (a seek builds them at the flush). */
  private readonly pending = new Map<number, string>();

  readonly plugin: ReplayPlugin = {
    onBuild: (node) => {
      const field = asField(node);
      if (!field) return;
      // A node a seek built after its input event was applied keeps that event's value.
      if (!this.values.has(field)) this.values.set(field, field.getAttribute("value") ?? "");
      this.fields.add(field);
      this.show(field);
    },
    handler: (event, isSync, { replayer }) => {
      const { type, data } = event as { type: number; data: { source?: unknown; id?: unknown;
                                                                text?: unknown } };
      if (type === FULL_SNAPSHOT) {
        this.pending.clear(); // the rebuilt fields carry their own values
        this.refresh(replayer, true);
      } else if (type === INCREMENTAL && data.source === INPUT) {
        if (typeof data.id !== "number" || typeof data.text !== "string") return;
        const field = asField(replayer.getMirror().getNode(data.id));
        if (!field) {
          this.pending.set(data.id, data.text);
          return;
        }
        this.values.set(field, data.text);
        this.fields.add(field);
        this.show(field);
      } else if (type === INCREMENTAL && data.source === MUTATION && !isSync) {
        // Options added to a list, attributes re-set. (A seek's mutations land at its flush,
        // which puts every field back once.)
        this.refresh(replayer, false);
      }
    },
  };

  /** A seek applies its events to a virtual DOM and writes it to the page at the flush, which
   * re-sets every attribute and applies the input events: the display is put back after. */
  follow(replayer: Replayer): void {
    replayer.on("flush", () => this.refresh(replayer, true));
  }

  /** Puts every field's display back; `settled`: the page is written, so an input event whose
   * field is still missing will never find it. */
  private refresh(replayer: Replayer, settled: boolean): void {
    for (const [id, text] of this.pending) {
      const field = asField(replayer.getMirror().getNode(id));
      if (!field) continue;
      this.values.set(field, text);
      this.fields.add(field);
      this.pending.delete(id);
    }
    if (settled) this.pending.clear();
    for (const field of this.fields) {
      if (field.isConnected) this.show(field);
      else this.fields.delete(field);
    }
  }

  private show(field: Field): void {
    const text = this.values.get(field) ?? "";
    const tag = field.tagName.toLowerCase();
    if (field.tagName === "SELECT") {
      const select = field as HTMLSelectElement;
      const index = optionToShow(Array.from(select.options, (o) => o.value), text);
      if (select.selectedIndex !== index) select.selectedIndex = index;
    }
    const type = (field.getAttribute("type") ?? "text").toLowerCase();
    const hidden = saysHidden(tag, type, text, field.value);
    if (hidden !== field.hasAttribute(HIDDEN_MARK)) field.toggleAttribute(HIDDEN_MARK, hidden);
  }
}
