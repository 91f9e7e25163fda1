// Which field of a form a refused request is about, so that the error is shown beside it and
// the field marked (aria-invalid) and focused.
import { RequestError } from "./session";

/** A refusal in words, and the form field it names (null: about the form as a whole). */
export interface FieldProblem {
  text: string;
  field: string | null;
}

/** The form's fields by name, each with the words that name it in a server message (used only
 * when the error body does not say which field it is about). */
export type FieldWords = Readonly<Record<string, RegExp | null>>;

/** The field `err` is about: the error body's `details.field`, else the first of its schema
 * errors' `loc` that is a field of the form, else — for a refusal of a value (conflict, invalid
 * payload) — the one field whose words its message holds. Null when none or several match. */
export function fieldOf(err: unknown, fields: FieldWords): string | null {
  if (!(err instanceof RequestError)) return null;
  const known = (name: unknown): string | null =>
    typeof name === "string" && Object.prototype.hasOwnProperty.call(fields, name) ? name : null;
  const named = known(err.details?.["field"]);
  if (named) return named;
  const errors = err.details?.["errors"];
  if (Array.isArray(errors)) {
    for (const e of errors as { loc?: unknown }[]) {
      const field = known(String(e?.loc ?? "").split(".")[0]);
      if (field) return field;
    }
  }
  if (err.code !== "conflict" && err.code !== "invalid_payload") return null;
  const said = Object.entries(fields).filter(([, words]) => words?.test(err.message));
  return said.length === 1 ? said[0]![0] : null;
}

