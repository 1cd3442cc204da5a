// The durable outbox of an issue: one newsletter_sends row per recipient, written before
// anything is sent, then claimed in batches with a lease and a random claim token, and marked
// only after the mail server has accepted each message. Every update after the claim names
// the token, so a sender whose lease ran out (and whose rows another sender took) cannot mark
// or re-queue them. Just before copies go to the mail server their rows are marked as handed
// over (handed_at); a row taken again with that mark set may have gone out already: those are
// the "in flight" copies, the only ones a crash can send twice, and `resends` counts them.
import { sql, type UpdateObject } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Db, Dialect } from '../db/database.ts';
import type { NewsletterList } from './types.ts';
import { recipientBatches } from './recipients.ts';
import { suppressedAmong } from './suppression.ts';

/** Attempts before a temporarily failing address is given up as failed. */
export const MAX_ATTEMPTS = 6;

export interface ClaimedSend {
  id: number;
  issueId: number;
  email: string;
  readerId: number | null;
  isEntitled: boolean;
  attempts: number;
  /** Was 'sending' under a lease that ran out (its sender stopped), not 'queued'. */
  wasLeaseExpired: boolean;
}

/**
 * Writes the issue's send rows (suppressed addresses as 'suppressed'); idempotent per address.
 * Each batch goes in only while the issue is still 'queued', in one transaction that first
 * touches the issue row (its lock on PostgreSQL, the write lock on SQLite): a second process
 * finishing the same queueing cannot add rows to an issue that has moved on to sending or is
 * sent already (rows nobody would send). Returns null when the issue moved on (or `isStopped`).
 */
export async function writeIssueSends(db: Db, opts: { issueId: number; list: NewsletterList; now: number; isStopped?: () => boolean }): Promise<{ queued: number; suppressed: number } | null> {
  for await (const batch of recipientBatches(db, opts.list, { now: opts.now })) {
    if (opts.isStopped?.()) return null;
    const suppressed = await suppressedAmong(db, batch.map((r) => r.email));
    const isStillQueued = await db.transaction().execute(async (trx) => {
      // Also the heartbeat of the queueing: others leave an issue alone while queued_at moves.
      const touched = await trx.updateTable('newsletter_issues').set({ queued_at: opts.now }).where('id', '=', opts.issueId).where('status', '=', 'queued').executeTakeFirst();
      if (Number(touched.numUpdatedRows) !== 1) return false;
      await trx
        .insertInto('newsletter_sends')
        .values(batch.map((r) => ({
          issue_id: opts.issueId,
          email: r.email,
          reader_id: r.readerId,
          is_entitled: r.isEntitled ? 1 : 0,
          status: suppressed.has(r.email) ? ('suppressed' as const) : ('queued' as const),
          attempts: 0,
          next_attempt_at: opts.now,
          lease_until: null,
          last_error: suppressed.has(r.email) ? 'suppressed when queued' : null,
          sent_at: null,
        })))
        .onConflict((oc) => oc.columns(['issue_id', 'email']).doNothing())
        .execute();
      return true;
    });
    if (!isStillQueued) return null;
  }
  const rows = await db
    .selectFrom('newsletter_sends')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('issue_id', '=', opts.issueId)
    .groupBy('status')
    .execute();
  let queued = 0;
  let suppressed = 0;
  for (const r of rows) {
    if (r.status === 'suppressed') suppressed += Number(r.n);
    else queued += Number(r.n);
  }
  return { queued, suppressed };
}

/** Issues with rows to send, oldest first. */
export async function sendingIssueIds(db: Db, issueId?: number): Promise<number[]> {
  let q = db.selectFrom('newsletter_issues').select('id').where('status', '=', 'sending').orderBy('id');
  if (issueId !== undefined) q = q.where('id', '=', issueId);
  return (await q.execute()).map((r) => r.id);
}

/**
 * Claims up to `limit` rows of the issue that are due for the sender pass `token`: queued ones
 * whose retry time has come, and 'sending' ones whose lease ran out (their sender stopped).
 * One UPDATE, so two claimers never get the same row: on PostgreSQL the rows are locked and
 * skipped by the other (FOR UPDATE SKIP LOCKED); on SQLite the statement holds the single
 * write lock. A row claimed with handed_at set may have gone out already: counted in resends.
 */
export async function claimSends(db: Db, dialect: Dialect, opts: { issueId: number; now: number; leaseMs: number; limit: number; token: string }): Promise<ClaimedSend[]> {
  const claim = async (which: 'expired' | 'due', limit: number) => {
    const rows = await db
      .updateTable('newsletter_sends')
      .set({
        status: 'sending',
        lease_until: opts.now + opts.leaseMs,
        claim_token: opts.token,
        attempts: (eb) => eb('attempts', '+', 1),
        // Evaluated on the row as it was: handed over by a sender that then stopped.
        resends: sql<number>`resends + case when handed_at is null then 0 else 1 end`,
        handed_at: null,
      })
      .where('id', 'in', (eb) => {
        let sub = eb.selectFrom('newsletter_sends').select('id').where('issue_id', '=', opts.issueId);
        sub = which === 'expired'
          ? sub.where('status', '=', 'sending').where('lease_until', '<', opts.now)
          : sub.where('status', '=', 'queued').where('next_attempt_at', '<=', opts.now);
        sub = sub.orderBy('id').limit(limit);
        return dialect === 'postgres' ? sub.forUpdate().skipLocked() : sub;
      })
      .returning(['id', 'issue_id', 'email', 'reader_id', 'is_entitled', 'attempts'])
      .execute();
    return rows
      .map((r): ClaimedSend => ({
        id: r.id,
        issueId: r.issue_id,
        email: r.email,
        readerId: r.reader_id,
        isEntitled: r.is_entitled === 1,
        attempts: r.attempts,
        wasLeaseExpired: which === 'expired',
      }))
      .sort((a, b) => a.id - b.id);
  };
  const expired = await claim('expired', opts.limit);
  if (expired.length >= opts.limit) return expired;
  return [...expired, ...(await claim('due', opts.limit - expired.length))];
}

/** Updates of rows still held by the claim `token` (a taken-over claim is left alone). */
async function updateClaimed(db: Db, ids: number[], token: string, set: UpdateObject<Database, 'newsletter_sends'>): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const result = await db
      .updateTable('newsletter_sends')
      .set(set)
      .where('id', 'in', ids.slice(i, i + 500))
      .where('status', '=', 'sending')
      .where('claim_token', '=', token)
      .executeTakeFirst();
    n += Number(result.numUpdatedRows);
  }
  return n;
}

/** Keeps a live sender's claims from being taken by another while it works on them. */
export async function extendLeases(db: Db, ids: number[], leaseUntil: number, token: string): Promise<number> {
  return updateClaimed(db, ids, token, { lease_until: leaseUntil });
}

/**
 * Marks rows as about to go to the mail server; returns the ids still held by the claim (only
 * those may be sent: the others were taken over by another sender).
 */
export async function markHanded(db: Db, ids: number[], now: number, token: string): Promise<number[]> {
  const rows = await db
    .updateTable('newsletter_sends')
    .set({ handed_at: now })
    .where('id', 'in', ids)
    .where('status', '=', 'sending')
    .where('claim_token', '=', token)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** After the server accepted them; returns how many rows this claim still held. */
export async function markSent(db: Db, ids: number[], now: number, token: string): Promise<number> {
  return updateClaimed(db, ids, token, { status: 'sent', sent_at: now, lease_until: null });
}

/** Addresses suppressed (bounce, complaint) after the issue was queued: never sent. */
export async function markSuppressed(db: Db, ids: number[], token: string): Promise<number> {
  return updateClaimed(db, ids, token, { status: 'suppressed', lease_until: null, last_error: 'suppressed before sending' });
}

/**
 * Undoes the claim of rows this pass did not finish (stopped, or the mail server could not be
 * reached): queued again at once, the attempt given back. `mayHaveGoneOut` keeps their
 * handed-over mark (a connection lost after the message was written), so a later claim counts
 * them as in flight; otherwise the mark is cleared.
 */
export async function releaseClaims(db: Db, ids: number[], token: string, opts: { mayHaveGoneOut: boolean }): Promise<number> {
  return updateClaimed(db, ids, token, {
    status: 'queued',
    lease_until: null,
    attempts: sql<number>`attempts - 1`,
    ...(opts.mayHaveGoneOut ? {} : { handed_at: null }),
  });
}

/** Wait before the next try of a temporarily failing address: 1, 2, 4, 8 … minutes, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60 * 60_000, 60_000 * 2 ** Math.max(0, attempts - 1));
}

export type SendFailure = { id: number; attempts: number; isPermanent: boolean; error: string };

/**
 * Replies refusing the address or the message: a permanent one (5xx) or too many tries →
 * failed; anything else → queued again, later. A refusal means the copy did not go out, so the
 * handed-over mark is cleared. Rows no longer held by the claim `token` are left alone.
 */
export async function markFailures(db: Db, failures: SendFailure[], now: number, token: string): Promise<{ failed: number; retried: number }> {
  let failed = 0;
  let retried = 0;
  for (const f of failures) {
    const isFinal = f.isPermanent || f.attempts >= MAX_ATTEMPTS;
    const n = await updateClaimed(db, [f.id], token, isFinal
      ? { status: 'failed', lease_until: null, handed_at: null, last_error: f.error.slice(0, 500) }
      : { status: 'queued', lease_until: null, handed_at: null, last_error: f.error.slice(0, 500), next_attempt_at: now + retryDelayMs(f.attempts) });
    if (n === 0) continue;
    if (isFinal) failed += 1;
    else retried += 1;
  }
  return { failed, retried };
}

/** 'sent' once no row is left to send; true when this call finished the issue. */
export async function finishIfDone(db: Db, issueId: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('newsletter_issues')
    .set({ status: 'sent', finished_at: now })
    .where('id', '=', issueId)
    .where('status', '=', 'sending')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('newsletter_sends').select('id').where('issue_id', '=', issueId).where('status', 'in', ['queued', 'sending']))))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** When the issue's next row comes due (a retry or an expired lease); null when none is left. */
export async function nextDueAt(db: Db, issueId: number): Promise<number | null> {
  const row = await db
    .selectFrom('newsletter_sends')
    .select((eb) => [
      eb.fn.min(eb.case().when('status', '=', 'queued').then(eb.ref('next_attempt_at')).else(eb.ref('lease_until')).end()).as('at'),
    ])
    .where('issue_id', '=', issueId)
    .where('status', 'in', ['queued', 'sending'])
    .executeTakeFirst();
  return row?.at == null ? null : Number(row.at);
}

/** Copies of the issue taken again after their sender stopped with them handed over (each may have gone out twice). */
export async function inFlightResends(db: Db, issueId: number): Promise<number> {
  const row = await db.selectFrom('newsletter_sends').select((eb) => eb.fn.sum<number | string | null>('resends').as('n')).where('issue_id', '=', issueId).executeTakeFirstOrThrow();
  return Number(row.n ?? 0);
}
