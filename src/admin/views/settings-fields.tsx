/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Form controls for the settings pages: every control has a label; a hint and an error sit
// next to it and are tied to it (aria-describedby), and a refused field says so
// (aria-invalid). The summary at the top links to each refused field.
import type { Child } from 'hono/jsx';
import type { FieldErrors } from '../settings/form.ts';
import { Flash } from '../layout.tsx';

/** The element id for a form field's name ("variants.1.name" → "f-variants-1-name"). */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function aria(name: string, errors: FieldErrors, hint: Child | undefined) {
  const id = fieldId(name);
  const ids = [hint ? `${id}-hint` : null, errors[name] ? `${id}-error` : null].filter(Boolean).join(' ');
  return { id, 'aria-invalid': errors[name] ? ('true' as const) : undefined, 'aria-describedby': ids || undefined };
}

function Hint(props: { name: string; hint?: Child }) {
  return props.hint ? <span class="hint" id={`${fieldId(props.name)}-hint`}>{props.hint}</span> : null;
}

export function FieldError(props: { name: string; errors: FieldErrors }) {
  const message = props.errors[props.name];
  return message ? <span class="field-error" id={`${fieldId(props.name)}-error`}>{message}</span> : null;
}

/** "Not saved: 2 problems" with a link to each field. `labels` names the fields in the list. */
export function ErrorSummary(props: { errors: FieldErrors; labels?: Record<string, string> }) {
  const entries = Object.entries(props.errors);
  if (entries.length === 0) return null;
  return (
    <Flash kind="error">
      <p><strong>Not saved: {entries.length === 1 ? 'one thing needs' : `${entries.length} things need`} fixing.</strong></p>
      <ul data-error-summary>
        {entries.map(([name, message]) => (
          <li><a href={`#${fieldId(name)}`}>{props.labels?.[name] ? `${props.labels[name]}: ` : ''}{message}</a></li>
        ))}
      </ul>
    </Flash>
  );
}

interface Common {
  name: string;
  label: Child;
  errors: FieldErrors;
  hint?: Child;
}

export function TextField(props: Common & {
  value: string;
  type?: 'text' | 'email' | 'url' | 'number' | 'date';
  isRequired?: boolean;
  isReadOnly?: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
  inputMode?: 'numeric' | 'decimal' | 'email' | 'url';
  autocomplete?: string;
  placeholder?: string;
  size?: 'small';
}) {
  const a = aria(props.name, props.errors, props.hint);
  return (
    <div class={props.size === 'small' ? 'field field-small' : 'field'}>
      <label for={a.id}>{props.label}</label>
      <Hint name={props.name} hint={props.hint} />
      <input
        type={props.type ?? 'text'}
        name={props.name}
        value={props.value}
        {...a}
        required={props.isRequired}
        readonly={props.isReadOnly}
        maxlength={props.maxLength}
        min={props.min}
        max={props.max}
        inputmode={props.inputMode}
        autocomplete={props.autocomplete ?? 'off'}
        placeholder={props.placeholder}
      />
      <FieldError name={props.name} errors={props.errors} />
    </div>
  );
}

export function TextArea(props: Common & { value: string; rows?: number; isRequired?: boolean; maxLength?: number }) {
  const a = aria(props.name, props.errors, props.hint);
  return (
    <div class="field">
      <label for={a.id}>{props.label}</label>
      <Hint name={props.name} hint={props.hint} />
      <textarea name={props.name} rows={props.rows ?? 6} {...a} required={props.isRequired} maxlength={props.maxLength}>{props.value}</textarea>
      <FieldError name={props.name} errors={props.errors} />
    </div>
  );
}

export function SelectField(props: Common & { value: string; options: readonly { value: string; label: string }[] }) {
  const a = aria(props.name, props.errors, props.hint);
  return (
    <div class="field">
      <label for={a.id}>{props.label}</label>
      <Hint name={props.name} hint={props.hint} />
      <select name={props.name} {...a}>
        {props.options.map((o) => <option value={o.value} selected={o.value === props.value}>{o.label}</option>)}
      </select>
      <FieldError name={props.name} errors={props.errors} />
    </div>
  );
}

export function Checkbox(props: { name: string; label: Child; isChecked: boolean; value?: string; hint?: Child; errors?: FieldErrors }) {
  const errors = props.errors ?? {};
  const a = aria(props.name, errors, props.hint);
  return (
    <div class="field field-check">
      <label class="check" for={a.id}>
        <input type="checkbox" name={props.name} value={props.value ?? 'on'} checked={props.isChecked} {...a} /> {props.label}
      </label>
      <Hint name={props.name} hint={props.hint} />
      <FieldError name={props.name} errors={errors} />
    </div>
  );
}

/** Checkboxes or radio buttons sharing one name, in a fieldset whose legend is the question. */
export function ChoiceGroup(props: Common & { type: 'checkbox' | 'radio'; values: readonly string[]; options: readonly { value: string; label: Child }[] }) {
  const base = fieldId(props.name);
  const described = [props.hint ? `${base}-hint` : null, props.errors[props.name] ? `${base}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset class="choices" id={base} aria-describedby={described} data-invalid={props.errors[props.name] ? 'true' : undefined}>
      <legend>{props.label}</legend>
      <Hint name={props.name} hint={props.hint} />
      {props.options.map((o) => (
        <label class="check">
          <input
            type={props.type}
            name={props.name}
            value={o.value}
            checked={props.values.includes(o.value)}
            aria-invalid={props.errors[props.name] ? 'true' : undefined}
          /> {o.label}
        </label>
      ))}
      <FieldError name={props.name} errors={props.errors} />
    </fieldset>
  );
}

/** "Saved." after a redirect (`?saved=1`). */
export function SavedNotice(props: { isShown: boolean; children?: Child }) {
  return props.isShown ? <Flash kind="ok">{props.children ?? 'Saved.'}</Flash> : null;
}
