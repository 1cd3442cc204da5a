// Where a reader stands, for the newsroom's list: a subscriber (something gives access now),
// lapsed (had a subscription or a gift, nothing now), or a free account (never had either).
// Pure; reader-queries.ts filters with SQL that says the same thing (and its tests check).
import { access } from '../../billing/subscription.ts';
import { describeSubscription, isComplimentary } from '../../billing/complimentary.ts';
import type { Plan, Subscription } from '../../billing/types.ts';

export type Standing = 'subscriber' | 'lapsed' | 'free';

export interface GiftSpan {
  status: string;
  startsAt: number | null;
  endsAt: number | null;
}

const isRedeemed = (g: GiftSpan) => g.status === 'redeemed' && g.startsAt !== null && g.endsAt !== null;

export function readerStanding(subs: Subscription[], gifts: GiftSpan[], now: number): Standing {
  if (subs.some((s) => access(s, now).allowed)) return 'subscriber';
  if (gifts.some((g) => isRedeemed(g) && g.startsAt! <= now && now < g.endsAt!)) return 'subscriber';
  if (subs.some((s) => s.status !== 'incomplete') || gifts.some(isRedeemed)) return 'lapsed';
  return 'free';
}

/**
 * The subscription to show in one line: the one giving access longest, else the most
 * recently started.
 */
export function principalSubscription(subs: Subscription[], now: number): Subscription | null {
  let best: { sub: Subscription; until: number } | null = null;
  for (const sub of subs) {
    const a = access(sub, now);
    if (a.allowed && (best === null || a.until > best.until)) best = { sub, until: a.until };
  }
  if (best) return best.sub;
  return [...subs].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)[0] ?? null;
}

export interface ReaderSummary {
  standing: Standing;
  /** "Active", "Complimentary", "Canceled", "Ended", "Gift" or "—". */
  status: string;
  plan: string;
  /** The subscription's status code for data-* hooks, or null. */
  statusCode: string | null;
  isComplimentary: boolean;
}

export function summarizeReader(subs: Subscription[], gifts: (GiftSpan & { planId: number })[], plans: Map<number, Pick<Plan, 'name'>>, now: number): ReaderSummary {
  const standing = readerStanding(subs, gifts, now);
  const sub = principalSubscription(subs, now);
  const liveGift = gifts.find((g) => isRedeemed(g) && g.startsAt! <= now && now < g.endsAt!);
  // A gift running now says more than a subscription that has ended.
  if (liveGift && (!sub || !access(sub, now).allowed)) {
    return { standing, status: 'Gift', plan: plans.get(liveGift.planId)?.name ?? 'Unknown plan', statusCode: null, isComplimentary: false };
  }
  if (!sub) return { standing, status: '—', plan: '', statusCode: null, isComplimentary: false };
  return {
    standing,
    status: describeSubscription(sub, now).label,
    plan: plans.get(sub.planId)?.name ?? 'Unknown plan',
    statusCode: sub.status,
    isComplimentary: isComplimentary(sub),
  };
}
