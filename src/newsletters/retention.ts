// What newsletter send rows keep of a recipient, and for how long. A row names its address
// until the issue has been finished for SEND_RETENTION_MS, or until the reader deletes their
// account; then the address becomes `deleted:<SHA-256 of the address>` and the reader id goes.
// The mark is one-way yet still one per address, so an issue's counts by status and its
// (issue, address) uniqueness survive. SMTP replies in last_error may quote the address: they
// go too.
//
// Clicks: a newsletter-click event names the send it came through (`{"send":<id>}`). When a
// reader deletes their account their clicks are rewritten to name only the issue
// (`{"issue":<id>}`), so the article's and the issue's click counts stay and nothing leads
// back to them. The retention job leaves clicks alone: the rows they name hold only the mark.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Tx } from '../db/database.ts';
import { clickEventDetail } from './links.ts';

export const SEND_RETENTION_MS = 90 * 86_400_000;

const MARK = 'deleted:';
// Rows per statement: three bound values a row, well under either database's limit.
const CHUNK = 200;

/** The one-way stand-in for an address in anonymised send rows. */
export function anonymousAddress(email: string): string {
  return MARK + crypto.createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

interface SendRef {
  id: number;
  issue_id: number;
  email: string;
}

/**
 * Replaces the address of `rows` by its mark. An issue may already hold a row with that mark
 * (an account deleted, then the address signed up again while the issue was still being
 * queued): the second row is the same person twice and is dropped instead.
 */
async function anonymiseRows(tx: Tx, rows: SendRef[], opts: { isSuppressingUnsent: boolean }): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => ({ ...r, mark: anonymousAddress(r.email) }));
    const existing = await tx.selectFrom('newsletter_sends').select(['issue_id', 'email']).where('email', 'in', chunk.map((r) => r.mark)).execute();
    const taken = new Set(existing.map((e) => `${e.issue_id} ${e.email}`));
    const twice = chunk.filter((r) => taken.has(`${r.issue_id} ${r.mark}`));
    const rest = chunk.filter((r) => !taken.has(`${r.issue_id} ${r.mark}`));
    if (twice.length > 0) await tx.deleteFrom('newsletter_sends').where('id', 'in', twice.map((r) => r.id)).execute();
    if (rest.length === 0) continue;
    const email = sql<string>`case ${sql.ref('id')} ${sql.join(rest.map((r) => sql`when ${r.id} then ${r.mark}`), sql` `)} end`;
    await tx
      .updateTable('newsletter_sends')
      .set({
        email,
        reader_id: null,
        last_error: null,
        // A deleted reader's copies still waiting are not sent: the address is gone.
        ...(opts.isSuppressingUnsent ? { status: sql`case when status in ('queued', 'sending') then 'suppressed' else status end`, lease_until: null } : {}),
      })
      .where('id', 'in', rest.map((r) => r.id))
      .execute();
  }
}

/**
 * Anonymises the send rows of a reader who is deleting their account — found by reader id
 * (copies sent before an address change) and by address (copies sent before the account
 * existed) — and takes the send out of their clicks. Copies not yet sent become 'suppressed'.
 * Runs inside the deletion's transaction.
 */
export async function anonymiseReaderSends(tx: Tx, reader: { id: number; email: string }): Promise<void> {
  const rows = await tx
    .selectFrom('newsletter_sends')
    .innerJoin('newsletter_issues', 'newsletter_issues.id', 'newsletter_sends.issue_id')
    .select(['newsletter_sends.id', 'newsletter_sends.issue_id', 'newsletter_sends.email', 'newsletter_issues.queued_at'])
    .where((eb) => eb.or([eb('newsletter_sends.reader_id', '=', reader.id), eb('newsletter_sends.email', '=', reader.email.toLowerCase())]))
    .execute();
  if (rows.length === 0) return;
  // No click on a copy comes before its issue was queued: the bound lets the kind-and-time
  // index find the clicks without reading the whole event log.
  const since = Math.min(...rows.map((r) => (r.queued_at === null ? 0 : Number(r.queued_at))));
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const detail = sql<string>`case ${sql.ref('detail')} ${sql.join(chunk.map((r) => sql`when ${clickEventDetail(r.id)} then ${JSON.stringify({ issue: r.issue_id })}`), sql` `)} end`;
    await tx
      .updateTable('events')
      .set({ detail })
      .where('kind', '=', 'newsletter-click')
      .where('created_at', '>=', since)
      .where('detail', 'in', chunk.map((r) => clickEventDetail(r.id)))
      .execute();
  }
  await anonymiseRows(tx, rows, { isSuppressingUnsent: true });
}

/**
 * The retention job: anonymises the send rows of issues finished more than `olderThanMs`
 * (SEND_RETENTION_MS in production) before `now`, a few hundred rows per transaction.
 * Idempotent; `anonymised` counts the rows changed (or dropped as duplicates) by this run.
 */
export async function anonymiseFinishedSends(db: Db, opts: { olderThanMs: number; now: number; batchSize?: number }): Promise<{ anonymised: number }> {
  const before = opts.now - opts.olderThanMs;
  const batchSize = opts.batchSize ?? 1_000;
  let anonymised = 0;
  for (;;) {
    const rows = await db
      .selectFrom('newsletter_sends')
      .innerJoin('newsletter_issues', 'newsletter_issues.id', 'newsletter_sends.issue_id')
      .select(['newsletter_sends.id', 'newsletter_sends.issue_id', 'newsletter_sends.email'])
      .where('newsletter_issues.finished_at', 'is not', null)
      .where('newsletter_issues.finished_at', '<', before)
      .where('newsletter_sends.email', 'not like', `${MARK}%`)
      .orderBy('newsletter_sends.id')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) return { anonymised };
    await db.transaction().execute((tx) => anonymiseRows(tx, rows, { isSuppressingUnsent: false }));
    anonymised += rows.length;
    if (rows.length < batchSize) return { anonymised };
  }
}
