// Subscriptions as rows: read into the domain type, and written from what the provider
// reports through the state machine (billing/subscription.ts).
import type { Db, Tx } from '../db/database.ts';
import type { SubscriptionRow } from '../db/schema.ts';
import type { ProviderName, ProviderSubscription, Subscription, SubscriptionStatus } from './types.ts';
import { isSameState, nextSubscription, type Transition } from './subscription.ts';
import { planIdForPrice } from './prices.ts';

export function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    readerId: row.reader_id,
    planId: row.plan_id,
    provider: row.provider as Subscription['provider'],
    providerSubscriptionId: row.provider_subscription_id,
    providerCustomerId: row.provider_customer_id,
    status: row.status as SubscriptionStatus,
    currentPeriodStart: row.current_period_start,
    currentPeriodEnd: row.current_period_end,
    cancelAtPeriodEnd: row.cancel_at_period_end === 1,
    trialEnd: row.trial_end,
    pastDueSince: row.past_due_since,
    endedAt: row.ended_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function readerSubscriptions(db: Db | Tx, readerId: number): Promise<Subscription[]> {
  const rows = await db.selectFrom('subscriptions').selectAll().where('reader_id', '=', readerId).orderBy('created_at', 'desc').execute();
  return rows.map(toSubscription);
}

export class UnknownSubscriptionError extends Error {}

/**
 * Converges our row on the provider's current subscription. Returns the transition (with
 * effects) or null when nothing changed, so a replayed or stale event does nothing.
 */
export async function syncSubscription(
  tx: Tx,
  opts: { provider: ProviderName; remote: ProviderSubscription; now: number; readerIdHint?: number },
): Promise<{ subscription: Subscription; transition: Transition | null }> {
  const { remote, now } = opts;
  const row = await tx
    .selectFrom('subscriptions')
    .selectAll()
    .where('provider', '=', opts.provider)
    .where('provider_subscription_id', '=', remote.id)
    .executeTakeFirst();
  const prev = row ? toSubscription(row) : null;
  const readerId = prev?.readerId ?? opts.readerIdHint ?? (Number(remote.metadata.readerId) || null);
  if (!readerId) throw new UnknownSubscriptionError(`subscription ${remote.id} names no reader`);
  const planId = (await planIdForPrice(tx, opts.provider, remote.priceId)) ?? prev?.planId ?? (Number(remote.metadata.planId) || null);
  if (!planId) throw new UnknownSubscriptionError(`subscription ${remote.id} has an unknown price ${remote.priceId}`);

  const { next, transition } = nextSubscription(prev, remote, { now, readerId, planId, provider: opts.provider });
  const values = {
    reader_id: next.readerId,
    plan_id: next.planId,
    provider: next.provider,
    provider_subscription_id: next.providerSubscriptionId,
    provider_customer_id: next.providerCustomerId,
    status: next.status,
    current_period_start: next.currentPeriodStart,
    current_period_end: next.currentPeriodEnd,
    cancel_at_period_end: next.cancelAtPeriodEnd ? 1 : 0,
    trial_end: next.trialEnd,
    past_due_since: next.pastDueSince,
    ended_at: next.endedAt,
    created_at: next.createdAt,
    updated_at: next.updatedAt,
  };
  if (!prev) {
    const inserted = await tx
      .insertInto('subscriptions')
      .values({ ...values, ending_notice_sent_for: null })
      .onConflict((oc) => oc.columns(['provider', 'provider_subscription_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    // Another event about the same subscription (Stripe delivers concurrently) inserted it
    // after we looked: converge on that row instead of failing the delivery.
    if (!inserted) return syncSubscription(tx, opts);
    return { subscription: { ...next, id: inserted.id }, transition };
  }
  if (isSameState(prev, next)) return { subscription: prev, transition: null };
  await tx.updateTable('subscriptions').set(values).where('id', '=', prev.id).execute();
  return { subscription: { ...next, id: prev.id }, transition };
}
