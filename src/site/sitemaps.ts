// XML sitemaps: an index of article pages, the pages themselves, and a Google News sitemap of
// the last two days. Every URL is absolute and every value escaped.
import type { ArticleSummary } from '../content/queries.ts';
import type { SiteContext } from './site-context.ts';
import { escapeXml, isoDate } from './xml.ts';

/** Sitemaps may hold at most 50,000 URLs; smaller pages stay quick to build and to cache. */
export const SITEMAP_PAGE_SIZE = 10000;

const XML_DECL = '<?xml version="1.0" encoding="utf-8"?>';
const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';

export function renderSitemapIndex(site: SiteContext, opts: { pageCount: number }): string {
  const out = [XML_DECL, `<sitemapindex xmlns="${SITEMAP_NS}">`];
  for (let n = 1; n <= opts.pageCount; n++) {
    out.push(`<sitemap><loc>${escapeXml(site.absolute(`/sitemaps/articles-${n}.xml`))}</loc></sitemap>`);
  }
  out.push('</sitemapindex>', '');
  return out.join('\n');
}

export function renderSitemapPage(
  site: SiteContext,
  rows: { url_path: string | null; updated_at: number; published_at: number | null }[],
  opts: { includeHome: boolean },
): string {
  const out = [XML_DECL, `<urlset xmlns="${SITEMAP_NS}">`];
  if (opts.includeHome) {
    // The home page and section fronts change with every story; we know no honest lastmod for
    // them without another query, and a wrong one is worse than none. Sections come from the
    // site context, which is already loaded.
    out.push(`<url><loc>${escapeXml(site.absolute('/'))}</loc></url>`);
    for (const s of site.sections) out.push(`<url><loc>${escapeXml(site.absolute(`/${s.path}`))}</loc></url>`);
  }
  for (const r of rows) {
    if (r.url_path === null) continue;
    // A story scheduled ahead was last saved before it went out; it changed when it appeared.
    const lastmod = Math.max(r.updated_at, r.published_at ?? 0);
    out.push(`<url><loc>${escapeXml(site.absolute(r.url_path))}</loc><lastmod>${isoDate(lastmod)}</lastmod></url>`);
  }
  out.push('</urlset>', '');
  return out.join('\n');
}

export function renderNewsSitemap(site: SiteContext, articles: ArticleSummary[]): string {
  const name = escapeXml(site.publication.name);
  const out = [XML_DECL, `<urlset xmlns="${SITEMAP_NS}" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">`];
  for (const a of articles) {
    out.push(
      `<url><loc>${escapeXml(site.absolute(a.urlPath))}</loc><news:news>` +
        `<news:publication><news:name>${name}</news:name><news:language>en</news:language></news:publication>` +
        `<news:publication_date>${isoDate(a.publishedAt)}</news:publication_date>` +
        `<news:title>${escapeXml(a.headline)}</news:title>` +
        '</news:news></url>',
    );
  }
  out.push('</urlset>', '');
  return out.join('\n');
}
