import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminOffer, AdminPlan } from '../../billing/catalog-admin.ts';
import type { Coupon } from '../../billing/types.ts';
import {
  couponFormValues,
  dateFromExpiry,
  describeCouponChange,
  describeOfferChange,
  describePlanChange,
  expiryFromDate,
  localMidnight,
  offerFormValues,
  parseCouponForm,
  parseOfferForm,
  parsePlanForm,
  planFormValues,
} from './catalog-form.ts';

const monthly: AdminPlan = { id: 1, slug: 'digital', name: 'Digital', description: 'All of it.', priceCents: 800, currency: 'usd', interval: 'month', entitlements: ['web', 'daily', 'weekly'], isActive: true, position: 0 };
const yearly: AdminPlan = { ...monthly, id: 2, slug: 'digital-annual', name: 'Digital, yearly', priceCents: 8000, interval: 'year' };
const plans = [monthly, yearly];
const intro: AdminOffer = { id: 5, slug: 'intro-15', planId: 1, headline: '$15 for 6 months', introTotalCents: 1500, introMonths: 6, trialDays: null, isActive: true, position: 0 };
const NOW = Date.parse('2026-11-20T15:00:00Z');
const TZ = 'America/New_York';

describe('parsePlanForm', () => {
  const valid = { slug: 'Weekly-Only', name: 'The Weekly', description: 'The magazine.', currency: 'USD', interval: 'month', amount: '4.00', entitlements: ['weekly', 'daily'], isActive: 'on', position: '2' };
  it('reads a new plan: lower-case slug and currency, entitlements in catalog order, price in cents', () => {
    const r = parsePlanForm(valid, { existing: null });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
    assert.deepEqual(r.value, { slug: 'weekly-only', name: 'The Weekly', description: 'The magazine.', currency: 'usd', interval: 'month', priceCents: 400, entitlements: ['daily', 'weekly'], isActive: true, position: 2 });
  });
  it('keeps a stored plan’s slug, currency and interval whatever is posted', () => {
    const r = parsePlanForm({ ...valid, slug: 'hijack', currency: 'eur', interval: 'year', amount: '9' }, { existing: monthly });
    assert.ok(r.ok);
    assert.equal(r.value.slug, 'digital');
    assert.equal(r.value.currency, 'usd');
    assert.equal(r.value.interval, 'month');
    assert.equal(r.value.priceCents, 900);
  });
  const bad: [string, Record<string, unknown>, string, RegExp][] = [
    ['a bad slug', { slug: 'two  words' }, 'slug', /letters, digits and single dashes/],
    ['no name', { name: '' }, 'name', /needs a name/],
    ['an unknown currency', { currency: 'XXQ' }, 'currency', /three-letter/],
    ['an unknown interval', { interval: 'week' }, 'interval', /monthly or yearly/],
    ['a bad amount', { amount: '4.001' }, 'amount', /decimal/],
    ['a zero amount', { amount: '0' }, 'amount', /more than zero/],
    ['no entitlements', { entitlements: undefined }, 'entitlements', /at least one/],
    ['an unknown entitlement', { entitlements: ['web', 'print'] }, 'entitlements', /from the list/],
    ['a bad position', { position: 'first' }, 'position', /whole number/],
  ];
  for (const [name, overrides, field, re] of bad) {
    it(`refuses ${name}`, () => {
      const posted = Object.fromEntries(Object.entries({ ...valid, ...overrides }).filter(([, v]) => v !== undefined));
      const r = parsePlanForm(posted, { existing: null });
      assert.equal(r.ok, false);
      assert.match((!r.ok && r.errors[field]) || '', re);
    });
  }
  it('round-trips a stored plan', () => {
    const v = planFormValues(monthly);
    const r = parsePlanForm({ ...v, isActive: 'on' }, { existing: monthly });
    assert.ok(r.ok);
    assert.equal(r.value.priceCents, 800);
  });
  it('describes changes for the audit log', () => {
    assert.equal(describePlanChange(monthly, { ...monthly, priceCents: 900, isActive: false }), 'plan digital: price $8 a month → $9 a month (for new subscribers); deactivated');
    assert.match(describePlanChange(null, { ...monthly }), /^created plan Digital \(digital, \$8 a month; web, daily, weekly\)$/);
  });
});

describe('parseOfferForm', () => {
  const valid = { slug: 'spring', planId: '1', headline: '$15 gets you the Weekly magazine, the Daily email, and unlimited access to the site', terms: 'intro', introTotal: '15.00', introMonths: '6', trialDays: '', isActive: 'on', position: '0' };
  it('reads an introductory offer', () => {
    const r = parseOfferForm(valid, { existing: null, plans });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
    assert.deepEqual(r.value, { slug: 'spring', planId: 1, headline: valid.headline, introTotalCents: 1500, introMonths: 6, trialDays: null, isActive: true, position: 0 });
  });
  it('reads a trial and a full-price offer, dropping the other terms', () => {
    const trial = parseOfferForm({ ...valid, terms: 'trial', trialDays: '14' }, { existing: null, plans });
    assert.ok(trial.ok);
    assert.deepEqual([trial.value.introTotalCents, trial.value.introMonths, trial.value.trialDays], [null, null, 14]);
    const full = parseOfferForm({ ...valid, terms: 'full', planId: '2' }, { existing: null, plans });
    assert.ok(full.ok);
    assert.deepEqual([full.value.introTotalCents, full.value.introMonths, full.value.trialDays, full.value.planId], [null, null, null, 2]);
  });
  it('keeps a stored offer’s slug', () => {
    const r = parseOfferForm({ ...valid, slug: 'other' }, { existing: intro, plans });
    assert.ok(r.ok);
    assert.equal(r.value.slug, 'intro-15');
  });
  const bad: [string, Record<string, string>, string, RegExp][] = [
    ['an unknown plan', { planId: '99' }, 'planId', /choose the plan/],
    ['no headline', { headline: ' ' }, 'headline', /needs a headline/],
    ['unknown terms', { terms: 'free-forever' }, 'terms', /full price, an introductory/],
    ['an intro without months', { introMonths: '' }, 'introMonths', /required/],
    ['an intro that costs more than full price', { introTotal: '48.00' }, 'introTotal', /not a discount: 6 months of Digital cost \$48/],
    ['an intro in odd months on a yearly plan', { planId: '2', introMonths: '6', introTotal: '20' }, 'introMonths', /whole years/],
    ['a trial of 0 days', { terms: 'trial', trialDays: '0' }, 'trialDays', /at least 1/],
    ['a trial of 91 days', { terms: 'trial', trialDays: '91' }, 'trialDays', /at most 90/],
  ];
  for (const [name, overrides, field, re] of bad) {
    it(`refuses ${name}`, () => {
      const r = parseOfferForm({ ...valid, ...overrides }, { existing: null, plans });
      assert.equal(r.ok, false);
      assert.match((!r.ok && r.errors[field]) || '', re);
    });
  }
  it('round-trips a stored offer and describes a new headline', () => {
    const v = offerFormValues(intro, plans);
    assert.deepEqual([v.terms, v.introTotal, v.introMonths], ['intro', '15.00', '6']);
    const r = parseOfferForm({ ...v, isActive: 'on', headline: 'A new headline' }, { existing: intro, plans });
    assert.ok(r.ok);
    assert.equal(describeOfferChange(intro, r.value, plans), 'offer intro-15: headline “$15 for 6 months” → “A new headline”');
  });
});

describe('coupon expiry dates', () => {
  it('finds local midnight across DST', () => {
    assert.equal(new Date(localMidnight(2026, 11, 20, TZ)).toISOString(), '2026-11-20T05:00:00.000Z');
    assert.equal(new Date(localMidnight(2026, 7, 1, TZ)).toISOString(), '2026-07-01T04:00:00.000Z');
    assert.equal(new Date(localMidnight(2026, 3, 8, TZ)).toISOString(), '2026-03-08T05:00:00.000Z');
  });
  it('begins a day without a midnight at its first instant (Santiago springs forward at 00:00)', () => {
    assert.equal(new Date(localMidnight(2026, 9, 6, 'America/Santiago')).toISOString(), '2026-09-06T04:00:00.000Z', '01:00 -03, not 23:00 the day before');
    const at = expiryFromDate('2026-09-05', 'America/Santiago')!;
    assert.equal(new Date(at).toISOString(), '2026-09-06T04:00:00.000Z', 'good through the whole of 5 September');
    assert.equal(dateFromExpiry(at, 'America/Santiago'), '2026-09-05');
  });
  it('is good through the end of the last day, and reads back as that day', () => {
    const at = expiryFromDate('2026-12-31', TZ)!;
    assert.equal(new Date(at).toISOString(), '2027-01-01T05:00:00.000Z');
    assert.equal(dateFromExpiry(at, TZ), '2026-12-31');
    assert.equal(expiryFromDate('2026-02-30', TZ), null);
    assert.equal(expiryFromDate('31/12/2026', TZ), null);
  });
});

describe('parseCouponForm', () => {
  const valid = { code: ' spring25 ', percentOff: '25', duration: 'repeating', durationMonths: '3', expires: '2026-12-31', maxRedemptions: '100', isActive: 'on' };
  const stored: Coupon = { code: 'NEWSROOM20', percentOff: 20, amountOffCents: null, duration: 'repeating', durationMonths: 3, maxRedemptions: 500, redeemedCount: 40, expiresAt: null, isActive: true };
  it('reads a coupon: upper-case code, expiry at the end of the day', () => {
    const r = parseCouponForm(valid, { existing: null, timeZone: TZ, now: NOW });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
    assert.deepEqual(r.value, { code: 'SPRING25', percentOff: 25, duration: 'repeating', durationMonths: 3, maxRedemptions: 100, expiresAt: Date.parse('2027-01-01T05:00:00Z'), isActive: true });
  });
  it('drops the months unless the discount repeats; blank end and uses mean none', () => {
    const r = parseCouponForm({ ...valid, duration: 'once', durationMonths: 'x', expires: '', maxRedemptions: '' }, { existing: null, timeZone: TZ, now: NOW });
    assert.ok(r.ok);
    assert.deepEqual([r.value.durationMonths, r.value.expiresAt, r.value.maxRedemptions], [null, null, null]);
  });
  const bad: [string, Record<string, string>, string, RegExp][] = [
    ['a short code', { code: 'ab' }, 'code', /at least 3/],
    ['a code with spaces', { code: 'SPRING 25' }, 'code', /letters, digits, dashes/],
    ['0 percent', { percentOff: '0' }, 'percentOff', /at least 1/],
    ['101 percent', { percentOff: '101' }, 'percentOff', /at most 100/],
    ['an unknown duration', { duration: 'weekly' }, 'duration', /how long/],
    ['repeating without months', { durationMonths: '' }, 'durationMonths', /required/],
    ['a past day', { expires: '2026-11-19' }, 'expires', /has passed/],
    ['a bad date', { expires: 'tomorrow' }, 'expires', /such as 2026-12-31/],
    ['zero uses', { maxRedemptions: '0' }, 'maxRedemptions', /at least 1/],
  ];
  for (const [name, overrides, field, re] of bad) {
    it(`refuses ${name}`, () => {
      const r = parseCouponForm({ ...valid, ...overrides }, { existing: null, timeZone: TZ, now: NOW });
      assert.equal(r.ok, false);
      assert.match((!r.ok && r.errors[field]) || '', re);
    });
  }
  it('keeps a stored code and refuses fewer uses than already made', () => {
    const r = parseCouponForm({ ...valid, code: 'OTHER', maxRedemptions: '39' }, { existing: stored, timeZone: TZ, now: NOW });
    assert.equal(r.ok, false);
    assert.match((!r.ok && r.errors.maxRedemptions) || '', /at least 40/);
    const ok = parseCouponForm({ ...couponFormValues(stored, TZ), isActive: 'on', percentOff: '30' }, { existing: stored, timeZone: TZ, now: NOW });
    assert.ok(ok.ok);
    assert.equal(ok.value.code, 'NEWSROOM20');
    assert.equal(describeCouponChange(stored, ok.value, TZ), 'coupon NEWSROOM20: terms 20% off for 3 months → 30% off for 3 months');
  });
});
