// Unsubscribing through the real app, on both databases: the page a link opens (which
// changes nothing), the RFC 8058 one-click POST a mail client sends without cookies, origin
// or form token, idempotence, an entitled reader's opt-out, the re-subscribe button, and
// links that were tampered with. (THREATS.md, "E-mail".)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, PUBLIC_URL, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { createSession } from '../src/accounts/sessions.ts';
import { seedDemoCatalog } from '../src/billing/catalog.ts';
import { unsubscribeToken, unsubscribeUrls } from '../src/newsletters/links.ts';
import { moveReaderMemberships, readerLists } from '../src/newsletters/members.ts';

const DAY = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`newsletter unsubscribe (${dialect})`, () => {
    let t: TestApp;
    let dailyId: number;

    before(async () => {
      t = await startTestApp(dialect);
      await seedDemoCatalog(t.app.database.db);
      dailyId = (await db().selectFrom('newsletter_lists').select('id').where('slug', '=', 'daily').executeTakeFirstOrThrow()).id;
    });
    after(() => t.close());

    const db = () => t.app.database.db;
    const member = (email: string) => db().selectFrom('list_members').selectAll().where('list_id', '=', dailyId).where('email', '=', email).executeTakeFirst();
    const addMember = (email: string) => db().insertInto('list_members').values({ list_id: dailyId, email, reader_id: null, status: 'active', confirm_token_hash: null, confirm_expires_at: null, source: 'site', created_at: NOW, confirmed_at: NOW, unsubscribed_at: null }).execute();
    const pagePath = (email: string, listId = dailyId) => unsubscribeUrls({ listId, email }, { publicUrl: PUBLIC_URL, secret: t.app.secret }).page.slice(PUBLIC_URL.length);
    /** What a mail client sends for List-Unsubscribe-Post: no cookies, a foreign or no origin, no form token. */
    const oneClick = (path: string, headers: Record<string, string> = {}) =>
      t.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: 'List-Unsubscribe=One-Click' });

    it('shows which list and (masked) address, with one button, and changes nothing on GET', async () => {
      await addMember('quinn@example.com');
      const client = new Client(t);
      const res = await client.get(pagePath('quinn@example.com'));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'private, no-store');
      assert.match(client.lastBody, /Unsubscribe from The Daily\?/);
      assert.match(client.lastBody, /data-masked-email="true">q•••@example\.com</);
      assert.doesNotMatch(client.lastBody, /quinn@example\.com/);
      const forms = client.lastBody.match(/<form class="form" method="post"[^>]*>/g) ?? [];
      assert.equal(forms.length, 1);
      assert.match(forms[0], /action="\/newsletters\/unsubscribe\?t=/);
      assert.equal((await member('quinn@example.com'))!.status, 'active');
    });

    it('unsubscribes on a one-click POST with no cookies, a foreign origin and no form token; twice is the same as once', async () => {
      await addMember('rae@example.com');
      const path = pagePath('rae@example.com');
      let res = await oneClick(path, { origin: 'https://mail.example.net', 'sec-fetch-site': 'cross-site' });
      assert.equal(res.status, 200);
      assert.match(await res.text(), /You are unsubscribed/);
      const row = (await member('rae@example.com'))!;
      assert.equal(row.status, 'unsubscribed');
      assert.equal(row.unsubscribed_at, t.clock.now);
      t.clock.now += DAY;
      res = await oneClick(path);
      assert.equal(res.status, 200);
      assert.equal((await member('rae@example.com'))!.unsubscribed_at, row.unsubscribed_at);
      // The address's case does not matter.
      await addMember('sky@example.com');
      assert.equal((await oneClick(`/newsletters/unsubscribe?t=${unsubscribeToken({ listId: dailyId, email: 'Sky@Example.com' }, t.app.secret)}`)).status, 200);
      assert.equal((await member('sky@example.com'))!.status, 'unsubscribed');
    });

    it('the page’s button unsubscribes too, and the re-subscribe button (form token) undoes it', async () => {
      await addMember('tom@example.com');
      const client = new Client(t);
      await client.get(pagePath('tom@example.com'));
      const action = /action="(\/newsletters\/unsubscribe\?t=[^"]+)"/.exec(client.lastBody)![1].replace(/&amp;/g, '&');
      let res = await client.request(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
      assert.equal(res.status, 200);
      client.lastBody = await res.text();
      assert.match(client.lastBody, /data-unsubscribed/);
      assert.equal((await member('tom@example.com'))!.status, 'unsubscribed');
      const again = /action="(\/newsletters\/resubscribe\?t=[^"]+)"/.exec(client.lastBody)![1].replace(/&amp;/g, '&');
      const csrf = client.csrf();
      res = await client.post(again, { _csrf: 'forged' });
      assert.equal(res.status, 403, 're-subscribing is an ordinary form: it needs the token');
      assert.equal((await member('tom@example.com'))!.status, 'unsubscribed');
      res = await client.post(again, { _csrf: csrf });
      assert.equal(res.status, 200);
      assert.match(client.lastBody, /data-resubscribed/);
      assert.equal((await member('tom@example.com'))!.status, 'active');
    });

    it('records an entitled reader’s opt-out, so the list stops following their subscription', async () => {
      const plan = await db().selectFrom('plans').select('id').where('slug', '=', 'digital').executeTakeFirstOrThrow();
      const reader = await db().insertInto('readers').values({ email: 'uma@example.com', name: '', newsletters: '[]', provider_customer_id: 'cus_uma', created_at: NOW, last_login_at: null }).returning(['id', 'email']).executeTakeFirstOrThrow();
      await db().insertInto('subscriptions').values({ reader_id: reader.id, plan_id: plan.id, provider: 'demo', provider_subscription_id: 'sub_uma', provider_customer_id: 'cus_uma', status: 'active', current_period_start: NOW - DAY, current_period_end: NOW + 20 * DAY, cancel_at_period_end: 0, trial_end: null, past_due_since: null, ended_at: null, ending_notice_sent_for: null, created_at: NOW, updated_at: NOW }).execute();
      const receives = async () => (await readerLists(db(), reader, t.clock.now)).find((s) => s.list.id === dailyId)!.isReceiving;
      assert.equal(await receives(), true);
      assert.equal((await oneClick(pagePath('uma@example.com'))).status, 200);
      const row = (await member('uma@example.com'))!;
      assert.deepEqual([row.status, row.source, row.reader_id], ['unsubscribed', 'unsubscribe', reader.id]);
      assert.equal(await receives(), false);
      // On the account page the Daily now shows unticked.
      const client = new Client(t);
      client.cookies.set('mh_session', (await createSession(db(), { readerId: reader.id }, { now: t.clock.now, secret: t.app.secret })).cookieValue);
      await client.get('/account');
      assert.match(client.lastBody, /data-list="daily" data-via="none"/);
    });

    it('a reader’s link from an issue sent before they changed address unsubscribes their current address', async () => {
      const reader = await db().insertInto('readers').values({ email: 'xena@example.com', name: '', newsletters: '[]', provider_customer_id: null, created_at: NOW, last_login_at: null }).returning(['id', 'email']).executeTakeFirstOrThrow();
      await db().insertInto('list_members').values({ list_id: dailyId, email: 'xena@example.com', reader_id: reader.id, status: 'active', confirm_token_hash: null, confirm_expires_at: null, source: 'account', created_at: NOW, confirmed_at: NOW, unsubscribed_at: null }).execute();
      const oldLink = unsubscribeUrls({ listId: dailyId, email: 'xena@example.com', readerId: reader.id }, { publicUrl: PUBLIC_URL, secret: t.app.secret }).page.slice(PUBLIC_URL.length);
      // She changes her address (the lists follow it) after the issue went out.
      await db().updateTable('readers').set({ email: 'zed@example.org' }).where('id', '=', reader.id).execute();
      await db().transaction().execute((tx) => moveReaderMemberships(tx, { id: reader.id, email: 'zed@example.org' }));
      assert.equal((await member('zed@example.org'))!.status, 'active');

      const client = new Client(t);
      assert.equal((await client.get(oldLink)).status, 200);
      assert.match(client.lastBody, /data-masked-email="true">z•••@example\.org</);
      assert.equal((await oneClick(oldLink)).status, 200);
      assert.equal((await member('zed@example.org'))!.status, 'unsubscribed');
      assert.equal(await member('xena@example.com'), undefined, 'nothing written under the old address');

      // The same link once the account is gone acts on the address it names.
      await db().deleteFrom('list_members').where('reader_id', '=', reader.id).execute();
      await db().deleteFrom('readers').where('id', '=', reader.id).execute();
      await addMember('xena@example.com');
      assert.equal((await oneClick(oldLink)).status, 200);
      assert.equal((await member('xena@example.com'))!.status, 'unsubscribed');
    });

    it('refuses altered, truncated or foreign tokens and unknown lists, changing nothing', async () => {
      await addMember('val@example.com');
      const good = unsubscribeToken({ listId: dailyId, email: 'val@example.com' }, t.app.secret);
      const [body, sig] = good.split('.');
      const other = Buffer.from(`${dailyId}:quinn@example.com`).toString('base64url');
      const bad = [
        '', 'nonsense', body, `${body}.`, `${other}.${sig}`, `${body}.${sig.slice(0, -1)}A`,
        unsubscribeToken({ listId: dailyId, email: 'val@example.com' }, 'another-secret-another-secret-12345'),
      ];
      for (const token of bad) {
        assert.equal((await t.get(`/newsletters/unsubscribe?t=${encodeURIComponent(token)}`)).status, 400, token);
        assert.equal((await oneClick(`/newsletters/unsubscribe?t=${encodeURIComponent(token)}`)).status, 400, token);
      }
      assert.equal((await member('val@example.com'))!.status, 'active');
      assert.equal((await member('quinn@example.com'))!.status, 'active');
      assert.equal((await t.get(pagePath('val@example.com', 424242))).status, 404);
      assert.equal((await oneClick(pagePath('val@example.com', 424242))).status, 404);
    });

    it('exempts exactly the one-click path from the form-token check', async () => {
      await addMember('wes@example.com');
      const token = unsubscribeToken({ listId: dailyId, email: 'wes@example.com' }, t.app.secret);
      for (const path of [`/newsletters/unsubscribe/?t=${token}`, `/newsletters/resubscribe?t=${token}`, `/newsletters/confirm?t=${token}`, '/newsletters/signup', '/account/newsletters']) {
        assert.equal((await oneClick(path)).status, 403, path);
      }
      assert.equal((await member('wes@example.com'))!.status, 'active');
    });
  });
}
