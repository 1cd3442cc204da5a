// The newsletter list form, as pure functions: the fields for a list, and the ListInput a
// posted form describes (or one message per field, with the text as typed). A list's slug is
// its archive's address (/newsletters/<slug>): set once, never changed, and never one of the
// paths the newsletter routes use themselves.
import { z } from 'zod';
import { ENTITLEMENTS, type Entitlement } from '../../billing/types.ts';
import type { ListSchedule, NewsletterList } from '../../newsletters/types.ts';
import { checked, fieldErrors, text, texts, wholeNumber, type FieldErrors, type FormBody, type FormResult } from '../settings/form.ts';

/** Paths under /newsletters/ that the site's newsletter routes answer themselves. */
export const RESERVED_LIST_SLUGS: readonly string[] = ['signup', 'confirm', 'unsubscribe', 'resubscribe', 'click'];

export const WEEKDAYS: readonly { value: number; label: string; short: string }[] = [
  { value: 1, label: 'Monday', short: 'Mon' },
  { value: 2, label: 'Tuesday', short: 'Tue' },
  { value: 3, label: 'Wednesday', short: 'Wed' },
  { value: 4, label: 'Thursday', short: 'Thu' },
  { value: 5, label: 'Friday', short: 'Fri' },
  { value: 6, label: 'Saturday', short: 'Sat' },
  { value: 7, label: 'Sunday', short: 'Sun' },
];

export const ENTITLEMENT_LABELS: Record<Entitlement, string> = {
  daily: 'daily — subscribers whose plan includes the Daily',
  web: 'web — every subscriber to the website',
  weekly: 'weekly — subscribers to the Weekly edition',
};

/**
 * What a list is made of, as the store writes it: the list without its id. `slug` only matters
 * when the list is created; only automatic lists keep a schedule (nothing sends the others on one).
 */
export type ListInput = Omit<NewsletterList, 'id'>;

export interface ListFormValues {
  name: string;
  slug: string;
  description: string;
  entitlement: string;
  isOpenToSignups: boolean;
  isAutomatic: boolean;
  days: string[];
  time: string;
  isActive: boolean;
  position: string;
}

export function listFormValues(list: NewsletterList | null): ListFormValues {
  if (!list) {
    return { name: '', slug: '', description: '', entitlement: '', isOpenToSignups: true, isAutomatic: false, days: [], time: '06:00', isActive: true, position: '0' };
  }
  return {
    name: list.name,
    slug: list.slug,
    description: list.description,
    entitlement: list.entitlement ?? '',
    isOpenToSignups: list.isOpenToSignups,
    isAutomatic: list.isAutomatic,
    days: (list.schedule?.days ?? []).map(String),
    time: list.schedule?.time ?? '06:00',
    isActive: list.isActive,
    position: String(list.position),
  };
}

/** "weekend-reads" from "Weekend reads!": lower-case letters, digits and single dashes. */
export function slugFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

const slugSchema = z
  .string()
  .min(2, 'The address needs at least 2 characters')
  .max(40, 'The address is longer than 40 characters')
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'The address takes lower-case letters, digits and single dashes')
  .superRefine((s, ctx) => {
    if (RESERVED_LIST_SLUGS.includes(s)) ctx.addIssue({ code: 'custom', message: `“${s}” is a reserved address: choose another` });
  });

const formSchema = z.object({
  name: z.string().trim().min(1, 'Give the list a name').max(80, 'The name is longer than 80 characters'),
  description: z.string().trim().max(400, 'The description is longer than 400 characters'),
  entitlement: z
    .string()
    .refine((v) => v === '' || (ENTITLEMENTS as string[]).includes(v), 'Choose one of the entitlements offered')
    .transform((v) => (v === '' ? null : v)),
  position: wholeNumber('The position', 0, 999),
  days: z.array(z.enum(['1', '2', '3', '4', '5', '6', '7'], { message: 'Choose weekdays from the list' })).max(7),
  time: z.string().trim(),
});

/**
 * The list a posted form describes. `isNew` reads the slug (blank: made from the name); an
 * existing list keeps the slug it has. An automatic list needs a schedule: weekdays and a
 * time of day.
 */
export function parseListForm(body: FormBody, opts: { isNew: boolean; slug?: string }): FormResult<ListInput, ListFormValues> {
  const values: ListFormValues = {
    name: text(body, 'name').slice(0, 500),
    slug: opts.isNew ? text(body, 'slug').trim().slice(0, 500) : (opts.slug ?? ''),
    description: text(body, 'description').slice(0, 2000),
    entitlement: text(body, 'entitlement'),
    isOpenToSignups: checked(body, 'isOpenToSignups'),
    isAutomatic: checked(body, 'isAutomatic'),
    days: texts(body, 'days').slice(0, 7),
    time: text(body, 'time').slice(0, 20),
    isActive: checked(body, 'isActive'),
    position: text(body, 'position').slice(0, 20),
  };
  const parsed = formSchema.safeParse(values);
  const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error.issues, (p) => p.replace(/\.\d+$/, ''));

  let slug = values.slug;
  if (opts.isNew) {
    slug = values.slug === '' ? slugFromName(values.name) : values.slug;
    const checkedSlug = slugSchema.safeParse(slug);
    if (!checkedSlug.success && !errors.name) errors.slug = values.slug === '' ? `Give the list an address: ${checkedSlug.error.issues[0].message.toLowerCase()}` : checkedSlug.error.issues[0].message;
  }

  let schedule: ListSchedule | null = null;
  if (values.isAutomatic) {
    if (values.days.length === 0) errors.days ??= 'An automatic list needs at least one weekday';
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(values.time)) errors.time ??= 'Give the time of day as HH:MM, such as 06:00';
    if (!errors.days && !errors.time) schedule = { days: [...new Set(values.days.map(Number))].sort((a, b) => a - b), time: values.time };
  }

  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors, values };
  const d = parsed.data;
  return {
    ok: true,
    values,
    value: {
      name: d.name,
      slug,
      description: d.description,
      entitlement: d.entitlement,
      isOpenToSignups: values.isOpenToSignups,
      isAutomatic: values.isAutomatic,
      schedule,
      isActive: values.isActive,
      position: d.position,
    },
  };
}

/** "Mon–Fri 06:00", "Sat, Sun 08:30", "by hand". */
export function describeSchedule(schedule: ListSchedule | null): string {
  if (!schedule) return 'by hand';
  const days = [...schedule.days].sort((a, b) => a - b);
  const isRun = days.length >= 3 && days.every((d, i) => i === 0 || d === days[i - 1] + 1);
  const name = (d: number) => WEEKDAYS[d - 1]?.short ?? String(d);
  const when = days.length === 7 ? 'Every day' : isRun ? `${name(days[0])}–${name(days[days.length - 1])}` : days.map(name).join(', ');
  return `${when} ${schedule.time}`;
}

/** The audit line for a change: what differs between the list before and after ("" when nothing does). */
export function listChanges(before: ListInput, after: ListInput): string {
  const out: string[] = [];
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  if (before.name !== after.name) out.push(`name “${before.name}” → “${after.name}”`);
  if (before.description !== after.description) out.push('description changed');
  if (before.entitlement !== after.entitlement) out.push(`entitlement ${before.entitlement ?? 'none'} → ${after.entitlement ?? 'none'}`);
  if (before.isOpenToSignups !== after.isOpenToSignups) out.push(`open to sign-ups ${yes(before.isOpenToSignups)} → ${yes(after.isOpenToSignups)}`);
  if (before.isAutomatic !== after.isAutomatic) out.push(`automatic ${yes(before.isAutomatic)} → ${yes(after.isAutomatic)}`);
  if (describeSchedule(before.schedule) !== describeSchedule(after.schedule)) out.push(`schedule ${describeSchedule(before.schedule)} → ${describeSchedule(after.schedule)}`);
  if (before.isActive !== after.isActive) out.push(after.isActive ? 'reactivated' : 'deactivated');
  if (before.position !== after.position) out.push(`position ${before.position} → ${after.position}`);
  return out.join('; ');
}
