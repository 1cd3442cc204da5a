// Letters on the reader's page, on both databases: after the story for a reader within the
// meter, before the offer on a locked page, never to subscribers, capped per reader; and
// the button's click is counted on the way to a page of this site.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { letterById, saveLetter } from '../src/letters/letter-store.ts';
import { seedDemoCatalog } from '../src/billing/catalog.ts';

for (const dialect of DIALECTS) {
  describe(`letters on the page (${dialect})`, () => {
    let t: TestApp;
    const paths: string[] = [];
    before(async () => {
      t = await startTestApp(dialect);
      await seedDemoCatalog(t.app.database.db);
      for (let i = 0; i < 7; i++) paths.push((await t.article({ headline: `Letter test story ${i}`, access: 'metered', sectionPath: 'World/Europe' })).urlPath!);
      await saveLetter(t.app.database.db, {
        title: 'Dear Reader,',
        bodyMd: 'We are **independent** because readers like you pay for it.',
        signature: 'The Editor',
        ctaLabel: 'Subscribe now',
        ctaUrl: '/subscribe',
        audience: ['anonymous'],
        minRead: 2,
        frequencyDays: 3,
        placement: 'both',
        variants: [{ name: 'A', title: 'Dear Reader,', weight: 1 }],
      }, { now: NOW });
      await t.app.site.refresh();
    });
    after(() => t.close());

    it('appears after the second story, then waits three days', async () => {
      const reader = new Client(t);
      const letterOn = async (p: string) => /class="letter"/.test(await (await reader.get(p)).text());
      assert.equal(await letterOn(paths[0]), false, 'below the minimum');
      assert.equal(await letterOn(paths[1]), true, 'second story');
      assert.match(reader.lastBody, /letter-cta-offer">\$15 for your first 6 months, then \$8 a month</, 'the button names the featured offer');
      assert.equal(await letterOn(paths[2]), false, 'frequency cap');
      t.clock.now = NOW + 3 * 86_400_000 + 1000;
      try {
        assert.equal(await letterOn(paths[3]), true, 'after three days');
      } finally {
        t.clock.now = NOW;
      }
      await t.app.events.flush();
      const impressions = await t.app.database.db.selectFrom('events').select('detail').where('kind', '=', 'letter-impression').execute();
      assert.equal(impressions.length, 2);
    });

    it('pitches on a locked page, before the offer', async () => {
      const reader = new Client(t);
      for (let i = 0; i < 5; i++) await reader.get(paths[i]);
      t.clock.now = NOW + 4 * 86_400_000; // past the cap from the reads above
      try {
        const html = await (await reader.get(paths[6])).text();
        assert.match(html, /data-access="locked"/);
        const letterAt = html.indexOf('class="letter"');
        assert.ok(letterAt > 0 && letterAt < html.indexOf('class="paywall-offer"'));
      } finally {
        t.clock.now = NOW;
      }
    });

    it('counts a click and goes only to this site', async () => {
      const res = await t.get('/letters/click?l=1&v=1&to=%2Fsubscribe');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/subscribe');
      for (const to of ['https://evil.example', '//evil.example', 'javascript:alert(1)']) {
        assert.equal((await t.get(`/letters/click?l=1&v=1&to=${encodeURIComponent(to)}`)).headers.get('location'), '/subscribe');
      }
      await t.app.events.flush();
      const clicks = await t.app.database.db.selectFrom('events').select('detail').where('kind', '=', 'letter-click').execute();
      assert.equal(clicks.length, 4);
      assert.equal(clicks[0].detail, '1:1');
    });

    it('goes off the site only to the address the letter itself holds', async () => {
      const letter = (await letterById(t.app.database.db, 1))!;
      await saveLetter(t.app.database.db, { ...letter, ctaUrl: 'https://donate.example.org/courier' }, { now: NOW });
      try {
        const go = (to: string) => t.get(`/letters/click?l=1&v=1&to=${encodeURIComponent(to)}`);
        assert.equal((await go('https://donate.example.org/courier')).headers.get('location'), 'https://donate.example.org/courier');
        assert.equal((await go('https://donate.example.org/elsewhere')).headers.get('location'), '/subscribe');
        assert.equal((await t.get(`/letters/click?l=999&v=1&to=${encodeURIComponent('https://donate.example.org/courier')}`)).headers.get('location'), '/subscribe');
      } finally {
        await saveLetter(t.app.database.db, letter, { now: NOW });
      }
    });
  });
}
