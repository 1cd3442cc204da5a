// axe-core in a real browser on the reader pages: no violations on the home page, a section
// front, an article page (with pictures and a correction), search, the newsletters' sign-up
// page and archive, the Weekly's archive and an edition, and the 404 page — in light and dark
// colour schemes and at phone width.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, type TestApp } from './support/app.ts';
import { HAS_CHROMIUM, launchBrowser } from './support/browser.ts';
import { listen } from './support/server.ts';
import { storeImage } from '../src/content/image-store.ts';
import { getList } from '../src/newsletters/lists.ts';
import { ensureDailyIssue, queueIssue } from '../src/newsletters/issue-store.ts';
import { ensureEdition, publishEdition } from '../src/editions/edition-store.ts';

const ARTIFACTS = path.resolve('test-artifacts');

for (const dialect of DIALECTS) {
  describe(`accessibility of reader pages (${dialect})`, { skip: HAS_CHROMIUM ? false : 'Chromium not found (set CHROMIUM_PATH)' }, () => {
    let t: TestApp;
    let server: { url: string; close(): Promise<void> };
    let browser: Browser;
    let articlePath: string;

    before(async () => {
      t = await startTestApp(dialect);
      const image = await storeImage({ dir: t.app.mediaDir, input: await sharp({ create: { width: 1600, height: 1000, channels: 3, background: '#4a6d8c' } }).jpeg().toBuffer() });
      const lead = { image, caption: 'The harbor at dawn, in an illustration.', credit: 'Illustration by Ines Varga', alt: 'Boats moored in a harbor under a pale sky' };
      const a = await t.article({
        headline: 'Harbor towns bet on tidal power as fuel costs climb',
        sectionPath: 'World/Europe',
        leadImage: lead,
        body: 'First paragraph.\n\n## A subhead\n\nSecond paragraph with [a link](https://example.org/x).\n\n> [!PULLQUOTE]\n> "We are not waiting."\n> — A harbor master\n\n- one\n- two\n\nhttps://example.org/report\n\n---\n\nLast paragraph.',
        corrections: [{ at: NOW - 1000, text: 'An earlier version misstated the turbine size.' }],
        tags: ['Energy'],
      });
      articlePath = a.urlPath!;
      for (let i = 0; i < 6; i++) await t.article({ sectionPath: i % 2 ? 'World/Europe' : 'USA/Politics', leadImage: i % 3 ? lead : null });
      // A sent Daily and a published Weekly, for their archive pages.
      const db = t.app.database.db;
      const daily = (await getList(db, { slug: 'daily' }))!;
      const issue = await ensureDailyIssue(db, { list: daily, issueDate: '2026-11-20', sendAt: NOW, now: NOW });
      await db.updateTable('newsletter_issues').set({ story_ids: JSON.stringify([a.id]) }).where('id', '=', issue.id).execute();
      assert.ok((await queueIssue({ db, publicUrl: t.app.site.publicUrl() }, issue.id, { now: NOW })).ok);
      const edition = await ensureEdition(db, { week: '2026-W47', timeZone: 'America/New_York', now: NOW });
      assert.ok((await publishEdition({ db, publicUrl: t.app.site.publicUrl(), now: NOW }, edition.id)).ok);
      await t.app.runJobs();
      server = await listen(t.app);
      browser = await launchBrowser();
      fs.mkdirSync(ARTIFACTS, { recursive: true });
    });
    after(async () => {
      await browser?.close();
      await server?.close();
      await t?.close();
    });

    for (const scheme of ['light', 'dark'] as const) {
      it(`has no axe violations (${scheme})`, async () => {
        const pages = {
          home: '/', section: '/World', article: articlePath, search: '/search?q=harbor', missing: '/no/such/page',
          newsletters: '/newsletters', 'daily-archive': '/newsletters/daily', 'daily-issue': '/newsletters/daily/2026-11-20',
          editions: '/editions', edition: '/editions/2026-W47',
        };
        for (const [name, p] of Object.entries(pages)) {
          const context = await browser.newContext({ colorScheme: scheme, viewport: name === 'article' ? { width: 390, height: 844 } : { width: 1280, height: 900 } });
          const page = await context.newPage();
          const response = await page.goto(server.url + p);
          assert.equal(response?.status(), name === 'missing' ? 404 : 200, `${name} ${p}`);
          const results = await new AxeBuilder({ page }).analyze();
          if (dialect === 'sqlite') await page.screenshot({ path: path.join(ARTIFACTS, `reader-${name}-${scheme}.png`), fullPage: true });
          await context.close();
          const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
          assert.deepEqual(summary, [], `${name} ${p}`);
        }
      });
    }

    it('reads without JavaScript and never lazy-loads the lead picture', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(server.url + articlePath);
      assert.equal(await page.locator('h1').textContent(), 'Harbor towns bet on tidal power as fuel costs climb');
      assert.equal(await page.locator('.lead-figure img').getAttribute('loading'), 'eager');
      assert.ok(await page.locator('.lead-figure img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0));
      assert.equal(await page.locator('script:not([type="application/ld+json"])').count(), 0);
      await context.close();
    });
  });
}
