// Issues of a list as rows: drafts an editor arranges, then queued (content frozen, one send
// row per recipient written before anything is sent), sending, sent; or cancelled while a
// draft. Every change of state is one conditional UPDATE, so a second click or a second app
// instance finds the issue already moved on and gets a reason instead of a second send.
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { NewsletterIssuesTable } from '../db/schema.ts';
import type { IssueContent, NewsletterList } from './types.ts';
import { getList } from './lists.ts';
import { composeIssueContent } from './issue-content.ts';
import { writeIssueSends } from './send-queue.ts';

export type IssueRow = Selectable<NewsletterIssuesTable>;

/** Counters tried after the date for a list sent by hand ("2026-05-04-2" …) before giving up. */
const MAX_ISSUES_A_DAY = 50;

/** What a draft may be created with, so that it is whole from its first moment. */
export interface DraftText {
  subject: string;
  intro: string;
  storyIds: number[] | null;
}

function draftValues(opts: { listId: number; slug: string; issueDate: string; sendAt: number | null; now: number; userId: number | null; text?: DraftText }) {
  return {
    list_id: opts.listId,
    slug: opts.slug,
    issue_date: opts.issueDate,
    status: 'draft' as const,
    subject: opts.text?.subject ?? '',
    intro: opts.text?.intro ?? '',
    story_ids: opts.text?.storyIds ? JSON.stringify(opts.text.storyIds) : null,
    content: null,
    send_at: opts.sendAt,
    queued_at: null,
    finished_at: null,
    created_at: opts.now,
    updated_at: opts.now,
    updated_by: opts.userId,
  };
}

/**
 * The list's issue with that slug: a new draft (with `text`, if given) if there is none —
 * unique (list, slug) settles races — else the existing one, whatever its state.
 */
export async function ensureIssue(db: Db, opts: { list: NewsletterList; slug: string; issueDate: string; sendAt: number | null; now: number; text?: DraftText }): Promise<IssueRow> {
  await db
    .insertInto('newsletter_issues')
    .values(draftValues({ listId: opts.list.id, slug: opts.slug, issueDate: opts.issueDate, sendAt: opts.sendAt, now: opts.now, userId: null, text: opts.text }))
    .onConflict((oc) => oc.columns(['list_id', 'slug']).doNothing())
    .execute();
  return db.selectFrom('newsletter_issues').selectAll().where('list_id', '=', opts.list.id).where('slug', '=', opts.slug).executeTakeFirstOrThrow();
}

/** The list's issue for that date (the Daily's slug is its date). */
export function ensureDailyIssue(db: Db, opts: { list: NewsletterList; issueDate: string; sendAt: number; now: number }): Promise<IssueRow> {
  return ensureIssue(db, { ...opts, slug: opts.issueDate });
}

/** A new draft for a list sent by hand: slug = the date, or the date with a counter when that is taken. */
export async function createIssue(db: Db, opts: { list: NewsletterList; issueDate: string; now: number; userId: number | null }): Promise<IssueRow> {
  for (let n = 1; n <= MAX_ISSUES_A_DAY; n++) {
    const slug = n === 1 ? opts.issueDate : `${opts.issueDate}-${n}`;
    const row = await db
      .insertInto('newsletter_issues')
      .values(draftValues({ listId: opts.list.id, slug, issueDate: opts.issueDate, sendAt: null, now: opts.now, userId: opts.userId }))
      .onConflict((oc) => oc.columns(['list_id', 'slug']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) return row;
  }
  throw new Error(`more than ${MAX_ISSUES_A_DAY} issues of one list on ${opts.issueDate}`);
}

export async function getIssue(db: Db, id: number): Promise<IssueRow | null> {
  return (await db.selectFrom('newsletter_issues').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Newest first. */
export async function listIssues(db: Db, listId: number, opts: { limit: number; offset: number }): Promise<IssueRow[]> {
  return db
    .selectFrom('newsletter_issues')
    .selectAll()
    .where('list_id', '=', listId)
    .orderBy('issue_date', 'desc')
    .orderBy('id', 'desc')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
}

/** The content frozen when the issue was queued; null for drafts (and anything unreadable). */
export function frozenContent(issue: IssueRow): IssueContent | null {
  if (issue.content === null) return null;
  try {
    return JSON.parse(issue.content) as IssueContent;
  } catch {
    return null;
  }
}

export interface DraftChange {
  subject?: string;
  intro?: string;
  /** The editor's stories in order; null returns the issue to automatic composition. */
  storyIds?: number[] | null;
  sendAt?: number | null;
}

export type DraftResult = { ok: true; issue: IssueRow } | { ok: false; reason: 'not-found' | 'not-draft' | 'stale' | 'unknown-story' };

/** Why a conditional update of a draft touched nothing. */
async function whyUnchanged(db: Db, issueId: number): Promise<'not-found' | 'not-draft' | 'stale'> {
  const now = await getIssue(db, issueId);
  if (!now) return 'not-found';
  return now.status === 'draft' ? 'stale' : 'not-draft';
}

/**
 * Saves an editor's change to a draft. With `expectUpdatedAt`, a save based on an older copy
 * (someone else saved in between) is refused as stale rather than silently overwriting theirs.
 */
export async function updateDraft(db: Db, issueId: number, change: DraftChange, opts: { now: number; userId: number | null; expectUpdatedAt?: number }): Promise<DraftResult> {
  const issue = await getIssue(db, issueId);
  if (!issue) return { ok: false, reason: 'not-found' };
  if (issue.status !== 'draft') return { ok: false, reason: 'not-draft' };
  if (opts.expectUpdatedAt !== undefined && opts.expectUpdatedAt !== issue.updated_at) return { ok: false, reason: 'stale' };

  let storyIds: number[] | null | undefined = change.storyIds;
  if (storyIds) {
    storyIds = [...new Set(storyIds)];
    if (storyIds.length > 0) {
      const found = await db.selectFrom('articles').select('id').where('id', 'in', storyIds).where('status', '=', 'published').execute();
      if (found.length !== storyIds.length) return { ok: false, reason: 'unknown-story' };
    }
  }

  // Strictly later than the copy it replaces, so two saves within one millisecond still differ.
  const updatedAt = Math.max(opts.now, issue.updated_at + 1);
  const result = await db
    .updateTable('newsletter_issues')
    .set({
      ...(change.subject !== undefined ? { subject: change.subject } : {}),
      ...(change.intro !== undefined ? { intro: change.intro } : {}),
      ...(storyIds !== undefined ? { story_ids: storyIds === null ? null : JSON.stringify(storyIds) } : {}),
      ...(change.sendAt !== undefined ? { send_at: change.sendAt } : {}),
      updated_at: updatedAt,
      updated_by: opts.userId,
    })
    .where('id', '=', issueId)
    .where('status', '=', 'draft')
    .where('updated_at', '=', issue.updated_at)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return { ok: false, reason: await whyUnchanged(db, issueId) };
  return { ok: true, issue: (await getIssue(db, issueId))! };
}

export type QueueResult = { ok: true; queued: number; suppressed: number } | { ok: false; reason: 'not-found' | 'not-draft' | 'no-stories' };

/** Tries before giving up when editors keep saving the draft while it is being queued. */
const QUEUE_TRIES = 5;

/**
 * Draft → queued atomically (a second click or instance gets not-draft), content frozen via
 * composeIssueContent, all send rows written in batches, then status 'sending'. With
 * `isDeferred` only the first step happens (queued: 0, suppressed: 0): writing 100,000 rows
 * has no place in a newsroom request or the 2-second job tick, so the sender loop finishes
 * the queueing (resumeQueueing) and then sends.
 */
export async function queueIssue(deps: { db: Db; publicUrl: string }, issueId: number, opts: { now: number; isDeferred?: boolean }): Promise<QueueResult> {
  const { db } = deps;
  for (let tries = 0; tries < QUEUE_TRIES; tries++) {
    const issue = await getIssue(db, issueId);
    if (!issue) return { ok: false, reason: 'not-found' };
    if (issue.status !== 'draft') return { ok: false, reason: 'not-draft' };
    const list = await getList(db, { id: issue.list_id });
    if (!list) return { ok: false, reason: 'not-found' };
    const content = await composeIssueContent(db, { issue, list, now: opts.now, publicUrl: deps.publicUrl });
    if (content.stories.length === 0) return { ok: false, reason: 'no-stories' };
    // Frozen exactly as composed from this copy of the draft: a save in between means compose again.
    const moved = await db
      .updateTable('newsletter_issues')
      .set({ status: 'queued', content: JSON.stringify(content), queued_at: opts.now })
      .where('id', '=', issueId)
      .where('status', '=', 'draft')
      .where('updated_at', '=', issue.updated_at)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) continue;
    if (opts.isDeferred) return { ok: true, queued: 0, suppressed: 0 };
    const counts = await finishQueueing(db, { ...issue, status: 'queued', queued_at: opts.now }, list, { now: opts.now });
    // Null: another process finished the queueing first (it is sending already).
    return { ok: true, ...(counts ?? (await queuedCounts(db, issueId))) };
  }
  return { ok: false, reason: 'not-draft' };
}

async function queuedCounts(db: Db, issueId: number): Promise<{ queued: number; suppressed: number }> {
  const r = await issueReport(db, issueId);
  return { queued: r.total - r.suppressed, suppressed: r.suppressed };
}

/**
 * Writes the send rows of a queued issue and moves it to 'sending'. Safe to run again, and
 * alongside another process doing the same (rows are unique per issue and address, and a
 * batch goes in only while the issue is still queued): that is how an issue left 'queued' by
 * a crash is finished (see resumeQueueing). Null when the issue moved on first, or stopped.
 */
async function finishQueueing(db: Db, issue: IssueRow, list: NewsletterList, opts: { now: number; isStopped?: () => boolean }): Promise<{ queued: number; suppressed: number } | null> {
  const counts = await writeIssueSends(db, { issueId: issue.id, list, now: opts.now, isStopped: opts.isStopped });
  if (!counts) return null;
  await db.updateTable('newsletter_issues').set({ status: 'sending' }).where('id', '=', issue.id).where('status', '=', 'queued').execute();
  return counts;
}

/**
 * A queued issue nobody is writing rows for: queued_at moves with every batch written, so one
 * still for this long was abandoned by a process that stopped mid-way.
 */
export const QUEUEING_STALE_MS = 60_000;

/**
 * Finishes the queueing of issues that need it: those just queued with no row written yet
 * (deferred by the newsroom or the job tick), and those whose queueing stopped (queued_at
 * older than `staleMs`). The one that moves queued_at on takes the work; anyone else moves
 * on. Returns the ids finished.
 */
export async function resumeQueueing(db: Db, opts: { now: number; staleMs?: number; issueId?: number; isStopped?: () => boolean }): Promise<number[]> {
  const staleBefore = opts.now - (opts.staleMs ?? QUEUEING_STALE_MS);
  let q = db
    .selectFrom('newsletter_issues')
    .selectAll()
    .where('status', '=', 'queued')
    .where((eb) => eb.or([
      eb('queued_at', '<=', staleBefore),
      eb.not(eb.exists(eb.selectFrom('newsletter_sends').select('newsletter_sends.id').whereRef('newsletter_sends.issue_id', '=', 'newsletter_issues.id'))),
    ]))
    .orderBy('id');
  if (opts.issueId !== undefined) q = q.where('id', '=', opts.issueId);
  const finished: number[] = [];
  for (const issue of await q.execute()) {
    if (opts.isStopped?.()) break;
    const takenAt = Math.max(opts.now, Number(issue.queued_at ?? 0) + 1);
    const taken = await db
      .updateTable('newsletter_issues')
      .set({ queued_at: takenAt })
      .where('id', '=', issue.id)
      .where('status', '=', 'queued')
      .where('queued_at', '=', issue.queued_at)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) continue;
    const list = await getList(db, { id: issue.list_id });
    if (!list) continue;
    if (await finishQueueing(db, issue, list, { now: opts.now, isStopped: opts.isStopped })) finished.push(issue.id);
  }
  return finished;
}

/** Cancels a draft (a queued issue is already being sent and cannot be called back). */
export async function cancelIssue(db: Db, issueId: number, now: number): Promise<DraftResult> {
  const issue = await getIssue(db, issueId);
  if (!issue) return { ok: false, reason: 'not-found' };
  const result = await db
    .updateTable('newsletter_issues')
    .set({ status: 'cancelled', updated_at: Math.max(now, issue.updated_at + 1), finished_at: now })
    .where('id', '=', issueId)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return { ok: false, reason: await whyUnchanged(db, issueId) === 'not-found' ? 'not-found' : 'not-draft' };
  return { ok: true, issue: (await getIssue(db, issueId))! };
}

export interface IssueReport {
  total: number;
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  suppressed: number;
}

export async function issueReport(db: Db, issueId: number): Promise<IssueReport> {
  const rows = await db
    .selectFrom('newsletter_sends')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('issue_id', '=', issueId)
    .groupBy('status')
    .execute();
  const report: IssueReport = { total: 0, queued: 0, sending: 0, sent: 0, failed: 0, suppressed: 0 };
  for (const r of rows) {
    const n = Number(r.n);
    report.total += n;
    if (r.status in report) report[r.status as keyof IssueReport] += n;
  }
  return report;
}
