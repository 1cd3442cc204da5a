// The addresses no newsletter is sent to: those that bounced for good, complained, or were
// suppressed by hand. Bounce and complaint reports arrive from the mail service, possibly
// twice or out of order; each is recorded once by its id, and only a hard bounce or a
// complaint suppresses (a soft bounce is a full mailbox or a server down for the night).
import type { Db, Tx } from '../db/database.ts';
import type { MailSuppressionsTable } from '../db/schema.ts';

export type SuppressionReason = MailSuppressionsTable['reason'];

export interface FeedbackEvent {
  /** The reporting service's id: the same report delivered twice is recorded once. */
  id: string;
  kind: 'bounce' | 'complaint';
  bounceType?: 'hard' | 'soft';
  email: string;
  /** When the service saw it (epoch ms). */
  at: number;
}

// Well under SQLite's and PostgreSQL's bound-parameter limits.
const CHUNK = 500;

const normal = (email: string) => email.trim().toLowerCase();

export async function isSuppressed(db: Db | Tx, email: string): Promise<boolean> {
  const row = await db.selectFrom('mail_suppressions').select('email').where('email', '=', normal(email)).executeTakeFirst();
  return row !== undefined;
}

/** The suppressed ones among `emails`, lower-cased: one query per few hundred addresses. */
export async function suppressedAmong(db: Db | Tx, emails: string[]): Promise<Set<string>> {
  const wanted = [...new Set(emails.map(normal))];
  const found = new Set<string>();
  for (let i = 0; i < wanted.length; i += CHUNK) {
    const rows = await db.selectFrom('mail_suppressions').select('email').where('email', 'in', wanted.slice(i, i + CHUNK)).execute();
    for (const r of rows) found.add(r.email);
  }
  return found;
}

/** Suppresses the address; an address already suppressed keeps its first reason. */
export async function suppress(db: Db | Tx, email: string, reason: SuppressionReason, detail: string, now: number): Promise<void> {
  await addSuppression(db, email, reason, detail, now);
}

async function addSuppression(db: Db | Tx, email: string, reason: SuppressionReason, detail: string, now: number): Promise<boolean> {
  const result = await db
    .insertInto('mail_suppressions')
    .values({ email: normal(email), reason, detail: detail.slice(0, 500), created_at: now })
    .onConflict((oc) => oc.column('email').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function unsuppress(db: Db | Tx, email: string): Promise<void> {
  await db.deleteFrom('mail_suppressions').where('email', '=', normal(email)).execute();
}

/** Whether a report of this kind stops mail to the address. */
export function isSuppressing(event: Pick<FeedbackEvent, 'kind' | 'bounceType'>): boolean {
  return event.kind === 'complaint' || (event.kind === 'bounce' && event.bounceType !== 'soft');
}

/**
 * Records one bounce or complaint report. `recorded` is false for a report seen before (a
 * replay changes nothing); `suppressed` is true only when this report newly suppressed the
 * address, so a second hard bounce or a complaint after a bounce suppresses nothing again.
 * A bounce without a type counts as hard: services that omit it report only final failures.
 */
export async function recordFeedback(db: Db, event: FeedbackEvent, now: number): Promise<{ recorded: boolean; suppressed: boolean }> {
  const email = normal(event.email);
  return db.transaction().execute(async (tx) => {
    const kind = event.kind === 'bounce' ? `bounce:${event.bounceType ?? 'hard'}` : 'complaint';
    const inserted = await tx
      .insertInto('mail_feedback')
      .values({ event_id: event.id.slice(0, 200), kind, email, received_at: now })
      .onConflict((oc) => oc.column('event_id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) return { recorded: false, suppressed: false };
    if (!isSuppressing(event)) return { recorded: true, suppressed: false };
    const reason: SuppressionReason = event.kind === 'complaint' ? 'complaint' : 'hard-bounce';
    const suppressed = await addSuppression(tx, email, reason, `report ${event.id.slice(0, 200)}${Number.isFinite(event.at) && Math.abs(event.at) < 8.64e15 ? ` at ${new Date(event.at).toISOString()}` : ''}`, now);
    return { recorded: true, suppressed };
  });
}
