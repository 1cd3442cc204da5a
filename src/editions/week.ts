// ISO weeks as the publication sees them: Monday to Sunday in its time zone, named
// "2026-W47". Plain functions of an instant, a week and a zone; the instants where a week
// starts and ends (local midnight, which moves with daylight saving time) are worked out here.
import { localDateTimeToUtc, localParts } from '../content/dates.ts';
import { dayNumber, formatDate, fromDayNumber, isoWeekday, type CalendarDate } from '../shared/calendar-date.ts';

const WEEK = /^(\d{4})-W(\d{2})$/i;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function formatWeek(year: number, week: number): string {
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/** The ISO week a calendar date belongs to (the week's Thursday decides its year). */
export function isoWeekOfDate(d: CalendarDate): string {
  const thursday = fromDayNumber(dayNumber(d) + 4 - isoWeekday(d));
  const ordinal = dayNumber(thursday) - dayNumber({ year: thursday.year, month: 1, day: 1 });
  return formatWeek(thursday.year, Math.floor(ordinal / 7) + 1);
}

/** 52 or 53: the week of 28 December is always the year's last. */
function weeksInYear(year: number): number {
  return Number(isoWeekOfDate({ year, month: 12, day: 28 }).slice(6));
}

/** "2026-W47" for an instant, in the publication's time zone. */
export function isoWeekOf(ms: number, timeZone: string): string {
  return isoWeekOfDate(localParts(ms, timeZone));
}

/** The week in canonical form ("2026-w5" is not accepted; "2026-w05" becomes "2026-W05"), or null when it is not a real ISO week. */
export function parseWeek(value: string): string | null {
  const m = WEEK.exec(value.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1900 || year > 2999 || week < 1 || week > weeksInYear(year)) return null;
  return formatWeek(year, week);
}

function requireWeek(week: string): { year: number; week: number } {
  const canonical = parseWeek(week);
  if (!canonical) throw new RangeError(`not an ISO week (YYYY-Www): ${JSON.stringify(week)}`);
  return { year: Number(canonical.slice(0, 4)), week: Number(canonical.slice(6)) };
}

/** The Monday of an ISO week (4 January is always in week 1). */
export function weekMonday(week: string): CalendarDate {
  const w = requireWeek(week);
  const jan4 = { year: w.year, month: 1, day: 4 };
  return fromDayNumber(dayNumber(jan4) - (isoWeekday(jan4) - 1) + (w.week - 1) * 7);
}

/** The week `n` weeks after (negative: before) `week`. */
export function shiftWeek(week: string, n: number): string {
  return isoWeekOfDate(fromDayNumber(dayNumber(weekMonday(week)) + n * 7));
}

/** The instant of a wall-clock time on a date in `timeZone`; a time skipped by a clock change moves to the first minute after it. */
export function localInstant(date: CalendarDate, hour: number, minute: number, timeZone: string): number {
  const at = localDateTimeToUtc({ ...date, hour, minute }, timeZone);
  return at.ok ? at.at : at.next;
}

/** First and last day (YYYY-MM-DD) and the instants [startsAt, endsAt): local midnight of Monday to that of the next Monday. */
export function weekRange(week: string, timeZone: string): { from: string; to: string; startsAt: number; endsAt: number } {
  const monday = weekMonday(week);
  const sunday = fromDayNumber(dayNumber(monday) + 6);
  const nextMonday = fromDayNumber(dayNumber(monday) + 7);
  return {
    from: formatDate(monday),
    to: formatDate(sunday),
    startsAt: localInstant(monday, 0, 0, timeZone),
    endsAt: localInstant(nextMonday, 0, 0, timeZone),
  };
}

/** The Monday after the week (the day its edition comes out). */
export function mondayAfter(week: string): CalendarDate {
  return fromDayNumber(dayNumber(weekMonday(week)) + 7);
}

/** The last week that has ended at `now` in the zone: the one before the current week. */
export function lastCompleteWeek(now: number, timeZone: string): string {
  return shiftWeek(isoWeekOf(now, timeZone), -1);
}

/** "November 16–22, 2026"; "November 30 – December 6, 2026"; "December 28, 2026 – January 3, 2027". */
export function weekDateLine(week: string): string {
  const a = weekMonday(week);
  const b = fromDayNumber(dayNumber(a) + 6);
  if (a.year !== b.year) return `${MONTHS[a.month - 1]} ${a.day}, ${a.year} – ${MONTHS[b.month - 1]} ${b.day}, ${b.year}`;
  if (a.month !== b.month) return `${MONTHS[a.month - 1]} ${a.day} – ${MONTHS[b.month - 1]} ${b.day}, ${b.year}`;
  return `${MONTHS[a.month - 1]} ${a.day}–${b.day}, ${a.year}`;
}
