// The plan, offer and coupon forms, as pure functions: fields for a stored item, what a
// posted form means (or why it cannot be saved), and audit lines. Money is typed in the
// currency's major unit ("15.00") and kept in its minor unit.
import { z } from 'zod';
import { SLUG_PATTERN } from '../../content/slug.ts';
import { isRealDate, localDateTimeToUtc, localParts } from '../../content/dates.ts';
import { ENTITLEMENTS, type Coupon, type Entitlement, type Interval } from '../../billing/types.ts';
import type { AdminOffer, AdminPlan, CouponFields, NewPlan, OfferFields } from '../../billing/catalog-admin.ts';
import { checked, readField, text, texts, wholeNumber, optionalWholeNumber, type FieldErrors, type FormBody, type FormResult } from './form.ts';
import { displayMoney, formatMinor, isKnownCurrency, parseMoney } from './money.ts';

const field = readField;

const slugSchema = z
  .string()
  .trim()
  .min(1, 'a slug is required')
  .max(60, 'the slug is longer than 60 characters')
  .regex(SLUG_PATTERN, 'a slug is letters, digits and single dashes, such as digital-annual')
  .transform((s) => s.toLowerCase());

// ---------------------------------------------------------------------------------------------
// Plans

export interface PlanFormValues {
  slug: string;
  name: string;
  description: string;
  currency: string;
  interval: string;
  amount: string;
  entitlements: string[];
  isActive: boolean;
  position: string;
}

export function planFormValues(plan: AdminPlan | null): PlanFormValues {
  if (!plan) return { slug: '', name: '', description: '', currency: 'usd', interval: 'month', amount: '', entitlements: [...ENTITLEMENTS], isActive: true, position: '0' };
  return {
    slug: plan.slug,
    name: plan.name,
    description: plan.description,
    currency: plan.currency,
    interval: plan.interval,
    amount: formatMinor(plan.priceCents, plan.currency),
    entitlements: [...plan.entitlements],
    isActive: plan.isActive,
    position: String(plan.position),
  };
}

/** A new plan (slug, currency and interval chosen once), or the changeable fields of a stored one. */
export function parsePlanForm(body: FormBody, opts: { existing: AdminPlan | null }): FormResult<NewPlan, PlanFormValues> {
  const { existing } = opts;
  const values: PlanFormValues = {
    slug: existing ? existing.slug : text(body, 'slug'),
    name: text(body, 'name'),
    description: text(body, 'description'),
    currency: existing ? existing.currency : text(body, 'currency').trim().toLowerCase(),
    interval: existing ? existing.interval : text(body, 'interval'),
    amount: text(body, 'amount'),
    entitlements: texts(body, 'entitlements'),
    isActive: checked(body, 'isActive'),
    position: text(body, 'position'),
  };
  const errors: FieldErrors = {};
  const slug = existing ? existing.slug : field(errors, 'slug', slugSchema, values.slug, '');
  const name = field(errors, 'name', z.string().trim().min(1, 'the plan needs a name').max(80, 'the name is longer than 80 characters'), values.name, '');
  const description = field(errors, 'description', z.string().trim().max(300, 'the description is longer than 300 characters'), values.description, '');
  if (!isKnownCurrency(values.currency)) errors.currency = 'enter a three-letter currency code such as USD or EUR';
  const interval = field(errors, 'interval', z.enum(['month', 'year'], { error: 'choose monthly or yearly' }), values.interval, 'month' as Interval);
  const money = parseMoney(values.amount, errors.currency ? 'usd' : values.currency);
  if ('error' in money) errors.amount = money.error;
  const entitlements = ENTITLEMENTS.filter((e) => values.entitlements.includes(e));
  if (values.entitlements.some((e) => !(ENTITLEMENTS as string[]).includes(e))) errors.entitlements = 'choose from the list';
  else if (entitlements.length === 0) errors.entitlements = 'a plan gives at least one thing: choose what it includes';
  const position = field(errors, 'position', wholeNumber('the position', -1000, 1000), values.position, 0);
  if (Object.keys(errors).length) return { ok: false, errors, values };
  return {
    ok: true,
    values,
    value: { slug, name, description, currency: values.currency, interval, priceCents: 'minor' in money ? money.minor : 0, entitlements, isActive: values.isActive, position },
  };
}

/** "Digital: price $8 → $9 a month; entitlements web, daily → web" or "created Digital ($8 a month)". */
export function describePlanChange(before: AdminPlan | null, after: NewPlan): string {
  const price = (cents: number) => `${displayMoney(cents, after.currency)} a ${after.interval}`;
  if (!before) return `created plan ${after.name} (${after.slug}, ${price(after.priceCents)}; ${after.entitlements.join(', ')})`;
  const parts: string[] = [];
  if (before.name !== after.name) parts.push(`name ${before.name} → ${after.name}`);
  if (before.description !== after.description) parts.push('description');
  if (before.priceCents !== after.priceCents) parts.push(`price ${price(before.priceCents)} → ${price(after.priceCents)} (for new subscribers)`);
  if (before.entitlements.join(',') !== after.entitlements.join(',')) parts.push(`includes ${before.entitlements.join(', ')} → ${after.entitlements.join(', ')}`);
  if (before.isActive !== after.isActive) parts.push(after.isActive ? 'activated' : 'deactivated');
  if (before.position !== after.position) parts.push(`position ${before.position} → ${after.position}`);
  return `plan ${before.slug}: ${parts.length ? parts.join('; ') : 'no change'}`;
}

export const ENTITLEMENT_NAMES: Record<Entitlement, string> = {
  web: 'Unlimited access to the site',
  daily: 'The Daily e-mail',
  weekly: 'The Weekly magazine (PDF and EPUB)',
};

// ---------------------------------------------------------------------------------------------
// Offers

export type OfferTerms = 'full' | 'intro' | 'trial';

export interface OfferFormValues {
  slug: string;
  planId: string;
  headline: string;
  terms: string;
  introTotal: string;
  introMonths: string;
  trialDays: string;
  isActive: boolean;
  position: string;
}

export function offerFormValues(offer: AdminOffer | null, plans: readonly AdminPlan[]): OfferFormValues {
  if (!offer) return { slug: '', planId: String(plans[0]?.id ?? ''), headline: '', terms: 'full', introTotal: '', introMonths: '', trialDays: '', isActive: true, position: '0' };
  const plan = plans.find((p) => p.id === offer.planId);
  return {
    slug: offer.slug,
    planId: String(offer.planId),
    headline: offer.headline,
    terms: offer.introTotalCents !== null ? 'intro' : offer.trialDays ? 'trial' : 'full',
    introTotal: offer.introTotalCents === null ? '' : formatMinor(offer.introTotalCents, plan?.currency ?? 'usd'),
    introMonths: offer.introMonths === null ? '' : String(offer.introMonths),
    trialDays: offer.trialDays === null ? '' : String(offer.trialDays),
    isActive: offer.isActive,
    position: String(offer.position),
  };
}

/**
 * An offer: a headline for one plan, at full price, with an introductory price (a total for
 * the first N months, less than the plan would cost), or with a free trial.
 */
export function parseOfferForm(body: FormBody, opts: { existing: AdminOffer | null; plans: readonly AdminPlan[] }): FormResult<OfferFields & { slug: string }, OfferFormValues> {
  const { existing } = opts;
  const values: OfferFormValues = {
    slug: existing ? existing.slug : text(body, 'slug'),
    planId: text(body, 'planId'),
    headline: text(body, 'headline'),
    terms: text(body, 'terms'),
    introTotal: text(body, 'introTotal'),
    introMonths: text(body, 'introMonths'),
    trialDays: text(body, 'trialDays'),
    isActive: checked(body, 'isActive'),
    position: text(body, 'position'),
  };
  const errors: FieldErrors = {};
  const slug = existing ? existing.slug : field(errors, 'slug', slugSchema, values.slug, '');
  const plan = opts.plans.find((p) => String(p.id) === values.planId.trim());
  if (!plan) errors.planId = 'choose the plan this offer sells';
  const headline = field(errors, 'headline', z.string().trim().min(1, 'the offer needs a headline, such as “$15 for your first 6 months”').max(200, 'the headline is longer than 200 characters'), values.headline, '');
  const terms = field(errors, 'terms', z.enum(['full', 'intro', 'trial'], { error: 'choose full price, an introductory price or a free trial' }), values.terms, 'full' as OfferTerms);
  let introTotalCents: number | null = null;
  let introMonths: number | null = null;
  let trialDays: number | null = null;
  if (terms === 'intro') {
    introMonths = field(errors, 'introMonths', wholeNumber('the introductory months', 1, 36), values.introMonths, null as number | null);
    const money = parseMoney(values.introTotal, plan?.currency ?? 'usd', { allowZero: true });
    if ('error' in money) errors.introTotal = money.error;
    else introTotalCents = money.minor;
    if (plan && introMonths !== null) {
      if (plan.interval === 'year' && introMonths % 12 !== 0) errors.introMonths ??= 'a yearly plan’s introductory period is whole years: 12, 24 or 36 months';
      const full = plan.interval === 'year' ? (plan.priceCents * introMonths) / 12 : plan.priceCents * introMonths;
      if (introTotalCents !== null && introTotalCents >= full) errors.introTotal ??= `that is not a discount: ${introMonths} months of ${plan.name} cost ${displayMoney(full, plan.currency)} at full price`;
    }
  } else if (terms === 'trial') {
    trialDays = field(errors, 'trialDays', wholeNumber('the trial', 1, 90), values.trialDays, null as number | null);
  }
  const position = field(errors, 'position', wholeNumber('the position', -1000, 1000), values.position, 0);
  if (Object.keys(errors).length) return { ok: false, errors, values };
  return { ok: true, values, value: { slug, planId: plan!.id, headline, introTotalCents, introMonths, trialDays, isActive: values.isActive, position } };
}

/** The offer's terms in words: "$15 for the first 6 months", "14-day free trial", "full price". */
export function offerTermsText(offer: Pick<OfferFields, 'introTotalCents' | 'introMonths' | 'trialDays'>, currency: string): string {
  if (offer.introTotalCents !== null && offer.introMonths) return `${displayMoney(offer.introTotalCents, currency)} for the first ${offer.introMonths === 1 ? 'month' : `${offer.introMonths} months`}`;
  if (offer.trialDays) return `${offer.trialDays}-day free trial`;
  return 'full price';
}

export function describeOfferChange(before: AdminOffer | null, after: OfferFields & { slug: string }, plans: readonly AdminPlan[]): string {
  const planName = (id: number) => plans.find((p) => p.id === id)?.slug ?? String(id);
  const currency = plans.find((p) => p.id === after.planId)?.currency ?? 'usd';
  if (!before) return `created offer ${after.slug} for ${planName(after.planId)}: “${after.headline}” (${offerTermsText(after, currency)})`;
  const parts: string[] = [];
  if (before.headline !== after.headline) parts.push(`headline “${before.headline}” → “${after.headline}”`);
  if (before.planId !== after.planId) parts.push(`plan ${planName(before.planId)} → ${planName(after.planId)}`);
  const was = offerTermsText(before, plans.find((p) => p.id === before.planId)?.currency ?? currency);
  const now = offerTermsText(after, currency);
  if (was !== now) parts.push(`terms ${was} → ${now}`);
  if (before.isActive !== after.isActive) parts.push(after.isActive ? 'activated' : 'deactivated');
  if (before.position !== after.position) parts.push(`position ${before.position} → ${after.position}`);
  return `offer ${before.slug}: ${parts.length ? parts.join('; ') : 'no change'}`;
}

// ---------------------------------------------------------------------------------------------
// Coupons

export interface CouponFormValues {
  code: string;
  percentOff: string;
  duration: string;
  durationMonths: string;
  /** The last day it may be used, YYYY-MM-DD in the publication's time zone; '' = no end. */
  expires: string;
  maxRedemptions: string;
  isActive: boolean;
}

/**
 * The instant a local calendar day begins in a time zone: midnight, or where clocks skip
 * midnight (Santiago in September) the first instant after the gap, 1 a.m.
 */
export function localMidnight(year: number, month: number, day: number, timeZone: string): number {
  const at = localDateTimeToUtc({ year, month, day, hour: 0, minute: 0 }, timeZone);
  return at.ok ? at.at : at.next;
}

/** A coupon is good through the end of its last day: it expires at the next local midnight. */
export function expiryFromDate(date: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  const next = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1));
  return localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone);
}

/** The last day a coupon may be used, as YYYY-MM-DD in the time zone. */
export function dateFromExpiry(expiresAt: number, timeZone: string): string {
  const p = localParts(expiresAt - 1, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

export function couponFormValues(coupon: Coupon | null, timeZone: string): CouponFormValues {
  if (!coupon) return { code: '', percentOff: '', duration: 'once', durationMonths: '', expires: '', maxRedemptions: '', isActive: true };
  return {
    code: coupon.code,
    percentOff: coupon.percentOff === null ? '' : String(coupon.percentOff),
    duration: coupon.duration,
    durationMonths: coupon.durationMonths === null ? '' : String(coupon.durationMonths),
    expires: coupon.expiresAt === null ? '' : dateFromExpiry(coupon.expiresAt, timeZone),
    maxRedemptions: coupon.maxRedemptions === null ? '' : String(coupon.maxRedemptions),
    isActive: coupon.isActive,
  };
}

const codeSchema = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().min(3, 'a code has at least 3 characters').max(40, 'a code has at most 40 characters').regex(/^[A-Z0-9][A-Z0-9_-]*$/, 'a code is letters, digits, dashes and underscores, such as SPRING25'));

/** A percentage off, once, for N months, or forever; an optional last day and number of uses. */
export function parseCouponForm(body: FormBody, opts: { existing: Coupon | null; timeZone: string; now: number }): FormResult<CouponFields & { code: string }, CouponFormValues> {
  const { existing } = opts;
  const values: CouponFormValues = {
    code: existing ? existing.code : text(body, 'code'),
    percentOff: text(body, 'percentOff'),
    duration: text(body, 'duration'),
    durationMonths: text(body, 'durationMonths'),
    expires: text(body, 'expires'),
    maxRedemptions: text(body, 'maxRedemptions'),
    isActive: checked(body, 'isActive'),
  };
  const errors: FieldErrors = {};
  const code = existing ? existing.code : field(errors, 'code', codeSchema, values.code, '');
  const percentOff = field(errors, 'percentOff', wholeNumber('the percentage', 1, 100), values.percentOff, 0);
  const duration = field(errors, 'duration', z.enum(['once', 'repeating', 'forever'], { error: 'choose how long the discount lasts' }), values.duration, 'once' as Coupon['duration']);
  const durationMonths = duration === 'repeating' ? field(errors, 'durationMonths', wholeNumber('the number of months', 1, 36), values.durationMonths, null as number | null) : null;
  let expiresAt: number | null = null;
  if (values.expires.trim() !== '') {
    expiresAt = expiryFromDate(values.expires, opts.timeZone);
    if (expiresAt === null) errors.expires = 'enter a date such as 2026-12-31';
    else if (expiresAt <= opts.now && expiresAt !== existing?.expiresAt) errors.expires = 'that day has passed; to stop the coupon, make it inactive';
  }
  const min = Math.max(1, existing?.redeemedCount ?? 0);
  const maxRedemptions = field(errors, 'maxRedemptions', optionalWholeNumber('the number of uses', min, 1_000_000), values.maxRedemptions, null as number | null);
  if (Object.keys(errors).length) return { ok: false, errors, values };
  return { ok: true, values, value: { code, percentOff, duration, durationMonths, maxRedemptions, expiresAt, isActive: values.isActive } };
}

export function couponTermsText(c: Pick<CouponFields, 'percentOff' | 'duration' | 'durationMonths'> | Coupon, currency = 'usd'): string {
  const off = c.percentOff !== null ? `${c.percentOff}% off` : 'amountOffCents' in c && c.amountOffCents !== null ? `${displayMoney(c.amountOffCents, currency)} off` : 'no discount';
  const span = c.duration === 'once' ? 'the first payment' : c.duration === 'forever' ? 'every payment' : `${c.durationMonths ?? 1} month${c.durationMonths === 1 ? '' : 's'}`;
  return `${off} ${c.duration === 'repeating' ? 'for' : 'on'} ${span}`;
}

export function describeCouponChange(before: Coupon | null, after: CouponFields & { code: string }, timeZone: string): string {
  const terms = couponTermsText(after);
  const ends = (at: number | null) => (at === null ? 'no end' : `through ${dateFromExpiry(at, timeZone)}`);
  const uses = (n: number | null) => (n === null ? 'unlimited uses' : `${n} uses`);
  if (!before) return `created coupon ${after.code}: ${terms}, ${ends(after.expiresAt)}, ${uses(after.maxRedemptions)}`;
  const parts: string[] = [];
  if (couponTermsText(before) !== terms) parts.push(`terms ${couponTermsText(before)} → ${terms}`);
  if (before.expiresAt !== after.expiresAt) parts.push(`${ends(before.expiresAt)} → ${ends(after.expiresAt)}`);
  if (before.maxRedemptions !== after.maxRedemptions) parts.push(`${uses(before.maxRedemptions)} → ${uses(after.maxRedemptions)}`);
  if (before.isActive !== after.isActive) parts.push(after.isActive ? 'activated' : 'deactivated');
  return `coupon ${before.code}: ${parts.length ? parts.join('; ') : 'no change'}`;
}
