// The durable outbox of an issue: one newsletter_sends row per recipient, written before
// anything is sent, then claimed in batches with a lease, and marked only after the mail
// server has accepted each message. A sender that dies leaves its claimed rows 'sending';
// when their lease runs out they are taken again: those are the "in flight" messages, the
// only ones a crash can send twice, and they are marked so they can be counted.
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Dialect } from '../db/database.ts';
import type { NewsletterList } from './types.ts';
import { recipientBatches } from './recipients.ts';
import { suppressedAmong } from './suppression.ts';

/** last_error of a row taken again after its sender's lease ran out (it may have gone out). */
export const IN_FLIGHT_MARK = 'in flight when its sender stopped';
/** Attempts before a temporarily failing address is given up as failed. */
export const MAX_ATTEMPTS = 6;

export interface ClaimedSend {
  id: number;
  issueId: number;
  email: string;
  readerId: number | null;
  isEntitled: boolean;
  attempts: number;
  /** Taken again after a stopped sender's lease ran out: it may already have been delivered. */
  wasInFlight: boolean;
}

/** Writes the issue's send rows (suppressed addresses as 'suppressed'); idempotent per address. */
export async function writeIssueSends(db: Db, opts: { issueId: number; list: NewsletterList; now: number }): Promise<{ queued: number; suppressed: number }> {
  for await (const batch of recipientBatches(db, opts.list, { now: opts.now })) {
    const suppressed = await suppressedAmong(db, batch.map((r) => r.email));
    await db
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
 * Claims up to `limit` rows of the issue that are due: queued ones whose retry time has come,
 * and 'sending' ones whose lease ran out (their sender stopped). One UPDATE, so two claimers
 * never get the same row: on PostgreSQL the rows are locked and skipped by the other
 * (FOR UPDATE SKIP LOCKED); on SQLite the statement holds the single write lock.
 */
export async function claimSends(db: Db, dialect: Dialect, opts: { issueId: number; now: number; leaseMs: number; limit: number }): Promise<ClaimedSend[]> {
  const claim = async (which: 'expired' | 'due', limit: number) => {
    const rows = await db
      .updateTable('newsletter_sends')
      .set({
        status: 'sending',
        lease_until: opts.now + opts.leaseMs,
        attempts: (eb) => eb('attempts', '+', 1),
        // Evaluated on the row as it was: a row still 'sending' belonged to a stopped sender.
        last_error: sql<string | null>`case when status = 'sending' then ${IN_FLIGHT_MARK} else null end`,
      })
      .where('id', 'in', (eb) => {
        let sub = eb.selectFrom('newsletter_sends').select('id').where('issue_id', '=', opts.issueId);
        sub = which === 'expired'
          ? sub.where('status', '=', 'sending').where('lease_until', '<', opts.now)
          : sub.where('status', '=', 'queued').where('next_attempt_at', '<=', opts.now);
        sub = sub.limit(limit);
        return dialect === 'postgres' ? sub.forUpdate().skipLocked() : sub;
      })
      .returning(['id', 'issue_id', 'email', 'reader_id', 'is_entitled', 'attempts', 'last_error'])
      .execute();
    return rows.map((r): ClaimedSend => ({
      id: r.id,
      issueId: r.issue_id,
      email: r.email,
      readerId: r.reader_id,
      isEntitled: r.is_entitled === 1,
      attempts: r.attempts,
      wasInFlight: r.last_error === IN_FLIGHT_MARK,
    }));
  };
  const expired = await claim('expired', opts.limit);
  if (expired.length >= opts.limit) return expired;
  return [...expired, ...(await claim('due', opts.limit - expired.length))];
}

/** Keeps a live sender's claims from being taken by another while it works on them. */
export async function extendLeases(db: Db, ids: number[], leaseUntil: number): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db.updateTable('newsletter_sends').set({ lease_until: leaseUntil }).where('id', 'in', ids.slice(i, i + 500)).where('status', '=', 'sending').execute();
  }
}

/** After the server accepted them. The in-flight mark stays, so re-sent copies can be counted. */
export async function markSent(db: Db, ids: number[], now: number): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db.updateTable('newsletter_sends').set({ status: 'sent', sent_at: now, lease_until: null }).where('id', 'in', ids.slice(i, i + 500)).where('status', '=', 'sending').execute();
  }
}

/** Addresses suppressed (bounce, complaint) after the issue was queued: never sent. */
export async function markSuppressed(db: Db, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db.updateTable('newsletter_sends').set({ status: 'suppressed', lease_until: null, last_error: 'suppressed before sending' }).where('id', 'in', ids.slice(i, i + 500)).where('status', '=', 'sending').execute();
  }
}

/** Wait before the next try of a temporarily failing address: 1, 2, 4, 8 … minutes, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60 * 60_000, 60_000 * 2 ** Math.max(0, attempts - 1));
}

export type SendFailure = { id: number; attempts: number; isPermanent: boolean; error: string };

/** A permanent refusal (5xx) or too many tries → failed; anything else → queued again, later. */
export async function markFailures(db: Db, failures: SendFailure[], now: number): Promise<{ failed: number; retried: number }> {
  let failed = 0;
  for (const f of failures) {
    const isFinal = f.isPermanent || f.attempts >= MAX_ATTEMPTS;
    await db
      .updateTable('newsletter_sends')
      .set(isFinal
        ? { status: 'failed', lease_until: null, last_error: f.error.slice(0, 500) }
        : { status: 'queued', lease_until: null, last_error: f.error.slice(0, 500), next_attempt_at: now + retryDelayMs(f.attempts) })
      .where('id', '=', f.id)
      .where('status', '=', 'sending')
      .execute();
    if (isFinal) failed += 1;
  }
  return { failed, retried: failures.length - failed };
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

/** Rows of the issue that were taken again after a sender stopped (each may have gone out twice). */
export async function inFlightResends(db: Db, issueId: number): Promise<number> {
  const row = await db.selectFrom('newsletter_sends').select((eb) => eb.fn.countAll<number>().as('n')).where('issue_id', '=', issueId).where('last_error', '=', IN_FLIGHT_MARK).executeTakeFirstOrThrow();
  return Number(row.n);
}
