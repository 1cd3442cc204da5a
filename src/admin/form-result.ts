// What parsing a newsroom form gives back: the value, or one message per field — and in both
// cases the text as typed, so a form sent back (422) shows the reader's own words.

/** Messages keyed by the form field's name ("name", "top.2", "variants.1.weight"). */
export type FieldErrors = Record<string, string>;

export type FormResult<T, V> = { ok: true; value: T; values: V } | { ok: false; errors: FieldErrors; values: V };

/**
 * One message per field: the first issue for each path, joined with dots ("variants.2.name");
 * `rename` maps a path to the field that shows it. An issue about the whole form is kept
 * under '_form'.
 */
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[], rename: (path: string) => string = (p) => p): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = rename(issue.path.map(String).join('.')) || '_form';
    out[key] ??= issue.message;
  }
  return out;
}

/** The named fields' text as posted (a repeated field keeps its first value; at most 500 characters), for re-rendering. */
export function formValues<F extends string>(form: Record<string, unknown>, fields: readonly F[]): Record<F, string> {
  const out = {} as Record<F, string>;
  for (const f of fields) {
    const v = form[f];
    out[f] = (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '').slice(0, 500);
  }
  return out;
}
