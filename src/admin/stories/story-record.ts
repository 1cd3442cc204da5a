// One story as the newsroom sees it, whatever its status: everything the editor page shows
// and the save use case compares against. (The reader-side queries return published
// stories only.)
import type { Block } from '../../content/blocks.ts';
import type { StoredImage } from '../../content/image-store.ts';
import type { Db, Tx } from '../../db/database.ts';
import type { AccessClass } from '../../db/schema.ts';
import { formatLocalDateTime, isDerivedSlug, type StoryFormValues } from './story-form.ts';
import type { StoryState } from './story-policy.ts';
import { getImage } from '../../content/queries.ts';

export interface StoryRecord extends StoryState {
  id: number;
  headline: string;
  dek: string;
  sectionPath: string;
  slug: string;
  /** The dated URL while published or scheduled; null for drafts. */
  urlPath: string | null;
  access: AccessClass;
  dateline: string;
  bodyMarkdown: string;
  blocks: Block[];
  wordCount: number;
  createdAt: number;
  updatedAt: number;
  authors: string[];
  tags: string[];
  corrections: { at: number; text: string }[];
  leadImage: StoredImage | null;
  leadCaption: string;
  leadCredit: string;
  leadAlt: string;
}

export async function loadStory(db: Db | Tx, id: number): Promise<StoryRecord | null> {
  const row = await db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .selectAll('articles')
    .select('sections.path as section_path')
    .where('articles.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const [authors, tags, corrections, image] = await Promise.all([
    db
      .selectFrom('article_authors')
      .innerJoin('authors', 'authors.id', 'article_authors.author_id')
      .select('authors.name')
      .where('article_authors.article_id', '=', id)
      .orderBy('article_authors.position')
      .execute(),
    db
      .selectFrom('article_tags')
      .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
      .select('tags.name')
      .where('article_tags.article_id', '=', id)
      .orderBy('tags.name')
      .execute(),
    db.selectFrom('corrections').select(['corrected_at', 'text']).where('article_id', '=', id).orderBy('corrected_at').orderBy('id').execute(),
    row.lead_image_id ? getImage(db, row.lead_image_id) : Promise.resolve(null),
  ]);
  return {
    id: row.id,
    headline: row.headline,
    dek: row.dek,
    sectionPath: row.section_path,
    slug: row.slug,
    urlPath: row.url_path,
    status: row.status,
    access: row.access,
    dateline: row.dateline,
    bodyMarkdown: row.body_md,
    blocks: JSON.parse(row.blocks) as Block[],
    wordCount: row.word_count,
    publishedAt: row.published_at === null ? null : Number(row.published_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    createdBy: row.created_by,
    submittedAt: row.submitted_at === null ? null : Number(row.submitted_at),
    authors: authors.map((a) => a.name),
    tags: tags.map((t) => t.name),
    corrections: corrections.map((c) => ({ at: Number(c.corrected_at), text: c.text })),
    leadImage: image,
    leadCaption: row.lead_caption,
    leadCredit: row.lead_credit,
    leadAlt: row.lead_alt,
  };
}

/** The editor's fields for a stored story. A draft's slug made from its headline shows empty, so it follows the headline. */
export function formValuesOf(story: StoryRecord, timeZone: string): StoryFormValues {
  const isOut = story.status !== 'draft';
  return {
    headline: story.headline,
    dek: story.dek,
    section: story.sectionPath,
    authors: story.authors.join(', '),
    tags: story.tags.join(', '),
    dateline: story.dateline,
    access: story.access,
    slug: !isOut && isDerivedSlug(story.slug, story.headline) ? '' : story.slug,
    publish_at: story.status === 'scheduled' && story.publishedAt !== null ? formatLocalDateTime(story.publishedAt, timeZone) : '',
    lead_image_id: story.leadImage?.id ?? '',
    lead_caption: story.leadCaption,
    lead_credit: story.leadCredit,
    lead_alt: story.leadAlt,
    body: story.bodyMarkdown,
    correction: '',
    lead_remove: false,
    base_updated_at: String(story.updatedAt),
  };
}
