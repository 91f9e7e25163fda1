// Labelled form controls for the checkout. Every control is controlled: its value comes from
// the app's state and each keystroke goes back through `onValue`.
import type { ComponentChildren } from "preact";

interface FieldFrameProps {
  id: string;
  label: string;
  optional?: boolean;
  hint?: string;
  error?: string | undefined;
  className?: string;
  children: ComponentChildren;
}

function FieldFrame({ id, label, optional, hint, error, className, children }: FieldFrameProps) {
  return (
    <div class={`field${className ? ` ${className}` : ""}${error ? " has-error" : ""}`}>
      <label for={id}>
        {label}
        {optional && <span class="optional"> (optional)</span>}
      </label>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {children}
      {error && (
        <p id={`${id}-error`} class="field-error" data-testid={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

function describedBy(id: string, hint: string | undefined, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

export interface TextFieldProps {
  id: string;
  name: string;
  label: string;
  value: string;
  onValue: (value: string, input: HTMLInputElement) => void;
  error?: string | undefined;
  type?: "text" | "email" | "tel" | "date";
  autocomplete?: string;
  inputmode?: "text" | "email" | "tel" | "numeric";
  placeholder?: string;
  hint?: string;
  optional?: boolean;
  maxLength?: number;
  min?: string;
  className?: string;
}

export function TextField(props: TextFieldProps) {
  const { id, name, label, value, onValue, error, hint, optional, className } = props;
  return (
    <FieldFrame id={id} label={label} optional={optional} hint={hint} error={error} className={className}>
      <input
        id={id}
        name={name}
        type={props.type ?? "text"}
        value={value}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        placeholder={props.placeholder}
        maxLength={props.maxLength}
        min={props.min}
        required={!optional}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(id, hint, error)}
        spellcheck={false}
        onInput={(e) => onValue(e.currentTarget.value, e.currentTarget)}
      />
    </FieldFrame>
  );
}

export interface TextAreaFieldProps {
  id: string;
  name: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  maxLength: number;
  hint?: string;
}

export function TextAreaField({ id, name, label, value, onValue, maxLength, hint }: TextAreaFieldProps) {
  return (
    <FieldFrame id={id} label={label} optional hint={hint}>
      <textarea
        id={id}
        name={name}
        value={value}
        maxLength={maxLength}
        rows={3}
        aria-describedby={[hint ? `${id}-hint` : "", `${id}-count`].filter(Boolean).join(" ")}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
      <p id={`${id}-count`} class="hint counter" aria-live="polite">
        {value.length}/{maxLength}
      </p>
    </FieldFrame>
  );
}

export interface SelectFieldProps {
  id: string;
  name: string;
  label: string;
  value: string;
  options: readonly (readonly [value: string, label: string])[];
  onValue: (value: string) => void;
  autocomplete?: string;
}

export function SelectField({ id, name, label, value, options, onValue, autocomplete }: SelectFieldProps) {
  return (
    <FieldFrame id={id} label={label}>
      <select id={id} name={name} value={value} autocomplete={autocomplete} onChange={(e) => onValue(e.currentTarget.value)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
