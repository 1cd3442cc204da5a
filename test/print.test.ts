// The print view: a chrome-free page for paper whose two QR codes really scan, on both
// dialects. Codes are rasterised with sharp and decoded with jsQR, not merely counted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import jsQRModule from 'jsqr';
import sharp from 'sharp';
import { DIALECTS } from './support/databases.ts';
import { NOW, PUBLIC_URL, startTestApp, type TestApp } from './support/app.ts';
import { storeImage } from '../src/content/image-store.ts';
import { articleUrlPath } from '../src/content/article-store.ts';
import { slugify } from '../src/content/slug.ts';
import { qrSvg } from '../src/site/qr.ts';

// jsqr is CommonJS with an ESM-style `default` in its typings; the function sits on both.
const jsQR = jsQRModule.default;
const TZ = 'America/New_York';
const HOSTILE_HEADLINE = 'Council votes <script>alert("pwned")</script> & adjourns';
// 03:00 UTC is still the previous evening in New York: the page must print November 19.
const PUBLISHED_AT = Date.parse('2026-11-20T03:00:00Z');

/** Rasterises an inline SVG as served (viewBox only, no size) and decodes it. */
async function decodeQr(svg: string): Promise<string | null> {
  // 300 dpi turns the viewBox's user units into ~4 px modules: comfortably decodable.
  const { data, info } = await sharp(Buffer.from(svg), { density: 300 })
    .flatten({ background: '#ffffff' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const code = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height);
  return code?.data ?? null;
}

async function testPicture(): Promise<Buffer> {
  // A plain gradient-ish picture; any real raster will do.
  return sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 40, g: 90, b: 140 } } })
    .composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800"><circle cx="600" cy="400" r="300" fill="#e0c070"/></svg>') }])
    .png()
    .toBuffer();
}

for (const dialect of DIALECTS) {
  describe(`print view (${dialect})`, () => {
    let t: TestApp;
    let urlPath: string;
    let html: string;
    let res: Response;

    before(async () => {
      t = await startTestApp(dialect);
      const image = await storeImage({ dir: t.app.mediaDir, input: await testPicture() });
      const created = await t.article({
        headline: HOSTILE_HEADLINE,
        dek: 'Residents <b>object</b> & the harbour master "resigns"',
        authors: ['Ada <Lovelace>', 'Grace Hopper'],
        dateline: 'BERGEN, Norway',
        publishedAt: PUBLISHED_AT,
        access: 'metered',
        body: [
          'The council met <img src=x onerror="alert(1)"> late into the night.',
          '## What happens next',
          'A second paragraph with [a source](https://example.org/report) and [a trap](javascript:alert(1)).',
        ].join('\n\n'),
        leadImage: { image, caption: 'The harbour at dusk.', credit: 'Jo Photographer', alt: 'Boats moored in a harbour' },
        corrections: [{ at: NOW, text: 'An earlier version misnamed the <i>harbour</i> master.' }],
      });
      assert.ok(created.urlPath);
      urlPath = created.urlPath;
      res = await t.get(`${urlPath}/print`);
      html = await res.text();
    });

    after(async () => {
      await t?.close();
    });

    it('answers 200 with an HTML document', () => {
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(html, /^<!doctype html><html lang="en">/);
      assert.ok(html.trimEnd().endsWith('</html>'));
    });

    it('carries no site chrome and no script', () => {
      assert.doesNotMatch(html, /<nav\b/);
      assert.doesNotMatch(html, /<form\b/);
      assert.doesNotMatch(html, /<script\b/i);
      assert.doesNotMatch(html, /class="site-(head|foot|nav)"/);
    });

    it('is not indexed and points at the article as canonical', () => {
      assert.match(html, /<meta name="robots" content="noindex"\/?>/);
      assert.ok(html.includes(`<link rel="canonical" href="${PUBLIC_URL}${urlPath}"`), 'canonical link');
    });

    it('prints nameplate, headline, dek, bylines, date in the publication time zone and dateline', () => {
      assert.match(html, /<p class="pub">The Test Courier<\/p>/);
      assert.ok(html.includes('Council votes &lt;script&gt;alert('), 'escaped headline');
      assert.ok(html.includes('Residents &lt;b&gt;object&lt;/b&gt; &amp; the harbour master'), 'escaped dek');
      assert.match(html, /By <span>Ada &lt;Lovelace&gt;<\/span> and <span>Grace Hopper<\/span>/);
      assert.ok(html.includes(`<time datetime="2026-11-20T03:00:00.000Z">November 19, 2026</time>`), 'local date');
      assert.ok(html.includes('<span class="dateline">BERGEN, Norway</span> — The council met'), 'dateline prefix');
      assert.match(html, /<h2>What happens next<\/h2>/);
      assert.match(html, /<article class="article" data-access="metered">/);
    });

    it('prints the lead picture eagerly, with caption and credit', async () => {
      assert.match(html, /<figure class="lead"><picture>/);
      assert.match(html, /<img [^>]*alt="Boats moored in a harbour"[^>]*loading="eager"/);
      assert.ok(html.includes('The harbour at dusk. <span class="credit">Jo Photographer</span>'));
      const src = /<img [^>]*src="([^"]+)"/.exec(html)?.[1];
      assert.ok(src);
      assert.equal((await t.get(src)).status, 200);
    });

    it('prints corrections with their dates', () => {
      assert.match(html, /<h2 id="corrections-h">Correction<\/h2>/);
      assert.ok(html.includes('<time datetime="2026-11-20T15:00:00.000Z">November 20, 2026</time>:</strong> An earlier version misnamed the &lt;i&gt;harbour&lt;/i&gt; master.'));
    });

    it('escapes every piece of hostile text', () => {
      assert.ok(!html.includes('<script>alert'), 'no live script from the headline');
      assert.doesNotMatch(html, /<img[^>]*onerror/i);
      assert.doesNotMatch(html, /<(b|i)>/);
      assert.doesNotMatch(html, /href="javascript:/i);
      assert.ok(html.includes('<a href="https://example.org/report">a source</a>'));
    });

    it('ends with two scannable QR codes: the article and the subscription page', async () => {
      const svgs = html.match(/<svg\b[\s\S]*?<\/svg>/g) ?? [];
      assert.equal(svgs.length, 2);
      assert.equal(html.match(/<svg\b/g)?.length, 2);
      for (const svg of svgs) {
        assert.match(svg, /^<svg [^>]*viewBox="0 0 \d+ \d+"[^>]*role="img"[^>]*aria-label="[^"]+"/);
        assert.doesNotMatch(svg.slice(0, svg.indexOf('>')), /\b(width|height)=/);
      }
      assert.equal(await decodeQr(svgs[0]), `${PUBLIC_URL}${urlPath}`);
      assert.equal(await decodeQr(svgs[1]), `${PUBLIC_URL}/subscribe`);
      assert.ok(html.includes(`<strong>Read this article at</strong> <span class="url">${PUBLIC_URL}${urlPath}</span>`));
      assert.ok(html.includes(`<strong>Start your subscription today</strong> <span class="url">${PUBLIC_URL}/subscribe</span>`));
      assert.ok(html.indexOf('Read this article at') < html.indexOf('Start your subscription today'));
    });

    it('answers 404 for an unknown slug', async () => {
      const r = await t.get('/World/Europe/2026/1119/No-such-story/print');
      assert.equal(r.status, 404);
    });

    it('answers 404 for a draft and for a scheduled article', async () => {
      const headline = 'Unpublished draft about tides';
      await t.article({ headline, publishedAt: null });
      const wouldBe = articleUrlPath('World/Europe', NOW - 3600_000, slugify(headline), TZ);
      const draft = await t.get(`${wouldBe}/print`);
      assert.equal(draft.status, 404);
      assert.ok(!(await draft.text()).includes(headline));

      const scheduled = await t.article({ headline: 'Embargoed until tomorrow', publishedAt: NOW + 86_400_000 });
      assert.ok(scheduled.urlPath);
      const early = await t.get(`${scheduled.urlPath}/print`);
      assert.equal(early.status, 404);
      assert.ok(!(await early.text()).includes('Embargoed until tomorrow'));
    });

    it('follows a moved article to its new print view', async () => {
      const headline = 'Ferry timetable changes';
      const first = await t.article({ headline, publishedAt: PUBLISHED_AT - 86_400_000 });
      const moved = await t.article({ headline, publishedAt: PUBLISHED_AT });
      assert.ok(first.urlPath && moved.urlPath && first.urlPath !== moved.urlPath);
      const r = await t.get(`${first.urlPath}/print`);
      assert.equal(r.status, 301);
      assert.equal(r.headers.get('location'), `${moved.urlPath}/print`);
    });
  });
}

describe('qrSvg', () => {
  it('labels the code and escapes the label', async () => {
    const svg = await qrSvg('https://news.example.com/a?b=1&c=<x>', 'Scan "me" <now>');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+" role="img" aria-label="Scan &quot;me&quot; &lt;now&gt;"/);
    assert.equal(await decodeQr(svg), 'https://news.example.com/a?b=1&c=<x>');
  });

  it('defaults the label to the encoded text, escaped', async () => {
    const svg = await qrSvg('https://x.example/"><script>');
    assert.ok(!svg.includes('<script>'));
    assert.ok(svg.includes('aria-label="QR code: https://x.example/&quot;&gt;&lt;script&gt;"'));
  });
});
