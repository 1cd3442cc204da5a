// Dates as the publication sees them: URL dates and printed dates are in the publication's
// time zone, whatever the server's.

const partsCache = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    partsCache.set(timeZone, f);
  }
  return f;
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export function localParts(ms: number, timeZone: string): LocalDate {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return { year: out.year, month: out.month, day: out.day, hour: out.hour, minute: out.minute };
}

const secondsCache = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in ms (to the second: some old offsets had seconds). */
function offsetAt(ms: number, timeZone: string): number {
  let f = secondsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    secondsCache.set(timeZone, f);
  }
  const at = Math.floor(ms / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(at))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - at;
}

export type LocalTimeAt =
  | { ok: true; at: number }
  /**
   * The wall time falls in a gap (clocks go forward): `next` is the first instant after it,
   * `gapStart` the wall time at which the clocks jumped (e.g. 02:00 for New York's spring).
   */
  | { ok: false; reason: 'skipped'; next: number; gapStart: LocalDate };

const DAY_MS = 86_400_000;

/**
 * A wall-clock time in `timeZone` → the instant it names. The result is checked by converting
 * it back: a time skipped when clocks go forward is refused (with the first instant after
 * the gap) rather than quietly moved an hour; a time repeated when clocks go back is its
 * first occurrence. `local` must be a real calendar date and time (see isRealDate).
 */
export function localDateTimeToUtc(local: LocalDate, timeZone: string): LocalTimeAt {
  const { year, month, day, hour, minute } = local;
  if (!isRealDate(year, month, day) || !Number.isInteger(hour) || !Number.isInteger(minute) || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    throw new RangeError(`not a wall-clock time: ${JSON.stringify(local)}`);
  }
  const wanted = Date.UTC(year, month - 1, day, hour, minute);
  // The wall time read as UTC is within 14 hours of the instant, so the offsets a day either
  // side are the ones in force before and after any change around it.
  const offsets = [offsetAt(wanted - DAY_MS, timeZone), offsetAt(wanted + DAY_MS, timeZone)];
  const candidates = offsets.map((o) => wanted - o).filter((t) => isSameWallTime(localParts(t, timeZone), local));
  if (candidates.length > 0) return { ok: true, at: Math.min(...candidates) };

  // In a gap: the change happened between the two readings; find its second by halving.
  let lo = wanted - Math.max(...offsets);
  let hi = wanted - Math.min(...offsets);
  const before = offsetAt(lo, timeZone);
  if (before === offsetAt(hi, timeZone)) throw new Error(`cannot place ${JSON.stringify(local)} in ${timeZone}`);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === before) lo = mid;
    else hi = mid;
  }
  const jump = new Date(hi + before);
  return {
    ok: false,
    reason: 'skipped',
    next: hi,
    gapStart: { year: jump.getUTCFullYear(), month: jump.getUTCMonth() + 1, day: jump.getUTCDate(), hour: jump.getUTCHours(), minute: jump.getUTCMinutes() },
  };
}

function isSameWallTime(a: LocalDate, b: LocalDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;
}

/** `2015/0512` for the article URL. */
export function urlDate(ms: number, timeZone: string): string {
  const d = localParts(ms, timeZone);
  return `${d.year}/${String(d.month).padStart(2, '0')}${String(d.day).padStart(2, '0')}`;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const displayCache = new Map<string, Intl.DateTimeFormat>();

function displayFormatter(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`;
  let f = displayCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', withTime
      ? { timeZone, month: 'long', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }
      : { timeZone, month: 'long', day: 'numeric', year: 'numeric' });
    displayCache.set(key, f);
  }
  return f;
}

/** "May 12, 2015" */
export function displayDate(ms: number, timeZone: string): string {
  return displayFormatter(timeZone, false).format(new Date(ms));
}

/** "May 12, 2015, 6:30 PM EDT" */
export function displayDateTime(ms: number, timeZone: string): string {
  return displayFormatter(timeZone, true).format(new Date(ms));
}

const timeCache = new Map<string, Intl.DateTimeFormat>();

/** "10:42 AM" */
export function displayTime(ms: number, timeZone: string): string {
  let f = timeCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' });
    timeCache.set(timeZone, f);
  }
  return f.format(new Date(ms));
}

/** A calendar date that exists (no 30 February): JavaScript's parser quietly rolls those over. */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
