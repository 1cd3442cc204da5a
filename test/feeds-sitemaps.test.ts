// Feeds and sitemaps through the real app on both dialects: every document must parse, carry
// absolute URLs, list only published stories newest first, and keep hostile text as text.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { escapeHtml } from '../src/content/escape.ts';
import { DIALECTS } from './support/databases.ts';
import { NOW, PUBLIC_URL, startTestApp, type TestApp } from './support/app.ts';

const HOUR = 3600_000;
const PUBLICATION = 'Courier & Ledger <Test>';
const HOSTILE = 'Tom & Jerry <script>alert(1)</script> "quotes"';
const HOSTILE_DEK = `Dek: ${HOSTILE} & more`;

// Repeatable elements parse as arrays even when a document holds just one.
const ALWAYS_ARRAY = new Set(['item', 'entry', 'url', 'sitemap', 'category', 'dc:creator', 'author', 'atom:link', 'feed.link', 'feed.entry.link']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name, jpath) => ALWAYS_ARRAY.has(name) || ALWAYS_ARRAY.has(String(jpath)),
});

/** Asserts status and content type, validates the XML, and returns it raw and parsed. */
async function getXml(t: TestApp, path: string, contentType: string): Promise<{ raw: string; doc: any }> {
  const res = await t.get(path);
  assert.equal(res.status, 200, path);
  assert.equal(res.headers.get('content-type'), contentType, path);
  const raw = await res.text();
  assert.equal(XMLValidator.validate(raw), true, `${path} is not well-formed XML`);
  return { raw, doc: parser.parse(raw) };
}

function text(node: unknown): string {
  return typeof node === 'string' ? node : (node as { '#text'?: string })['#text'] ?? '';
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

for (const dialect of DIALECTS) {
  describe(`feeds and sitemaps (${dialect})`, () => {
    let t: TestApp;
    // Newest first, as every feed should list them.
    let europe: string; // World/Europe, lead image with a 1200 variant
    let hostile: string; // World, two authors
    let business: string; // Business, lead image without a 1200 variant
    let old: string; // World/Europe, three days old
    let scheduled: string | null;

    before(async () => {
      t = await startTestApp(dialect, { publication: { name: PUBLICATION } });
      old = (await t.article({ headline: 'An old harbor story', publishedAt: NOW - 72 * HOUR })).urlPath!;
      business = (
        await t.article({
          headline: 'Markets close higher',
          sectionPath: 'Business',
          publishedAt: NOW - 3 * HOUR,
          leadImage: { image: { id: 'bbb222', width: 1000, height: 500, widths: [400, 800], format: 'jpeg' }, caption: 'Traders', credit: 'Staff', alt: 'A trading floor' },
        })
      ).urlPath!;
      hostile = (
        await t.article({
          headline: HOSTILE,
          dek: HOSTILE_DEK,
          sectionPath: 'World',
          authors: ["Ann O'Neil & Co", 'Test Writer'],
          publishedAt: NOW - 2 * HOUR,
          body: `${HOSTILE} in the body.\n\nA second paragraph.`,
        })
      ).urlPath!;
      europe = (
        await t.article({
          headline: 'Ferry strike ends in Bergen',
          sectionPath: 'World/Europe',
          publishedAt: NOW - 1 * HOUR,
          tags: ['Harbors', 'Labor'],
          body: 'See our [earlier report](/World/2026/1101/Earlier-report) and the [notes](#notes).',
          leadImage: { image: { id: 'aaa111', width: 3000, height: 2000, widths: [400, 800, 1200, 1600], format: 'jpeg' }, caption: 'The quay', credit: 'Photo desk', alt: 'Ferries at the quay' },
        })
      ).urlPath!;
      scheduled = (await t.article({ headline: 'Embargoed budget story', sectionPath: 'World/Europe', publishedAt: NOW + 24 * HOUR })).urlPath;
    });

    after(async () => {
      await t?.close();
    });

    const abs = (p: string) => PUBLIC_URL + p;

    test('RSS 2.0 for the whole site', async () => {
      const { raw, doc } = await getXml(t, '/feeds/rss.xml', 'application/rss+xml; charset=utf-8');
      assert.ok(!raw.includes('<script'), 'hostile text must never appear as markup');
      assert.ok(!raw.includes('Embargoed'));
      const channel = doc.rss.channel;
      assert.equal(doc.rss['@_version'], '2.0');
      assert.equal(text(channel.title), PUBLICATION);
      assert.equal(text(channel.link), abs('/'));
      const self = channel['atom:link'].find((l: any) => l['@_rel'] === 'self');
      assert.equal(self['@_href'], abs('/feeds/rss.xml'));
      const items = channel.item;
      assert.deepEqual(items.map((i: any) => i.link), [europe, hostile, business, old].map(abs));
      for (const item of items) {
        assert.equal(item.guid['#text'], item.link);
        assert.equal(item.guid['@_isPermaLink'], 'true');
        assert.match(item.pubDate, /^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/);
      }
      const [first, second, third] = items;
      assert.equal(first.pubDate, new Date(NOW - HOUR).toUTCString());
      assert.deepEqual(first['dc:creator'], ['Test Writer']);
      assert.deepEqual(first.category.map(text), ['Europe', 'Harbors', 'Labor']);
      assert.equal(first['media:content']['@_url'], abs('/media/aaa111/1200.jpg'));
      assert.equal(first['media:content']['@_medium'], 'image');
      assert.equal(third['media:content']['@_url'], abs('/media/bbb222/800.jpg'), 'widest variant when there is no 1200');
      // Full body with links made absolute against the site and the article.
      const body: string = first['content:encoded'];
      assert.ok(body.includes(`href="${abs('/World/2026/1101/Earlier-report')}"`), body);
      assert.ok(body.includes(`href="${abs(europe)}#notes"`), body);
      // Hostile text: plain title; description and body are HTML that shows the text.
      assert.equal(second.title, HOSTILE);
      assert.equal(second.description, escapeHtml(HOSTILE_DEK));
      assert.deepEqual(second['dc:creator'], ["Ann O'Neil & Co", 'Test Writer']);
      assert.ok(second['content:encoded'].includes('Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt;'));
      assert.ok(!second['content:encoded'].includes('<script'));
    });

    test('Atom 1.0 for the whole site', async () => {
      const { raw, doc } = await getXml(t, '/feeds/atom.xml', 'application/atom+xml; charset=utf-8');
      assert.ok(!raw.includes('<script'));
      assert.ok(!raw.includes('Embargoed'));
      const feed = doc.feed;
      assert.equal(feed['@_xmlns'], 'http://www.w3.org/2005/Atom');
      assert.equal(text(feed.title), PUBLICATION);
      assert.match(feed.updated, ISO);
      assert.ok(feed.id);
      const links = Object.fromEntries(feed.link.map((l: any) => [l['@_rel'], l['@_href']]));
      assert.equal(links.self, abs('/feeds/atom.xml'));
      assert.equal(links.alternate, abs('/'));
      const entries = feed.entry;
      assert.deepEqual(entries.map((e: any) => e.id), [europe, hostile, business, old].map(abs));
      for (const e of entries) {
        assert.equal(e.link.find((l: any) => l['@_rel'] === 'alternate')['@_href'], e.id);
        assert.match(e.published, ISO);
        assert.match(e.updated, ISO);
        assert.ok(e.author.length >= 1);
        assert.equal(e.content['@_type'], 'html');
      }
      const [first, second] = entries;
      assert.equal(first.published, '2026-11-20T14:00:00Z');
      assert.equal(first.link.find((l: any) => l['@_rel'] === 'enclosure')['@_href'], abs('/media/aaa111/1200.jpg'));
      assert.equal(text(second.title), HOSTILE);
      assert.equal(second.title['@_type'], 'text');
      assert.equal(text(second.summary), HOSTILE_DEK);
      assert.equal(second.summary['@_type'], 'text');
      assert.deepEqual(second.author.map((a: any) => a.name), ["Ann O'Neil & Co", 'Test Writer']);
      const html = text(second.content);
      assert.ok(html.includes('Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt;'), html);
      assert.ok(!html.includes('<script'));
    });

    test('JSON Feed 1.1 for the whole site', async () => {
      const res = await t.get('/feeds/feed.json');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/feed+json; charset=utf-8');
      const feed = JSON.parse(await res.text());
      assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
      assert.equal(feed.title, PUBLICATION);
      assert.equal(feed.home_page_url, abs('/'));
      assert.equal(feed.feed_url, abs('/feeds/feed.json'));
      assert.deepEqual(feed.items.map((i: any) => i.url), [europe, hostile, business, old].map(abs));
      for (const item of feed.items) {
        assert.equal(item.id, item.url);
        assert.match(item.date_published, ISO);
        assert.match(item.date_modified, ISO);
        assert.ok(item.content_html.length > 0);
      }
      const [first, second] = feed.items;
      assert.equal(first.title, 'Ferry strike ends in Bergen');
      assert.equal(first.image, abs('/media/aaa111/1200.jpg'));
      assert.equal(first.date_published, '2026-11-20T14:00:00Z');
      assert.deepEqual(first.tags, ['Europe', 'Harbors', 'Labor']);
      assert.deepEqual(first.authors, [{ name: 'Test Writer', url: abs('/author/test-writer') }]);
      assert.ok(first.content_html.includes(`href="${abs('/World/2026/1101/Earlier-report')}"`));
      assert.equal(second.title, HOSTILE);
      assert.equal(second.summary, HOSTILE_DEK);
      assert.ok(!second.content_html.includes('<script'));
      assert.ok(second.content_html.includes('&lt;script&gt;'));
      assert.ok(!feed.items.some((i: any) => i.title.includes('Embargoed')));
    });

    test('section feeds hold only their section tree', async () => {
      const rss = (await getXml(t, '/World/feeds/rss.xml', 'application/rss+xml; charset=utf-8')).doc.rss.channel;
      assert.equal(text(rss.title), `World — ${PUBLICATION}`);
      assert.equal(text(rss.link), abs('/World'));
      assert.equal(rss['atom:link'][0]['@_href'], abs('/World/feeds/rss.xml'));
      assert.deepEqual(rss.item.map((i: any) => i.link), [europe, hostile, old].map(abs));

      const atom = (await getXml(t, '/World/Europe/feeds/atom.xml', 'application/atom+xml; charset=utf-8')).doc.feed;
      assert.equal(text(atom.title), `Europe — ${PUBLICATION}`);
      assert.equal(atom.link.find((l: any) => l['@_rel'] === 'self')['@_href'], abs('/World/Europe/feeds/atom.xml'));
      assert.deepEqual(atom.entry.map((e: any) => e.id), [europe, old].map(abs));

      const res = await t.get('/Business/feeds/feed.json');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/feed+json; charset=utf-8');
      const json = JSON.parse(await res.text());
      assert.equal(json.feed_url, abs('/Business/feeds/feed.json'));
      assert.equal(json.home_page_url, abs('/Business'));
      assert.deepEqual(json.items.map((i: any) => i.url), [abs(business)]);

      assert.equal((await t.get('/Nowhere/feeds/rss.xml')).status, 404);
    });

    test('sitemap index and article pages', async () => {
      const index = (await getXml(t, '/sitemap.xml', 'application/xml; charset=utf-8')).doc.sitemapindex;
      assert.deepEqual(index.sitemap.map((s: any) => s.loc), [abs('/sitemaps/articles-1.xml')]);

      const { raw, doc } = await getXml(t, '/sitemaps/articles-1.xml', 'application/xml; charset=utf-8');
      assert.ok(!raw.includes('<script'));
      const urls: { loc: string; lastmod?: string }[] = doc.urlset.url;
      const locs = urls.map((u) => u.loc);
      assert.ok(locs.includes(abs('/')), 'page 1 lists the home page');
      for (const p of [europe, hostile, business, old]) {
        const entry = urls.find((u) => u.loc === abs(p));
        assert.ok(entry, `${p} listed`);
        assert.match(entry.lastmod!, ISO);
      }
      // Saved at NOW, published before: last modified at the save.
      assert.equal(urls.find((u) => u.loc === abs(old))!.lastmod, '2026-11-20T15:00:00Z');
      assert.ok(locs.every((l) => l.startsWith(PUBLIC_URL + '/')));
      assert.ok(!locs.some((l) => l.includes('Embargoed')));
      if (scheduled) assert.ok(!locs.includes(abs(scheduled)));

      for (const p of ['/sitemaps/articles-2.xml', '/sitemaps/articles-0.xml', '/sitemaps/articles-x.xml', '/sitemaps/other.xml']) {
        assert.equal((await t.get(p)).status, 404, p);
      }
    });

    test('news sitemap covers the last 48 hours', async () => {
      const { raw, doc } = await getXml(t, '/sitemap-news.xml', 'application/xml; charset=utf-8');
      assert.ok(!raw.includes('<script'));
      assert.equal(doc.urlset['@_xmlns:news'], 'http://www.google.com/schemas/sitemap-news/0.9');
      const urls = doc.urlset.url;
      assert.deepEqual(urls.map((u: any) => u.loc), [europe, hostile, business].map(abs), 'newest first, nothing older than 48 h, nothing scheduled');
      for (const u of urls) {
        const news = u['news:news'];
        assert.equal(news['news:publication']['news:name'], PUBLICATION);
        assert.equal(news['news:publication']['news:language'], 'en');
        assert.match(news['news:publication_date'], ISO);
        assert.ok(Date.parse(news['news:publication_date']) >= t.clock.now - 48 * HOUR);
      }
      assert.equal(urls[0]['news:news']['news:publication_date'], '2026-11-20T14:00:00Z');
      assert.equal(urls[1]['news:news']['news:title'], HOSTILE);
    });

    test('robots.txt names both sitemaps', async () => {
      const res = await t.get('/robots.txt');
      assert.equal(res.status, 200);
      const body = await res.text();
      assert.ok(body.includes(`Sitemap: ${abs('/sitemap.xml')}\n`), body);
      assert.ok(body.includes(`Sitemap: ${abs('/sitemap-news.xml')}\n`), body);
    });
  });
}
