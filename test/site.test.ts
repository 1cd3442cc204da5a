// The reader site through the real app on both databases: every route's status, headers and
// content, old URLs, withdrawn stories, and bad input answered cleanly.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, PUBLIC_URL, type TestApp } from './support/app.ts';
import { bumpContentVersion, saveArticle } from '../src/content/article-store.ts';
import { parseMarkdown } from '../src/content/markdown.ts';
import { listen } from './support/server.ts';

const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

for (const dialect of DIALECTS) {
  describe(`reader site (${dialect})`, () => {
    let t: TestApp;
    let kerry: { id: number; urlPath: string | null };

    before(async () => {
      t = await startTestApp(dialect);
      kerry = await t.article({
        headline: 'No breakthrough between US and Russia as Kerry, Putin meet',
        dek: 'The result appeared to be to the liking of Moscow.',
        sectionPath: 'USA/Foreign-Policy',
        authors: ['Associated Press', 'Jane Doe'],
        dateline: 'SOCHI, Russia',
        publishedAt: Date.parse('2015-05-12T18:30:00-04:00'),
        access: 'free',
        tags: ['Russia', 'Ukraine'],
        body: 'Secretary of State John Kerry met the Russian president for four hours.\n\n## Talks\n\nThe talks covered **Ukraine** and Syria.\n\n> [!PULLQUOTE]\n> "We will keep talking."\n> — A diplomat\n\nMore text follows here.',
        corrections: [{ at: Date.parse('2015-05-13T12:00:00Z'), text: 'An earlier version misstated the length of the talks.' }],
      });
      for (let i = 0; i < 25; i++) await t.article({ sectionPath: 'World/Europe', headline: `Europe story ${i} on harbors` });
      await t.article({ sectionPath: 'World/Europe', headline: `Hostile ${HOSTILE} headline`, dek: `Dek ${HOSTILE}`, body: `Body ${HOSTILE} and [a link](javascript:alert(1)).` });
      await t.article({ sectionPath: 'Science/Space', headline: 'Draft about a comet', publishedAt: null });
      await t.article({ sectionPath: 'Science/Space', headline: 'Scheduled rocket launch story', publishedAt: NOW + 3600_000 });
    });
    after(() => t.close());

    it('serves an article at its dated URL with metadata and structured data', async () => {
      assert.equal(kerry.urlPath, '/USA/Foreign-Policy/2015/0512/No-breakthrough-between-US-and-Russia-as-Kerry-Putin-meet');
      const res = await t.get(kerry.urlPath!);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /text\/html/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.match(res.headers.get('content-security-policy')!, /script-src 'self'/);
      const html = await res.text();
      assert.match(html, /<h1>No breakthrough between US and Russia as Kerry, Putin meet<\/h1>/);
      assert.match(html, /data-access="open"/);
      assert.match(html, /<span class="dateline">SOCHI, Russia<\/span>/);
      assert.match(html, new RegExp(`<link rel="canonical" href="${PUBLIC_URL}${kerry.urlPath}"`));
      assert.match(html, /<meta property="og:type" content="article"/);
      assert.match(html, /<meta name="twitter:card"/);
      assert.match(html, /An earlier version misstated the length of the talks\./);
      assert.match(html, /href="\/author\/associated-press"/);
      assert.match(html, /href="\/tag\/russia"/);
      assert.match(html, /class="pullquote"/);
      const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]);
      assert.equal(ld['@type'], 'NewsArticle');
      assert.equal(ld.headline, 'No breakthrough between US and Russia as Kerry, Putin meet');
      assert.equal(ld.datePublished, '2015-05-12T22:30:00.000Z');
      assert.deepEqual(ld.author.map((a: { name: string }) => a.name), ['Associated Press', 'Jane Doe']);
      assert.equal(ld.publisher.name, 'The Test Courier');
      assert.equal(ld.articleSection, 'Foreign Policy');
    });

    it('dates the URL in the publication time zone, not UTC', async () => {
      // 02:30 UTC on the 13th is still the evening of the 12th in New York.
      const a = await t.article({ headline: 'Late night vote', sectionPath: 'USA/Politics', publishedAt: Date.parse('2015-05-13T02:30:00Z') });
      assert.equal(a.urlPath, '/USA/Politics/2015/0512/Late-night-vote');
    });

    it('answers an old URL with 301 after a headline, slug or section change', async () => {
      const body = 'Moved body.';
      const base = { dek: '', authors: ['Test Writer'], dateline: '', publishedAt: NOW - 5000, access: 'free' as const, tags: [], bodyMarkdown: body, blocks: parseMarkdown(body), leadImage: null };
      const opts = { source: 'test', now: NOW, timeZone: 'America/New_York' };
      const first = await saveArticle(t.app.database, { ...base, headline: 'Original headline for moving', sectionPath: 'World/Europe' }, opts);
      const retitled = await saveArticle(t.app.database, { ...base, id: first.id, headline: 'A better headline now', sectionPath: 'World/Europe' }, opts);
      const moved = await saveArticle(t.app.database, { ...base, id: first.id, headline: 'A better headline now', sectionPath: 'World/Africa' }, opts);
      assert.equal(moved.id, first.id);
      assert.equal(moved.urlPath, `/World/Africa/${retitled.urlPath!.split('/').slice(3).join('/')}`);
      await t.app.site.refresh();
      for (const old of [first.urlPath!, retitled.urlPath!]) {
        const res = await t.get(old);
        assert.equal(res.status, 301, old);
        assert.equal(res.headers.get('location'), moved.urlPath);
        const print = await t.get(old + '/print');
        assert.equal(print.status, 301);
        assert.equal(print.headers.get('location'), moved.urlPath + '/print');
      }
      assert.equal((await t.get(moved.urlPath!)).status, 200);
      // A wrong date with the right section and slug is not found, never a 500.
      assert.equal((await t.get(moved.urlPath!.replace(/\/\d{4}\/\d{4}\//, '/2001/0101/'))).status, 404);
    });

    it('refuses to move an article onto another article\'s slug', async () => {
      const body = 'x';
      const base = { dek: '', authors: ['Test Writer'], dateline: '', publishedAt: NOW - 5000, access: 'free' as const, tags: [], bodyMarkdown: body, blocks: parseMarkdown(body), leadImage: null };
      const opts = { source: 'test', now: NOW, timeZone: 'America/New_York' };
      await saveArticle(t.app.database, { ...base, headline: 'Taken slug here', sectionPath: 'World/Europe' }, opts);
      const other = await saveArticle(t.app.database, { ...base, headline: 'Another story', sectionPath: 'World/Europe' }, opts);
      await assert.rejects(saveArticle(t.app.database, { ...base, id: other.id, headline: 'Taken slug here', sectionPath: 'World/Europe' }, opts), /already uses the slug/);
    });

    it('answers 410 for a withdrawn story and 404 for drafts and scheduled stories', async () => {
      const a = await t.article({ headline: 'Story that will be withdrawn', sectionPath: 'World/Asia', publishedAt: NOW - 1000 });
      assert.equal((await t.get(a.urlPath!)).status, 200);
      await t.app.database.db.updateTable('articles').set({ status: 'draft' }).where('id', '=', a.id).execute();
      await bumpContentVersion(t.app.database.db);
      await t.app.site.refresh();
      const gone = await t.get(a.urlPath!);
      assert.equal(gone.status, 410);
      assert.match(await gone.text(), /withdrawn/);
      const drafts = await t.app.database.db.selectFrom('articles').select(['url_path', 'status']).where('headline', 'in', ['Draft about a comet', 'Scheduled rocket launch story']).execute();
      const scheduled = drafts.find((d) => d.status === 'scheduled')!;
      assert.equal((await t.get(scheduled.url_path!)).status, 404);
      assert.equal(drafts.find((d) => d.status === 'draft')!.url_path, null);
    });

    it('publishes a scheduled story once its time comes', async () => {
      const a = await t.article({ headline: 'Embargoed budget story', sectionPath: 'USA/Politics', publishedAt: NOW + 60_000 });
      assert.equal((await t.get(a.urlPath!)).status, 404);
      const { publishDueArticles } = await import('../src/content/article-store.ts');
      assert.equal(await publishDueArticles(t.app.database, NOW + 120_000), 1);
      assert.equal(await publishDueArticles(t.app.database, NOW + 120_000), 0);
      await t.app.site.refresh();
      assert.equal((await t.get(a.urlPath!)).status, 200);
      assert.match(await (await t.get('/search?q=embargoed')).text(), /Embargoed budget story/);
    });

    it('renders the home page with the lead story and section blocks', async () => {
      const res = await t.get('/');
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /<main id="content"/);
      assert.match(html, /class="story story-lead"/);
      assert.match(html, /<nav class="site-nav" aria-label="Sections">/);
      assert.match(html, /href="\/World"/);
      assert.doesNotMatch(html, /Draft about a comet/);
      assert.doesNotMatch(html, /Scheduled rocket launch story/);
    });

    it('paginates section fronts, including sub-sections, and rejects bad page numbers', async () => {
      const p1 = await (await t.get('/World')).text();
      assert.match(p1, /Page 1 of 2/);
      assert.match(p1, /href="\/World\/Europe"/);
      const p2 = await t.get('/World?page=2');
      assert.equal(p2.status, 200);
      assert.equal((await t.get('/World?page=99')).status, 404);
      assert.equal((await t.get('/World?page=abc')).status, 400);
      assert.equal((await t.get('/World?page=-1')).status, 400);
      assert.equal((await t.get('/Nowhere')).status, 404);
    });

    it('lists an author and a tag', async () => {
      const author = await t.get('/author/associated-press');
      assert.equal(author.status, 200);
      assert.match(await author.text(), /No breakthrough between US and Russia/);
      const tag = await t.get('/tag/ukraine');
      assert.equal(tag.status, 200);
      assert.match(await tag.text(), /No breakthrough between US and Russia/);
      assert.equal((await t.get('/author/nobody-here')).status, 404);
      assert.equal((await t.get('/tag/nothing')).status, 404);
    });

    it('searches with ranking, highlighted snippets and pagination', async () => {
      const res = await t.get('/search?q=Kerry%20talks');
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /No breakthrough between US and Russia/);
      assert.match(html, /<mark>/);
      const many = await (await t.get('/search?q=harbors')).text();
      assert.match(many, /Page 1 of/);
      const stemmed = await (await t.get('/search?q=breakthroughs')).text();
      assert.match(stemmed, /No breakthrough/);
      const none = await (await t.get('/search?q=zyzzyva')).text();
      assert.match(none, /No stories match/);
      assert.doesNotMatch(await (await t.get('/search?q=comet')).text(), /Draft about a comet/);
    });

    it('answers hostile and malformed input cleanly, never reflected unescaped', async () => {
      const cases = [
        `/search?q=${encodeURIComponent(HOSTILE)}`,
        `/search?q=${encodeURIComponent("' OR 1=1; DROP TABLE articles; --")}`,
        `/search?q=${encodeURIComponent('"unbalanced AND OR NOT * ( NEAR')}`,
        '/search?q=%E0%A4%A',
        '/search?q=%ff%fe',
        `/search?q=${'a'.repeat(5000)}`,
        '/search?q=x&page=999999',
        '/%E0%A4%A',
        '/World/%00',
        '/USA/Foreign-Policy/2015/1345/No-breakthrough',
        '/USA/Foreign-Policy/2015/0231/No-breakthrough',
        '/USA/Foreign-Policy/20x5/0512/No-breakthrough',
        '/../../etc/passwd',
        '/media/../secret/400.jpg',
        '/media/0123456789abcdef01234567/400.gif',
        `/tag/${encodeURIComponent(HOSTILE)}`,
        `/${encodeURIComponent(HOSTILE)}`,
      ];
      for (const path of cases) {
        const res = await t.get(path);
        assert.ok(res.status < 500, `${path} → ${res.status}`);
        const text = await res.text();
        assert.doesNotMatch(text, /<script>alert/, path);
        assert.doesNotMatch(text, /<img src=x/, path);
      }
      assert.equal((await t.get('/search?q=%ff%fe')).status, 200);
      assert.equal((await t.get('/%E0%A4%A')).status, 400);
      assert.equal((await t.get('/USA/Foreign-Policy/2015/0231/No-breakthrough')).status, 404);
    });

    it('escapes hostile text in every field of an article page', async () => {
      const row = await t.app.database.db.selectFrom('articles').select('url_path').where('headline', 'like', 'Hostile%').executeTakeFirstOrThrow();
      const html = await (await t.get(row.url_path!)).text();
      assert.doesNotMatch(html, /<script>alert/);
      assert.doesNotMatch(html, /<img src=x/);
      assert.doesNotMatch(html, /href="javascript:/i);
      assert.match(html, /&lt;script&gt;alert/);
    });

    it('has healthz, robots.txt and the shared 404 page in the site design', async () => {
      const health = await t.get('/healthz');
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok' });
      const missing = await t.get('/no/such/page/at/all/here');
      assert.equal(missing.status, 404);
      const html = await missing.text();
      assert.match(html, /Page not found/);
      assert.match(html, /class="nameplate"/);
    });

    it('serves pages compressed and revalidates with ETag', async () => {
      const gz = await t.get(kerry.urlPath!, { 'accept-encoding': 'gzip' });
      assert.equal(gz.headers.get('content-encoding'), 'gzip');
      const etag = gz.headers.get('etag')!;
      const again = await t.get(kerry.urlPath!, { 'if-none-match': etag });
      assert.equal(again.status, 304);
    });

    it('answers a cached page on the fast path with the same bytes and headers as the route table', async () => {
      const server = await listen(t.app);
      try {
        t.app.site.cache.clear();
        const pick = (res: Response) => {
          const h = Object.fromEntries([...res.headers].filter(([k]) => !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(k)));
          return h;
        };
        const first = await fetch(server.url + kerry.urlPath!, { headers: { 'accept-encoding': 'identity' } });
        const firstBody = await first.text();
        assert.ok(t.app.site.cache.get(`path:${kerry.urlPath}`), 'the page is cached after the first request');
        const second = await fetch(server.url + kerry.urlPath!, { headers: { 'accept-encoding': 'identity' } });
        assert.equal(second.status, 200);
        assert.equal(await second.text(), firstBody);
        assert.deepEqual(pick(second), pick(first));
        const revalidated = await fetch(server.url + kerry.urlPath!, { headers: { 'if-none-match': second.headers.get('etag')! } });
        assert.equal(revalidated.status, 304);
        // A save elsewhere moves the content version: the fast path stops serving the old page.
        await t.app.database.db.updateTable('meta').set((eb) => ({ value: eb('value', '+', 1) })).where('key', '=', 'content_version').execute();
        await t.app.site.refresh();
        assert.equal(t.app.site.cache.get(`path:${kerry.urlPath}`), undefined);
      } finally {
        await server.close();
      }
    });

    it('shows a save made by another process (the CLI) once that process bumps the content version', async () => {
      const { buildApp } = await import('../src/app.ts');
      const other = await buildApp({ config: t.app.config, now: () => t.clock.now, logger: t.app.logger });
      try {
        const before = await (await other.fetch(new Request('http://x/World/Europe'))).text();
        const a = await t.article({ headline: 'Saved from another process', sectionPath: 'World/Europe', publishedAt: NOW });
        assert.doesNotMatch(before, /Saved from another process/);
        await other.site.refresh();
        const after = await (await other.fetch(new Request('http://x/World/Europe'))).text();
        assert.match(after, /Saved from another process/);
        assert.equal((await other.fetch(new Request('http://x' + a.urlPath))).status, 200);
      } finally {
        await other.close();
      }
    });

    it('serves fonts and the favicon', async () => {
      const font = await t.get('/assets/fonts/newsreader-400.woff2');
      assert.equal(font.status, 200);
      assert.equal(font.headers.get('content-type'), 'font/woff2');
      assert.equal((await t.get('/assets/fonts/../../package.json')).status, 404);
      assert.equal((await t.get('/favicon.svg')).status, 200);
    });
  });
}
