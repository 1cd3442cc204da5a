// Reads for the history pages: the story's head, its revisions in the order they were saved
// (ids only grow, so id order is save order even when two saves share a millisecond), and the
// story as it stands now in the shape of a revision, to compare against.
import type { Db, Tx } from '../../db/database.ts';
import type { ArticleStatus, AccessClass } from '../../db/schema.ts';
import type { Block } from '../../content/blocks.ts';
import { normaliseSnapshot, parseSnapshot, type RevisionSnapshot } from './snapshot.ts';
import { loadStory } from '../stories/story-record.ts';

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
  const story = await loadStory(db, articleId);
  if (!story) return null;
  return normaliseSnapshot({
    headline: story.headline,
    dek: story.dek,
    section: story.sectionPath,
    slug: story.slug,
    authors: story.authors,
    dateline: story.dateline,
    published: story.publishedAt,
    access: story.access,
    tags: story.tags,
    body: story.bodyMarkdown,
    image: story.leadImage ? { id: story.leadImage.id, caption: story.leadCaption, credit: story.leadCredit, alt: story.leadAlt } : null,
    corrections: story.corrections,
  });
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
