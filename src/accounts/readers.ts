// A reader's own data: name, address change, the export of everything held about them, and
// deletion. Their newsletter choices live on the lists (newsletters/members.ts).
import type { Db } from '../db/database.ts';
import { moveReaderMemberships } from '../newsletters/members.ts';
import { anonymiseReaderSends } from '../newsletters/retention.ts';
import { redeemEmailChangeToken, type EmailChangeResult } from './magic-links.ts';

export async function setReaderName(db: Db, readerId: number, name: string): Promise<void> {
  await db.updateTable('readers').set({ name: name.trim().slice(0, 120) }).where('id', '=', readerId).execute();
}

/**
 * Spends an e-mail-change link; the reader's newsletter memberships move to the new address in
 * the same transaction (a failure between the two would leave their lists under an address
 * they no longer have).
 */
export function confirmEmailChange(db: Db, token: string, now: number): Promise<EmailChangeResult> {
  return redeemEmailChangeToken(db, token, now, (tx, change) => moveReaderMemberships(tx, { id: change.readerId, email: change.email }));
}

/** Everything held about a reader, as JSON they can download. Token hashes are left out. */
export async function exportReaderData(db: Db, readerId: number, now: number): Promise<object> {
  const reader = await db.selectFrom('readers').selectAll().where('id', '=', readerId).executeTakeFirst();
  const email = reader?.email.toLowerCase() ?? null;
  const [subscriptions, payments, gifts, sessions, checkouts, memberships, sends, suppression, feedback] = await Promise.all([
    db.selectFrom('subscriptions').selectAll().where('reader_id', '=', readerId).execute(),
    db.selectFrom('payments').select(['id', 'kind', 'amount_cents', 'currency', 'status', 'created_at']).where('reader_id', '=', readerId).execute(),
    db.selectFrom('gifts').select(['id', 'plan_id', 'months', 'purchaser_name', 'starts_at', 'ends_at', 'created_at']).where('redeemed_by', '=', readerId).execute(),
    db.selectFrom('sessions').select(['id', 'created_at', 'expires_at', 'revoked_at']).where('reader_id', '=', readerId).execute(),
    db.selectFrom('checkouts').select(['id', 'kind', 'plan_id', 'status', 'created_at']).where('reader_id', '=', readerId).execute(),
    // Sign-ups made before the account existed are theirs too: matched by address.
    db.selectFrom('list_members')
      .innerJoin('newsletter_lists', 'newsletter_lists.id', 'list_members.list_id')
      .select(['newsletter_lists.slug', 'newsletter_lists.name', 'list_members.email', 'list_members.status', 'list_members.source', 'list_members.created_at', 'list_members.confirmed_at', 'list_members.unsubscribed_at'])
      .where((eb) => eb.or([eb('list_members.reader_id', '=', readerId), ...(email ? [eb('list_members.email', '=', email)] : [])]))
      .orderBy('newsletter_lists.position').orderBy('newsletter_lists.id')
      .execute(),
    // The copies of newsletters sent to them: by account, and by address for those sent before it existed.
    db.selectFrom('newsletter_sends')
      .innerJoin('newsletter_issues', 'newsletter_issues.id', 'newsletter_sends.issue_id')
      .innerJoin('newsletter_lists', 'newsletter_lists.id', 'newsletter_issues.list_id')
      .select(['newsletter_lists.slug as list', 'newsletter_issues.slug as issue', 'newsletter_sends.email', 'newsletter_sends.status', 'newsletter_sends.sent_at'])
      .where((eb) => eb.or([eb('newsletter_sends.reader_id', '=', readerId), ...(email ? [eb('newsletter_sends.email', '=', email)] : [])]))
      .orderBy('newsletter_sends.id')
      .execute(),
    email ? db.selectFrom('mail_suppressions').select(['reason', 'detail', 'created_at']).where('email', '=', email).executeTakeFirst() : undefined,
    email ? db.selectFrom('mail_feedback').select(['kind', 'received_at']).where('email', '=', email).orderBy('received_at').execute() : [],
  ]);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    exportedAt: new Date(now).toISOString(),
    reader: reader && { email: reader.email, name: reader.name, createdAt: iso(reader.created_at), lastLoginAt: iso(reader.last_login_at), paymentCustomerId: reader.provider_customer_id },
    subscriptions: subscriptions.map((s) => ({ id: s.id, planId: s.plan_id, provider: s.provider, status: s.status, currentPeriodStart: iso(s.current_period_start), currentPeriodEnd: iso(s.current_period_end), cancelAtPeriodEnd: s.cancel_at_period_end === 1, createdAt: iso(s.created_at) })),
    payments: payments.map((p) => ({ ...p, created_at: iso(p.created_at) })),
    giftsReceived: gifts.map((g) => ({ ...g, starts_at: iso(g.starts_at), ends_at: iso(g.ends_at), created_at: iso(g.created_at) })),
    checkouts: checkouts.map((c) => ({ ...c, created_at: iso(c.created_at) })),
    sessions: sessions.map((s) => ({ id: s.id, createdAt: iso(s.created_at), expiresAt: iso(s.expires_at), revokedAt: iso(s.revoked_at) })),
    newsletters: memberships.map((m) => ({ list: m.slug, name: m.name, email: m.email, status: m.status, source: m.source, createdAt: iso(m.created_at), confirmedAt: iso(m.confirmed_at), unsubscribedAt: iso(m.unsubscribed_at) })),
    newsletterSends: sends.map((s) => ({ list: s.list, issue: s.issue, email: s.email, status: s.status, sentAt: iso(s.sent_at) })),
    // Whether mail to their address is stopped, and the bounce and complaint reports behind it.
    mailSuppression: suppression ? { reason: suppression.reason, detail: suppression.detail, createdAt: iso(suppression.created_at) } : null,
    mailFeedback: feedback.map((f) => ({ kind: f.kind, receivedAt: iso(f.received_at) })),
  };
}

/**
 * Deletes the reader and what hangs off them (sessions, tokens, subscriptions, newsletter
 * memberships under their address, bounce and complaint reports about it). Payments stay for
 * the books, without the reader; newsletter send rows stay for the issues' counts, anonymised,
 * and their clicks no longer name the send (newsletters/retention.ts). A suppression of the
 * address stays: it is what keeps the newsletters from mailing an address that complained.
 * Live subscriptions must be canceled at the provider first.
 */
export async function deleteReader(db: Db, readerId: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const reader = await tx.selectFrom('readers').select('email').where('id', '=', readerId).executeTakeFirst();
    await tx.deleteFrom('sessions').where('reader_id', '=', readerId).execute();
    await tx.deleteFrom('login_tokens').where('reader_id', '=', readerId).execute();
    if (reader) await tx.deleteFrom('login_tokens').where('email', '=', reader.email).execute();
    await tx.deleteFrom('list_members').where('reader_id', '=', readerId).execute();
    if (reader) {
      await tx.deleteFrom('list_members').where('email', '=', reader.email.toLowerCase()).execute();
      await anonymiseReaderSends(tx, { id: readerId, email: reader.email });
      await tx.deleteFrom('mail_feedback').where('email', '=', reader.email.toLowerCase()).execute();
    }
    await tx.updateTable('payments').set({ subscription_id: null, reader_id: null }).where('reader_id', '=', readerId).execute();
    await tx.deleteFrom('subscriptions').where('reader_id', '=', readerId).execute();
    await tx.updateTable('gifts').set({ redeemed_by: null }).where('redeemed_by', '=', readerId).execute();
    await tx.deleteFrom('checkouts').where('reader_id', '=', readerId).execute();
    await tx.deleteFrom('readers').where('id', '=', readerId).execute();
  });
}
