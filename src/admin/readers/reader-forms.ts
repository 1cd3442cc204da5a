// What the readers' pages accept, parsed at the edge (zod): the search, the complimentary
// subscription form, and the cancel choice. Pure: no I/O; the plans are passed in.
import { z } from 'zod';
import { COMP_MONTHS } from '../../billing/complimentary.ts';
import type { Plan } from '../../billing/types.ts';
import { fieldErrors as errorsOf, formValues, type FormResult as ParsedForm } from '../form-result.ts';
import { rowId } from '../row-id.ts';

export const READER_FILTERS = ['all', 'subscribers', 'lapsed', 'free'] as const;
export type ReaderFilter = (typeof READER_FILTERS)[number];
export const READER_FILTER_LABELS: Record<ReaderFilter, string> = { all: 'All readers', subscribers: 'Subscribers', lapsed: 'Lapsed subscribers', free: 'Free accounts' };
export const READERS_PER_PAGE = 50;

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
export function parseComplimentaryForm(form: Record<string, unknown>, plans: Plan[]): ParsedForm<{ plan: Plan; months: number }, Record<CompField, string>> {
  const values = formValues(form, COMP_FIELDS);
  const monthsMessage = `Choose between ${COMP_MONTHS.min} and ${COMP_MONTHS.max} months.`;
  const schema = z.object({
    plan: z.string().trim().transform((text, ctx) => {
      const id = rowId(text);
      if (id === null) {
        ctx.addIssue({ code: 'custom', message: 'Choose a plan.' });
        return null;
      }
      const plan = plans.find((p) => p.id === id);
      if (!plan) ctx.addIssue({ code: 'custom', message: 'That plan does not exist.' });
      else if (!plan.isActive) ctx.addIssue({ code: 'custom', message: 'That plan is no longer offered; choose an active plan.' });
      return plan ?? null;
    }),
    months: wholeNumber(monthsMessage).pipe(z.number().min(COMP_MONTHS.min, monthsMessage).max(COMP_MONTHS.max, monthsMessage)),
  });
  const parsed = schema.safeParse(values);
  if (!parsed.success) return { ok: false, values, errors: errorsOf(parsed.error.issues) };
  return { ok: true, value: { plan: parsed.data.plan!, months: parsed.data.months }, values };
}

const cancelSchema = z.object({ when: z.enum(['period-end', 'now']) });

/** Which cancel button was pressed; null for anything else. */
export function parseCancelForm(form: Record<string, unknown>): 'period-end' | 'now' | null {
  const parsed = cancelSchema.safeParse({ when: form.when });
  return parsed.success ? parsed.data.when : null;
}

// ---- Kept only for ../staff/staff-forms.ts, which still imports these names from here:
// once it imports ../form-result.ts (FormResult, fieldErrors(error.issues), formValues), delete.
