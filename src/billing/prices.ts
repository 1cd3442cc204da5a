// The provider's price for each plan, asked for once and remembered, so events that name a
// price can be traced back to the plan.
import type { Db } from '../db/database.ts';
import type { PaymentProvider, Plan } from './types.ts';

export async function priceForPlan(db: Db, provider: PaymentProvider, plan: Plan): Promise<string> {
  const priceId = await provider.ensurePrice(plan);
  await db
    .insertInto('plan_prices')
    .values({ provider: provider.name, price_id: priceId, plan_id: plan.id })
    .onConflict((oc) => oc.columns(['provider', 'price_id']).doNothing())
    .execute();
  return priceId;
}

export async function planIdForPrice(db: Db, provider: string, priceId: string): Promise<number | null> {
  const row = await db.selectFrom('plan_prices').select('plan_id').where('provider', '=', provider).where('price_id', '=', priceId).executeTakeFirst();
  return row?.plan_id ?? null;
}
