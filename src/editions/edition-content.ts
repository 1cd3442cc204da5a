// An edition as the renderers need it (EditionContent): the stories in reading order with
// their whole bodies, bylines and datelines, and the pictures as stored JPEG variants on
// disk. Read from the database on every build check; the files' cache key is a hash of it.
import { stat } from 'node:fs/promises';
import type { Db } from '../db/database.ts';
import type { Block, ImageRef } from '../content/blocks.ts';
import { mediaFile } from '../content/image-store.ts';
import { hydrateSummaries, searchPublishedStories } from '../content/queries.ts';
import { bylineText } from '../newsletters/issue-content.ts';
import type { EditionContent, EditionImage, EditionStory } from './types.ts';
import { editionPublication, editionStoryIds, parseCoverLines, type EditionRow } from './edition-store.ts';
import { weekDateLine, weekRange } from './week.ts';

/** The picture width an edition prints: sharp on an A4-ish page and a tablet without the largest variant. */
export const EDITION_IMAGE_WIDTH = 1200;

/** The stored JPEG variant closest to EDITION_IMAGE_WIDTH (the widest not above it, else the narrowest), when its file is on disk. */
export async function editionImageFile(mediaDir: string, ref: ImageRef): Promise<{ file: string; width: number; height: number } | null> {
  const widths = [...ref.widths].sort((a, b) => a - b);
  if (widths.length === 0 || !(ref.width > 0) || !(ref.height > 0)) return null;
  const width = [...widths].reverse().find((w) => w <= EDITION_IMAGE_WIDTH) ?? widths[0];
  const file = mediaFile(mediaDir, ref.id, `${width}.jpg`);
  if (!file) return null;
  try {
    if (!(await stat(file)).isFile()) return null;
  } catch {
    return null;
  }
  return { file, width, height: Math.max(1, Math.round((ref.height * width) / ref.width)) };
}

async function inlineImageFiles(mediaDir: string, blocks: Block[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const b of blocks) {
    if (b.type !== 'image' || !b.image || b.image.id in out) continue;
    const found = await editionImageFile(mediaDir, b.image);
    if (found) out[b.image.id] = found.file;
  }
  return out;
}

export async function editionContent(
  db: Db,
  opts: { edition: EditionRow; mediaDir: string; publicUrl: string; timeZone: string; publication: { name: string; tagline: string } },
): Promise<EditionContent> {
  const { edition, mediaDir, timeZone } = opts;
  // A published edition prints the publication as it was when published (see publishEdition).
  const current = { name: opts.publication.name, tagline: opts.publication.tagline, publicUrl: opts.publicUrl };
  const as = edition.status === 'published' ? editionPublication(edition, current) : { ...current, publicUrl: current.publicUrl.replace(/\/+$/, '') };
  const publicUrl = as.publicUrl;
  const { ids, coverId } = await editionStoryIds(db, { edition, timeZone });
  const stories = await editionStories(db, { ids, mediaDir, publicUrl });
  const range = weekRange(edition.week, timeZone);
  const cover = stories.find((s) => s.articleId === coverId) ?? null;
  return {
    editionId: edition.id,
    number: edition.number,
    week: edition.week,
    title: edition.title,
    from: range.from,
    to: range.to,
    dateLine: weekDateLine(edition.week),
    publicationName: as.name,
    tagline: as.tagline,
    publicUrl,
    timeZone,
    coverStoryId: cover?.articleId ?? null,
    coverImage: cover?.image ?? stories.find((s) => s.image)?.image ?? null,
    coverLines: parseCoverLines(edition.cover_lines),
    intro: edition.intro,
    stories,
  };
}

async function editionStories(db: Db, opts: { ids: number[]; mediaDir: string; publicUrl: string }): Promise<EditionStory[]> {
  if (opts.ids.length === 0) return [];
  const rows = await db.selectFrom('articles').selectAll().where('status', '=', 'published').where('id', 'in', opts.ids).execute();
  const summaries = new Map((await hydrateSummaries(db, rows)).map((s) => [s.id, s]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const stories: EditionStory[] = [];
  for (const id of opts.ids) {
    const row = byId.get(id);
    const summary = summaries.get(id);
    if (!row || !summary) continue;
    const blocks = JSON.parse(row.blocks) as Block[];
    let image: EditionImage | null = null;
    if (summary.image) {
      const found = await editionImageFile(opts.mediaDir, summary.image);
      if (found) image = { ...found, alt: row.lead_alt, caption: row.lead_caption, credit: row.lead_credit };
    }
    stories.push({
      articleId: id,
      headline: row.headline,
      dek: row.dek,
      byline: bylineText(summary.authors),
      dateline: row.dateline,
      sectionName: summary.section?.name ?? '',
      url: `${opts.publicUrl}${summary.urlPath}`,
      publishedAt: summary.publishedAt,
      blocks,
      image,
      inlineImages: await inlineImageFiles(opts.mediaDir, blocks),
    });
  }
  return stories;
}

/** Published stories an editor may add, newest first, matching a search term in the headline or dek (or an id). */
export async function storyChoicesForEdition(db: Db, opts: { query?: string; limit?: number }): Promise<{ id: number; headline: string; sectionName: string; publishedAt: number }[]> {
  const rows = await searchPublishedStories(db, opts)
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select(['articles.id', 'articles.headline', 'sections.name as sectionName', 'articles.published_at'])
    .execute();
  return rows.map((r) => ({ id: r.id, headline: r.headline, sectionName: r.sectionName, publishedAt: Number(r.published_at) }));
}
