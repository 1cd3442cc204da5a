// Money through the real app on both databases, with the built-in demo provider: the offers,
// checkout with the test cards, the account page's cancel, resume and switch, renewals that
// fail and recover, trials, coupons and gifts; and the webhook endpoint under attack and
// under faults — unsigned, stale or tampered events, replays, concurrency, events out of
// order, and deliveries that fail before or after the commit.
import { describe, it, before, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, PUBLIC_URL, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { sentMail, linkIn, type SentMail } from './support/outbox.ts';
import { seedDemoCatalog } from '../src/billing/catalog.ts';
import { loadEntitlements } from '../src/billing/billing-service.ts';
import { DemoProvider, addInterval, signDemoPayload } from '../src/billing/providers/demo.ts';
import { ENTITLEMENTS, type Entitlement } from '../src/billing/types.ts';
import { createSession } from '../src/accounts/sessions.ts';
import { displayDate } from '../src/content/dates.ts';

const DAY = 86_400_000;
const TZ = 'America/New_York';
const OK_CARD = '4242 4242 4242 4242';
const DECLINED_CARD = '4000000000000002';
const FAILS_LATER_CARD = '4000000000000341';

// ---------------------------------------------------------------------------------------
// Builders

interface Reader {
  id: number;
  email: string;
  client: Client;
  /** A fresh session (sessions last 30 days; some tests move the clock further). */
  signIn(): Promise<void>;
}

async function newReader(t: TestApp, email: string): Promise<Reader> {
  const db = t.app.database.db;
  const row = await db
    .insertInto('readers')
    .values({ email, name: '', newsletters: '[]', provider_customer_id: null, created_at: t.clock.now, last_login_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const client = new Client(t);
  const reader: Reader = {
    id: row.id,
    email,
    client,
    async signIn() {
      const session = await createSession(db, { readerId: row.id }, { now: t.clock.now, secret: t.app.secret });
      client.cookies.set('mh_session', session.cookieValue);
    },
  };
  await reader.signIn();
  return reader;
}

function demo(t: TestApp): DemoProvider {
  assert.ok(t.app.provider instanceof DemoProvider, 'the test app runs the demo provider');
  return t.app.provider;
}

/** The secret the app signs and checks demo events with (as app.ts derives it). */
function demoSecret(t: TestApp): string {
  return crypto.createHmac('sha256', t.app.secret).update('demo-provider-webhooks').digest('hex');
}

function nowS(t: TestApp): number {
  return Math.floor(t.clock.now / 1000);
}

function checkoutIdOf(location: string | null): string {
  const m = /\/billing\/demo\/checkout\/(cs_demo_[A-Za-z0-9_-]+)$/.exec(location ?? '');
  assert.ok(m, `expected a demo checkout URL, got ${location}`);
  return m[1];
}

/** Chooses an offer on /subscribe; returns the checkout id the app redirected to. */
async function startCheckout(reader: Reader, offer: string, coupon?: string): Promise<string> {
  await reader.client.get('/subscribe');
  const res = await reader.client.post('/subscribe/checkout', { offer, ...(coupon === undefined ? {} : { coupon }) });
  assert.equal(res.status, 303, `checkout for ${offer} should redirect to the provider`);
  return checkoutIdOf(res.headers.get('location'));
}

/** Pays on the demo checkout page, as the reader would. */
async function payOnPage(reader: Reader, checkoutId: string, card: string): Promise<Response> {
  const page = await reader.client.get(`/billing/demo/checkout/${checkoutId}`);
  assert.equal(page.status, 200);
  return reader.client.post(`/billing/demo/checkout/${checkoutId}`, { card });
}

async function subscribe(reader: Reader, offer: string, card = OK_CARD, coupon?: string): Promise<void> {
  const res = await payOnPage(reader, await startCheckout(reader, offer, coupon), card);
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location')!, /\/subscribe\/thanks\?session=cs_demo_/);
}

async function entitled(t: TestApp, readerId: number, at = t.clock.now): Promise<Entitlement[]> {
  const e = await loadEntitlements(t.app.database.db, { id: readerId }, { isStaff: false, now: at });
  return ENTITLEMENTS.filter((name) => e[name] !== null);
}

async function subscriptionsOf(t: TestApp, readerId: number) {
  return t.app.database.db.selectFrom('subscriptions').selectAll().where('reader_id', '=', readerId).orderBy('id').execute();
}

async function onlySubscription(t: TestApp, readerId: number) {
  const subs = await subscriptionsOf(t, readerId);
  assert.equal(subs.length, 1, `expected one subscription, found ${subs.length}`);
  return subs[0];
}

async function paymentsOf(t: TestApp, readerId: number) {
  return t.app.database.db.selectFrom('payments').selectAll().where('reader_id', '=', readerId).orderBy('id').execute();
}

async function planId(t: TestApp, slug: string): Promise<number> {
  return (await t.app.database.db.selectFrom('plans').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

async function count(t: TestApp, table: 'provider_events' | 'subscriptions' | 'payments' | 'mail_outbox' | 'checkouts' | 'gifts'): Promise<number> {
  const row = await t.app.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What a webhook must not touch when it is refused. */
async function books(t: TestApp) {
  return {
    events: await count(t, 'provider_events'),
    subscriptions: await count(t, 'subscriptions'),
    payments: await count(t, 'payments'),
    mail: await count(t, 'mail_outbox'),
  };
}

function mailTo(mails: SentMail[], to: string, subject: RegExp): SentMail[] {
  return mails.filter((m) => m.to === to && subject.test(m.subject));
}

const RECEIPT = /^Receipt for your subscription/;

/** "Due today" on the demo checkout page. */
function amountDue(html: string): string {
  return /<dd data-amount[^>]*>([^<]*)<\/dd>/.exec(html)?.[1] ?? '(no amount shown)';
}

/** Asserts a page contains a text, without printing the whole page when it does not. */
function assertHas(html: string, text: string, what = text): void {
  assert.ok(html.includes(text), `expected the page to contain: ${what}`);
}

async function accountStatus(reader: Reader): Promise<{ html: string; status: string; plan: string }> {
  const res = await reader.client.get('/account');
  assert.equal(res.status, 200);
  const html = await res.text();
  const status = /<dd data-status="([a-z_]+)">([^<]*)<\/dd>/.exec(html);
  const plan = /<dd data-plan[^>]*>([^<]*)<\/dd>/.exec(html);
  return { html, status: status ? `${status[1]}: ${status[2]}` : '', plan: plan?.[1] ?? '' };
}

// ---- provider events, delivered by hand --------------------------------------------------

interface QueuedEvent {
  rowId: number;
  id: string;
  type: string;
  object: Record<string, unknown>;
  payload: string;
}

/** Events the demo provider has queued and not yet delivered, oldest first. */
async function queuedEvents(t: TestApp): Promise<QueuedEvent[]> {
  const rows = await t.app.database.db.selectFrom('demo_deliveries').selectAll().where('delivered_at', 'is', null).orderBy('id').execute();
  return rows.map((r) => {
    const e = JSON.parse(r.payload) as { id: string; type: string; data: { object: Record<string, unknown> } };
    return { rowId: r.id, id: e.id, type: e.type, object: e.data.object, payload: r.payload };
  });
}

function ofType(events: QueuedEvent[], type: string): QueuedEvent {
  const found = events.filter((e) => e.type === type);
  assert.equal(found.length, 1, `expected one queued ${type}, found ${found.length}`);
  return found[0];
}

async function postWebhook(t: TestApp, body: string, signature: string | null): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['demo-signature'] = signature;
  return t.request('/webhooks/demo', { method: 'POST', body, headers });
}

/** Delivers an event signed with the app's secret, now. */
async function deliver(t: TestApp, event: QueuedEvent): Promise<Response> {
  return postWebhook(t, event.payload, signDemoPayload(event.payload, demoSecret(t), nowS(t)));
}

async function deliverAll(t: TestApp, events: QueuedEvent[]): Promise<void> {
  for (const e of events) {
    const res = await deliver(t, e);
    assert.equal(res.status, 200, `${e.type} should be accepted`);
  }
}

/** A reader who chose an offer and paid at the provider, whose events wait undelivered. */
async function paidUndelivered(t: TestApp, email: string, offer = 'intro-15'): Promise<{ reader: Reader; checkoutId: string; events: QueuedEvent[] }> {
  const reader = await newReader(t, email);
  const checkoutId = await startCheckout(reader, offer);
  const before = new Set((await queuedEvents(t)).map((e) => e.id));
  const paid = await demo(t).pay(checkoutId, OK_CARD);
  assert.equal(paid.ok, true);
  const events = (await queuedEvents(t)).filter((e) => !before.has(e.id));
  assert.deepEqual(events.map((e) => e.type), ['checkout.session.completed', 'customer.subscription.created', 'invoice.paid']);
  return { reader, checkoutId, events };
}

// ---------------------------------------------------------------------------------------

for (const dialect of DIALECTS) {
  describe(`billing (${dialect})`, () => {
    let t: TestApp;

    beforeEach(async () => {
      t = await startTestApp(dialect);
      await seedDemoCatalog(t.app.database.db);
    });
    afterEach(() => t.close());

    describe('subscribing', () => {
      it('lists the offers with what each one gives', async () => {
        const reader = await newReader(t, 'reader@example.com');
        const res = await reader.client.get('/subscribe');
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('cache-control'), 'private, no-store');
        const html = await res.text();
        for (const headline of ['$15 for your first 6 months, then $8 a month', '$80 a year', 'Try the Weekly free for 14 days, then $4 a month']) {
          assert.ok(html.includes(headline), `offer "${headline}" is shown`);
        }
        for (const label of ['Unlimited access to the site', 'The Daily e-mail every weekday morning', 'The Weekly magazine as PDF and EPUB']) {
          assert.ok(html.includes(label), `entitlement "${label}" is spelled out`);
        }
        // The Weekly plan lists two entitlements, not the site.
        const weekly = /<section[^>]*aria-labelledby="offer-weekly-trial"[\s\S]*?<\/section>/.exec(html)![0];
        assert.ok(weekly.includes('The Weekly magazine as PDF and EPUB'));
        assert.ok(!weekly.includes('Unlimited access to the site'));
        for (const slug of ['intro-15', 'annual', 'weekly-trial']) assertHas(html, `name="offer" value="${slug}"`);
      });

      it('sends an anonymous visitor to sign in first', async () => {
        const visitor = new Client(t);
        const page = await visitor.get('/subscribe');
        assert.ok((await page.text()).includes('Sign in to subscribe'));
        await visitor.get('/gift'); // a page with a form, for the browser's form token
        const res = await visitor.post('/subscribe/checkout', { offer: 'intro-15' });
        assert.equal(res.status, 303);
        assert.equal(res.headers.get('location'), '/login?return=/subscribe');
        assert.equal(await count(t, 'checkouts'), 0);
      });

      it('takes a good card: the account shows the plan, Active and the renewal date; one payment, one receipt', async () => {
        const reader = await newReader(t, 'reader@example.com');
        const checkoutId = await startCheckout(reader, 'intro-15');

        const page = await reader.client.get(`/billing/demo/checkout/${checkoutId}`);
        assert.equal(page.status, 200);
        const html = await page.text();
        assertHas(html, 'TEST MODE');
        for (const card of ['4242 4242 4242 4242', '4000 0000 0000 0002', '4000 0000 0000 0341']) assert.ok(html.includes(card), `test card ${card} is listed`);
        assert.equal(amountDue(html), '$2.50', 'the first month of $15 for 6 months');

        const paid = await reader.client.post(`/billing/demo/checkout/${checkoutId}`, { card: OK_CARD });
        assert.equal(paid.status, 303);
        const thanks = await reader.client.follow(paid);
        assert.equal(thanks.status, 200);
        assertHas(await thanks.text(), 'Thank you for subscribing');

        const periodEnd = addInterval(NOW, 'month');
        const account = await accountStatus(reader);
        assert.equal(account.plan, 'Digital — $8 a month');
        assert.equal(account.status, `active: Active — renews on ${displayDate(periodEnd, TZ)}`);

        const sub = await onlySubscription(t, reader.id);
        assert.equal(sub.status, 'active');
        assert.equal(sub.current_period_end, periodEnd);
        const payments = await paymentsOf(t, reader.id);
        assert.deepEqual(payments.map((p) => [p.amount_cents, p.currency, p.status, p.kind, p.subscription_id]), [[250, 'usd', 'paid', 'subscription', sub.id]]);

        const receipts = mailTo(await sentMail(t), reader.email, RECEIPT);
        assert.equal(receipts.length, 1);
        assert.match(receipts[0].text, /\$2\.50/);
        assert.deepEqual(await entitled(t, reader.id), ['web', 'daily', 'weekly']);
        const customer = await t.app.database.db.selectFrom('readers').select('provider_customer_id').where('id', '=', reader.id).executeTakeFirstOrThrow();
        assert.match(customer.provider_customer_id ?? '', /^cus_demo_/);
      });

      it('refuses a declined card with 402 and records nothing', async () => {
        const reader = await newReader(t, 'reader@example.com');
        const checkoutId = await startCheckout(reader, 'intro-15');
        const res = await payOnPage(reader, checkoutId, DECLINED_CARD);
        assert.equal(res.status, 402);
        assertHas(await res.text(), 'Your card was declined');
        await t.app.runJobs();
        assert.equal(await count(t, 'subscriptions'), 0);
        assert.equal(await count(t, 'payments'), 0);
        assert.deepEqual(await entitled(t, reader.id), []);
        // The checkout stays open: a good card afterwards still works.
        const retry = await reader.client.post(`/billing/demo/checkout/${checkoutId}`, { card: OK_CARD });
        assert.equal(retry.status, 303);
        assert.equal((await onlySubscription(t, reader.id)).status, 'active');
      });

      it('shows an error for a card number that is not a test card', async () => {
        const reader = await newReader(t, 'reader@example.com');
        const res = await payOnPage(reader, await startCheckout(reader, 'intro-15'), '1234 5678 9012 3456');
        assert.equal(res.status, 402);
        assertHas(await res.text(), 'not one of the test card numbers');
        assert.equal(await count(t, 'subscriptions'), 0);
        assert.equal(await count(t, 'payments'), 0);
      });

      it('starts a trial without charging: daily and weekly, not the site', async () => {
        const reader = await newReader(t, 'reader@example.com');
        const checkoutId = await startCheckout(reader, 'weekly-trial');
        const page = await reader.client.get(`/billing/demo/checkout/${checkoutId}`);
        assert.equal(amountDue(await page.text()), '$0 (free trial)');
        const res = await reader.client.post(`/billing/demo/checkout/${checkoutId}`, { card: OK_CARD });
        assert.equal(res.status, 303);

        const sub = await onlySubscription(t, reader.id);
        assert.equal(sub.status, 'trialing');
        assert.equal(sub.trial_end, NOW + 14 * DAY);
        const account = await accountStatus(reader);
        assert.equal(account.status, `trialing: Free trial — trial ends on ${displayDate(NOW + 14 * DAY, TZ)}`);
        const charged = (await paymentsOf(t, reader.id)).filter((p) => p.amount_cents > 0);
        assert.deepEqual(charged, [], 'nothing charged during the trial');
        assert.deepEqual(mailTo(await sentMail(t), reader.email, RECEIPT), []);
        assert.deepEqual(await entitled(t, reader.id), ['daily', 'weekly']);

        // Three days before the end, one reminder; after the end, the first charge.
        t.clock.now = NOW + 12 * DAY;
        await t.app.runJobs({ includeSlow: true });
        await t.app.runJobs({ includeSlow: true });
        assert.equal(mailTo(await sentMail(t), reader.email, /^Your free trial ends on/).length, 1);
        t.clock.now = NOW + 14 * DAY + 60_000;
        await t.app.runJobs();
        const converted = await onlySubscription(t, reader.id);
        assert.equal(converted.status, 'active');
        assert.deepEqual((await paymentsOf(t, reader.id)).filter((p) => p.amount_cents > 0).map((p) => p.amount_cents), [400]);
        assert.equal(mailTo(await sentMail(t), reader.email, RECEIPT).length, 1);
      });
    });

    describe('coupons', () => {
      it('takes 20% off the first charge of the annual offer, and only for three months', async () => {
        const reader = await newReader(t, 'reader@example.com');
        const checkoutId = await startCheckout(reader, 'annual', ' newsroom20 ');
        const page = await reader.client.get(`/billing/demo/checkout/${checkoutId}`);
        assert.equal(amountDue(await page.text()), '$64');
        assert.equal((await reader.client.post(`/billing/demo/checkout/${checkoutId}`, { card: OK_CARD })).status, 303);
        assert.deepEqual((await paymentsOf(t, reader.id)).map((p) => p.amount_cents), [6400]);
        const coupon = await t.app.database.db.selectFrom('coupons').select('redeemed_count').where('code', '=', 'NEWSROOM20').executeTakeFirstOrThrow();
        assert.equal(coupon.redeemed_count, 1);

        // "20% off for 3 months" is over by the time a yearly plan renews.
        const periodEnd = addInterval(NOW, 'year');
        assert.equal((await onlySubscription(t, reader.id)).current_period_end, periodEnd);
        t.clock.now = periodEnd + 60_000;
        await t.app.runJobs();
        assert.deepEqual((await paymentsOf(t, reader.id)).map((p) => p.amount_cents), [6400, 8000]);
      });

      it('shows an error for an unknown coupon and starts no checkout', async () => {
        const reader = await newReader(t, 'reader@example.com');
        await reader.client.get('/subscribe');
        const res = await reader.client.post('/subscribe/checkout', { offer: 'annual', coupon: 'FREEMONEY' });
        assert.equal(res.status, 400);
        assertHas(await res.text(), 'That coupon code is not valid.');
        assert.equal(await count(t, 'checkouts'), 0);
      });

      it('refuses a coupon with the introductory offer', async () => {
        const reader = await newReader(t, 'reader@example.com');
        await reader.client.get('/subscribe');
        const res = await reader.client.post('/subscribe/checkout', { offer: 'intro-15', coupon: 'NEWSROOM20' });
        assert.equal(res.status, 400);
        assertHas(await res.text(), 'Coupons apply to full-price offers, not introductory ones.');
        assert.equal(await count(t, 'checkouts'), 0);
      });
    });

    describe('on the account page', () => {
      it('cancels (access kept to the period end), resumes, and switches plan', async () => {
        const reader = await newReader(t, 'reader@example.com');
        await subscribe(reader, 'intro-15');
        const sub = await onlySubscription(t, reader.id);
        const periodEnd = addInterval(NOW, 'month');

        await reader.client.get('/account');
        const canceled = await reader.client.post(`/account/subscription/${sub.id}/cancel`);
        assert.equal(canceled.status, 303);
        assert.equal(canceled.headers.get('location'), '/account?done=cancel');
        await t.app.runJobs();
        let account = await accountStatus(reader);
        assert.equal(account.status, `canceled: Canceled — ends on ${displayDate(periodEnd, TZ)}`);
        assertHas(account.html, 'Resume subscription');
        assert.deepEqual(await entitled(t, reader.id), ['web', 'daily', 'weekly']);
        assert.deepEqual(await entitled(t, reader.id, periodEnd - 60_000), ['web', 'daily', 'weekly']);

        const resumed = await reader.client.post(`/account/subscription/${sub.id}/resume`);
        assert.equal(resumed.status, 303);
        await t.app.runJobs();
        account = await accountStatus(reader);
        assert.equal(account.status, `active: Active — renews on ${displayDate(periodEnd, TZ)}`);

        const switched = await reader.client.post(`/account/subscription/${sub.id}/switch`, { plan: String(await planId(t, 'weekly')) });
        assert.equal(switched.status, 303);
        assert.equal(switched.headers.get('location'), '/account?done=switch');
        await t.app.runJobs();
        account = await accountStatus(reader);
        assert.equal(account.plan, 'The Weekly — $4 a month');
        assert.equal((await onlySubscription(t, reader.id)).plan_id, await planId(t, 'weekly'));
        assert.deepEqual(await entitled(t, reader.id), ['daily', 'weekly']);
        // Still one subscription and one payment: nothing was bought twice.
        assert.equal((await paymentsOf(t, reader.id)).length, 1);
      });

      it("refuses to act on another reader's subscription", async () => {
        const owner = await newReader(t, 'owner@example.com');
        await subscribe(owner, 'intro-15');
        const sub = await onlySubscription(t, owner.id);
        const other = await newReader(t, 'other@example.com');
        await other.client.get('/account');
        const res = await other.client.post(`/account/subscription/${sub.id}/cancel`);
        assert.equal(res.status, 400);
        assert.equal((await onlySubscription(t, owner.id)).status, 'active');
      });

      it('warns once before a canceled subscription ends, then ends it', async () => {
        const reader = await newReader(t, 'reader@example.com');
        await subscribe(reader, 'intro-15');
        const sub = await onlySubscription(t, reader.id);
        const periodEnd = sub.current_period_end;
        await reader.client.get('/account');
        assert.equal((await reader.client.post(`/account/subscription/${sub.id}/cancel`)).status, 303);

        // Not yet within the week before the end: no notice.
        t.clock.now = periodEnd - 10 * DAY;
        await t.app.runJobs({ includeSlow: true });
        const ending = /^Your subscription ends on/;
        assert.equal(mailTo(await sentMail(t), reader.email, ending).length, 0);

        t.clock.now = periodEnd - 5 * DAY;
        await t.app.runJobs({ includeSlow: true });
        t.clock.now = periodEnd - 2 * DAY;
        await t.app.runJobs({ includeSlow: true });
        const notices = mailTo(await sentMail(t), reader.email, ending);
        assert.equal(notices.length, 1);
        assert.ok(notices[0].subject.endsWith(displayDate(periodEnd, TZ)));
        assert.ok(linkIn(notices[0], `${PUBLIC_URL}/account`));
        assert.deepEqual(await entitled(t, reader.id), ['web', 'daily', 'weekly']);

        t.clock.now = periodEnd + 2 * 3_600_000;
        await t.app.runJobs({ includeSlow: true });
        const ended = await onlySubscription(t, reader.id);
        assert.equal(ended.status, 'ended');
        assert.equal(ended.ended_at, periodEnd);
        assert.deepEqual(await entitled(t, reader.id), []);
        await reader.signIn();
        const account = await accountStatus(reader);
        assertHas(account.html, 'You have no subscription');
        assert.equal(mailTo(await sentMail(t), reader.email, ending).length, 1, 'the notice went out once');

        // Nothing left to resume: the reader may subscribe again.
        await subscribe(reader, 'annual');
        assert.deepEqual((await subscriptionsOf(t, reader.id)).map((s) => s.status), ['ended', 'active']);
        assert.deepEqual(await entitled(t, reader.id), ['web', 'daily', 'weekly']);
        assert.equal((await accountStatus(reader)).plan, 'Digital, yearly — $80 a year');
      });
    });

    describe('a renewal that fails', () => {
      async function pastDue(): Promise<{ reader: Reader; failedAt: number }> {
        const reader = await newReader(t, 'reader@example.com');
        await subscribe(reader, 'intro-15', FAILS_LATER_CARD);
        const sub = await onlySubscription(t, reader.id);
        assert.equal(sub.status, 'active');
        const failedAt = sub.current_period_end + 60_000;
        t.clock.now = failedAt;
        await t.app.runJobs();
        await reader.signIn();
        return { reader, failedAt };
      }

      it('keeps access through the grace period, mails the reader, and recovers with a new card', async () => {
        const { reader, failedAt } = await pastDue();
        const sub = await onlySubscription(t, reader.id);
        assert.equal(sub.status, 'past_due');
        assert.equal(sub.past_due_since, failedAt);
        assert.deepEqual(await entitled(t, reader.id), ['web', 'daily', 'weekly']);
        const failedMail = mailTo(await sentMail(t), reader.email, /^Your payment did not go through/);
        assert.equal(failedMail.length, 1);
        // The renewal that failed was the second of the six introductory months.
        assert.match(failedMail[0].text, /charge \$2\.50/);
        assert.deepEqual((await paymentsOf(t, reader.id)).map((p) => [p.amount_cents, p.status]), [[250, 'paid'], [250, 'failed']]);
        const account = await accountStatus(reader);
        assert.equal(account.status, `past_due: Payment failed — access until ${displayDate(failedAt + 7 * DAY, TZ)} while we retry`);

        // Update card → the provider's portal → a good card → charged at once.
        const portalRedirect = await reader.client.post('/account/billing');
        assert.equal(portalRedirect.status, 303);
        const portalUrl = portalRedirect.headers.get('location')!;
        assert.ok(portalUrl.startsWith(`${PUBLIC_URL}/billing/demo/portal/`));
        const portal = await reader.client.follow(portalRedirect);
        assert.equal(portal.status, 200);
        const portalHtml = await portal.text();
        assertHas(portalHtml, 'TEST MODE');
        assertHas(portalHtml, 'ends in <strong>0341</strong>');
        const returnUrl = /name="return" value="([^"]+)"/.exec(portalHtml)![1];
        const updated = await reader.client.post(new URL(portalUrl).pathname, { card: OK_CARD, return: returnUrl });
        assert.equal(updated.status, 303);
        assert.equal(updated.headers.get('location'), `${PUBLIC_URL}/account`);

        const recovered = await onlySubscription(t, reader.id);
        assert.equal(recovered.status, 'active');
        assert.equal(recovered.past_due_since, null);
        assert.equal(recovered.current_period_end, addInterval(failedAt, 'month'));
        assert.deepEqual((await paymentsOf(t, reader.id)).map((p) => [p.amount_cents, p.status]), [[250, 'paid'], [250, 'failed'], [250, 'paid']]);
        assert.equal((await accountStatus(reader)).status, `active: Active — renews on ${displayDate(addInterval(failedAt, 'month'), TZ)}`);
        assert.equal(mailTo(await sentMail(t), reader.email, RECEIPT).length, 2);
      });

      it('ends the subscription when the card is never updated', async () => {
        const { reader, failedAt } = await pastDue();
        t.clock.now = failedAt + 3 * DAY;
        await t.app.runJobs();
        assert.equal((await onlySubscription(t, reader.id)).status, 'past_due');
        assert.deepEqual(await entitled(t, reader.id), ['web', 'daily', 'weekly']);

        t.clock.now = failedAt + 7 * DAY;
        await t.app.runJobs();
        const ended = await onlySubscription(t, reader.id);
        assert.equal(ended.status, 'ended');
        assert.deepEqual(await entitled(t, reader.id), []);
        assert.equal((await paymentsOf(t, reader.id)).filter((p) => p.status === 'paid').length, 1);
      });
    });

    describe('gifts', () => {
      it('mails the recipient a redeem link and the purchaser a receipt; redeeming grants N months once', async () => {
        const buyer = new Client(t);
        await buyer.get('/gift');
        const res = await buyer.post('/gift', { plan: 'digital', months: '3', from_name: 'Aunt Ada', from_email: 'ada@example.com', to_email: 'nephew@example.com', message: 'Read more!' });
        assert.equal(res.status, 303);
        const checkoutId = checkoutIdOf(res.headers.get('location'));
        const page = await buyer.get(`/billing/demo/checkout/${checkoutId}`);
        assert.equal(amountDue(await page.text()), '$24');
        const paid = await buyer.post(`/billing/demo/checkout/${checkoutId}`, { card: OK_CARD });
        assert.equal(paid.status, 303);
        assert.equal(paid.headers.get('location'), `${PUBLIC_URL}/gift/thanks`);

        const mails = await sentMail(t);
        const giftMail = mailTo(mails, 'nephew@example.com', /Aunt Ada sent you a gift subscription/);
        assert.equal(giftMail.length, 1);
        assert.match(giftMail[0].text, /Read more!/);
        assert.equal(mailTo(mails, 'ada@example.com', /^Receipt for your gift subscription/).length, 1);
        const gifts = await t.app.database.db.selectFrom('payments').select(['kind', 'amount_cents', 'status']).execute();
        assert.deepEqual(gifts, [{ kind: 'gift', amount_cents: 2400, status: 'paid' }]);

        const link = linkIn(giftMail[0], `${PUBLIC_URL}/gift/redeem/`);
        const redeemPath = new URL(link).pathname;
        const anonymous = await new Client(t).get(redeemPath);
        assert.equal(anonymous.status, 200);
        const anonymousHtml = await anonymous.text();
        assertHas(anonymousHtml, 'Aunt Ada gave you 3 months of Digital');
        assertHas(anonymousHtml, 'Sign in or create your account to redeem it');

        const nephew = await newReader(t, 'nephew@example.com');
        assert.equal((await nephew.client.get(redeemPath)).status, 200);
        const redeemed = await nephew.client.post(redeemPath);
        assert.equal(redeemed.status, 303);
        assert.equal(redeemed.headers.get('location'), '/account?done=gift');
        const e = await loadEntitlements(t.app.database.db, { id: nephew.id }, { isStaff: false, now: t.clock.now });
        const until = addInterval(NOW, 'month', 3);
        for (const name of ENTITLEMENTS) assert.deepEqual(e[name], { source: 'gift', giftId: (e[name] as { giftId: number }).giftId, until });
        assert.deepEqual(await entitled(t, nephew.id, until - 1), ['web', 'daily', 'weekly']);
        assert.deepEqual(await entitled(t, nephew.id, until), []);

        // Twice: refused, for the recipient and for anyone else holding the link.
        await nephew.client.get('/account');
        const again = await nephew.client.post(redeemPath);
        assert.equal(again.status, 400);
        assertHas(await again.text(), 'already been redeemed');
        assert.equal((await nephew.client.get(redeemPath)).status, 410);
        const thief = await newReader(t, 'thief@example.com');
        await thief.client.get('/account');
        assert.equal((await thief.client.post(redeemPath)).status, 400);
        assert.deepEqual(await entitled(t, thief.id), []);

        // A made-up token.
        assert.equal((await nephew.client.get(`/gift/redeem/${crypto.randomBytes(32).toString('base64url')}`)).status, 404);
      });

      it('asks for a valid form and records nothing otherwise', async () => {
        const buyer = new Client(t);
        await buyer.get('/gift');
        const res = await buyer.post('/gift', { plan: 'digital', months: '5', from_name: 'Ada', from_email: 'ada@example.com', to_email: 'not-an-address' });
        assert.equal(res.status, 400);
        assert.equal(await count(t, 'gifts'), 0);
      });
    });

    describe('the webhook endpoint', () => {
      it('refuses unsigned, wrongly signed, tampered and stale events with 400, writing nothing', async () => {
        const { events } = await paidUndelivered(t, 'reader@example.com');
        const event = ofType(events, 'invoice.paid');
        const body = event.payload;
        const secret = demoSecret(t);
        const before = await books(t);

        const reserialised = JSON.stringify(JSON.parse(body), null, 1);
        const changed = body.replace(/"amount_paid":\d+/, '"amount_paid":1');
        assert.notEqual(changed, body);
        const attempts: [string, string, string | null][] = [
          ['unsigned', body, null],
          ['empty signature', body, ''],
          ['malformed signature', body, 'garbage'],
          ['wrong secret', body, signDemoPayload(body, 'not-the-secret', nowS(t))],
          ['re-serialised body', reserialised, signDemoPayload(body, secret, nowS(t))],
          ['changed amount', changed, signDemoPayload(body, secret, nowS(t))],
          ['6 minutes old', body, signDemoPayload(body, secret, nowS(t) - 360)],
          ['6 minutes ahead', body, signDemoPayload(body, secret, nowS(t) + 360)],
          ['signed over other bytes', body, signDemoPayload(reserialised, secret, nowS(t))],
        ];
        for (const [what, payload, signature] of attempts) {
          const res = await postWebhook(t, payload, signature);
          assert.equal(res.status, 400, what);
          assert.deepEqual(await books(t), before, `${what}: nothing written`);
        }

        // The genuine event, signed 4 minutes ago, is accepted.
        const res = await postWebhook(t, body, signDemoPayload(body, secret, nowS(t) - 240));
        assert.equal(res.status, 200);
        assert.equal(await count(t, 'payments'), before.payments + 1);
      });

      it('processes the same event once, delivered twice and ten times at once', async () => {
        const { reader, events } = await paidUndelivered(t, 'reader@example.com');
        await deliverAll(t, events.filter((e) => e.type !== 'invoice.paid'));
        const paid = ofType(events, 'invoice.paid');

        const first = await deliver(t, paid);
        assert.equal(first.status, 200);
        assert.equal((await first.json()).status, 'processed');
        const second = await deliver(t, paid);
        assert.equal(second.status, 200);
        assert.equal((await second.json()).status, 'duplicate');
        const burst = await Promise.all(Array.from({ length: 10 }, () => deliver(t, paid)));
        assert.deepEqual(burst.map((r) => r.status), Array(10).fill(200));

        // And ten at once of an event never seen before: one of them processes it.
        const { reader: other, events: otherEvents } = await paidUndelivered(t, 'other@example.com');
        await deliverAll(t, otherEvents.filter((e) => e.type !== 'invoice.paid'));
        const fresh = await Promise.all(Array.from({ length: 10 }, () => deliver(t, ofType(otherEvents, 'invoice.paid'))));
        assert.deepEqual(fresh.map((r) => r.status), Array(10).fill(200));
        const outcomes = await Promise.all(fresh.map(async (r) => (await r.json()).status as string));
        assert.deepEqual(outcomes.sort(), ['duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'processed']);

        await t.app.runJobs(); // the provider's own deliveries: duplicates too
        for (const r of [reader, other]) {
          assert.deepEqual((await paymentsOf(t, r.id)).map((p) => [p.amount_cents, p.status]), [[250, 'paid']]);
          assert.equal((await onlySubscription(t, r.id)).status, 'active');
        }
        const mails = await sentMail(t);
        assert.equal(mailTo(mails, reader.email, RECEIPT).length, 1);
        assert.equal(mailTo(mails, other.email, RECEIPT).length, 1);
        const recorded = await t.app.database.db.selectFrom('provider_events').select('event_id').where('event_id', '=', paid.id).execute();
        assert.equal(recorded.length, 1);
      });

      it('ends canceled when an older update arrives after the cancellation (state re-read from the provider)', async () => {
        const { reader, events } = await paidUndelivered(t, 'reader@example.com');
        await deliverAll(t, events);
        const sub = await onlySubscription(t, reader.id);
        // The reader changes their mind at the provider: cancel, resume, cancel.
        const provider = demo(t);
        await provider.setCancelAtPeriodEnd(sub.provider_subscription_id, true);
        await provider.setCancelAtPeriodEnd(sub.provider_subscription_id, false);
        await provider.setCancelAtPeriodEnd(sub.provider_subscription_id, true);
        const updates = (await queuedEvents(t)).filter((e) => e.type === 'customer.subscription.updated');
        assert.equal(updates.length, 3);
        const [, resumedUpdate, lastCancel] = updates;

        assert.equal((await deliver(t, lastCancel)).status, 200);
        assert.equal((await onlySubscription(t, reader.id)).status, 'canceled');
        // The older "active" update, late.
        assert.equal((await deliver(t, resumedUpdate)).status, 200);
        const after = await onlySubscription(t, reader.id);
        assert.equal(after.status, 'canceled');
        assert.equal(after.cancel_at_period_end, 1);
        await t.app.runJobs(); // everything else, in whatever order
        assert.equal((await onlySubscription(t, reader.id)).status, 'canceled');
      });

      it('converges when the invoice is paid before the checkout completion arrives', async () => {
        const { reader, checkoutId, events } = await paidUndelivered(t, 'reader@example.com');
        const invoice = ofType(events, 'invoice.paid');
        const completed = ofType(events, 'checkout.session.completed');
        const created = ofType(events, 'customer.subscription.created');
        await deliverAll(t, [invoice, completed, created]);
        await t.app.runJobs();

        const sub = await onlySubscription(t, reader.id);
        assert.equal(sub.status, 'active');
        assert.equal(sub.plan_id, await planId(t, 'digital'));
        assert.deepEqual((await paymentsOf(t, reader.id)).map((p) => [p.amount_cents, p.status, p.subscription_id]), [[250, 'paid', sub.id]]);
        const db = t.app.database.db;
        const checkout = await db.selectFrom('checkouts').select('status').where('provider_checkout_id', '=', checkoutId).executeTakeFirstOrThrow();
        assert.equal(checkout.status, 'complete');
        const customer = await db.selectFrom('readers').select('provider_customer_id').where('id', '=', reader.id).executeTakeFirstOrThrow();
        assert.equal(customer.provider_customer_id, completed.object.customer);
        assert.equal(mailTo(await sentMail(t), reader.email, RECEIPT).length, 1);
        assert.deepEqual(await entitled(t, reader.id), ['web', 'daily', 'weekly']);
      });

      it('refuses a second live subscription: double click and two tabs', async () => {
        const reader = await newReader(t, 'reader@example.com');
        const tabA = await startCheckout(reader, 'intro-15');
        const tabB = await startCheckout(reader, 'annual');
        assert.notEqual(tabA, tabB);
        const first = await payOnPage(reader, tabA, OK_CARD);
        assert.equal(first.status, 303);
        const second = await payOnPage(reader, tabB, OK_CARD);
        assert.equal(second.status, 303);
        assert.equal(second.headers.get('location'), '/account');
        await t.app.runJobs();
        const subs = await subscriptionsOf(t, reader.id);
        assert.equal(subs.length, 1);
        assert.equal(subs[0].plan_id, await planId(t, 'digital'));
        assert.deepEqual((await paymentsOf(t, reader.id)).map((p) => p.amount_cents), [250]);
        // A third try goes to the account page, without a checkout.
        await reader.client.get('/subscribe');
        const third = await reader.client.post('/subscribe/checkout', { offer: 'annual' });
        assert.equal(third.status, 303);
        assert.equal(third.headers.get('location'), '/account');
      });

      it('refuses a second live subscription when tabs pay at the same moment, or Pay is clicked twice', async () => {
        const reader = await newReader(t, 'reader@example.com');
        const tabA = await startCheckout(reader, 'intro-15');
        const tabB = await startCheckout(reader, 'annual');
        await reader.client.get(`/billing/demo/checkout/${tabA}`);
        const csrf = reader.client.csrf();
        const results = await Promise.all([tabA, tabB, tabA, tabB].map((id) => reader.client.post(`/billing/demo/checkout/${id}`, { card: OK_CARD, _csrf: csrf })));
        assert.deepEqual(results.map((r) => r.status), [303, 303, 303, 303]);
        t.clock.now += 60_000; // past the provider's retry backoff, should a delivery have failed
        await t.app.runJobs();
        const live = (await subscriptionsOf(t, reader.id)).filter((s) => s.status !== 'ended');
        assert.equal(live.length, 1, 'one live subscription');
        assert.equal((await paymentsOf(t, reader.id)).length, 1, 'one charge');
      });
    });

    describe('deliveries that fail', () => {
      /** Everything the books say about one reader, without ids and row timestamps. */
      async function state(app: TestApp, email: string) {
        const db = app.app.database.db;
        const reader = await db.selectFrom('readers').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
        const subs = await db
          .selectFrom('subscriptions')
          .select(['status', 'plan_id', 'current_period_start', 'current_period_end', 'cancel_at_period_end', 'trial_end', 'past_due_since', 'ended_at'])
          .where('reader_id', '=', reader.id)
          .execute();
        const payments = await db.selectFrom('payments').select(['kind', 'amount_cents', 'currency', 'status']).where('reader_id', '=', reader.id).execute();
        const events = (await db.selectFrom('provider_events').select('kind').execute()).map((e) => e.kind).sort();
        const mail = (await db.selectFrom('mail_outbox').select(['to_address', 'subject', 'status']).execute()).map((m) => `${m.to_address} ${m.subject} ${m.status}`).sort();
        const checkouts = (await db.selectFrom('checkouts').select('status').execute()).map((c) => c.status);
        return { subs, payments, events, mail, checkouts, hasCustomer: reader.provider_customer_id !== null };
      }

      /** Lets the provider's retries run (past their backoff), then reads the books. */
      async function settle(app: TestApp) {
        app.clock.now += 60_000;
        await app.app.runJobs();
        await app.app.runJobs();
        const sent = (await sentMail(app)).map((m) => `${m.to} ${m.subject}`).sort();
        return { ...(await state(app, 'reader@example.com')), sent, undelivered: (await queuedEvents(app)).length };
      }

      /** The app's own webhook route, as the provider's HTTP client reaches it. */
      const toApp = (app: TestApp) => async (body: string, signature: string) =>
        (await app.request('/webhooks/demo', { method: 'POST', body, headers: { 'content-type': 'application/json', 'demo-signature': signature } })).status;

      const typeOf = (body: string) => (JSON.parse(body) as { type: string }).type;

      let reference: Awaited<ReturnType<typeof settle>>;
      before(async () => {
        // The same story without faults, in an app of its own.
        const ref = await startTestApp(dialect);
        try {
          await seedDemoCatalog(ref.app.database.db);
          await paidUndelivered(ref, 'reader@example.com');
          reference = await settle(ref);
        } finally {
          await ref.close();
        }
        assert.equal(reference.subs.length, 1);
        assert.equal(reference.subs[0].status, 'active');
        assert.deepEqual(reference.payments.map((p) => p.amount_cents), [250]);
        assert.equal(reference.sent.length, 1);
        assert.equal(reference.undelivered, 0);
      });

      it('a delivery that never reached the app is retried and ends as without the fault', async () => {
        await paidUndelivered(t, 'reader@example.com');
        const report = await demo(t).deliver(async () => {
          throw new Error('connection reset');
        });
        assert.deepEqual(report, { delivered: 0, failed: 1 });
        assert.equal(await count(t, 'provider_events'), 0);
        assert.equal(await count(t, 'subscriptions'), 0);
        assert.deepEqual(await settle(t), reference);
      });

      it('a handler that fails before its commit leaves nothing behind; the retry completes it', async () => {
        const db = t.app.database.db;
        await paidUndelivered(t, 'reader@example.com');
        const seen: string[] = [];
        // The receipt cannot be queued: the invoice's transaction fails after writing the
        // event id and the payment row, and must roll both back.
        await sql`alter table mail_outbox rename to mail_outbox_unavailable`.execute(db);
        try {
          await demo(t).deliver(async (body, signature) => {
            const status = await toApp(t)(body, signature);
            seen.push(`${typeOf(body)} ${status}`);
            return status;
          });
        } finally {
          await sql`alter table mail_outbox_unavailable rename to mail_outbox`.execute(db);
        }
        assert.deepEqual(seen, ['checkout.session.completed 200', 'customer.subscription.created 200', 'invoice.paid 500']);
        const events = (await db.selectFrom('provider_events').select('kind').execute()).map((e) => e.kind).sort();
        assert.deepEqual(events, ['checkout.completed', 'subscription.changed'], 'the failed event is not marked as processed');
        assert.equal(await count(t, 'payments'), 0, 'no payment row from the rolled-back transaction');
        assert.deepEqual(await settle(t), reference);
      });

      it('an event committed whose 2xx was lost is re-delivered as a duplicate and changes nothing', async () => {
        await paidUndelivered(t, 'reader@example.com');
        const replies: string[] = [];
        const post = async (body: string, signature: string) => {
          const res = await t.request('/webhooks/demo', { method: 'POST', body, headers: { 'content-type': 'application/json', 'demo-signature': signature } });
          replies.push(`${typeOf(body)} ${res.status} ${((await res.json()) as { status: string }).status}`);
          return typeOf(body) === 'invoice.paid' && replies.length === 3 ? 502 : res.status; // the first reply to the invoice is lost
        };
        await demo(t).deliver(post);
        const committed = await state(t, 'reader@example.com');
        t.clock.now += 60_000;
        await demo(t).deliver(post);
        assert.deepEqual(replies, [
          'checkout.session.completed 200 processed',
          'customer.subscription.created 200 processed',
          'invoice.paid 200 processed',
          'invoice.paid 200 duplicate',
        ]);
        assert.deepEqual(await state(t, 'reader@example.com'), committed, 'the duplicate changed nothing');
        assert.deepEqual(await settle(t), reference);
      });

      it('processes the events of a new subscription arriving all at once', async () => {
        const { reader, events } = await paidUndelivered(t, 'reader@example.com');
        const replies = await Promise.all(events.map((e) => deliver(t, e)));
        assert.deepEqual(replies.map((r) => r.status), [200, 200, 200]);
        assert.equal((await onlySubscription(t, reader.id)).status, 'active');
        assert.deepEqual(await settle(t), reference);
      });

      it('the event is on disk once the 2xx is sent (another connection sees it; SQLite syncs fully)', async () => {
        const { events } = await paidUndelivered(t, 'reader@example.com');
        for (const e of events) assert.equal((await deliver(t, e)).status, 200);
        const ids = events.map((e) => e.id).sort();
        if (dialect === 'sqlite') {
          // FULL (2): a commit is synced before it returns, so a power cut keeps it.
          assert.equal(t.app.database.sqlite!.pragma('synchronous', { simple: true }), 2);
          const other = new SQLite(path.join(t.database.dataDir, 'masthead.db'), { readonly: true });
          try {
            const rows = other.prepare('select event_id from provider_events order by event_id').all() as { event_id: string }[];
            assert.deepEqual(rows.map((r) => r.event_id), ids);
          } finally {
            other.close();
          }
        } else {
          const other = new pg.Client({ connectionString: t.database.databaseUrl! });
          await other.connect();
          try {
            const rows = await other.query<{ event_id: string }>('select event_id from provider_events order by event_id');
            assert.deepEqual(rows.rows.map((r) => r.event_id), ids);
          } finally {
            await other.end();
          }
        }
      });
    });
  });
}
