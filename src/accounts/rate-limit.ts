// Fixed-window counters in the database, so every app process shares one count per key
// (an address, a client). One atomic upsert per hit.
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export interface RateRule {
  limit: number;
  windowMs: number;
}

export type RateDecision = { allowed: true } | { allowed: false; reason: 'rate-limited'; retryAfterMs: number };

export async function hitRateLimit(db: Db, key: string, rule: RateRule, now: number): Promise<RateDecision> {
  const stale = now - rule.windowMs;
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: now, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql`case when rate_limits.window_start <= ${stale} then 1 else rate_limits.count + 1 end`,
        window_start: sql`case when rate_limits.window_start <= ${stale} then ${now} else rate_limits.window_start end`,
      }),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  if (row.count <= rule.limit) return { allowed: true };
  return { allowed: false, reason: 'rate-limited', retryAfterMs: Number(row.window_start) + rule.windowMs - now };
}

/** Forgets counters whose window is long over (called by the periodic jobs). */
export async function pruneRateLimits(db: Db, now: number, olderThanMs = 86_400_000): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<', now - olderThanMs).execute();
}
