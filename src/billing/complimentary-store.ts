// Complimentary subscriptions as rows (see complimentary.ts for what they are): granted or
// extended by the newsroom, ended early by the newsroom, and ended by the jobs when their
// period is over. No payment provider is called and no payment is recorded.
import crypto from 'node:crypto';
import type { Db, Tx } from '../db/database.ts';
import type { Plan, Subscription } from './types.ts';
import { BillingError } from './billing-service.ts';
import { readerSubscriptions } from './subscription-store.ts';
import { COMP_PROVIDER, decideComplimentary } from './complimentary.ts';

export interface ComplimentaryGrant {
  subscription: Subscription;
  isExtension: boolean;
}

/**
 * Grants (or extends) a complimentary subscription to `plan` for `months`, in one
 * transaction; `within` runs inside it once the row is written, so what must commit with
 * the grant (the newsroom's audit entry) does. The reader's row is written first, which
 * locks it (PostgreSQL), so two grants at once cannot both add a row.
 */
export async function grantComplimentary(
  db: Db,
  opts: { readerId: number; plan: Plan; months: number; now: number },
  hooks: { within?: (tx: Tx, grant: ComplimentaryGrant) => Promise<void> } = {},
): Promise<ComplimentaryGrant> {
  if (!opts.plan.isActive) throw new BillingError('unknown-plan', 'That plan is no longer available.');
  return db.transaction().execute(async (tx) => {
    const grant = await writeGrant(tx, opts);
    if (hooks.within) await hooks.within(tx, grant);
    return grant;
  });
}

async function writeGrant(tx: Tx, opts: { readerId: number; plan: Plan; months: number; now: number }): Promise<ComplimentaryGrant> {
  const { readerId, plan, months, now } = opts;
  const locked = await tx.updateTable('readers').set((eb) => ({ name: eb.ref('name') })).where('id', '=', readerId).executeTakeFirst();
  if (Number(locked.numUpdatedRows) !== 1) throw new BillingError('no-subscription', 'There is no such reader.');
  const decision = decideComplimentary(await readerSubscriptions(tx, readerId), { planId: plan.id, months, now });
  if (decision.kind === 'refused') {
    throw new BillingError('already-subscribed', decision.reason === 'paid-subscription'
      ? 'This reader already pays for a subscription that gives access. Cancel it first, or wait until it ends.'
      : 'This reader already has a complimentary subscription to another plan. End it first.');
  }
  if (decision.kind === 'extend') {
    await tx.updateTable('subscriptions').set({ current_period_end: decision.periodEnd, updated_at: now }).where('id', '=', decision.subscription.id).execute();
    return { subscription: { ...decision.subscription, currentPeriodEnd: decision.periodEnd, updatedAt: now }, isExtension: true };
  }
  const values = {
    reader_id: readerId,
    plan_id: plan.id,
    provider: COMP_PROVIDER,
    provider_subscription_id: `comp_${crypto.randomBytes(12).toString('base64url')}`,
    provider_customer_id: '',
    // Access until the period end and no renewal: in the state machine's words, canceled
    // (so the ending-soon notice, describeStatus and access read it right without a special case).
    status: 'canceled',
    current_period_start: decision.periodStart,
    current_period_end: decision.periodEnd,
    cancel_at_period_end: 1,
    trial_end: null,
    past_due_since: null,
    ended_at: null,
    ending_notice_sent_for: null,
    created_at: now,
    updated_at: now,
  };
  const row = await tx.insertInto('subscriptions').values(values).returning('id').executeTakeFirstOrThrow();
  return {
    subscription: {
      id: row.id, readerId, planId: plan.id, provider: COMP_PROVIDER, providerSubscriptionId: values.provider_subscription_id, providerCustomerId: '',
      status: 'canceled', currentPeriodStart: decision.periodStart, currentPeriodEnd: decision.periodEnd, cancelAtPeriodEnd: true,
      trialEnd: null, pastDueSince: null, endedAt: null, createdAt: now, updatedAt: now,
    },
    isExtension: false,
  };
}

/** Ends a complimentary subscription at once (access stops now). */
export async function endComplimentaryNow(db: Db | Tx, opts: { subscriptionId: number; now: number }): Promise<boolean> {
  const res = await db
    .updateTable('subscriptions')
    .set({ status: 'ended', ended_at: opts.now, updated_at: opts.now })
    .where('id', '=', opts.subscriptionId)
    .where('provider', '=', COMP_PROVIDER)
    .where('status', '<>', 'ended')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * The job: marks complimentary subscriptions whose period is over as ended (at their period
 * end), so the reader counts as lapsed and no page promises more. Safe to run from several
 * processes: the update is one statement.
 */
export async function endDueComplimentary(db: Db, now: number): Promise<number> {
  const res = await db
    .updateTable('subscriptions')
    .set((eb) => ({ status: 'ended', ended_at: eb.ref('current_period_end'), updated_at: now }))
    .where('provider', '=', COMP_PROVIDER)
    .where('status', '<>', 'ended')
    .where('current_period_end', '<=', now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
