// An issue's composition from the day's stories, and the archive pages on the site, through
// the real app on both databases: only issues that went out are shown, a subscribers' list
// shows its issues only to the people it is for, and story links are plain article URLs on
// which the site's meter counts.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Selectable } from 'kysely';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, PUBLIC_URL, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { createSession } from '../src/accounts/sessions.ts';
import { createStaffUser } from '../src/accounts/staff.ts';
import { getList } from '../src/newsletters/lists.ts';
import { composeIssueContent, storyChoices } from '../src/newsletters/issue-content.ts';
import { prepareIssueEmail } from '../src/newsletters/digest-email.ts';
import type { IssueStatus, NewsletterIssuesTable } from '../src/db/schema.ts';
import type { IssueContent, NewsletterList } from '../src/newsletters/types.ts';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
// NOW is Friday 2026-11-20, 10:00 in New York. Friday's Daily (06:00 EST = 11:00Z) covers
// stories from Thursday 11:00Z up to, not including, Friday 11:00Z.
const ISSUE_DATE = '2026-11-20';
const IMAGE = { id: 'abcdefabcdefabcdefabcdef', width: 1600, height: 1000, widths: [400, 800, 1200, 1600], format: 'jpeg' };

const access = (html: string) => /data-access="([a-z]+)"/.exec(html)?.[1];
const meterOf = (html: string) => /data-meter-used="(\d+)" data-meter-limit="(\d+)"/.exec(html)?.slice(1).map(Number) ?? null;
const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));

for (const dialect of DIALECTS) {
  describe(`newsletter composition and archive (${dialect})`, () => {
    let t: TestApp;
    let daily: NewsletterList;
    const s: Record<string, { id: number; urlPath: string; headline: string }> = {};

    const db = () => t.app.database.db;

    async function story(key: string, o: { section: string; publishedAt: number | null; access?: 'metered' | 'free' | 'subscriber'; headline?: string; authors?: string[]; withImage?: boolean }) {
      const headline = o.headline ?? `Harbor story ${key}`;
      const res = await t.article({
        headline,
        dek: `What happened in story ${key}.`,
        sectionPath: o.section,
        publishedAt: o.publishedAt,
        access: o.access ?? 'metered',
        authors: o.authors ?? ['Ann Lee'],
        leadImage: o.withImage ? { image: IMAGE, caption: 'The harbor at dawn.', credit: 'Kim Ode/Courier', alt: `Boats in the harbor (${key})` } : null,
      });
      s[key] = { id: res.id, urlPath: res.urlPath ?? '', headline };
    }

    async function issue(list: NewsletterList, o: { slug: string; issueDate?: string; status: IssueStatus; subject?: string; storyIds?: number[] | null; intro?: string; freeze?: boolean }): Promise<Selectable<NewsletterIssuesTable>> {
      const row = await db().insertInto('newsletter_issues').values({
        list_id: list.id, slug: o.slug, issue_date: o.issueDate ?? o.slug, status: o.status, subject: o.subject ?? '', intro: o.intro ?? '',
        story_ids: o.storyIds ? JSON.stringify(o.storyIds) : null, content: null, send_at: null, queued_at: null, finished_at: null,
        created_at: NOW, updated_at: NOW, updated_by: null,
      }).returningAll().executeTakeFirstOrThrow();
      if (o.freeze === false) return row;
      // Frozen as queueing does: the content every copy (and the archive page) is made from.
      const content = await composeIssueContent(db(), { issue: row, list, now: NOW, publicUrl: PUBLIC_URL });
      await db().updateTable('newsletter_issues').set({ content: JSON.stringify(content) }).where('id', '=', row.id).execute();
      return { ...row, content: JSON.stringify(content) };
    }

    async function reader(email: string, entitlements: string[] | null): Promise<Client & { readerId: number }> {
      const { id } = await db().insertInto('readers').values({ email, name: '', newsletters: '[]', provider_customer_id: null, created_at: NOW, last_login_at: null }).returning('id').executeTakeFirstOrThrow();
      if (entitlements) {
        const slug = `plan-${entitlements.join('-') || 'none'}`;
        const plan = (await db().selectFrom('plans').select('id').where('slug', '=', slug).executeTakeFirst())
          ?? (await db().insertInto('plans').values({ slug, name: slug, description: '', price_cents: 800, currency: 'usd', billing_interval: 'month', entitlements: JSON.stringify(entitlements), is_active: 1, position: 9 }).returning('id').executeTakeFirstOrThrow());
        await db().insertInto('subscriptions').values({
          reader_id: id, plan_id: plan.id, provider: 'demo', provider_subscription_id: `sub_${id}`, provider_customer_id: `cus_${id}`, status: 'active',
          current_period_start: NOW - 86_400_000, current_period_end: NOW + 20 * 86_400_000, cancel_at_period_end: 0, trial_end: null, past_due_since: null, ended_at: null,
          ending_notice_sent_for: null, created_at: NOW, updated_at: NOW,
        }).execute();
      }
      const client = new Client(t);
      client.cookies.set('mh_session', (await createSession(db(), { readerId: id }, { now: NOW, secret: t.app.secret })).cookieValue);
      return Object.assign(client, { readerId: id });
    }

    before(async () => {
      t = await startTestApp(dialect);
      daily = (await getList(db(), { slug: 'daily' }))!;
      assert.ok(daily, 'the migration made the Daily');
      await story('a', { section: 'World', publishedAt: at('2026-11-20T10:30:00Z'), withImage: true, authors: ['Ann Lee', 'Tom Ruiz'] });
      await story('b', { section: 'Business', publishedAt: at('2026-11-19T20:00:00Z'), access: 'subscriber' });
      await story('c', { section: 'World', publishedAt: at('2026-11-19T12:00:00Z'), access: 'free' });
      await story('d', { section: 'World', publishedAt: at('2026-11-19T10:59:00Z') }); // before the window
      await story('e', { section: 'World', publishedAt: at('2026-11-20T11:00:00Z') }); // on the stroke of the send: the next issue's
      await story('f', { section: 'Business', publishedAt: null }); // a draft
      await story('g', { section: 'Business', publishedAt: at('2026-11-19T15:00:00Z'), headline: 'Rates hold at 4% <b>for_now</b>' });
      // Business comes before World in the paper; the editors lead with b and keep d (yesterday's) on top.
      await db().updateTable('sections').set({ position: 1 }).where('path', '=', 'Business').execute();
      await db().updateTable('sections').set({ position: 2 }).where('path', '=', 'World').execute();
      await db().insertInto('front_page').values([{ slot: 0, article_id: s.b.id }, { slot: 1, article_id: s.d.id }]).execute();
    });
    after(() => t.close());

    it('composes the Daily automatically: picks first, then by section, newest first, inside the window', async () => {
      const row = await issue(daily, { slug: `${ISSUE_DATE}-draft`, issueDate: ISSUE_DATE, status: 'draft', freeze: false });
      const content = await composeIssueContent(db(), { issue: row, list: daily, now: NOW, publicUrl: `${PUBLIC_URL}/` });
      assert.deepEqual(content.stories.map((x) => x.articleId), [s.b.id, s.g.id, s.a.id, s.c.id]);
      assert.equal(content.subject, 'The Daily — Friday, November 20');
      assert.equal(content.archiveUrl, `${PUBLIC_URL}/newsletters/daily/${ISSUE_DATE}-draft`);
      assert.equal(content.subscribeUrl, `${PUBLIC_URL}/subscribe`);
      assert.equal(content.publicationName, 'The Test Courier');
      assert.equal(content.timeZone, 'America/New_York');

      const a = content.stories.find((x) => x.articleId === s.a.id)!;
      assert.equal(a.url, `${PUBLIC_URL}${s.a.urlPath}`);
      assert.equal(a.byline, 'By Ann Lee and Tom Ruiz');
      assert.equal(a.sectionName, 'World');
      assert.equal(a.access, 'metered');
      assert.deepEqual(a.image, { src: `${PUBLIC_URL}/media/${IMAGE.id}/800.jpg`, width: 600, height: 375, alt: 'Boats in the harbor (a)', credit: 'Kim Ode/Courier' });
      assert.equal(content.stories.find((x) => x.articleId === s.c.id)!.byline, 'By Ann Lee');
      assert.equal(content.stories.find((x) => x.articleId === s.c.id)!.image, null);
      assert.equal(content.stories.find((x) => x.articleId === s.b.id)!.access, 'subscriber');
    });

    it('keeps the editor’s order, drops stories that are not published, and takes their subject and intro', async () => {
      const row = await issue(daily, { slug: `${ISSUE_DATE}-2`, issueDate: ISSUE_DATE, status: 'draft', freeze: false, storyIds: [s.d.id, s.f.id, s.a.id, 999_999], subject: '  Our pick of the week  ', intro: 'Hello *readers*.' });
      const content = await composeIssueContent(db(), { issue: row, list: daily, now: NOW, publicUrl: PUBLIC_URL });
      assert.deepEqual(content.stories.map((x) => x.articleId), [s.d.id, s.a.id]);
      assert.equal(content.subject, 'Our pick of the week');
      assert.equal(content.intro, 'Hello *readers*.');
    });

    it('offers editors published stories by search, newest first, with LIKE wildcards taken literally', async () => {
      const all = await storyChoices(db(), { publicUrl: PUBLIC_URL });
      assert.deepEqual(all.map((x) => x.articleId), [s.e.id, s.a.id, s.b.id, s.g.id, s.c.id, s.d.id]);
      assert.equal(all[0].url, `${PUBLIC_URL}${s.e.urlPath}`);
      assert.deepEqual((await storyChoices(db(), { query: 'HARBOR STORY C' })).map((x) => x.articleId), [s.c.id]);
      assert.deepEqual((await storyChoices(db(), { query: '4%' })).map((x) => x.articleId), [s.g.id]);
      assert.deepEqual((await storyChoices(db(), { query: 'for_now' })).map((x) => x.articleId), [s.g.id]);
      assert.deepEqual((await storyChoices(db(), { query: '%' })).map((x) => x.articleId), [s.g.id], 'a literal percent sign');
      assert.deepEqual(await storyChoices(db(), { query: 'ory_a' }), []);
      assert.deepEqual((await storyChoices(db(), { query: String(s.b.id) })).map((x) => x.articleId), [s.b.id]);
      assert.equal((await storyChoices(db(), { limit: 2 })).length, 2);
    });

    it('shows a sent issue on the site, with plain article links on which the meter counts', async () => {
      await issue(daily, { slug: '2026-11-19', status: 'sent', intro: 'A quiet day; see [the council](/World) and [x](javascript:alert(1)).' });
      const res = await t.get('/newsletters/daily/2026-11-19');
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /<h1 class="page-title">The Daily — Thursday, November 19<\/h1>/);
      assert.match(html, /A quiet day; see <a href="\/World">the council<\/a> and x\./);
      assert.doesNotMatch(html, /javascript:/);
      // The Thursday issue covers Wednesday 11:00Z–Thursday 11:00Z: only d (10:59Z Thursday) qualifies.
      assert.match(html, new RegExp(`href="${s.d.urlPath}"`));
      for (const href of hrefs(html)) assert.doesNotMatch(href, /access=|newsletters\/click/, href);

      const empty = await issue(daily, { slug: '2026-11-18', status: 'sent' });
      assert.equal(JSON.parse(empty.content!).stories.length, 0);
      assert.match(await (await t.get('/newsletters/daily/2026-11-18')).text(), /This issue has no stories/);

      // Friday's issue: the subscriber-only story is marked; following a link meters as any visit does.
      await issue(daily, { slug: ISSUE_DATE, status: 'sent' });
      const friday = await (await t.get(`/newsletters/daily/${ISSUE_DATE}`)).text();
      assert.match(friday, new RegExp(`data-article-id="${s.b.id}">[\\s\\S]*?For subscribers`));
      assert.match(friday, /Rates hold at 4% &lt;b&gt;for_now&lt;\/b&gt;/);
      assert.match(friday, new RegExp(`<img src="/media/${IMAGE.id}/800.jpg" width="600" height="375" alt="Boats in the harbor \\(a\\)"`));
      const visitor = new Client(t);
      await visitor.get(`/newsletters/daily/${ISSUE_DATE}`);
      const link = hrefs(visitor.lastBody).find((h) => h === s.a.urlPath);
      assert.ok(link, 'the archive links the story by its plain URL');
      const article = await (await visitor.get(link)).text();
      assert.equal(access(article), 'metered');
      assert.deepEqual(meterOf(article), [1, 5], 'the visit counts against the meter');
    });

    it('answers 404 for issues that have not gone out, unknown lists and malformed addresses', async () => {
      for (const status of ['draft', 'queued', 'cancelled'] as const) {
        await issue(daily, { slug: `2026-10-0${['draft', 'queued', 'cancelled'].indexOf(status) + 1}`, status, subject: `Secret ${status} subject` });
      }
      for (const path of ['/newsletters/daily/2026-10-01', '/newsletters/daily/2026-10-02', '/newsletters/daily/2026-10-03', '/newsletters/daily/2030-01-01', '/newsletters/nope', '/newsletters/nope/2026-11-19', '/newsletters/daily/..%2f..', '/newsletters/-x']) {
        const res = await t.get(path);
        assert.equal(res.status, 404, path);
        assert.doesNotMatch(await res.text(), /Secret|stack|at .*\.ts/, path);
      }
      assert.equal((await t.get('/newsletters/daily?page=abc')).status, 400);
      assert.equal((await t.get('/newsletters/daily?page=9')).status, 404);
    });

    it('lists the issues that went out, newest first, with the sign-up form', async () => {
      await issue(daily, { slug: '2026-11-17', status: 'sending', subject: 'Going out now' });
      const res = await t.get('/newsletters/daily');
      assert.equal(res.status, 200);
      const html = await res.text();
      const listed = [...html.matchAll(/href="\/newsletters\/daily\/([^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(listed, [ISSUE_DATE, '2026-11-19', '2026-11-18', '2026-11-17']);
      assert.doesNotMatch(html, /Secret/);
      assert.match(html, /Harbor story b and 3 more stories/);
      assert.match(html, /<form class="form" method="post" action="\/newsletters\/signup"/);
      assert.match(html, new RegExp(`name="list" value="${daily.id}"`));
      assert.match(html, /name="_csrf"/);
      assert.equal(res.headers.get('cache-control'), 'private, no-store');
      // An issue being sent is already in inboxes: its "view in browser" link works.
      assert.equal((await t.get('/newsletters/daily/2026-11-17')).status, 200);
    });

    it('the e-mail’s "view in browser" link is the issue’s archive page', async () => {
      const row = await db().selectFrom('newsletter_issues').select('content').where('list_id', '=', daily.id).where('slug', '=', '2026-11-19').executeTakeFirstOrThrow();
      const content = JSON.parse(row.content!) as IssueContent;
      const copy = prepareIssueEmail(content).personalise({ isEntitled: false, storyUrl: (x) => x.url, unsubscribeUrl: `${PUBLIC_URL}/newsletters/unsubscribe?t=x` });
      const view = /href="([^"]+)"[^>]*>View in your browser/.exec(copy.html)![1];
      assert.equal(view, `${PUBLIC_URL}/newsletters/daily/2026-11-19`);
      assert.equal((await t.get(new URL(view).pathname)).status, 200);
    });

    it('shows a subscribers’ list only to holders of its entitlement, its members and staff', async () => {
      const { id: listId } = await db().insertInto('newsletter_lists').values({
        slug: 'insider', name: 'The Insider', description: 'Notes for subscribers.', entitlement: 'weekly', is_open_to_signups: 0, is_automatic: 0, schedule: null, is_active: 1, position: 5, created_at: NOW,
      }).returning('id').executeTakeFirstOrThrow();
      const insider = (await getList(db(), { id: listId }))!;
      await issue(insider, { slug: '2026-11-19', status: 'sent', storyIds: [s.a.id], subject: 'Insider notes' });

      const anonymous = new Client(t);
      for (const path of ['/newsletters/insider', '/newsletters/insider/2026-11-19']) {
        const res = await anonymous.get(path);
        assert.equal(res.status, 403, path);
        assert.match(anonymous.lastBody, /The Insider is for subscribers/);
        assert.match(anonymous.lastBody, /href="\/subscribe"/);
        assert.ok(anonymous.lastBody.includes(`href="/login?return=${encodeURIComponent(path)}"`), 'sign in, then back here');
        assert.doesNotMatch(anonymous.lastBody, /Insider notes|Harbor story a/);
        assert.equal(res.headers.get('cache-control'), 'private, no-store');
      }

      const webOnly = await reader('web-only@example.com', ['web']);
      assert.equal((await webOnly.get('/newsletters/insider/2026-11-19')).status, 403);
      assert.doesNotMatch(webOnly.lastBody, /Insider notes/);
      assert.doesNotMatch(webOnly.lastBody, /Sign in/, 'a signed-in reader is not asked to sign in');

      const weekly = await reader('weekly@example.com', ['web', 'weekly']);
      assert.equal((await weekly.get('/newsletters/insider/2026-11-19')).status, 200);
      assert.match(weekly.lastBody, /Insider notes/);
      assert.match(weekly.lastBody, /<meta name="robots" content="noindex"/);
      assert.equal((await weekly.get('/newsletters/insider')).status, 200);
      assert.match(weekly.lastBody, /href="\/newsletters\/insider\/2026-11-19"/);

      const member = await reader('Member@Example.com', null);
      await db().insertInto('list_members').values({ list_id: listId, email: 'member@example.com', reader_id: null, status: 'active', confirm_token_hash: null, confirm_expires_at: null, source: 'admin', created_at: NOW, confirmed_at: NOW, unsubscribed_at: null }).execute();
      assert.equal((await member.get('/newsletters/insider/2026-11-19')).status, 200);
      await db().updateTable('list_members').set({ status: 'unsubscribed', unsubscribed_at: NOW }).where('list_id', '=', listId).execute();
      assert.equal((await member.get('/newsletters/insider/2026-11-19')).status, 403);

      const user = await createStaffUser(db(), { email: 'desk@example.com', role: 'writer', password: 'a-long-enough-password' }, NOW);
      const staff = new Client(t);
      staff.cookies.set('mh_session', (await createSession(db(), { userId: user.id }, { now: NOW, secret: t.app.secret })).cookieValue);
      assert.equal((await staff.get('/newsletters/insider/2026-11-19')).status, 200);

      // A subscription that has ended no longer opens it.
      await db().updateTable('subscriptions').set({ status: 'ended', ended_at: NOW - HOUR, current_period_end: NOW - HOUR }).where('reader_id', '=', weekly.readerId).execute();
      assert.equal((await weekly.get('/newsletters/insider/2026-11-19')).status, 403);
    });

    it('leaves the fixed /newsletters paths and articles to their own routes', async () => {
      assert.notEqual((await t.get('/newsletters/unsubscribe?t=bogus')).status, 500);
      const res = await t.get(s.c.urlPath);
      assert.equal(res.status, 200);
      assert.equal(access(await res.text()), 'open');
    });
  });
}
