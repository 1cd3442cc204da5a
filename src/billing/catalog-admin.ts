// Writing the catalog from the newsroom: plans, offers and coupons, created and edited. The
// reads beside catalog.ts's include what readers never see (inactive offers, coupons,
// positions). Writes take a transaction so the caller records the audit row with the change.
//
// What payment providers rely on stays put: a plan's slug, currency and interval are fixed
// once created (Stripe prices are looked up by them, and `plan_prices` maps every price a
// provider ever issued back to its plan, so a changed amount gets a new provider price for
// new subscribers while existing subscriptions keep theirs); a coupon's code is its key.
import type { Db, Tx } from '../db/database.ts';
import { toCoupon, toOffer, toPlan } from './catalog.ts';
import type { OfferRow, PlanRow } from '../db/schema.ts';
import type { Coupon, Offer, Plan } from './types.ts';

export type AdminPlan = Plan & { position: number };
export type AdminOffer = Offer & { position: number };

const adminPlan = (row: PlanRow): AdminPlan => ({ ...toPlan(row), position: Number(row.position) });
const adminOffer = (row: OfferRow): AdminOffer => ({ ...toOffer(row), position: Number(row.position) });

export async function listPlansForAdmin(db: Db | Tx): Promise<AdminPlan[]> {
  return (await db.selectFrom('plans').selectAll().orderBy('position').orderBy('id').execute()).map(adminPlan);
}

export async function planForAdmin(db: Db | Tx, id: number): Promise<AdminPlan | null> {
  const row = await db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? adminPlan(row) : null;
}

/** Every offer, active or not, in the subscribe page's order. */
export async function listOffersForAdmin(db: Db | Tx): Promise<AdminOffer[]> {
  return (await db.selectFrom('offers').selectAll().orderBy('position').orderBy('id').execute()).map(adminOffer);
}

export async function offerForAdmin(db: Db | Tx, id: number): Promise<AdminOffer | null> {
  const row = await db.selectFrom('offers').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? adminOffer(row) : null;
}

export async function listCoupons(db: Db | Tx): Promise<Coupon[]> {
  return (await db.selectFrom('coupons').selectAll().orderBy('code').execute()).map(toCoupon);
}

export async function couponByCode(db: Db | Tx, code: string): Promise<Coupon | null> {
  const row = await db.selectFrom('coupons').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? toCoupon(row) : null;
}

/** Subscriptions that still give access (or will renew), per plan. */
export async function subscribersPerPlan(db: Db | Tx): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('subscriptions')
    .select((eb) => ['plan_id', eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['active', 'trialing', 'past_due', 'canceled'])
    .groupBy('plan_id')
    .execute();
  return new Map(rows.map((r) => [r.plan_id, Number(r.n)]));
}

/** What may change on a plan. */
export type PlanFields = Pick<AdminPlan, 'name' | 'description' | 'priceCents' | 'entitlements' | 'isActive' | 'position'>;
/** A new plan: also what is fixed once created. */
export type NewPlan = PlanFields & Pick<Plan, 'slug' | 'currency' | 'interval'>;

const planColumns = (p: PlanFields) => ({
  name: p.name,
  description: p.description,
  price_cents: p.priceCents,
  entitlements: JSON.stringify(p.entitlements),
  is_active: p.isActive ? 1 : 0,
  position: p.position,
});

export async function createPlan(tx: Tx, p: NewPlan): Promise<number> {
  const values = { slug: p.slug, currency: p.currency.toLowerCase(), billing_interval: p.interval, ...planColumns(p) };
  return (await tx.insertInto('plans').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

/** Changes what may change: never the slug, currency or interval, never the provider prices already issued. */
export async function updatePlan(tx: Tx, id: number, p: PlanFields): Promise<void> {
  await tx.updateTable('plans').set(planColumns(p)).where('id', '=', id).execute();
}

/** What may change on an offer (its slug is fixed once created). */
export type OfferFields = Omit<AdminOffer, 'id' | 'slug'>;

const offerColumns = (o: OfferFields) => ({
  plan_id: o.planId,
  headline: o.headline,
  intro_total_cents: o.introTotalCents,
  intro_months: o.introMonths,
  trial_days: o.trialDays,
  is_active: o.isActive ? 1 : 0,
  position: o.position,
});

export async function createOffer(tx: Tx, o: OfferFields & { slug: string }): Promise<number> {
  return (await tx.insertInto('offers').values({ slug: o.slug, ...offerColumns(o) }).returning('id').executeTakeFirstOrThrow()).id;
}

/** The slug stays: checkouts and the provider's introductory coupon are named after it. */
export async function updateOffer(tx: Tx, id: number, o: OfferFields): Promise<void> {
  await tx.updateTable('offers').set(offerColumns(o)).where('id', '=', id).execute();
}

export interface CouponFields {
  percentOff: number;
  duration: Coupon['duration'];
  durationMonths: number | null;
  maxRedemptions: number | null;
  expiresAt: number | null;
  isActive: boolean;
}

const couponColumns = (c: CouponFields) => ({
  percent_off: c.percentOff,
  amount_off_cents: null,
  duration: c.duration,
  duration_months: c.duration === 'repeating' ? c.durationMonths : null,
  max_redemptions: c.maxRedemptions,
  expires_at: c.expiresAt,
  is_active: c.isActive ? 1 : 0,
});

export async function createCoupon(tx: Tx, c: CouponFields & { code: string }): Promise<void> {
  await tx.insertInto('coupons').values({ code: c.code, redeemed_count: 0, ...couponColumns(c) }).execute();
}

/** The code and the count of redemptions stay as they are. */
export async function updateCoupon(tx: Tx, code: string, c: CouponFields): Promise<void> {
  await tx.updateTable('coupons').set(couponColumns(c)).where('code', '=', code).execute();
}
