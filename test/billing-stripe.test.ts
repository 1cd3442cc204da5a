// Billing with Stripe, end to end: the real app (checkout, webhooks, the subscription state
// machine, /account, receipts) drives StripeProvider through the real `stripe` SDK against
// FakeStripe, a local server answering in Stripe's shapes. Webhook deliveries are signed as
// Stripe signs them and posted to /webhooks/stripe. The rows of THREATS.md "Payments and
// webhooks" are tested here on both databases.
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { sentMail, type SentMail } from './support/outbox.ts';
import { FakeStripe, type FakeEvent } from './support/fake-stripe.ts';
import { StripeProvider } from '../src/billing/providers/stripe.ts';
import { seedDemoCatalog } from '../src/billing/catalog.ts';
import { createSession } from '../src/accounts/sessions.ts';
import { GRACE_DAYS } from '../src/billing/subscription.ts';

const WEBHOOK_SECRET = 'whsec_test_masthead_webhooks';
const READER_EMAIL = 'reader@example.com';
const DAY = 86_400_000;

interface Harness {
  t: TestApp;
  fake: FakeStripe;
  reader: { id: number; client: Client };
}

async function startHarness(dialect: (typeof DIALECTS)[number]): Promise<Harness> {
  // The fake follows the app's clock, so periods, event times and signatures agree with it.
  let t: TestApp | null = null;
  const fake = await FakeStripe.start({ now: () => t!.clock.now });
  try {
    t = await startTestApp(dialect, {
      provider: () => new StripeProvider({ secretKey: 'sk_test_masthead', webhookSecret: WEBHOOK_SECRET, api: fake.api }),
    });
  } catch (err) {
    await fake.close();
    throw err;
  }
  await seedDemoCatalog(t.app.database.db);
  const reader = await signIn(t, READER_EMAIL);
  return { t, fake, reader };
}

/** A reader with a live session, and a browser that carries its cookie. */
async function signIn(t: TestApp, email: string): Promise<{ id: number; client: Client }> {
  const db = t.app.database.db;
  const { id } = await db.insertInto('readers').values({ email, name: '', newsletters: '[]', created_at: t.clock.now }).returning('id').executeTakeFirstOrThrow();
  const client = new Client(t);
  await newSession(t, { id, client });
  return { id, client };
}

/** Signs the reader in again at the app's clock (a session lasts 30 days; renewals come a month on). */
async function newSession(t: TestApp, reader: { id: number; client: Client }): Promise<void> {
  const { cookieValue } = await createSession(t.app.database.db, { readerId: reader.id }, { now: t.clock.now, secret: t.app.secret });
  reader.client.cookies.set('mh_session', cookieValue);
}

/** POSTs a delivery to the webhook endpoint as Stripe does: the exact bytes and the Stripe-Signature header. */
function post(t: TestApp, body: string, signature: string | null): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' };
  if (signature !== null) headers['stripe-signature'] = signature;
  return t.request('/webhooks/stripe', { method: 'POST', body, headers });
}

/** Delivers one event signed with the webhook secret, at the app's clock; asserts a 2xx. */
async function deliver(h: Harness, event: FakeEvent): Promise<{ status: string }> {
  const { body, signature } = h.fake.signedDelivery(event, { secret: WEBHOOK_SECRET });
  const res = await post(h.t, body, signature);
  assert.ok(res.status >= 200 && res.status < 300, `${event.type} ${event.id}: expected 2xx, got ${res.status}: ${await res.clone().text()}`);
  return (await res.json()) as { status: string };
}

async function deliverAll(h: Harness, events: FakeEvent[]): Promise<void> {
  for (const event of events) await deliver(h, event);
}

function only(events: FakeEvent[], type: string): FakeEvent {
  const found = events.filter((e) => e.type === type);
  assert.equal(found.length, 1, `expected one ${type} event, got ${found.length}`);
  return found[0];
}

/** The second event Stripe sends for one payment: same invoice, its own event id. */
function paymentSucceeded(fake: FakeStripe, invoicePaid: FakeEvent): FakeEvent {
  return fake.makeEvent('invoice.payment_succeeded', invoicePaid.data.object);
}

/** The reader presses Subscribe on an offer; returns the app's answer and the session FakeStripe made. */
async function startCheckout(h: Harness, offer = 'intro-15'): Promise<{ res: Response; sessionId: string }> {
  const { client } = h.reader;
  assert.equal((await client.get('/subscribe')).status, 200);
  const res = await client.post('/subscribe/checkout', { offer });
  const sessions = h.fake.requestsTo('POST', '/v1/checkout/sessions');
  const sessionId = [...h.fake.sessions.keys()].at(-1);
  assert.ok(sessionId && sessions.length > 0, `no checkout session was created (status ${res.status})`);
  return { res, sessionId };
}

/** Checkout started from the site and paid on FakeStripe's page; its events not yet delivered. */
async function paidCheckout(h: Harness, offer = 'intro-15') {
  const { sessionId } = await startCheckout(h, offer);
  const outcome = h.fake.completeCheckout(sessionId);
  assert.equal(outcome.events.length, 3);
  return { sessionId, ...outcome, subscriptionId: outcome.subscriptionId!, invoiceId: outcome.invoiceId!, customerId: outcome.customerId! };
}

/** A subscription made through the site and confirmed by its webhooks. */
async function subscribed(h: Harness, offer = 'intro-15') {
  const paid = await paidCheckout(h, offer);
  await deliverAll(h, paid.events);
  assert.equal((await subscriptionRow(h)).status, 'active');
  return paid;
}

async function counts(t: TestApp) {
  const db = t.app.database.db;
  const count = async (table: 'provider_events' | 'subscriptions' | 'payments' | 'mail_outbox') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return {
    events: await count('provider_events'),
    subscriptions: await count('subscriptions'),
    payments: await count('payments'),
    mail: await count('mail_outbox'),
  };
}

async function subscriptionRow(h: Harness) {
  const rows = await h.t.app.database.db.selectFrom('subscriptions').selectAll().where('reader_id', '=', h.reader.id).execute();
  assert.equal(rows.length, 1, `expected one subscription row, got ${rows.length}`);
  return rows[0];
}

async function payments(h: Harness) {
  return h.t.app.database.db.selectFrom('payments').selectAll().orderBy('id').execute();
}

const receipts = (mail: SentMail[]) => mail.filter((m) => m.subject.startsWith('Receipt for your subscription'));
const failures = (mail: SentMail[]) => mail.filter((m) => m.subject === 'Your payment did not go through');

/** The reader's /account page: the subscription's data-status, or null when it lists none. */
async function accountStatus(h: Harness): Promise<{ status: string | null; html: string }> {
  const res = await h.reader.client.get('/account');
  assert.equal(res.status, 200);
  const html = await res.text();
  const m = /<dd data-status="([a-z_]+)">/.exec(html);
  return { status: m ? m[1] : null, html };
}

for (const dialect of DIALECTS) {
  describe(`billing through Stripe (${dialect})`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await startHarness(dialect);
    });
    afterEach(async () => {
      await h.t.close();
      await h.fake.close();
    });

    it('sends the reader to the Checkout Session Stripe made, with e-mail, price, metadata and the intro coupon', async () => {
      const { res, sessionId } = await startCheckout(h, 'intro-15');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), `${h.fake.url}/c/pay/${sessionId}`);

      const [sent] = h.fake.requestsTo('POST', '/v1/checkout/sessions');
      const p = sent.params;
      const db = h.t.app.database.db;
      const digital = await db.selectFrom('plans').selectAll().where('slug', '=', 'digital').executeTakeFirstOrThrow();
      const price = await db.selectFrom('plan_prices').selectAll().where('provider', '=', 'stripe').where('plan_id', '=', digital.id).executeTakeFirstOrThrow();
      assert.equal(h.fake.prices.get(price.price_id)?.lookupKey, 'masthead_digital_800_usd_month');
      assert.equal(p.mode, 'subscription');
      assert.equal(p.customer_email, READER_EMAIL);
      assert.equal(p.customer, undefined);
      assert.equal(p.client_reference_id, String(h.reader.id));
      assert.deepEqual(p.line_items, [{ price: price.price_id, quantity: '1' }]);
      const metadata = { readerId: String(h.reader.id), planId: String(digital.id), planSlug: 'digital', offer: 'intro-15' };
      assert.deepEqual(p.metadata, metadata);
      assert.deepEqual(p.subscription_data, { metadata });
      assert.deepEqual(p.discounts, [{ coupon: 'masthead-intro-intro-15' }]);
      assert.match(String(p.success_url), /^https:\/\/news\.example\.com\/subscribe\/thanks\?session=\{CHECKOUT_SESSION_ID\}$/);
      assert.ok(sent.idempotencyKey, 'the SDK sends an idempotency key');
      // "$15 for 6 months" on an $8 plan: $5.50 off each of six monthly invoices.
      const coupon = h.fake.coupons.get('masthead-intro-intro-15');
      assert.deepEqual({ amountOff: coupon?.amountOff, duration: coupon?.duration, months: coupon?.durationInMonths }, { amountOff: 550, duration: 'repeating', months: 6 });

      const checkout = await db.selectFrom('checkouts').selectAll().where('provider_checkout_id', '=', sessionId).executeTakeFirstOrThrow();
      assert.deepEqual({ reader: checkout.reader_id, status: checkout.status, provider: checkout.provider }, { reader: h.reader.id, status: 'open', provider: 'stripe' });
      // Nothing is granted by the redirect: only the webhook does that.
      assert.deepEqual(await counts(h.t), { events: 0, subscriptions: 0, payments: 0, mail: 0 });
    });

    it('a paid checkout, delivered as signed webhooks, makes the subscription active: one payment, one receipt', async () => {
      const paid = await paidCheckout(h);
      assert.deepEqual(paid.events.map((e) => e.type), ['checkout.session.completed', 'customer.subscription.created', 'invoice.paid']);
      assert.equal((await accountStatus(h)).status, null, 'nothing before the webhooks arrive');

      for (const event of paid.events) assert.equal((await deliver(h, event)).status, 'processed');

      const sub = await subscriptionRow(h);
      assert.equal(sub.provider, 'stripe');
      assert.equal(sub.provider_subscription_id, paid.subscriptionId);
      assert.equal(sub.provider_customer_id, paid.customerId);
      assert.equal(sub.status, 'active');
      assert.equal(sub.current_period_start, h.t.clock.now - (h.t.clock.now % 1000));
      const reader = await h.t.app.database.db.selectFrom('readers').select('provider_customer_id').where('id', '=', h.reader.id).executeTakeFirstOrThrow();
      assert.equal(reader.provider_customer_id, paid.customerId);
      const checkout = await h.t.app.database.db.selectFrom('checkouts').select('status').where('provider_checkout_id', '=', paid.sessionId).executeTakeFirstOrThrow();
      assert.equal(checkout.status, 'complete');

      const { status, html } = await accountStatus(h);
      assert.equal(status, 'active');
      assert.match(html, /Active — renews on/);
      assert.match(html, /Unlimited access to the site/);

      const rows = await payments(h);
      assert.equal(rows.length, 1);
      assert.deepEqual(
        { invoice: rows[0].provider_payment_id, amount: rows[0].amount_cents, currency: rows[0].currency, status: rows[0].status, reader: rows[0].reader_id, sub: rows[0].subscription_id },
        { invoice: paid.invoiceId, amount: 250, currency: 'usd', status: 'paid', reader: h.reader.id, sub: sub.id },
      );
      const mail = await sentMail(h.t);
      assert.equal(mail.length, 1);
      assert.equal(receipts(mail).length, 1);
      assert.equal(receipts(mail)[0].to, READER_EMAIL);
      assert.match(receipts(mail)[0].text, /\$2\.50/);
    });

    it('refuses unsigned, wrongly signed, re-serialised, tampered and stale deliveries with 400, writing nothing', async () => {
      const paid = await paidCheckout(h);
      const event = only(paid.events, 'checkout.session.completed');
      const good = h.fake.signedDelivery(event, { secret: WEBHOOK_SECRET });
      const nowS = Math.floor(h.t.clock.now / 1000);
      const reads = () => h.fake.requestsTo('GET', /^\/v1\/subscriptions\//).length;

      const attempts: Array<[string, string, string | null]> = [
        ['no signature header', good.body, null],
        ['empty signature header', good.body, ''],
        ['garbage signature header', good.body, 'not-a-signature'],
        ['signed with another secret', good.body, h.fake.signedDelivery(event, { secret: 'whsec_someone_else' }).signature],
        ['body re-serialised', JSON.stringify(JSON.parse(good.body)), good.signature],
        ['body tampered', good.body.replace(`"readerId": "${h.reader.id}"`, '"readerId": "999"'), good.signature],
        ['signed 5 minutes and 1 second ago by the app\'s clock', ...(() => {
          const stale = h.fake.signedDelivery(event, { secret: WEBHOOK_SECRET, timestamp: nowS - 301 });
          return [stale.body, stale.signature] as [string, string];
        })()],
        ['signed an hour ago', ...(() => {
          const stale = h.fake.signedDelivery(event, { secret: WEBHOOK_SECRET, timestamp: nowS - 3600 });
          return [stale.body, stale.signature] as [string, string];
        })()],
      ];
      assert.notEqual(attempts[5][1], good.body, 'the tampering changed the body');
      for (const [what, body, signature] of attempts) {
        const res = await post(h.t, body, signature);
        assert.equal(res.status, 400, what);
        assert.deepEqual(await res.json(), { error: 'invalid signature' }, what);
      }
      // The good delivery, held back until the app's clock has moved on six minutes: a replay.
      h.t.clock.now += 6 * 60_000;
      assert.equal((await post(h.t, good.body, good.signature)).status, 400, 'a captured delivery replayed later');

      assert.deepEqual(await counts(h.t), { events: 0, subscriptions: 0, payments: 0, mail: 0 });
      assert.equal(reads(), 0, 'Stripe is not asked about anything before the signature is checked');
      assert.equal((await accountStatus(h)).status, null);
      assert.equal((await sentMail(h.t)).length, 0);

      // A delivery signed within the window (4 minutes old) by the same clock is accepted.
      const fresh = h.fake.signedDelivery(event, { secret: WEBHOOK_SECRET, timestamp: Math.floor(h.t.clock.now / 1000) - 240 });
      assert.equal((await post(h.t, fresh.body, fresh.signature)).status, 200);
      assert.equal((await counts(h.t)).subscriptions, 1);
    });

    it('the same event twice, and ten times at once: one state change, one payment row, one e-mail, every reply 2xx', async () => {
      const paid = await paidCheckout(h);
      const completed = only(paid.events, 'checkout.session.completed');
      const created = only(paid.events, 'customer.subscription.created');
      const invoicePaid = only(paid.events, 'invoice.paid');

      // Twice in a row.
      assert.equal((await deliver(h, completed)).status, 'processed');
      const first = await subscriptionRow(h);
      h.t.clock.now += 60_000;
      assert.equal((await deliver(h, completed)).status, 'duplicate');
      const again = await subscriptionRow(h);
      assert.equal(again.updated_at, first.updated_at, 'a replay changes nothing');

      // Ten at once, each signed separately as Stripe retries would be.
      const burst = async (event: FakeEvent) => {
        const replies = await Promise.all(Array.from({ length: 10 }, async () => {
          const { body, signature } = h.fake.signedDelivery(event, { secret: WEBHOOK_SECRET });
          const res = await post(h.t, body, signature);
          return { code: res.status, status: ((await res.json()) as { status?: string }).status };
        }));
        assert.ok(replies.every((r) => r.code >= 200 && r.code < 300), `every reply 2xx: ${JSON.stringify(replies)}`);
        return replies;
      };
      const createdReplies = await burst(created);
      assert.equal(createdReplies.filter((r) => r.status === 'processed').length, 1);
      const invoiceReplies = await burst(invoicePaid);
      assert.equal(invoiceReplies.filter((r) => r.status === 'processed').length, 1);
      assert.equal(invoiceReplies.filter((r) => r.status === 'duplicate').length, 9);
      // Stripe's second event for the same payment, ten times at once too.
      const succeeded = paymentSucceeded(h.fake, invoicePaid);
      assert.notEqual(succeeded.id, invoicePaid.id);
      await burst(succeeded);
      await burst(invoicePaid);

      const sub = await subscriptionRow(h);
      assert.equal(sub.status, 'active');
      assert.equal(sub.updated_at, first.updated_at, 'one state change: the first event made it, nothing after changed it');
      assert.equal((await payments(h)).length, 1);
      assert.deepEqual(await counts(h.t), { events: 4, subscriptions: 1, payments: 1, mail: 1 });
      const mail = await sentMail(h.t);
      assert.equal(mail.length, 1);
      assert.equal(receipts(mail).length, 1);
      assert.equal((await accountStatus(h)).status, 'active');
    });

    it('invoice.paid and invoice.payment_succeeded for one payment: one payment row, one receipt', async () => {
      const paid = await paidCheckout(h);
      const invoicePaid = only(paid.events, 'invoice.paid');
      await deliverAll(h, paid.events);
      assert.equal((await deliver(h, paymentSucceeded(h.fake, invoicePaid))).status, 'processed');
      const rows = await payments(h);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].provider_payment_id, paid.invoiceId);
      assert.equal(receipts(await sentMail(h.t)).length, 1);
      assert.equal((await counts(h.t)).events, 4);
    });

    it('a checkout\'s events delivered all at once, in any order, converge without a failed reply', async () => {
      const paid = await paidCheckout(h);
      const invoicePaid = only(paid.events, 'invoice.paid');
      // Stripe does not wait for one delivery to finish before sending the next.
      const all = [...paid.events, paymentSucceeded(h.fake, invoicePaid)].reverse();
      const replies = await Promise.all(all.map(async (event) => {
        const { body, signature } = h.fake.signedDelivery(event, { secret: WEBHOOK_SECRET });
        return (await post(h.t, body, signature)).status;
      }));
      assert.deepEqual(replies, [200, 200, 200, 200]);
      assert.equal((await subscriptionRow(h)).status, 'active');
      assert.deepEqual(await counts(h.t), { events: 4, subscriptions: 1, payments: 1, mail: 1 });
      assert.equal(receipts(await sentMail(h.t)).length, 1);
    });

    it('"canceled", then an older "active" update: ends canceled, because the state is re-read from Stripe', async () => {
      const { subscriptionId } = await subscribed(h);

      // Canceled at period end (our "canceled") in the dashboard, after an earlier unrelated change.
      const olderActive = h.fake.update(subscriptionId, { metadata: { note: 'address changed' } });
      const canceling = h.fake.update(subscriptionId, { cancelAtPeriodEnd: true });
      assert.equal((olderActive.data.object as { cancel_at_period_end: boolean }).cancel_at_period_end, false);
      await deliver(h, canceling);
      assert.equal((await subscriptionRow(h)).status, 'canceled');
      const readsBefore = h.fake.requestsTo('GET', `/v1/subscriptions/${subscriptionId}`).length;
      assert.equal((await deliver(h, olderActive)).status, 'processed');
      // Re-read before processing (and once more after commit, to catch a change meanwhile).
      assert.ok(h.fake.requestsTo('GET', `/v1/subscriptions/${subscriptionId}`).length > readsBefore, 'the subscription was re-read');
      assert.equal((await subscriptionRow(h)).status, 'canceled');
      assert.equal((await accountStatus(h)).status, 'canceled');

      // Then canceled outright (Stripe's "canceled": our "ended"), and the stale "active" snapshot of before.
      const deleted = h.fake.cancel(subscriptionId);
      assert.equal((deleted.data.object as { status: string }).status, 'canceled');
      await deliver(h, deleted);
      const stale = h.fake.makeEvent('customer.subscription.updated', olderActive.data.object);
      assert.equal((stale.data.object as { status: string }).status, 'active');
      await deliver(h, stale);
      const sub = await subscriptionRow(h);
      assert.equal(sub.status, 'ended');
      assert.equal(sub.ended_at, Math.floor(h.t.clock.now / 1000) * 1000);
      const { status, html } = await accountStatus(h);
      assert.equal(status, null);
      assert.match(html, /You have no subscription/);
      assert.doesNotMatch(html, /Unlimited access to the site/);
    });

    it('an invoice paid before the checkout completion arrives converges, the payment recorded once', async () => {
      const paid = await paidCheckout(h);
      const invoicePaid = only(paid.events, 'invoice.paid');

      // The invoice first: the subscription's own metadata names the reader.
      await deliver(h, invoicePaid);
      assert.equal((await subscriptionRow(h)).status, 'active');
      assert.equal((await payments(h)).length, 1);
      assert.equal((await accountStatus(h)).status, 'active');

      await deliver(h, only(paid.events, 'customer.subscription.created'));
      await deliver(h, only(paid.events, 'checkout.session.completed'));
      await deliver(h, paymentSucceeded(h.fake, invoicePaid));

      const sub = await subscriptionRow(h);
      assert.equal(sub.status, 'active');
      assert.equal(sub.provider_subscription_id, paid.subscriptionId);
      const rows = await payments(h);
      assert.equal(rows.length, 1);
      assert.deepEqual({ reader: rows[0].reader_id, sub: rows[0].subscription_id, amount: rows[0].amount_cents }, { reader: h.reader.id, sub: sub.id, amount: 250 });
      const db = h.t.app.database.db;
      assert.equal((await db.selectFrom('checkouts').select('status').where('provider_checkout_id', '=', paid.sessionId).executeTakeFirstOrThrow()).status, 'complete');
      assert.equal((await db.selectFrom('readers').select('provider_customer_id').where('id', '=', h.reader.id).executeTakeFirstOrThrow()).provider_customer_id, paid.customerId);
      assert.equal(receipts(await sentMail(h.t)).length, 1);
    });

    it('cancel and resume from /account go through Stripe and show at once', async () => {
      const { subscriptionId } = await subscribed(h);
      const sub = await subscriptionRow(h);
      const { client } = h.reader;
      const update = () => h.fake.requestsTo('POST', `/v1/subscriptions/${subscriptionId}`).map((r) => r.params);

      await accountStatus(h);
      assert.match(client.lastBody, new RegExp(`action="/account/subscription/${sub.id}/cancel"`));
      const canceled = await client.post(`/account/subscription/${sub.id}/cancel`);
      assert.equal(canceled.status, 303);
      assert.equal(canceled.headers.get('location'), '/account?done=cancel');
      assert.deepEqual(update(), [{ cancel_at_period_end: 'true' }]);
      assert.equal(h.fake.subscriptions.get(subscriptionId)?.cancelAtPeriodEnd, true);
      // Before any webhook: the page shows what Stripe answered.
      let page = await accountStatus(h);
      assert.equal(page.status, 'canceled');
      assert.match(page.html, /Canceled — ends on/);
      assert.match(page.html, /Unlimited access to the site/, 'access continues until the period ends');
      const cancelEvent = h.fake.events.at(-1)!;
      assert.equal(cancelEvent.type, 'customer.subscription.updated');

      const resumed = await client.post(`/account/subscription/${sub.id}/resume`);
      assert.equal(resumed.status, 303);
      assert.equal(resumed.headers.get('location'), '/account?done=resume');
      assert.deepEqual(update(), [{ cancel_at_period_end: 'true' }, { cancel_at_period_end: 'false' }]);
      page = await accountStatus(h);
      assert.equal(page.status, 'active');
      assert.match(page.html, /Active — renews on/);
      const resumeEvent = h.fake.events.at(-1)!;

      // The webhooks that follow, late and out of order, find nothing to change.
      const before = await subscriptionRow(h);
      h.t.clock.now += 60_000;
      await deliver(h, resumeEvent);
      await deliver(h, cancelEvent);
      const after = await subscriptionRow(h);
      assert.equal(after.status, 'active');
      assert.equal(after.updated_at, before.updated_at);
      assert.equal((await accountStatus(h)).status, 'active');
    });

    it('a failed renewal is past_due with a grace period; paid at the next attempt it is active again', async () => {
      const { subscriptionId } = await subscribed(h);
      const row = await subscriptionRow(h);
      const periodEnd = row.current_period_end;
      assert.equal(periodEnd, h.fake.subscriptions.get(subscriptionId)!.periodEnd * 1000);

      h.t.clock.now = periodEnd + 60_000;
      await newSession(h.t, h.reader);
      const failed = h.fake.advance(subscriptionId, { outcome: 'failed' });
      assert.deepEqual(failed.events.map((e) => e.type), ['invoice.payment_failed', 'customer.subscription.updated']);
      await deliverAll(h, failed.events);
      const pastDue = await subscriptionRow(h);
      assert.equal(pastDue.status, 'past_due');
      assert.equal(pastDue.past_due_since, h.t.clock.now);
      const { status, html } = await accountStatus(h);
      assert.equal(status, 'past_due');
      assert.match(html, /Payment failed — access until .* while we retry/);
      assert.match(html, /Unlimited access to the site/, 'access through the grace period');
      const failedRows = (await payments(h)).filter((p) => p.status === 'failed');
      assert.equal(failedRows.length, 1);
      assert.equal(failedRows[0].provider_payment_id, failed.invoiceId);
      let mail = await sentMail(h.t);
      assert.equal(failures(mail).length, 1);

      // The failure replayed: still one failed payment and one e-mail; the grace period does not restart.
      h.t.clock.now += DAY;
      await deliverAll(h, failed.events);
      assert.equal((await subscriptionRow(h)).past_due_since, pastDue.past_due_since);
      assert.equal((await payments(h)).filter((p) => p.status === 'failed').length, 1);

      // Still in grace six days on; past it, no access.
      h.t.clock.now = pastDue.past_due_since! + (GRACE_DAYS - 1) * DAY;
      assert.match((await accountStatus(h)).html, /Unlimited access to the site/);

      const recovered = h.fake.advance(subscriptionId, { outcome: 'paid' });
      await deliverAll(h, recovered.events);
      const active = await subscriptionRow(h);
      assert.equal(active.status, 'active');
      assert.equal(active.past_due_since, null);
      assert.ok(active.current_period_end > h.t.clock.now);
      assert.equal((await accountStatus(h)).status, 'active');
      const rows = await payments(h);
      assert.deepEqual(rows.map((p) => [p.provider_payment_id, p.status]), [[rows[0].provider_payment_id, 'paid'], [failed.invoiceId, 'failed'], [recovered.invoiceId, 'paid']]);
      mail = await sentMail(h.t);
      assert.equal(receipts(mail).length, 2);
      assert.equal(failures(mail).length, 1);
    });

    it('two tabs paying two checkouts leave one live subscription: the newer is ended at Stripe', async () => {
      const first = await startCheckout(h);
      const second = await startCheckout(h);
      const a = h.fake.completeCheckout(first.sessionId);
      const b = h.fake.completeCheckout(second.sessionId);
      await deliverAll(h, a.events);
      await deliverAll(h, b.events);
      const db = h.t.app.database.db;
      const rows = await db.selectFrom('subscriptions').select(['provider_subscription_id', 'status']).where('reader_id', '=', h.reader.id).orderBy('id').execute();
      assert.deepEqual(rows.map((r) => r.status), ['active', 'ended']);
      assert.equal(rows[1].provider_subscription_id, b.subscriptionId);
      assert.equal(h.fake.requestsTo('DELETE', `/v1/subscriptions/${b.subscriptionId}`).length, 1, 'the second subscription was canceled at Stripe');
    });
  });
}
