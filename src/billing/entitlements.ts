// The one place that answers "what may this reader get now": the web, the Daily, the Weekly.
// Pure: the caller loads the reader's subscriptions, the plans they point at, their gifts and
// whether they are staff, and passes `now`.

import { access } from './subscription.ts';
import { ENTITLEMENTS } from './types.ts';
import type { Entitlement, Plan, Subscription } from './types.ts';

/** Where an entitlement comes from. `until` is the instant it stops (exclusive). */
export type EntitlementSource =
  | { source: 'subscription'; subscriptionId: number; until: number }
  | { source: 'gift'; giftId: number; until: number }
  | { source: 'staff' };

/** For each entitlement, the source that grants it now, or null. */
export type Entitlements = Record<Entitlement, EntitlementSource | null>;

export const NO_ENTITLEMENTS: Readonly<Entitlements> = Object.freeze({ web: null, daily: null, weekly: null });

export interface GiftGrant {
  id: number;
  startsAt: number;
  endsAt: number;
  entitlements: Entitlement[];
}

export interface EntitlementsInput {
  subscriptions: Subscription[];
  plans: Map<number, Pick<Plan, 'id' | 'entitlements'>>;
  gifts: GiftGrant[];
  isStaff: boolean;
}

type ExpiringSource = Exclude<EntitlementSource, { source: 'staff' }>;

const idOf = (s: ExpiringSource) => (s.source === 'subscription' ? s.subscriptionId : s.giftId);

/**
 * Whether `a` should replace `b`: the later `until` wins; on a tie a subscription before a
 * gift, then the lower id, so the answer does not depend on the order of the input.
 */
function isBetter(a: ExpiringSource, b: ExpiringSource | null): boolean {
  if (b === null) return true;
  if (a.until !== b.until) return a.until > b.until;
  if (a.source !== b.source) return a.source === 'subscription';
  return idOf(a) < idOf(b);
}

/**
 * Staff get every entitlement. Otherwise each entitlement comes from the subscription or gift
 * that lasts longest among those that give access now (subscriptions as `access()` decides,
 * grace periods included; gifts from `startsAt` up to, not including, `endsAt`). A
 * subscription whose plan is not in `plans` grants nothing.
 */
export function entitlementsFor(input: EntitlementsInput, now: number): Entitlements {
  if (input.isStaff) {
    const all: Entitlements = { ...NO_ENTITLEMENTS };
    for (const name of ENTITLEMENTS) all[name] = { source: 'staff' };
    return all;
  }
  const result: Record<Entitlement, ExpiringSource | null> = { web: null, daily: null, weekly: null };
  const offer = (names: Entitlement[], source: ExpiringSource) => {
    for (const name of names) if (isBetter(source, result[name])) result[name] = source;
  };
  for (const sub of input.subscriptions) {
    const a = access(sub, now);
    const plan = input.plans.get(sub.planId);
    if (!a.allowed || !plan) continue;
    offer(plan.entitlements, { source: 'subscription', subscriptionId: sub.id, until: a.until });
  }
  for (const gift of input.gifts) {
    if (now < gift.startsAt || now >= gift.endsAt) continue;
    offer(gift.entitlements, { source: 'gift', giftId: gift.id, until: gift.endsAt });
  }
  return result;
}

export function hasEntitlement(e: Entitlements, name: Entitlement): boolean {
  return e[name] !== null;
}
