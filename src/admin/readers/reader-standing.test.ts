import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { principalSubscription, readerStanding, summarizeReader } from './reader-standing.ts';
import { GRACE_DAYS, PERIOD_LEEWAY_MS } from '../../billing/subscription.ts';
import type { Subscription } from '../../billing/types.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T15:00:00Z');
let ids = 0;
const sub = (over: Partial<Subscription> = {}): Subscription => ({
  id: ++ids, readerId: 1, planId: 1, provider: 'demo', providerSubscriptionId: `sub_${ids}`, providerCustomerId: 'cus', status: 'active',
  currentPeriodStart: NOW - 10 * DAY, currentPeriodEnd: NOW + 20 * DAY, cancelAtPeriodEnd: false, trialEnd: null, pastDueSince: null, endedAt: null,
  createdAt: NOW - 10 * DAY, updatedAt: NOW - 10 * DAY, ...over,
});
const gift = (startsAt: number, endsAt: number) => ({ status: 'redeemed', startsAt, endsAt, planId: 2 });
const PLANS = new Map([[1, { name: 'Digital' }], [2, { name: 'The Weekly' }]]);

describe('where a reader stands', () => {
  it('is a subscriber while any subscription gives access, grace and leeway included', () => {
    assert.equal(readerStanding([sub()], [], NOW), 'subscriber');
    assert.equal(readerStanding([sub({ status: 'canceled', cancelAtPeriodEnd: true })], [], NOW), 'subscriber');
    assert.equal(readerStanding([sub({ status: 'trialing' })], [], NOW), 'subscriber');
    assert.equal(readerStanding([sub({ currentPeriodEnd: NOW - PERIOD_LEEWAY_MS + 1 })], [], NOW), 'subscriber');
    assert.equal(readerStanding([sub({ status: 'past_due', pastDueSince: NOW - (GRACE_DAYS * DAY - 1) })], [], NOW), 'subscriber');
    assert.equal(readerStanding([sub({ provider: 'comp' })], [], NOW), 'subscriber');
    assert.equal(readerStanding([], [gift(NOW - DAY, NOW + DAY)], NOW), 'subscriber');
  });

  it('is lapsed once everything it had is over', () => {
    assert.equal(readerStanding([sub({ status: 'ended', endedAt: NOW - DAY })], [], NOW), 'lapsed');
    assert.equal(readerStanding([sub({ currentPeriodEnd: NOW - PERIOD_LEEWAY_MS })], [], NOW), 'lapsed');
    assert.equal(readerStanding([sub({ status: 'past_due', pastDueSince: NOW - GRACE_DAYS * DAY })], [], NOW), 'lapsed');
    assert.equal(readerStanding([], [gift(NOW - 10 * DAY, NOW)], NOW), 'lapsed');
  });

  it('is a free account with nothing, or only a checkout never paid, or a gift not yet redeemed', () => {
    assert.equal(readerStanding([], [], NOW), 'free');
    assert.equal(readerStanding([sub({ status: 'incomplete' })], [], NOW), 'free');
    assert.equal(readerStanding([], [{ status: 'paid', startsAt: null, endsAt: null }], NOW), 'free');
  });

  it('shows the subscription that gives access longest, else the latest', () => {
    const short = sub({ currentPeriodEnd: NOW + DAY });
    const long = sub({ currentPeriodEnd: NOW + 40 * DAY, createdAt: NOW - 40 * DAY });
    const ended = sub({ status: 'ended', createdAt: NOW - DAY });
    assert.equal(principalSubscription([short, ended, long], NOW), long);
    const older = sub({ status: 'ended', createdAt: NOW - 90 * DAY });
    assert.equal(principalSubscription([older, ended], NOW), ended);
    assert.equal(principalSubscription([], NOW), null);
  });

  it('sums a reader up in one line: status, plan, and whether it is complimentary', () => {
    assert.deepEqual(summarizeReader([sub({ provider: 'comp' })], [], PLANS, NOW), { standing: 'subscriber', status: 'Complimentary', plan: 'Digital', statusCode: 'active', isComplimentary: true });
    assert.deepEqual(summarizeReader([sub({ status: 'ended', endedAt: NOW - DAY })], [gift(NOW - DAY, NOW + DAY)], PLANS, NOW), { standing: 'subscriber', status: 'Gift', plan: 'The Weekly', statusCode: null, isComplimentary: false });
    assert.deepEqual(summarizeReader([], [], PLANS, NOW), { standing: 'free', status: '—', plan: '', statusCode: null, isComplimentary: false });
  });
});
