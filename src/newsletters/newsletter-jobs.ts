// The newsletters' part of the periodic jobs: today's draft of each scheduled list early in
// the day (so editors can arrange it before it goes), and scheduled drafts queued when their
// time comes — moved to 'queued' only: writing one row per recipient (100,000 of them) and
// sending are the sender loop's (resumeQueueing, then the sender), never this 2-second tick's.
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { getPublication } from '../content/publication.ts';
import { loadLists } from './lists.ts';
import { isScheduledDay, localDateOf, sendTimeFor } from './schedule.ts';
import { ensureDailyIssue, queueIssue, updateDraft } from './issue-store.ts';

/**
 * How long after its send time a scheduled issue is still created and sent: a site that was
 * down at 06:00 and back at 07:00 still sends the Daily; one first started in the evening
 * does not send that morning's.
 */
export const LATE_SEND_GRACE_MS = 3 * 3_600_000;

export interface NewsletterJobsReport {
  /** Issues created as drafts this tick. */
  drafted: number[];
  /** Issues queued this tick (their rows are written by the sender loop). */
  queued: number[];
  /** Scheduled drafts with no stories at their time, or hours late: taken off the schedule (they stay drafts). */
  unscheduled: number[];
}

export async function runNewsletterJobs(deps: { db: Db; publicUrl: string; now: number; logger?: Logger }): Promise<NewsletterJobsReport> {
  const { db, now, logger } = deps;
  const report: NewsletterJobsReport = { drafted: [], queued: [], unscheduled: [] };
  const { timeZone } = await getPublication(db);
  const lists = await loadLists(db, { activeOnly: true });

  for (const list of lists) {
    if (!list.isAutomatic || !list.schedule) continue;
    const today = localDateOf(now, timeZone);
    if (!isScheduledDay(today, list.schedule)) continue;
    const sendAt = sendTimeFor(today, list.schedule, timeZone);
    if (now > sendAt + LATE_SEND_GRACE_MS) continue;
    const existing = await db.selectFrom('newsletter_issues').select('id').where('list_id', '=', list.id).where('slug', '=', today).executeTakeFirst();
    if (existing) continue;
    const issue = await ensureDailyIssue(db, { list, issueDate: today, sendAt, now });
    report.drafted.push(issue.id);
  }

  const activeIds = lists.map((l) => l.id);
  const due = activeIds.length === 0
    ? []
    : await db
      .selectFrom('newsletter_issues')
      .select(['id', 'send_at'])
      .where('status', '=', 'draft')
      .where('send_at', 'is not', null)
      .where('send_at', '<=', now)
      .where('list_id', 'in', activeIds)
      .orderBy('send_at')
      .execute();
  for (const row of due) {
    if (row.send_at! < now - LATE_SEND_GRACE_MS) {
      // Missed by hours (the site was down): yesterday's news is not sent this afternoon.
      await updateDraft(db, row.id, { sendAt: null }, { now, userId: null });
      report.unscheduled.push(row.id);
      logger?.warn({ issueId: row.id }, 'scheduled newsletter issue missed its time; not sent');
      continue;
    }
    const result = await queueIssue({ db, publicUrl: deps.publicUrl }, row.id, { now, isDeferred: true });
    if (result.ok) {
      report.queued.push(row.id);
      logger?.info({ issueId: row.id }, 'newsletter issue queued');
    } else if (result.reason === 'no-stories') {
      // Nothing to send: off the schedule rather than tried again every tick; the editor sees
      // the draft and may add stories and send it by hand.
      await updateDraft(db, row.id, { sendAt: null }, { now, userId: null });
      report.unscheduled.push(row.id);
      logger?.warn({ issueId: row.id }, 'scheduled newsletter issue has no stories; not sent');
    }
  }

  return report;
}
