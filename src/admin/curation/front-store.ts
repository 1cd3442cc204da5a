// Reads and saves the curated front page (table front_page: slot 0 the lead, 1…n the top
// stories). A save replaces the whole arrangement in one transaction.
import type { Db, Tx } from '../../db/database.ts';
import type { ArticleStatus } from '../../db/schema.ts';
import { recordAudit, type Actor } from '../audit.ts';
import { changeContent, done, refuse, type Outcome } from './content-change.ts';
import type { FieldErrors } from '../form-result.ts';
import { checkFrontOrder, idsIn, signatureOf, type FrontDraft, type FrontOrder, type StoryFact } from './front-page.ts';

export const CANDIDATE_COUNT = 50;

/** A story as the front-page screen lists it. */
export interface FrontStory {
  id: number;
  headline: string;
  status: ArticleStatus;
  publishedAt: number | null;
  sectionName: string;
  urlPath: string | null;
}

export interface SavedFront {
  lead: FrontStory | null;
  top: FrontStory[];
  /** Everything saved, in slot order (stories unpublished since included). */
  saved: FrontOrder;
}

function storyQuery(db: Db | Tx) {
  return db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select(['articles.id', 'articles.headline', 'articles.status', 'articles.published_at', 'articles.url_path', 'sections.name as section_name']);
}

type StoryRow = { id: number; headline: string; status: ArticleStatus; published_at: number | null; url_path: string | null; section_name: string };

const toStory = (r: StoryRow): FrontStory => ({
  id: r.id,
  headline: r.headline,
  status: r.status,
  publishedAt: r.published_at === null ? null : Number(r.published_at),
  sectionName: r.section_name,
  urlPath: r.url_path,
});

async function readOrder(db: Db | Tx): Promise<FrontOrder> {
  const rows = await db.selectFrom('front_page').select(['slot', 'article_id']).orderBy('slot').execute();
  return { lead: rows.find((r) => r.slot === 0)?.article_id ?? null, top: rows.filter((r) => r.slot > 0).map((r) => r.article_id) };
}

export async function loadFront(db: Db): Promise<SavedFront> {
  const saved = await readOrder(db);
  const ids = [...(saved.lead === null ? [] : [saved.lead]), ...saved.top];
  const rows = ids.length ? await storyQuery(db).where('articles.id', 'in', ids).execute() : [];
  const byId = new Map(rows.map((r) => [r.id, toStory(r)]));
  return {
    lead: saved.lead === null ? null : byId.get(saved.lead) ?? null,
    top: saved.top.map((id) => byId.get(id)).filter((s): s is FrontStory => s !== undefined),
    saved,
  };
}

/** The latest published stories, to choose from. */
export async function listCandidates(db: Db, limit = CANDIDATE_COUNT): Promise<FrontStory[]> {
  const rows = await storyQuery(db)
    .where('articles.status', '=', 'published')
    .orderBy('articles.published_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toStory);
}

/** Stories by id, whatever their status (to name them in messages). */
export async function findStories(db: Db | Tx, ids: number[]): Promise<Map<number, FrontStory>> {
  if (ids.length === 0) return new Map();
  const rows = await storyQuery(db).where('articles.id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, toStory(r)]));
}

export type FrontRefusal = { kind: 'stale' } | { kind: 'invalid'; errors: FieldErrors };

/**
 * Replaces the front page with `draft` when every story in it is published, none repeats and
 * there are at most eight top stories — checked inside the transaction, against the stories
 * as they are at that moment. With `basis`, refuses when the saved arrangement is no longer
 * the one the editor's page showed (another editor saved meanwhile).
 */
export async function saveFrontPage(
  db: Db,
  input: { draft: FrontDraft; basis?: string; actor: Actor; now: number },
): Promise<Outcome<FrontOrder, FrontRefusal>> {
  return changeContent<FrontOrder, FrontRefusal>(db, async (tx) => {
    if (input.basis !== undefined && input.basis !== signatureOf(await readOrder(tx))) return refuse({ kind: 'stale' });
    const stories = await findStories(tx, idsIn(input.draft));
    const facts = new Map<number, StoryFact>([...stories].map(([id, s]) => [id, { id, headline: s.headline, status: s.status }]));
    const check = checkFrontOrder(input.draft, facts);
    if (!check.ok) return refuse({ kind: 'invalid', errors: check.errors });
    const { order } = check;
    await tx.deleteFrom('front_page').execute();
    const rows = [
      ...(order.lead === null ? [] : [{ slot: 0, article_id: order.lead }]),
      ...order.top.map((id, i) => ({ slot: i + 1, article_id: id })),
    ];
    if (rows.length) await tx.insertInto('front_page').values(rows).execute();
    await recordAudit(tx, { actor: input.actor, action: 'front-page', detail: describe(order, stories), at: input.now });
    return done(order);
  });
}

function describe(order: FrontOrder, stories: Map<number, FrontStory>): string {
  const name = (id: number) => `“${stories.get(id)?.headline ?? `#${id}`}”`;
  const lead = order.lead === null ? 'no lead (the newest story leads)' : `lead ${name(order.lead)}`;
  const top = order.top.length ? `top stories ${order.top.map(name).join(', ')}` : 'no top stories';
  const text = `${lead}; ${top}`;
  return text.length > 1000 ? `${text.slice(0, 999)}…` : text;
}
