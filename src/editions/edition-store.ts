// Editions as rows: one per ISO week, numbered in week order, a draft editors arrange and
// then published once. Every change is one conditional UPDATE on (id, updated_at) or
// (id, status), so a second click, a stale form or a second app instance gets a reason
// instead of overwriting someone else's work or announcing the edition twice.
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { EditionsTable } from '../db/schema.ts';
import { getPublication } from '../content/publication.ts';
import { listSections } from '../content/queries.ts';
import { compareImportance, selectEditionStories, type EditionCandidate } from './selection.ts';
import { parseWeek, weekDateLine, weekRange } from './week.ts';
import { announceEdition } from './announce.ts';

export type EditionRow = Selectable<EditionsTable>;

/** Events that are not somebody reading the story (appeals shown, links followed in mail). */
const NOT_VIEWS = ['letter-impression', 'letter-click', 'newsletter-click'];
/** Tries before giving up when other processes keep taking the next number first. */
const ENSURE_TRIES = 5;

/** An edition cannot be numbered in week order: a later week's edition is already published. */
export class EditionOrderError extends Error {
  constructor(week: string, laterWeek: string) {
    super(`cannot prepare ${week}: the edition of the later week ${laterWeek} is already published and numbered`);
    this.name = 'EditionOrderError';
  }
}

/** The ids in story_ids, or null when the edition is automatic (or the column is unreadable). */
export function parseStoryIds(json: string | null): number[] | null {
  if (json === null) return null;
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((x): x is number => Number.isInteger(x)) : null;
  } catch {
    return null;
  }
}

export function parseCoverLines(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Facts about every story published in the week, for selectEditionStories. */
export async function editionCandidates(db: Db, opts: { week: string; timeZone: string }): Promise<EditionCandidate[]> {
  const range = weekRange(opts.week, opts.timeZone);
  const rows = await db
    .selectFrom('articles')
    .leftJoin('front_page', 'front_page.article_id', 'articles.id')
    .select(['articles.id', 'articles.section_id', 'articles.published_at', 'articles.word_count', 'articles.access', 'front_page.slot'])
    .where('articles.status', '=', 'published')
    .where('articles.published_at', '>=', range.startsAt)
    .where('articles.published_at', '<', range.endsAt)
    .execute();
  if (rows.length === 0) return [];
  const views = await db
    .selectFrom('events')
    .select(['article_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('article_id', 'in', rows.map((r) => r.id))
    .where('kind', 'not in', NOT_VIEWS)
    .where('created_at', '>=', range.startsAt)
    .where('created_at', '<', range.endsAt)
    .groupBy('article_id')
    .execute();
  const viewsById = new Map(views.map((v) => [Number(v.article_id), Number(v.n)]));
  // The paper's order, as everywhere else (position, then path).
  const sections = await listSections(db);
  const sectionRank = new Map(sections.map((s, i) => [s.id, i]));
  return rows.map((r) => ({
    id: r.id,
    sectionId: r.section_id,
    sectionPosition: sectionRank.get(r.section_id) ?? sections.length,
    publishedAt: Number(r.published_at),
    wordCount: r.word_count,
    frontPageSlot: r.slot ?? null,
    views: viewsById.get(r.id) ?? 0,
    access: r.access,
  }));
}

/**
 * The edition's stories in reading order: the editor's (those still published) when arranged,
 * else the automatic selection of the week's stories. `cover` is the story the cover sells:
 * the chosen cover story while it is in the edition, else the most important one.
 */
export async function editionStoryIds(db: Db, opts: { edition: EditionRow; timeZone: string }): Promise<{ ids: number[]; coverId: number | null }> {
  const arranged = parseStoryIds(opts.edition.story_ids);
  let ids: number[];
  let mostImportant: number | null = null;
  if (arranged) {
    const published = arranged.length === 0
      ? []
      : await db.selectFrom('articles').select('id').where('id', 'in', arranged).where('status', '=', 'published').execute();
    const live = new Set(published.map((r) => r.id));
    ids = arranged.filter((id) => live.has(id));
    mostImportant = ids[0] ?? null;
  } else {
    const candidates = await editionCandidates(db, { week: opts.edition.week, timeZone: opts.timeZone });
    ids = selectEditionStories({ candidates });
    const chosen = new Set(ids);
    mostImportant = candidates.filter((c) => chosen.has(c.id)).sort(compareImportance)[0]?.id ?? null;
  }
  const cover = opts.edition.cover_story_id;
  return { ids, coverId: cover !== null && ids.includes(cover) ? cover : mostImportant };
}

export async function getEdition(db: Db, by: { id: number } | { week: string }): Promise<EditionRow | null> {
  const q = db.selectFrom('editions').selectAll();
  const row = 'id' in by ? await q.where('id', '=', by.id).executeTakeFirst() : await q.where('week', '=', by.week).executeTakeFirst();
  return row ?? null;
}

/** Newest week first. */
export async function listEditions(db: Db, opts: { publishedOnly: boolean; limit: number; offset: number }): Promise<EditionRow[]> {
  let q = db.selectFrom('editions').selectAll();
  if (opts.publishedOnly) q = q.where('status', '=', 'published');
  return q.orderBy('week', 'desc').limit(opts.limit).offset(opts.offset).execute();
}

/**
 * The week's edition: the existing one, whatever its state, or a new draft numbered in week
 * order (later drafts move up one), with the week's automatic stories, the most important of
 * them on the cover and its headline as the title. The unique week settles a race between
 * processes; the unique number makes a loser try again.
 */
export async function ensureEdition(db: Db, opts: { week: string; timeZone: string; now: number }): Promise<EditionRow> {
  const week = parseWeek(opts.week);
  if (!week) throw new RangeError(`not an ISO week (YYYY-Www): ${JSON.stringify(opts.week)}`);
  const existing = await getEdition(db, { week });
  if (existing) return existing;

  const probe = { week, story_ids: null, cover_story_id: null } as EditionRow;
  const { coverId } = await editionStoryIds(db, { edition: probe, timeZone: opts.timeZone });
  const cover = coverId === null ? undefined : await db.selectFrom('articles').select('headline').where('id', '=', coverId).executeTakeFirst();
  const title = cover?.headline ?? `The week of ${weekDateLine(week)}`;

  let lastError: unknown = null;
  for (let tries = 0; tries < ENSURE_TRIES; tries++) {
    try {
      await db.transaction().execute(async (tx) => {
        const later = await tx.selectFrom('editions').select(['id', 'week', 'number', 'status']).where('week', '>', week).orderBy('week').execute();
        const published = later.find((e) => e.status === 'published');
        if (published) throw new EditionOrderError(week, published.week);
        const before = await tx.selectFrom('editions').select((eb) => eb.fn.max('number').as('n')).where('week', '<', week).executeTakeFirst();
        const number = Number(before?.n ?? 0) + 1;
        if (later.length > 0) {
          // Two steps, so no row ever holds a number another still has (uniqueness is checked per row).
          // Each re-checks that the later editions are still drafts and counts the rows: under
          // PostgreSQL's read committed, one published meanwhile is skipped, not renumbered.
          const ids = later.map((e) => e.id);
          const first = await tx.updateTable('editions').set((eb) => ({ number: eb(eb.neg(eb.ref('number')), '-', 1) })).where('id', 'in', ids).where('status', '=', 'draft').executeTakeFirst();
          if (Number(first.numUpdatedRows) !== ids.length) await laterChanged(tx, week, ids);
          const second = await tx.updateTable('editions').set((eb) => ({ number: eb.neg(eb.ref('number')) })).where('id', 'in', ids).where('status', '=', 'draft').executeTakeFirst();
          if (Number(second.numUpdatedRows) !== ids.length) await laterChanged(tx, week, ids);
        }
        await tx.insertInto('editions').values({
          week, number, title, intro: '', status: 'draft', cover_story_id: coverId, cover_lines: '[]', story_ids: null,
          created_at: opts.now, updated_at: opts.now, updated_by: null, published_at: null, announced_issue_id: null,
        }).execute();
      });
      return (await getEdition(db, { week }))!;
    } catch (err) {
      if (err instanceof EditionOrderError) throw err;
      lastError = err;
      const now = await getEdition(db, { week });
      if (now) return now;
    }
  }
  throw lastError;
}

/** Throws (rolling back the renumbering): EditionOrderError when a later edition was published meanwhile, else an error to try again. */
async function laterChanged(tx: Db, week: string, ids: number[]): Promise<never> {
  const published = await tx.selectFrom('editions').select('week').where('id', 'in', ids).where('status', '=', 'published').orderBy('week').executeTakeFirst();
  if (published) throw new EditionOrderError(week, published.week);
  throw new Error(`the editions after ${week} changed while they were renumbered`);
}

export interface EditionChange {
  title?: string;
  intro?: string;
  coverStoryId?: number | null;
  coverLines?: string[];
  /** The editor's stories in order; null returns the edition to the automatic selection. */
  storyIds?: number[] | null;
}

export type EditionUpdateResult = { ok: true; edition: EditionRow } | { ok: false; reason: 'not-found' | 'stale' | 'unknown-story' };

/**
 * Saves an editor's change. Published editions may still be corrected (their files rebuild,
 * since the content's hash changes). With `expectUpdatedAt`, a save based on an older copy is
 * refused as stale rather than silently overwriting a colleague's.
 */
export async function updateEdition(db: Db, id: number, change: EditionChange, opts: { now: number; userId: number | null; expectUpdatedAt?: number }): Promise<EditionUpdateResult> {
  const edition = await getEdition(db, { id });
  if (!edition) return { ok: false, reason: 'not-found' };
  if (opts.expectUpdatedAt !== undefined && opts.expectUpdatedAt !== edition.updated_at) return { ok: false, reason: 'stale' };

  let storyIds = change.storyIds;
  if (storyIds) storyIds = [...new Set(storyIds)];
  const mustExist = [...(storyIds ?? []), ...(change.coverStoryId != null ? [change.coverStoryId] : [])];
  if (mustExist.length > 0) {
    const wanted = [...new Set(mustExist)];
    const found = await db.selectFrom('articles').select('id').where('id', 'in', wanted).where('status', '=', 'published').execute();
    if (found.length !== wanted.length) return { ok: false, reason: 'unknown-story' };
  }

  // Strictly later than the copy it replaces, so two saves within one millisecond still differ.
  const updatedAt = Math.max(opts.now, edition.updated_at + 1);
  const result = await db
    .updateTable('editions')
    .set({
      ...(change.title !== undefined ? { title: change.title } : {}),
      ...(change.intro !== undefined ? { intro: change.intro } : {}),
      ...(change.coverStoryId !== undefined ? { cover_story_id: change.coverStoryId } : {}),
      ...(change.coverLines !== undefined ? { cover_lines: JSON.stringify(change.coverLines.map((l) => l.trim()).filter((l) => l !== '')) } : {}),
      ...(storyIds !== undefined ? { story_ids: storyIds === null ? null : JSON.stringify(storyIds) } : {}),
      updated_at: updatedAt,
      updated_by: opts.userId,
    })
    .where('id', '=', id)
    .where('updated_at', '=', edition.updated_at)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return { ok: false, reason: (await getEdition(db, { id })) ? 'stale' : 'not-found' };
  return { ok: true, edition: (await getEdition(db, { id }))! };
}

export type PublishResult = { ok: true; announcedIssueId: number | null } | { ok: false; reason: 'not-found' | 'already-published' | 'no-stories' };

/** Tries before giving up when editors keep saving the draft while it is being published. */
const PUBLISH_TRIES = 5;

/** The publication as a published edition prints it: as it was when published, else as it is now. */
export function editionPublication(edition: EditionRow, current: { name: string; tagline: string; publicUrl: string }): { name: string; tagline: string; publicUrl: string } {
  return {
    name: edition.publication_name ?? current.name,
    tagline: edition.publication_tagline ?? current.tagline,
    publicUrl: (edition.public_url ?? current.publicUrl).replace(/\/+$/, ''),
  };
}

/**
 * Announces a published edition that has no announcement yet: the jobs' retry for a crash
 * between publishing and announcing. Null when there is nothing to do.
 */
export async function announceIfMissing(deps: { db: Db; publicUrl: string; now: number }, edition: EditionRow): Promise<number | null> {
  if (edition.status !== 'published' || edition.announced_issue_id !== null) return null;
  const publication = await getPublication(deps.db);
  const { ids, coverId } = await editionStoryIds(deps.db, { edition, timeZone: publication.timeZone });
  if (ids.length === 0) return null;
  const as = editionPublication(edition, { name: publication.name, tagline: publication.tagline, publicUrl: deps.publicUrl });
  return announceEdition({ ...deps, publicUrl: as.publicUrl }, { edition, storyIds: ids, coverId, publicationName: as.name, timeZone: publication.timeZone });
}

/**
 * Draft → published, once: the conditional UPDATE lets one caller through (the editor's
 * click, the Monday job, the CLI or another instance) and tells the others it is already
 * published. Only that caller announces it, on the `weekly` list (see announce.ts).
 * The same UPDATE freezes what is published: the stories and cover story (an automatic
 * edition no longer follows the week's stories) and the publication's name, tagline and
 * address; it is conditional on the copy those were read from too, so an editor's save in
 * between is read again rather than lost. Later corrections go through updateEdition.
 */
export async function publishEdition(deps: { db: Db; publicUrl: string; now: number }, id: number): Promise<PublishResult> {
  const { db, now } = deps;
  for (let tries = 0; tries < PUBLISH_TRIES; tries++) {
    const edition = await getEdition(db, { id });
    if (!edition) return { ok: false, reason: 'not-found' };
    if (edition.status === 'published') return { ok: false, reason: 'already-published' };
    const publication = await getPublication(db);
    const { ids, coverId } = await editionStoryIds(db, { edition, timeZone: publication.timeZone });
    if (ids.length === 0) return { ok: false, reason: 'no-stories' };

    const moved = await db
      .updateTable('editions')
      .set({
        status: 'published',
        published_at: now,
        updated_at: Math.max(now, edition.updated_at + 1),
        story_ids: JSON.stringify(ids),
        cover_story_id: coverId,
        publication_name: publication.name,
        publication_tagline: publication.tagline,
        public_url: deps.publicUrl.replace(/\/+$/, ''),
      })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .where('updated_at', '=', edition.updated_at)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) continue; // published, deleted or saved meanwhile: look again

    const published = (await getEdition(db, { id }))!;
    const announcedIssueId = await announceEdition(
      { db, publicUrl: deps.publicUrl, now },
      { edition: published, storyIds: ids, coverId, publicationName: publication.name, timeZone: publication.timeZone },
    );
    return { ok: true, announcedIssueId };
  }
  throw new Error(`edition ${id} kept changing while it was being published`);
}
