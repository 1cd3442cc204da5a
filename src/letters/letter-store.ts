// Letters in the database: loading them as plain data (one call, safe to cache), saving them
// from the newsroom or the demo (validated here, the edge), and each reader's last impression
// of each letter, which the frequency cap reads.
import { z } from 'zod';
import type { Db, Tx } from '../db/database.ts';
import type { Selectable } from 'kysely';
import type { LetterVariantsTable, LettersTable } from '../db/schema.ts';
import { bumpContentVersion } from '../content/article-store.ts';
import { SECTION_PATH_PATTERN, SLUG_PATTERN, slugify } from '../content/slug.ts';
import { AUDIENCES, PLACEMENTS, type Audience } from './targeting.ts';
import { safeCtaUrl } from './cta-url.ts';
import { LetterError, type LetterIssue } from './errors.ts';
import type { Letter, LetterVariant } from './types.ts';

// ---------------------------------------------------------------------------------------------
// Reading

type LetterRow = Selectable<LettersTable>;
type VariantRow = Selectable<LetterVariantsTable>;

/**
 * Every active letter with its variants, in position order: the whole input of chooseLetter
 * in two queries. Plain data, so a caller may keep it while the content version is unchanged
 * (saveLetter bumps it).
 */
export async function loadActiveLetters(db: Db | Tx): Promise<Letter[]> {
  return loadLetters(db, { isActiveOnly: true });
}

/** All letters, active or not, for the newsroom's list. */
export async function listLetters(db: Db | Tx): Promise<Letter[]> {
  return loadLetters(db, { isActiveOnly: false });
}

export async function letterById(db: Db | Tx, id: number): Promise<Letter | null> {
  const row = await db.selectFrom('letters').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withVariants(db, [row]))[0] : null;
}

export async function letterBySlug(db: Db | Tx, slug: string): Promise<Letter | null> {
  const row = await db.selectFrom('letters').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? (await withVariants(db, [row]))[0] : null;
}

async function loadLetters(db: Db | Tx, opts: { isActiveOnly: boolean }): Promise<Letter[]> {
  let q = db.selectFrom('letters').selectAll().orderBy('position').orderBy('id');
  if (opts.isActiveOnly) q = q.where('is_active', '=', 1);
  return withVariants(db, await q.execute());
}

async function withVariants(db: Db | Tx, rows: LetterRow[]): Promise<Letter[]> {
  if (rows.length === 0) return [];
  const variantRows = await db
    .selectFrom('letter_variants')
    .selectAll()
    .where('letter_id', 'in', rows.map((r) => r.id))
    .orderBy('id')
    .execute();
  const byLetter = new Map<number, LetterVariant[]>();
  for (const v of variantRows) {
    const list = byLetter.get(v.letter_id) ?? [];
    list.push(toVariant(v));
    byLetter.set(v.letter_id, list);
  }
  return rows.map((row) => toLetter(row, byLetter.get(row.id) ?? []));
}

function toLetter(row: LetterRow, variants: LetterVariant[]): Letter {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    bodyMd: row.body_md,
    signature: row.signature,
    ctaLabel: row.cta_label,
    ctaUrl: row.cta_url,
    audience: jsonList(row.audience).filter((a): a is Audience => (AUDIENCES as readonly string[]).includes(a)),
    minRead: row.min_read === null ? null : Number(row.min_read),
    sections: jsonList(row.sections),
    frequencyDays: Number(row.frequency_days),
    placement: row.placement,
    isActive: Number(row.is_active) === 1,
    position: Number(row.position),
    createdAt: Number(row.created_at),
    variants,
  };
}

function toVariant(row: VariantRow): LetterVariant {
  return { id: row.id, letterId: row.letter_id, name: row.name, title: row.title, bodyMd: row.body_md, ctaLabel: row.cta_label, weight: Number(row.weight) };
}

/** A stored JSON array of strings; anything else (a hand-edited row) reads as empty. */
function jsonList(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------
// Impressions

/**
 * Records that a reader was shown a letter now: one row per (reader, letter), keeping the
 * latest time and a running count. Safe under concurrency (an upsert).
 */
export async function recordShown(db: Db | Tx, readerKey: string, letterId: number, now: number): Promise<void> {
  await db
    .insertInto('letter_views')
    .values({ reader_key: readerKey, letter_id: letterId, last_shown_at: now, shows: 1 })
    .onConflict((oc) =>
      oc.columns(['reader_key', 'letter_id']).doUpdateSet((eb) => ({
        last_shown_at: eb.ref('excluded.last_shown_at'),
        shows: eb('letter_views.shows', '+', 1),
      })),
    )
    .execute();
}

/** When this reader last saw each letter: letter id → ms since the epoch. */
export async function lastShown(db: Db | Tx, readerKey: string): Promise<Map<number, number>> {
  const rows = await db.selectFrom('letter_views').select(['letter_id', 'last_shown_at']).where('reader_key', '=', readerKey).execute();
  return new Map(rows.map((r) => [r.letter_id, Number(r.last_shown_at)]));
}

// ---------------------------------------------------------------------------------------------
// Saving

/** Optional text: blank means "not set". */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));

const required = (what: string, max: number) => z.string({ error: `${what} is required` }).trim().min(1, `${what} is required`).max(max, `${what} is longer than ${max} characters`);

const ctaUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .transform((value, ctx) => {
    const href = safeCtaUrl(value);
    if (href === null) {
      ctx.addIssue({ code: 'custom', message: 'the button link must be a site path such as /subscribe or an http(s) URL' });
      return z.NEVER;
    }
    return href;
  });

/** A section path prefix as staff type it: case kept, stray slashes dropped. */
const sectionPrefixSchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/^\/+|\/+$/g, ''))
  .refine((v) => SECTION_PATH_PATTERN.test(v), 'sections are section paths such as World or USA/Foreign-Policy');

const variantSchema = z.object({
  name: required('a variant name', 60),
  title: optionalText(200),
  bodyMd: optionalText(20_000),
  ctaLabel: optionalText(80),
  weight: z.number().int('weights are whole numbers').min(0, 'weights are 0 or more').max(1_000_000),
});

export const letterInputSchema = z.object({
  /** Set to update that letter; absent to create one. */
  id: z.number().int().positive().optional(),
  /** Derived from the title when absent on create; kept when absent on update. */
  slug: z.string().trim().max(90).regex(SLUG_PATTERN, 'a slug is letters, digits and single dashes').optional(),
  title: required('a title', 200),
  bodyMd: required('a body', 20_000),
  signature: required('a signature', 300),
  ctaLabel: required('a button label', 80).default('Subscribe'),
  ctaUrl: ctaUrlSchema.default('/subscribe'),
  audience: z
    .array(z.enum(AUDIENCES, { error: 'the audience is anonymous, registered, subscriber or lapsed readers' }))
    .min(1, 'choose at least one audience')
    .transform((list) => AUDIENCES.filter((a) => list.includes(a))),
  minRead: z.number().int().min(0).max(1000).nullable().default(null),
  sections: z.array(sectionPrefixSchema).max(50).default([]).transform((list) => [...new Set(list)]),
  frequencyDays: z.number().int().min(0, 'the frequency cap is 0 days or more').max(365).default(7),
  placement: z.enum(PLACEMENTS).default('both'),
  isActive: z.boolean().default(true),
  position: z.number().int().min(-1_000_000).max(1_000_000).default(0),
  variants: z
    .array(variantSchema)
    .max(10)
    .default([])
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((v, i) => {
        if (seen.has(v.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `two variants are named "${v.name}"` });
        seen.add(v.name);
      });
    }),
});

/** What the newsroom or the demo passes to saveLetter (defaults filled in by validation). */
export type LetterInput = z.input<typeof letterInputSchema>;

/** Validates a letter without saving it; throws LetterError('invalid-letter') listing every problem. */
export function parseLetterInput(input: unknown): z.output<typeof letterInputSchema> {
  const parsed = letterInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues: LetterIssue[] = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  throw new LetterError('invalid-letter', `The letter was not saved: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`, issues);
}

/**
 * Creates or updates a letter and its variants in one transaction. Variants are matched by
 * name, so an edited variant keeps its id (impressions and clicks are recorded against it);
 * variants left out are removed. Bumps the content version so every process reloads its
 * letters. Throws LetterError: `invalid-letter`, `slug-taken`, `letter-not-found`.
 */
export async function saveLetter(
  db: Db,
  input: LetterInput,
  opts: {
    now: number;
    /** Runs inside the save's transaction once the letter is written: records that must commit or roll back with it (the newsroom's audit log). */
    within?: (tx: Tx, saved: Letter) => Promise<void>;
  },
): Promise<Letter> {
  const data = parseLetterInput(input);
  return db.transaction().execute(async (tx) => {
    const existing = data.id === undefined ? null : await tx.selectFrom('letters').select(['id', 'slug']).where('id', '=', data.id).executeTakeFirst();
    if (data.id !== undefined && !existing) throw new LetterError('letter-not-found', `There is no letter ${data.id}.`);
    const slug = data.slug ?? existing?.slug ?? slugify(data.title, { lowercase: true });
    if (!slug) throw new LetterError('invalid-letter', 'The letter needs a slug: its title has no letters or digits.', [{ path: 'slug', message: 'a slug is required' }]);
    const clash = await tx.selectFrom('letters').select('id').where('slug', '=', slug).executeTakeFirst();
    if (clash && clash.id !== existing?.id) throw new LetterError('slug-taken', `Another letter already uses the slug "${slug}".`, [{ path: 'slug', message: 'already taken' }]);

    const fields = {
      slug,
      title: data.title,
      body_md: data.bodyMd,
      signature: data.signature,
      cta_label: data.ctaLabel,
      cta_url: data.ctaUrl,
      audience: JSON.stringify(data.audience),
      min_read: data.minRead,
      sections: JSON.stringify(data.sections),
      frequency_days: data.frequencyDays,
      placement: data.placement,
      is_active: data.isActive ? 1 : 0,
      position: data.position,
    };
    let letterId: number;
    if (existing) {
      await tx.updateTable('letters').set(fields).where('id', '=', existing.id).execute();
      letterId = existing.id;
    } else {
      letterId = (await tx.insertInto('letters').values({ ...fields, created_at: opts.now }).returning('id').executeTakeFirstOrThrow()).id;
    }
    await saveVariants(tx, letterId, data.variants);
    await bumpContentVersion(tx);
    const saved = (await letterById(tx, letterId))!;
    if (opts.within) await opts.within(tx, saved);
    return saved;
  });
}

async function saveVariants(tx: Tx, letterId: number, variants: z.output<typeof variantSchema>[]): Promise<void> {
  const stored = await tx.selectFrom('letter_variants').select(['id', 'name']).where('letter_id', '=', letterId).execute();
  const keep = new Set(variants.map((v) => v.name));
  const gone = stored.filter((s) => !keep.has(s.name)).map((s) => s.id);
  if (gone.length) await tx.deleteFrom('letter_variants').where('id', 'in', gone).execute();
  const idByName = new Map(stored.map((s) => [s.name, s.id]));
  for (const v of variants) {
    const fields = { title: v.title, body_md: v.bodyMd, cta_label: v.ctaLabel, weight: v.weight };
    const id = idByName.get(v.name);
    if (id === undefined) await tx.insertInto('letter_variants').values({ letter_id: letterId, name: v.name, ...fields }).execute();
    else await tx.updateTable('letter_variants').set(fields).where('id', '=', id).execute();
  }
}
