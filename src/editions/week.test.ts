import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isoWeekOf, isoWeekOfDate, lastCompleteWeek, parseWeek, shiftWeek, weekDateLine, weekMonday, weekRange } from './week.ts';

const NY = 'America/New_York';
const at = (iso: string) => Date.parse(iso);

describe('isoWeekOfDate', () => {
  // Year ends are where ISO weeks differ from calendar years.
  const cases: [string, string][] = [
    ['2026-11-16', '2026-W47'], // Monday
    ['2026-11-22', '2026-W47'], // Sunday
    ['2026-11-23', '2026-W48'],
    ['2026-01-01', '2026-W01'], // Thursday: week 1 of 2026
    ['2025-12-29', '2026-W01'], // Monday before it
    ['2027-01-01', '2026-W53'], // Friday: 2026 has 53 weeks
    ['2027-01-03', '2026-W53'],
    ['2027-01-04', '2027-W01'],
    ['2021-01-03', '2020-W53'],
    ['2024-12-30', '2025-W01'],
  ];
  for (const [date, want] of cases) {
    const [year, month, day] = date.split('-').map(Number);
    it(`${date} is in ${want}`, () => assert.equal(isoWeekOfDate({ year, month, day }), want));
  }
});

describe('isoWeekOf in a time zone', () => {
  const cases: [string, string, string][] = [
    ['2026-11-23T04:59:00Z', NY, '2026-W47'], // Sunday 23:59 in New York
    ['2026-11-23T05:00:00Z', NY, '2026-W48'], // Monday 00:00 in New York
    ['2026-11-23T04:59:00Z', 'UTC', '2026-W48'],
    ['2026-11-22T12:00:00Z', 'Pacific/Auckland', '2026-W48'], // already Monday there
  ];
  for (const [iso, zone, want] of cases) it(`${iso} in ${zone} is ${want}`, () => assert.equal(isoWeekOf(at(iso), zone), want));
});

describe('parseWeek', () => {
  const cases: [string, string | null][] = [
    ['2026-W47', '2026-W47'],
    ['2026-w05', '2026-W05'],
    [' 2026-W01 ', '2026-W01'],
    ['2026-W53', '2026-W53'],
    ['2027-W53', null], // 2027 has 52 weeks
    ['2026-W00', null],
    ['2026-W5', null],
    ['2026-47', null],
    ['W47', null],
    ['', null],
    ['1800-W10', null],
  ];
  for (const [value, want] of cases) it(`${JSON.stringify(value)} → ${want}`, () => assert.equal(parseWeek(value), want));
});

describe('weekRange', () => {
  it('runs from local midnight of Monday to that of the next Monday', () => {
    assert.deepEqual(weekRange('2026-W47', NY), {
      from: '2026-11-16', to: '2026-11-22', startsAt: at('2026-11-16T05:00:00Z'), endsAt: at('2026-11-23T05:00:00Z'),
    });
  });
  it('is an hour shorter across the spring change of clocks', () => {
    const r = weekRange('2026-W10', NY); // 8 March 2026: clocks go forward
    assert.equal(r.from, '2026-03-02');
    assert.equal(r.endsAt - r.startsAt, 7 * 86_400_000 - 3_600_000);
  });
  it('crosses the year in ISO week 1', () => {
    const r = weekRange('2026-W01', 'UTC');
    assert.deepEqual([r.from, r.to, r.startsAt], ['2025-12-29', '2026-01-04', at('2025-12-29T00:00:00Z')]);
  });
  it('refuses a week that is not one', () => assert.throws(() => weekRange('2027-W53', NY), RangeError));
});

describe('week arithmetic and labels', () => {
  it('shifts across year ends', () => {
    assert.equal(shiftWeek('2026-W01', -1), '2025-W52');
    assert.equal(shiftWeek('2026-W53', 1), '2027-W01');
    assert.equal(shiftWeek('2026-W47', 0), '2026-W47');
  });
  it('finds the Monday', () => assert.deepEqual(weekMonday('2026-W47'), { year: 2026, month: 11, day: 16 }));
  it('the last complete week is the one before the current week', () => {
    assert.equal(lastCompleteWeek(at('2026-11-23T12:00:00Z'), NY), '2026-W47');
    assert.equal(lastCompleteWeek(at('2026-11-23T04:00:00Z'), NY), '2026-W46'); // still Sunday in New York
  });
  const lines: [string, string][] = [
    ['2026-W47', 'November 16–22, 2026'],
    ['2026-W49', 'November 30 – December 6, 2026'],
    ['2026-W53', 'December 28, 2026 – January 3, 2027'],
  ];
  for (const [week, want] of lines) it(`${week} reads "${want}"`, () => assert.equal(weekDateLine(week), want));
});
