// The demo publication, seeded through the real importer on both databases: every demo file
// imports, and the paper has what the README promises.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { seedDemo, isDatabaseEmpty, shiftDates, dayShift } from '../src/demo/seed.ts';
import { countPublished } from '../src/content/queries.ts';

describe('demo date shift', () => {
  it('moves the newest stories to the last day and keeps the scheduled one ahead', () => {
    const now = Date.parse('2027-03-10T09:00:00Z');
    const days = dayShift(now);
    assert.equal(shiftDates('published: "2026-11-28T09:00:00-05:00"\n', days), 'published: "2027-03-09T09:00:00-05:00"\n');
    assert.equal(shiftDates('corrections:\n  - date: "2026-11-17"\n', days), 'corrections:\n  - date: "2027-02-26"\n');
    assert.ok(Date.parse(shiftDates('published: "2026-11-30T07:00:00-05:00"', days).slice(12, -1)) > now);
  });
});

for (const dialect of DIALECTS) {
  describe(`demo publication (${dialect})`, () => {
    let t: TestApp;
    const lines: string[] = [];
    before(async () => {
      t = await startTestApp(dialect);
      assert.equal(await isDatabaseEmpty(t.app), true);
      await seedDemo(t.app, { print: (l) => lines.push(l) });
    });
    after(() => t.close());

    it('seeds at least 40 articles in 5+ sections with sub-sections, with a draft and a scheduled story', async () => {
      const db = t.app.database.db;
      const articles = await db.selectFrom('articles').select(['status', 'word_count', 'lead_image_id', 'lead_credit']).execute();
      assert.ok(articles.length >= 40, `${articles.length} articles`);
      assert.equal(articles.filter((a) => a.status === 'draft').length, 1);
      assert.equal(articles.filter((a) => a.status === 'scheduled').length, 1);
      assert.ok(articles.every((a) => a.word_count >= 300 && a.word_count <= 1500), 'every story is 300–1,500 words');
      assert.ok(articles.every((a) => a.lead_image_id && a.lead_credit), 'every story has a credited picture');
      const sections = await db.selectFrom('sections').select(['path', 'parent_id']).execute();
      const top = sections.filter((s) => s.parent_id === null);
      assert.ok(top.length >= 5);
      assert.ok(top.every((s) => sections.some((c) => c.path.startsWith(s.path + '/'))), 'every top section has sub-sections');
      assert.ok((await db.selectFrom('authors').select('id').execute()).length >= 5);
      assert.ok((await db.selectFrom('corrections').select('id').execute()).length >= 1);
      assert.ok((await countPublished(db, {})) >= 38);
      assert.equal(await isDatabaseEmpty(t.app), false);
    });

    it('prints the staff credentials it created', async () => {
      const staff = lines.filter((l) => /^\s+(admin|editor|writer)\s+\S+@example\.com\s+\S{20,}$/.test(l));
      assert.equal(staff.length, 3, lines.join('\n'));
      assert.equal((await t.app.database.db.selectFrom('users').select('id').execute()).length, 3);
    });

    it('serves the demo: home page, a corrected story and its pictures', async () => {
      const home = await (await t.get('/')).text();
      assert.match(home, /The Northfield Courier/);
      const corrected = await t.app.database.db
        .selectFrom('corrections')
        .innerJoin('articles', 'articles.id', 'corrections.article_id')
        .select(['articles.url_path'])
        .executeTakeFirstOrThrow();
      const page = await t.get(corrected.url_path!);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /class="corrections"/);
      const img = /<img src="([^"]+)"/.exec(html)![1];
      const picture = await t.get(img);
      assert.equal(picture.status, 200);
      assert.equal(picture.headers.get('content-type'), 'image/jpeg');
    });

    it('has a sent Daily in its archive and last week\'s Weekly on /editions', async () => {
      const db = t.app.database.db;
      const issue = await db.selectFrom('newsletter_issues').innerJoin('newsletter_lists', 'newsletter_lists.id', 'newsletter_issues.list_id')
        .select(['newsletter_issues.slug', 'newsletter_issues.status']).where('newsletter_lists.slug', '=', 'daily').executeTakeFirstOrThrow();
      assert.equal(issue.status, 'sent');
      assert.ok(lines.some((l) => l.includes(`The Daily of ${issue.slug} sent`)), lines.join('\n'));
      assert.equal((await t.get(`/newsletters/daily/${issue.slug}`)).status, 200);
      const sent = await db.selectFrom('newsletter_sends').select('email').where('status', '=', 'sent').execute();
      assert.ok(sent.some((s) => s.email === 'reader1@example.com') && sent.some((s) => s.email === 'subscriber1@example.com'), 'free sign-ups and subscribers get it');

      const edition = await db.selectFrom('editions').select(['week', 'status', 'announced_issue_id']).executeTakeFirstOrThrow();
      assert.equal(edition.status, 'published');
      assert.notEqual(edition.announced_issue_id, null, 'announced by e-mail');
      const archive = await (await t.get('/editions')).text();
      assert.ok(archive.includes(`/editions/${edition.week}`), 'the archive links the edition');
    });
  });
}
