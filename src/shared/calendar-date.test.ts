import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, formatDate, isoWeekday, parseDate } from './calendar-date.ts';

describe('calendar dates', () => {
  it('parses real dates only', () => {
    assert.deepEqual(parseDate('2026-11-30'), { year: 2026, month: 11, day: 30 });
    assert.deepEqual(parseDate('2028-02-29'), { year: 2028, month: 2, day: 29 });
    for (const bad of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-1-5', '', '2026-11-30T00:00']) assert.equal(parseDate(bad), null, bad);
  });

  it('adds days across months, years and leap days, and names ISO weekdays', () => {
    const d = (s: string) => parseDate(s)!;
    assert.equal(formatDate(addDays(d('2026-12-31'), 1)), '2027-01-01');
    assert.equal(formatDate(addDays(d('2028-03-01'), -1)), '2028-02-29');
    assert.equal(formatDate(addDays(d('2026-03-07'), 2)), '2026-03-09', 'a date across a clock change is still one day');
    assert.equal(isoWeekday(d('2026-11-30')), 1);
    assert.equal(isoWeekday(d('2026-11-29')), 7);
  });
});
