// Writes articles: one transaction per save that updates the article, its bylines, tags,
// corrections, redirects and search index, and keeps a revision. Old or new version only,
// never half of each.
import { sql } from 'kysely';
import type { Db, Dialect, Tx } from '../db/database.ts';
import type { AccessClass, ArticleStatus } from '../db/schema.ts';
import { bodyText, countWords, type Block, type ImageRef } from './blocks.ts';
import { ContentError } from './errors.ts';
import { isValidSectionPath, slugify, SLUG_PATTERN } from './slug.ts';
import { urlDate } from './dates.ts';

export interface LeadImageInput {
  image: ImageRef & { format: string };
  caption: string;
  credit: string;
  alt: string;
}

export interface CorrectionInput {
  at: number;
  text: string;
}

export interface ArticleInput {
  headline: string;
  dek: string;
  sectionPath: string;
  authors: string[];
  dateline: string;
  /** null → draft; in the future → scheduled. */
  publishedAt: number | null;
  access: AccessClass;
  tags: string[];
  bodyMarkdown: string;
  /** Parsed from bodyMarkdown, inline images already stored and referenced. */
  blocks: Block[];
  leadImage: LeadImageInput | null;
  slug?: string;
  /** Edit this article (its section or slug may change). Without it, an article is matched by section + slug. */
  id?: number;
  /** When given, the article's corrections become exactly these. */
  corrections?: CorrectionInput[];
  /**
   * One correction added after those the article holds, as read inside the save's
   * transaction: two editors correcting a story at once both keep theirs.
   */
  appendCorrection?: CorrectionInput;
}

export interface SaveResult {
  id: number;
  urlPath: string | null;
  status: ArticleStatus;
  isNew: boolean;
}

export interface ContentContext {
  db: Db;
  dialect: Dialect;
}

export function statusFor(publishedAt: number | null, now: number): ArticleStatus {
  if (publishedAt === null) return 'draft';
  return publishedAt > now ? 'scheduled' : 'published';
}

export function articleUrlPath(sectionPath: string, publishedAt: number, slug: string, timeZone: string): string {
  return `/${sectionPath}/${urlDate(publishedAt, timeZone)}/${slug}`;
}

export async function saveArticle(
  ctx: ContentContext,
  input: ArticleInput,
  opts: {
    source: string;
    now: number;
    timeZone: string;
    /** Runs inside the save's transaction once the article is written: records that must commit or roll back with it (the newsroom's audit log). */
    within?: (tx: Tx, saved: SaveResult) => Promise<void>;
    /**
     * The article (input.id) as the caller last read it: if its updated_at has changed since,
     * another save came first and this one throws ContentError('stale'), writing nothing.
     */
    expect?: { updatedAt: number };
  },
): Promise<SaveResult> {
  const headline = input.headline.trim();
  if (!headline) throw new ContentError('invalid-article', 'headline is required');
  if (!isValidSectionPath(input.sectionPath)) {
    throw new ContentError('invalid-section', `section "${input.sectionPath}" is not a valid section path (e.g. USA/Foreign-Policy)`);
  }
  const slug = input.slug ?? slugify(headline);
  if (!SLUG_PATTERN.test(slug)) throw new ContentError('invalid-slug', `slug "${slug}" may hold only letters, digits and single dashes`);
  if (input.authors.length === 0) throw new ContentError('invalid-article', 'at least one author is required');

  const { now } = opts;
  const status = statusFor(input.publishedAt, now);
  const text = bodyText(input.blocks);

  const result = await ctx.db.transaction().execute(async (tx) => {
    if (opts.expect) await claimUnchanged(tx, input.id, opts.expect.updatedAt, now);
    const sectionId = await ensureSection(tx, input.sectionPath);
    for (const ref of collectImages(input)) await ensureImage(tx, ref, now);

    const bySlug = await tx
      .selectFrom('articles')
      .select(['id', 'url_path', 'created_at'])
      .where('section_id', '=', sectionId)
      .where('slug', '=', slug)
      .executeTakeFirst();
    let existing = bySlug;
    if (input.id !== undefined) {
      existing = await tx.selectFrom('articles').select(['id', 'url_path', 'created_at']).where('id', '=', input.id).executeTakeFirst();
      if (!existing) throw new ContentError('invalid-article', `there is no article ${input.id}`);
      if (bySlug && bySlug.id !== input.id) throw new ContentError('slug-taken', `another article in ${input.sectionPath} already uses the slug "${slug}"`);
    }
    const urlPath = input.publishedAt === null ? null : articleUrlPath(input.sectionPath, input.publishedAt, slug, opts.timeZone);

    const row = {
      section_id: sectionId,
      slug,
      url_path: urlPath,
      headline,
      dek: input.dek.trim(),
      body_md: input.bodyMarkdown,
      blocks: JSON.stringify(input.blocks),
      body_text: text,
      search_body: input.access === 'free' ? text : '',
      dateline: input.dateline.trim(),
      status,
      access: input.access,
      lead_image_id: input.leadImage?.image.id ?? null,
      lead_caption: input.leadImage?.caption.trim() ?? '',
      lead_credit: input.leadImage?.credit.trim() ?? '',
      lead_alt: input.leadImage?.alt.trim() ?? '',
      published_at: input.publishedAt,
      updated_at: now,
      word_count: countWords(text),
    };

    // Another article may hold this URL as an old redirect; the live article wins.
    if (urlPath) await tx.deleteFrom('redirects').where('from_path', '=', urlPath).execute();

    let id: number;
    if (existing) {
      id = existing.id;
      await tx.updateTable('articles').set(row).where('id', '=', id).execute();
      if (existing.url_path && existing.url_path !== urlPath) await addRedirect(tx, existing.url_path, id);
    } else {
      const inserted = await tx
        .insertInto('articles')
        .values({ ...row, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = inserted.id;
    }

    await setAuthors(tx, id, input.authors, now);
    await setTags(tx, id, input.tags);
    let corrections = input.corrections;
    if (input.corrections) await setCorrections(tx, id, input.corrections);
    if (input.appendCorrection) corrections = await appendCorrection(tx, id, input.appendCorrection);
    await updateSearchIndex(tx, ctx.dialect, id, status === 'published' ? { headline, dek: row.dek, body: row.search_body } : null);
    await tx
      .insertInto('revisions')
      .values({ article_id: id, created_at: now, source: opts.source, snapshot: JSON.stringify(snapshotOf({ ...input, corrections }, slug)) })
      .execute();
    await bumpContentVersion(tx);
    const saved = { id, urlPath, status, isNew: !existing };
    if (opts.within) await opts.within(tx, saved);
    return saved;
  });
  return result;
}

function snapshotOf(input: ArticleInput, slug: string) {
  return {
    headline: input.headline,
    dek: input.dek,
    section: input.sectionPath,
    slug,
    authors: input.authors,
    dateline: input.dateline,
    published: input.publishedAt,
    access: input.access,
    tags: input.tags,
    body: input.bodyMarkdown,
    image: input.leadImage ? { id: input.leadImage.image.id, caption: input.leadImage.caption, credit: input.leadImage.credit, alt: input.leadImage.alt } : null,
    corrections: input.corrections?.map((c) => ({ at: c.at, text: c.text })),
  };
}

function collectImages(input: ArticleInput): (ImageRef & { format?: string })[] {
  const refs: (ImageRef & { format?: string })[] = [];
  if (input.leadImage) refs.push(input.leadImage.image);
  for (const b of input.blocks) if (b.type === 'image' && b.image) refs.push(b.image);
  return refs;
}

async function ensureImage(tx: Tx, ref: ImageRef & { format?: string }, now: number): Promise<void> {
  await tx
    .insertInto('images')
    .values({ id: ref.id, width: ref.width, height: ref.height, format: ref.format ?? 'jpeg', widths: JSON.stringify(ref.widths), created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Finds the section by path, creating it and any missing parents. */
export async function ensureSection(tx: Tx | Db, path: string): Promise<number> {
  const found = await tx.selectFrom('sections').select('id').where('path', '=', path).executeTakeFirst();
  if (found) return found.id;
  const parts = path.split('/');
  const parentId = parts.length > 1 ? await ensureSection(tx, parts.slice(0, -1).join('/')) : null;
  const last = await tx
    .selectFrom('sections')
    .select((eb) => eb.fn.max('position').as('max'))
    .where('parent_id', parentId === null ? 'is' : '=', parentId)
    .executeTakeFirst();
  const inserted = await tx
    .insertInto('sections')
    .values({
      path,
      name: parts[parts.length - 1].replace(/-/g, ' '),
      parent_id: parentId,
      position: Number(last?.max ?? -1) + 1,
      description: '',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

async function addRedirect(tx: Tx, fromPath: string, articleId: number): Promise<void> {
  await tx
    .insertInto('redirects')
    .values({ from_path: fromPath, article_id: articleId })
    .onConflict((oc) => oc.column('from_path').doUpdateSet({ article_id: articleId }))
    .execute();
}

async function setAuthors(tx: Tx, articleId: number, names: string[], now: number): Promise<void> {
  await tx.deleteFrom('article_authors').where('article_id', '=', articleId).execute();
  const seen = new Set<number>();
  for (const [position, rawName] of names.entries()) {
    const name = rawName.trim();
    const slug = slugify(name, { lowercase: true });
    if (!slug) throw new ContentError('invalid-article', `author "${rawName}" has no letters or digits`);
    const author = await findOrAddAuthor(tx, name, slug, now);
    if (seen.has(author.id)) continue;
    seen.add(author.id);
    await tx.insertInto('article_authors').values({ article_id: articleId, author_id: author.id, position }).execute();
  }
}

/** A byline's author: by name first (an author whose slug was changed keeps their bylines), then by slug, else a new one. */
async function findOrAddAuthor(tx: Tx, name: string, slug: string, now: number): Promise<{ id: number }> {
  const byName = await tx.selectFrom('authors').select('id').where('name', '=', name).orderBy('id').executeTakeFirst();
  if (byName) return byName;
  await tx.insertInto('authors').values({ slug, name, title: '', bio: '', created_at: now }).onConflict((oc) => oc.column('slug').doNothing()).execute();
  return tx.selectFrom('authors').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
}

async function setTags(tx: Tx, articleId: number, names: string[]): Promise<void> {
  await tx.deleteFrom('article_tags').where('article_id', '=', articleId).execute();
  const seen = new Set<number>();
  for (const rawName of names) {
    const name = rawName.trim();
    const slug = slugify(name, { lowercase: true });
    if (!slug) continue;
    await tx.insertInto('tags').values({ slug, name }).onConflict((oc) => oc.column('slug').doNothing()).execute();
    const tag = await tx.selectFrom('tags').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
    if (seen.has(tag.id)) continue;
    seen.add(tag.id);
    await tx.insertInto('article_tags').values({ article_id: articleId, tag_id: tag.id }).execute();
  }
}

/**
 * The first step of a save that expects the article unchanged: a compare-and-set on its
 * updated_at. It holds the row until the transaction ends (PostgreSQL makes a concurrent
 * save of the same article wait, then find the value changed; SQLite runs one at a time).
 */
async function claimUnchanged(tx: Tx, id: number | undefined, updatedAt: number, now: number): Promise<void> {
  if (id === undefined) throw new Error('expect needs the id of the article being edited');
  const claimed = await tx.updateTable('articles').set({ updated_at: now }).where('id', '=', id).where('updated_at', '=', updatedAt).executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) throw new ContentError('stale', `article ${id} was changed by another save`);
}

async function appendCorrection(tx: Tx, articleId: number, c: CorrectionInput): Promise<CorrectionInput[]> {
  await tx.insertInto('corrections').values({ article_id: articleId, corrected_at: c.at, text: c.text.trim() }).execute();
  const rows = await tx.selectFrom('corrections').select(['corrected_at', 'text']).where('article_id', '=', articleId).orderBy('corrected_at').orderBy('id').execute();
  return rows.map((r) => ({ at: Number(r.corrected_at), text: r.text }));
}

async function setCorrections(tx: Tx, articleId: number, corrections: CorrectionInput[]): Promise<void> {
  await tx.deleteFrom('corrections').where('article_id', '=', articleId).execute();
  for (const c of corrections) {
    await tx.insertInto('corrections').values({ article_id: articleId, corrected_at: c.at, text: c.text.trim() }).execute();
  }
}

/**
 * PostgreSQL keeps a generated tsvector column. SQLite's FTS5 table is kept here and holds
 * published articles only, so that searching it needs no join to filter out the rest.
 */
async function updateSearchIndex(tx: Tx, dialect: Dialect, id: number, doc: { headline: string; dek: string; body: string } | null): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql`delete from articles_fts where rowid = ${id}`.execute(tx);
  if (doc) await sql`insert into articles_fts (rowid, headline, dek, body) values (${id}, ${doc.headline}, ${doc.dek}, ${doc.body})`.execute(tx);
}

/**
 * Every content change bumps one counter; app processes poll it to drop cached pages, so a
 * save from the CLI reaches a running site within a second.
 */
export async function bumpContentVersion(tx: Tx | Db): Promise<void> {
  await tx.updateTable('meta').set((eb) => ({ value: eb('value', '+', 1) })).where('key', '=', 'content_version').execute();
}

export async function contentVersion(db: Db): Promise<number> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'content_version').executeTakeFirst();
  return row ? Number(row.value) : 0;
}

/**
 * Publishes scheduled articles whose time has come. Safe to run from every app process at
 * once: the UPDATE claims each article, so each is published (and indexed) exactly once.
 */
export async function publishDueArticles(ctx: ContentContext, now: number): Promise<number> {
  return ctx.db.transaction().execute(async (tx) => {
    const due = await tx.selectFrom('articles').select('id').where('status', '=', 'scheduled').where('published_at', '<=', now).execute();
    let count = 0;
    for (const { id } of due) {
      const res = await tx.updateTable('articles').set({ status: 'published', updated_at: now }).where('id', '=', id).where('status', '=', 'scheduled').executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) continue; // another process got there first
      count += 1;
      if (ctx.dialect === 'sqlite') {
        await sql`insert into articles_fts (rowid, headline, dek, body) select id, headline, dek, search_body from articles where id = ${id}`.execute(tx);
      }
    }
    if (count > 0) await bumpContentVersion(tx);
    return count;
  });
}
