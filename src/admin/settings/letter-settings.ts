// Letters from the newsroom: saving one (a free slug found for a new letter, the domain's
// errors turned into form fields, the audit row in the save's transaction, this process
// re-read at once), and how often each variant was shown and clicked, from the analytics
// events.
import type { Db } from '../../db/database.ts';
import { letterById, saveLetter, type LetterInput } from '../../letters/letter-store.ts';
import { LetterError } from '../../letters/errors.ts';
import type { Letter } from '../../letters/types.ts';
import { slugify } from '../../content/slug.ts';
import type { SiteState } from '../../site/site-state.ts';
import { recordAudit } from '../audit.ts';
import type { FieldErrors } from './form.ts';
import { describeLetterChange, letterField } from './letter-form.ts';
import type { Actor } from '../audit.ts';

export type SaveLetterOutcome = { ok: true; letter: Letter } | { ok: false; errors: FieldErrors } | { ok: false; notFound: true };

/** A slug no other letter uses: the title's, then `-2`, `-3`… */
async function freeSlug(db: Db, title: string): Promise<string> {
  const base = slugify(title, { lowercase: true }).slice(0, 80).replace(/-+$/, '') || 'letter';
  const taken = new Set((await db.selectFrom('letters').select('slug').where('slug', 'like', `${base}%`).execute()).map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export async function saveLetterFromNewsroom(deps: { db: Db; state: SiteState; now: () => number }, actor: Actor, input: LetterInput): Promise<SaveLetterOutcome> {
  const before = input.id === undefined ? null : await letterById(deps.db, input.id);
  if (input.id !== undefined && !before) return { ok: false, notFound: true };
  let letter: Letter;
  try {
    // saveLetter bumps the content version and writes the audit row in its one transaction.
    letter = await saveLetter(deps.db, before ? input : { ...input, slug: await freeSlug(deps.db, String(input.title ?? '')) }, {
      now: deps.now(),
      within: (tx, saved) => recordAudit(tx, { actor, action: 'letter', detail: describeLetterChange(before, saved), at: deps.now() }),
    });
  } catch (err) {
    if (!(err instanceof LetterError)) throw err;
    if (err.code === 'letter-not-found') return { ok: false, notFound: true };
    const errors: FieldErrors = {};
    for (const issue of err.issues) errors[letterField(issue.path)] ??= issue.message === 'already taken' ? 'another letter already has this title; change it a little' : issue.message;
    if (Object.keys(errors).length === 0) errors.title = err.message;
    return { ok: false, errors };
  }
  await deps.state.refresh();
  return { ok: true, letter };
}

export interface VariantTally {
  impressions: number;
  clicks: number;
}

/** letter id → variant id (0 = shown as written) → counts. */
export type LetterTallies = Map<number, Map<number, VariantTally>>;

/** Folds grouped event rows (`detail` is "<letterId>:<variantId>") into tallies; malformed details are skipped. */
export function tallyLetterEvents(rows: readonly { kind: string; detail: string; n: number | string | bigint }[]): LetterTallies {
  const out: LetterTallies = new Map();
  for (const row of rows) {
    const m = /^(\d+):(\d+)$/.exec(row.detail);
    if (!m) continue;
    const letterId = Number(m[1]);
    const variantId = Number(m[2]);
    const byVariant = out.get(letterId) ?? new Map<number, VariantTally>();
    const t = byVariant.get(variantId) ?? { impressions: 0, clicks: 0 };
    if (row.kind === 'letter-impression') t.impressions += Number(row.n);
    else if (row.kind === 'letter-click') t.clicks += Number(row.n);
    byVariant.set(variantId, t);
    out.set(letterId, byVariant);
  }
  return out;
}

/** Impressions and clicks of every letter's variants, counted in the database. */
export async function letterTallies(db: Db): Promise<LetterTallies> {
  const rows = await db
    .selectFrom('events')
    .select((eb) => ['kind', 'detail', eb.fn.countAll<number>().as('n')])
    .where('kind', 'in', ['letter-impression', 'letter-click'])
    .groupBy(['kind', 'detail'])
    .execute();
  return tallyLetterEvents(rows);
}

/** "12.5%", or "–" before the first impression. */
export function clickRate(t: VariantTally): string {
  if (t.impressions === 0) return '–';
  return `${((t.clicks / t.impressions) * 100).toFixed(1)}%`;
}
