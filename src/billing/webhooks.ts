// Provider events, processed once each: the event id is recorded in the same transaction as
// everything the event changes, so a replay (or ten concurrent deliveries) changes nothing,
// and a crash before commit leaves the event to be retried by the provider. Subscription
// state is re-read from the provider before the transaction, so events that arrive late or
// out of order converge on the provider's current truth.
import type { Db, Tx } from '../db/database.ts';
import type { PaymentProvider, ProviderEvent, ProviderSubscription } from './types.ts';
import { readerSubscriptions, syncSubscription } from './subscription-store.ts';
import { isComplimentary } from './complimentary.ts';
import { isLive } from './billing-service.ts';
import type { Logger } from 'pino';
import { planById } from './catalog.ts';
import { enqueueMail } from '../mail/outbox.ts';
import type { BillingMail } from './billing-mail.ts';
import { hashToken, newToken } from '../accounts/tokens.ts';

export interface WebhookDeps {
  db: Db;
  provider: PaymentProvider;
  mail: BillingMail;
  now: () => number;
  logger?: Logger;
}

export type ProcessOutcome = { status: 'processed' | 'duplicate' | 'ignored'; kind: ProviderEvent['kind'] };

export async function processProviderEvent(deps: WebhookDeps, event: ProviderEvent): Promise<ProcessOutcome> {
  const { db, provider } = deps;
  const subscriptionId = 'subscriptionId' in event ? event.subscriptionId : null;
  // Outside the transaction: a network call must not hold the database's write lock.
  const remote: ProviderSubscription | null = subscriptionId ? await provider.retrieveSubscription(subscriptionId) : null;
  const now = deps.now();

  const duplicates: string[] = [];
  const outcome = await db.transaction().execute(async (tx): Promise<ProcessOutcome> => {
    const recorded = await tx
      .insertInto('provider_events')
      .values({ provider: provider.name, event_id: event.id, kind: event.kind, received_at: now })
      .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
      .returning('event_id')
      .executeTakeFirst();
    if (!recorded) return { status: 'duplicate', kind: event.kind };

    switch (event.kind) {
      case 'ignored':
        return { status: 'ignored', kind: event.kind };
      case 'checkout.completed':
        await checkoutCompleted(tx, deps, event, remote, now, duplicates);
        break;
      case 'subscription.changed':
        if (remote) await syncSubscription(tx, { provider: provider.name, remote, now });
        break;
      case 'invoice.paid':
      case 'invoice.payment_failed': {
        const synced = remote ? await syncSubscription(tx, { provider: provider.name, remote, now }) : null;
        const sub = synced?.subscription ?? null;
        const isPaid = event.kind === 'invoice.paid';
        // A $0 invoice (a trial starting) is not a payment.
        if (event.amountCents === 0) break;
        const payment = await tx
          .insertInto('payments')
          .values({
            reader_id: sub?.readerId ?? null,
            subscription_id: sub?.id ?? null,
            provider: provider.name,
            provider_payment_id: event.invoiceId,
            kind: 'subscription',
            amount_cents: event.amountCents,
            currency: event.currency,
            status: isPaid ? 'paid' : 'failed',
            created_at: now,
          })
          .onConflict((oc) => oc.columns(['provider', 'provider_payment_id', 'status']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (payment && sub && event.amountCents > 0) {
          const reader = await tx.selectFrom('readers').select('email').where('id', '=', sub.readerId).executeTakeFirst();
          const plan = await planById(tx, sub.planId);
          if (reader && plan) {
            const mail = isPaid
              ? deps.mail.receipt({ to: reader.email, plan, amountCents: event.amountCents, currency: event.currency, paidAt: now, periodEnd: sub.currentPeriodEnd })
              : deps.mail.paymentFailed({ to: reader.email, plan, amountCents: event.amountCents, currency: event.currency, graceEndsAt: (sub.pastDueSince ?? now) + 7 * 86_400_000 });
            await enqueueMail(tx, { ...mail, dedupeKey: `${isPaid ? 'receipt' : 'payment-failed'}:${provider.name}:${event.invoiceId}` }, now);
          }
        }
        break;
      }
    }
    return { status: 'processed', kind: event.kind };
  });

  for (const id of duplicates) {
    deps.logger?.warn({ subscription: id }, 'second live subscription for one reader ended');
    const ended = await provider.cancelNow(id);
    await db.transaction().execute((tx) => syncSubscription(tx, { provider: provider.name, remote: ended, now: deps.now() }));
  }

  // Two deliveries can read the provider in one order and commit in the other, leaving an
  // older state on top. Reading once more after commit, and syncing again if the provider
  // moved on meanwhile, converges on the newest state.
  if (outcome.status === 'processed' && remote && subscriptionId) {
    const again = await provider.retrieveSubscription(subscriptionId);
    if (JSON.stringify(again) !== JSON.stringify(remote)) {
      await db.transaction().execute((tx) => syncSubscription(tx, { provider: provider.name, remote: again, now: deps.now() }));
    }
  }
  return outcome;
}

async function checkoutCompleted(tx: Tx, deps: WebhookDeps, event: Extract<ProviderEvent, { kind: 'checkout.completed' }>, remote: ProviderSubscription | null, now: number, duplicates: string[]): Promise<void> {
  const { provider } = deps;
  const checkout = await tx
    .selectFrom('checkouts')
    .selectAll()
    .where('provider', '=', provider.name)
    .where('provider_checkout_id', '=', event.checkoutId)
    .executeTakeFirst();
  if (checkout) await tx.updateTable('checkouts').set({ status: 'complete' }).where('id', '=', checkout.id).execute();

  if (remote) {
    const readerIdHint = checkout?.reader_id ?? (Number(event.metadata.readerId) || undefined);
    const { subscription } = await syncSubscription(tx, { provider: provider.name, remote, now, readerIdHint });
    // Two tabs, or a double click, can pay two checkouts: a reader keeps the first live
    // subscription and the newer one is ended at once (after commit, at the provider). A
    // complimentary one is no reason to end what the reader just paid for.
    const others = (await readerSubscriptions(tx, subscription.readerId)).filter((s) => s.id !== subscription.id && !isComplimentary(s) && isLive(s, now) && s.createdAt <= subscription.createdAt);
    if (others.length > 0 && isLive(subscription, now)) duplicates.push(subscription.providerSubscriptionId);
    if (readerIdHint) await tx.updateTable('readers').set({ provider_customer_id: event.customerId }).where('id', '=', readerIdHint).execute();
    if (checkout?.coupon_code) {
      await tx.updateTable('coupons').set((eb) => ({ redeemed_count: eb('redeemed_count', '+', 1) })).where('code', '=', checkout.coupon_code).execute();
    }
    return;
  }

  // A one-off payment: a gift subscription.
  const gift = await tx.selectFrom('gifts').selectAll().where('provider_checkout_id', '=', event.checkoutId).executeTakeFirst();
  if (!gift || gift.status !== 'pending') return;
  // The redeem link is made now, once (the event is processed once), and only its hash kept.
  const token = newToken();
  await tx.updateTable('gifts').set({ status: 'paid', token_hash: hashToken(token) }).where('id', '=', gift.id).execute();
  await tx
    .insertInto('payments')
    .values({ reader_id: null, subscription_id: null, provider: provider.name, provider_payment_id: event.paymentIntentId ?? event.checkoutId, kind: 'gift', amount_cents: event.amountCents || gift.amount_cents, currency: event.currency || gift.currency, status: 'paid', created_at: now })
    .onConflict((oc) => oc.columns(['provider', 'provider_payment_id', 'status']).doNothing())
    .execute();
  const plan = await planById(tx, gift.plan_id);
  if (!plan) return;
  await enqueueMail(tx, { ...deps.mail.gift({ to: gift.recipient_email, fromName: gift.purchaser_name || gift.purchaser_email, message: gift.message, months: gift.months, plan, token }), dedupeKey: `gift:${gift.id}` }, now);
  await enqueueMail(tx, { ...deps.mail.giftReceipt({ to: gift.purchaser_email, recipientEmail: gift.recipient_email, months: gift.months, plan, amountCents: gift.amount_cents, currency: gift.currency }), dedupeKey: `gift-receipt:${gift.id}` }, now);
}
