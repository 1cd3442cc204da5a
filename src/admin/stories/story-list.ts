// The newsroom's list of stories: every status, newest change first, filtered by status,
// section (with its sub-sections), byline, who started it, and words in the headline or dek.
import { z } from 'zod';
import { containsText } from '../../shared/like-pattern.ts';
import type { Db } from '../../db/database.ts';
import type { ArticleStatus } from '../../db/schema.ts';
import { SECTION_PATH_PATTERN } from '../../content/slug.ts';

/** How a story shows in the newsroom: "submitted" is a draft a writer has handed in. */
export const LIST_STATUSES = ['draft', 'submitted', 'scheduled', 'published'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];

export const STORIES_PER_PAGE = 25;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const filtersSchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum(LIST_STATUSES).optional()).catch(undefined),
  section: z.preprocess(blankToUndefined, z.string().trim().max(200).regex(SECTION_PATH_PATTERN).optional()).catch(undefined),
  author: z.preprocess(blankToUndefined, z.string().trim().max(120).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).optional()).catch(undefined),
  q: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()).catch(undefined),
  mine: z.preprocess((v) => v === '1' || v === 'on', z.boolean()).catch(false),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export type StoryListFilters = z.output<typeof filtersSchema>;

/** The list's query string, read leniently: a value that makes no sense is dropped, not an error. */
export function parseListFilters(query: Record<string, string | undefined>): StoryListFilters {
  return filtersSchema.parse({ ...query, page: query.page ?? 1 });
}

/** The query string for these filters on another page ('' when there is nothing to say). */
export function listQueryString(f: StoryListFilters, page: number): string {
  const p = new URLSearchParams();
  if (f.status) p.set('status', f.status);
  if (f.section) p.set('section', f.section);
  if (f.author) p.set('author', f.author);
  if (f.mine) p.set('mine', '1');
  if (f.q) p.set('q', f.q);
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface StoryListRow {
  id: number;
  headline: string;
  dek: string;
  status: ArticleStatus;
  listStatus: ListStatus;
  sectionPath: string;
  sectionName: string;
  authors: string[];
  updatedAt: number;
  publishedAt: number | null;
  submittedAt: number | null;
  urlPath: string | null;
  createdBy: number | null;
  createdByName: string | null;
}

export interface StoryListPage {
  rows: StoryListRow[];
  total: number;
  page: number;
  pageCount: number;
}

export function listStatusOf(status: ArticleStatus, submittedAt: number | null): ListStatus {
  return status === 'draft' && submittedAt !== null ? 'submitted' : status;
}

/** `%word%` for LIKE, with the pattern's own wildcards taken literally. */
export async function listStories(db: Db, f: StoryListFilters, opts: { staffId: number; perPage?: number }): Promise<StoryListPage> {
  const perPage = opts.perPage ?? STORIES_PER_PAGE;
  let base = db.selectFrom('articles').innerJoin('sections', 'sections.id', 'articles.section_id');
  if (f.status === 'draft') base = base.where('articles.status', '=', 'draft').where('articles.submitted_at', 'is', null);
  else if (f.status === 'submitted') base = base.where('articles.status', '=', 'draft').where('articles.submitted_at', 'is not', null);
  else if (f.status) base = base.where('articles.status', '=', f.status);
  if (f.section) {
    const path = f.section;
    // Section paths hold only letters, digits, '-' and '/', so the LIKE needs no escaping.
    base = base.where((eb) => eb.or([eb('sections.path', '=', path), eb('sections.path', 'like', `${path}/%`)]));
  }
  if (f.author) {
    const slug = f.author;
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('article_authors')
          .innerJoin('authors', 'authors.id', 'article_authors.author_id')
          .select('article_authors.article_id')
          .whereRef('article_authors.article_id', '=', 'articles.id')
          .where('authors.slug', '=', slug),
      ),
    );
  }
  if (f.mine) base = base.where('articles.created_by', '=', opts.staffId);
  const q = f.q;
  if (q) {
    // Staff-side search over every status: a plain case-insensitive match, the same on both databases.
    base = base.where((eb) => eb.or([containsText('articles.headline', q), containsText('articles.dek', q)]));
  }

  const countRow = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const total = Number(countRow?.n ?? 0);
  const pageCount = Math.max(1, Math.ceil(total / perPage));
  const page = Math.min(f.page, pageCount);

  const rows = await base
    .leftJoin('users', 'users.id', 'articles.created_by')
    .select([
      'articles.id', 'articles.headline', 'articles.dek', 'articles.status', 'articles.updated_at', 'articles.published_at',
      'articles.submitted_at', 'articles.url_path', 'articles.created_by', 'sections.path as section_path', 'sections.name as section_name',
      'users.name as creator_name', 'users.email as creator_email',
    ])
    .orderBy('articles.updated_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();

  const ids = rows.map((r) => r.id);
  const bylines = ids.length
    ? await db
        .selectFrom('article_authors')
        .innerJoin('authors', 'authors.id', 'article_authors.author_id')
        .select(['article_authors.article_id', 'authors.name'])
        .where('article_authors.article_id', 'in', ids)
        .orderBy('article_authors.article_id')
        .orderBy('article_authors.position')
        .execute()
    : [];
  const byArticle = new Map<number, string[]>();
  for (const b of bylines) byArticle.set(b.article_id, [...(byArticle.get(b.article_id) ?? []), b.name]);

  return {
    total,
    page,
    pageCount,
    rows: rows.map((r) => {
      const submittedAt = r.submitted_at === null ? null : Number(r.submitted_at);
      return {
        id: r.id,
        headline: r.headline,
        dek: r.dek,
        status: r.status,
        listStatus: listStatusOf(r.status, submittedAt),
        sectionPath: r.section_path,
        sectionName: r.section_name,
        authors: byArticle.get(r.id) ?? [],
        updatedAt: Number(r.updated_at),
        publishedAt: r.published_at === null ? null : Number(r.published_at),
        submittedAt,
        urlPath: r.url_path,
        createdBy: r.created_by,
        createdByName: r.created_by === null ? null : r.creator_name || (r.creator_email ?? '').split('@')[0] || null,
      };
    }),
  };
}

/** Bylines to filter by: every author, by name. */
export async function listBylineAuthors(db: Db): Promise<{ slug: string; name: string }[]> {
  return db.selectFrom('authors').select(['slug', 'name']).orderBy('name').execute();
}
