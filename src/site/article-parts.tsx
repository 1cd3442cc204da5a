/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// An article page rendered once into parts — before the access value, up to the notice, the
// teaser, the rest, and after — and joined per reader. A locked page is the same parts with
// the rest left out and the offer in its place: the rest never leaves the server.
import type { ArticleFull, ArticleSummary } from '../content/queries.ts';
import { renderBlocks } from '../content/render-html.ts';
import { splitTeaser } from '../paywall/teaser.ts';
import type { Decision, MeterPolicy } from '../paywall/meter-policy.ts';
import type { SiteContext } from './site-context.ts';
import { ArticlePage } from './views/article.tsx';
import { html } from './reader-routes.tsx';
import { ACCESS_MARK, CUT_MARK, END_MARK, NOTICE_MARK, accessValue, giftThis, lockedOffer, meterNotice } from './paywall-html.ts';

export interface ArticleParts {
  article: Pick<ArticleFull, 'id' | 'access' | 'urlPath'>;
  head: string;
  beforeNotice: string;
  teaser: string;
  rest: string;
  tail: string;
  /** The same parts encoded once, for the fast path to write without re-encoding. */
  bytes: { head: Buffer; beforeNotice: Buffer; teaser: Buffer; rest: Buffer; tail: Buffer };
}

const BODY_SIZES = '(min-width: 42rem) 42rem, 100vw';

export async function renderArticleParts(site: SiteContext, article: ArticleFull, related: ArticleSummary[], policy: MeterPolicy): Promise<ArticleParts> {
  const opts = { mediaBase: '/media', dateline: article.dateline || undefined, imageSizes: BODY_SIZES };
  const { teaser, rest } = article.access === 'free' ? { teaser: article.blocks, rest: [] } : splitTeaser(article.blocks, policy.teaserParagraphs);
  const restHtml = rest.length ? `<div class="paywalled">${renderBlocks(rest, { ...opts, dateline: teaser.length ? undefined : opts.dateline })}</div>` : '';
  const bodyHtml = `${renderBlocks(teaser, opts)}${CUT_MARK}${restHtml}${END_MARK}`;
  const page = await html(<ArticlePage site={site} article={article} related={related} bodyHtml={bodyHtml} />);
  const [head, afterAccess] = splitOnce(page, ACCESS_MARK);
  const [beforeNotice, afterNotice] = splitOnce(afterAccess, NOTICE_MARK);
  const [teaserHtml, afterCut] = splitOnce(afterNotice, CUT_MARK);
  const [restPart, tail] = splitOnce(afterCut, END_MARK);
  return {
    article: { id: article.id, access: article.access, urlPath: article.urlPath },
    head, beforeNotice, teaser: teaserHtml, rest: restPart, tail,
    bytes: { head: Buffer.from(head), beforeNotice: Buffer.from(beforeNotice), teaser: Buffer.from(teaserHtml), rest: Buffer.from(restPart), tail: Buffer.from(tail) },
  };
}

function splitOnce(s: string, mark: string): [string, string] {
  const i = s.indexOf(mark);
  if (i < 0) throw new Error(`article template lost its ${mark} marker`);
  return [s.slice(0, i), s.slice(i + mark.length)];
}

export function assembleArticle(parts: ArticleParts, decision: Decision, policy: MeterPolicy, letterHtml = ''): string {
  return articleChunks(parts, decision, policy, letterHtml).map((c) => (typeof c === 'string' ? c : c.toString())).join('');
}

/**
 * The page for one reader as a list of chunks: the cached parts as encoded bytes, the
 * per-reader pieces as short strings. The fast path writes them as they are.
 */
export function articleChunks(parts: ArticleParts, decision: Decision, policy: MeterPolicy, letterHtml = ''): (string | Buffer)[] {
  const b = parts.bytes;
  const access = accessValue(decision, parts.article.access);
  const notice = meterNotice(decision, policy);
  // A letter comes after the story, or before the offer on a locked page.
  if (decision.access === 'locked') return [b.head, access, b.beforeNotice, notice, b.teaser, letterHtml, lockedOffer(decision, policy, parts.article.urlPath), b.tail];
  const gift = decision.access === 'open' && decision.reason === 'subscriber' ? giftThis(parts.article.id) : '';
  return [b.head, access, b.beforeNotice, notice, b.teaser, b.rest, gift, letterHtml, b.tail];
}
