// The date the newsroom offers when an editor prepares an issue of an automatic list.
import { isScheduledDay, localDateOf, sendTimeFor } from '../../newsletters/schedule.ts';
import type { NewsletterList } from '../../newsletters/types.ts';
import { addDays, formatDate, parseDate } from '../../shared/calendar-date.ts';

/**
 * The first date from today (in the publication's zone) on which the list goes out and whose
 * send time is still ahead; '' for a list sent by hand. Steps by calendar date: stepping by
 * 24 hours from `now` skips a date when a day is 23 hours long.
 */
export function nextIssueDate(list: Pick<NewsletterList, 'isAutomatic' | 'schedule'>, timeZone: string, now: number): string {
  if (!list.isAutomatic || !list.schedule) return '';
  const today = localDateOf(now, timeZone);
  for (let d = 0; d <= 7; d++) {
    const date = formatDate(addDays(parseDate(today)!, d));
    if (isScheduledDay(date, list.schedule) && sendTimeFor(date, list.schedule, timeZone) > now) return date;
  }
  return '';
}
