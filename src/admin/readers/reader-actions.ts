// What the newsroom does to a reader's account, each with its audit entry: grant a
// complimentary subscription, cancel a subscription, sign the reader out everywhere. The
// audit names the reader by id only: the audit log is read by editors, who do not see
// readers' personal data.
import type { Db } from '../../db/database.ts';
import type { BillingService } from '../../billing/billing-service.ts';
import { grantComplimentary, type ComplimentaryGrant } from '../../billing/complimentary-store.ts';
import { cancelSubscription, type CancelWhen } from '../../billing/cancel-subscription.ts';
import type { Plan, Subscription } from '../../billing/types.ts';
import { displayDate } from '../../content/dates.ts';
import { recordAudit, type Actor } from '../audit.ts';
import { enqueueMail } from '../../mail/outbox.ts';
import type { BillingMail } from '../../billing/billing-mail.ts';

interface ActionContext {
  db: Db;
  actor: Actor;
  now: number;
  timeZone: string;
}

/**
 * The grant, its audit entry and the reader's e-mail commit together: the entry and the
 * queued message are written inside the grant's transaction.
 */
export async function grantComplimentaryToReader(ctx: ActionContext & { mail: BillingMail }, opts: { readerId: number; plan: Plan; months: number }): Promise<ComplimentaryGrant> {
  return grantComplimentary(ctx.db, { readerId: opts.readerId, plan: opts.plan, months: opts.months, now: ctx.now }, {
    within: async (tx, grant) => {
      const endsAt = grant.subscription.currentPeriodEnd;
      const reader = await tx.selectFrom('readers').select('email').where('id', '=', opts.readerId).executeTakeFirstOrThrow();
      const message = ctx.mail.complimentary({ to: reader.email, plan: opts.plan, months: opts.months, endsAt, isExtension: grant.isExtension });
      await enqueueMail(tx, { dedupeKey: `complimentary:${grant.subscription.id}:${endsAt}`, ...message }, ctx.now);
      const until = displayDate(endsAt, ctx.timeZone);
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'reader',
        detail: `reader #${opts.readerId}: complimentary ${opts.plan.name} ${grant.isExtension ? 'extended' : 'granted'} by ${opts.months} month${opts.months === 1 ? '' : 's'}, until ${until}`,
        at: ctx.now,
      });
    },
  });
}

/**
 * Cancels through billing (the provider is told first; a complimentary subscription just
 * ends), then records it. The provider's side cannot share our transaction.
 */
export async function cancelReaderSubscription(ctx: ActionContext & { billing: BillingService }, opts: { readerId: number; subscriptionId: number; when: CancelWhen }): Promise<Subscription> {
  const sub = await cancelSubscription({ db: ctx.db, billing: ctx.billing }, { ...opts, now: ctx.now });
  const what = opts.when === 'now' ? 'ended now' : `canceled at period end (${displayDate(sub.currentPeriodEnd, ctx.timeZone)})`;
  await recordAudit(ctx.db, { actor: ctx.actor, action: 'reader', detail: `reader #${opts.readerId}: subscription #${sub.id} (${sub.provider}) ${what}`, at: ctx.now });
  return sub;
}

/** Revokes every session the reader has; returns how many were live. */
export async function signReaderOutEverywhere(ctx: ActionContext, opts: { readerId: number }): Promise<number> {
  return ctx.db.transaction().execute(async (tx) => {
    const res = await tx.updateTable('sessions').set({ revoked_at: ctx.now }).where('reader_id', '=', opts.readerId).where('revoked_at', 'is', null).where('expires_at', '>', ctx.now).executeTakeFirst();
    const n = Number(res.numUpdatedRows);
    await recordAudit(tx, { actor: ctx.actor, action: 'reader', detail: `reader #${opts.readerId}: signed out everywhere (${n} session${n === 1 ? '' : 's'})`, at: ctx.now });
    return n;
  });
}
