// What the settings pages share when reading a posted form: the body as Hono parses it
// (`parseBody({ all: true })`) and zod pieces for the way people type numbers and money. The
// result of a parse (value or messages per field) is the newsroom's one shape, form-result.ts.
import { z } from 'zod';
import type { FieldErrors } from '../form-result.ts';

export { fieldErrors, type FieldErrors, type FormResult } from '../form-result.ts';

/** A posted form: repeated names (checkboxes) arrive as arrays. Files are never expected here. */
export type FormBody = Record<string, unknown>;

/** The field's text (the first value when repeated); '' when absent or not text. */
export function text(body: FormBody, name: string): string {
  const v = body[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : '';
}

/** Every text value under a name (checkbox groups). */
export function texts(body: FormBody, name: string): string[] {
  const v = body[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
}

/** A checkbox: present means on. */
export function checked(body: FormBody, name: string): boolean {
  return texts(body, name).length > 0;
}

/**
 * Runs one field's schema: its value, or — recording the first message under `name` — the
 * fallback, so the rest of the form is still checked and every problem is reported at once.
 */
export function readField<T>(errors: FieldErrors, name: string, schema: z.ZodType<T, unknown>, raw: unknown, fallback: T): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  errors[name] ??= r.error.issues[0]?.message ?? 'this is not valid';
  return fallback;
}

/** A whole number as typed ("12", " 3 "), within bounds. */
export function wholeNumber(what: string, min: number, max: number) {
  return z.string().trim().transform((v, ctx) => {
    const n = readWhole(v, what, min, max);
    if (typeof n === 'string') {
      ctx.addIssue({ code: 'custom', message: n });
      return z.NEVER;
    }
    return n;
  });
}

/** Like wholeNumber, but blank means "none" (null). */
export function optionalWholeNumber(what: string, min: number, max: number) {
  return z.string().trim().transform((v, ctx): number | null => {
    if (v === '') return null;
    const n = readWhole(v, what, min, max);
    if (typeof n === 'string') {
      ctx.addIssue({ code: 'custom', message: n });
      return z.NEVER;
    }
    return n;
  });
}

/** The number, or the message saying what is wrong with it. */
function readWhole(v: string, what: string, min: number, max: number): number | string {
  if (v === '') return `${what} is required`;
  if (!/^-?\d+$/.test(v)) return `${what} must be a whole number`;
  const n = Number(v);
  if (n < min) return `${what} must be at least ${min}`;
  if (n > max) return `${what} must be at most ${max}`;
  return n;
}

/** Optional text: blank is null. */
export function optionalText(max: number, what = 'this') {
  return z
    .string()
    .trim()
    .max(max, `${what} is longer than ${max} characters`)
    .transform((v) => (v === '' ? null : v));
}
