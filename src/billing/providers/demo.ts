// The built-in demo payment provider: a stand-in for Stripe that keeps its own books in the
// database, takes test card numbers on a page clearly marked as a test, and sends signed,
// Stripe-shaped events to /webhooks/demo — so the demo drives the very same checkout,
// webhook and subscription code as Stripe does.
import crypto from 'node:crypto';
import type { Db, Tx } from '../../db/database.ts';
import {
  SignatureError,
  type CheckoutRequest, type PaymentProvider, type PaymentRequest, type Plan, type ProviderEvent, type ProviderStatus, type ProviderSubscription,
} from '../types.ts';
import { addInterval } from '../intervals.ts';

// Still exported from here for the tests that compute the demo's period ends.
export { addInterval };

export const DEMO_CARDS = {
  '4242424242424242': { label: 'succeeds', behaviour: 'ok' },
  '4000000000000002': { label: 'is declined', behaviour: 'declined' },
  '4000000000000341': { label: 'succeeds now, then fails at renewal', behaviour: 'fails-later' },
} as const;
type CardBehaviour = 'ok' | 'fails-later';

const DAY = 86_400_000;
const RETRY_MS = DAY;
const GIVE_UP_MS = 7 * DAY;
const TOLERANCE_S = 300;

interface DemoPrice { id: string; amountCents: number; currency: string; interval: 'month' | 'year'; planSlug: string }
interface DemoDiscount { amountOffCents: number; remainingPeriods: number | null }
interface DemoCheckout {
  id: string;
  mode: 'subscription' | 'payment';
  status: 'open' | 'complete';
  email: string;
  customerId: string | null;
  priceId: string | null;
  trialDays: number | null;
  discount: DemoDiscount | null;
  amountCents: number;
  currency: string;
  description: string;
  metadata: Record<string, string>;
  successUrl: string;
  cancelUrl: string;
}
interface DemoCustomer { id: string; email: string; last4: string; behaviour: CardBehaviour }
interface DemoSubscription {
  id: string;
  customerId: string;
  priceId: string;
  status: ProviderStatus;
  currentPeriodStart: number;
  currentPeriodEnd: number;
  cancelAtPeriodEnd: boolean;
  trialEnd: number | null;
  endedAt: number | null;
  pastDueSince: number | null;
  nextRetryAt: number | null;
  /** The renewal invoice being retried: retries charge the same invoice, as Stripe's do. */
  openInvoiceId?: string | null;
  discount: DemoDiscount | null;
  metadata: Record<string, string>;
}

export type PayResult = { ok: true; redirectTo: string } | { ok: false; reason: 'card-declined' | 'unknown-card' | 'checkout-closed' | 'already-subscribed' };

function id(prefix: string): string {
  return `${prefix}_demo_${crypto.randomBytes(9).toString('base64url')}`;
}

export function signDemoPayload(body: string, secret: string, timestampS: number): string {
  const v1 = crypto.createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex');
  return `t=${timestampS},v1=${v1}`;
}

export class DemoProvider implements PaymentProvider {
  readonly name = 'demo' as const;

  constructor(private readonly opts: { db: Db; publicUrl: () => string; webhookSecret: string; now: () => number }) {}

  private async get<T>(db: Db | Tx, key: string): Promise<T | null> {
    const row = await db.selectFrom('demo_billing').select('data').where('id', '=', key).executeTakeFirst();
    return row ? (JSON.parse(row.data) as T) : null;
  }

  private async put(db: Db | Tx, kind: string, key: string, data: object): Promise<void> {
    const now = this.opts.now();
    const json = JSON.stringify(data);
    await db
      .insertInto('demo_billing')
      .values({ id: key, kind, data: json, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ data: json, updated_at: now }))
      .execute();
  }

  /** Queues a Stripe-shaped event for delivery to /webhooks/demo. */
  private async emit(tx: Tx, type: string, object: object): Promise<void> {
    const now = this.opts.now();
    const eventId = id('evt');
    const payload = JSON.stringify({ id: eventId, type, created: Math.floor(now / 1000), data: { object } });
    await tx.insertInto('demo_deliveries').values({ event_id: eventId, payload, attempts: 0, next_attempt_at: now, delivered_at: null, created_at: now }).execute();
  }

  async ensurePrice(plan: Plan): Promise<string> {
    const priceId = `price_demo_${plan.slug}_${plan.priceCents}_${plan.currency}_${plan.interval}`;
    await this.put(this.opts.db, 'price', priceId, { id: priceId, amountCents: plan.priceCents, currency: plan.currency, interval: plan.interval, planSlug: plan.slug } satisfies DemoPrice);
    return priceId;
  }

  async createCheckout(req: CheckoutRequest): Promise<{ url: string; checkoutId: string }> {
    const checkoutId = id('cs');
    const { plan, offer, coupon } = req;
    let discount: DemoDiscount | null = null;
    if (offer?.introTotalCents != null && offer.introMonths) {
      discount = { amountOffCents: plan.priceCents - Math.round(offer.introTotalCents / offer.introMonths), remainingPeriods: offer.introMonths };
    } else if (coupon) {
      const off = coupon.percentOff ? Math.round((plan.priceCents * coupon.percentOff) / 100) : coupon.amountOffCents ?? 0;
      // A coupon's months as billing periods: "3 months" covers one invoice of a yearly plan.
      const periods = coupon.duration === 'once' ? 1 : coupon.duration === 'repeating' ? Math.ceil((coupon.durationMonths ?? 1) / (plan.interval === 'year' ? 12 : 1)) : null;
      discount = { amountOffCents: Math.min(off, plan.priceCents), remainingPeriods: periods };
    }
    const checkout: DemoCheckout = {
      id: checkoutId,
      mode: 'subscription',
      status: 'open',
      email: req.reader.email,
      customerId: req.reader.customerId,
      priceId: req.priceId,
      trialDays: offer?.trialDays ?? null,
      discount,
      amountCents: plan.priceCents - (discount?.amountOffCents ?? 0),
      currency: plan.currency,
      description: offer?.headline ?? plan.name,
      metadata: req.metadata,
      successUrl: req.successUrl,
      cancelUrl: req.cancelUrl,
    };
    await this.put(this.opts.db, 'checkout', checkoutId, checkout);
    return { url: `${this.opts.publicUrl()}/billing/demo/checkout/${checkoutId}`, checkoutId };
  }

  async createPaymentCheckout(req: PaymentRequest): Promise<{ url: string; checkoutId: string }> {
    const checkoutId = id('cs');
    const checkout: DemoCheckout = {
      id: checkoutId, mode: 'payment', status: 'open', email: req.email, customerId: null, priceId: null, trialDays: null, discount: null,
      amountCents: req.amountCents, currency: req.currency, description: req.description, metadata: req.metadata, successUrl: req.successUrl, cancelUrl: req.cancelUrl,
    };
    await this.put(this.opts.db, 'checkout', checkoutId, checkout);
    return { url: `${this.opts.publicUrl()}/billing/demo/checkout/${checkoutId}`, checkoutId };
  }

  /** What the checkout page shows. */
  async checkout(checkoutId: string): Promise<DemoCheckout | null> {
    if (!/^cs_demo_[A-Za-z0-9_-]{12}$/.test(checkoutId)) return null;
    return this.get<DemoCheckout>(this.opts.db, checkoutId);
  }

  /** The customer pays on the demo checkout page. One transaction: the books and the events. */
  async pay(checkoutId: string, cardNumber: string): Promise<PayResult> {
    const card = DEMO_CARDS[cardNumber.replace(/[\s-]/g, '') as keyof typeof DEMO_CARDS];
    if (!card) return { ok: false, reason: 'unknown-card' };
    if (card.behaviour === 'declined') return { ok: false, reason: 'card-declined' };
    const now = this.opts.now();
    const last4 = cardNumber.replace(/\D/g, '').slice(-4);
    return this.opts.db.transaction().execute(async (tx) => {
      // A double click on Pay: lock the checkout's row first (PostgreSQL), so the second
      // payment waits for the first and then finds the checkout complete.
      await tx.updateTable('demo_billing').set({ updated_at: now }).where('id', '=', checkoutId).execute();
      const checkout = await this.get<DemoCheckout>(tx, checkoutId);
      if (!checkout || checkout.status !== 'open') return { ok: false, reason: 'checkout-closed' } as const;
      const redirectTo = checkout.successUrl.replace('{CHECKOUT_SESSION_ID}', checkoutId);
      checkout.status = 'complete';

      if (checkout.mode === 'payment') {
        await this.put(tx, 'checkout', checkoutId, checkout);
        await this.emit(tx, 'checkout.session.completed', { id: checkoutId, mode: 'payment', subscription: null, customer: null, metadata: checkout.metadata, amount_total: checkout.amountCents, currency: checkout.currency, payment_intent: id('pi') });
        return { ok: true, redirectTo } as const;
      }

      // Two tabs, or a double click: a reader holds at most one live subscription here.
      const readerId = checkout.metadata.readerId;
      // Two tabs paying at once: a row per reader, written (so locked) before looking.
      if (readerId) await this.put(tx, 'lock', `lock_reader_${readerId}`, { readerId });
      const live = await tx.selectFrom('demo_billing').select('data').where('kind', '=', 'subscription').execute();
      if (readerId && live.some((r) => { const s = JSON.parse(r.data) as DemoSubscription; return s.metadata.readerId === readerId && !['canceled', 'incomplete_expired', 'unpaid'].includes(s.status); })) {
        return { ok: false, reason: 'already-subscribed' } as const;
      }

      const customer: DemoCustomer = (checkout.customerId ? await this.get<DemoCustomer>(tx, checkout.customerId) : null) ?? { id: id('cus'), email: checkout.email, last4, behaviour: 'ok' };
      customer.last4 = last4;
      customer.behaviour = card.behaviour;
      await this.put(tx, 'customer', customer.id, customer);
      const price = (await this.get<DemoPrice>(tx, checkout.priceId!))!;
      const isTrial = Boolean(checkout.trialDays);
      const sub: DemoSubscription = {
        id: id('sub'),
        customerId: customer.id,
        priceId: price.id,
        status: isTrial ? 'trialing' : 'active',
        currentPeriodStart: now,
        currentPeriodEnd: isTrial ? now + checkout.trialDays! * DAY : addInterval(now, price.interval),
        cancelAtPeriodEnd: false,
        trialEnd: isTrial ? now + checkout.trialDays! * DAY : null,
        endedAt: null,
        pastDueSince: null,
        nextRetryAt: null,
        discount: checkout.discount,
        metadata: checkout.metadata,
      };
      const amount = isTrial ? 0 : this.charge(sub, price);
      await this.put(tx, 'subscription', sub.id, sub);
      await this.put(tx, 'checkout', checkoutId, checkout);
      await this.emit(tx, 'checkout.session.completed', { id: checkoutId, mode: 'subscription', subscription: sub.id, customer: customer.id, metadata: checkout.metadata, amount_total: amount, currency: price.currency, payment_intent: null });
      await this.emit(tx, 'customer.subscription.created', { id: sub.id });
      await this.emit(tx, 'invoice.paid', { id: id('in'), subscription: sub.id, amount_paid: amount, currency: price.currency });
      return { ok: true, redirectTo } as const;
    });
  }

  /** The amount for one period, using up one period of any discount. */
  private charge(sub: DemoSubscription, price: DemoPrice): number {
    const amount = amountDue(sub, price);
    if (sub.discount?.remainingPeriods) sub.discount.remainingPeriods -= 1;
    return amount;
  }

  async retrieveSubscription(subscriptionId: string): Promise<ProviderSubscription> {
    const sub = await this.get<DemoSubscription>(this.opts.db, subscriptionId);
    if (!sub) throw new Error(`no such demo subscription ${subscriptionId}`);
    return toProvider(sub);
  }

  private async update(subscriptionId: string, change: (sub: DemoSubscription) => string | null): Promise<ProviderSubscription> {
    return this.opts.db.transaction().execute(async (tx) => {
      const sub = await this.get<DemoSubscription>(tx, subscriptionId);
      if (!sub) throw new Error(`no such demo subscription ${subscriptionId}`);
      const eventType = change(sub);
      await this.put(tx, 'subscription', sub.id, sub);
      if (eventType) await this.emit(tx, eventType, { id: sub.id });
      return toProvider(sub);
    });
  }

  setCancelAtPeriodEnd(subscriptionId: string, cancel: boolean): Promise<ProviderSubscription> {
    return this.update(subscriptionId, (sub) => {
      if (sub.status === 'canceled' || sub.cancelAtPeriodEnd === cancel) return null;
      sub.cancelAtPeriodEnd = cancel;
      return 'customer.subscription.updated';
    });
  }

  switchPrice(subscriptionId: string, priceId: string): Promise<ProviderSubscription> {
    return this.update(subscriptionId, (sub) => {
      if (sub.priceId === priceId || sub.status === 'canceled') return null;
      sub.priceId = priceId;
      return 'customer.subscription.updated';
    });
  }

  cancelNow(subscriptionId: string): Promise<ProviderSubscription> {
    return this.update(subscriptionId, (sub) => {
      if (sub.status === 'canceled') return null;
      sub.status = 'canceled';
      sub.endedAt = this.opts.now();
      return 'customer.subscription.deleted';
    });
  }

  async createPortalSession(customerId: string, returnUrl: string): Promise<{ url: string }> {
    const token = `${customerId}.${crypto.createHmac('sha256', this.opts.webhookSecret).update(`portal:${customerId}`).digest('base64url')}`;
    return { url: `${this.opts.publicUrl()}/billing/demo/portal/${token}?return=${encodeURIComponent(returnUrl)}` };
  }

  /** The customer named by a portal link, if the link is genuine. */
  async portalCustomer(token: string): Promise<DemoCustomer | null> {
    const dot = token.lastIndexOf('.');
    if (dot < 0) return null;
    const customerId = token.slice(0, dot);
    const expected = crypto.createHmac('sha256', this.opts.webhookSecret).update(`portal:${customerId}`).digest('base64url');
    const given = token.slice(dot + 1);
    if (given.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return null;
    return this.get<DemoCustomer>(this.opts.db, customerId);
  }

  /** Updates the card on file; a past-due subscription is retried with it at once. */
  async updateCard(customerId: string, cardNumber: string): Promise<{ ok: true } | { ok: false; reason: 'card-declined' | 'unknown-card' }> {
    const card = DEMO_CARDS[cardNumber.replace(/[\s-]/g, '') as keyof typeof DEMO_CARDS];
    if (!card) return { ok: false, reason: 'unknown-card' };
    if (card.behaviour === 'declined') return { ok: false, reason: 'card-declined' };
    await this.opts.db.transaction().execute(async (tx) => {
      const customer = await this.get<DemoCustomer>(tx, customerId);
      if (!customer) return;
      customer.behaviour = card.behaviour;
      customer.last4 = cardNumber.replace(/\D/g, '').slice(-4);
      await this.put(tx, 'customer', customer.id, customer);
      const subs = await tx.selectFrom('demo_billing').select('data').where('kind', '=', 'subscription').execute();
      for (const row of subs) {
        const sub = JSON.parse(row.data) as DemoSubscription;
        if (sub.customerId === customerId && sub.status === 'past_due') sub.nextRetryAt = this.opts.now();
        await this.put(tx, 'subscription', sub.id, sub);
      }
    });
    await this.advance();
    return { ok: true };
  }

  /** The card on file, for the portal page. */
  async customer(customerId: string): Promise<DemoCustomer | null> {
    return this.get<DemoCustomer>(this.opts.db, customerId);
  }

  /**
   * Time passes: renew subscriptions whose period is over, retry failed renewals daily, end
   * the ones canceled at period end or past due for too long. Run by the app's timers.
   */
  async advance(): Promise<number> {
    const now = this.opts.now();
    const rows = await this.opts.db.selectFrom('demo_billing').select('id').where('kind', '=', 'subscription').execute();
    let changed = 0;
    for (const { id: subId } of rows) {
      await this.opts.db.transaction().execute(async (tx) => {
        const sub = await this.get<DemoSubscription>(tx, subId);
        if (!sub || sub.status === 'canceled') return;
        const isDueRetry = sub.status === 'past_due' && sub.nextRetryAt !== null && sub.nextRetryAt <= now;
        if (sub.currentPeriodEnd > now && !isDueRetry) return;
        if (sub.cancelAtPeriodEnd && sub.currentPeriodEnd <= now) {
          sub.status = 'canceled';
          sub.endedAt = sub.currentPeriodEnd;
          await this.put(tx, 'subscription', sub.id, sub);
          await this.emit(tx, 'customer.subscription.deleted', { id: sub.id });
          changed += 1;
          return;
        }
        if (sub.status === 'past_due' && !isDueRetry) return;
        const price = (await this.get<DemoPrice>(tx, sub.priceId))!;
        const customer = (await this.get<DemoCustomer>(tx, sub.customerId))!;
        const invoiceId = sub.openInvoiceId ?? id('in');
        if (customer.behaviour === 'ok') {
          const amount = this.charge(sub, price);
          const periodStart = sub.status === 'past_due' ? now : sub.currentPeriodEnd;
          sub.currentPeriodStart = periodStart;
          sub.currentPeriodEnd = addInterval(periodStart, price.interval);
          sub.status = 'active';
          sub.trialEnd = null;
          sub.pastDueSince = null;
          sub.nextRetryAt = null;
          sub.openInvoiceId = null;
          await this.put(tx, 'subscription', sub.id, sub);
          await this.emit(tx, 'invoice.paid', { id: invoiceId, subscription: sub.id, amount_paid: amount, currency: price.currency });
          await this.emit(tx, 'customer.subscription.updated', { id: sub.id });
        } else if (sub.pastDueSince !== null && now - sub.pastDueSince >= GIVE_UP_MS) {
          sub.status = 'canceled';
          sub.endedAt = now;
          await this.put(tx, 'subscription', sub.id, sub);
          await this.emit(tx, 'customer.subscription.deleted', { id: sub.id });
        } else {
          sub.status = 'past_due';
          sub.pastDueSince ??= now;
          sub.nextRetryAt = now + RETRY_MS;
          sub.openInvoiceId = invoiceId;
          await this.put(tx, 'subscription', sub.id, sub);
          await this.emit(tx, 'invoice.payment_failed', { id: invoiceId, subscription: sub.id, amount_due: amountDue(sub, price), currency: price.currency });
          await this.emit(tx, 'customer.subscription.updated', { id: sub.id });
        }
        changed += 1;
      });
    }
    return changed;
  }

  /**
   * Delivers queued events, signed, through `post` (the app's own /webhooks/demo route).
   * Undelivered ones are retried with backoff, as Stripe retries.
   */
  async deliver(post: (body: string, signature: string) => Promise<number>): Promise<{ delivered: number; failed: number }> {
    const now = this.opts.now();
    const due = await this.opts.db.selectFrom('demo_deliveries').selectAll().where('delivered_at', 'is', null).where('next_attempt_at', '<=', now).orderBy('id').limit(100).execute();
    let delivered = 0;
    let failed = 0;
    for (const row of due) {
      let status = 0;
      try {
        status = await post(row.payload, signDemoPayload(row.payload, this.opts.webhookSecret, Math.floor(now / 1000)));
      } catch {
        status = 0;
      }
      if (status >= 200 && status < 300) {
        await this.opts.db.updateTable('demo_deliveries').set({ delivered_at: now, attempts: row.attempts + 1 }).where('id', '=', row.id).execute();
        delivered += 1;
      } else {
        await this.opts.db.updateTable('demo_deliveries').set({ attempts: row.attempts + 1, next_attempt_at: now + 5_000 * 2 ** Math.min(row.attempts, 10) }).where('id', '=', row.id).execute();
        failed += 1;
        break; // keep order: later events wait for this one
      }
    }
    return { delivered, failed };
  }

  verifyWebhook(rawBody: string, signatureHeader: string | null, now: number): ProviderEvent {
    if (!signatureHeader) throw new SignatureError('missing signature');
    const parts = Object.fromEntries(signatureHeader.split(',').map((kv) => kv.split('=', 2) as [string, string]));
    const t = Number(parts.t);
    if (!Number.isInteger(t) || !parts.v1) throw new SignatureError('malformed signature');
    const expected = crypto.createHmac('sha256', this.opts.webhookSecret).update(`${t}.${rawBody}`).digest('hex');
    if (parts.v1.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(parts.v1), Buffer.from(expected))) throw new SignatureError('signature does not match');
    if (Math.abs(now / 1000 - t) > TOLERANCE_S) throw new SignatureError('signature timestamp outside the tolerance');
    const event = JSON.parse(rawBody) as { id: string; type: string; created: number; data: { object: Record<string, unknown> } };
    return mapDemoEvent(event);
  }
}

/** The amount of the next invoice, discount included (without using the discount up). */
function amountDue(sub: DemoSubscription, price: DemoPrice): number {
  const d = sub.discount;
  if (!d || d.remainingPeriods === 0) return price.amountCents;
  return Math.max(0, price.amountCents - d.amountOffCents);
}

function toProvider(sub: DemoSubscription): ProviderSubscription {
  return {
    id: sub.id,
    customerId: sub.customerId,
    status: sub.status,
    priceId: sub.priceId,
    currentPeriodStart: sub.currentPeriodStart,
    currentPeriodEnd: sub.currentPeriodEnd,
    cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
    trialEnd: sub.trialEnd,
    endedAt: sub.endedAt,
    metadata: sub.metadata,
  };
}

export function mapDemoEvent(event: { id: string; type: string; created: number; data: { object: Record<string, unknown> } }): ProviderEvent {
  const o = event.data.object;
  const created = event.created * 1000;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  switch (event.type) {
    case 'checkout.session.completed':
      return { id: event.id, created, kind: 'checkout.completed', checkoutId: String(o.id), subscriptionId: str(o.subscription), customerId: str(o.customer) ?? '', metadata: (o.metadata ?? {}) as Record<string, string>, amountCents: Number(o.amount_total ?? 0), currency: String(o.currency ?? 'usd'), paymentIntentId: str(o.payment_intent) };
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      return { id: event.id, created, kind: 'subscription.changed', subscriptionId: String(o.id) };
    case 'invoice.paid':
      return { id: event.id, created, kind: 'invoice.paid', invoiceId: String(o.id), subscriptionId: str(o.subscription), amountCents: Number(o.amount_paid ?? 0), currency: String(o.currency ?? 'usd') };
    case 'invoice.payment_failed':
      return { id: event.id, created, kind: 'invoice.payment_failed', invoiceId: String(o.id), subscriptionId: str(o.subscription), amountCents: Number(o.amount_due ?? 0), currency: String(o.currency ?? 'usd') };
    default:
      return { id: event.id, created, kind: 'ignored', type: event.type };
  }
}
