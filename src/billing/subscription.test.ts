import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { access, describeStatus, endingSoon, GRACE_DAYS, isSameState, nextSubscription, PERIOD_LEEWAY_MS, statusFromProvider } from './subscription.ts';
import type { Effect } from './subscription.ts';
import type { ProviderStatus, ProviderSubscription, Subscription, SubscriptionStatus } from './types.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-03-01T12:00:00Z');
const PERIOD_END = T0 + 30 * DAY;
const ctx = (now: number, planId = 10) => ({ now, readerId: 7, planId, provider: 'stripe' as const });

function providerSub(over: Partial<ProviderSubscription> = {}): ProviderSubscription {
  return {
    id: 'sub_1',
    customerId: 'cus_1',
    status: 'active',
    priceId: 'price_1',
    currentPeriodStart: T0,
    currentPeriodEnd: PERIOD_END,
    cancelAtPeriodEnd: false,
    trialEnd: null,
    endedAt: null,
    metadata: {},
    ...over,
  };
}

/** Our record in a given status, consistent with it, as the machine would have left it. */
function record(status: SubscriptionStatus, over: Partial<Subscription> = {}): Subscription {
  return {
    id: 1,
    readerId: 7,
    planId: 10,
    provider: 'stripe',
    providerSubscriptionId: 'sub_1',
    providerCustomerId: 'cus_1',
    status,
    currentPeriodStart: T0 - 30 * DAY,
    currentPeriodEnd: T0,
    cancelAtPeriodEnd: status === 'canceled',
    trialEnd: status === 'trialing' ? T0 : null,
    pastDueSince: status === 'past_due' ? T0 - DAY : null,
    endedAt: status === 'ended' ? T0 - DAY : null,
    createdAt: T0 - 60 * DAY,
    updatedAt: T0 - DAY,
    ...over,
  };
}

const PROVIDER_STATUSES: ProviderStatus[] = ['incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'paused'];
const PREVIOUS: (SubscriptionStatus | null)[] = [null, 'incomplete', 'trialing', 'active', 'past_due', 'canceled', 'ended'];

// The written expectation. Columns: the provider's status, without / with cancelAtPeriodEnd.
const EXPECTED_STATUS: Record<ProviderStatus, [SubscriptionStatus, SubscriptionStatus]> = {
  incomplete: ['incomplete', 'incomplete'],
  incomplete_expired: ['ended', 'ended'],
  trialing: ['trialing', 'canceled'],
  active: ['active', 'canceled'],
  past_due: ['past_due', 'past_due'],
  canceled: ['ended', 'ended'],
  unpaid: ['ended', 'ended'],
  paused: ['ended', 'ended'],
};

// Effects, written out by hand for every (previous status) × (provider status, cancel flag).
// '' = no effects; several effects are joined with '+'.
type Row = Record<ProviderStatus, [string, string]>;
const fromNothing: Row = {
  incomplete: ['', ''],
  incomplete_expired: ['ended', 'ended'],
  trialing: ['trial-started', 'trial-started+canceled'],
  active: ['started', 'started+canceled'],
  past_due: ['started+past-due', 'started+past-due'],
  canceled: ['ended', 'ended'],
  unpaid: ['ended', 'ended'],
  paused: ['ended', 'ended'],
};
const EXPECTED_EFFECTS: Record<string, Row> = {
  null: fromNothing,
  incomplete: fromNothing,
  trialing: {
    incomplete: ['', ''],
    incomplete_expired: ['ended', 'ended'],
    trialing: ['', 'canceled'],
    active: ['started', 'canceled'],
    past_due: ['past-due', 'past-due'],
    canceled: ['ended', 'ended'],
    unpaid: ['ended', 'ended'],
    paused: ['ended', 'ended'],
  },
  active: {
    incomplete: ['', ''],
    incomplete_expired: ['ended', 'ended'],
    trialing: ['', 'canceled'],
    active: ['', 'canceled'],
    past_due: ['past-due', 'past-due'],
    canceled: ['ended', 'ended'],
    unpaid: ['ended', 'ended'],
    paused: ['ended', 'ended'],
  },
  past_due: {
    incomplete: ['', ''],
    incomplete_expired: ['ended', 'ended'],
    trialing: ['recovered', 'recovered+canceled'],
    active: ['recovered', 'recovered+canceled'],
    past_due: ['', ''],
    canceled: ['ended', 'ended'],
    unpaid: ['ended', 'ended'],
    paused: ['ended', 'ended'],
  },
  canceled: {
    incomplete: ['', ''],
    incomplete_expired: ['ended', 'ended'],
    trialing: ['resumed', ''],
    active: ['resumed', ''],
    past_due: ['past-due', 'past-due'],
    canceled: ['ended', 'ended'],
    unpaid: ['ended', 'ended'],
    paused: ['ended', 'ended'],
  },
  ended: {
    incomplete: ['', ''],
    incomplete_expired: ['', ''],
    trialing: ['trial-started', 'trial-started+canceled'],
    active: ['started', 'started+canceled'],
    past_due: ['started+past-due', 'started+past-due'],
    canceled: ['', ''],
    unpaid: ['', ''],
    paused: ['', ''],
  },
};

const parseEffects = (s: string): Effect[] => (s === '' ? [] : (s.split('+') as Effect[]));

describe('statusFromProvider', () => {
  for (const ps of PROVIDER_STATUSES) {
    for (const [i, cancel] of [false, true].entries()) {
      it(`${ps}${cancel ? ' + cancelAtPeriodEnd' : ''} → ${EXPECTED_STATUS[ps][i]}`, () => {
        assert.equal(statusFromProvider(providerSub({ status: ps, cancelAtPeriodEnd: cancel })), EXPECTED_STATUS[ps][i]);
      });
    }
  }
});

describe('nextSubscription: every previous status × provider status × cancel flag', () => {
  const now = T0 + HOUR;
  for (const prevStatus of PREVIOUS) {
    for (const ps of PROVIDER_STATUSES) {
      for (const [i, cancel] of [false, true].entries()) {
        const to = EXPECTED_STATUS[ps][i];
        const effects = parseEffects(EXPECTED_EFFECTS[String(prevStatus)][ps][i]);
        it(`${prevStatus ?? '(none)'} + ${ps}${cancel ? '/cancel' : ''} → ${to} [${effects.join(', ')}]`, () => {
          const prev = prevStatus === null ? null : record(prevStatus);
          const p = providerSub({ status: ps, cancelAtPeriodEnd: cancel });
          const { next, transition } = nextSubscription(prev, p, ctx(now));
          assert.deepEqual(transition, { from: prevStatus, to, effects });
          assert.equal(next.status, to);
          // The record follows the provider and the context.
          assert.equal(next.providerSubscriptionId, 'sub_1');
          assert.equal(next.providerCustomerId, 'cus_1');
          assert.equal(next.currentPeriodEnd, PERIOD_END);
          assert.equal(next.cancelAtPeriodEnd, cancel);
          assert.equal(next.readerId, 7);
          assert.equal(next.planId, 10);
          // Invariants that tie the timestamps to the status.
          assert.equal(next.pastDueSince !== null, to === 'past_due');
          if (to === 'past_due') assert.equal(next.pastDueSince, prevStatus === 'past_due' ? T0 - DAY : now);
          assert.equal(next.endedAt !== null, to === 'ended');
          if (to === 'ended') assert.equal(next.endedAt, prevStatus === 'ended' ? T0 - DAY : now);
          assert.equal(next.createdAt, prev ? prev.createdAt : now);
          // Every one of these provider objects differs from `record()` (period moved on).
          assert.equal(next.updatedAt, now);
        });
      }
    }
  }
});

describe('nextSubscription: replays and stale events', () => {
  for (const ps of PROVIDER_STATUSES) {
    for (const cancel of [false, true]) {
      it(`replaying ${ps}${cancel ? '/cancel' : ''} changes nothing and has no effects`, () => {
        const p = providerSub({ status: ps, cancelAtPeriodEnd: cancel });
        const first = nextSubscription(null, p, ctx(T0));
        const stored: Subscription = { id: 1, ...first.next };
        const again = nextSubscription(stored, p, ctx(T0 + 5 * DAY));
        assert.deepEqual(again.next, first.next);
        assert.equal(again.next.updatedAt, T0);
        assert.deepEqual(again.transition.effects, []);
        assert.equal(isSameState(stored, again.next), true);
      });
    }
  }

  it('a renewal with no change of status updates the record but has no effects', () => {
    const prev = { id: 1, ...nextSubscription(null, providerSub(), ctx(T0)).next };
    const renewed = providerSub({ currentPeriodStart: PERIOD_END, currentPeriodEnd: PERIOD_END + 30 * DAY });
    const { next, transition } = nextSubscription(prev, renewed, ctx(PERIOD_END + 60_000));
    assert.deepEqual(transition, { from: 'active', to: 'active', effects: [] });
    assert.equal(next.currentPeriodEnd, PERIOD_END + 30 * DAY);
    assert.equal(next.updatedAt, PERIOD_END + 60_000);
    assert.equal(next.createdAt, T0);
    assert.equal(isSameState(prev, next), false);
  });

  it('converges on the current provider object after a stale one', () => {
    const endedAt = T0 + 10 * DAY;
    const current = providerSub({ status: 'canceled', endedAt });
    const stale = providerSub({ status: 'active' });
    const ended = { id: 1, ...nextSubscription({ ...record('canceled'), currentPeriodEnd: PERIOD_END }, current, ctx(endedAt)).next };
    assert.equal(ended.status, 'ended');
    // The machine itself takes what it is given: a stale 'active' moves the record …
    const afterStale = { id: 1, ...nextSubscription(ended, stale, ctx(endedAt + 1000)).next };
    assert.equal(afterStale.status, 'active');
    // … and the re-read current object brings it back to exactly the current state.
    const { next, transition } = nextSubscription(afterStale, current, ctx(endedAt + 2000));
    assert.equal(next.status, 'ended');
    assert.equal(next.endedAt, endedAt);
    assert.equal(isSameState(next, ended), true);
    assert.deepEqual(transition.effects, ['ended']);
    // Whereas feeding the current object twice after the ending is a no-op.
    const replay = nextSubscription(ended, current, ctx(endedAt + 3000));
    assert.deepEqual(replay.transition.effects, []);
    assert.equal(replay.next.updatedAt, ended.updatedAt);
  });

  it('keeps its own endedAt when the provider gives none', () => {
    const p = providerSub({ status: 'unpaid', endedAt: null });
    const first = { id: 1, ...nextSubscription(record('active'), p, ctx(T0)).next };
    assert.equal(first.endedAt, T0);
    const again = nextSubscription(first, p, ctx(T0 + DAY)).next;
    assert.equal(again.endedAt, T0);
    assert.equal(again.updatedAt, first.updatedAt);
  });

  it('takes endedAt from the provider when it has one', () => {
    const p = providerSub({ status: 'canceled', endedAt: T0 - HOUR });
    assert.equal(nextSubscription(record('active'), p, ctx(T0)).next.endedAt, T0 - HOUR);
  });
});

describe('nextSubscription: past_due', () => {
  it('sets pastDueSince on entering, keeps it across repeated past_due, clears it on recovery', () => {
    const failed = providerSub({ status: 'past_due' });
    const a = { id: 1, ...nextSubscription(record('active'), failed, ctx(T0)).next };
    assert.equal(a.pastDueSince, T0);
    // A second failed retry: the provider's object changed (say the period), still past_due.
    const retried = providerSub({ status: 'past_due', currentPeriodStart: T0 + 1 });
    const b = { id: 1, ...nextSubscription(a, retried, ctx(T0 + 3 * DAY)).next };
    assert.equal(b.pastDueSince, T0);
    assert.equal(b.updatedAt, T0 + 3 * DAY);
    const c = nextSubscription(b, providerSub({ status: 'active' }), ctx(T0 + 4 * DAY));
    assert.equal(c.next.pastDueSince, null);
    assert.deepEqual(c.transition.effects, ['recovered']);
    // Failing again later starts a new grace period.
    const d = nextSubscription({ id: 1, ...c.next }, failed, ctx(T0 + 40 * DAY));
    assert.equal(d.next.pastDueSince, T0 + 40 * DAY);
    assert.deepEqual(d.transition.effects, ['past-due']);
  });
});

describe('nextSubscription: plan change', () => {
  it('same status, another plan → plan-changed', () => {
    const { next, transition } = nextSubscription(record('active'), providerSub(), ctx(T0, 11));
    assert.equal(next.planId, 11);
    assert.deepEqual(transition, { from: 'active', to: 'active', effects: ['plan-changed'] });
  });

  it('a plan change that comes with a change of status reports both', () => {
    const { transition } = nextSubscription(record('past_due'), providerSub(), ctx(T0, 11));
    assert.deepEqual(transition.effects, ['recovered', 'plan-changed']);
  });

  it('is not reported for a subscription that starts or ends', () => {
    assert.deepEqual(nextSubscription(record('incomplete'), providerSub(), ctx(T0, 11)).transition.effects, ['started']);
    assert.deepEqual(nextSubscription(record('ended'), providerSub(), ctx(T0, 11)).transition.effects, ['started']);
    assert.deepEqual(nextSubscription(record('active'), providerSub({ status: 'canceled' }), ctx(T0, 11)).transition.effects, ['ended']);
  });

  it('replaying the plan change is a no-op', () => {
    const changed = { id: 1, ...nextSubscription(record('active'), providerSub(), ctx(T0, 11)).next };
    const again = nextSubscription(changed, providerSub(), ctx(T0 + HOUR, 11));
    assert.deepEqual(again.transition.effects, []);
    assert.equal(again.next.updatedAt, T0);
  });
});

describe('isSameState', () => {
  it('ignores id, createdAt and updatedAt', () => {
    assert.equal(isSameState(record('active'), record('active', { id: 2, createdAt: 0, updatedAt: 0 })), true);
  });
  it('sees every other field', () => {
    const fields: Partial<Subscription>[] = [
      { readerId: 8 }, { planId: 11 }, { provider: 'demo' }, { providerSubscriptionId: 'sub_2' }, { providerCustomerId: 'cus_2' },
      { status: 'canceled' }, { currentPeriodStart: 1 }, { currentPeriodEnd: 1 }, { cancelAtPeriodEnd: true }, { trialEnd: 1 }, { pastDueSince: 1 }, { endedAt: 1 },
    ];
    for (const over of fields) assert.equal(isSameState(record('active'), record('active', over)), false, JSON.stringify(over));
  });
});

describe('access', () => {
  const sub = (status: SubscriptionStatus, over: Partial<Subscription> = {}) => record(status, { currentPeriodEnd: PERIOD_END, ...over });
  const cases: [string, SubscriptionStatus, Partial<Subscription>, number, ReturnType<typeof access>][] = [
    ['active, mid-period', 'active', {}, T0, { allowed: true, until: PERIOD_END + PERIOD_LEEWAY_MS, reason: 'active' }],
    ['active, at period end (within leeway)', 'active', {}, PERIOD_END, { allowed: true, until: PERIOD_END + PERIOD_LEEWAY_MS, reason: 'active' }],
    ['active, last moment of leeway', 'active', {}, PERIOD_END + HOUR - 1, { allowed: true, until: PERIOD_END + HOUR, reason: 'active' }],
    ['active, leeway over', 'active', {}, PERIOD_END + HOUR, { allowed: false, reason: 'period-over' }],
    ['trialing, before trial end', 'trialing', { trialEnd: PERIOD_END }, PERIOD_END - 1, { allowed: true, until: PERIOD_END + HOUR, reason: 'trialing' }],
    ['trialing, after trial end + leeway', 'trialing', { trialEnd: PERIOD_END }, PERIOD_END + HOUR, { allowed: false, reason: 'period-over' }],
    ['canceled, before period end', 'canceled', {}, PERIOD_END - 1, { allowed: true, until: PERIOD_END + HOUR, reason: 'canceled-until-period-end' }],
    ['canceled, within leeway', 'canceled', {}, PERIOD_END + HOUR - 1, { allowed: true, until: PERIOD_END + HOUR, reason: 'canceled-until-period-end' }],
    ['canceled, period over', 'canceled', {}, PERIOD_END + HOUR, { allowed: false, reason: 'period-over' }],
    ['past_due, day one', 'past_due', { pastDueSince: T0 }, T0, { allowed: true, until: T0 + GRACE_DAYS * DAY, reason: 'grace-period' }],
    ['past_due, last moment of grace', 'past_due', { pastDueSince: T0 }, T0 + 7 * DAY - 1, { allowed: true, until: T0 + 7 * DAY, reason: 'grace-period' }],
    ['past_due, grace over', 'past_due', { pastDueSince: T0 }, T0 + 7 * DAY, { allowed: false, reason: 'grace-over' }],
    ['past_due past the period end, still in grace', 'past_due', { pastDueSince: PERIOD_END }, PERIOD_END + 2 * DAY, { allowed: true, until: PERIOD_END + 7 * DAY, reason: 'grace-period' }],
    ['past_due without pastDueSince counts from the period end', 'past_due', { pastDueSince: null }, PERIOD_END + 7 * DAY - 1, { allowed: true, until: PERIOD_END + 7 * DAY, reason: 'grace-period' }],
    ['incomplete', 'incomplete', {}, T0, { allowed: false, reason: 'incomplete' }],
    ['ended, even within the old period', 'ended', {}, T0, { allowed: false, reason: 'ended' }],
  ];
  for (const [name, status, over, now, expected] of cases) it(name, () => assert.deepEqual(access(sub(status, over), now), expected));
  it('GRACE_DAYS is 7', () => assert.equal(GRACE_DAYS, 7));
});

describe('endingSoon', () => {
  const canceled = record('canceled', { currentPeriodEnd: PERIOD_END });
  const trial = record('trialing', { trialEnd: PERIOD_END, currentPeriodEnd: PERIOD_END });
  const cases: [string, Subscription, number, { days?: number } | undefined, ReturnType<typeof endingSoon>][] = [
    ['canceled, 8 days out', canceled, PERIOD_END - 8 * DAY, undefined, null],
    ['canceled, just over 7 days out', canceled, PERIOD_END - 7 * DAY - 1, undefined, null],
    ['canceled, exactly 7 days out', canceled, PERIOD_END - 7 * DAY, undefined, { reason: 'canceled', endsAt: PERIOD_END }],
    ['canceled, a moment before the end', canceled, PERIOD_END - 1, undefined, { reason: 'canceled', endsAt: PERIOD_END }],
    ['canceled, at the end', canceled, PERIOD_END, undefined, null],
    ['canceled, 10 days out with days: 14', canceled, PERIOD_END - 10 * DAY, { days: 14 }, { reason: 'canceled', endsAt: PERIOD_END }],
    ['trial, 4 days out', trial, PERIOD_END - 4 * DAY, undefined, null],
    ['trial, just over 3 days out', trial, PERIOD_END - 3 * DAY - 1, undefined, null],
    ['trial, exactly 3 days out', trial, PERIOD_END - 3 * DAY, undefined, { reason: 'trial', endsAt: PERIOD_END }],
    ['trial, a moment before the end', trial, PERIOD_END - 1, undefined, { reason: 'trial', endsAt: PERIOD_END }],
    ['trial, over', trial, PERIOD_END, undefined, null],
    ['trial, 5 days out with days: 7', trial, PERIOD_END - 5 * DAY, { days: 7 }, { reason: 'trial', endsAt: PERIOD_END }],
    ['trial without trialEnd uses the period end', record('trialing', { trialEnd: null, currentPeriodEnd: PERIOD_END }), PERIOD_END - DAY, undefined, { reason: 'trial', endsAt: PERIOD_END }],
    ['canceled trial counts as canceled (7 days)', record('canceled', { trialEnd: PERIOD_END, currentPeriodEnd: PERIOD_END }), PERIOD_END - 5 * DAY, undefined, { reason: 'canceled', endsAt: PERIOD_END }],
    ['active renews: never ending soon', record('active', { currentPeriodEnd: PERIOD_END }), PERIOD_END - DAY, undefined, null],
    ['past_due: not this warning', record('past_due', { currentPeriodEnd: PERIOD_END }), PERIOD_END - DAY, undefined, null],
    ['ended', record('ended', { currentPeriodEnd: PERIOD_END }), PERIOD_END - DAY, undefined, null],
    ['incomplete', record('incomplete', { currentPeriodEnd: PERIOD_END }), PERIOD_END - DAY, undefined, null],
  ];
  for (const [name, sub, now, opts, expected] of cases) it(name, () => assert.deepEqual(endingSoon(sub, now, opts), expected));
});

describe('describeStatus', () => {
  const cases: [string, Subscription, number, ReturnType<typeof describeStatus>][] = [
    ['active', record('active', { currentPeriodEnd: PERIOD_END }), T0, { label: 'Active', date: PERIOD_END, kind: 'renews' }],
    ['trialing', record('trialing', { trialEnd: PERIOD_END, currentPeriodEnd: PERIOD_END }), T0, { label: 'Free trial', date: PERIOD_END, kind: 'trial-ends' }],
    ['canceled', record('canceled', { currentPeriodEnd: PERIOD_END }), T0, { label: 'Canceled', date: PERIOD_END, kind: 'ends' }],
    ['canceled, period over', record('canceled', { currentPeriodEnd: PERIOD_END }), PERIOD_END + HOUR, { label: 'Ended', date: PERIOD_END, kind: 'ended' }],
    ['past_due in grace', record('past_due', { pastDueSince: T0 }), T0 + DAY, { label: 'Payment failed', date: T0 + 7 * DAY, kind: 'grace-ends' }],
    ['past_due, grace over', record('past_due', { pastDueSince: T0 }), T0 + 7 * DAY, { label: 'Payment failed', date: T0 + 7 * DAY, kind: 'ended' }],
    ['ended', record('ended', { endedAt: T0 }), T0 + DAY, { label: 'Ended', date: T0, kind: 'ended' }],
    ['incomplete', record('incomplete'), T0, { label: 'Payment incomplete', date: null, kind: 'incomplete' }],
  ];
  for (const [name, sub, now, expected] of cases) it(name, () => assert.deepEqual(describeStatus(sub, now), expected));
});
