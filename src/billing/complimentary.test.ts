import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideComplimentary, describeSubscription, endingSoonNotice, isComplimentary } from './complimentary.ts';
import { entitlementsFor } from './entitlements.ts';
import { ENDING_SOON_DAYS, PERIOD_LEEWAY_MS } from './subscription.ts';
import type { Entitlement, Subscription, SubscriptionStatus } from './types.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T15:00:00Z');

function sub(over: Partial<Subscription> & { status?: SubscriptionStatus } = {}): Subscription {
  return {
    id: 1, readerId: 7, planId: 10, provider: 'demo', providerSubscriptionId: 'sub_1', providerCustomerId: 'cus_1', status: 'active',
    currentPeriodStart: NOW - 10 * DAY, currentPeriodEnd: NOW + 20 * DAY, cancelAtPeriodEnd: false, trialEnd: null, pastDueSince: null,
    endedAt: null, createdAt: NOW - 10 * DAY, updatedAt: NOW - 10 * DAY, ...over,
  };
}
// As stored: canceled from the start (access until the period end, no renewal).
const comp = (over: Partial<Subscription> = {}) => sub({ provider: 'comp', providerSubscriptionId: 'comp_1', providerCustomerId: '', status: 'canceled', cancelAtPeriodEnd: true, ...over });

describe('complimentary subscriptions', () => {
  it('starts a new grant now for calendar months when the reader has nothing live', () => {
    for (const subs of [[], [sub({ status: 'ended', endedAt: NOW - DAY })], [sub({ status: 'incomplete' })], [comp({ status: 'ended' })], [sub({ status: 'canceled', currentPeriodEnd: NOW - 2 * PERIOD_LEEWAY_MS })]]) {
      const d = decideComplimentary(subs, { planId: 10, months: 3, now: NOW });
      assert.deepEqual(d, { kind: 'new', periodStart: NOW, periodEnd: Date.parse('2027-02-20T15:00:00Z') });
    }
    // Month ends clamp: 31 January plus one month is the last day of February.
    const jan31 = Date.parse('2027-01-31T10:00:00Z');
    assert.deepEqual(decideComplimentary([], { planId: 10, months: 1, now: jan31 }), { kind: 'new', periodStart: jan31, periodEnd: Date.parse('2027-02-28T10:00:00Z') });
  });

  it('refuses a reader who pays for live access, in any live status', () => {
    for (const status of ['active', 'trialing', 'canceled'] as const) {
      const paying = sub({ status });
      assert.deepEqual(decideComplimentary([paying], { planId: 10, months: 1, now: NOW }), { kind: 'refused', reason: 'paid-subscription', subscription: paying });
    }
    const inGrace = sub({ status: 'past_due', pastDueSince: NOW - DAY });
    assert.equal(decideComplimentary([inGrace], { planId: 99, months: 1, now: NOW }).kind, 'refused');
  });

  it('extends a live grant of the same plan from its end, and refuses one of another plan', () => {
    const live = comp({ currentPeriodEnd: Date.parse('2026-12-31T00:00:00Z') });
    assert.deepEqual(decideComplimentary([live], { planId: 10, months: 2, now: NOW }), { kind: 'extend', subscription: live, periodEnd: Date.parse('2027-02-28T00:00:00Z') });
    assert.deepEqual(decideComplimentary([live], { planId: 11, months: 2, now: NOW }), { kind: 'refused', reason: 'other-plan', subscription: live });
  });

  it('tells complimentary rows from the rest by their provider', () => {
    assert.equal(isComplimentary(comp()), true);
    assert.equal(isComplimentary(sub()), false);
  });

  it('warns a complimentary reader in the last days before the end, in its own words; others as endingSoon', () => {
    const end = NOW + 20 * DAY;
    const window = ENDING_SOON_DAYS.canceled * DAY;
    const cases: [string, Subscription, number, ReturnType<typeof endingSoonNotice>][] = [
      ['complimentary, weeks away', comp({ currentPeriodEnd: end }), NOW, null],
      ['complimentary, just outside the window', comp({ currentPeriodEnd: end }), end - window - 1, null],
      ['complimentary, window opens', comp({ currentPeriodEnd: end }), end - window, { reason: 'complimentary', endsAt: end }],
      ['complimentary, the day before', comp({ currentPeriodEnd: end }), end - DAY, { reason: 'complimentary', endsAt: end }],
      ['complimentary, at the end', comp({ currentPeriodEnd: end }), end, null],
      ['complimentary, ended early', comp({ currentPeriodEnd: end, status: 'ended', endedAt: NOW }), end - DAY, null],
      ['paid, canceled', sub({ status: 'canceled', cancelAtPeriodEnd: true, currentPeriodEnd: end }), end - DAY, { reason: 'canceled', endsAt: end }],
      ['paid, renewing', sub({ currentPeriodEnd: end }), end - DAY, null],
      ['trial', sub({ status: 'trialing', trialEnd: end, currentPeriodEnd: end }), end - DAY, { reason: 'trial', endsAt: end }],
    ];
    for (const [name, s, now, expected] of cases) assert.deepEqual(endingSoonNotice(s, now), expected, name);
  });

  it('reads "Complimentary — ends on" on the account page, then "Ended"; other subscriptions as before', () => {
    const end = NOW + 20 * DAY;
    assert.deepEqual(describeSubscription(comp({ currentPeriodEnd: end }), NOW), { label: 'Complimentary', date: end, kind: 'ends' });
    assert.deepEqual(describeSubscription(comp({ currentPeriodEnd: end }), end + PERIOD_LEEWAY_MS), { label: 'Ended', date: end, kind: 'ended' });
    assert.deepEqual(describeSubscription(comp({ status: 'ended', endedAt: NOW - DAY }), NOW), { label: 'Ended', date: NOW - DAY, kind: 'ended' });
    assert.deepEqual(describeSubscription(sub({ currentPeriodEnd: end }), NOW), { label: 'Active', date: end, kind: 'renews' });
  });

  it("gives the plan's entitlements until the period end, and none once ended", () => {
    const plans = new Map([[10, { id: 10, entitlements: ['web', 'daily', 'weekly'] as Entitlement[] }]]);
    const grant = comp({ id: 5, currentPeriodEnd: NOW + DAY });
    const during = entitlementsFor({ subscriptions: [grant], plans, gifts: [], isStaff: false }, NOW);
    assert.deepEqual(during.web, { source: 'subscription', subscriptionId: 5, until: NOW + DAY + PERIOD_LEEWAY_MS });
    assert.ok(during.daily && during.weekly);
    const after = entitlementsFor({ subscriptions: [{ ...grant, status: 'ended', endedAt: NOW + DAY }], plans, gifts: [], isStaff: false }, NOW + DAY);
    assert.deepEqual(after, { web: null, daily: null, weekly: null });
  });
});
