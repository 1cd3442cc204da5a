// The newsroom's audit log: who published, unpublished, scheduled, restored or changed the
// access of what, and when — written in the same transaction as the change it records.
import type { Db, Tx } from '../db/database.ts';

export type AuditAction =
  | 'create'
  | 'submit'
  | 'publish'
  | 'schedule'
  | 'unpublish'
  | 'access'
  | 'restore'
  | 'correct'
  | 'url'
  | 'front-page'
  | 'section'
  | 'author'
  | 'staff'
  | 'reader'
  | 'plan'
  | 'offer'
  | 'coupon'
  | 'paywall'
  | 'letter'
  | 'settings'
  | 'newsletter'
  | 'edition';

export interface AuditEntry {
  actor: { id: number; email: string };
  action: AuditAction;
  articleId?: number | null;
  /** A short human sentence: "metered → subscriber", "for 2026-12-01 06:00". */
  detail?: string;
  at: number;
}

export async function recordAudit(db: Db | Tx, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ at: e.at, user_id: e.actor.id, actor: e.actor.email, action: e.action, article_id: e.articleId ?? null, detail: e.detail ?? '' })
    .execute();
}

export interface AuditRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  articleId: number | null;
  headline: string | null;
  detail: string;
}

/** The latest entries, newest first; for one story when `articleId` is given, of one kind when `action` is. */
export async function listAudit(db: Db, opts: { articleId?: number; action?: AuditAction; limit: number; offset?: number }): Promise<AuditRow[]> {
  let q = db
    .selectFrom('audit_log')
    .leftJoin('articles', 'articles.id', 'audit_log.article_id')
    .select(['audit_log.id', 'audit_log.at', 'audit_log.actor', 'audit_log.action', 'audit_log.article_id', 'audit_log.detail', 'articles.headline'])
    .orderBy('audit_log.at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(opts.limit)
    .offset(opts.offset ?? 0);
  if (opts.articleId !== undefined) q = q.where('audit_log.article_id', '=', opts.articleId);
  if (opts.action !== undefined) q = q.where('audit_log.action', '=', opts.action);
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.id, at: Number(r.at), actor: r.actor, action: r.action, articleId: r.article_id, headline: r.headline, detail: r.detail }));
}

/** Who did it, as the audit log records them. */
export type Actor = AuditEntry['actor'];

/** The staff member behind a newsroom request, as the audit log records them (id and address only). */
export function actorOf(frame: { staff: Actor }): Actor {
  return { id: frame.staff.id, email: frame.staff.email };
}
