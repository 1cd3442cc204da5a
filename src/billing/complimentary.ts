// Complimentary subscriptions: access the newsroom grants a reader (a source, a partner, an
// apology) for some months. Pure decisions here; the rows are written by
// complimentary-store.ts.
//
// A complimentary subscription is a `subscriptions` row whose provider is `comp`, so the
// entitlements, the paywall, letters and the account page treat it like any other; but no
// payment provider stands behind it: nothing is charged, nothing renews (the providers renew
// only what they hold), no webhook reaches it (rows are found by provider and id), and the
// jobs mark it ended when its period is over. It is stored as `canceled` from the start —
// the state machine's word for "access until the period end, no renewal" — so the reader is
// warned before it ends like any subscription that will not renew.
import { addInterval } from './intervals.ts';
import { access, describeStatus, endingSoon, type StatusDescription } from './subscription.ts';
import type { Subscription } from './types.ts';

export const COMP_PROVIDER = 'comp' as const;
export const COMP_MONTHS = { min: 1, max: 24 } as const;

export function isComplimentary(sub: Pick<Subscription, 'provider'>): boolean {
  return sub.provider === COMP_PROVIDER;
}

/** What granting `months` of a plan does, given the reader's subscriptions now. */
export type ComplimentaryDecision =
  | { kind: 'new'; periodStart: number; periodEnd: number }
  /** A live complimentary subscription to the same plan runs `months` longer. */
  | { kind: 'extend'; subscription: Subscription; periodEnd: number }
  | { kind: 'refused'; reason: 'paid-subscription' | 'other-plan'; subscription: Subscription };

/**
 * A reader who pays is not also given the same thing free (they would go on paying): cancel
 * first. A live complimentary subscription to the same plan is extended; to another plan,
 * refused (end it first), so one reader never holds two overlapping grants.
 */
export function decideComplimentary(subs: Subscription[], opts: { planId: number; months: number; now: number }): ComplimentaryDecision {
  const live = subs.filter((s) => access(s, opts.now).allowed);
  const paid = live.find((s) => !isComplimentary(s));
  if (paid) return { kind: 'refused', reason: 'paid-subscription', subscription: paid };
  const comp = live.find((s) => isComplimentary(s));
  if (comp && comp.planId !== opts.planId) return { kind: 'refused', reason: 'other-plan', subscription: comp };
  if (comp) return { kind: 'extend', subscription: comp, periodEnd: addInterval(comp.currentPeriodEnd, 'month', opts.months) };
  return { kind: 'new', periodStart: opts.now, periodEnd: addInterval(opts.now, 'month', opts.months) };
}

export type EndingSoonReason = 'canceled' | 'trial' | 'complimentary';

/**
 * Whether to warn the reader that access is about to end, and why: as endingSoon (a
 * complimentary subscription is canceled, so it is warned 7 days ahead), but a complimentary
 * one says so, since its reader never canceled anything and has nothing to resume.
 */
export function endingSoonNotice(sub: Pick<Subscription, 'provider' | 'status' | 'currentPeriodEnd' | 'trialEnd'>, now: number): null | { reason: EndingSoonReason; endsAt: number } {
  const soon = endingSoon(sub, now);
  if (!soon || !isComplimentary(sub)) return soon;
  return { reason: 'complimentary', endsAt: soon.endsAt };
}

/**
 * The account page's line about any subscription: a complimentary one reads
 * "Complimentary — ends on …" (it never renews and has no card); the rest as describeStatus.
 */
export function describeSubscription(sub: Pick<Subscription, 'provider' | 'status' | 'currentPeriodEnd' | 'pastDueSince' | 'trialEnd' | 'endedAt'>, now: number): StatusDescription {
  if (!isComplimentary(sub)) return describeStatus(sub, now);
  if (sub.status === 'ended') return { label: 'Ended', date: sub.endedAt ?? sub.currentPeriodEnd, kind: 'ended' };
  if (!access(sub, now).allowed) return { label: 'Ended', date: sub.currentPeriodEnd, kind: 'ended' };
  return { label: 'Complimentary', date: sub.currentPeriodEnd, kind: 'ends' };
}
