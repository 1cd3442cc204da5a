// A reader's own data: name, newsletter choices, the export of everything held about them,
// and deletion.
import type { Db } from '../db/database.ts';

export const NEWSLETTERS = [{ key: 'daily', name: 'The Daily', description: 'The day’s best stories, every weekday morning.' }] as const;
export type NewsletterKey = (typeof NEWSLETTERS)[number]['key'];

export function readerNewsletters(row: { newsletters: string }): NewsletterKey[] {
  try {
    const list = JSON.parse(row.newsletters) as unknown;
    return Array.isArray(list) ? list.filter((k): k is NewsletterKey => NEWSLETTERS.some((n) => n.key === k)) : [];
  } catch {
    return [];
  }
}

export async function setNewsletters(db: Db, readerId: number, keys: string[]): Promise<void> {
  const valid = NEWSLETTERS.map((n) => n.key).filter((k) => keys.includes(k));
  await db.updateTable('readers').set({ newsletters: JSON.stringify(valid) }).where('id', '=', readerId).execute();
}

export async function setReaderName(db: Db, readerId: number, name: string): Promise<void> {
  await db.updateTable('readers').set({ name: name.trim().slice(0, 120) }).where('id', '=', readerId).execute();
}

/** Everything held about a reader, as JSON they can download. Token hashes are left out. */
export async function exportReaderData(db: Db, readerId: number, now: number): Promise<object> {
  const [reader, subscriptions, payments, gifts, sessions, checkouts] = await Promise.all([
    db.selectFrom('readers').selectAll().where('id', '=', readerId).executeTakeFirst(),
    db.selectFrom('subscriptions').selectAll().where('reader_id', '=', readerId).execute(),
    db.selectFrom('payments').select(['id', 'kind', 'amount_cents', 'currency', 'status', 'created_at']).where('reader_id', '=', readerId).execute(),
    db.selectFrom('gifts').select(['id', 'plan_id', 'months', 'purchaser_name', 'starts_at', 'ends_at', 'created_at']).where('redeemed_by', '=', readerId).execute(),
    db.selectFrom('sessions').select(['id', 'created_at', 'expires_at', 'revoked_at']).where('reader_id', '=', readerId).execute(),
    db.selectFrom('checkouts').select(['id', 'kind', 'plan_id', 'status', 'created_at']).where('reader_id', '=', readerId).execute(),
  ]);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    exportedAt: new Date(now).toISOString(),
    reader: reader && { email: reader.email, name: reader.name, newsletters: readerNewsletters(reader), createdAt: iso(reader.created_at), lastLoginAt: iso(reader.last_login_at), paymentCustomerId: reader.provider_customer_id },
    subscriptions: subscriptions.map((s) => ({ id: s.id, planId: s.plan_id, provider: s.provider, status: s.status, currentPeriodStart: iso(s.current_period_start), currentPeriodEnd: iso(s.current_period_end), cancelAtPeriodEnd: s.cancel_at_period_end === 1, createdAt: iso(s.created_at) })),
    payments: payments.map((p) => ({ ...p, created_at: iso(p.created_at) })),
    giftsReceived: gifts.map((g) => ({ ...g, starts_at: iso(g.starts_at), ends_at: iso(g.ends_at), created_at: iso(g.created_at) })),
    checkouts: checkouts.map((c) => ({ ...c, created_at: iso(c.created_at) })),
    sessions: sessions.map((s) => ({ id: s.id, createdAt: iso(s.created_at), expiresAt: iso(s.expires_at), revokedAt: iso(s.revoked_at) })),
  };
}

/**
 * Deletes the reader and what hangs off them (sessions, tokens, subscriptions). Payments stay
 * for the books, without the reader. Live subscriptions must be canceled at the provider first.
 */
export async function deleteReader(db: Db, readerId: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const reader = await tx.selectFrom('readers').select('email').where('id', '=', readerId).executeTakeFirst();
    await tx.deleteFrom('sessions').where('reader_id', '=', readerId).execute();
    await tx.deleteFrom('login_tokens').where('reader_id', '=', readerId).execute();
    if (reader) await tx.deleteFrom('login_tokens').where('email', '=', reader.email).execute();
    await tx.updateTable('payments').set({ subscription_id: null, reader_id: null }).where('reader_id', '=', readerId).execute();
    await tx.deleteFrom('subscriptions').where('reader_id', '=', readerId).execute();
    await tx.updateTable('gifts').set({ redeemed_by: null }).where('redeemed_by', '=', readerId).execute();
    await tx.deleteFrom('checkouts').where('reader_id', '=', readerId).execute();
    await tx.deleteFrom('readers').where('id', '=', readerId).execute();
  });
}
