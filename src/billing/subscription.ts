// The subscription state machine. We never invent state: the webhook handler re-reads the
// provider's current subscription and this module converges our record on it. Everything
// here is a pure function of plain data and a `now` (epoch milliseconds) passed in.

import type { ProviderName, ProviderSubscription, Subscription, SubscriptionStatus } from './types.ts';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Days a past_due reader keeps access after the provider first reports the failed renewal. */
export const GRACE_DAYS = 7;

/**
 * How long after `currentPeriodEnd` a trialing, active or canceled reader keeps access. The
 * provider renews at the period end and tells us a little later (and clocks disagree); this
 * hour keeps a renewing reader from being locked out in between.
 */
export const PERIOD_LEEWAY_MS = HOUR_MS;

/** Default windows for `endingSoon`. */
export const ENDING_SOON_DAYS = { canceled: 7, trial: 3 } as const;

/** What a change of state means to someone (mail, analytics, the newsroom). */
export type Effect = 'started' | 'trial-started' | 'canceled' | 'resumed' | 'past-due' | 'recovered' | 'ended' | 'plan-changed';

export interface Transition {
  from: SubscriptionStatus | null;
  to: SubscriptionStatus;
  effects: Effect[];
}

/** The fields that make up a subscription's state: all but the id and the timestamps of the row. */
export type SubscriptionState = Omit<Subscription, 'id' | 'createdAt' | 'updatedAt'>;

export function statusFromProvider(p: ProviderSubscription): SubscriptionStatus {
  switch (p.status) {
    case 'incomplete':
      return 'incomplete';
    case 'trialing':
      return p.cancelAtPeriodEnd ? 'canceled' : 'trialing';
    case 'active':
      return p.cancelAtPeriodEnd ? 'canceled' : 'active';
    case 'past_due':
      // A failed renewal matters more than a pending cancellation: the reader is in grace.
      return 'past_due';
    case 'incomplete_expired':
    case 'canceled':
    case 'unpaid':
    // Paused is "no access for now"; the provider may resume it, and we converge again then.
    case 'paused':
      return 'ended';
  }
}

// Listing every key (typed as a Record over them) makes a new Subscription field a type
// error here until someone decides whether it is part of the state.
const STATE_KEYS_RECORD: Record<keyof SubscriptionState, true> = {
  readerId: true,
  planId: true,
  provider: true,
  providerSubscriptionId: true,
  providerCustomerId: true,
  status: true,
  currentPeriodStart: true,
  currentPeriodEnd: true,
  cancelAtPeriodEnd: true,
  trialEnd: true,
  pastDueSince: true,
  endedAt: true,
};
const STATE_KEYS = Object.keys(STATE_KEYS_RECORD) as (keyof SubscriptionState)[];

/** A row, a row without its id (`nextSubscription`'s `next`), or just the state. */
type WithState = SubscriptionState & Partial<Pick<Subscription, 'id' | 'createdAt' | 'updatedAt'>>;

/** True when the two records hold the same state (ids, createdAt and updatedAt aside). */
export function isSameState(a: WithState, b: WithState): boolean {
  return STATE_KEYS.every((k) => a[k] === b[k]);
}

/** Statuses in which the reader has (or had, until the period runs out) a subscription. */
const LIVE: ReadonlySet<SubscriptionStatus> = new Set(['trialing', 'active', 'past_due', 'canceled']);

/**
 * The effects of moving from `from` to `to`. Effects follow from the two statuses, except
 * that a subscription that begins (from nothing, incomplete or ended) begins as a trial when
 * the provider says it is trialing.
 */
function effectsOf(from: SubscriptionStatus | null, to: SubscriptionStatus, opts: { isTrial: boolean; isPlanChanged: boolean }): Effect[] {
  const effects: Effect[] = [];
  if (from !== to) {
    if (to === 'ended') effects.push('ended');
    else if (to === 'incomplete') {
      // Back to incomplete happens only if the provider says so; nothing to tell anyone.
    } else if (from === null || !LIVE.has(from)) {
      effects.push(opts.isTrial ? 'trial-started' : 'started');
      if (to === 'canceled') effects.push('canceled');
      if (to === 'past_due') effects.push('past-due');
    } else if (to === 'past_due') {
      effects.push('past-due');
    } else if (from === 'past_due') {
      effects.push('recovered');
      if (to === 'canceled') effects.push('canceled');
    } else if (to === 'canceled') {
      effects.push('canceled');
    } else if (from === 'canceled') {
      effects.push('resumed');
    } else if (from === 'trialing' && to === 'active') {
      // The trial converted: the paid subscription starts now.
      effects.push('started');
    }
    // active → trialing (a trial added to a running subscription) tells no one anything.
  }
  if (opts.isPlanChanged && from !== null && LIVE.has(from) && LIVE.has(to)) effects.push('plan-changed');
  return effects;
}

/**
 * Converges our record on what the provider reports now. `prev` is our record of the same
 * provider subscription (or null the first time we see it). A replayed or stale-but-equal
 * provider object yields the same state, `updatedAt` unchanged and no effects, so callers
 * can skip the write. The machine does not refuse any move (ended → active included):
 * a paused subscription can resume, and the handler re-reads the provider before calling,
 * so what we are given is the truth.
 */
export function nextSubscription(
  prev: Subscription | null,
  p: ProviderSubscription,
  ctx: { now: number; readerId: number; planId: number; provider: ProviderName },
): { next: Omit<Subscription, 'id'>; transition: Transition } {
  const { now } = ctx;
  const status = statusFromProvider(p);
  const from = prev?.status ?? null;

  let pastDueSince: number | null = null;
  if (status === 'past_due') pastDueSince = from === 'past_due' && prev?.pastDueSince != null ? prev.pastDueSince : now;

  let endedAt: number | null = null;
  if (status === 'ended') endedAt = p.endedAt ?? (from === 'ended' ? prev?.endedAt : null) ?? now;

  const state: SubscriptionState = {
    readerId: ctx.readerId,
    planId: ctx.planId,
    provider: ctx.provider,
    providerSubscriptionId: p.id,
    providerCustomerId: p.customerId,
    status,
    currentPeriodStart: p.currentPeriodStart,
    currentPeriodEnd: p.currentPeriodEnd,
    cancelAtPeriodEnd: p.cancelAtPeriodEnd,
    trialEnd: p.trialEnd,
    pastDueSince,
    endedAt,
  };
  const isUnchanged = prev !== null && isSameState(prev, state);
  const next: Omit<Subscription, 'id'> = {
    ...state,
    createdAt: prev?.createdAt ?? now,
    updatedAt: isUnchanged ? prev.updatedAt : now,
  };
  const effects = effectsOf(from, status, { isTrial: p.status === 'trialing', isPlanChanged: prev !== null && prev.planId !== ctx.planId });
  return { next, transition: { from, to: status, effects } };
}

export type Access =
  | { allowed: true; until: number; reason: 'active' | 'trialing' | 'canceled-until-period-end' | 'grace-period' }
  | { allowed: false; reason: 'incomplete' | 'ended' | 'period-over' | 'grace-over' };

/** When a past_due reader's grace period ends. Falls back to the period end (when the renewal failed). */
export function graceEndsAt(sub: Pick<Subscription, 'pastDueSince' | 'currentPeriodEnd'>): number {
  return (sub.pastDueSince ?? sub.currentPeriodEnd) + GRACE_DAYS * DAY_MS;
}

/**
 * Whether the subscription gives access now, and until when. `until` is the instant access
 * stops (exclusive): the period end plus PERIOD_LEEWAY_MS, or the end of the grace period.
 * (`trialEnd` is accepted so a whole row fits; during a trial the provider's period ends
 * with the trial.)
 */
export function access(sub: Pick<Subscription, 'status' | 'currentPeriodEnd' | 'pastDueSince' | 'trialEnd'>, now: number): Access {
  switch (sub.status) {
    case 'incomplete':
      return { allowed: false, reason: 'incomplete' };
    case 'ended':
      return { allowed: false, reason: 'ended' };
    case 'past_due': {
      const until = graceEndsAt(sub);
      return now < until ? { allowed: true, until, reason: 'grace-period' } : { allowed: false, reason: 'grace-over' };
    }
    case 'trialing':
    case 'active':
    case 'canceled': {
      const until = sub.currentPeriodEnd + PERIOD_LEEWAY_MS;
      if (now >= until) return { allowed: false, reason: 'period-over' };
      const reason = sub.status === 'canceled' ? 'canceled-until-period-end' : sub.status;
      return { allowed: true, until, reason };
    }
  }
}

/**
 * Whether to warn the reader that access is about to end: a canceled subscription whose
 * period ends within 7 days, or a trial (not canceled) that ends within 3 days. `days`
 * replaces both windows. Something that has already ended is not "ending soon".
 */
export function endingSoon(
  sub: Pick<Subscription, 'status' | 'currentPeriodEnd' | 'trialEnd'>,
  now: number,
  opts: { days?: number } = {},
): null | { reason: 'canceled' | 'trial'; endsAt: number } {
  const within = (endsAt: number, days: number) => endsAt > now && endsAt - now <= days * DAY_MS;
  if (sub.status === 'canceled') {
    const endsAt = sub.currentPeriodEnd;
    return within(endsAt, opts.days ?? ENDING_SOON_DAYS.canceled) ? { reason: 'canceled', endsAt } : null;
  }
  if (sub.status === 'trialing') {
    const endsAt = sub.trialEnd ?? sub.currentPeriodEnd;
    return within(endsAt, opts.days ?? ENDING_SOON_DAYS.trial) ? { reason: 'trial', endsAt } : null;
  }
  return null;
}

export interface StatusDescription {
  /** A short label for the account page: "Active", "Free trial", "Canceled", … */
  label: string;
  /** The date that goes with `kind` ("renews on …", "ends on …"); the page formats it. */
  date: number | null;
  kind: 'renews' | 'ends' | 'trial-ends' | 'grace-ends' | 'ended' | 'incomplete';
}

/**
 * The account page's line about a subscription, as parts the page formats in the
 * publication's time zone: { label: 'Active', kind: 'renews', date } → "Active — renews on
 * May 12, 2026". Once access is over (period or grace past) it says so, whatever the
 * status, so the page never promises what the paywall refuses.
 */
export function describeStatus(
  sub: Pick<Subscription, 'status' | 'currentPeriodEnd' | 'pastDueSince' | 'trialEnd' | 'endedAt'>,
  now: number,
): StatusDescription {
  const a = access(sub, now);
  switch (sub.status) {
    case 'incomplete':
      return { label: 'Payment incomplete', date: null, kind: 'incomplete' };
    case 'ended':
      return { label: 'Ended', date: sub.endedAt, kind: 'ended' };
    case 'past_due': {
      const date = graceEndsAt(sub);
      return { label: 'Payment failed', date, kind: a.allowed ? 'grace-ends' : 'ended' };
    }
    case 'trialing':
    case 'active':
    case 'canceled': {
      if (!a.allowed) return { label: 'Ended', date: sub.currentPeriodEnd, kind: 'ended' };
      if (sub.status === 'trialing') return { label: 'Free trial', date: sub.trialEnd ?? sub.currentPeriodEnd, kind: 'trial-ends' };
      if (sub.status === 'active') return { label: 'Active', date: sub.currentPeriodEnd, kind: 'renews' };
      return { label: 'Canceled', date: sub.currentPeriodEnd, kind: 'ends' };
    }
  }
}
