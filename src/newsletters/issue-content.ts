// An issue's content as it stands now: the stories (chosen automatically from the story
// window, or the editor's own list), their headlines, deks, bylines and pictures, and
// everything else a copy is rendered from. Read again on every preview until the issue is
// queued; then frozen as JSON so every recipient gets the same issue.
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import type { ArticleRow, NewsletterIssuesTable } from '../db/schema.ts';
import { getPublication } from '../content/publication.ts';
import { hydrateSummaries, listSections, searchPublishedStories, type ArticleSummary, type Byline } from '../content/queries.ts';
import type { ImageRef } from '../content/blocks.ts';
import { composeStories, type StoryCandidate } from './compose.ts';
import { isScheduledDay, storyWindow } from './schedule.ts';
import type { IssueContent, IssueImage, IssueStory, NewsletterList } from './types.ts';

/** The width pictures are shown at in the e-mail's 600 px column. */
export const EMAIL_IMAGE_WIDTH = 600;
const HOUR_MS = 3_600_000;
/** Lists sent by hand have no schedule to measure from: their automatic issue looks back a day. */
const UNSCHEDULED_WINDOW_MS = 24 * HOUR_MS;

const STORY_COLUMNS = [
  'articles.id', 'articles.url_path', 'articles.headline', 'articles.dek', 'articles.published_at', 'articles.updated_at',
  'articles.access', 'articles.section_id', 'articles.lead_image_id', 'articles.lead_alt', 'articles.word_count', 'articles.lead_credit',
] as const;

type IssueRow = Selectable<NewsletterIssuesTable>;

/** The issue's content now: automatic (story window + composeStories) when issue.story_ids is null, else the editor's ids in order (published stories only). */
export async function composeIssueContent(
  db: Db,
  opts: { issue: IssueRow; list: NewsletterList; now: number; publicUrl: string },
): Promise<IssueContent> {
  const { issue, list, now } = opts;
  const publicUrl = opts.publicUrl.replace(/\/+$/, '');
  const publication = await getPublication(db);
  const timeZone = publication.timeZone;

  const editorIds = parseStoryIds(issue.story_ids);
  const ids = editorIds ?? (await automaticStoryIds(db, { issueDate: issue.issue_date, list, timeZone, now }));
  const stories = await issueStories(db, ids, publicUrl);

  return {
    issueId: issue.id,
    listId: list.id,
    listSlug: list.slug,
    listName: list.name,
    issueSlug: issue.slug,
    issueDate: issue.issue_date,
    subject: issue.subject.trim() || defaultSubject(list.name, issue.issue_date),
    intro: issue.intro,
    stories,
    publicationName: publication.name,
    publicUrl,
    timeZone,
    archiveUrl: `${publicUrl}/newsletters/${encodeURIComponent(list.slug)}/${encodeURIComponent(issue.slug)}`,
    subscribeUrl: `${publicUrl}/subscribe`,
  };
}

/**
 * Published stories an editor may add, newest first, matching a search term (for the newsroom
 * picker). URLs are made absolute with `publicUrl` when given, else with the publication's
 * saved address, else left site-relative.
 */
export async function storyChoices(db: Db, opts: { query?: string; limit?: number; publicUrl?: string }): Promise<IssueStory[]> {
  const rows = await searchPublishedStories(db, opts).select(STORY_COLUMNS).execute();
  const publicUrl = opts.publicUrl?.replace(/\/+$/, '') ?? (await getPublication(db)).publicUrl?.replace(/\/+$/, '') ?? '';
  return toStories(db, rows, publicUrl);
}

const imageSchema = z.object({ src: z.string(), width: z.number(), height: z.number(), alt: z.string(), credit: z.string() });
const storySchema = z.object({
  articleId: z.number().int(),
  headline: z.string(),
  dek: z.string(),
  url: z.string(),
  access: z.enum(['metered', 'free', 'subscriber']),
  sectionName: z.string(),
  byline: z.string(),
  image: imageSchema.nullable(),
});
const contentSchema = z.object({
  issueId: z.number().int(),
  listId: z.number().int(),
  listSlug: z.string(),
  listName: z.string(),
  issueSlug: z.string(),
  issueDate: z.string(),
  subject: z.string(),
  intro: z.string(),
  stories: z.array(storySchema),
  publicationName: z.string(),
  publicUrl: z.string(),
  timeZone: z.string(),
  archiveUrl: z.string(),
  subscribeUrl: z.string(),
});

/** A frozen issue's content read back from newsletter_issues.content; null when absent or not of this shape. */
export function parseIssueContent(json: string | null): IssueContent | null {
  if (json === null) return null;
  try {
    const parsed = contentSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The editor's ids, or null for automatic composition (also when the stored JSON is not a list of ids). */
export function parseStoryIds(json: string | null): number[] | null {
  if (json === null) return null;
  try {
    const parsed: unknown = JSON.parse(json);
    if (!Array.isArray(parsed)) return null;
    return [...new Set(parsed.filter((v): v is number => Number.isSafeInteger(v) && (v as number) > 0))];
  } catch {
    return null;
  }
}

/** "The Daily — Monday, May 12" */
export function defaultSubject(listName: string, issueDate: string): string {
  const [y, m, d] = issueDate.split('-').map(Number);
  const label = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric' }).format(new Date(Date.UTC(y, m - 1, d)));
  return `${listName} — ${label}`;
}

async function automaticStoryIds(db: Db, o: { issueDate: string; list: NewsletterList; timeZone: string; now: number }): Promise<number[]> {
  const window = o.list.schedule && isScheduledDay(o.issueDate, o.list.schedule)
    ? storyWindow(o.issueDate, o.list.schedule, o.timeZone)
    : { from: o.now - UNSCHEDULED_WINDOW_MS, to: o.now };
  const [rows, sections, front] = await Promise.all([
    db
      .selectFrom('articles')
      .select(['id', 'published_at', 'section_id', 'access'])
      .where('status', '=', 'published')
      .where('published_at', '>=', window.from)
      .where('published_at', '<', window.to)
      .execute(),
    listSections(db),
    db.selectFrom('front_page').select(['article_id', 'slot']).orderBy('slot').execute(),
  ]);
  const sectionRank = new Map(sections.map((s, i) => [s.id, i]));
  const candidates: StoryCandidate[] = rows.map((r) => ({
    id: r.id,
    publishedAt: r.published_at!,
    sectionId: r.section_id,
    sectionPosition: sectionRank.get(r.section_id) ?? sections.length,
    access: r.access,
  }));
  return composeStories({ candidates, picks: front.map((f) => f.article_id) });
}

async function issueStories(db: Db, ids: number[], publicUrl: string): Promise<IssueStory[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('articles').select(STORY_COLUMNS).where('articles.status', '=', 'published').where('articles.id', 'in', ids).execute();
  const stories = await toStories(db, rows, publicUrl);
  const byId = new Map(stories.map((s) => [s.articleId, s]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

type StoryRow = Pick<ArticleRow, 'id' | 'url_path' | 'headline' | 'dek' | 'published_at' | 'updated_at' | 'access' | 'section_id' | 'lead_image_id' | 'lead_alt' | 'word_count' | 'lead_credit'>;

async function toStories(db: Db, rows: StoryRow[], publicUrl: string): Promise<IssueStory[]> {
  const summaries = await hydrateSummaries(db, rows);
  const credits = new Map(rows.map((r) => [r.id, r.lead_credit]));
  return summaries.map((s) => toStory(s, credits.get(s.id) ?? '', publicUrl));
}

function toStory(s: ArticleSummary, credit: string, publicUrl: string): IssueStory {
  return {
    articleId: s.id,
    headline: s.headline,
    dek: s.dek,
    url: `${publicUrl}${s.urlPath}`,
    access: s.access,
    sectionName: s.section?.name ?? '',
    byline: bylineText(s.authors),
    image: s.image ? emailImage(s.image, { alt: s.imageAlt, credit, publicUrl }) : null,
  };
}

/** "By Ann Lee", "By Ann Lee and Tom Ruiz", "By Ann Lee, Tom Ruiz and Kim Ode". */
export function bylineText(authors: Pick<Byline, 'name'>[]): string {
  const names = authors.map((a) => a.name.trim()).filter(Boolean);
  if (names.length === 0) return '';
  if (names.length === 1) return `By ${names[0]}`;
  return `By ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * A JPEG variant for the e-mail (mail clients lack WebP): the smallest stored one at least
 * 600 px wide, so it stays sharp on high-density screens without sending the largest; shown
 * at 600 px or narrower, with the picture's own proportions.
 */
export function emailImage(ref: ImageRef, o: { alt: string; credit: string; publicUrl: string }): IssueImage | null {
  const widths = [...ref.widths].sort((a, b) => a - b);
  if (widths.length === 0 || !(ref.width > 0) || !(ref.height > 0)) return null;
  const variant = widths.find((w) => w >= EMAIL_IMAGE_WIDTH) ?? widths[widths.length - 1];
  const width = Math.min(EMAIL_IMAGE_WIDTH, variant);
  return {
    src: `${o.publicUrl}/media/${ref.id}/${variant}.jpg`,
    width,
    height: Math.max(1, Math.round((ref.height * width) / ref.width)),
    alt: o.alt,
    credit: o.credit,
  };
}
