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
  if (terms.length === 0) return { hits: [], total: 0, terms };
  return ctx.dialect === 'sqlite' ? searchSqlite(ctx.db, terms, page) : searchPostgres(ctx.db, terms, page);
}

async function searchSqlite(db: Db, terms: string[], page: { limit: number; offset: number }): Promise<SearchResult> {
  // Each term quoted (no operators), the last one a prefix so "negotiat" finds "negotiations".
  const match = terms.map((t, i) => `"${t}"${i === terms.length - 1 && t.length >= 3 ? '*' : ''}`).join(' ');
  const [rows, count] = await Promise.all([
    sql<{ id: number; snip: string }>`
      select a.id, snippet(articles_fts, 2, ${START}, ${STOP}, '…', 28) as snip
      from articles_fts join articles a on a.id = articles_fts.rowid
      where articles_fts match ${match} and a.status = 'published'
      order by bm25(articles_fts, 8.0, 3.0, 1.0), a.published_at desc
      limit ${page.limit} offset ${page.offset}`.execute(db),
    sql<{ n: number }>`
      select count(*) as n from articles_fts join articles a on a.id = articles_fts.rowid
      where articles_fts match ${match} and a.status = 'published'`.execute(db),
  ]);
  return { hits: await withSummaries(db, rows.rows), total: Number(count.rows[0]?.n ?? 0), terms };
}

async function searchPostgres(db: Db, terms: string[], page: { limit: number; offset: number }): Promise<SearchResult> {
  const tsquery = terms.map((t, i) => (i === terms.length - 1 && t.length >= 3 ? `${t}:*` : t)).join(' & ');
  const [rows, count] = await Promise.all([
    sql<{ id: number; snip: string }>`
      with hits as (
        select id, body_text, ts_rank_cd(search, q) as rank, published_at
        from articles, to_tsquery('english', ${tsquery}) q
        where search @@ q and status = 'published'
        order by rank desc, published_at desc
        limit ${page.limit} offset ${page.offset})
      select id, ts_headline('english', body_text, to_tsquery('english', ${tsquery}),
        ${`StartSel=${START}, StopSel=${STOP}, MaxWords=35, MinWords=15, MaxFragments=1`}) as snip
      from hits order by rank desc, published_at desc`.execute(db),
    sql<{ n: number }>`select count(*) as n from articles where search @@ to_tsquery('english', ${tsquery}) and status = 'published'`.execute(db),
  ]);
  return { hits: await withSummaries(db, rows.rows), total: Number(count.rows[0]?.n ?? 0), terms };
}

async function withSummaries(db: Db, rows: { id: number; snip: string }[]): Promise<SearchHit[]> {
  if (rows.length === 0) return [];
  const full = await db
    .selectFrom('articles')
    .select(['id', 'url_path', 'headline', 'dek', 'published_at', 'updated_at', 'access', 'section_id', 'lead_image_id', 'lead_alt', 'word_count'])
    .where('id', 'in', rows.map((r) => r.id))
    .execute();
  const summaries = new Map((await hydrateSummaries(db, full)).map((s) => [s.id, s]));
  return rows
    .filter((r) => summaries.has(r.id))
    .map((r) => ({ article: summaries.get(r.id)!, snippetHtml: highlight(r.snip) }));
}

/** Escapes the snippet, then turns the engine's markers into <mark>. */
export function highlight(snippet: string): string {
  return escapeHtml(snippet.replace(/\s+/g, ' ').trim()).replaceAll(START, '<mark>').replaceAll(STOP, '</mark>');
}
