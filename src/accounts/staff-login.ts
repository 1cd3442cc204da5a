// Staff sign-in with a password (argon2id), locked for a while after repeated failures. An
// unknown address costs the same hash check as a known one, and gets the same answer.
import { verify } from '@node-rs/argon2';
import type { Db } from '../db/database.ts';
import type { StaffRole } from '../db/schema.ts';
import { hitRateLimit } from './rate-limit.ts';
import { hashToken } from './tokens.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60_000;

/** An argon2id hash of a random string nobody knows, with the same cost as real ones. */
const UNKNOWN_USER_HASH = '$argon2id$v=19$m=19456,t=2,p=1$/rVogXoQla3HZ6ilA9CJMA$qjSdfQ+0qDupNs4st4WPFIbj7F4aM3HVL+lS6bubXK4';

export type StaffLoginResult =
  | { ok: true; userId: number; role: StaffRole }
  | { ok: false; reason: 'bad-credentials' | 'locked'; lockedUntil?: number };

export async function checkStaffLogin(db: Db, opts: { email: string; password: string; now: number }): Promise<StaffLoginResult> {
  const email = opts.email.trim().toLowerCase();
  const user = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  if (!user) {
    await verify(UNKNOWN_USER_HASH, opts.password).catch(() => false);
    // Unknown addresses "lock" after the same number of tries, so a lock-out reveals nothing.
    const tries = await hitRateLimit(db, `staff-unknown:${hashToken(email)}`, { limit: MAX_FAILED_LOGINS - 1, windowMs: LOCKOUT_MS }, opts.now);
    return tries.allowed ? { ok: false, reason: 'bad-credentials' } : { ok: false, reason: 'locked', lockedUntil: opts.now + LOCKOUT_MS };
  }
  if (user.locked_until !== null && user.locked_until > opts.now) {
    return { ok: false, reason: 'locked', lockedUntil: user.locked_until };
  }
  const isValid = await verify(user.password_hash, opts.password).catch(() => false);
  if (!isValid) {
    // One atomic increment, so parallel guesses cannot slip past the count.
    const row = await db
      .updateTable('users')
      .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
      .where('id', '=', user.id)
      .returning('failed_logins')
      .executeTakeFirstOrThrow();
    if (row.failed_logins < MAX_FAILED_LOGINS) return { ok: false, reason: 'bad-credentials' };
    const lockedUntil = opts.now + LOCKOUT_MS;
    await db.updateTable('users').set({ failed_logins: 0, locked_until: lockedUntil }).where('id', '=', user.id).execute();
    return { ok: false, reason: 'locked', lockedUntil };
  }
  await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
  return { ok: true, userId: user.id, role: user.role };
}
