// The demo's first issues, so the archives show something on day one: the Daily of the last
// weekday before today, sent to the demo readers (into the file outbox without SMTP), and
// last week's Weekly, published and announced to the subscribers whose plan includes it.
import type { App } from '../app.ts';
import { getPublication } from '../content/publication.ts';
import { getList } from '../newsletters/lists.ts';
import { localDateOf, previousScheduledDate, sendTimeFor, storyWindow } from '../newsletters/schedule.ts';
import { ensureDailyIssue, queueIssue } from '../newsletters/issue-store.ts';
import { lastCompleteWeek } from '../editions/week.ts';
import { ensureEdition, publishEdition } from '../editions/edition-store.ts';

export async function seedDemoIssues(app: App, now: number): Promise<{ dailyDate: string | null; week: string | null }> {
  const { db } = app.database;
  const publicUrl = app.site.publicUrl();
  const { timeZone } = await getPublication(db);
  let dailyDate: string | null = null;
  const daily = await getList(db, { slug: 'daily' });
  if (daily?.schedule) {
    // The latest scheduled day whose window holds stories (the demo's dates are spread out).
    let date = localDateOf(now, timeZone);
    for (let tries = 0; tries < 10 && dailyDate === null; tries++) {
      date = previousScheduledDate(date, daily.schedule);
      const window = storyWindow(date, daily.schedule, timeZone);
      const story = await db.selectFrom('articles').select('id').where('status', '=', 'published').where('published_at', '>=', window.from).where('published_at', '<', window.to).executeTakeFirst();
      if (!story) continue;
      const issue = await ensureDailyIssue(db, { list: daily, issueDate: date, sendAt: sendTimeFor(date, daily.schedule, timeZone), now });
      if ((await queueIssue({ db, publicUrl }, issue.id, { now })).ok) dailyDate = date;
    }
  }
  const week = lastCompleteWeek(now, timeZone);
  const edition = await ensureEdition(db, { week, timeZone, now });
  const published = await publishEdition({ db, publicUrl, now }, edition.id);
  // Sends the Daily and the Weekly's announcement.
  await app.runJobs();
  return { dailyDate, week: published.ok ? week : null };
}
