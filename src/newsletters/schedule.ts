// When a list's issues go out, as plain functions of a date, a schedule, a time zone and
// `now`. A schedule is a wall-clock time on chosen weekdays in the publication's zone, so
// the send moves with daylight saving time, and the instants are worked out here alone.
import { localDateTimeToUtc, localParts } from '../content/dates.ts';
import { addDays, formatDate, isoWeekday, parseDate, type CalendarDate } from '../shared/calendar-date.ts';
import type { ListSchedule } from './types.ts';

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

function parseIssueDate(issueDate: string): CalendarDate {
  const date = parseDate(issueDate);
  if (!date) throw new RangeError(`not an issue date (YYYY-MM-DD): ${JSON.stringify(issueDate)}`);
  return date;
}

/** True for a real YYYY-MM-DD date: what the CLI and the newsroom accept as `--date`. */
export function isIssueDate(value: string): boolean {
  return parseDate(value) !== null;
}

/** The date (YYYY-MM-DD) an instant falls on in `timeZone`. */
export function localDateOf(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return formatDate(p);
}

export function isScheduledDay(issueDate: string, schedule: ListSchedule): boolean {
  return schedule.days.includes(isoWeekday(parseIssueDate(issueDate)));
}

/**
 * The instant (UTC ms) of the send on `issueDate` at the schedule's wall-clock time. When
 * that time does not exist that day (clocks jump forward across it) the send moves to the
 * first minute after the jump, rather than an hour off in either direction; a time that
 * happens twice (clocks go back) is its first occurrence.
 */
export function sendTimeFor(issueDate: string, schedule: ListSchedule, timeZone: string): number {
  const date = parseIssueDate(issueDate);
  const t = TIME.exec(schedule.time);
  if (!t) throw new RangeError(`not a schedule time (HH:MM): ${JSON.stringify(schedule.time)}`);
  const at = localDateTimeToUtc({ ...date, hour: Number(t[1]), minute: Number(t[2]) }, timeZone);
  return at.ok ? at.at : at.next;
}

/** The issue date whose send is due at `now`: today's when now >= today's send time and today is on the schedule; else null. */
export function dueIssueDate(schedule: ListSchedule, timeZone: string, now: number): string | null {
  const today = localDateOf(now, timeZone);
  if (!isScheduledDay(today, schedule)) return null;
  return now >= sendTimeFor(today, schedule, timeZone) ? today : null;
}

/** The scheduled day before `issueDate` (a week back at most, since a schedule names at least one weekday). */
export function previousScheduledDate(issueDate: string, schedule: ListSchedule): string {
  const date = parseIssueDate(issueDate);
  for (let back = 1; back <= 7; back++) {
    const candidate = addDays(date, -back);
    if (schedule.days.includes(isoWeekday(candidate))) return formatDate(candidate);
  }
  throw new RangeError('a schedule needs at least one weekday');
}

/**
 * Stories for an issue: published from the previous scheduled send up to this one (Monday's
 * covers the weekend). `from` is inclusive and `to` exclusive, so a story published on the
 * stroke of a send belongs to the next issue and never to two.
 */
export function storyWindow(issueDate: string, schedule: ListSchedule, timeZone: string): { from: number; to: number } {
  return {
    from: sendTimeFor(previousScheduledDate(issueDate, schedule), schedule, timeZone),
    to: sendTimeFor(issueDate, schedule, timeZone),
  };
}
