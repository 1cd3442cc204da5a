// Canceling one reader's subscription on their behalf (the newsroom): at the period end
// through the very use case the reader's own account page calls, or at once through the
// provider — the provider is told first and our row converges on its answer, as webhooks
// do. A complimentary subscription has no provider: it can only be ended now.
import type { Db } from '../db/database.ts';
import { BillingError, type BillingService } from './billing-service.ts';
import { isComplimentary } from './complimentary.ts';
import { endComplimentaryNow } from './complimentary-store.ts';
import { readerSubscriptions, syncSubscription } from './subscription-store.ts';
import type { Subscription } from './types.ts';

export type CancelWhen = 'period-end' | 'now';

export async function cancelSubscription(
  deps: { db: Db; billing: BillingService },
  opts: { readerId: number; subscriptionId: number; when: CancelWhen; now: number },
): Promise<Subscription> {
  const { db, billing } = deps;
  const find = async () => (await readerSubscriptions(db, opts.readerId)).find((s) => s.id === opts.subscriptionId);
  const sub = await find();
  if (!sub) throw new BillingError('no-subscription', 'There is no such subscription on this account.');
  if (sub.status === 'ended') throw new BillingError('no-subscription', 'This subscription has already ended.');
  if (isComplimentary(sub)) {
    if (opts.when === 'period-end') throw new BillingError('no-subscription', 'A complimentary subscription already ends on its own at the end of its period; end it now instead.');
    await endComplimentaryNow(db, { subscriptionId: sub.id, now: opts.now });
  } else if (opts.when === 'period-end') {
    if (sub.status === 'canceled') throw new BillingError('no-subscription', 'This subscription is already canceled at the end of its period.');
    await billing.setCanceled(opts.readerId, sub.id, true);
  } else {
    const provider = billing.provider;
    if (sub.provider !== provider.name) throw new BillingError('no-subscription', 'This subscription is billed elsewhere and cannot be changed here.');
    const remote = await provider.cancelNow(sub.providerSubscriptionId);
    await db.transaction().execute((tx) => syncSubscription(tx, { provider: provider.name, remote, now: opts.now }));
  }
  return (await find())!;
}
