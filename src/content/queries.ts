// Reads for the reader site, feeds and sitemaps. Only published articles are ever returned;
// lists hydrate bylines and pictures in one extra query per page, not one per article.
import type { Db, Tx } from '../db/database.ts';
import type { StoredImage } from './image-store.ts';
import type { AccessClass, ArticleRow, SectionRow } from '../db/schema.ts';
import type { Block, ImageRef } from './blocks.ts';
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import { containsText } from '../shared/like-pattern.ts';

export interface Byline {
  name: string;
  slug: string;
}

export interface SectionRef {
  id: number;
  path: string;
  name: string;
}

export interface ArticleSummary {
  id: number;
  urlPath: string;
  headline: string;
  dek: string;
  publishedAt: number;
  updatedAt: number;
  access: AccessClass;
  section: SectionRef;
  authors: Byline[];
  image: ImageRef | null;
  imageAlt: string;
  wordCount: number;
}

export interface Correction {
  at: number;
  text: string;
}

export interface ArticleFull extends ArticleSummary {
  blocks: Block[];
  bodyText: string;
  dateline: string;
  imageCaption: string;
  imageCredit: string;
  tags: { name: string; slug: string }[];
  corrections: Correction[];
}

const SUMMARY_COLUMNS = [
  'articles.id', 'articles.url_path', 'articles.headline', 'articles.dek', 'articles.published_at', 'articles.updated_at',
  'articles.access', 'articles.section_id', 'articles.lead_image_id', 'articles.lead_alt', 'articles.word_count',
] as const;

type SummaryRow = Pick<ArticleRow, 'id' | 'url_path' | 'headline' | 'dek' | 'published_at' | 'updated_at' | 'access' | 'section_id' | 'lead_image_id' | 'lead_alt' | 'word_count'>;

export interface ListQuery {
  /** Articles in any of these sections (pass a section and its descendants). */
  sectionIds?: number[];
  authorId?: number;
  tagId?: number;
  /** Published at or after (ms). */
  since?: number;
  limit: number;
  offset?: number;
}

function listBase(db: Db, q: Omit<ListQuery, 'limit' | 'offset'>) {
  let query = db.selectFrom('articles').where('articles.status', '=', 'published');
  if (q.sectionIds) query = query.where('articles.section_id', 'in', q.sectionIds.length ? q.sectionIds : [-1]);
  if (q.since !== undefined) query = query.where('articles.published_at', '>=', q.since);
  if (q.authorId !== undefined) {
    const authorId = q.authorId;
    query = query.where((eb) => eb.exists(eb.selectFrom('article_authors').select('article_id').whereRef('article_authors.article_id', '=', 'articles.id').where('article_authors.author_id', '=', authorId)));
  }
  if (q.tagId !== undefined) {
    const tagId = q.tagId;
    query = query.where((eb) => eb.exists(eb.selectFrom('article_tags').select('article_id').whereRef('article_tags.article_id', '=', 'articles.id').where('article_tags.tag_id', '=', tagId)));
  }
  return query;
}

export async function listPublished(db: Db, q: ListQuery): Promise<ArticleSummary[]> {
  const rows = await listBase(db, q)
    .select(SUMMARY_COLUMNS)
    .orderBy('articles.published_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(q.limit)
    .offset(q.offset ?? 0)
    .execute();
  return hydrateSummaries(db, rows);
}

export async function countPublished(db: Db, q: Omit<ListQuery, 'limit' | 'offset'>): Promise<number> {
  const row = await listBase(db, q).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function hydrateSummaries(db: Db, rows: SummaryRow[]): Promise<ArticleSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [bylines, sections, images] = await Promise.all([
    db
      .selectFrom('article_authors')
      .innerJoin('authors', 'authors.id', 'article_authors.author_id')
      .select(['article_authors.article_id', 'authors.name', 'authors.slug'])
      .where('article_authors.article_id', 'in', ids)
      .orderBy('article_authors.position')
      .execute(),
    db.selectFrom('sections').select(['id', 'path', 'name']).where('id', 'in', [...new Set(rows.map((r) => r.section_id))]).execute(),
    imagesById(db, rows.map((r) => r.lead_image_id).filter((x): x is string => x !== null)),
  ]);
  const byArticle = new Map<number, Byline[]>();
  for (const b of bylines) {
    const list = byArticle.get(b.article_id) ?? [];
    list.push({ name: b.name, slug: b.slug });
    byArticle.set(b.article_id, list);
  }
  const sectionById = new Map(sections.map((s) => [s.id, s]));
  return rows.map((r) => ({
    id: r.id,
    urlPath: r.url_path!,
    headline: r.headline,
    dek: r.dek,
    publishedAt: r.published_at!,
    updatedAt: r.updated_at,
    access: r.access,
    section: sectionById.get(r.section_id)!,
    authors: byArticle.get(r.id) ?? [],
    image: r.lead_image_id ? images.get(r.lead_image_id) ?? null : null,
    imageAlt: r.lead_alt,
    wordCount: r.word_count,
  }));
}

/** Stored pictures by id, with their sizes and format; ids with no picture are absent. */
export async function imagesById(db: Db | Tx, ids: string[]): Promise<Map<string, StoredImage>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('images').select(['id', 'width', 'height', 'widths', 'format']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, width: r.width, height: r.height, format: r.format, widths: parseWidths(r.widths) }]));
}

function parseWidths(json: string): number[] {
  try {
    return (JSON.parse(json) as unknown[]).map(Number).filter((w) => Number.isFinite(w));
  } catch {
    return [];
  }
}

/** The published article at this URL path, with everything its page needs. */
export async function getPublishedByPath(db: Db, urlPath: string): Promise<ArticleFull | null> {
  const row = await db
    .selectFrom('articles')
    .selectAll()
    .where('url_path', '=', urlPath)
    .where('status', '=', 'published')
    .executeTakeFirst();
  return row ? hydrateFull(db, row) : null;
}

export async function getArticleById(db: Db, id: number): Promise<ArticleFull | null> {
  const row = await db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
  return row && row.url_path && row.published_at !== null ? hydrateFull(db, row) : null;
}

/** An article row with its bylines, section, picture, tags and corrections, whatever its status. */
export async function hydrateFull(db: Db, row: ArticleRow): Promise<ArticleFull> {
  const [[summary], tags, corrections] = await Promise.all([
    hydrateSummaries(db, [row]),
    db
      .selectFrom('article_tags')
      .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
      .select(['tags.name', 'tags.slug'])
      .where('article_tags.article_id', '=', row.id)
      .orderBy('tags.name')
      .execute(),
    db.selectFrom('corrections').select(['corrected_at', 'text']).where('article_id', '=', row.id).orderBy('corrected_at').execute(),
  ]);
  return {
    ...summary,
    blocks: JSON.parse(row.blocks) as Block[],
    bodyText: row.body_text,
    dateline: row.dateline,
    imageCaption: row.lead_caption,
    imageCredit: row.lead_credit,
    tags,
    corrections: corrections.map((c) => ({ at: c.corrected_at, text: c.text })),
  };
}

/** Where an old URL of a published article now lives, if anywhere. */
export async function findRedirect(db: Db, fromPath: string): Promise<string | null> {
  const row = await db
    .selectFrom('redirects')
    .innerJoin('articles', 'articles.id', 'redirects.article_id')
    .select('articles.url_path')
    .where('redirects.from_path', '=', fromPath)
    .where('articles.status', '=', 'published')
    .executeTakeFirst();
  return row?.url_path ?? null;
}

/**
 * Was there a published article at this path that is no longer published? (→ 410) Either the
 * article still holds the path but was unpublished, or the path is an old one of an article
 * that is now a draft.
 */
export async function isWithdrawn(db: Db, urlPath: string): Promise<boolean> {
  const held = await db.selectFrom('articles').select('status').where('url_path', '=', urlPath).executeTakeFirst();
  if (held) return held.status === 'draft';
  const old = await db
    .selectFrom('redirects')
    .innerJoin('articles', 'articles.id', 'redirects.article_id')
    .select('articles.status')
    .where('redirects.from_path', '=', urlPath)
    .executeTakeFirst();
  return old !== undefined && old.status === 'draft';
}

export async function listSections(db: Db): Promise<SectionRow[]> {
  return db.selectFrom('sections').selectAll().orderBy('position').orderBy('path').execute();
}

export async function authorBySlug(db: Db, slug: string) {
  return db.selectFrom('authors').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function tagBySlug(db: Db, slug: string) {
  return db.selectFrom('tags').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Published URL paths with their last change, for sitemaps; keyset-paged by id. */
export async function listUrlPaths(db: Db, opts: { limit: number; offset: number }) {
  return db
    .selectFrom('articles')
    .select(['id', 'url_path', 'updated_at', 'published_at'])
    .where('status', '=', 'published')
    .orderBy('id')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
}

/** Full articles for feeds: the newest first. */
export async function listPublishedFull(db: Db, q: { sectionIds?: number[]; limit: number }): Promise<ArticleFull[]> {
  let query = db.selectFrom('articles').selectAll().where('status', '=', 'published');
  if (q.sectionIds) query = query.where('section_id', 'in', q.sectionIds.length ? q.sectionIds : [-1]);
  const rows = await query.orderBy('published_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  return Promise.all(rows.map((r) => hydrateFull(db, r)));
}

/**
 * The front page the editors arranged: the lead (slot 0) and the top stories in slot order.
 * Stories no longer published are left out, so the home page skips them by itself.
 */
export async function listFrontPage(db: Db): Promise<{ lead: ArticleSummary | null; top: ArticleSummary[] }> {
  const rows = await db
    .selectFrom('front_page')
    .innerJoin('articles', 'articles.id', 'front_page.article_id')
    .select([...SUMMARY_COLUMNS, 'front_page.slot'])
    .where('articles.status', '=', 'published')
    .orderBy('front_page.slot')
    .execute();
  const summaries = await hydrateSummaries(db, rows);
  const isLead = new Set(rows.filter((r) => r.slot === 0).map((r) => r.id));
  return { lead: summaries.find((s) => isLead.has(s.id)) ?? null, top: summaries.filter((s) => !isLead.has(s.id)) };
}

/** One stored picture (a lead picture, an author's photo), or null. */
export async function getImage(db: Db | Tx, id: string): Promise<StoredImage | null> {
  return (await imagesById(db, [id])).get(id) ?? null;
}

/**
 * The newsroom's story picker (newsletter issues, Weekly editions): published stories, newest
 * first, whose headline or dek contains the search term (ignoring case, taken literally) or
 * whose id it is; at most `limit` (1–100, default 20). Callers add their joins and columns.
 */
export function searchPublishedStories(db: Db, opts: { query?: string; limit?: number }): SelectQueryBuilder<Database, 'articles', {}> {
  const limit = Math.min(Math.max(Math.floor(opts.limit ?? 20), 1), 100);
  const term = (opts.query ?? '').trim().slice(0, 200);
  let q = db.selectFrom('articles').where('articles.status', '=', 'published');
  if (term) {
    const asId = /^\d{1,9}$/.test(term) ? Number(term) : null;
    q = q.where((eb) => eb.or([
      containsText('articles.headline', term),
      containsText('articles.dek', term),
      ...(asId !== null ? [sql<boolean>`${sql.ref('articles.id')} = ${asId}`] : []),
    ]));
  }
  return q.orderBy('articles.published_at', 'desc').orderBy('articles.id', 'desc').limit(limit);
}
