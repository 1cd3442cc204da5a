/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// A story's reader page as each kind of reader would see it, for any status (drafts and
// scheduled stories included): the reader site's own parts and assembly, with a decision
// imagined for the reader, and a thin bar on top to switch readers or go back to the editor.
// The locked view is assembled exactly as the reader site does it, so the rest of the story
// never reaches the page.
import type { Db } from '../../db/database.ts';
import type { ArticleStatus } from '../../db/schema.ts';
import { articleUrlPath } from '../../content/article-store.ts';
import { displayDateTime } from '../../content/dates.ts';
import { hydrateFull, listPublished, type ArticleFull } from '../../content/queries.ts';
import { getPolicy } from '../../paywall/policy-store.ts';
import { assembleArticle, renderArticleParts } from '../../site/article-parts.tsx';
import type { SiteContext } from '../../site/site-context.ts';
import { PREVIEW_KINDS, PREVIEW_LABELS, describePreview, previewDecision, type PreviewKind } from './reader-decision.ts';

export interface PreviewStory {
  article: ArticleFull;
  status: ArticleStatus;
  createdBy: number | null;
  isSubmitted: boolean;
  /** The live URL when published; otherwise the article carries the URL it would get if published now. */
  liveUrl: string | null;
}

/** Who started the story and its status, for the permission check before anything is rendered. */
export async function storyOwnership(db: Db, id: number): Promise<{ createdBy: number | null; status: ArticleStatus } | null> {
  const row = await db.selectFrom('articles').select(['created_by', 'status']).where('id', '=', id).executeTakeFirst();
  return row ? { createdBy: row.created_by, status: row.status } : null;
}

/** The story with everything its page needs, whatever its status. */
export async function loadPreviewStory(db: Db, id: number, opts: { now: number; timeZone: string }): Promise<PreviewStory | null> {
  const row = await db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const section = await db.selectFrom('sections').select('path').where('id', '=', row.section_id).executeTakeFirstOrThrow();
  // A draft has no date or URL yet: show it as if it were published now.
  const publishedAt = row.published_at ?? opts.now;
  const urlPath = row.url_path ?? articleUrlPath(section.path, publishedAt, row.slug, opts.timeZone);
  return {
    article: await hydrateFull(db, { ...row, url_path: urlPath, published_at: publishedAt }),
    status: row.status,
    createdBy: row.created_by,
    isSubmitted: row.submitted_at !== null,
    liveUrl: row.status === 'published' ? row.url_path : null,
  };
}

/** The whole preview page for one kind of reader. */
export async function renderReaderPreview(opts: { db: Db; site: SiteContext; story: PreviewStory; kind: PreviewKind; editUrl: string; previewUrl: string }): Promise<string> {
  const { db, site, story, kind } = opts;
  const { article } = story;
  const [related, policy] = await Promise.all([
    listPublished(db, { sectionIds: [article.section.id], limit: 5 }).then((r) => r.filter((x) => x.id !== article.id).slice(0, 4)),
    getPolicy(db),
  ]);
  const parts = await renderArticleParts(site, article, related, policy);
  const decision = previewDecision(kind, policy, article.access);
  const page = assembleArticle(parts, decision, policy);
  const bar = await fragment(
    <PreviewBar site={site} story={story} kind={kind} note={describePreview(kind, decision, article.access)} editUrl={opts.editUrl} previewUrl={opts.previewUrl} />,
  );
  return frameForPreview(page, bar);
}

/** Puts the bar first in the body and keeps the page out of search engines. */
export function frameForPreview(page: string, bar: string): string {
  const head = '<meta name="robots" content="noindex, nofollow">' + `<style>${PREVIEW_CSS}</style>`;
  const withHead = page.replace(/<meta name="robots"[^>]*>/, '').replace('</head>', `${head}</head>`);
  return withHead.replace(/<body[^>]*>/, (open) => open + bar);
}

function statusWords(story: PreviewStory, site: SiteContext): string {
  switch (story.status) {
    case 'draft':
      return story.isSubmitted ? 'Draft, waiting for an editor: not published' : 'Draft: not published';
    case 'scheduled':
      return `Scheduled for ${displayDateTime(story.article.publishedAt, site.publication.timeZone)}`;
    case 'published':
      return 'Published';
  }
}

function PreviewBar(props: { site: SiteContext; story: PreviewStory; kind: PreviewKind; note: string; editUrl: string; previewUrl: string }) {
  const { story, kind } = props;
  return (
    <nav class="mh-preview" aria-label="Preview" data-preview-bar data-preview-as={kind}>
      <p class="mh-preview-what">
        <strong>Preview</strong> · <span data-preview-status={story.status}>{statusWords(story, props.site)}</span>
        {story.liveUrl ? <> · <a href={story.liveUrl}>Open the live page</a></> : null}
      </p>
      <ul class="mh-preview-kinds">
        {PREVIEW_KINDS.map((k) => (
          <li>
            <a href={`${props.previewUrl}?as=${k}`} aria-current={k === kind ? 'page' : undefined}>{PREVIEW_LABELS[k]}</a>
          </li>
        ))}
      </ul>
      <p class="mh-preview-note">{props.note}</p>
      <p class="mh-preview-back"><a href={props.editUrl}>Back to the editor</a></p>
    </nav>
  );
}

async function fragment(node: unknown): Promise<string> {
  return (await (node as Promise<string> | string)).toString();
}

// Inline, as the reader page's own styles are: the page's stylesheet knows nothing of the bar.
const PREVIEW_CSS = [
  '.mh-preview{display:flex;flex-wrap:wrap;gap:.35rem 1.25rem;align-items:center;padding:.5rem 1rem;background:#1d2733;color:#f4f1ea;font:600 .85rem/1.4 system-ui,sans-serif;border-bottom:3px solid #e0a526}',
  '.mh-preview p{margin:0}',
  '.mh-preview a{color:#f4f1ea}',
  '.mh-preview-kinds{display:flex;flex-wrap:wrap;gap:.25rem;list-style:none;margin:0;padding:0}',
  '.mh-preview-kinds a{display:inline-block;padding:.15rem .6rem;border:1px solid #6b7785;border-radius:999px;text-decoration:none}',
  '.mh-preview-kinds a[aria-current=page]{background:#f4f1ea;color:#1d2733;border-color:#f4f1ea}',
  '.mh-preview-note{font-weight:400;flex-basis:100%;order:3}',
  '.mh-preview-back{margin-left:auto!important}',
  '@media print{.mh-preview{display:none}}',
].join('');
