// Billing use cases: start a checkout, cancel and resume, switch plan, open the card portal,
// buy and redeem gifts, warn of endings, and answer what a reader is entitled to. Handlers
// call these; the provider (Stripe or demo) does the money, webhooks bring back the truth.
import type { Db } from '../db/database.ts';
import type { Coupon, Offer, PaymentProvider, Plan, ProviderSubscription, Subscription } from './types.ts';
import { checkCoupon, giftPriceCents, listPlans, planById, toOffer } from './catalog.ts';
import { priceForPlan } from './prices.ts';
import { readerSubscriptions, syncSubscription } from './subscription-store.ts';
import { access } from './subscription.ts';
import { endingSoonNotice, isComplimentary } from './complimentary.ts';
import { entitlementsFor, type Entitlements, type GiftGrant } from './entitlements.ts';
import { addInterval } from './intervals.ts';
import { hashToken, newToken } from '../accounts/tokens.ts';
import { enqueueMail } from '../mail/outbox.ts';
import type { BillingMail } from './billing-mail.ts';

export type BillingFailure =
  | 'already-subscribed' | 'unknown-plan' | 'unknown-offer' | 'unknown-coupon' | 'coupon-expired' | 'coupon-used-up'
  | 'coupon-with-intro-offer' | 'no-subscription' | 'unknown-gift' | 'gift-already-redeemed';

export class BillingError extends Error {
  constructor(readonly code: BillingFailure, message: string) {
    super(message);
  }
}

/** A subscription that still gives access or will renew: the reader must not buy another. */
export function isLive(sub: Subscription, now: number): boolean {
  return sub.status !== 'ended' && sub.status !== 'incomplete' && access(sub, now).allowed;
}

export async function loadEntitlements(db: Db, reader: { id: number } | null, opts: { isStaff: boolean; now: number }): Promise<Entitlements> {
  if (!reader) return entitlementsFor({ subscriptions: [], plans: new Map(), gifts: [], isStaff: opts.isStaff }, opts.now);
  const [subscriptions, plans, giftRows] = await Promise.all([
    readerSubscriptions(db, reader.id),
    listPlans(db),
    db.selectFrom('gifts').select(['id', 'plan_id', 'starts_at', 'ends_at']).where('redeemed_by', '=', reader.id).where('status', '=', 'redeemed').execute(),
  ]);
  const planMap = new Map(plans.map((p) => [p.id, p]));
  const gifts: GiftGrant[] = giftRows
    .filter((g) => g.starts_at !== null && g.ends_at !== null)
    .map((g) => ({ id: g.id, startsAt: g.starts_at!, endsAt: g.ends_at!, entitlements: planMap.get(g.plan_id)?.entitlements ?? [] }));
  return entitlementsFor({ subscriptions, plans: planMap, gifts, isStaff: opts.isStaff }, opts.now);
}

export class BillingService {
  constructor(private readonly deps: { db: Db; provider: PaymentProvider; now: () => number }) {}

  get provider(): PaymentProvider {
    return this.deps.provider;
  }

  async startCheckout(opts: { reader: { id: number; email: string; customerId: string | null }; offerSlug: string; couponCode: string | null; publicUrl: string }): Promise<{ url: string }> {
    const { db, provider } = this.deps;
    const now = this.deps.now();
    const offerRow = await db.selectFrom('offers').selectAll().where('slug', '=', opts.offerSlug).where('is_active', '=', 1).executeTakeFirst();
    if (!offerRow) throw new BillingError('unknown-offer', 'That offer is no longer available.');
    const offer: Offer = toOffer(offerRow);
    const plan = await planById(db, offer.planId);
    if (!plan || !plan.isActive) throw new BillingError('unknown-plan', 'That plan is no longer available.');
    const subs = await readerSubscriptions(db, opts.reader.id);
    // A complimentary subscription does not stop a reader from paying: its ending-soon notice invites them to.
    if (subs.some((s) => isLive(s, now) && !isComplimentary(s))) throw new BillingError('already-subscribed', 'You already have a subscription; manage it from your account.');
    let coupon: Coupon | null = null;
    if (opts.couponCode) {
      if (offer.introTotalCents !== null) throw new BillingError('coupon-with-intro-offer', 'Coupons apply to full-price offers, not introductory ones.');
      const checked = await checkCoupon(db, opts.couponCode, now);
      if (!checked.ok) throw new BillingError(checked.reason, checked.reason === 'unknown-coupon' ? 'That coupon code is not valid.' : checked.reason === 'coupon-expired' ? 'That coupon has expired.' : 'That coupon has been used up.');
      coupon = checked.coupon;
    }
    const priceId = await priceForPlan(db, provider, plan);
    const checkout = await provider.createCheckout({
      reader: opts.reader,
      plan,
      priceId,
      offer,
      coupon,
      successUrl: `${opts.publicUrl}/subscribe/thanks?session={CHECKOUT_SESSION_ID}`,
      cancelUrl: `${opts.publicUrl}/subscribe`,
      metadata: { readerId: String(opts.reader.id), planId: String(plan.id), planSlug: plan.slug, offer: offer.slug, ...(coupon ? { coupon: coupon.code } : {}) },
    });
    await db
      .insertInto('checkouts')
      .values({ provider: provider.name, provider_checkout_id: checkout.checkoutId, reader_id: opts.reader.id, kind: 'subscription', plan_id: plan.id, offer_id: offer.id, coupon_code: coupon?.code ?? null, status: 'open', created_at: now })
      .execute();
    return { url: checkout.url };
  }

  private async ownSubscription(readerId: number, subscriptionId: number): Promise<Subscription> {
    const sub = (await readerSubscriptions(this.deps.db, readerId)).find((s) => s.id === subscriptionId);
    if (!sub) throw new BillingError('no-subscription', 'There is no such subscription on your account.');
    // A complimentary subscription (billing/complimentary.ts) has no provider to ask.
    if (sub.provider !== this.deps.provider.name) throw new BillingError('no-subscription', sub.provider === 'comp' ? 'A complimentary subscription is not billed: it ends on its own at the end of its period.' : 'This subscription is billed elsewhere and cannot be changed here.');
    return sub;
  }

  /**
   * Records what the provider answered at once, through the same path as webhooks, so the
   * reader sees the change now; the event that follows finds nothing left to do.
   */
  private async record(remote: ProviderSubscription): Promise<void> {
    await this.deps.db.transaction().execute((tx) => syncSubscription(tx, { provider: this.deps.provider.name, remote, now: this.deps.now() }));
  }

  /** Cancel at period end (true) or resume (false). */
  async setCanceled(readerId: number, subscriptionId: number, cancel: boolean): Promise<void> {
    const sub = await this.ownSubscription(readerId, subscriptionId);
    await this.record(await this.deps.provider.setCancelAtPeriodEnd(sub.providerSubscriptionId, cancel));
  }

  async switchPlan(readerId: number, subscriptionId: number, planId: number): Promise<void> {
    const sub = await this.ownSubscription(readerId, subscriptionId);
    const plan = await planById(this.deps.db, planId);
    if (!plan || !plan.isActive) throw new BillingError('unknown-plan', 'That plan is no longer available.');
    await this.record(await this.deps.provider.switchPrice(sub.providerSubscriptionId, await priceForPlan(this.deps.db, this.deps.provider, plan)));
  }

  async portalUrl(reader: { customerId: string | null }, returnUrl: string): Promise<string> {
    if (!reader.customerId) throw new BillingError('no-subscription', 'There is no card on file yet.');
    return (await this.deps.provider.createPortalSession(reader.customerId, returnUrl)).url;
  }

  /** Cancels every live subscription at once (account deletion). */
  async cancelAllNow(readerId: number): Promise<void> {
    const now = this.deps.now();
    for (const sub of await readerSubscriptions(this.deps.db, readerId)) {
      if (sub.provider !== this.deps.provider.name) continue; // complimentary: no provider; deleted with the reader
      if (sub.status !== 'ended' && (sub.status !== 'canceled' || sub.currentPeriodEnd > now)) await this.record(await this.deps.provider.cancelNow(sub.providerSubscriptionId));
    }
  }

  async buyGift(opts: { planSlug: string; months: number; purchaserEmail: string; purchaserName: string; recipientEmail: string; message: string; publicUrl: string }): Promise<{ url: string }> {
    const { db, provider } = this.deps;
    const plan = (await listPlans(db, { activeOnly: true })).find((p) => p.slug === opts.planSlug);
    if (!plan) throw new BillingError('unknown-plan', 'That plan is no longer available.');
    const amountCents = giftPriceCents(plan, opts.months);
    const now = this.deps.now();
    const checkout = await provider.createPaymentCheckout({
      email: opts.purchaserEmail,
      amountCents,
      currency: plan.currency,
      description: `${plan.name}: a ${opts.months}-month gift subscription`,
      successUrl: `${opts.publicUrl}/gift/thanks`,
      cancelUrl: `${opts.publicUrl}/gift`,
      metadata: { kind: 'gift', planSlug: plan.slug, months: String(opts.months) },
    });
    // The redeem token is made when payment arrives; until then a placeholder nobody holds.
    await db
      .insertInto('gifts')
      .values({ token_hash: hashToken(newToken()), plan_id: plan.id, months: opts.months, purchaser_email: opts.purchaserEmail, purchaser_name: opts.purchaserName, recipient_email: opts.recipientEmail, message: opts.message, amount_cents: amountCents, currency: plan.currency, status: 'pending', provider_checkout_id: checkout.checkoutId, redeemed_by: null, starts_at: null, ends_at: null, created_at: now })
      .execute();
    return { url: checkout.url };
  }

  async giftByToken(token: string): Promise<{ id: number; plan: Plan; months: number; fromName: string; status: string } | null> {
    const row = await this.deps.db.selectFrom('gifts').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
    if (!row || row.status === 'pending') return null;
    const plan = await planById(this.deps.db, row.plan_id);
    return plan ? { id: row.id, plan, months: row.months, fromName: row.purchaser_name || 'A friend', status: row.status } : null;
  }

  /** The recipient redeems: access starts now (or when their current gift ends) for N months. */
  async redeemGift(token: string, readerId: number): Promise<{ endsAt: number }> {
    const now = this.deps.now();
    return this.deps.db.transaction().execute(async (tx) => {
      const gift = await tx.selectFrom('gifts').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
      if (!gift || gift.status === 'pending') throw new BillingError('unknown-gift', 'That gift link is not valid.');
      if (gift.status === 'redeemed') throw new BillingError('gift-already-redeemed', 'That gift has already been redeemed.');
      const latest = await tx.selectFrom('gifts').select((eb) => eb.fn.max('ends_at').as('ends')).where('redeemed_by', '=', readerId).executeTakeFirst();
      const startsAt = Math.max(now, Number(latest?.ends ?? 0));
      const endsAt = addInterval(startsAt, 'month', gift.months);
      const res = await tx.updateTable('gifts').set({ status: 'redeemed', redeemed_by: readerId, starts_at: startsAt, ends_at: endsAt }).where('id', '=', gift.id).where('status', '=', 'paid').executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new BillingError('gift-already-redeemed', 'That gift has already been redeemed.');
      return { endsAt };
    });
  }

  /** Queues "ending soon" notices: once per subscription and period end. */
  async sendEndingSoonNotices(mail: BillingMail): Promise<number> {
    const { db } = this.deps;
    const now = this.deps.now();
    const rows = await db
      .selectFrom('subscriptions')
      .innerJoin('readers', 'readers.id', 'subscriptions.reader_id')
      .select(['subscriptions.id', 'subscriptions.provider', 'subscriptions.status', 'subscriptions.current_period_end', 'subscriptions.trial_end', 'subscriptions.plan_id', 'subscriptions.ending_notice_sent_for', 'readers.email'])
      // Complimentary subscriptions are stored canceled: they are among these.
      .where('subscriptions.status', 'in', ['canceled', 'trialing'])
      .execute();
    let queued = 0;
    for (const row of rows) {
      const soon = endingSoonNotice({ provider: row.provider as Subscription['provider'], status: row.status as Subscription['status'], currentPeriodEnd: row.current_period_end, trialEnd: row.trial_end }, now);
      if (!soon || row.ending_notice_sent_for === soon.endsAt) continue;
      const plan = await planById(db, row.plan_id);
      if (!plan) continue;
      await db.transaction().execute(async (tx) => {
        await enqueueMail(tx, { ...mail.endingSoon({ to: row.email, plan, endsAt: soon.endsAt, reason: soon.reason }), dedupeKey: `ending-soon:${row.id}:${soon.endsAt}` }, now);
        await tx.updateTable('subscriptions').set({ ending_notice_sent_for: soon.endsAt }).where('id', '=', row.id).execute();
      });
      queued += 1;
    }
    return queued;
  }
}
