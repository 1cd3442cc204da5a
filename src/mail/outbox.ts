// Transactional mail as rows: written in the same transaction as the change it reports,
// sent after commit by the flusher. The dedupe key makes a replayed event's mail a no-op; a
// crash between sending and marking sent re-sends at most the messages in flight.
import type { Db, Tx } from '../db/database.ts';
import type { MailTransport } from './transport.ts';
import { isPermanentFailure } from './transport.ts';

export interface OutgoingMail {
  dedupeKey: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

const CLAIM_MS = 5 * 60_000;
/** Messages whose bodies carry a credential (sign-in, e-mail-change and sign-up confirmation links). */
const SECRET_KINDS = ['login:', 'email-change:', 'newsletter-confirm:'];
const MAX_ATTEMPTS = 8;

export async function enqueueMail(db: Db | Tx, mail: OutgoingMail, now: number): Promise<void> {
  await db
    .insertInto('mail_outbox')
    .values({ dedupe_key: mail.dedupeKey, to_address: mail.to, subject: mail.subject, text_body: mail.text, html_body: mail.html, status: 'pending', attempts: 0, next_attempt_at: now, last_error: null, created_at: now, sent_at: null })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

export interface FlushReport {
  sent: number;
  retried: number;
  failed: number;
}

/** Sends what is due. Safe with several processes: each row is claimed by one UPDATE first. */
export async function flushOutbox(db: Db, transport: MailTransport, now: number, limit = 50): Promise<FlushReport> {
  const report: FlushReport = { sent: 0, retried: 0, failed: 0 };
  const due = await db.selectFrom('mail_outbox').selectAll().where('status', '=', 'pending').where('next_attempt_at', '<=', now).orderBy('id').limit(limit).execute();
  for (const row of due) {
    const claimed = await db
      .updateTable('mail_outbox')
      .set({ next_attempt_at: now + CLAIM_MS, attempts: row.attempts + 1 })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .where('attempts', '=', row.attempts)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    try {
      await transport.send({ to: row.to_address, subject: row.subject, text: row.text_body, html: row.html_body, messageId: `<${row.dedupe_key.replace(/[^A-Za-z0-9._-]/g, '.')}@masthead>` });
      // A sign-in link is a live credential for 15 minutes: once sent, the copy here goes.
      const isSecret = SECRET_KINDS.some((k) => row.dedupe_key.startsWith(k));
      await db
        .updateTable('mail_outbox')
        .set({ status: 'sent', sent_at: now, last_error: null, ...(isSecret ? { text_body: '', html_body: '' } : {}) })
        .where('id', '=', row.id)
        .execute();
      report.sent += 1;
    } catch (err) {
      const attempts = row.attempts + 1;
      const isFinal = isPermanentFailure(err) || attempts >= MAX_ATTEMPTS;
      const message = err instanceof Error ? err.message.slice(0, 500) : String(err);
      // Back off 1, 2, 4, … minutes between attempts.
      await db
        .updateTable('mail_outbox')
        .set({ status: isFinal ? 'failed' : 'pending', last_error: message, next_attempt_at: now + 60_000 * 2 ** (attempts - 1) })
        .where('id', '=', row.id)
        .execute();
      if (isFinal) report.failed += 1;
      else report.retried += 1;
    }
  }
  return report;
}
