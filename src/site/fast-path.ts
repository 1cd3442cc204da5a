// The hot path: a GET for a page already rendered at the current content version is answered
// straight from node:http with the cached bytes, skipping the Request/Response round trip
// through Hono (which costs more than half the throughput on a 30 KB page). Anything else —
// a query string, a miss, a stale version — falls through to the route table, which answers
// the same bytes with the same headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SiteState } from './site-state.ts';
import { cookieFrom, type ArticleViews } from './article-views.ts';
import { articleChunks } from './article-parts.tsx';
import { READER_COOKIE, READER_COOKIE_SECONDS } from '../paywall/reader-cookie.ts';
import { SESSION_COOKIE } from './viewer.ts';

export function createFastPath(opts: { state: SiteState; headers: [string, string][]; views: ArticleViews; isHttps: boolean; onArticleView?: (articleId: number) => void }) {
  const { state } = opts;
  const fixed = opts.headers.flat();
  return function fastPath(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' || !state.isFresh()) return false;
    const url = req.url ?? '';
    if (url.includes('?')) return false;
    const page = state.cache.get(`path:${url}`);
    if (!page) return false;
    if (page.articleId !== undefined) opts.onArticleView?.(page.articleId);
    const cacheControl = 'public, max-age=60';
    if (req.headers['if-none-match'] === page.etag) {
      res.writeHead(304, [...fixed, 'etag', page.etag, 'cache-control', cacheControl]);
      res.end();
      return true;
    }
    const acceptsGzip = page.gzip !== null && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const body = acceptsGzip ? page.gzip! : page.body;
    const headers = [...fixed, 'content-type', page.contentType, 'cache-control', cacheControl, 'etag', page.etag, 'vary', 'Accept-Encoding', 'content-length', String(body.length)];
    if (acceptsGzip) headers.push('content-encoding', 'gzip');
    res.writeHead(page.status, headers);
    res.end(body);
    return true;
  };
}

/**
 * The hot path for metered and subscriber stories: a GET for an article whose parts are
 * built at the current version is decided (cookie, meter, policy) and joined here, straight
 * on node:http. Print views, gate links, crawlers and cache misses go to the route table.
 */
export function createMeteredFastPath(opts: { state: SiteState; headers: [string, string][]; views: ArticleViews; isHttps: boolean; trustProxy: string | null }) {
  const { state, views } = opts;
  const fixed = opts.headers.flat();
  const cookieTail = `; Max-Age=${READER_COOKIE_SECONDS}; Path=/; HttpOnly; SameSite=Lax${opts.isHttps ? '; Secure' : ''}`;
  return async function meteredFastPath(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (req.method !== 'GET' || !state.isFresh()) return false;
    const url = req.url ?? '';
    if (url.includes('?') || url.endsWith('/print')) return false;
    const { site, version } = await state.current();
    const entry = views.fresh(url, version);
    if (!entry || entry.article.access === 'free') return false;
    const userAgent = req.headers['user-agent'];
    // Crawler verification needs the proxy-aware address: the route table handles it.
    if (userAgent && /bot|crawl|spider|inspectiontool/i.test(userAgent)) return false;
    const cookie = req.headers.cookie;
    const outcome = await views.decide(entry, site.publication.timeZone, {
      sessionCookie: cookieFrom(cookie, SESSION_COOKIE),
      readerCookie: cookieFrom(cookie, READER_COOKIE),
      gateToken: null,
      userAgent,
      clientAddress: () => req.socket.remoteAddress ?? 'unknown',
      isPrint: false,
    });
    const chunks = articleChunks(entry.parts, outcome.decision, entry.policy, await views.letter(entry, outcome, version)).filter((c) => c.length > 0);
    let length = 0;
    for (const c of chunks) length += typeof c === 'string' ? Buffer.byteLength(c) : c.length;
    const headers = [...fixed, 'content-type', 'text/html; charset=utf-8', 'cache-control', 'private, no-store', 'vary', 'Cookie', 'content-length', String(length)];
    if (outcome.setReaderCookie) headers.push('set-cookie', `${READER_COOKIE}=${encodeURIComponent(outcome.setReaderCookie)}${cookieTail}`);
    res.writeHead(200, headers);
    // One write of the cached bytes and the reader's few strings, without re-encoding 30 KB.
    res.cork();
    for (const c of chunks) res.write(c);
    res.end();
    return true;
  };
}
