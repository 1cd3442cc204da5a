// Full-text search over published articles: SQLite FTS5 (bm25) or PostgreSQL tsvector
// (ts_rank_cd), ranked, with highlighted snippets. The dialect difference lives here only.
// Reader input never reaches the query language: it is reduced to plain word tokens.
import { sql } from 'kysely';
import type { Db, Dialect } from '../db/database.ts';
import { hydrateSummaries, type ArticleSummary } from './queries.ts';
import { escapeHtml } from './escape.ts';

export interface SearchHit {
  article: ArticleSummary;
  /** HTML: escaped text with <mark> around matches. */
  snippetHtml: string;
}

export interface SearchResult {
  hits: SearchHit[];
  total: number;
  terms: string[];
  /** Relevance, or newest first for very broad queries. */
  order: 'relevance' | 'newest';
}

const MAX_TERMS = 8;
const START = '\u0001';
const STOP = '\u0002';

/** Words a reader typed, lower-cased, without operators or punctuation. */
export function searchTerms(q: string): string[] {
  const words = q.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((w) => w.length <= 40))].slice(0, MAX_TERMS);
}

export async function searchArticles(ctx: { db: Db; dialect: Dialect }, q: string, page: { limit: number; offset: number }): Promise<SearchResult> {
  const terms = searchTerms(q);
  if (terms.length === 0) return { hits: [], total: 0, terms, order: 'relevance' };
  return ctx.dialect === 'sqlite' ? searchSqlite(ctx.db, terms, page) : searchPostgres(ctx.db, terms, page);
}

/**
 * Above this many matches, ranking every match by relevance costs more than a reader waits
 * (bm25 scores each one), and a query that broad is better answered newest first anyway.
 */
export const BROAD_QUERY_MATCHES = 10_000;

async function searchSqlite(db: Db, terms: string[], page: { limit: number; offset: number }): Promise<SearchResult> {
  // Each term quoted, so no operator syntax gets through; whole words, stemmed by the porter
  // tokenizer ("negotiations" finds "negotiating"). No implicit prefix matching: a short
  // prefix expands to thousands of terms and costs more than a reader waits.
  // The FTS table holds published articles only, so no join is needed to filter.
  const match = terms.map((t) => `"${t}"`).join(' ');
  const count = await sql<{ n: number }>`select count(*) as n from articles_fts where articles_fts match ${match}`.execute(db);
  const total = Number(count.rows[0]?.n ?? 0);
  if (total === 0) return { hits: [], total, terms, order: 'relevance' };
  if (total <= BROAD_QUERY_MATCHES) {
    const rows = await sql<{ id: number; snip: string }>`
      select rowid as id, snippet(articles_fts, -1, ${START}, ${STOP}, '…', 28) as snip
      from articles_fts where articles_fts match ${match}
      order by bm25(articles_fts, 8.0, 3.0, 1.0)
      limit ${page.limit} offset ${page.offset}`.execute(db);
    return { hits: await withSummaries(db, rows.rows), total, terms, order: 'relevance' };
  }
  // Broad: walk the publication-date index and keep the matching ones.
  const newest = await sql<{ id: number }>`
    select id from articles
    where status = 'published' and id in (select rowid from articles_fts where articles_fts match ${match})
    order by published_at desc, id desc
    limit ${page.limit} offset ${page.offset}`.execute(db);
  const ids = newest.rows.map((r) => r.id);
  if (ids.length === 0) return { hits: [], total, terms, order: 'newest' };
  const snippets = await sql<{ id: number; snip: string }>`
    select rowid as id, snippet(articles_fts, -1, ${START}, ${STOP}, '…', 28) as snip
    from articles_fts where articles_fts match ${match} and rowid in (${sql.join(ids)})`.execute(db);
  const byId = new Map(snippets.rows.map((r) => [r.id, r.snip]));
  return { hits: await withSummaries(db, ids.map((id) => ({ id, snip: byId.get(id) ?? '' }))), total, terms, order: 'newest' };
}

async function searchPostgres(db: Db, terms: string[], page: { limit: number; offset: number }): Promise<SearchResult> {
  const tsquery = terms.join(' & ');
  const [rows, count] = await Promise.all([
    sql<{ id: number; snip: string }>`
      with hits as (
        select id, coalesce(nullif(search_body, ''), dek) as shown, ts_rank_cd(search, q) as rank, published_at
        from articles, to_tsquery('english', ${tsquery}) q
        where search @@ q and status = 'published'
        order by rank desc, published_at desc
        limit ${page.limit} offset ${page.offset})
      select id, ts_headline('english', shown, to_tsquery('english', ${tsquery}),
        ${`StartSel=${START}, StopSel=${STOP}, MaxWords=35, MinWords=15, MaxFragments=1`}) as snip
      from hits order by rank desc, published_at desc`.execute(db),
    sql<{ n: number }>`select count(*) as n from articles where search @@ to_tsquery('english', ${tsquery}) and status = 'published'`.execute(db),
  ]);
  return { hits: await withSummaries(db, rows.rows), total: Number(count.rows[0]?.n ?? 0), terms, order: 'relevance' };
}

async function withSummaries(db: Db, rows: { id: number; snip: string }[]): Promise<SearchHit[]> {
  if (rows.length === 0) return [];
  // Filtered in code, not SQL: with a status condition SQLite prefers the status index and
  // walks every published article instead of fetching these few by id.
  const full = (
    await db
      .selectFrom('articles')
      .select(['id', 'url_path', 'headline', 'dek', 'published_at', 'updated_at', 'access', 'section_id', 'lead_image_id', 'lead_alt', 'word_count', 'status'])
      .where('id', 'in', rows.map((r) => r.id))
      .execute()
  ).filter((r) => r.status === 'published');
  const summaries = new Map((await hydrateSummaries(db, full)).map((s) => [s.id, s]));
  return rows
    .filter((r) => summaries.has(r.id))
    .map((r) => ({ article: summaries.get(r.id)!, snippetHtml: highlight(r.snip) }));
}

/** Escapes the snippet, then turns the engine's markers into <mark>. */
export function highlight(snippet: string): string {
  return escapeHtml(snippet.replace(/\s+/g, ' ').trim()).replaceAll(START, '<mark>').replaceAll(STOP, '</mark>');
}
