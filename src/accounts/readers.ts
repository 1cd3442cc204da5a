// A reader's own data: name, the export of everything held about them, and deletion. Their
// newsletter choices live on the lists (newsletters/members.ts).
import type { Db } from '../db/database.ts';

export async function setReaderName(db: Db, readerId: number, name: string): Promise<void> {
  await db.updateTable('readers').set({ name: name.trim().slice(0, 120) }).where('id', '=', readerId).execute();
}

/** Everything held about a reader, as JSON they can download. Token hashes are left out. */
export async function exportReaderData(db: Db, readerId: number, now: number): Promise<object> {
  const reader = await db.selectFrom('readers').selectAll().where('id', '=', readerId).executeTakeFirst();
  const [subscriptions, payments, gifts, sessions, checkouts, memberships] = await Promise.all([
    db.selectFrom('subscriptions').selectAll().where('reader_id', '=', readerId).execute(),
    db.selectFrom('payments').select(['id', 'kind', 'amount_cents', 'currency', 'status', 'created_at']).where('reader_id', '=', readerId).execute(),
    db.selectFrom('gifts').select(['id', 'plan_id', 'months', 'purchaser_name', 'starts_at', 'ends_at', 'created_at']).where('redeemed_by', '=', readerId).execute(),
    db.selectFrom('sessions').select(['id', 'created_at', 'expires_at', 'revoked_at']).where('reader_id', '=', readerId).execute(),
    db.selectFrom('checkouts').select(['id', 'kind', 'plan_id', 'status', 'created_at']).where('reader_id', '=', readerId).execute(),
    // Sign-ups made before the account existed are theirs too: matched by address.
    db.selectFrom('list_members')
      .innerJoin('newsletter_lists', 'newsletter_lists.id', 'list_members.list_id')
      .select(['newsletter_lists.slug', 'newsletter_lists.name', 'list_members.email', 'list_members.status', 'list_members.source', 'list_members.created_at', 'list_members.confirmed_at', 'list_members.unsubscribed_at'])
      .where((eb) => eb.or([eb('list_members.reader_id', '=', readerId), ...(reader ? [eb('list_members.email', '=', reader.email.toLowerCase())] : [])]))
      .orderBy('newsletter_lists.position').orderBy('newsletter_lists.id')
      .execute(),
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
  };
}

/**
 * Deletes the reader and what hangs off them (sessions, tokens, subscriptions, newsletter
 * memberships under their address). Payments stay
 * for the books, without the reader. Live subscriptions must be canceled at the provider first.
 */
export async function deleteReader(db: Db, readerId: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const reader = await tx.selectFrom('readers').select('email').where('id', '=', readerId).executeTakeFirst();
    await tx.deleteFrom('sessions').where('reader_id', '=', readerId).execute();
    await tx.deleteFrom('login_tokens').where('reader_id', '=', readerId).execute();
    if (reader) await tx.deleteFrom('login_tokens').where('email', '=', reader.email).execute();
    await tx.deleteFrom('list_members').where('reader_id', '=', readerId).execute();
    if (reader) await tx.deleteFrom('list_members').where('email', '=', reader.email.toLowerCase()).execute();
    await tx.updateTable('payments').set({ subscription_id: null, reader_id: null }).where('reader_id', '=', readerId).execute();
    await tx.deleteFrom('subscriptions').where('reader_id', '=', readerId).execute();
    await tx.updateTable('gifts').set({ redeemed_by: null }).where('redeemed_by', '=', readerId).execute();
    await tx.deleteFrom('checkouts').where('reader_id', '=', readerId).execute();
    await tx.deleteFrom('readers').where('id', '=', readerId).execute();
  });
}
