// Telling readers an edition is out: an issue on the `weekly` list (closed to sign-ups, for
// readers holding `weekly`), made and queued through the newsletter path like any list sent
// by hand, so unsubscribes, suppression and the durable outbox all apply. The issue links to
// the edition's page and lists its top stories.
import type { Db } from '../db/database.ts';
import type { EditionsTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';
import { getList } from '../newsletters/lists.ts';
import { ensureIssue, queueIssue } from '../newsletters/issue-store.ts';
import { localDateOf } from '../newsletters/schedule.ts';

/** The list announcements go to (created by migration 009). */
export const WEEKLY_LIST_SLUG = 'weekly';
/** Stories named in the announcement: the cover story and the next ones in reading order. */
export const ANNOUNCED_STORIES = 5;

/** "Masthead Weekly No. 12: The harbor town that rebuilt its pier" */
export function announcementSubject(opts: { publicationName: string; number: number; title: string }): string {
  const title = opts.title.trim();
  return `${opts.publicationName} Weekly No. ${opts.number}${title ? `: ${title}` : ''}`;
}

/** The cover story first, then the others in reading order, `ANNOUNCED_STORIES` at most. */
export function announcedStoryIds(storyIds: number[], coverId: number | null): number[] {
  const ordered = coverId !== null && storyIds.includes(coverId) ? [coverId, ...storyIds.filter((id) => id !== coverId)] : storyIds;
  return ordered.slice(0, ANNOUNCED_STORIES);
}

/** Markdown: a link to the edition's page, then the editor's introduction. */
export function announcementIntro(opts: { publicUrl: string; week: string; number: number; intro: string }): string {
  const url = `${opts.publicUrl.replace(/\/+$/, '')}/editions/${encodeURIComponent(opts.week)}`;
  const lead = `The Weekly No. ${opts.number} is out. [Read the edition and download it as a PDF or an e-book](${url}).`;
  return opts.intro.trim() ? `${lead}\n\n${opts.intro.trim()}` : lead;
}

/**
 * Creates the announcement issue and queues it (deferred: the sender loop writes the
 * recipients), and records it on the edition. Null when the `weekly` list is missing or
 * switched off, or the edition was announced already. Safe to repeat: the publisher calls it,
 * and the jobs call it again for a published edition left unannounced by a crash.
 */
export async function announceEdition(
  deps: { db: Db; publicUrl: string; now: number },
  opts: { edition: Selectable<EditionsTable>; storyIds: number[]; coverId: number | null; publicationName: string; timeZone: string },
): Promise<number | null> {
  const { db, now } = deps;
  const { edition } = opts;
  if (edition.announced_issue_id !== null) return null;
  const list = await getList(db, { slug: WEEKLY_LIST_SLUG });
  if (!list || !list.isActive) return null;

  // One announcement per edition, whoever gets here first: its slug is the edition's week and
  // it is created whole, so a second publisher (or the jobs retrying after a crash) finds the
  // same issue and at most queues it; queueing is atomic (the loser gets not-draft).
  const issue = await ensureIssue(db, {
    list, slug: edition.week, issueDate: localDateOf(now, opts.timeZone), sendAt: null, now,
    text: {
      subject: announcementSubject({ publicationName: opts.publicationName, number: edition.number, title: edition.title }),
      intro: announcementIntro({ publicUrl: deps.publicUrl, week: edition.week, number: edition.number, intro: edition.intro }),
      storyIds: announcedStoryIds(opts.storyIds, opts.coverId),
    },
  });
  if (issue.status === 'draft') {
    const queued = await queueIssue({ db, publicUrl: deps.publicUrl }, issue.id, { now, isDeferred: true });
    if (!queued.ok && queued.reason !== 'not-draft') throw new Error(`announcement of ${edition.week} could not be queued: ${queued.reason}`);
  }
  await db.updateTable('editions').set({ announced_issue_id: issue.id }).where('id', '=', edition.id).where('announced_issue_id', 'is', null).execute();
  return issue.id;
}
