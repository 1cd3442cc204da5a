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

/** A calendar date that exists (no 30 February): JavaScript's parser quietly rolls those over. */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
