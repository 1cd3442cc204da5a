// Plans, offers and coupons as the site sells them. Reads map rows to the domain types; the
// demo publication's set is seeded here too.
import type { Db } from '../db/database.ts';
import type { CouponsTable, OfferRow, PlanRow } from '../db/schema.ts';
import type { Coupon, Entitlement, Offer, Plan } from './types.ts';

export function toPlan(row: PlanRow): Plan {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    priceCents: row.price_cents,
    currency: row.currency,
    interval: row.billing_interval,
    entitlements: JSON.parse(row.entitlements) as Entitlement[],
    isActive: row.is_active === 1,
  };
}

export function toOffer(row: OfferRow): Offer {
  return {
    id: row.id,
    slug: row.slug,
    planId: row.plan_id,
    headline: row.headline,
    introTotalCents: row.intro_total_cents,
    introMonths: row.intro_months,
    trialDays: row.trial_days,
    isActive: row.is_active === 1,
  };
}

export function toCoupon(row: CouponsTable): Coupon {
  return {
    code: row.code,
    percentOff: row.percent_off,
    amountOffCents: row.amount_off_cents,
    duration: row.duration,
    durationMonths: row.duration_months,
    maxRedemptions: row.max_redemptions,
    redeemedCount: row.redeemed_count,
    expiresAt: row.expires_at,
    isActive: row.is_active === 1,
  };
}

export async function listPlans(db: Db, opts: { activeOnly?: boolean } = {}): Promise<Plan[]> {
  let q = db.selectFrom('plans').selectAll().orderBy('position').orderBy('id');
  if (opts.activeOnly) q = q.where('is_active', '=', 1);
  return (await q.execute()).map(toPlan);
}

export async function planById(db: Db, id: number): Promise<Plan | null> {
  const row = await db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPlan(row) : null;
}

export async function listOffers(db: Db): Promise<Offer[]> {
  return (await db.selectFrom('offers').selectAll().where('is_active', '=', 1).orderBy('position').orderBy('id').execute()).map(toOffer);
}

/** The offer the subscribe page features — the first active offer of a plan on sale — as letters name it on their button. */
export async function featuredOfferHeadline(db: Db): Promise<string | null> {
  const [offers, plans] = await Promise.all([listOffers(db), listPlans(db, { activeOnly: true })]);
  const onSale = new Set(plans.map((p) => p.id));
  return offers.find((o) => onSale.has(o.planId))?.headline ?? null;
}

export async function offerBySlug(db: Db, slug: string): Promise<Offer | null> {
  const row = await db.selectFrom('offers').selectAll().where('slug', '=', slug).where('is_active', '=', 1).executeTakeFirst();
  return row ? toOffer(row) : null;
}

export type CouponCheck = { ok: true; coupon: Coupon } | { ok: false; reason: 'unknown-coupon' | 'coupon-expired' | 'coupon-used-up' };

/** Whether a code a reader typed can be used now. Pure apart from the lookup. */
export async function checkCoupon(db: Db, code: string, now: number): Promise<CouponCheck> {
  const row = await db.selectFrom('coupons').selectAll().where('code', '=', code.trim().toUpperCase()).executeTakeFirst();
  if (!row || row.is_active !== 1) return { ok: false, reason: 'unknown-coupon' };
  const coupon = toCoupon(row);
  if (coupon.expiresAt !== null && coupon.expiresAt <= now) return { ok: false, reason: 'coupon-expired' };
  if (coupon.maxRedemptions !== null && coupon.redeemedCount >= coupon.maxRedemptions) return { ok: false, reason: 'coupon-used-up' };
  return { ok: true, coupon };
}

/** Gift subscriptions: a plan bought for someone else for 3, 6 or 12 months. */
export const GIFT_MONTHS = [3, 6, 12] as const;

export function giftPriceCents(plan: Plan, months: number): number {
  const monthly = plan.interval === 'month' ? plan.priceCents : Math.round(plan.priceCents / 12);
  return monthly * months;
}

export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase(), minimumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(cents / 100);
}

export const ENTITLEMENT_LABELS: Record<Entitlement, string> = {
  web: 'Unlimited access to the site',
  daily: 'The Daily e-mail every weekday morning',
  weekly: 'The Weekly magazine as PDF and EPUB',
};

/** The demo publication's plans and offers: "$15 gets you the Weekly, the Daily and the site." */
export async function seedDemoCatalog(db: Db): Promise<void> {
  const plans = [
    { slug: 'digital', name: 'Digital', description: 'Everything we publish, on every device.', price_cents: 800, billing_interval: 'month' as const, entitlements: ['web', 'daily', 'weekly'], position: 0 },
    { slug: 'digital-annual', name: 'Digital, yearly', description: 'A year of everything we publish, two months free.', price_cents: 8000, billing_interval: 'year' as const, entitlements: ['web', 'daily', 'weekly'], position: 1 },
    { slug: 'weekly', name: 'The Weekly', description: 'The magazine edition and the Daily e-mail.', price_cents: 400, billing_interval: 'month' as const, entitlements: ['daily', 'weekly'], position: 2 },
  ];
  for (const p of plans) {
    await db
      .insertInto('plans')
      .values({ ...p, currency: 'usd', entitlements: JSON.stringify(p.entitlements), is_active: 1 })
      .onConflict((oc) => oc.column('slug').doNothing())
      .execute();
  }
  const id = async (slug: string) => (await db.selectFrom('plans').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
  const offers = [
    { slug: 'intro-15', plan_id: await id('digital'), headline: '$15 for your first 6 months, then $8 a month', intro_total_cents: 1500, intro_months: 6, trial_days: null, position: 0 },
    { slug: 'annual', plan_id: await id('digital-annual'), headline: '$80 a year', intro_total_cents: null, intro_months: null, trial_days: null, position: 1 },
    { slug: 'weekly-trial', plan_id: await id('weekly'), headline: 'Try the Weekly free for 14 days, then $4 a month', intro_total_cents: null, intro_months: null, trial_days: 14, position: 2 },
  ];
  for (const o of offers) {
    await db.insertInto('offers').values({ ...o, is_active: 1 }).onConflict((oc) => oc.column('slug').doNothing()).execute();
  }
  await db
    .insertInto('coupons')
    .values({ code: 'NEWSROOM20', percent_off: 20, amount_off_cents: null, duration: 'repeating', duration_months: 3, max_redemptions: 500, redeemed_count: 0, expires_at: null, is_active: 1 })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}
