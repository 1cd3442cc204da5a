/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The reader site's route table. Handlers are thin: parse, call one query, render. Pages
// are cached as bytes per content version; misses render and fill the cache.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Hono, type Context } from 'hono';
import type { Db, Dialect } from '../db/database.ts';
import type { Logger } from 'pino';
import {
  authorBySlug, countPublished, findRedirect, getImage, getPublishedByPath, isWithdrawn, listFrontPage, listPublished, listPublishedFull, listUrlPaths, tagBySlug,
} from '../content/queries.ts';
import { searchArticles } from '../content/search.ts';
import { mediaFile } from '../content/image-store.ts';
import { letterById } from '../letters/letter-store.ts';
import type { SiteContext } from './site-context.ts';
import type { SiteState } from './site-state.ts';
import { encodePage, type CachedPage } from './page-cache.ts';
import { decodePath, parseReaderPath } from './request-path.ts';
import { getCookie, setCookie } from 'hono/cookie';
import type { ArticleFull } from '../content/queries.ts';
import type { Decision } from '../paywall/meter-policy.ts';
import type { MeterStore } from '../paywall/meter-store.ts';
import { getPolicy } from '../paywall/policy-store.ts';
import { splitTeaser } from '../paywall/teaser.ts';
import { READER_COOKIE, READER_COOKIE_SECONDS } from '../paywall/reader-cookie.ts';
import type { ReaderFactsResolver } from './reader-facts.ts';
import type { EventLog } from '../analytics/events.ts';
import { issuePrintLink } from '../paywall/gate-links.ts';
import { accessValue } from './paywall-html.ts';
import { safeReturnTo } from '../accounts/magic-links.ts';
import type { ArticleEntry, ArticleViews } from './article-views.ts';
import { clientAddress } from './client-address.ts';
import { assembleArticle, renderArticleParts } from './article-parts.tsx';
import { SESSION_COOKIE, cookieOptions, setPrivate } from './viewer.ts';
import { ErrorPage, HomePage, ListingPage, SectionPage, type HomeData } from './views/pages.tsx';
import { SearchPage } from './views/search.tsx';
import { PrintPage } from './views/print.tsx';
import { qrSvg } from './qr.ts';
import { renderFeed, type FeedFormat } from './feeds.ts';
import { renderNewsSitemap, renderSitemapIndex, renderSitemapPage, SITEMAP_PAGE_SIZE } from './sitemaps.ts';

export interface ReaderDeps {
  db: Db;
  dialect: Dialect;
  mediaDir: string;
  state: SiteState;
  logger: Logger;
  now: () => number;
  secret: string;
  isHttps: boolean;
  meter: MeterStore;
  readers: ReaderFactsResolver;
  events: EventLog;
  views: ArticleViews;
  trustProxy: string | null;
}

const FREE: Decision = { access: 'open', reason: 'free-article', counts: false };

const PAGE_SIZE = 20;
const SEARCH_PAGE_SIZE = 10;
const MAX_PAGE = 500;
const HTML_CACHE = 'public, max-age=60';

type Render = (site: SiteContext) => Promise<{ html: string; status?: number; contentType?: string } | null>;

export function readerRoutes(deps: ReaderDeps): Hono {
  const { db, state } = deps;
  const app = new Hono();

  /** Answers from the page cache, or renders, caches and answers. null from render → 404. */
  async function cached(c: Context, key: string, render: Render, cacheControl = HTML_CACHE, articleId?: number): Promise<Response> {
    const { site, version } = await state.current();
    let page = state.cache.get(key);
    if (!page) {
      const out = await render(site);
      if (!out) return notFound(c, site);
      page = { ...encodePage(out.html, { status: out.status, contentType: out.contentType, version }), articleId };
      state.cache.set(key, page);
    }
    if (page.articleId !== undefined) deps.events.record({ kind: 'free', articleId: page.articleId, at: deps.now() });
    return send(c, page, cacheControl);
  }

  app.get('/healthz', async (c) => {
    try {
      await db.selectFrom('meta').select('key').limit(1).execute();
      return c.json({ status: 'ok' }, 200, { 'cache-control': 'no-store' });
    } catch {
      return c.json({ status: 'unavailable' }, 503, { 'cache-control': 'no-store' });
    }
  });

  app.get('/', (c) => cached(c, 'home', async (site) => ({ html: await html(<HomePage site={site} data={await homeData(db, site)} />) })));

  app.get('/search', async (c) => {
    const { site } = await state.current();
    const params = new URL(c.req.url).searchParams;
    const q = (params.get('q') ?? '').slice(0, 200);
    const page = pageParam(params.get('page'));
    if (page === null) return errorPage(c, site, 400);
    const result = q.trim() ? await searchArticles(deps, q, { limit: SEARCH_PAGE_SIZE, offset: (page - 1) * SEARCH_PAGE_SIZE }) : null;
    const body = await html(<SearchPage site={site} q={q} page={page} pageSize={SEARCH_PAGE_SIZE} result={result} />);
    return c.html(body, 200, { 'cache-control': 'public, max-age=60' });
  });

  app.get('/author/:slug', async (c) => {
    const slug = c.req.param('slug');
    const page = pageParam(c.req.query('page'));
    const { site } = await state.current();
    if (page === null) return errorPage(c, site, 400);
    return cached(c, `author:${slug}:${page}`, async (site) => {
      const author = await authorBySlug(db, slug);
      if (!author) return null;
      const total = await countPublished(db, { authorId: author.id });
      const articles = await listPublished(db, { authorId: author.id, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      if (page > 1 && articles.length === 0) return null;
      const photo = author.photo_image_id ? await getImage(db, author.photo_image_id) : null;
      return {
        html: await html(
          <ListingPage site={site} kicker={author.title || 'Author'} title={author.name} intro={author.bio} path={`/author/${author.slug}`} articles={articles} page={page} pageCount={Math.ceil(total / PAGE_SIZE)}
            photo={photo ? { image: photo, alt: author.name } : undefined}
            jsonLd={{ '@context': 'https://schema.org', '@type': 'ProfilePage', mainEntity: { '@type': 'Person', name: author.name, jobTitle: author.title || undefined, description: author.bio || undefined, image: photo ? site.absolute(`/media/${photo.id}/${Math.max(...photo.widths)}.jpg`) : undefined, url: site.absolute(`/author/${author.slug}`) } }} />,
        ),
      };
    });
  });

  app.get('/tag/:slug', async (c) => {
    const slug = c.req.param('slug');
    const page = pageParam(c.req.query('page'));
    const { site } = await state.current();
    if (page === null) return errorPage(c, site, 400);
    return cached(c, `tag:${slug}:${page}`, async (site) => {
      const tag = await tagBySlug(db, slug);
      if (!tag) return null;
      const total = await countPublished(db, { tagId: tag.id });
      const articles = await listPublished(db, { tagId: tag.id, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      if (page > 1 && articles.length === 0) return null;
      return { html: await html(<ListingPage site={site} kicker="Topic" title={tag.name} path={`/tag/${tag.slug}`} articles={articles} page={page} pageCount={Math.ceil(total / PAGE_SIZE)} />) };
    });
  });

  // Feeds for the whole site.
  for (const [file, format] of [['rss.xml', 'rss'], ['atom.xml', 'atom'], ['feed.json', 'json']] as const) {
    app.get(`/feeds/${file}`, (c) => cached(c, `feed:${format}`, (site) => feed(site, format, null), 'public, max-age=300'));
  }

  // A letter's button: counted, then on to a page of this site (never elsewhere).
  app.get('/letters/click', async (c) => {
    const letterId = Number(c.req.query('l'));
    const variantId = Number(c.req.query('v'));
    const asked = c.req.query('to') ?? '';
    let to = safeReturnTo(asked, '/subscribe');
    // Off the site only to where the letter itself points: never an open redirect.
    if (to !== asked && /^https:\/\//.test(asked) && Number.isInteger(letterId) && letterId > 0) {
      const letter = await letterById(db, letterId);
      if (letter?.ctaUrl === asked) to = asked;
    }
    if (Number.isInteger(letterId) && letterId > 0) {
      deps.events.record({ kind: 'letter-click', detail: `${letterId}:${Number.isInteger(variantId) ? variantId : 0}`, at: deps.now() });
    }
    c.header('cache-control', 'no-store');
    return c.redirect(to, 303);
  });

  app.get('/robots.txt', async (c) => {
    const { site } = await state.current();
    const body = `User-agent: *\nDisallow: /admin\nDisallow: /account\nDisallow: /search\nDisallow: /*/print$\n\nSitemap: ${site.absolute('/sitemap.xml')}\nSitemap: ${site.absolute('/sitemap-news.xml')}\n`;
    return c.text(body, 200, { 'cache-control': 'public, max-age=3600' });
  });

  app.get('/sitemap.xml', (c) =>
    cached(c, 'sitemap-index', async (site) => {
      const total = await countPublished(db, {});
      return { html: renderSitemapIndex(site, { pageCount: Math.max(1, Math.ceil(total / SITEMAP_PAGE_SIZE)) }), contentType: 'application/xml; charset=utf-8' };
    }, 'public, max-age=600'),
  );

  app.get('/sitemaps/:file', (c) => {
    const m = /^articles-(\d{1,5})\.xml$/.exec(c.req.param('file'));
    if (!m) return notFoundFromState(c);
    const n = Number(m[1]);
    return cached(c, `sitemap:${n}`, async (site) => {
      if (n < 1) return null;
      const rows = await listUrlPaths(db, { limit: SITEMAP_PAGE_SIZE, offset: (n - 1) * SITEMAP_PAGE_SIZE });
      if (rows.length === 0 && n > 1) return null;
      return { html: renderSitemapPage(site, rows, { includeHome: n === 1 }), contentType: 'application/xml; charset=utf-8' };
    }, 'public, max-age=600');
  });

  app.get('/sitemap-news.xml', (c) =>
    cached(c, 'sitemap-news', async (site) => {
      const articles = await listPublished(db, { since: deps.now() - 48 * 3600_000, limit: 1000 });
      return { html: renderNewsSitemap(site, articles), contentType: 'application/xml; charset=utf-8' };
    }, 'public, max-age=300'),
  );

  app.get('/media/:id/:file', async (c) => {
    const file = mediaFile(deps.mediaDir, c.req.param('id'), c.req.param('file'));
    if (!file) return notFoundFromState(c);
    try {
      const data = new Uint8Array(await fs.promises.readFile(file));
      return c.body(data, 200, {
        'content-type': file.endsWith('.webp') ? 'image/webp' : 'image/jpeg',
        'cache-control': 'public, max-age=31536000, immutable',
      });
    } catch {
      return notFoundFromState(c);
    }
  });

  app.get('/assets/fonts/:file', (c) => {
    const font = FONTS[c.req.param('file')];
    if (!font) return notFoundFromState(c);
    return c.body(font, 200, { 'content-type': 'font/woff2', 'cache-control': 'public, max-age=31536000, immutable', 'access-control-allow-origin': '*' });
  });

  app.get('/favicon.svg', (c) => c.body(FAVICON, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }));
  app.get('/favicon.ico', (c) => c.redirect('/favicon.svg', 301));

  // Everything else: sections, articles, print views, section feeds, old URLs.
  app.get('*', async (c) => {
    const raw = new URL(c.req.url).pathname;
    // The hot path: an article page already rendered at this content version.
    const { site } = await state.current();
    const hit = state.cache.get(`path:${raw}`);
    if (hit) {
      if (hit.articleId !== undefined) deps.events.record({ kind: 'free', articleId: hit.articleId, at: deps.now() });
      return send(c, hit, HTML_CACHE);
    }
    const path = decodePath(raw);
    if (path === null) return errorPage(c, site, 400);
    const parsed = parseReaderPath(path);
    switch (parsed.kind) {
      case 'invalid':
        return notFound(c, site);
      case 'section-feed': {
        const section = site.sectionByPath.get(parsed.sectionPath);
        if (!section) return notFound(c, site);
        return cached(c, `feed:${parsed.format}:${section.path}`, (s) => feed(s, parsed.format, section.path), 'public, max-age=300');
      }
      case 'section': {
        const section = site.sectionByPath.get(parsed.sectionPath);
        if (!section) return notFound(c, site);
        const page = pageParam(c.req.query('page'));
        if (page === null) return errorPage(c, site, 400);
        return cached(c, `section:${section.path}:${page}`, async (s) => {
          const ids = s.sectionTreeIds(section.path);
          const [total, articles] = await Promise.all([
            countPublished(db, { sectionIds: ids }),
            listPublished(db, { sectionIds: ids, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
          ]);
          if (page > 1 && articles.length === 0) return null;
          const children = s.sections.filter((x) => x.parent_id === section.id);
          return { html: await html(<SectionPage site={s} section={section} children={children} articles={articles} page={page} pageCount={Math.ceil(total / PAGE_SIZE)} />) };
        });
      }
      case 'article': {
        if (!parsed.isValidDate) return notFound(c, site);
        const entry = await articleEntry(parsed.urlPath);
        if (!entry) {
          const moved = await findRedirect(db, parsed.urlPath);
          if (moved) return c.redirect(encodeURI(moved + (parsed.isPrint ? '/print' : '')), 301);
          if (await isWithdrawn(db, parsed.urlPath)) return errorPage(c, site, 410);
          return notFound(c, site);
        }
        const { article, parts, policy } = entry;
        // Free stories read the same for everyone: cached whole, served on the fast path.
        if (article.access === 'free') {
          if (parsed.isPrint) return cached(c, `path:${raw}`, async (s) => ({ html: await printHtml(s, article, article.blocks) }), HTML_CACHE, article.id);
          return cached(c, `path:${raw}`, async () => ({ html: assembleArticle(parts, FREE, policy) }), HTML_CACHE, article.id);
        }
        // Metered and subscriber stories: one decision per view, for the page and its print view alike.
        const view = await deps.views.decide(entry, site.publication.timeZone, {
          sessionCookie: getCookie(c, SESSION_COOKIE),
          readerCookie: getCookie(c, READER_COOKIE),
          gateToken: c.req.query('access') ?? null,
          userAgent: c.req.header('user-agent'),
          clientAddress: () => clientAddress(c, deps.trustProxy),
          isPrint: parsed.isPrint,
        });
        const { decision, reader, setReaderCookie } = view;
        if (setReaderCookie) setCookie(c, READER_COOKIE, setReaderCookie, cookieOptions(deps, READER_COOKIE_SECONDS));
        setPrivate(c);
        if (parsed.isPrint) {
          const isLocked = decision.access === 'locked';
          const blocks = isLocked ? splitTeaser(article.blocks, policy.teaserParagraphs).teaser : article.blocks;
          // An entitled reader's print-out carries a link that opens the story for whoever scans it.
          const isEntitled = decision.access === 'open' && decision.reason === 'subscriber';
          const qrUrl = isEntitled ? `${site.absolute(article.urlPath)}?access=${await issuePrintLink(db, { readerId: reader.readerId, articleId: article.id, now: deps.now(), secret: deps.secret })}` : undefined;
          return c.html(await printHtml(site, article, blocks, isLocked, qrUrl, accessValue(decision, article.access)));
        }
        return c.html(assembleArticle(parts, decision, policy, await deps.views.letter(entry, view, entry.version)));
      }
    }
  });

  /** An article's rendered parts at the current content version (and the policy they used). */
  async function articleEntry(urlPath: string): Promise<ArticleEntry | null> {
    const { site, version } = await state.current();
    const hit = deps.views.fresh(urlPath, version);
    if (hit) return hit;
    const article = await getPublishedByPath(db, urlPath);
    if (!article) return null;
    const [related, policy] = await Promise.all([
      listPublished(db, { sectionIds: [article.section.id], limit: 5 }).then((r) => r.filter((x) => x.id !== article.id).slice(0, 4)),
      getPolicy(db),
    ]);
    const entry = { version, article, parts: await renderArticleParts(site, article, related, policy), policy };
    deps.views.remember(urlPath, entry);
    return entry;
  }

  async function printHtml(site: SiteContext, article: ArticleFull, blocks: ArticleFull['blocks'], isLocked = false, qrUrl?: string, access?: string): Promise<string> {
    const [articleQr, subscribeQr] = await Promise.all([qrSvg(qrUrl ?? site.absolute(article.urlPath)), qrSvg(site.absolute('/subscribe'))]);
    const shown: ArticleFull = isLocked
      ? { ...article, blocks: [...blocks, { type: 'paragraph', c: [{ t: 'em', c: [{ t: 'text', v: `The rest of this story is for subscribers. Subscribe at ${site.absolute('/subscribe')}` }] }] }] }
      : { ...article, blocks };
    return html(<PrintPage site={site} article={shown} articleQr={articleQr} subscribeQr={subscribeQr} access={access} />);
  }

  async function feed(site: SiteContext, format: FeedFormat, sectionPath: string | null) {
    const articles = await listPublishedFull(db, { sectionIds: sectionPath ? site.sectionTreeIds(sectionPath) : undefined, limit: 30 });
    const section = sectionPath ? site.sectionByPath.get(sectionPath) ?? null : null;
    const out = renderFeed(site, articles, { format, section, teaserParagraphs: (await getPolicy(db)).teaserParagraphs });
    return { html: out.body, contentType: out.contentType };
  }

  async function notFoundFromState(c: Context) {
    const { site } = await state.current();
    return notFound(c, site);
  }

  return app;
}

export async function html(node: unknown): Promise<string> {
  return '<!doctype html>' + (await (node as Promise<string> | string)).toString();
}

export function pageParam(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return 1;
  if (!/^\d{1,4}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= MAX_PAGE ? n : null;
}

function send(c: Context, page: CachedPage, cacheControl: string): Response {
  if (c.req.header('if-none-match') === page.etag) {
    return new Response(null, { status: 304, headers: { etag: page.etag, 'cache-control': cacheControl } });
  }
  const headers: Record<string, string> = { 'content-type': page.contentType, 'cache-control': cacheControl, etag: page.etag, vary: 'Accept-Encoding' };
  const acceptsGzip = page.gzip && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
  if (acceptsGzip) headers['content-encoding'] = 'gzip';
  return new Response(acceptsGzip ? page.gzip : page.body, { status: page.status, headers });
}

export async function errorPage(c: Context, site: SiteContext, status: number): Promise<Response> {
  const body = await html(<ErrorPage site={site} status={status} />);
  return c.html(body, status as 400, { 'cache-control': 'no-store' });
}

export function notFound(c: Context, site: SiteContext): Promise<Response> {
  return errorPage(c, site, 404);
}

async function homeData(db: Db, site: SiteContext): Promise<HomeData> {
  const [front, latest] = await Promise.all([listFrontPage(db), listPublished(db, { limit: 9 })]);
  // The editors' lead (else the newest story not among their picks), their top stories in
  // order, then the latest stories; each story once.
  const curatedIds = new Set(front.top.map((a) => a.id));
  const lead = front.lead ?? latest.find((a) => !curatedIds.has(a.id)) ?? null;
  const ordered: typeof latest = [];
  for (const a of [...(lead ? [lead] : []), ...front.top, ...latest]) if (ordered.length < 9 && !ordered.some((o) => o.id === a.id)) ordered.push(a);
  const shown = new Set(ordered.map((a) => a.id));
  const sections = [];
  for (const section of site.topSections) {
    const articles = (await listPublished(db, { sectionIds: site.sectionTreeIds(section.path), limit: 7 })).filter((a) => !shown.has(a.id)).slice(0, 4);
    if (articles.length) sections.push({ section, articles });
  }
  return { lead: ordered[0] ?? null, top: ordered.slice(1, 5), second: ordered.slice(5, 9), sections };
}

const require = createRequire(import.meta.url);
function fontFile(pkg: string, file: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(fs.readFileSync(require.resolve(`${pkg}/files/${file}`)));
}
const FONTS: Record<string, Uint8Array<ArrayBuffer>> = {
  'newsreader-400.woff2': fontFile('@fontsource/newsreader', 'newsreader-latin-400-normal.woff2'),
  'newsreader-400-italic.woff2': fontFile('@fontsource/newsreader', 'newsreader-latin-400-italic.woff2'),
  'newsreader-600.woff2': fontFile('@fontsource/newsreader', 'newsreader-latin-600-normal.woff2'),
  'franklin-400.woff2': fontFile('@fontsource/libre-franklin', 'libre-franklin-latin-400-normal.woff2'),
  'franklin-600.woff2': fontFile('@fontsource/libre-franklin', 'libre-franklin-latin-600-normal.woff2'),
};

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="8" fill="#1a1a1a"/><text x="32" y="46" font-family="Georgia,serif" font-size="40" font-weight="700" text-anchor="middle" fill="#fdfcf9">M</text></svg>`;
