// The metered paywall through the real app, on both databases: the meter run, the walls,
// who is never metered, exact counting under concurrency, and a canary sentence planted past
// the teaser that no representation of a locked story may carry.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { createSession } from '../src/accounts/sessions.ts';
import { createStaffUser } from '../src/accounts/staff.ts';
import { seedDemoCatalog } from '../src/billing/catalog.ts';
import { savePolicy } from '../src/paywall/policy-store.ts';
import { newsletterToken, revokeGateLink, readGateToken } from '../src/paywall/gate-links.ts';
import { listen } from './support/server.ts';

const CANARY = 'Zanzibarite quokkas never vote';
const body = (n: number) =>
  `Opening paragraph of story ${n}, which anyone may read.\n\nSecond paragraph of story ${n}, still the teaser.\n\n${CANARY} in story ${n}.\n\nA fourth paragraph closes story ${n}.`;

for (const dialect of DIALECTS) {
  describe(`metered paywall (${dialect})`, () => {
    let t: TestApp;
    const metered: string[] = [];
    let subscriberOnly: string;
    let free: string;

    before(async () => {
      t = await startTestApp(dialect);
      await seedDemoCatalog(t.app.database.db);
      for (let i = 0; i < 24; i++) {
        const a = await t.article({ headline: `Metered story ${i}`, sectionPath: 'World/Europe', body: body(i), access: 'metered', publishedAt: NOW - (i + 1) * 60_000 });
        metered.push(a.urlPath!);
      }
      subscriberOnly = (await t.article({ headline: 'Subscriber only story', sectionPath: 'USA/Politics', body: body(100), access: 'subscriber' })).urlPath!;
      free = (await t.article({ headline: 'Free story for all', sectionPath: 'USA/Politics', body: 'A free story opens.\n\nIts second paragraph.\n\nMarmalade harbours welcome everyone.\n\nA fourth paragraph closes story 200.', access: 'free' })).urlPath!;
    });
    after(() => t.close());

    const meterRows = async () => Number((await t.app.database.db.selectFrom('meter_views').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const access = (html: string) => /data-access="([a-z]+)"/.exec(html)?.[1];
    const meterOf = (html: string) => {
      const m = /data-meter-used="(\d+)" data-meter-limit="(\d+)"/.exec(html);
      return m ? [Number(m[1]), Number(m[2])] : null;
    };

    it('counts the first five, warns on the fifth, locks the sixth behind the registration wall', async () => {
      const reader = new Client(t);
      const seen: [string | undefined, number[] | null][] = [];
      for (let i = 0; i < 6; i++) {
        const res = await reader.get(metered[i]);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('cache-control'), 'private, no-store');
        assert.match(res.headers.get('vary') ?? '', /Cookie/);
        seen.push([access(reader.lastBody), meterOf(reader.lastBody)]);
      }
      assert.deepEqual(seen, [['metered', [1, 5]], ['metered', [2, 5]], ['metered', [3, 5]], ['metered', [4, 5]], ['metered', [5, 5]], ['locked', [5, 5]]]);
      const fifth = await (await reader.get(metered[4])).text();
      assert.match(fifth, /last free article this month/);
      const locked = await (await reader.get(metered[5])).text();
      assert.match(locked, /Create a free account/);
      assert.match(locked, /Opening paragraph of story 5/);
      assert.match(locked, /Second paragraph of story 5/);
      assert.doesNotMatch(locked, /Zanzibarite/);
      assert.doesNotMatch(locked, /fourth paragraph closes/);
      // Rereading one of the first five opens it and does not count.
      const reread = await reader.get(metered[0]);
      assert.equal(access(await reread.text()), 'metered');
      assert.deepEqual(meterOf(reader.lastBody), [5, 5]);
    });

    it('costs a first-time reader no database write, and counts from the second view on', async () => {
      const before = await meterRows();
      const reader = new Client(t);
      await reader.get(metered[10]);
      assert.equal(await meterRows(), before, 'one view, no row');
      assert.ok(reader.cookies.has('mh_rid'));
      const firstCookie = reader.cookies.get('mh_rid');
      await reader.get(metered[11]);
      assert.equal(await meterRows(), before + 2, 'the first view is added with the second');
      assert.deepEqual(meterOf(reader.lastBody), [2, 5]);
      // The cookie drops the article it carried, keeping the reader's id; views go on counting.
      const secondCookie = reader.cookies.get('mh_rid')!;
      assert.notEqual(secondCookie, firstCookie);
      assert.equal(secondCookie.split('~')[0].split('.')[0], firstCookie!.split('~')[0]);
      assert.doesNotMatch(secondCookie, /~/);
      await reader.get(metered[12]);
      assert.equal(reader.cookies.get('mh_rid'), secondCookie, 'no new cookie once the database knows the reader');
      assert.deepEqual(meterOf(reader.lastBody), [3, 5]);
      assert.equal(await meterRows(), before + 3);
    });

    it('treats a tampered or unsigned cookie as a fresh reader, never a 500', async () => {
      for (const value of ['garbage', 'abc.def', 'AAAAAAAAAAAAAAAAAAAAAA~2026-11~1.forged', '']) {
        const res = await t.get(metered[3], { cookie: `mh_rid=${value}` });
        assert.equal(res.status, 200);
        assert.deepEqual(meterOf(await res.text()), [1, 5]);
      }
    });

    it('gives a registered reader ten, merging what they read before signing in', async () => {
      const reader = new Client(t);
      for (let i = 0; i < 3; i++) await reader.get(metered[i]);
      // Sign in through the real link flow so the anonymous views merge.
      await reader.get('/login');
      await reader.post('/login', { email: 'meter@example.com', return: '/account' });
      const { sentMail, linkIn } = await import('./support/outbox.ts');
      const mail = (await sentMail(t)).filter((m) => m.to.includes('meter@example.com')).pop()!;
      const link = linkIn(mail, 'https://news.example.com/login/confirm');
      await reader.get(link);
      await reader.post('/login/confirm', { token: new URL(link).searchParams.get('token')! });
      const res = await reader.get(metered[3]);
      assert.deepEqual(meterOf(await res.text()), [4, 10]);
      for (let i = 4; i < 10; i++) await reader.get(metered[i]);
      assert.deepEqual(meterOf(reader.lastBody), [10, 10]);
      const eleventh = await (await reader.get(metered[10])).text();
      assert.equal(access(eleventh), 'locked');
      assert.match(eleventh, /Subscribe to continue reading/);
      assert.doesNotMatch(eleventh, /Zanzibarite/);
    });

    it('never meters subscribers or staff, and locks subscriber-only stories to everyone else', async () => {
      const db = t.app.database.db;
      const plan = await db.selectFrom('plans').select('id').where('slug', '=', 'digital').executeTakeFirstOrThrow();
      const { id: readerId } = await db.insertInto('readers').values({ email: 'paying@example.com', name: '', newsletters: '[]', provider_customer_id: 'cus_x', created_at: NOW, last_login_at: null }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('subscriptions').values({ reader_id: readerId, plan_id: plan.id, provider: 'demo', provider_subscription_id: 'sub_x', provider_customer_id: 'cus_x', status: 'active', current_period_start: NOW - 86_400_000, current_period_end: NOW + 20 * 86_400_000, cancel_at_period_end: 0, trial_end: null, past_due_since: null, ended_at: null, ending_notice_sent_for: null, created_at: NOW, updated_at: NOW }).execute();
      const subscriber = new Client(t);
      subscriber.cookies.set('mh_session', (await createSession(db, { readerId }, { now: NOW, secret: t.app.secret })).cookieValue);
      const before = await db.selectFrom('meter_views').select('id').where('reader_key', '=', `r:${readerId}`).execute();
      for (const path of [...metered.slice(0, 12), subscriberOnly]) {
        const html = await (await subscriber.get(path)).text();
        assert.equal(access(html), 'subscriber', path);
        assert.match(html, /Zanzibarite/);
        assert.equal(meterOf(html), null);
      }
      assert.equal(before.length, 0);
      assert.equal((await db.selectFrom('meter_views').select('id').where('reader_key', '=', `r:${readerId}`).execute()).length, 0);

      const staffUser = await createStaffUser(db, { email: 'ed@example.com', role: 'writer', password: 'a-long-enough-password' }, NOW);
      const staff = new Client(t);
      staff.cookies.set('mh_session', (await createSession(db, { userId: staffUser.id }, { now: NOW, secret: t.app.secret })).cookieValue);
      assert.match(await (await staff.get(subscriberOnly)).text(), /Zanzibarite/);

      for (const client of [new Client(t), (() => { const c = new Client(t); c.cookies.set('mh_session', 'forged.value'); return c; })()]) {
        const html = await (await client.get(subscriberOnly)).text();
        assert.equal(access(html), 'locked');
        assert.match(html, /This story is for subscribers/);
        assert.doesNotMatch(html, /Zanzibarite/);
      }
    });

    it('leaves free stories open and public, uncounted', async () => {
      const before = await meterRows();
      const reader = new Client(t);
      for (let i = 0; i < 3; i++) {
        const res = await reader.get(free);
        assert.equal(res.headers.get('cache-control'), 'public, max-age=60');
        assert.equal(access(reader.lastBody), 'open');
        assert.match(reader.lastBody, /Marmalade harbours/);
      }
      assert.equal(await meterRows(), before);
    });

    it('keeps a locked story\'s text out of every representation', async () => {
      const locked = new Client(t);
      for (let i = 0; i < 5; i++) await locked.get(metered[12 + i]);
      const target = metered[20];
      const probes: [string, Record<string, string>][] = [
        [target, {}],
        [target, { referer: 'https://www.google.com/' }],
        [target, { referer: 'https://t.co/abc' }],
        [target, { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' }],
        [target + '/print', {}],
      ];
      for (const [path, headers] of probes) {
        const html = await (await locked.get(path, headers)).text();
        assert.doesNotMatch(html, /Zanzibarite|quokkas|fourth paragraph closes/, `${path} ${JSON.stringify(headers)}`);
      }
      const page = await (await locked.get(target)).text();
      assert.equal(access(page), 'locked');
      assert.equal(access(await (await locked.get(target + '/print')).text()), 'locked', 'the print view carries the same marker');
      const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)![1]);
      assert.equal(ld.isAccessibleForFree, false);
      assert.equal(ld.hasPart.cssSelector, '.paywalled');
      assert.equal(ld.articleBody, undefined);
      // Feeds, sitemaps and the subscriber-only story's print view, for anyone.
      for (const path of ['/feeds/rss.xml', '/feeds/atom.xml', '/feeds/feed.json', '/World/feeds/rss.xml', '/World/Europe/feeds/feed.json', '/sitemap.xml', '/sitemaps/articles-1.xml', '/sitemap-news.xml', subscriberOnly + '/print']) {
        const text = await (await t.get(path)).text();
        assert.doesNotMatch(text, /Zanzibarite|quokkas/, path);
      }
      assert.match(await (await t.get('/feeds/rss.xml')).text(), /Continue reading/);
    });

    it('answers a search for words past the teaser as if they were not there', async () => {
      const hidden = await (await t.get('/search?q=quokkas')).text();
      const nothing = await (await t.get('/search?q=xylophonist')).text();
      const strip = (html: string) => html.replace(/quokkas|xylophonist/g, 'Q');
      assert.equal(strip(hidden), strip(nothing));
      // Words of a free story's body are found.
      assert.match(await (await t.get('/search?q=marmalade')).text(), /Free story for all/);
      assert.match(await (await t.get('/search?q=fourth+paragraph+closes+story+200')).text(), /Free story for all/);
    });

    it('at 4 of 5, twenty parallel views of different stories open exactly one', async () => {
      const reader = new Client(t);
      for (let i = 0; i < 4; i++) await reader.get(metered[i]);
      const cookie = [...reader.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const pages = await Promise.all(metered.slice(4, 24).map(async (p) => (await t.get(p, { cookie })).text()));
      const opened = pages.filter((h) => access(h) === 'metered');
      assert.equal(opened.length, 1);
      assert.equal(pages.filter((h) => access(h) === 'locked').length, 19);
      assert.equal(pages.filter((h) => /Zanzibarite/.test(h)).length, 1);
    });

    it('counts twenty concurrent views on one cookie exactly, locking exactly those past the limit', async () => {
      await savePolicy(t.app.database.db, { anonymousLimit: 12, registeredLimit: 20 });
      await t.app.site.refresh();
      try {
        const reader = new Client(t);
        await reader.get(metered[0]); // a cookie the database does not know yet
        const cookie = [...reader.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
        const before = await meterRows();
        const pages = await Promise.all(metered.slice(1, 21).map(async (p) => (await t.get(p, { cookie })).text()));
        // Twenty views, plus the first one, which lived in the cookie until now.
        assert.equal((await meterRows()) - before, 21, 'exactly twenty more views counted');
        assert.equal(pages.filter((h) => access(h) === 'metered').length, 11);
        assert.equal(pages.filter((h) => access(h) === 'locked').length, 9);
      } finally {
        await savePolicy(t.app.database.db, { anonymousLimit: 5, registeredLimit: 10 });
        await t.app.site.refresh();
      }
    });

    it('opens the gate for gift, newsletter and print links — signed, scoped, expiring, revocable', async () => {
      const db = t.app.database.db;
      const plan = await db.selectFrom('plans').select('id').where('slug', '=', 'digital').executeTakeFirstOrThrow();
      const { id: readerId } = await db.insertInto('readers').values({ email: 'giver@example.com', name: '', newsletters: '[]', provider_customer_id: 'cus_g', created_at: NOW, last_login_at: null }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('subscriptions').values({ reader_id: readerId, plan_id: plan.id, provider: 'demo', provider_subscription_id: 'sub_g', provider_customer_id: 'cus_g', status: 'active', current_period_start: NOW - 86_400_000, current_period_end: NOW + 20 * 86_400_000, cancel_at_period_end: 0, trial_end: null, past_due_since: null, ended_at: null, ending_notice_sent_for: null, created_at: NOW, updated_at: NOW }).execute();
      const giver = new Client(t);
      giver.cookies.set('mh_session', (await createSession(db, { readerId }, { now: NOW, secret: t.app.secret })).cookieValue);
      const target = metered[22];
      const articleId = (await db.selectFrom('articles').select('id').where('url_path', '=', target).executeTakeFirstOrThrow()).id;
      assert.match(await (await giver.get(target)).text(), /Gift this article/);
      await giver.get(`/gift-link?article=${articleId}`);
      await giver.post(`/gift-link?article=${articleId}`, { article: String(articleId) });
      const url = /class="gift-url" type="text" readonly="" value="([^"]+)"/.exec(giver.lastBody)?.[1] ?? /value="(https:\/\/news\.example\.com[^"]+access=[^"]+)"/.exec(giver.lastBody)![1];
      const token = new URL(url.replace(/&amp;/g, '&')).searchParams.get('access')!;

      // A reader past the limit opens it in full, without it counting.
      const locked = new Client(t);
      for (let i = 0; i < 5; i++) await locked.get(metered[i]);
      assert.equal(access(await (await locked.get(target)).text()), 'locked');
      const opened = await (await locked.get(`${target}?access=${encodeURIComponent(token)}`)).text();
      assert.match(opened, /Zanzibarite/);
      assert.equal(access(opened), 'open');
      const altered = token.slice(0, -2) + (token.endsWith('A') ? 'BB' : 'AA');
      for (const bad of [altered, 'garbage', token.replace(/^./, 'x')]) {
        assert.doesNotMatch(await (await locked.get(`${target}?access=${encodeURIComponent(bad)}`)).text(), /Zanzibarite/, bad);
      }
      // Scoped to one article.
      assert.doesNotMatch(await (await locked.get(`${metered[21]}?access=${encodeURIComponent(token)}`)).text(), /Zanzibarite/);
      // Expires after 14 days (a new month has a fresh meter, so look at what opened it).
      t.clock.now = NOW + 15 * 86_400_000;
      try {
        assert.notEqual(access(await (await locked.get(`${target}?access=${encodeURIComponent(token)}`)).text()), 'open');
      } finally {
        t.clock.now = NOW;
      }
      // Revocable.
      await revokeGateLink(db, readGateToken(token, t.app.secret)!.i, NOW);
      assert.doesNotMatch(await (await locked.get(`${target}?access=${encodeURIComponent(token)}`)).text(), /Zanzibarite/);

      // A newsletter link opens for seven days.
      const nl = newsletterToken({ recipientKey: 'r:999', articleId, now: NOW, secret: t.app.secret });
      assert.match(await (await locked.get(`${target}?access=${encodeURIComponent(nl)}`)).text(), /Zanzibarite/);

      // A subscriber's print-out carries a link that opens the story for whoever scans it.
      const print = await (await giver.get(`${subscriberOnly}/print`)).text();
      assert.match(print, /Zanzibarite/);
      const stranger = new Client(t);
      assert.doesNotMatch(await (await stranger.get(subscriberOnly)).text(), /Zanzibarite/);
      const printLink = await db.selectFrom('gate_links').select(['id', 'kind']).where('kind', '=', 'print').executeTakeFirstOrThrow();
      assert.equal(printLink.kind, 'print');

      // Ten gift links a month.
      for (let i = 0; i < 9; i++) await giver.post(`/gift-link?article=${articleId}`, { article: String(articleId), _csrf: /name="_csrf" value="([^"]+)"/.exec((await (await giver.get(`/gift-link?article=${articleId}`)).text()))![1] });
      await giver.get(`/gift-link?article=${articleId}`);
      await giver.post(`/gift-link?article=${articleId}`, { article: String(articleId) });
      assert.match(giver.lastBody, /used all your gift links/);
    });

    it('records every access decision as an event, in batches', async () => {
      const reader = new Client(t);
      for (let i = 0; i < 7; i++) await reader.get(metered[i]);
      await reader.get(free);
      await t.app.events.flush();
      const kinds = (await t.app.database.db.selectFrom('events').select('kind').execute()).map((e) => e.kind);
      for (const kind of ['counted', 'locked', 'free', 'subscriber', 'gift', 'newsletter']) assert.ok(kinds.includes(kind), kind);
    });

    it('meters the same over a real socket, where views are decided on the fast path', async () => {
      const server = await listen(t.app);
      try {
        let cookie = '';
        const seen: (string | undefined)[] = [];
        for (let i = 0; i < 7; i++) {
          const res = await fetch(server.url + metered[i], { headers: cookie ? { cookie } : {} });
          const set = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
          if (set) cookie = set;
          assert.equal(res.headers.get('cache-control'), 'private, no-store');
          assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
          const html = await res.text();
          seen.push(access(html));
          if (access(html) === 'locked') assert.doesNotMatch(html, /Zanzibarite/);
        }
        assert.deepEqual(seen, ['metered', 'metered', 'metered', 'metered', 'metered', 'locked', 'locked']);
        // Now every page's parts are built: these views are decided on the fast path.
        const again: (string | undefined)[] = [];
        for (let i = 0; i < 7; i++) {
          const res = await fetch(server.url + metered[i], { headers: { cookie } });
          assert.equal(res.headers.get('vary'), 'Cookie');
          const html = await res.text();
          again.push(access(html));
          if (access(html) === 'locked') assert.doesNotMatch(html, /Zanzibarite/);
        }
        assert.deepEqual(again, seen);
        const fresh = await fetch(server.url + metered[3]);
        assert.match(fresh.headers.get('set-cookie') ?? '', /^mh_rid=[^;]+; Max-Age=34560000; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
        assert.deepEqual(meterOf(await fresh.text()), [1, 5]);
      } finally {
        await server.close();
      }
    });
  });
}
