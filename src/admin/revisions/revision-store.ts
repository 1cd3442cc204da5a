// Reads for the history pages: the story's head, its revisions in the order they were saved
// (ids only grow, so id order is save order even when two saves share a millisecond), and the
// story as it stands now in the shape of a revision, to compare against.
import type { Db, Tx } from '../../db/database.ts';
import type { ArticleStatus, AccessClass } from '../../db/schema.ts';
import type { Block } from '../../content/blocks.ts';
import type { StoredImage } from '../../content/image-store.ts';
import { normaliseSnapshot, parseSnapshot, type RevisionSnapshot } from './snapshot.ts';

export interface StoryHead {
  id: number;
  headline: string;
  status: ArticleStatus;
  createdBy: number | null;
  sectionPath: string;
  slug: string;
  urlPath: string | null;
  publishedAt: number | null;
  access: AccessClass;
  blocks: Block[];
}

/** The story's head: what the history pages show of it and what a restore must know. */
export async function loadStoryHead(db: Db | Tx, id: number): Promise<StoryHead | null> {
  const row = await db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select([
      'articles.id', 'articles.headline', 'articles.status', 'articles.created_by', 'articles.slug', 'articles.url_path',
      'articles.published_at', 'articles.access', 'articles.blocks', 'sections.path',
    ])
    .where('articles.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  let blocks: Block[] = [];
  try {
    blocks = JSON.parse(row.blocks) as Block[];
  } catch {
    blocks = [];
  }
  return {
    id: row.id,
    headline: row.headline,
    status: row.status,
    createdBy: row.created_by,
    sectionPath: row.path,
    slug: row.slug,
    urlPath: row.url_path,
    publishedAt: row.published_at === null ? null : Number(row.published_at),
    access: row.access,
    blocks,
  };
}

export interface Revision {
  id: number;
  articleId: number;
  createdAt: number;
  /** 'import', 'demo' or the staff member's e-mail. */
  source: string;
  snapshot: RevisionSnapshot;
}

type RevisionRow = { id: number; article_id: number; created_at: number; source: string; snapshot: string };

function toRevision(r: RevisionRow): Revision {
  return { id: r.id, articleId: r.article_id, createdAt: Number(r.created_at), source: r.source, snapshot: parseSnapshot(r.snapshot) };
}

export async function countRevisions(db: Db, articleId: number): Promise<number> {
  const row = await db.selectFrom('revisions').select((eb) => eb.fn.countAll<number>().as('n')).where('article_id', '=', articleId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** One page of revisions, newest first, each with the one saved before it (null for the first). */
export async function listRevisions(db: Db, articleId: number, page: { limit: number; offset: number }): Promise<{ items: { revision: Revision; previous: Revision | null }[]; hasMore: boolean }> {
  // One more than the page: the oldest shown needs its predecessor too.
  const rows = await db
    .selectFrom('revisions')
    .selectAll()
    .where('article_id', '=', articleId)
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .offset(page.offset)
    .execute();
  const revisions = rows.map(toRevision);
  const items = revisions.slice(0, page.limit).map((revision, i) => ({ revision, previous: revisions[i + 1] ?? null }));
  return { items, hasMore: revisions.length > page.limit };
}

/** A revision of this story with the one saved before it, and whether it is the latest. */
export async function getRevision(db: Db, articleId: number, revisionId: number): Promise<{ revision: Revision; previous: Revision | null; isLatest: boolean } | null> {
  const row = await db.selectFrom('revisions').selectAll().where('id', '=', revisionId).where('article_id', '=', articleId).executeTakeFirst();
  if (!row) return null;
  const [prev, next] = await Promise.all([
    db.selectFrom('revisions').selectAll().where('article_id', '=', articleId).where('id', '<', revisionId).orderBy('id', 'desc').limit(1).executeTakeFirst(),
    db.selectFrom('revisions').select('id').where('article_id', '=', articleId).where('id', '>', revisionId).limit(1).executeTakeFirst(),
  ]);
  return { revision: toRevision(row), previous: prev ? toRevision(prev) : null, isLatest: !next };
}

/** The story as it stands, in a revision's shape (corrections included). */
export async function currentSnapshot(db: Db | Tx, articleId: number): Promise<RevisionSnapshot | null> {
  const row = await db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .selectAll('articles')
    .select('sections.path as section_path')
    .where('articles.id', '=', articleId)
    .executeTakeFirst();
  if (!row) return null;
  const [authors, tags, corrections] = await Promise.all([
    db
      .selectFrom('article_authors')
      .innerJoin('authors', 'authors.id', 'article_authors.author_id')
      .select('authors.name')
      .where('article_authors.article_id', '=', articleId)
      .orderBy('article_authors.position')
      .execute(),
    db
      .selectFrom('article_tags')
      .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
      .select('tags.name')
      .where('article_tags.article_id', '=', articleId)
      .orderBy('tags.name')
      .execute(),
    db.selectFrom('corrections').select(['corrected_at', 'text']).where('article_id', '=', articleId).orderBy('corrected_at').orderBy('id').execute(),
  ]);
  return normaliseSnapshot({
    headline: row.headline,
    dek: row.dek,
    section: row.section_path,
    slug: row.slug,
    authors: authors.map((a) => a.name),
    dateline: row.dateline,
    published: row.published_at === null ? null : Number(row.published_at),
    access: row.access,
    tags: tags.map((t) => t.name),
    body: row.body_md,
    image: row.lead_image_id ? { id: row.lead_image_id, caption: row.lead_caption, credit: row.lead_credit, alt: row.lead_alt } : null,
    corrections: corrections.map((c) => ({ at: Number(c.corrected_at), text: c.text })),
  });
}

export async function imagesById(db: Db, ids: string[]): Promise<Map<string, StoredImage>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('images').selectAll().where('id', 'in', ids).execute();
  const out = new Map<string, StoredImage>();
  for (const r of rows) {
    let widths: number[] = [];
    try {
      widths = (JSON.parse(r.widths) as unknown[]).map(Number).filter((w) => Number.isFinite(w));
    } catch {
      widths = [];
    }
    out.set(r.id, { id: r.id, width: r.width, height: r.height, format: r.format, widths });
  }
  return out;
}

export async function sectionExists(db: Db, path: string): Promise<boolean> {
  if (!path) return false;
  return (await db.selectFrom('sections').select('id').where('path', '=', path).executeTakeFirst()) !== undefined;
}

export async function storyHeadlines(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('articles').select(['id', 'headline']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.headline]));
}
