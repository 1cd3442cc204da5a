import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { entitlementsFor, hasEntitlement, NO_ENTITLEMENTS } from './entitlements.ts';
import type { Entitlements, EntitlementsInput, GiftGrant } from './entitlements.ts';
import { PERIOD_LEEWAY_MS } from './subscription.ts';
import type { Entitlement, Subscription, SubscriptionStatus } from './types.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-03-10T12:00:00Z');

const WEB = 1;
const WEB_DAILY = 2;
const ALL = 3;
const plans: EntitlementsInput['plans'] = new Map([
  [WEB, { id: WEB, entitlements: ['web'] }],
  [WEB_DAILY, { id: WEB_DAILY, entitlements: ['web', 'daily'] }],
  [ALL, { id: ALL, entitlements: ['web', 'daily', 'weekly'] }],
]);

function sub(id: number, planId: number, status: SubscriptionStatus, over: Partial<Subscription> = {}): Subscription {
  return {
    id,
    readerId: 7,
    planId,
    provider: 'demo',
    providerSubscriptionId: `sub_${id}`,
    providerCustomerId: 'cus_1',
    status,
    currentPeriodStart: NOW - 10 * DAY,
    currentPeriodEnd: NOW + 20 * DAY,
    cancelAtPeriodEnd: status === 'canceled',
    trialEnd: null,
    pastDueSince: status === 'past_due' ? NOW - 2 * DAY : null,
    endedAt: status === 'ended' ? NOW - DAY : null,
    createdAt: NOW - 10 * DAY,
    updatedAt: NOW - 10 * DAY,
    ...over,
  };
}

const gift = (id: number, startsAt: number, endsAt: number, entitlements: Entitlement[]): GiftGrant => ({ id, startsAt, endsAt, entitlements });

const input = (over: Partial<EntitlementsInput>): EntitlementsInput => ({ subscriptions: [], plans, gifts: [], isStaff: false, ...over });

describe('entitlementsFor', () => {
  it('nothing for a reader with nothing', () => {
    assert.deepEqual(entitlementsFor(input({}), NOW), NO_ENTITLEMENTS);
  });

  it('an active subscription grants its plan until the period end (plus leeway)', () => {
    const e = entitlementsFor(input({ subscriptions: [sub(5, WEB_DAILY, 'active')] }), NOW);
    const source = { source: 'subscription', subscriptionId: 5, until: NOW + 20 * DAY + PERIOD_LEEWAY_MS } as const;
    assert.deepEqual(e, { web: source, daily: source, weekly: null });
  });

  it('is the union across subscriptions and gifts', () => {
    const e = entitlementsFor(input({ subscriptions: [sub(5, WEB, 'active')], gifts: [gift(9, NOW - DAY, NOW + 5 * DAY, ['weekly'])] }), NOW);
    assert.deepEqual(e, {
      web: { source: 'subscription', subscriptionId: 5, until: NOW + 20 * DAY + PERIOD_LEEWAY_MS },
      daily: null,
      weekly: { source: 'gift', giftId: 9, until: NOW + 5 * DAY },
    });
  });

  it('the source that lasts longest wins, per entitlement', () => {
    const e = entitlementsFor(input({
      subscriptions: [sub(5, ALL, 'active', { currentPeriodEnd: NOW + 3 * DAY }), sub(6, WEB, 'canceled', { currentPeriodEnd: NOW + 25 * DAY })],
      gifts: [gift(9, NOW - DAY, NOW + 60 * DAY, ['daily']), gift(10, NOW - DAY, NOW + 2 * DAY, ['weekly'])],
    }), NOW);
    assert.deepEqual(e, {
      web: { source: 'subscription', subscriptionId: 6, until: NOW + 25 * DAY + PERIOD_LEEWAY_MS },
      daily: { source: 'gift', giftId: 9, until: NOW + 60 * DAY },
      weekly: { source: 'subscription', subscriptionId: 5, until: NOW + 3 * DAY + PERIOD_LEEWAY_MS },
    });
  });

  it('does not depend on the order of the input; ties go to the subscription, then the lower id', () => {
    const until = NOW + 20 * DAY + PERIOD_LEEWAY_MS;
    const subs = [sub(6, WEB, 'active'), sub(5, WEB, 'active')];
    const gifts = [gift(9, NOW - DAY, until, ['web', 'daily']), gift(8, NOW - DAY, until, ['daily'])];
    const expected: Entitlements = { web: { source: 'subscription', subscriptionId: 5, until }, daily: { source: 'gift', giftId: 8, until }, weekly: null };
    assert.deepEqual(entitlementsFor(input({ subscriptions: subs, gifts }), NOW), expected);
    assert.deepEqual(entitlementsFor(input({ subscriptions: [...subs].reverse(), gifts: [...gifts].reverse() }), NOW), expected);
  });

  it('ignores expired and not-yet-started gifts (startsAt inclusive, endsAt exclusive)', () => {
    const gifts = [gift(1, NOW - 30 * DAY, NOW, ['web']), gift(2, NOW + 1, NOW + 30 * DAY, ['daily']), gift(3, NOW, NOW + 1, ['weekly'])];
    assert.deepEqual(entitlementsFor(input({ gifts }), NOW), { web: null, daily: null, weekly: { source: 'gift', giftId: 3, until: NOW + 1 } });
  });

  it('ignores subscriptions whose period is over', () => {
    const over = sub(5, ALL, 'canceled', { currentPeriodEnd: NOW - PERIOD_LEEWAY_MS });
    assert.deepEqual(entitlementsFor(input({ subscriptions: [over] }), NOW), NO_ENTITLEMENTS);
    const stale = sub(6, ALL, 'active', { currentPeriodEnd: NOW - PERIOD_LEEWAY_MS - 1 });
    assert.deepEqual(entitlementsFor(input({ subscriptions: [stale] }), NOW), NO_ENTITLEMENTS);
  });

  it('an ended subscription gives nothing, even inside its old period', () => {
    assert.deepEqual(entitlementsFor(input({ subscriptions: [sub(5, ALL, 'ended')] }), NOW), NO_ENTITLEMENTS);
  });

  it('an incomplete subscription gives nothing', () => {
    assert.deepEqual(entitlementsFor(input({ subscriptions: [sub(5, ALL, 'incomplete')] }), NOW), NO_ENTITLEMENTS);
  });

  it('past_due within grace still gives access, until the grace ends', () => {
    const late = sub(5, WEB, 'past_due', { pastDueSince: NOW - 2 * DAY });
    assert.deepEqual(entitlementsFor(input({ subscriptions: [late] }), NOW).web, { source: 'subscription', subscriptionId: 5, until: NOW + 5 * DAY });
    assert.deepEqual(entitlementsFor(input({ subscriptions: [late] }), NOW + 5 * DAY), NO_ENTITLEMENTS);
  });

  it('a trial grants its plan', () => {
    const e = entitlementsFor(input({ subscriptions: [sub(5, WEB, 'trialing', { trialEnd: NOW + DAY, currentPeriodEnd: NOW + DAY })] }), NOW);
    assert.equal(e.web?.source, 'subscription');
  });

  it('a subscription to an unknown plan grants nothing', () => {
    assert.deepEqual(entitlementsFor(input({ subscriptions: [sub(5, 99, 'active')] }), NOW), NO_ENTITLEMENTS);
  });

  it('staff get every entitlement, whatever else they have', () => {
    const staff = { source: 'staff' } as const;
    assert.deepEqual(entitlementsFor(input({ isStaff: true }), NOW), { web: staff, daily: staff, weekly: staff });
    assert.deepEqual(entitlementsFor(input({ isStaff: true, subscriptions: [sub(5, WEB, 'active')] }), NOW), { web: staff, daily: staff, weekly: staff });
  });

  it('leaves NO_ENTITLEMENTS untouched', () => {
    entitlementsFor(input({ subscriptions: [sub(5, ALL, 'active')] }), NOW);
    entitlementsFor(input({ isStaff: true }), NOW);
    assert.deepEqual(NO_ENTITLEMENTS, { web: null, daily: null, weekly: null });
    assert.equal(Object.isFrozen(NO_ENTITLEMENTS), true);
  });
});

describe('hasEntitlement', () => {
  it('is true exactly when there is a source', () => {
    const e = entitlementsFor(input({ subscriptions: [sub(5, WEB, 'active')] }), NOW);
    assert.equal(hasEntitlement(e, 'web'), true);
    assert.equal(hasEntitlement(e, 'daily'), false);
    assert.equal(hasEntitlement(NO_ENTITLEMENTS, 'web'), false);
    assert.equal(hasEntitlement(entitlementsFor(input({ isStaff: true }), NOW), 'weekly'), true);
  });
});
