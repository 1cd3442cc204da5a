// The Stripe payment provider: plans become Stripe prices, checkouts become Checkout
// Sessions, and verified webhook events are reduced to the few kinds billing acts on.
import Stripe from 'stripe';
import { SignatureError } from '../types.ts';
import type {
  CheckoutRequest,
  Coupon,
  Offer,
  PaymentProvider,
  PaymentRequest,
  Plan,
  ProviderEvent,
  ProviderStatus,
  ProviderSubscription,
} from '../types.ts';

export interface StripeProviderOptions {
  secretKey: string;
  webhookSecret: string;
  /** Another API server (a local fake in tests); Stripe's own by default. */
  api?: { host: string; port: number; protocol: 'http' | 'https' };
}

/** Stripe's default; a delivery signed longer ago than this is refused (replay window). */
const WEBHOOK_TOLERANCE_SECONDS = 300;

const PROVIDER_STATUSES: ReadonlySet<string> = new Set<ProviderStatus>([
  'incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'paused',
]);

/** The terms a Stripe coupon must carry; compared with an existing coupon of the same id. */
interface CouponTerms {
  name: string;
  amountOff: number | null;
  percentOff: number | null;
  currency: string | null;
  duration: 'once' | 'repeating' | 'forever';
  durationInMonths: number | null;
}

export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  readonly #stripe: Stripe;
  readonly #webhookSecret: string;

  constructor(options: StripeProviderOptions) {
    this.#webhookSecret = options.webhookSecret;
    this.#stripe = new Stripe(options.secretKey, {
      ...(options.api ?? {}),
      // POSTs carry SDK-generated idempotency keys, so retries cannot double-create.
      maxNetworkRetries: 2,
      timeout: 20_000,
    });
  }

  async ensurePrice(plan: Plan): Promise<string> {
    const currency = plan.currency.toLowerCase();
    // Price terms are immutable in Stripe, so the key names them all: a changed price gets a new key.
    const lookupKey = `masthead_${plan.slug}_${plan.priceCents}_${currency}_${plan.interval}`;
    const found = await this.#stripe.prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 });
    const existing = found.data[0];
    if (existing) return existing.id;
    const product = await this.#stripe.products.create({ name: plan.name, metadata: { masthead_plan: plan.slug } });
    const price = await this.#stripe.prices.create({
      product: product.id,
      currency,
      unit_amount: plan.priceCents,
      recurring: { interval: plan.interval },
      lookup_key: lookupKey,
      // Two instances racing here create identical prices; the later one takes the key instead of failing.
      transfer_lookup_key: true,
      metadata: { masthead_plan: plan.slug },
    });
    return price.id;
  }

  async createCheckout(req: CheckoutRequest): Promise<{ url: string; checkoutId: string }> {
    const intro = req.offer ? introCouponTerms(req.plan, req.offer) : null;
    if (intro && req.coupon) {
      // Checkout applies at most one discount; which one wins is billing's decision, not ours.
      throw new Error('Stripe Checkout takes one discount: pass either an introductory offer or a coupon, not both');
    }
    let couponId: string | null = null;
    if (intro && req.offer) couponId = await this.#ensureCoupon(`masthead-intro-${req.offer.slug}`, intro);
    if (req.coupon) couponId = await this.#ensureCoupon(`masthead-${req.coupon.code}`, readerCouponTerms(req.coupon, req.plan));

    const trialDays = req.offer?.trialDays ?? 0;
    const session = await this.#stripe.checkout.sessions.create({
      mode: 'subscription',
      ...(req.reader.customerId ? { customer: req.reader.customerId } : { customer_email: req.reader.email }),
      client_reference_id: String(req.reader.id),
      line_items: [{ price: req.priceId, quantity: 1 }],
      metadata: req.metadata,
      // The subscription, and every event about it, carries the reader and plan.
      subscription_data: {
        metadata: req.metadata,
        ...(trialDays > 0 ? { trial_period_days: trialDays } : {}),
      },
      ...(couponId ? { discounts: [{ coupon: couponId }] } : {}),
      success_url: req.successUrl,
      cancel_url: req.cancelUrl,
    });
    return { url: requireUrl(session.url, session.id), checkoutId: session.id };
  }

  async createPaymentCheckout(req: PaymentRequest): Promise<{ url: string; checkoutId: string }> {
    const session = await this.#stripe.checkout.sessions.create({
      mode: 'payment',
      customer_email: req.email,
      line_items: [{
        quantity: 1,
        price_data: { currency: req.currency.toLowerCase(), unit_amount: req.amountCents, product_data: { name: req.description } },
      }],
      metadata: req.metadata,
      payment_intent_data: { metadata: req.metadata },
      success_url: req.successUrl,
      cancel_url: req.cancelUrl,
    });
    return { url: requireUrl(session.url, session.id), checkoutId: session.id };
  }

  async retrieveSubscription(subscriptionId: string): Promise<ProviderSubscription> {
    return toProviderSubscription(await this.#stripe.subscriptions.retrieve(subscriptionId));
  }

  async setCancelAtPeriodEnd(subscriptionId: string, cancel: boolean): Promise<ProviderSubscription> {
    return toProviderSubscription(await this.#stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: cancel }));
  }

  async switchPrice(subscriptionId: string, priceId: string): Promise<ProviderSubscription> {
    const current = await this.#stripe.subscriptions.retrieve(subscriptionId);
    const item = singleItem(current);
    const updated = await this.#stripe.subscriptions.update(subscriptionId, {
      // Naming the existing item replaces its price; without the id Stripe would add a second item.
      items: [{ id: item.id, price: priceId }],
      proration_behavior: 'create_prorations',
    });
    return toProviderSubscription(updated);
  }

  async cancelNow(subscriptionId: string): Promise<ProviderSubscription> {
    return toProviderSubscription(await this.#stripe.subscriptions.cancel(subscriptionId));
  }

  async createPortalSession(customerId: string, returnUrl: string): Promise<{ url: string }> {
    const session = await this.#stripe.billingPortal.sessions.create({ customer: customerId, return_url: returnUrl });
    return { url: session.url };
  }

  verifyWebhook(rawBody: string, signatureHeader: string | null, now: number): ProviderEvent {
    if (!signatureHeader) throw new SignatureError('missing Stripe-Signature header');
    let event: Stripe.Event;
    try {
      // receivedAt (ms) makes the replay window relative to our clock, not the machine's.
      event = this.#stripe.webhooks.constructEvent(rawBody, signatureHeader, this.#webhookSecret, WEBHOOK_TOLERANCE_SECONDS, undefined, now);
    } catch (err) {
      throw new SignatureError(err instanceof Error ? err.message : 'invalid Stripe webhook', { cause: err });
    }
    return toProviderEvent(event);
  }

  /**
   * Finds the coupon by its deterministic id, or creates it. Stripe coupons cannot be edited,
   * so one whose terms no longer match (the plan's price or the code changed) is replaced;
   * deleting it leaves subscriptions that already use it untouched.
   */
  async #ensureCoupon(id: string, terms: CouponTerms): Promise<string> {
    const existing = await this.#retrieveCoupon(id);
    if (existing && existing.valid && couponMatches(existing, terms)) return id;
    if (existing) await this.#stripe.coupons.del(id).catch(ignoreCode('resource_missing'));
    try {
      await this.#stripe.coupons.create({
        id,
        name: terms.name,
        duration: terms.duration,
        ...(terms.duration === 'repeating' && terms.durationInMonths ? { duration_in_months: terms.durationInMonths } : {}),
        ...(terms.amountOff !== null ? { amount_off: terms.amountOff, currency: terms.currency ?? undefined } : {}),
        ...(terms.percentOff !== null ? { percent_off: terms.percentOff } : {}),
      });
    } catch (err) {
      // Another instance created the same coupon a moment ago; equal terms make it ours too.
      if (!hasCode(err, 'resource_already_exists')) throw err;
      const raced = await this.#retrieveCoupon(id);
      if (!raced || !couponMatches(raced, terms)) throw err;
    }
    return id;
  }

  async #retrieveCoupon(id: string): Promise<Stripe.Coupon | null> {
    try {
      return await this.#stripe.coupons.retrieve(id);
    } catch (err) {
      if (hasCode(err, 'resource_missing')) return null;
      throw err;
    }
  }
}

/**
 * "$15 for 6 months" on an $8/month plan is $5.50 off each of the first 6 monthly invoices.
 * For a yearly plan the intro total is spread over the yearly invoices it covers.
 */
function introCouponTerms(plan: Plan, offer: Offer): CouponTerms | null {
  if (offer.introTotalCents === null || !offer.introMonths || offer.introMonths <= 0) return null;
  const monthsPerInvoice = plan.interval === 'year' ? 12 : 1;
  const introPerInvoice = Math.round((offer.introTotalCents * monthsPerInvoice) / offer.introMonths);
  const amountOff = plan.priceCents - introPerInvoice;
  if (amountOff <= 0) return null;
  return {
    name: offer.headline.slice(0, 40), // Stripe caps coupon names at 40 characters
    amountOff,
    percentOff: null,
    currency: plan.currency.toLowerCase(),
    duration: 'repeating',
    durationInMonths: offer.introMonths,
  };
}

function readerCouponTerms(coupon: Coupon, plan: Plan): CouponTerms {
  if (coupon.percentOff === null && coupon.amountOffCents === null) {
    throw new Error(`coupon ${coupon.code} has neither a percentage nor an amount off`);
  }
  if (coupon.duration === 'repeating' && !coupon.durationMonths) {
    throw new Error(`coupon ${coupon.code} repeats but has no duration in months`);
  }
  const isAmount = coupon.percentOff === null;
  return {
    name: coupon.code.slice(0, 40),
    amountOff: isAmount ? coupon.amountOffCents : null,
    percentOff: isAmount ? null : coupon.percentOff,
    currency: isAmount ? plan.currency.toLowerCase() : null,
    duration: coupon.duration,
    durationInMonths: coupon.duration === 'repeating' ? coupon.durationMonths : null,
  };
}

function couponMatches(c: Stripe.Coupon, t: CouponTerms): boolean {
  return (c.amount_off ?? null) === t.amountOff
    && (c.percent_off ?? null) === t.percentOff
    && (t.amountOff === null || (c.currency ?? '').toLowerCase() === t.currency)
    && c.duration === t.duration
    && (t.duration !== 'repeating' || c.duration_in_months === t.durationInMonths);
}

function hasCode(err: unknown, code: string): boolean {
  return err instanceof Stripe.errors.StripeError && err.code === code;
}

function ignoreCode(code: string): (err: unknown) => void {
  return (err) => {
    if (!hasCode(err, code)) throw err;
  };
}

function requireUrl(url: string | null, sessionId: string): string {
  if (!url) throw new Error(`Stripe returned no URL for checkout session ${sessionId}`);
  return url;
}

function idOf(ref: string | { id: string } | null | undefined): string | null {
  if (ref === null || ref === undefined) return null;
  return typeof ref === 'string' ? ref : ref.id;
}

function singleItem(sub: Stripe.Subscription): Stripe.SubscriptionItem {
  const item = sub.items.data[0];
  if (!item || sub.items.data.length !== 1) {
    throw new Error(`Stripe subscription ${sub.id} has ${sub.items.data.length} items; Masthead expects exactly one`);
  }
  return item;
}

const ms = (seconds: number): number => seconds * 1000;

export function toProviderSubscription(sub: Stripe.Subscription): ProviderSubscription {
  const item = singleItem(sub);
  // Since API 2025-03-31 the period lives on each item; older versions put it on the subscription.
  const legacy = sub as unknown as { current_period_start?: number; current_period_end?: number };
  const start = item.current_period_start ?? legacy.current_period_start;
  const end = item.current_period_end ?? legacy.current_period_end;
  if (typeof start !== 'number' || typeof end !== 'number') {
    throw new Error(`Stripe subscription ${sub.id} carries no current period`);
  }
  // An unknown status must not be guessed into one that grants or removes access.
  if (!PROVIDER_STATUSES.has(sub.status)) throw new Error(`Stripe subscription ${sub.id} has unknown status ${sub.status}`);
  return {
    id: sub.id,
    customerId: idOf(sub.customer) ?? '',
    status: sub.status as ProviderStatus,
    priceId: item.price.id,
    currentPeriodStart: ms(start),
    currentPeriodEnd: ms(end),
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    trialEnd: sub.trial_end === null ? null : ms(sub.trial_end),
    endedAt: sub.ended_at === null ? null : ms(sub.ended_at),
    metadata: { ...sub.metadata },
  };
}

/** An invoice's subscription: `parent.subscription_details` since API 2025-03-31, top-level `subscription` before. */
function invoiceSubscriptionId(invoice: Stripe.Invoice): string | null {
  const modern = idOf(invoice.parent?.subscription_details?.subscription);
  if (modern) return modern;
  const legacy = invoice as unknown as { subscription?: string | { id: string } | null };
  return idOf(legacy.subscription);
}

export function toProviderEvent(event: Stripe.Event): ProviderEvent {
  const base = { id: event.id, created: ms(event.created) };
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object;
      return {
        ...base,
        kind: 'checkout.completed',
        checkoutId: session.id,
        subscriptionId: idOf(session.subscription),
        // Payment-mode sessions for a bare e-mail create no customer.
        customerId: idOf(session.customer) ?? '',
        metadata: { ...(session.metadata ?? {}) },
        amountCents: session.amount_total ?? 0,
        currency: session.currency ?? '',
        paymentIntentId: idOf(session.payment_intent),
      };
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
    case 'customer.subscription.paused':
    case 'customer.subscription.resumed':
    case 'customer.subscription.trial_will_end':
      // Events arrive out of order; billing re-reads the subscription instead of trusting the snapshot.
      return { ...base, kind: 'subscription.changed', subscriptionId: event.data.object.id };
    case 'invoice.paid':
    case 'invoice.payment_succeeded': {
      // Stripe sends both for one payment (different event ids): key payments on invoiceId.
      const invoice = event.data.object;
      return {
        ...base,
        kind: 'invoice.paid',
        invoiceId: invoice.id,
        subscriptionId: invoiceSubscriptionId(invoice),
        amountCents: invoice.amount_paid,
        currency: invoice.currency,
      };
    }
    case 'invoice.payment_failed': {
      const invoice = event.data.object;
      return {
        ...base,
        kind: 'invoice.payment_failed',
        invoiceId: invoice.id,
        subscriptionId: invoiceSubscriptionId(invoice),
        amountCents: invoice.amount_due,
        currency: invoice.currency,
      };
    }
    default:
      return { ...base, kind: 'ignored', type: event.type };
  }
}
