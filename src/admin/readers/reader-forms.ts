// What the readers' pages accept, parsed at the edge (zod): the search, the complimentary
// subscription form, and the cancel choice. Pure: no I/O; the plans are passed in.
import { z } from 'zod';
import { COMP_MONTHS } from '../../billing/complimentary.ts';
import type { Plan } from '../../billing/types.ts';

export const READER_FILTERS = ['all', 'subscribers', 'lapsed', 'free'] as const;
export type ReaderFilter = (typeof READER_FILTERS)[number];
export const READER_FILTER_LABELS: Record<ReaderFilter, string> = { all: 'All readers', subscribers: 'Subscribers', lapsed: 'Lapsed subscribers', free: 'Free accounts' };
export const READERS_PER_PAGE = 50;

/** A form as the reader typed it, and a message per field that failed. */
export type FormResult<T, F extends string> =
  | { ok: true; value: T }
  | { ok: false; values: Record<F, string>; errors: Partial<Record<F, string>> };

/** The first message for each field of a failed parse. */
export function fieldErrors<F extends string>(error: z.ZodError, fields: readonly F[]): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as F;
    if (fields.includes(field) && out[field] === undefined) out[field] = issue.message;
  }
  return out;
}

/** Form values as strings (a repeated field keeps its first value), for re-rendering. */
export function formValues<F extends string>(form: Record<string, unknown>, fields: readonly F[]): Record<F, string> {
  const out = {} as Record<F, string>;
  for (const f of fields) {
    const v = form[f];
    out[f] = (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '').slice(0, 500);
  }
  return out;
}

const searchSchema = z.object({
  q: z.string().trim().max(200).catch(''),
  state: z.enum(READER_FILTERS).catch('all'),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type ReaderSearch = z.infer<typeof searchSchema>;

/** The list's query string; anything malformed falls back to the default rather than failing. */
export function parseReaderSearch(query: Record<string, string | undefined>): ReaderSearch {
  return searchSchema.parse({ q: query.q ?? '', state: query.state ?? 'all', page: query.page ?? '1' });
}

export const COMP_FIELDS = ['plan', 'months'] as const;
export type CompField = (typeof COMP_FIELDS)[number];

const wholeNumber = (message: string) => z.string().trim().regex(/^\d{1,6}$/, message).transform(Number);

/** The complimentary subscription form: an active plan, and 1–24 months. */
export function parseComplimentaryForm(form: Record<string, unknown>, plans: Plan[]): FormResult<{ plan: Plan; months: number }, CompField> {
  const values = formValues(form, COMP_FIELDS);
  const monthsMessage = `Choose between ${COMP_MONTHS.min} and ${COMP_MONTHS.max} months.`;
  const schema = z.object({
    plan: wholeNumber('Choose a plan.').transform((id, ctx) => {
      const plan = plans.find((p) => p.id === id);
      if (!plan) ctx.addIssue({ code: 'custom', message: 'That plan does not exist.' });
      else if (!plan.isActive) ctx.addIssue({ code: 'custom', message: 'That plan is no longer offered; choose an active plan.' });
      return plan ?? null;
    }),
    months: wholeNumber(monthsMessage).pipe(z.number().min(COMP_MONTHS.min, monthsMessage).max(COMP_MONTHS.max, monthsMessage)),
  });
  const parsed = schema.safeParse(values);
  if (!parsed.success) return { ok: false, values, errors: fieldErrors(parsed.error, COMP_FIELDS) };
  return { ok: true, value: { plan: parsed.data.plan!, months: parsed.data.months } };
}

const cancelSchema = z.object({ when: z.enum(['period-end', 'now']) });

/** Which cancel button was pressed; null for anything else. */
export function parseCancelForm(form: Record<string, unknown>): 'period-end' | 'now' | null {
  const parsed = cancelSchema.safeParse({ when: form.when });
  return parsed.success ? parsed.data.when : null;
}
