// The story editor's form, parsed: the raw fields a browser sends (kept as typed, to give
// them back on a 422) and the typed draft the use case saves, or a message per field.
// Pure: the sections, the clock and the time zone come in as arguments.
import { z } from 'zod';
import type { AccessClass } from '../../db/schema.ts';
import { isRealDate, localDateTimeToUtc, localParts, type LocalDate } from '../../content/dates.ts';
import { slugify, SLUG_PATTERN } from '../../content/slug.ts';

export const INTENTS = ['save', 'submit', 'publish', 'schedule', 'unpublish'] as const;
export type Intent = (typeof INTENTS)[number];

/** The form's field names; the client script and the browser tests rely on them. */
export const STORY_FIELDS = [
  'headline', 'dek', 'section', 'authors', 'tags', 'dateline', 'access', 'slug', 'publish_at',
  'lead_image_id', 'lead_image', 'lead_caption', 'lead_credit', 'lead_alt', 'body', 'correction',
] as const;
export type StoryField = (typeof STORY_FIELDS)[number];
export type FieldErrors = Partial<Record<StoryField, string>>;

/** What the writer typed, as text, so a refused form comes back exactly as it was sent. */
export interface StoryFormValues {
  headline: string;
  dek: string;
  section: string;
  authors: string;
  tags: string;
  dateline: string;
  /** '' = the section's default from the paywall policy. */
  access: string;
  slug: string;
  publish_at: string;
  lead_image_id: string;
  lead_caption: string;
  lead_credit: string;
  lead_alt: string;
  body: string;
  correction: string;
  /** "Remove the picture" was ticked. */
  lead_remove: boolean;
  /**
   * The story's updated_at (ms) when this form was filled in from it ('' for a new story): a
   * save from a page opened before someone else's save is refused, not applied over it.
   */
  base_updated_at: string;
}

export interface StoryDraft {
  headline: string;
  dek: string;
  sectionPath: string;
  authors: string[];
  tags: string[];
  dateline: string;
  /** null = the section's default. */
  access: AccessClass | null;
  /** null = made from the headline. */
  slug: string | null;
  /** The time asked for by `schedule`; null otherwise. */
  publishAt: number | null;
  /** The library picture named by the form (an upload replaces it). */
  leadImageId: string | null;
  leadCaption: string;
  leadCredit: string;
  leadAlt: string;
  body: string;
  /** The text of a new correction to append, if any. */
  correction: string | null;
}

export interface StoryFormContext {
  intent: Intent;
  /** An explicit save checks everything a draft needs; an autosave fills gaps instead. */
  mode: 'form' | 'autosave';
  /** The paths of the sections that exist. */
  sectionPaths: readonly string[];
  timeZone: string;
  now: number;
  /** The story will carry a lead picture (one is uploaded with the form, or kept). */
  hasLeadImage: boolean;
  /** The story is already out (published or scheduled): a plain save goes to readers too. */
  isLive: boolean;
  /** The byline an autosave uses when none is typed: the writer's own name. */
  fallbackByline: string;
}

export type ParsedStoryForm =
  | { ok: true; draft: StoryDraft; values: StoryFormValues }
  | { ok: false; errors: FieldErrors; values: StoryFormValues };

export const UNTITLED = 'Untitled draft';
export const LIMITS = {
  headline: 200,
  dek: 400,
  dateline: 120,
  byline: 120,
  tag: 60,
  tags: 20,
  slug: 90,
  caption: 1000,
  credit: 200,
  alt: 500,
  body: 200_000,
  correction: 2000,
} as const;

const REQUIRED_TO_PUBLISH = 'required before publishing';
const IMAGE_ID = /^[0-9a-f]{24}$/;

/** `text` of a form entry: files and absent fields are '', line endings are \n. */
const formText = z.preprocess((v) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : ''), z.string());
const formFlag = z.preprocess((v) => v === 'on' || v === '1' || v === 'true', z.boolean());

const rawSchema = z.object({
  headline: formText,
  dek: formText,
  section: formText,
  authors: formText,
  tags: formText,
  dateline: formText,
  access: formText,
  slug: formText,
  publish_at: formText,
  lead_image_id: formText,
  lead_caption: formText,
  lead_credit: formText,
  lead_alt: formText,
  body: formText,
  correction: formText,
  lead_remove: formFlag,
  base_updated_at: formText,
});

/** The fields as typed; never fails (anything that is not text reads as empty). */
export function formValues(raw: Record<string, unknown>): StoryFormValues {
  return rawSchema.parse(raw);
}

/** The intent a submit button named: save when none is given, null when it names no intent. */
export function parseIntent(raw: unknown): Intent | null {
  if (raw === undefined || raw === '') return 'save';
  return (INTENTS as readonly string[]).includes(String(raw)) ? (raw as Intent) : null;
}

/** "a, b ,, c" → ["a", "b", "c"]: trimmed, empty entries dropped, repeats (ignoring case) dropped. */
export function splitList(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(/[,\n]/)) {
    const item = part.trim().replace(/\s+/g, ' ');
    if (!item || seen.has(item.toLowerCase())) continue;
    seen.add(item.toLowerCase());
    out.push(item);
  }
  return out;
}

/** Does this intent put the story (or keep it) in front of readers? Then it must be complete. */
export function goesLive(intent: Intent, isLive: boolean): boolean {
  return intent === 'publish' || intent === 'schedule' || (intent === 'save' && isLive);
}

export function parseStoryForm(raw: Record<string, unknown>, ctx: StoryFormContext): ParsedStoryForm {
  const values = formValues(raw);
  const errors: FieldErrors = {};
  const fail = (field: StoryField, message: string) => {
    errors[field] ??= message;
  };
  const isAutosave = ctx.mode === 'autosave';
  const mustBeComplete = goesLive(ctx.intent, ctx.isLive);

  let headline = values.headline.trim().replace(/\s+/g, ' ');
  if (headline.length > LIMITS.headline) fail('headline', `Keep the headline to ${LIMITS.headline} characters or fewer (it has ${headline.length}).`);
  if (!headline) {
    if (isAutosave) headline = UNTITLED;
    else fail('headline', 'Write a headline.');
  }

  const dek = values.dek.trim();
  if (dek.length > LIMITS.dek) fail('dek', `Keep the dek to ${LIMITS.dek} characters or fewer (it has ${dek.length}).`);

  const sectionPath = values.section.trim();
  if (!sectionPath) fail('section', 'Choose a section.');
  else if (!ctx.sectionPaths.includes(sectionPath)) fail('section', `There is no section "${sectionPath}"; choose one from the list.`);

  let authors = splitList(values.authors);
  if (authors.length === 0 && isAutosave && ctx.fallbackByline.trim()) authors = [ctx.fallbackByline.trim()];
  if (authors.length === 0) fail('authors', 'Add at least one byline.');
  for (const name of authors) {
    if (name.length > LIMITS.byline) fail('authors', `Each byline must be at most ${LIMITS.byline} characters.`);
    else if (!slugify(name)) fail('authors', `"${name}" is not a name: a byline needs letters or digits.`);
  }

  const tags = splitList(values.tags);
  if (tags.length > LIMITS.tags) fail('tags', `Use at most ${LIMITS.tags} tags (there are ${tags.length}).`);
  for (const tag of tags) {
    if (tag.length > LIMITS.tag) fail('tags', `Each tag must be at most ${LIMITS.tag} characters.`);
    else if (!slugify(tag)) fail('tags', `"${tag}" is not a tag: a tag needs letters or digits.`);
  }

  const dateline = values.dateline.trim();
  if (dateline.length > LIMITS.dateline) fail('dateline', `Keep the dateline to ${LIMITS.dateline} characters or fewer.`);

  let access: AccessClass | null = null;
  if (values.access !== '') {
    const parsed = z.enum(['free', 'metered', 'subscriber']).safeParse(values.access);
    if (parsed.success) access = parsed.data;
    else fail('access', 'Choose free, metered or subscriber.');
  }

  const typedSlug = values.slug.trim();
  let slug: string | null = null;
  if (typedSlug) {
    if (typedSlug.length > LIMITS.slug) fail('slug', `Keep the slug to ${LIMITS.slug} characters or fewer.`);
    else if (!SLUG_PATTERN.test(typedSlug)) fail('slug', 'Use only letters, digits and single dashes, e.g. Harbor-reopens-after-storm.');
    else slug = typedSlug;
  } else if (headline && !errors.headline && !slugify(headline)) {
    fail('slug', 'The headline has no letters or digits to make a URL from: type a slug.');
  }

  let publishAt: number | null = null;
  if (ctx.intent === 'schedule') {
    const at = values.publish_at.trim() ? parseLocalDateTime(values.publish_at, ctx.timeZone) : null;
    if (at === null) fail('publish_at', 'Choose the date and time to publish at.');
    else if (!at.ok) fail('publish_at', at.reason === 'skipped' ? skippedTimeMessage(at.local, at.gapStart, ctx.timeZone) : 'Give a date and time such as 2026-12-01 06:00.');
    else if (at.at <= ctx.now) fail('publish_at', 'Choose a time in the future (or publish now).');
    else publishAt = at.at;
  }

  const leadImageId = values.lead_remove ? null : values.lead_image_id.trim() || null;
  if (leadImageId !== null && !IMAGE_ID.test(leadImageId)) fail('lead_image', 'The picture reference is damaged; choose the picture again.');
  const leadCaption = values.lead_caption.trim();
  const leadCredit = values.lead_credit.trim();
  const leadAlt = values.lead_alt.trim();
  if (leadCaption.length > LIMITS.caption) fail('lead_caption', `Keep the caption to ${LIMITS.caption} characters or fewer.`);
  if (leadCredit.length > LIMITS.credit) fail('lead_credit', `Keep the credit to ${LIMITS.credit} characters or fewer.`);
  if (leadAlt.length > LIMITS.alt) fail('lead_alt', `Keep the alt text to ${LIMITS.alt} characters or fewer.`);

  const body = values.body;
  if (body.length > LIMITS.body) fail('body', `The body is longer than ${LIMITS.body.toLocaleString('en-US')} characters; split the story.`);

  const correctionText = values.correction.trim();
  if (correctionText.length > LIMITS.correction) fail('correction', `Keep the correction to ${LIMITS.correction} characters or fewer.`);

  if (mustBeComplete) {
    if (!body.trim()) fail('body', `The body is ${REQUIRED_TO_PUBLISH}.`);
    if (ctx.hasLeadImage) {
      if (!leadCaption) fail('lead_caption', `A caption is ${REQUIRED_TO_PUBLISH}.`);
      if (!leadCredit) fail('lead_credit', `A credit is ${REQUIRED_TO_PUBLISH}.`);
      if (!leadAlt) fail('lead_alt', `Alt text is ${REQUIRED_TO_PUBLISH}: describe the picture for readers who cannot see it.`);
    }
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  return {
    ok: true,
    values,
    draft: {
      headline,
      dek,
      sectionPath,
      authors,
      tags,
      dateline,
      access,
      slug,
      publishAt,
      leadImageId,
      leadCaption,
      leadCredit,
      leadAlt,
      body,
      correction: correctionText || null,
    },
  };
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

export type ParsedLocalDateTime =
  | { ok: true; at: number }
  | { ok: false; reason: 'invalid' }
  /** A time the clocks skip that day (spring-forward): refused, never moved. */
  | { ok: false; reason: 'skipped'; local: LocalDate; gapStart: LocalDate; next: number };

/**
 * A `datetime-local` value read as wall-clock time in `timeZone` → epoch ms. A time in the
 * hour repeated when clocks go back is its first occurrence.
 */
export function parseLocalDateTime(value: string, timeZone: string): ParsedLocalDateTime {
  const m = LOCAL_DATE_TIME.exec(value.trim());
  if (!m) return { ok: false, reason: 'invalid' };
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number);
  if (!isRealDate(year, month, day) || hour > 23 || minute > 59) return { ok: false, reason: 'invalid' };
  const local = { year, month, day, hour, minute };
  const at = localDateTimeToUtc(local, timeZone);
  return at.ok ? at : { ok: false, reason: 'skipped', local, gapStart: at.gapStart, next: at.next };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2:30 a.m. does not exist on March 8 in New York: clocks go forward at 2 a.m. Choose another time." */
export function skippedTimeMessage(local: LocalDate, gapStart: LocalDate, timeZone: string): string {
  const place = timeZone.split('/').pop()!.replace(/_/g, ' ');
  const jump = clockTime(gapStart);
  // "a.m." already ends the sentence.
  return `${clockTime(local)} does not exist on ${MONTHS[local.month - 1]} ${local.day} in ${place}: clocks go forward at ${jump}${jump.endsWith('.') ? '' : '.'} Choose another time.`;
}

/** "2:30 a.m.", "2 a.m.", "midnight", "noon". */
function clockTime({ hour, minute }: { hour: number; minute: number }): string {
  if (minute === 0 && hour === 0) return 'midnight';
  if (minute === 0 && hour === 12) return 'noon';
  const h = hour % 12 || 12;
  return `${h}${minute ? `:${String(minute).padStart(2, '0')}` : ''} ${hour < 12 ? 'a.m.' : 'p.m.'}`;
}

/** Epoch ms → the `datetime-local` value for that moment in `timeZone` ("2026-12-01T06:00"). */
export function formatLocalDateTime(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}

/** The slug to try for the n-th story (n ≥ 2) wanting `base`: "Base-2", cut so it stays within the limit. */
export function numberedSlug(base: string, n: number): string {
  const suffix = `-${n}`;
  return `${base.slice(0, LIMITS.slug - suffix.length).replace(/-+$/, '')}${suffix}`;
}

/** Was this slug made from the headline (possibly numbered by numberedSlug to keep it unique)? */
export function isDerivedSlug(slug: string, headline: string): boolean {
  const base = slugify(headline);
  if (!base) return false;
  if (slug === base) return true;
  const m = /^(.+)-(\d{1,4})$/.exec(slug);
  return m !== null && Number(m[2]) >= 2 && slug === numberedSlug(base, Number(m[2]));
}

/** Reading time in whole minutes, counted as the editor's script counts it. */
export { readingMinutes } from '../client/word-count.ts';
