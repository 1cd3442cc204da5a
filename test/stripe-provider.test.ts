// StripeProvider through the real Stripe SDK against a local fake of the Stripe API: what it
// sends, how it reads Stripe's objects back, and how it verifies and reduces webhook events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { StripeProvider } from '../src/billing/providers/stripe.ts';
import { SignatureError } from '../src/billing/types.ts';
import type { CheckoutRequest, Coupon, Offer, Plan, ProviderEvent } from '../src/billing/types.ts';
import { FakeStripe, decodeForm } from './support/fake-stripe.ts';
import type { FakeStripeOptions, FormObject } from './support/fake-stripe.ts';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const DAY = 86_400_000;
const WEBHOOK_SECRET = 'whsec_test_masthead';

async function setup(t: { after(fn: () => Promise<void>): void }, options: FakeStripeOptions = {}) {
  const fake = await FakeStripe.start({ now: () => NOW, ...options });
  t.after(() => fake.close());
  const provider = new StripeProvider({ secretKey: 'sk_test_masthead', webhookSecret: WEBHOOK_SECRET, api: fake.api });
  return { fake, provider };
}

function plan(overrides: Partial<Plan> = {}): Plan {
  return {
    id: 1, slug: 'digital', name: 'Digital', description: 'Every story, every day', priceCents: 800, currency: 'usd',
    interval: 'month', entitlements: ['web', 'daily'], isActive: true, ...overrides,
  };
}

function offer(overrides: Partial<Offer> = {}): Offer {
  return {
    id: 7, slug: 'half-year', planId: 1, headline: '$15 for your first 6 months', introTotalCents: 1500, introMonths: 6,
    trialDays: null, isActive: true, ...overrides,
  };
}

function coupon(overrides: Partial<Coupon> = {}): Coupon {
  return {
    code: 'SPRING', percentOff: 25, amountOffCents: null, duration: 'once', durationMonths: null, maxRedemptions: null,
    redeemedCount: 0, expiresAt: null, isActive: true, ...overrides,
  };
}

function checkoutRequest(priceId: string, overrides: Partial<CheckoutRequest> = {}): CheckoutRequest {
  return {
    reader: { id: 42, email: 'reader@example.com', customerId: null },
    plan: plan(),
    priceId,
    offer: null,
    coupon: null,
    successUrl: 'http://127.0.0.1:3000/account?welcome=1',
    cancelUrl: 'http://127.0.0.1:3000/subscribe',
    metadata: { readerId: '42', plan: 'digital' },
    ...overrides,
  };
}

function onlyRequest(fake: FakeStripe, method: string, path: string | RegExp): FormObject {
  const found = fake.requestsTo(method, path);
  assert.equal(found.length, 1, `expected one ${method} ${path}, got ${found.length}`);
  return found[0].params;
}

/** A paid (or trialing) subscription made through the provider's own checkout. */
async function subscribed(fake: FakeStripe, provider: StripeProvider, overrides: Partial<CheckoutRequest> = {}) {
  const priceId = await provider.ensurePrice(overrides.plan ?? plan());
  const checkout = await provider.createCheckout(checkoutRequest(priceId, overrides));
  const outcome = fake.completeCheckout(checkout.checkoutId);
  return { priceId, checkout, ...outcome, subscriptionId: outcome.subscriptionId!, customerId: outcome.customerId! };
}

function deliver(provider: StripeProvider, fake: FakeStripe, event: Parameters<FakeStripe['signedDelivery']>[0]): ProviderEvent {
  const { body, signature } = fake.signedDelivery(event, { secret: WEBHOOK_SECRET });
  return provider.verifyWebhook(body, signature, NOW);
}

test('decodeForm rebuilds nested objects and indexed arrays from the SDK encoding', () => {
  assert.deepEqual(
    decodeForm('mode=subscription&line_items[0][price]=price_1&line_items[0][quantity]=1&metadata[readerId]=42&discounts[0][coupon]=a%20b+c&lookup_keys[0]=x&lookup_keys[1]=y'),
    { mode: 'subscription', line_items: [{ price: 'price_1', quantity: '1' }], metadata: { readerId: '42' }, discounts: [{ coupon: 'a b c' }], lookup_keys: ['x', 'y'] },
  );
});

test('ensurePrice creates the product and price once, then finds the price by its lookup key', async (t) => {
  const { fake, provider } = await setup(t);
  const first = await provider.ensurePrice(plan());
  const again = await provider.ensurePrice(plan());
  assert.equal(again, first);
  assert.deepEqual(onlyRequest(fake, 'POST', '/v1/products').name, 'Digital');
  const created = onlyRequest(fake, 'POST', '/v1/prices');
  assert.equal(created.lookup_key, 'masthead_digital_800_usd_month');
  assert.equal(created.unit_amount, '800');
  assert.equal(created.currency, 'usd');
  assert.deepEqual(created.recurring, { interval: 'month' });
  const lookups = fake.requestsTo('GET', '/v1/prices');
  assert.equal(lookups.length, 2);
  assert.deepEqual(lookups[1].params.lookup_keys, ['masthead_digital_800_usd_month']);

  const raised = await provider.ensurePrice(plan({ priceCents: 900 }));
  assert.notEqual(raised, first, 'a new price gets a new Stripe price');
  assert.equal(fake.prices.get(raised)?.lookupKey, 'masthead_digital_900_usd_month');
});

test('createCheckout sends the e-mail, price, metadata, trial and the introductory coupon', async (t) => {
  const { fake, provider } = await setup(t);
  const priceId = await provider.ensurePrice(plan());
  const result = await provider.createCheckout(checkoutRequest(priceId, { offer: offer({ trialDays: 14 }) }));

  assert.ok(fake.sessions.has(result.checkoutId));
  assert.match(result.url, /^http:\/\/127\.0\.0\.1:\d+\/c\/pay\/cs_test_/);
  const session = onlyRequest(fake, 'POST', '/v1/checkout/sessions');
  assert.equal(session.mode, 'subscription');
  assert.equal(session.customer_email, 'reader@example.com');
  assert.equal(session.customer, undefined);
  assert.equal(session.client_reference_id, '42');
  assert.deepEqual(session.line_items, [{ price: priceId, quantity: '1' }]);
  assert.deepEqual(session.metadata, { readerId: '42', plan: 'digital' });
  assert.deepEqual(session.subscription_data, { metadata: { readerId: '42', plan: 'digital' }, trial_period_days: '14' });
  assert.deepEqual(session.discounts, [{ coupon: 'masthead-intro-half-year' }]);
  assert.equal(session.success_url, 'http://127.0.0.1:3000/account?welcome=1');
  assert.equal(session.cancel_url, 'http://127.0.0.1:3000/subscribe');

  // $8/month, "$15 for 6 months": $2.50 a month for six months, i.e. $5.50 off each.
  const couponSent = onlyRequest(fake, 'POST', '/v1/coupons');
  assert.equal(couponSent.id, 'masthead-intro-half-year');
  assert.equal(couponSent.amount_off, '550');
  assert.equal(couponSent.currency, 'usd');
  assert.equal(couponSent.duration, 'repeating');
  assert.equal(couponSent.duration_in_months, '6');

  await provider.createCheckout(checkoutRequest(priceId, { offer: offer() }));
  assert.equal(fake.requestsTo('POST', '/v1/coupons').length, 1, 'the coupon is found, not created again');
  const second = fake.requestsTo('POST', '/v1/checkout/sessions')[1].params;
  assert.deepEqual(second.subscription_data, { metadata: { readerId: '42', plan: 'digital' } }, 'no trial without trial days');
});

test('an introductory coupon whose terms changed is replaced', async (t) => {
  const { fake, provider } = await setup(t);
  const priceId = await provider.ensurePrice(plan());
  await provider.createCheckout(checkoutRequest(priceId, { offer: offer() }));
  const dearer = plan({ priceCents: 900 });
  await provider.createCheckout(checkoutRequest(await provider.ensurePrice(dearer), { plan: dearer, offer: offer() }));
  assert.equal(fake.requestsTo('DELETE', '/v1/coupons/masthead-intro-half-year').length, 1);
  assert.equal(fake.coupons.get('masthead-intro-half-year')?.amountOff, 650);
});

test('the intro coupon makes the first six invoices add up to the offer, then the full price', async (t) => {
  const { fake, provider } = await setup(t);
  const { subscriptionId, events } = await subscribed(fake, provider, { offer: offer() });
  const amounts = [events.find((e) => e.type === 'invoice.paid')!.data.object.amount_paid];
  for (let month = 1; month <= 6; month++) {
    const renewal = fake.advance(subscriptionId, { outcome: 'paid' });
    amounts.push(renewal.events[0].data.object.amount_paid);
  }
  assert.deepEqual(amounts, [250, 250, 250, 250, 250, 250, 800]);
});

test('createCheckout uses an existing customer instead of the e-mail', async (t) => {
  const { fake, provider } = await setup(t);
  const customerId = fake.createCustomer('reader@example.com');
  const priceId = await provider.ensurePrice(plan());
  await provider.createCheckout(checkoutRequest(priceId, { reader: { id: 42, email: 'reader@example.com', customerId } }));
  const session = onlyRequest(fake, 'POST', '/v1/checkout/sessions');
  assert.equal(session.customer, customerId);
  assert.equal(session.customer_email, undefined);
});

test("a reader's coupon code becomes a Stripe coupon with the code's terms", async (t) => {
  const { fake, provider } = await setup(t);
  const priceId = await provider.ensurePrice(plan());
  await provider.createCheckout(checkoutRequest(priceId, { coupon: coupon() }));
  const percent = onlyRequest(fake, 'POST', '/v1/coupons');
  assert.equal(percent.id, 'masthead-SPRING');
  assert.equal(percent.percent_off, '25');
  assert.equal(percent.duration, 'once');
  assert.equal(percent.amount_off, undefined);
  assert.deepEqual(fake.requestsTo('POST', '/v1/checkout/sessions')[0].params.discounts, [{ coupon: 'masthead-SPRING' }]);

  await provider.createCheckout(checkoutRequest(priceId, {
    coupon: coupon({ code: 'NEIGHBOUR', percentOff: null, amountOffCents: 300, duration: 'repeating', durationMonths: 3 }),
  }));
  const amount = fake.requestsTo('POST', '/v1/coupons')[1].params;
  assert.deepEqual(
    { id: amount.id, amount_off: amount.amount_off, currency: amount.currency, duration: amount.duration, months: amount.duration_in_months },
    { id: 'masthead-NEIGHBOUR', amount_off: '300', currency: 'usd', duration: 'repeating', months: '3' },
  );
});

test('an introductory offer and a coupon together are refused before anything is sent', async (t) => {
  const { fake, provider } = await setup(t);
  const priceId = await provider.ensurePrice(plan());
  await assert.rejects(provider.createCheckout(checkoutRequest(priceId, { offer: offer(), coupon: coupon() })), /one discount/);
  assert.equal(fake.requestsTo('POST', '/v1/checkout/sessions').length, 0);
});

test('createPaymentCheckout is a one-off payment with the metadata on the session and the payment', async (t) => {
  const { fake, provider } = await setup(t);
  const result = await provider.createPaymentCheckout({
    email: 'giver@example.com', amountCents: 9600, currency: 'USD', description: 'A year of The Masthead, as a gift',
    successUrl: 'http://127.0.0.1:3000/gift/thanks', cancelUrl: 'http://127.0.0.1:3000/gift', metadata: { gift: 'g_1' },
  });
  const session = onlyRequest(fake, 'POST', '/v1/checkout/sessions');
  assert.equal(session.mode, 'payment');
  assert.equal(session.customer_email, 'giver@example.com');
  assert.deepEqual(session.line_items, [{ quantity: '1', price_data: { currency: 'usd', unit_amount: '9600', product_data: { name: 'A year of The Masthead, as a gift' } } }]);
  assert.deepEqual(session.metadata, { gift: 'g_1' });
  assert.deepEqual(session.payment_intent_data, { metadata: { gift: 'g_1' } });

  const { events, paymentIntentId } = fake.completeCheckout(result.checkoutId);
  assert.deepEqual(deliver(provider, fake, events[0]), {
    id: events[0].id, created: Math.floor(NOW / 1000) * 1000, kind: 'checkout.completed', checkoutId: result.checkoutId,
    subscriptionId: null, customerId: '', metadata: { gift: 'g_1' }, amountCents: 9600, currency: 'usd', paymentIntentId,
  });
});

test('retrieveSubscription reads the period from the subscription item, in ms', async (t) => {
  const { fake, provider } = await setup(t);
  const { subscriptionId, customerId, priceId } = await subscribed(fake, provider);
  const sub = await provider.retrieveSubscription(subscriptionId);
  assert.deepEqual(sub, {
    id: subscriptionId, customerId, status: 'active', priceId,
    currentPeriodStart: NOW, currentPeriodEnd: Date.UTC(2025, 1, 15, 12, 0, 0),
    cancelAtPeriodEnd: false, trialEnd: null, endedAt: null, metadata: { readerId: '42', plan: 'digital' },
  });
  assert.equal(fake.subscriptionJson(subscriptionId).current_period_end, undefined, 'the current API has no top-level period');
});

test('a trial subscription is trialing until the trial ends', async (t) => {
  const { fake, provider } = await setup(t);
  const { subscriptionId } = await subscribed(fake, provider, { offer: offer({ introTotalCents: null, introMonths: null, trialDays: 14 }) });
  const sub = await provider.retrieveSubscription(subscriptionId);
  assert.equal(sub.status, 'trialing');
  assert.equal(sub.trialEnd, NOW + 14 * DAY);
  assert.equal(sub.currentPeriodEnd, NOW + 14 * DAY);
});

test('retrieveSubscription falls back to the top-level period of older API versions', async (t) => {
  const { fake, provider } = await setup(t, { shapes: 'legacy' });
  const { subscriptionId } = await subscribed(fake, provider);
  assert.equal(fake.subscriptionJson(subscriptionId).current_period_start, Math.floor(NOW / 1000));
  const sub = await provider.retrieveSubscription(subscriptionId);
  assert.equal(sub.currentPeriodStart, NOW);
  assert.equal(sub.currentPeriodEnd, Date.UTC(2025, 1, 15, 12, 0, 0));
});

test('an unknown subscription is a Stripe invalid-request error, not a crash', async (t) => {
  const { provider } = await setup(t);
  await assert.rejects(provider.retrieveSubscription('sub_missing'), (err: unknown) => {
    assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(err.code, 'resource_missing');
    assert.equal(err.statusCode, 404);
    return true;
  });
});

test('setCancelAtPeriodEnd, switchPrice and cancelNow round-trip through Stripe', async (t) => {
  const { fake, provider } = await setup(t);
  const { subscriptionId } = await subscribed(fake, provider);

  const cancelling = await provider.setCancelAtPeriodEnd(subscriptionId, true);
  assert.equal(cancelling.cancelAtPeriodEnd, true);
  assert.equal((await provider.retrieveSubscription(subscriptionId)).cancelAtPeriodEnd, true);
  assert.equal((await provider.setCancelAtPeriodEnd(subscriptionId, false)).cancelAtPeriodEnd, false);
  assert.deepEqual(fake.requestsTo('POST', `/v1/subscriptions/${subscriptionId}`).map((r) => r.params), [
    { cancel_at_period_end: 'true' }, { cancel_at_period_end: 'false' },
  ]);

  const weekly = await provider.ensurePrice(plan({ slug: 'digital-plus', name: 'Digital + Weekly', priceCents: 1200 }));
  const switched = await provider.switchPrice(subscriptionId, weekly);
  assert.equal(switched.priceId, weekly);
  assert.equal(switched.currentPeriodStart, NOW, 'same interval: the period is kept');
  const itemId = fake.subscriptions.get(subscriptionId)!.itemId;
  assert.deepEqual(fake.requestsTo('POST', `/v1/subscriptions/${subscriptionId}`)[2].params, {
    items: [{ id: itemId, price: weekly }], proration_behavior: 'create_prorations',
  });

  const ended = await provider.cancelNow(subscriptionId);
  assert.equal(ended.status, 'canceled');
  assert.equal(ended.endedAt, NOW);
  assert.equal(fake.requestsTo('DELETE', `/v1/subscriptions/${subscriptionId}`).length, 1);
});

test('createPortalSession returns the portal URL for the customer', async (t) => {
  const { fake, provider } = await setup(t);
  const customerId = fake.createCustomer('reader@example.com');
  const { url } = await provider.createPortalSession(customerId, 'http://127.0.0.1:3000/account');
  assert.match(url, /\/p\/session\/bps_/);
  assert.deepEqual(onlyRequest(fake, 'POST', '/v1/billing_portal/sessions'), { customer: customerId, return_url: 'http://127.0.0.1:3000/account' });
});

test('a declined card leaves the checkout open and sends nothing', async (t) => {
  const { fake, provider } = await setup(t);
  const priceId = await provider.ensurePrice(plan());
  const { checkoutId } = await provider.createCheckout(checkoutRequest(priceId));
  assert.deepEqual(fake.completeCheckout(checkoutId, { card: 'declined' }).events, []);
  assert.equal(fake.subscriptions.size, 0);
  assert.equal(fake.completeCheckout(checkoutId, { card: 'ok' }).events.length, 3);
});

test('verifyWebhook accepts a delivery signed within five minutes of now, by our clock', async (t) => {
  const { fake, provider } = await setup(t);
  const event = fake.makeEvent('charge.succeeded', { id: 'ch_1', object: 'charge' });
  // Signed at NOW (January 2025): had the SDK used the machine's clock, it would be stale.
  const { body, signature } = fake.signedDelivery(event, { secret: WEBHOOK_SECRET, timestamp: NOW / 1000 - 300 });
  assert.deepEqual(provider.verifyWebhook(body, signature, NOW), { id: event.id, created: NOW, kind: 'ignored', type: 'charge.succeeded' });
});

test('verifyWebhook refuses a wrong secret, a re-serialised body, no header and a stale timestamp', async (t) => {
  const { fake, provider } = await setup(t);
  const { events } = await subscribed(fake, provider);
  const event = events[0];
  const good = fake.signedDelivery(event, { secret: WEBHOOK_SECRET });
  assert.equal(provider.verifyWebhook(good.body, good.signature, NOW).kind, 'checkout.completed');

  const wrongSecret = fake.signedDelivery(event, { secret: 'whsec_someone_else' });
  assert.throws(() => provider.verifyWebhook(wrongSecret.body, wrongSecret.signature, NOW), SignatureError);

  const reserialised = JSON.stringify(JSON.parse(good.body));
  assert.notEqual(reserialised, good.body);
  assert.throws(() => provider.verifyWebhook(reserialised, good.signature, NOW), SignatureError);

  assert.throws(() => provider.verifyWebhook(good.body, null, NOW), SignatureError);
  assert.throws(() => provider.verifyWebhook(good.body, '', NOW), SignatureError);
  assert.throws(() => provider.verifyWebhook(good.body, 'garbage', NOW), SignatureError);

  const stale = fake.signedDelivery(event, { secret: WEBHOOK_SECRET, timestamp: (NOW - 6 * 60_000) / 1000 });
  assert.throws(() => provider.verifyWebhook(stale.body, stale.signature, NOW), SignatureError);
  assert.doesNotThrow(() => provider.verifyWebhook(stale.body, stale.signature, NOW - 60_000), 'one minute old by that clock');
});

test('a checkout, its renewals and changes map to the kinds billing acts on', async (t) => {
  const { fake, provider } = await setup(t);
  const { events, checkout, subscriptionId, customerId, invoiceId } = await subscribed(fake, provider, { offer: offer() });
  const created = Math.floor(NOW / 1000) * 1000;
  assert.deepEqual(events.map((e) => deliver(provider, fake, e)), [
    {
      id: events[0].id, created, kind: 'checkout.completed', checkoutId: checkout.checkoutId, subscriptionId, customerId,
      metadata: { readerId: '42', plan: 'digital' }, amountCents: 250, currency: 'usd', paymentIntentId: null,
    },
    { id: events[1].id, created, kind: 'subscription.changed', subscriptionId },
    { id: events[2].id, created, kind: 'invoice.paid', invoiceId: invoiceId!, subscriptionId, amountCents: 250, currency: 'usd' },
  ]);

  const failed = fake.advance(subscriptionId, { outcome: 'failed' });
  assert.deepEqual(failed.events.map((e) => deliver(provider, fake, e)), [
    { id: failed.events[0].id, created, kind: 'invoice.payment_failed', invoiceId: failed.invoiceId!, subscriptionId, amountCents: 250, currency: 'usd' },
    { id: failed.events[1].id, created, kind: 'subscription.changed', subscriptionId },
  ]);
  assert.equal((await provider.retrieveSubscription(subscriptionId)).status, 'past_due');

  const updated = fake.update(subscriptionId, { cancelAtPeriodEnd: true });
  assert.deepEqual(updated.data.previous_attributes?.cancel_at_period_end, false);
  assert.equal(deliver(provider, fake, updated).kind, 'subscription.changed');
  const deleted = fake.cancel(subscriptionId);
  assert.equal(deleted.type, 'customer.subscription.deleted');
  assert.deepEqual(deliver(provider, fake, deleted), { id: deleted.id, created, kind: 'subscription.changed', subscriptionId });
});

test('every subscription event type is a subscription change; others are ignored', async (t) => {
  const { fake, provider } = await setup(t);
  const { subscriptionId, events } = await subscribed(fake, provider);
  const subscription = fake.subscriptionJson(subscriptionId);
  for (const type of ['created', 'updated', 'deleted', 'paused', 'resumed', 'trial_will_end']) {
    const mapped = deliver(provider, fake, fake.makeEvent(`customer.subscription.${type}`, subscription));
    assert.equal(mapped.kind, 'subscription.changed', type);
  }
  const invoice = events.find((e) => e.type === 'invoice.paid')!.data.object;
  const succeeded = deliver(provider, fake, fake.makeEvent('invoice.payment_succeeded', invoice));
  assert.equal(succeeded.kind, 'invoice.paid');
  for (const type of ['customer.created', 'invoice.finalized', 'payment_intent.succeeded', 'checkout.session.expired']) {
    assert.deepEqual(deliver(provider, fake, fake.makeEvent(type, { id: 'x_1' })).kind, 'ignored', type);
  }
});

test("an invoice's subscription is found in both the current and the older API shape", async (t) => {
  for (const shapes of ['current', 'legacy'] as const) {
    const { fake, provider } = await setup(t, { shapes });
    const { events, subscriptionId } = await subscribed(fake, provider);
    const invoice = events.find((e) => e.type === 'invoice.paid')!;
    assert.equal('subscription' in invoice.data.object, shapes === 'legacy');
    assert.equal('parent' in invoice.data.object, shapes === 'current');
    const paid = deliver(provider, fake, invoice);
    assert.equal(paid.kind === 'invoice.paid' && paid.subscriptionId, subscriptionId, shapes);
    const failed = fake.advance(subscriptionId, { outcome: 'failed' }).events[0];
    const mapped = deliver(provider, fake, failed);
    assert.equal(mapped.kind === 'invoice.payment_failed' && mapped.subscriptionId, subscriptionId, shapes);
  }
  const { fake, provider } = await setup(t);
  const orphan = deliver(provider, fake, fake.makeEvent('invoice.paid', { id: 'in_manual', object: 'invoice', amount_paid: 500, amount_due: 500, currency: 'usd', parent: null }));
  assert.equal(orphan.kind === 'invoice.paid' && orphan.subscriptionId, null, 'a one-off invoice has no subscription');
});
