// Readers and subscribers in the newsroom, on both databases: the search and its filters,
// one reader's record, and the admin's actions — a complimentary subscription (real access,
// no charge, no provider, ends by itself), cancelling through the provider, signing a reader
// out everywhere — with their audit entries; and refusals for other roles and forged posts.
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { signedInStaff } from './support/staff.ts';
import { seedDemoCatalog } from '../src/billing/catalog.ts';
import { loadEntitlements } from '../src/billing/billing-service.ts';
import { DemoProvider, addInterval } from '../src/billing/providers/demo.ts';
import { ENTITLEMENTS } from '../src/billing/types.ts';
import { issueLoginToken, redeemLoginToken } from '../src/accounts/magic-links.ts';
import { setReaderName } from '../src/accounts/readers.ts';
import { createSession } from '../src/accounts/sessions.ts';
import { displayDate } from '../src/content/dates.ts';
import { sentMail } from './support/outbox.ts';

const DAY = 86_400_000;
const TZ = 'America/New_York';
const CANARY = 'Zanzibarite quokkas never vote';
const PROVIDER_METHODS = ['ensurePrice', 'createCheckout', 'createPaymentCheckout', 'retrieveSubscription', 'setCancelAtPeriodEnd', 'switchPrice', 'cancelNow', 'createPortalSession'] as const;

interface ProviderCall {
  method: string;
  args: unknown[];
}

interface Reader {
  id: number;
  email: string;
  client: Client;
  /** A new session in a new browser (the paywall remembers a session's access for a few seconds). */
  signIn(): Promise<Client>;
}

for (const dialect of DIALECTS) {
  describe(`newsroom: readers (${dialect})`, () => {
    let t: TestApp;
    let calls: ProviderCall[];
    let subscriberOnly: { id: number; urlPath: string };
    let metered: { id: number; urlPath: string };

    beforeEach(async () => {
      calls = [];
      // The demo provider, with every call the billing code makes to it written down.
      t = await startTestApp(dialect, {
        provider: ({ db, publicUrl, now, secret }) => {
          const p = new DemoProvider({ db, publicUrl, now, webhookSecret: crypto.createHmac('sha256', secret).update('demo-provider-webhooks').digest('hex') });
          for (const m of PROVIDER_METHODS) {
            const original = (p[m] as (...a: unknown[]) => unknown).bind(p);
            (p as unknown as Record<string, unknown>)[m] = (...args: unknown[]) => {
              calls.push({ method: m, args });
              return original(...args);
            };
          }
          return p;
        },
      });
      await seedDemoCatalog(t.app.database.db);
      const body = `Opening paragraph anyone may read.\n\nSecond paragraph, still the teaser.\n\n${CANARY} here.\n\nA fourth paragraph closes it.`;
      const a = await t.article({ headline: 'Subscriber only story', sectionPath: 'USA/Politics', body, access: 'subscriber' });
      subscriberOnly = { id: a.id, urlPath: a.urlPath! };
      const b = await t.article({ headline: 'A metered story about tides', sectionPath: 'World/Europe', access: 'metered' });
      metered = { id: b.id, urlPath: b.urlPath! };
    });
    afterEach(() => t.close());

    const db = () => t.app.database.db;
    const demo = () => t.app.provider as DemoProvider;

    /** A reader signed up through the accounts code (a redeemed sign-in link), signed in. */
    async function newReader(email: string, name = ''): Promise<Reader> {
      const { token } = await issueLoginToken(db(), { email, returnTo: '/account', now: t.clock.now });
      const redeemed = await redeemLoginToken(db(), token, t.clock.now);
      assert.ok(redeemed.ok);
      if (name) await setReaderName(db(), redeemed.readerId, name);
      const reader: Reader = {
        id: redeemed.readerId,
        email,
        client: new Client(t),
        async signIn() {
          const client = new Client(t);
          client.cookies.set('mh_session', (await createSession(db(), { readerId: redeemed.readerId }, { now: t.clock.now, secret: t.app.secret })).cookieValue);
          return client;
        },
      };
      reader.client = await reader.signIn();
      return reader;
    }

    /** Subscribes through /subscribe and the demo checkout, then lets the webhooks arrive. */
    async function subscribe(reader: Reader, offer = 'intro-15') {
      await reader.client.get('/subscribe');
      const res = await reader.client.post('/subscribe/checkout', { offer });
      assert.equal(res.status, 303);
      const checkoutId = /cs_demo_[A-Za-z0-9_-]+/.exec(res.headers.get('location') ?? '')?.[0];
      assert.ok(checkoutId);
      assert.equal((await demo().pay(checkoutId, '4242 4242 4242 4242')).ok, true);
      await t.app.runJobs();
      return onlySubscription(reader.id);
    }

    async function subscriptionsOf(readerId: number) {
      return db().selectFrom('subscriptions').selectAll().where('reader_id', '=', readerId).orderBy('id').execute();
    }
    async function onlySubscription(readerId: number) {
      const subs = await subscriptionsOf(readerId);
      assert.equal(subs.length, 1);
      return subs[0];
    }
    async function planId(slug: string) {
      return (await db().selectFrom('plans').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
    }
    async function auditRows(action = 'reader') {
      return db().selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
    }
    async function count(table: 'payments' | 'demo_billing' | 'demo_deliveries' | 'audit_log' | 'subscriptions') {
      return Number((await db().selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    }
    async function entitled(readerId: number) {
      const e = await loadEntitlements(db(), { id: readerId }, { isStaff: false, now: t.clock.now });
      return ENTITLEMENTS.filter((k) => e[k] !== null);
    }
    const accessOf = (html: string) => /data-access="([a-z]+)"/.exec(html)?.[1];
    const readerRows = (html: string) => [...html.matchAll(/<tr data-reader-row="[^"]*" data-reader-id="(\d+)" data-standing="([a-z]+)"/g)].map((m) => ({ id: Number(m[1]), standing: m[2] }));
    const resultOf = (html: string) => /<span data-result="[^"]*">([^<]*)<\/span>/.exec(html)?.[1] ?? '';
    const subRow = (html: string, id: number) => new RegExp(`<tr data-subscription="${id}"[^>]*>`).exec(html)?.[0] ?? '';

    it('finds readers by part of their e-mail or name, any case, and pages through fifty at a time', async () => {
      const admin = await signedInStaff(t, 'admin');
      const ada = await newReader('ada.lovelace@analytical.example', 'Ada Lovelace');
      const grace = await newReader('grace@navy.example', 'Grace Hopper');
      await newReader('percent_sign@odd.example');

      await admin.get('/admin/readers?q=LOVELACE');
      assert.deepEqual(readerRows(admin.lastBody).map((r) => r.id), [ada.id]);
      assert.match(admin.lastBody, /ada\.lovelace@analytical\.example/);
      assert.match(admin.lastBody, /value="LOVELACE"/, 'the search keeps what was typed');
      await admin.get('/admin/readers?q=hopp');
      assert.deepEqual(readerRows(admin.lastBody).map((r) => r.id), [grace.id]);
      await admin.get('/admin/readers?q=t_s');
      assert.deepEqual(readerRows(admin.lastBody).length, 1, 'an underscore is a letter, not a wildcard');
      await admin.get('/admin/readers?q=nobody-here');
      assert.deepEqual(readerRows(admin.lastBody), []);
      assert.match(admin.lastBody, /No readers match/);

      for (let i = 0; i < 53; i++) await newReader(`paged${String(i).padStart(2, '0')}@paged.example`);
      const first = await admin.get('/admin/readers?q=%40paged.example');
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('cache-control'), 'private, no-store');
      const firstRows = readerRows(admin.lastBody);
      assert.equal(firstRows.length, 50);
      assert.match(admin.lastBody, /data-reader-total="53"/);
      assert.match(admin.lastBody, /href="\/admin\/readers\?q=%40paged.example&amp;page=2"/);
      await admin.get('/admin/readers?q=%40paged.example&page=2');
      const second = readerRows(admin.lastBody);
      assert.equal(second.length, 3);
      assert.equal(new Set([...firstRows, ...second].map((r) => r.id)).size, 53, 'no reader on two pages');
    });

    it('shows the last page, not an empty one, when asked for a page past the end', async () => {
      const admin = await signedInStaff(t, 'admin');
      for (let i = 0; i < 51; i++) await newReader(`late${String(i).padStart(2, '0')}@pages.example`);
      await admin.get('/admin/readers?q=%40pages.example&page=2');
      const last = readerRows(admin.lastBody);
      assert.equal(last.length, 1);
      for (const page of ['3', '9', '100000']) {
        const res = await admin.get(`/admin/readers?q=%40pages.example&page=${page}`);
        assert.equal(res.status, 200);
        assert.deepEqual(readerRows(admin.lastBody), last, `page=${page} shows the last page`);
        assert.match(admin.lastBody, /<span>Page 2 of 2<\/span>/);
        assert.match(admin.lastBody, /href="\/admin\/readers\?q=%40pages.example" rel="prev"/, 'the way back leads to page 1');
        assert.doesNotMatch(admin.lastBody, /rel="next"/);
      }
    });

    it('takes %, _, \\ and ! in the search literally, on both databases', async () => {
      const admin = await signedInStaff(t, 'admin');
      const named: Record<string, number> = {};
      const names = ['100% Sure', '1000 Sure', 'snake_case', 'snakeXcase', 'back\\slash', 'backslash', 'bang!', 'bang'];
      for (const [i, name] of names.entries()) named[name] = (await newReader(`lit${i}@literal.example`, name)).id;
      const found = async (q: string) => {
        await admin.get(`/admin/readers?q=${encodeURIComponent(q)}`);
        return readerRows(admin.lastBody).map((r) => r.id).sort();
      };
      assert.deepEqual(await found('0%'), [named['100% Sure']], 'a percent sign is a percent sign');
      assert.deepEqual(await found('E_C'), [named.snake_case], 'an underscore is an underscore, in any case');
      assert.deepEqual(await found('k\\s'), [named['back\\slash']], 'a backslash is a backslash');
      assert.deepEqual(await found('g!'), [named['bang!']], 'the escape character itself is literal');
      assert.deepEqual(await found('%'), [named['100% Sure']]);
      assert.deepEqual(await found('_'), [named.snake_case]);
    });

    it('filters subscribers, lapsed subscribers and free accounts, and shows state and plan', async () => {
      const admin = await signedInStaff(t, 'admin');
      const paying = await newReader('paying@filters.example');
      await subscribe(paying);
      const lapsed = await newReader('lapsed@filters.example');
      await db().insertInto('subscriptions').values({ reader_id: lapsed.id, plan_id: await planId('weekly'), provider: 'demo', provider_subscription_id: 'sub_gone', provider_customer_id: 'cus_gone', status: 'ended', current_period_start: NOW - 60 * DAY, current_period_end: NOW - 30 * DAY, cancel_at_period_end: 1, trial_end: null, past_due_since: null, ended_at: NOW - 30 * DAY, ending_notice_sent_for: null, created_at: NOW - 60 * DAY, updated_at: NOW - 30 * DAY }).execute();
      const free = await newReader('free@filters.example');
      const standing = async (state: string) => {
        await admin.get(`/admin/readers?q=filters.example&state=${state}`);
        return readerRows(admin.lastBody).map((r) => `${r.id}:${r.standing}`).sort();
      };
      assert.deepEqual(await standing('subscribers'), [`${paying.id}:subscriber`]);
      assert.deepEqual(await standing('lapsed'), [`${lapsed.id}:lapsed`]);
      assert.deepEqual(await standing('free'), [`${free.id}:free`]);
      assert.deepEqual(await standing('all'), [`${paying.id}:subscriber`, `${lapsed.id}:lapsed`, `${free.id}:free`].sort());
      const row = new RegExp(`data-reader-id="${paying.id}"[\\s\\S]*?</tr>`).exec(admin.lastBody)![0];
      assert.match(row, /Active/);
      assert.match(row, /Digital/);
      assert.match(row, /November 20, 2026/, 'joined, in the publication\'s time zone');
      assert.match(new RegExp(`data-reader-id="${lapsed.id}"[\\s\\S]*?</tr>`).exec(admin.lastBody)![0], /Ended[\s\S]*The Weekly/);
    });

    it("shows a reader's subscriptions, payments, newsletters and latest activity", async () => {
      const admin = await signedInStaff(t, 'admin');
      const reader = await newReader('reader.one@example.com', 'Reader One');
      const daily = await db().selectFrom('newsletter_lists').select('id').where('slug', '=', 'daily').executeTakeFirstOrThrow();
      await db().insertInto('list_members').values({ list_id: daily.id, email: reader.email, reader_id: reader.id, status: 'active', confirm_token_hash: null, confirm_expires_at: null, source: 'site', created_at: NOW, confirmed_at: NOW, unsubscribed_at: null }).execute();
      const sub = await subscribe(reader);
      assert.equal((await reader.client.get(subscriberOnly.urlPath)).status, 200);
      assert.equal(accessOf(reader.client.lastBody), 'subscriber');
      await reader.client.get(metered.urlPath);
      await t.app.events.flush();

      const res = await admin.get(`/admin/readers/${reader.id}`);
      assert.equal(res.status, 200);
      const html = admin.lastBody;
      assert.match(html, /<h1 data-reader-id="\d+">reader\.one@example\.com<\/h1>/);
      assert.match(html, /Reader One/);
      assert.match(html, /data-newsletters="daily weekly"/, 'the Daily and the Weekly come with the plan');
      assert.match(html, /data-entitlements="web daily weekly"/);
      const row = new RegExp(`<tr data-subscription="${sub.id}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
      assert.match(row, /data-provider="demo" data-status="active" data-cancel-at-period-end="no"/);
      assert.match(row, /Digital/);
      assert.match(row, new RegExp(displayDate(sub.current_period_end, TZ)));
      assert.match(row, /Demo provider/);
      assert.match(html, /data-payment="\d+"/, 'the first payment is listed');
      // A subscriber's views are not metered: both are 'subscriber' events, newest first.
      const events = [...html.matchAll(/<tr data-event="([a-z-]+)">[\s\S]*?<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2], m[3]]);
      assert.deepEqual(events, [['subscriber', metered.urlPath, 'A metered story about tides'], ['subscriber', subscriberOnly.urlPath, 'Subscriber only story']]);
      assert.equal((await admin.get('/admin/readers/999999')).status, 404);
    });

    it('grants a complimentary subscription: full access for the months chosen, no charge, no provider, and it ends by itself', async () => {
      const admin = await signedInStaff(t, 'admin');
      const reader = await newReader('comp@example.com');
      const before = await reader.signIn();
      assert.equal(accessOf(await (await before.get(subscriberOnly.urlPath)).text()), 'locked');
      assert.doesNotMatch(before.lastBody, new RegExp(CANARY), 'locked before the grant');
      const books = { payments: await count('payments'), demoBooks: await count('demo_billing'), deliveries: await count('demo_deliveries') };
      calls.length = 0;

      await admin.get(`/admin/readers/${reader.id}`);
      assert.match(admin.lastBody, /data-action="grant-complimentary" data-confirm="[^"]+"/);
      const res = await admin.post(`/admin/readers/${reader.id}/complimentary`, { plan: String(await planId('digital')), months: '2' });
      assert.equal(res.status, 303);
      await admin.follow(res);
      const periodEnd = addInterval(NOW, 'month', 2);
      assert.equal(resultOf(admin.lastBody), `Complimentary Digital subscription granted until ${displayDate(periodEnd, TZ)}. Nothing was charged.`);
      const sub = await onlySubscription(reader.id);
      assert.equal(sub.provider, 'comp');
      assert.equal(sub.status, 'canceled', 'stored as not renewing');
      assert.equal(sub.current_period_end, periodEnd);
      assert.match(subRow(admin.lastBody, sub.id), /data-provider="comp"/);
      assert.match(admin.lastBody, /Complimentary/);
      assert.equal(calls.length, 0, 'the payment provider is never asked');
      t.clock.now = NOW + 1000; // the mail goes out with the next jobs
      const told = (await sentMail(t)).filter((m) => m.to === reader.email && /complimentary/i.test(m.subject));
      t.clock.now = NOW;
      assert.equal(told.length, 1, 'the reader is told, once');
      assert.equal(told[0].subject, 'A complimentary subscription to The Test Courier');
      assert.match(told[0].text, new RegExp(`2 months of Digital, with our compliments\\. You can read everything until ${displayDate(periodEnd, TZ)}`));
      assert.deepEqual({ payments: await count('payments'), demoBooks: await count('demo_billing'), deliveries: await count('demo_deliveries') }, books, 'nothing charged, nothing at the provider');

      // The reader now reads subscriber-only stories in full, and their account says why.
      const during = await reader.signIn();
      assert.equal(accessOf(await (await during.get(subscriberOnly.urlPath)).text()), 'subscriber');
      assert.match(during.lastBody, new RegExp(CANARY));
      assert.deepEqual(await entitled(reader.id), ['web', 'daily', 'weekly']);
      const account = await (await during.get('/account')).text();
      assert.match(account, /Digital — complimentary/);
      assert.match(account, new RegExp(`Complimentary — ends on ${displayDate(periodEnd, TZ)}`));
      assert.doesNotMatch(account, /Cancel subscription|Update card|Switch plan/, 'nothing to cancel or pay');
      // A forged cancel from the account page is refused, not a crash.
      assert.equal((await during.post(`/account/subscription/${sub.id}/cancel`)).status, 400);

      // The audit names the reader by number, not by address.
      const [entry] = await auditRows();
      assert.equal(entry.actor, admin.email);
      assert.equal(entry.detail, `reader #${reader.id}: complimentary Digital granted by 2 months, until ${displayDate(periodEnd, TZ)}`);

      // Time passes: the renewal jobs leave it alone until its end, then it ends by itself.
      t.clock.now = periodEnd - DAY;
      await t.app.runJobs();
      assert.equal((await onlySubscription(reader.id)).status, 'canceled');
      t.clock.now = periodEnd + 60_000;
      await t.app.runJobs();
      const ended = await onlySubscription(reader.id);
      assert.equal(ended.status, 'ended');
      assert.equal(ended.ended_at, periodEnd);
      assert.deepEqual(await entitled(reader.id), []);
      const after = await reader.signIn();
      assert.equal(accessOf(await (await after.get(subscriberOnly.urlPath)).text()), 'locked');
      assert.doesNotMatch(after.lastBody, new RegExp(CANARY));
      assert.equal((await db().selectFrom('payments').select('id').where('reader_id', '=', reader.id).execute()).length, 0, 'no payment row');
      assert.ok(!calls.some((c) => JSON.stringify(c.args).includes(sub.provider_subscription_id)), 'no provider call about it');
      const later = await signedInStaff(t, 'admin'); // staff sessions last hours, not months
      await later.get('/admin/readers?q=comp%40example.com&state=lapsed');
      assert.deepEqual(readerRows(later.lastBody).map((r) => r.id), [reader.id]);
      await later.get(`/admin/readers/${reader.id}`);
      assert.match(subRow(later.lastBody, sub.id), /data-provider="comp" data-status="ended"/);
    });

    it('extends a live complimentary subscription, refuses one for a paying reader, and lets a reader with one delete their account', async () => {
      const admin = await signedInStaff(t, 'admin');
      const reader = await newReader('twice@example.com');
      const digital = String(await planId('digital'));
      await admin.get(`/admin/readers/${reader.id}`);
      assert.equal((await admin.post(`/admin/readers/${reader.id}/complimentary`, { plan: digital, months: '1' })).status, 303);
      await admin.get(`/admin/readers/${reader.id}`);
      const res = await admin.post(`/admin/readers/${reader.id}/complimentary`, { plan: digital, months: '3' });
      assert.equal(res.status, 303);
      await admin.follow(res);
      const sub = await onlySubscription(reader.id);
      assert.equal(sub.current_period_end, addInterval(NOW, 'month', 4));
      assert.match(resultOf(admin.lastBody), /extended until/);
      // Another plan while one runs: refused with the reason, nothing written.
      const other = await admin.post(`/admin/readers/${reader.id}/complimentary`, { plan: String(await planId('weekly')), months: '3' });
      assert.equal(other.status, 409);
      assert.match(admin.lastBody, /already has a complimentary subscription to another plan/);
      assert.equal((await subscriptionsOf(reader.id)).length, 1);

      const paying = await newReader('payer@example.com');
      await subscribe(paying);
      await admin.get(`/admin/readers/${paying.id}`);
      const refused = await admin.post(`/admin/readers/${paying.id}/complimentary`, { plan: digital, months: '3' });
      assert.equal(refused.status, 409);
      assert.match(admin.lastBody, /already pays for a subscription/);
      assert.equal((await subscriptionsOf(paying.id)).length, 1);

      // Deleting the account does not ask the provider about the complimentary subscription.
      const client = reader.client;
      await client.get('/account');
      const deleted = await client.post('/account/delete', { confirm: reader.email });
      assert.equal(deleted.status, 200);
      assert.equal((await subscriptionsOf(reader.id)).length, 0);
    });

    it('keeps a subscription the reader pays for after a complimentary grant, from a checkout opened before it', async () => {
      const admin = await signedInStaff(t, 'admin');
      const reader = await newReader('both@example.com');
      await reader.client.get('/subscribe');
      const checkout = await reader.client.post('/subscribe/checkout', { offer: 'annual' });
      const checkoutId = /cs_demo_[A-Za-z0-9_-]+/.exec(checkout.headers.get('location') ?? '')![0];
      await admin.get(`/admin/readers/${reader.id}`);
      assert.equal((await admin.post(`/admin/readers/${reader.id}/complimentary`, { plan: String(await planId('digital')), months: '1' })).status, 303);
      assert.equal((await demo().pay(checkoutId, '4242 4242 4242 4242')).ok, true);
      await t.app.runJobs();
      await t.app.runJobs();
      const subs = await subscriptionsOf(reader.id);
      assert.deepEqual(subs.map((s) => [s.provider, s.status]), [['comp', 'canceled'], ['demo', 'active']], 'the paid one is not ended as a duplicate');
    });

    it('refuses a bad complimentary form with 422, the values kept and the reasons beside the fields', async () => {
      const admin = await signedInStaff(t, 'admin');
      const reader = await newReader('form@example.com');
      await admin.get(`/admin/readers/${reader.id}`);
      const audits = await count('audit_log');
      const res = await admin.post(`/admin/readers/${reader.id}/complimentary`, { plan: '', months: '30' });
      assert.equal(res.status, 422);
      const html = admin.lastBody;
      assert.match(html, /<select name="plan" aria-invalid="true" aria-describedby="comp-plan-error">/);
      assert.match(html, /id="comp-plan-error">Choose a plan\.</);
      assert.match(html, /name="months"[^>]*value="30"[^>]*aria-invalid="true" aria-describedby="comp-months-error"/);
      assert.match(html, /id="comp-months-error">Choose between 1 and 24 months\.</);
      await db().updateTable('plans').set({ is_active: 0 }).where('slug', '=', 'weekly').execute();
      const weekly = String(await planId('weekly'));
      const inactive = await admin.post(`/admin/readers/${reader.id}/complimentary`, { plan: weekly, months: '0' });
      assert.equal(inactive.status, 422);
      assert.match(admin.lastBody, /That plan is no longer offered/);
      assert.equal((await subscriptionsOf(reader.id)).length, 0);
      assert.equal(await count('audit_log'), audits);
    });

    it('cancels at the period end through the same use case as the account page, telling the provider, then at once', async () => {
      const admin = await signedInStaff(t, 'admin');
      const reader = await newReader('cancel@example.com');
      const sub = await subscribe(reader);
      await admin.get(`/admin/readers/${reader.id}`);
      assert.match(admin.lastBody, /data-action="cancel-period-end" data-confirm="[^"]+"/);
      calls.length = 0;
      const res = await admin.post(`/admin/readers/${reader.id}/subscriptions/${sub.id}/cancel`, { when: 'period-end' });
      assert.equal(res.status, 303);
      await admin.follow(res);
      assert.equal(resultOf(admin.lastBody), `The Digital subscription is canceled: it will not renew, and access continues until ${displayDate(sub.current_period_end, TZ)}.`);
      const canceled = await onlySubscription(reader.id);
      assert.equal(canceled.cancel_at_period_end, 1);
      assert.equal(canceled.status, 'canceled');
      assert.match(subRow(admin.lastBody, sub.id), /data-cancel-at-period-end="yes"/);
      assert.deepEqual(calls.map((c) => c.method), ['setCancelAtPeriodEnd']);
      assert.equal((await demo().retrieveSubscription(sub.provider_subscription_id)).cancelAtPeriodEnd, true, 'the provider was told');
      assert.deepEqual(await entitled(reader.id), ['web', 'daily', 'weekly'], 'access continues until the period end');
      assert.match((await auditRows()).at(-1)!.detail, new RegExp(`reader #${reader.id}: subscription #${sub.id} \\(demo\\) canceled at period end`));
      // The reader's own page agrees.
      assert.match(await (await reader.client.get('/account')).text(), /Resume subscription/);

      // Once canceled, only "cancel now" is offered; it ends access at the provider and here.
      assert.doesNotMatch(admin.lastBody, /data-action="cancel-period-end"/);
      const now = await admin.post(`/admin/readers/${reader.id}/subscriptions/${sub.id}/cancel`, { when: 'now' });
      assert.equal(now.status, 303);
      assert.equal((await onlySubscription(reader.id)).status, 'ended');
      assert.equal((await demo().retrieveSubscription(sub.provider_subscription_id)).status, 'canceled');
      assert.deepEqual(await entitled(reader.id), []);
      assert.equal((await auditRows()).length, 2);
      // Cancelling something already ended says so.
      await admin.get(`/admin/readers/${reader.id}`);
      assert.equal((await admin.post(`/admin/readers/${reader.id}/subscriptions/${sub.id}/cancel`, { when: 'now' })).status, 409);
      assert.match(admin.lastBody, /already ended/);
      assert.equal((await admin.post(`/admin/readers/${reader.id}/subscriptions/${sub.id}/cancel`, { when: 'someday' })).status, 422);
    });

    it('signs a reader out everywhere', async () => {
      const admin = await signedInStaff(t, 'admin');
      const reader = await newReader('everywhere@example.com');
      const phone = await reader.signIn();
      assert.equal((await phone.get('/account')).status, 200);
      await admin.get(`/admin/readers/${reader.id}`);
      assert.match(admin.lastBody, /data-active-sessions="2"/);
      assert.match(admin.lastBody, /data-action="sign-out" data-confirm="Sign everywhere@example.com out on every device\?"/);
      const res = await admin.post(`/admin/readers/${reader.id}/sign-out`);
      assert.equal(res.status, 303);
      await admin.follow(res);
      assert.equal(resultOf(admin.lastBody), 'Signed out everywhere: 2 sessions ended.');
      for (const client of [reader.client, phone]) {
        const account = await client.get('/account');
        assert.equal(account.status, 303);
        assert.match(account.headers.get('location') ?? '', /^\/login/);
      }
      assert.equal((await auditRows()).at(-1)!.detail, `reader #${reader.id}: signed out everywhere (2 sessions)`);
    });

    it('refuses editors and writers on every readers route, and changes nothing', async () => {
      const admin = await signedInStaff(t, 'admin');
      const reader = await newReader('private@example.com', 'Private Person');
      const sub = await subscribe(reader);
      const digital = String(await planId('digital'));
      const snapshot = async () => ({
        subs: JSON.stringify(await subscriptionsOf(reader.id)),
        sessions: JSON.stringify(await db().selectFrom('sessions').select(['id', 'revoked_at']).where('reader_id', '=', reader.id).orderBy('id').execute()),
        audit: await count('audit_log'),
        payments: await count('payments'),
      });
      const before = await snapshot();
      calls.length = 0;
      for (const role of ['editor', 'writer'] as const) {
        const staff = await signedInStaff(t, role);
        for (const path of ['/admin/readers', `/admin/readers?q=private`, `/admin/readers/${reader.id}`]) {
          const res = await staff.get(path);
          assert.equal(res.status, 403, `${role} GET ${path}`);
          assert.doesNotMatch(staff.lastBody, /private@example\.com|Private Person/);
        }
        await staff.get('/admin');
        const posts: [string, Record<string, string>][] = [
          [`/admin/readers/${reader.id}/complimentary`, { plan: digital, months: '3' }],
          [`/admin/readers/${reader.id}/subscriptions/${sub.id}/cancel`, { when: 'now' }],
          [`/admin/readers/${reader.id}/subscriptions/${sub.id}/cancel`, { when: 'period-end' }],
          [`/admin/readers/${reader.id}/sign-out`, {}],
        ];
        for (const [path, fields] of posts) {
          const res = await staff.post(path, fields);
          assert.equal(res.status, 403, `${role} POST ${path}`);
          await staff.get('/admin');
        }
      }
      assert.deepEqual(await snapshot(), before);
      assert.deepEqual(calls, []);
      assert.equal((await admin.get(`/admin/readers/${reader.id}`)).status, 200, 'an admin still gets in');
    });

    it('refuses POSTs without the form token, changing nothing', async () => {
      const admin = await signedInStaff(t, 'admin');
      const reader = await newReader('forged@example.com');
      const sub = await subscribe(reader);
      const audits = await count('audit_log');
      const subsBefore = JSON.stringify(await subscriptionsOf(reader.id));
      for (const [path, fields] of [
        [`/admin/readers/${reader.id}/complimentary`, { plan: String(await planId('digital')), months: '3' }],
        [`/admin/readers/${reader.id}/subscriptions/${sub.id}/cancel`, { when: 'now' }],
        [`/admin/readers/${reader.id}/sign-out`, {}],
      ] as [string, Record<string, string>][]) {
        assert.equal((await admin.post(path, { ...fields, _csrf: '' })).status, 403, path);
        assert.equal((await admin.post(path, { ...fields, _csrf: 'A'.repeat(43) })).status, 403, path);
      }
      // A cross-site form with a stolen token is refused too.
      await admin.get(`/admin/readers/${reader.id}`);
      assert.equal((await admin.post(`/admin/readers/${reader.id}/sign-out`, {}, { origin: 'https://evil.example' })).status, 403);
      assert.equal(await count('audit_log'), audits);
      assert.equal(JSON.stringify(await subscriptionsOf(reader.id)), subsBefore);
      assert.equal((await reader.client.get('/account')).status, 200, 'still signed in');
    });

    it('warns a complimentary reader once, a few days before it ends, in words that fit, and lets them subscribe', async () => {
      const admin = await signedInStaff(t, 'admin');
      const reader = await newReader('comp-ending@example.com');
      await admin.get(`/admin/readers/${reader.id}`);
      assert.equal((await admin.post(`/admin/readers/${reader.id}/complimentary`, { plan: String(await planId('digital')), months: '1' })).status, 303);
      const periodEnd = addInterval(NOW, 'month', 1);
      const notices = async () => (await sentMail(t)).filter((m) => m.to === reader.email && /ends on/.test(m.subject));

      t.clock.now = periodEnd - 10 * DAY;
      await t.app.runJobs({ includeSlow: true });
      assert.deepEqual(await notices(), [], 'not weeks ahead');

      t.clock.now = periodEnd - 3 * DAY;
      await t.app.runJobs({ includeSlow: true });
      const sent = await notices();
      assert.equal(sent.length, 1);
      const [mail] = sent;
      assert.equal(mail.subject, `Your complimentary subscription ends on ${displayDate(periodEnd, TZ)}`);
      assert.match(mail.text, /Your complimentary Digital subscription to The Test Courier ends on/);
      assert.match(mail.text, /https:\/\/news\.example\.com\/subscribe/);
      assert.doesNotMatch(mail.text, /You canceled|Resume/, 'the reader canceled nothing');

      t.clock.now = periodEnd - 2 * DAY;
      await t.app.runJobs({ includeSlow: true });
      assert.equal((await notices()).length, 1, 'once, not every day');

      // The notice invites them to subscribe: a checkout opens, it is not refused as a second subscription.
      const client = await reader.signIn();
      await client.get('/subscribe');
      const checkout = await client.post('/subscribe/checkout', { offer: 'annual' });
      assert.equal(checkout.status, 303);
      assert.match(checkout.headers.get('location') ?? '', /cs_demo_/);
    });
  });
}
