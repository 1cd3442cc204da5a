// Sign-in and sign-up by e-mailed link. The token is single use, expires in 15 minutes and is
// stored hashed. It is spent by the reader's confirming POST, never by a GET, so a mail
// scanner that opens the link first does not burn it.
import { z } from 'zod';
import type { Db, Tx } from '../db/database.ts';
import { hashToken, newToken } from './tokens.ts';

export const LINK_TTL_MS = 15 * 60_000;

export const emailSchema = z.string().trim().toLowerCase().max(254).email();

export type LinkPurpose = 'login' | 'email-change';

export async function issueLoginToken(db: Db, opts: { email: string; returnTo: string; now: number }): Promise<{ token: string; isNewReader: boolean }> {
  const reader = await db.selectFrom('readers').select('id').where('email', '=', opts.email).executeTakeFirst();
  const token = newToken();
  await db
    .insertInto('login_tokens')
    .values({ token_hash: hashToken(token), purpose: 'login', email: opts.email, reader_id: reader?.id ?? null, return_to: opts.returnTo, created_at: opts.now, expires_at: opts.now + LINK_TTL_MS, used_at: null })
    .execute();
  return { token, isNewReader: !reader };
}

export async function issueEmailChangeToken(db: Db, opts: { readerId: number; newEmail: string; now: number }): Promise<string> {
  const token = newToken();
  await db
    .insertInto('login_tokens')
    .values({ token_hash: hashToken(token), purpose: 'email-change', email: opts.newEmail, reader_id: opts.readerId, return_to: '/account', created_at: opts.now, expires_at: opts.now + LINK_TTL_MS, used_at: null })
    .execute();
  return token;
}

export type PeekResult = { ok: true; purpose: LinkPurpose; email: string } | { ok: false; reason: 'invalid-link' };

/** Looks at a link without spending it (the GET that shows the confirm button). */
export async function peekToken(db: Db, token: string, purpose: LinkPurpose, now: number): Promise<PeekResult> {
  const row = await db
    .selectFrom('login_tokens')
    .select(['purpose', 'email', 'expires_at', 'used_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.purpose !== purpose || row.used_at !== null || row.expires_at <= now) return { ok: false, reason: 'invalid-link' };
  return { ok: true, purpose: row.purpose, email: row.email };
}

export type LoginResult = { ok: true; readerId: number; isNewReader: boolean; returnTo: string } | { ok: false; reason: 'invalid-link' };

/** Spends a sign-in link: one transaction marks it used and finds or creates the reader. */
export async function redeemLoginToken(db: Db, token: string, now: number): Promise<LoginResult> {
  return db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('login_tokens').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
    if (!row || row.purpose !== 'login' || row.used_at !== null || row.expires_at <= now) return { ok: false, reason: 'invalid-link' } as const;
    // Only the first of two racing confirmations wins the link.
    const spent = await tx.updateTable('login_tokens').set({ used_at: now }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) return { ok: false, reason: 'invalid-link' } as const;
    const existing = await tx.selectFrom('readers').select('id').where('email', '=', row.email).executeTakeFirst();
    let readerId = existing?.id;
    if (readerId === undefined) {
      readerId = (await tx.insertInto('readers').values({ email: row.email, name: '', newsletters: '[]', provider_customer_id: null, created_at: now, last_login_at: now }).returning('id').executeTakeFirstOrThrow()).id;
    } else {
      await tx.updateTable('readers').set({ last_login_at: now }).where('id', '=', readerId).execute();
    }
    return { ok: true, readerId, isNewReader: !existing, returnTo: row.return_to } as const;
  });
}

export type EmailChangeResult = { ok: true; readerId: number; email: string } | { ok: false; reason: 'invalid-link' | 'email-taken' };

/**
 * Spends an e-mail-change link and gives the reader the new address, in one transaction with
 * `alsoInTransaction` (what else must move with the address). Only the first of two racing
 * confirmations wins the link.
 */
export async function redeemEmailChangeToken(
  db: Db,
  token: string,
  now: number,
  alsoInTransaction?: (tx: Tx, change: { readerId: number; email: string }) => Promise<void>,
): Promise<EmailChangeResult> {
  return db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('login_tokens').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
    if (!row || row.purpose !== 'email-change' || row.used_at !== null || row.expires_at <= now || row.reader_id === null) return { ok: false, reason: 'invalid-link' } as const;
    const spent = await tx.updateTable('login_tokens').set({ used_at: now }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) return { ok: false, reason: 'invalid-link' } as const;
    const taken = await tx.selectFrom('readers').select('id').where('email', '=', row.email).executeTakeFirst();
    if (taken && taken.id !== row.reader_id) return { ok: false, reason: 'email-taken' } as const;
    await tx.updateTable('readers').set({ email: row.email }).where('id', '=', row.reader_id).execute();
    await alsoInTransaction?.(tx, { readerId: row.reader_id, email: row.email });
    return { ok: true, readerId: row.reader_id, email: row.email } as const;
  });
}

/** A "return to" target limited to this site: a path, never another origin or a script. */
export function safeReturnTo(value: string | null | undefined, fallback = '/account'): string {
  if (!value || value.length > 500) return fallback;
  // Browsers treat backslashes as slashes and ignore tabs/newlines in URLs: refuse, never repair.
  const v = value;
  if (/[\u0000-\u001f\u007f]/.test(v)) return fallback;
  if (!v.startsWith('/') || v.startsWith('//') || v.startsWith('/\\') || v.includes('\\')) return fallback;
  try {
    const url = new URL(v, 'http://masthead.invalid');
    const path = url.pathname + url.search + url.hash;
    // Dot segments can collapse into a network path: "/.//evil.example" becomes "//evil.example".
    if (url.origin !== 'http://masthead.invalid' || path.startsWith('//')) return fallback;
    return path;
  } catch {
    return fallback;
  }
}
