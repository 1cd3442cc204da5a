// Sessions: a random token in a signed, httpOnly, SameSite=Lax cookie; the database holds its
// hash, so a session can be revoked (log out, log out everywhere, account deletion).
import type { Db } from '../db/database.ts';
import { hashToken, newToken, sign, unsign } from './tokens.ts';

export const READER_SESSION_MS = 30 * 86_400_000;
export const STAFF_SESSION_MS = 12 * 3_600_000;

export interface SessionInfo {
  id: number;
  readerId: number | null;
  userId: number | null;
  expiresAt: number;
}

export async function createSession(db: Db, who: { readerId?: number; userId?: number }, opts: { now: number; secret: string }): Promise<{ cookieValue: string; expiresAt: number }> {
  const token = newToken();
  const expiresAt = opts.now + (who.userId ? STAFF_SESSION_MS : READER_SESSION_MS);
  await db
    .insertInto('sessions')
    .values({ token_hash: hashToken(token), reader_id: who.readerId ?? null, user_id: who.userId ?? null, created_at: opts.now, expires_at: expiresAt, revoked_at: null })
    .execute();
  return { cookieValue: sign(token, opts.secret), expiresAt };
}

/** The live session a cookie names, or null (forged, expired, revoked or unknown). */
export async function findSession(db: Db, cookieValue: string | undefined, opts: { now: number; secret: string }): Promise<SessionInfo | null> {
  const token = unsign(cookieValue, opts.secret);
  if (!token) return null;
  const row = await db
    .selectFrom('sessions')
    .select(['id', 'reader_id', 'user_id', 'expires_at', 'revoked_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.expires_at <= opts.now) return null;
  return { id: row.id, readerId: row.reader_id, userId: row.user_id, expiresAt: row.expires_at };
}

export async function revokeSession(db: Db, id: number, now: number): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

export async function revokeReaderSessions(db: Db, readerId: number, now: number): Promise<number> {
  const res = await db.updateTable('sessions').set({ revoked_at: now }).where('reader_id', '=', readerId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows);
}
