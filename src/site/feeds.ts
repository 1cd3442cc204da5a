// RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the whole site or one section tree.
// Written by hand rather than with the `feed` package: v6 emits JSON Feed 1.0 with a single
// author, RSS <author> instead of dc:creator, guid isPermaLink="false", and Atom titles and
// summaries typed "html", which would turn a headline like "<script>" into markup.
// Text fields are plain text everywhere except RSS <description>, which readers treat as HTML.
import type { ArticleFull } from '../content/queries.ts';
import type { SectionRow } from '../db/schema.ts';
import { escapeHtml } from '../content/escape.ts';
import { renderBlocks } from '../content/render-html.ts';
import { splitTeaser } from '../paywall/teaser.ts';
import { displayDate } from '../content/dates.ts';
import type { SiteContext } from './site-context.ts';
import { leadImageUrl } from './structured-data.ts';
import { escapeXml, isoDate, XML_INVALID } from './xml.ts';

export type FeedFormat = 'rss' | 'atom' | 'json';

const FILES: Record<FeedFormat, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' };
const CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** CDATA keeps embedded HTML readable; falls back to escaping when the text would close the section early. */
function cdata(value: string): string {
  const clean = value.replace(XML_INVALID, '');
  return clean.includes(']]>') ? escapeXml(clean) : `<![CDATA[${clean}]]>`;
}

/** RFC 822 date for RSS (RFC 1123 form, which RSS readers and validators accept). */
function rfc822(ms: number): string {
  return new Date(ms).toUTCString();
}

// ---------------------------------------------------------------------------------------------

interface FeedItem {
  url: string;
  headline: string;
  dek: string;
  html: string;
  published: number;
  /** Never before published: a scheduled story's last save precedes its publication. */
  modified: number;
  authors: { name: string; url: string }[];
  section: { name: string; url: string };
  tags: string[];
  image: { url: string; width: number; height: number; alt: string; caption: string; credit: string } | null;
}

interface FeedMeta {
  title: string;
  description: string;
  homeUrl: string;
  selfUrl: string;
  updated: number;
}

export function renderFeed(
  site: SiteContext,
  articles: ArticleFull[],
  opts: { format: FeedFormat; section: SectionRow | null; teaserParagraphs: number },
): { body: string; contentType: string } {
  const { format, section } = opts;
  const pub = site.publication;
  const base = section ? `/${section.path}` : '';
  const items = articles.map((a) => feedItem(site, a, opts.teaserParagraphs));
  const meta: FeedMeta = {
    title: section ? `${section.name} — ${pub.name}` : pub.name,
    description: section ? section.description || `The latest from ${section.name}, ${pub.name}` : pub.tagline || pub.name,
    homeUrl: site.absolute(base || '/'),
    selfUrl: site.absolute(`${base}/feeds/${FILES[format]}`),
    // An empty feed has no better answer than the clock.
    updated: items.length ? Math.max(...items.map((i) => i.modified)) : site.now(),
  };
  const body = format === 'rss' ? rss(meta, items) : format === 'atom' ? atom(site, meta, items) : jsonFeed(site, meta, items);
  return { body, contentType: CONTENT_TYPES[format] };
}

function feedItem(site: SiteContext, a: ArticleFull, teaserParagraphs: number): FeedItem {
  const url = site.absolute(a.urlPath);
  // A feed is read by anyone: metered and subscriber stories travel as the teaser only.
  const blocks = a.access === 'free' ? a.blocks : splitTeaser(a.blocks, teaserParagraphs).teaser;
  let html = renderBlocks(blocks, { mediaBase: site.absolute('/media'), absoluteLinksBase: url, dateline: a.dateline || undefined });
  if (a.access !== 'free') html += `\n<p><a href="${escapeHtml(url)}">Continue reading on ${escapeHtml(site.publication.name)}</a></p>`;
  if (a.corrections.length > 0) {
    // Corrections travel with the story: readers who saw the original in a feed should see them too.
    const tz = site.publication.timeZone;
    html += `\n<aside class="corrections">${a.corrections.map((c) => `<p><strong>Correction, ${escapeHtml(displayDate(c.at, tz))}:</strong> ${escapeHtml(c.text)}</p>`).join('')}</aside>`;
  }
  let image: FeedItem['image'] = null;
  if (a.image && a.image.widths.length > 0) {
    const width = a.image.widths.includes(1200) ? 1200 : a.image.widths[a.image.widths.length - 1];
    image = {
      url: leadImageUrl(site, a.image),
      width,
      height: Math.round((width / a.image.width) * a.image.height),
      alt: a.imageAlt,
      caption: a.imageCaption,
      credit: a.imageCredit,
    };
  }
  return {
    url,
    headline: a.headline,
    dek: a.dek,
    html,
    published: a.publishedAt,
    modified: Math.max(a.updatedAt, a.publishedAt),
    authors: a.authors.map((x) => ({ name: x.name, url: site.absolute(`/author/${x.slug}`) })),
    section: { name: a.section.name, url: site.absolute(`/${a.section.path}`) },
    tags: a.tags.map((t) => t.name),
    image,
  };
}

function rss(meta: FeedMeta, items: FeedItem[]): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">',
    '<channel>',
    `<title>${escapeXml(meta.title)}</title>`,
    `<link>${escapeXml(meta.homeUrl)}</link>`,
    `<description>${escapeXml(escapeHtml(meta.description))}</description>`,
    `<atom:link href="${escapeXml(meta.selfUrl)}" rel="self" type="application/rss+xml"/>`,
    '<language>en</language>',
    `<lastBuildDate>${rfc822(meta.updated)}</lastBuildDate>`,
    '<docs>https://www.rssboard.org/rss-specification</docs>',
  ];
  for (const it of items) {
    out.push(
      '<item>',
      `<title>${escapeXml(it.headline)}</title>`,
      `<link>${escapeXml(it.url)}</link>`,
      `<guid isPermaLink="true">${escapeXml(it.url)}</guid>`,
      `<pubDate>${rfc822(it.published)}</pubDate>`,
    );
    // RSS description is HTML: the plain-text dek is escaped for HTML, then for XML.
    if (it.dek) out.push(`<description>${escapeXml(escapeHtml(it.dek))}</description>`);
    for (const a of it.authors) out.push(`<dc:creator>${escapeXml(a.name)}</dc:creator>`);
    out.push(`<category domain="${escapeXml(it.section.url)}">${escapeXml(it.section.name)}</category>`);
    for (const t of it.tags) out.push(`<category>${escapeXml(t)}</category>`);
    if (it.image) {
      // media:content rather than <enclosure>, which demands a byte length we do not have here.
      const img = it.image;
      const desc = img.alt || img.caption;
      out.push(
        `<media:content url="${escapeXml(img.url)}" medium="image" type="image/jpeg" width="${img.width}" height="${img.height}">` +
          (desc ? `<media:description type="plain">${escapeXml(desc)}</media:description>` : '') +
          (img.credit ? `<media:credit>${escapeXml(img.credit)}</media:credit>` : '') +
          '</media:content>',
      );
    }
    out.push(`<content:encoded>${cdata(it.html)}</content:encoded>`, '</item>');
  }
  out.push('</channel>', '</rss>', '');
  return out.join('\n');
}

function atom(site: SiteContext, meta: FeedMeta, items: FeedItem[]): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
    `<id>${escapeXml(meta.selfUrl)}</id>`,
    `<title type="text">${escapeXml(meta.title)}</title>`,
    `<subtitle type="text">${escapeXml(meta.description)}</subtitle>`,
    `<updated>${isoDate(meta.updated)}</updated>`,
    `<link rel="alternate" type="text/html" href="${escapeXml(meta.homeUrl)}"/>`,
    `<link rel="self" type="application/atom+xml" href="${escapeXml(meta.selfUrl)}"/>`,
    // Feed-level author so entries without a byline are still valid Atom.
    `<author><name>${escapeXml(site.publication.name)}</name><uri>${escapeXml(site.absolute('/'))}</uri></author>`,
    `<icon>${escapeXml(site.absolute('/favicon.svg'))}</icon>`,
  ];
  for (const it of items) {
    out.push(
      '<entry>',
      `<id>${escapeXml(it.url)}</id>`,
      `<title type="text">${escapeXml(it.headline)}</title>`,
      `<link rel="alternate" type="text/html" href="${escapeXml(it.url)}"/>`,
      `<published>${isoDate(it.published)}</published>`,
      `<updated>${isoDate(it.modified)}</updated>`,
    );
    for (const a of it.authors) out.push(`<author><name>${escapeXml(a.name)}</name><uri>${escapeXml(a.url)}</uri></author>`);
    out.push(`<category term="${escapeXml(it.section.name)}" scheme="${escapeXml(it.section.url)}"/>`);
    for (const t of it.tags) out.push(`<category term="${escapeXml(t)}"/>`);
    if (it.image) out.push(`<link rel="enclosure" type="image/jpeg" href="${escapeXml(it.image.url)}"/>`);
    if (it.dek) out.push(`<summary type="text">${escapeXml(it.dek)}</summary>`);
    out.push(`<content type="html">${escapeXml(it.html)}</content>`, '</entry>');
  }
  out.push('</feed>', '');
  return out.join('\n');
}

function jsonFeed(site: SiteContext, meta: FeedMeta, items: FeedItem[]): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
    home_page_url: meta.homeUrl,
    feed_url: meta.selfUrl,
    description: meta.description,
    favicon: site.absolute('/favicon.svg'),
    language: 'en',
    authors: [{ name: site.publication.name, url: site.absolute('/') }],
    items: items.map((it) => ({
      id: it.url,
      url: it.url,
      title: it.headline,
      summary: it.dek || undefined,
      content_html: it.html,
      image: it.image?.url,
      date_published: isoDate(it.published),
      date_modified: isoDate(it.modified),
      authors: it.authors.length ? it.authors : undefined,
      tags: [it.section.name, ...it.tags.filter((t) => t !== it.section.name)],
    })),
  };
  return JSON.stringify(feed);
}
