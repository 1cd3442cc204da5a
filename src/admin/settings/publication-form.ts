// The publication settings form, as pure functions: what the fields show, what a posted
// form means (or why it cannot be saved), and a one-line account of what changed for the
// audit log.
import { z } from 'zod';
import type { Publication } from '../../content/publication.ts';
import { fieldErrors, text, type FormBody, type FormResult } from './form.ts';

/** The fields as the form holds them: text, exactly as typed. */
export interface PublicationFormValues {
  name: string;
  tagline: string;
  timeZone: string;
  publicUrl: string;
  contactEmail: string;
}

export type PublicationChange = Pick<Publication, 'name' | 'tagline' | 'timeZone' | 'publicUrl' | 'contactEmail'>;

export function publicationFormValues(p: Publication): PublicationFormValues {
  return { name: p.name, tagline: p.tagline, timeZone: p.timeZone, publicUrl: p.publicUrl ?? '', contactEmail: p.contactEmail ?? '' };
}

/**
 * The time zones offered: every zone this runtime supports (Intl), plus UTC (which Intl
 * lists only under other names) and the stored one, so a setting made elsewhere can be kept.
 */
export function timeZoneChoices(current: string, supported: readonly string[] = Intl.supportedValuesOf('timeZone')): string[] {
  const all = new Set([...supported, 'UTC']);
  if (current) all.add(current);
  return [...all].sort((a, b) => a.localeCompare(b));
}

/** A public address: https, the site's root (pages link from `/`), no query or fragment. */
export function parsePublicUrl(value: string): { url: string | null } | { error: string } {
  const v = value.trim();
  if (v === '') return { url: null };
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return { error: 'enter a full address such as https://news.example.com' };
  }
  if (u.protocol !== 'https:') return { error: 'the public address must start with https://' };
  if (u.username || u.password) return { error: 'the public address may not contain a user name or password' };
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return { error: 'the public address is the site’s root, such as https://news.example.com, with no path' };
  return { url: u.origin };
}

/**
 * Reads the posted form. `timeZones` are the zones the select offered; `isPublicUrlLocked`
 * when PUBLIC_URL in the environment decides the address, so the posted one is ignored.
 */
export function parsePublicationForm(
  body: FormBody,
  opts: { current: Publication; timeZones: readonly string[]; isPublicUrlLocked: boolean },
): FormResult<PublicationChange, PublicationFormValues> {
  const values: PublicationFormValues = {
    name: text(body, 'name'),
    tagline: text(body, 'tagline'),
    timeZone: text(body, 'timeZone'),
    publicUrl: opts.isPublicUrlLocked ? (opts.current.publicUrl ?? '') : text(body, 'publicUrl'),
    contactEmail: text(body, 'contactEmail'),
  };
  const zones = new Set(opts.timeZones);
  const schema = z.object({
    name: z.string().trim().min(1, 'the publication needs a name').max(120, 'the name is longer than 120 characters'),
    tagline: z.string().trim().max(200, 'the tagline is longer than 200 characters'),
    timeZone: z.string().refine((tz) => zones.has(tz), 'choose a time zone from the list'),
    publicUrl: z.string().transform((v, ctx) => {
      if (opts.isPublicUrlLocked) return opts.current.publicUrl;
      const parsed = parsePublicUrl(v);
      if ('error' in parsed) {
        ctx.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return parsed.url;
    }),
    contactEmail: z
      .string()
      .trim()
      .max(254, 'the address is too long')
      .transform((v) => v.toLowerCase())
      .refine((v) => v === '' || z.email().safeParse(v).success, 'enter an e-mail address such as letters@example.com')
      .transform((v) => (v === '' ? null : v)),
  });
  const parsed = schema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues), values };
  return { ok: true, value: parsed.data, values };
}

const LABELS: Record<keyof PublicationChange, string> = {
  name: 'name',
  tagline: 'tagline',
  timeZone: 'time zone',
  publicUrl: 'public address',
  contactEmail: 'contact e-mail',
};

/** "name: Old → New; time zone: A → B", or "no change". */
export function describePublicationChange(before: PublicationChange, after: PublicationChange): string {
  const parts: string[] = [];
  for (const key of Object.keys(LABELS) as (keyof PublicationChange)[]) {
    const a = before[key] ?? '';
    const b = after[key] ?? '';
    if (a !== b) parts.push(`${LABELS[key]}: ${a || '(none)'} → ${b || '(none)'}`);
  }
  return parts.length ? parts.join('; ') : 'no change';
}
