import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { displayDate, isRealDate, urlDate } from './dates.ts';

describe('urlDate', () => {
  const cases: [string, string, string][] = [
    ['2015-05-12T22:30:00Z', 'America/New_York', '2015/0512'],
    ['2015-05-13T02:30:00Z', 'America/New_York', '2015/0512'],
    ['2015-05-13T02:30:00Z', 'UTC', '2015/0513'],
    ['2015-05-12T23:30:00Z', 'Asia/Tokyo', '2015/0513'],
    // Around the end of daylight saving time in New York.
    ['2026-11-01T05:30:00Z', 'America/New_York', '2026/1101'],
    ['2026-11-01T04:30:00Z', 'America/New_York', '2026/1101'],
    ['2026-11-01T03:30:00Z', 'America/New_York', '2026/1031'],
    ['2026-12-31T23:59:59Z', 'Pacific/Auckland', '2027/0101'],
  ];
  for (const [iso, tz, expected] of cases) it(`${iso} in ${tz}`, () => assert.equal(urlDate(Date.parse(iso), tz), expected));
});

describe('isRealDate', () => {
  const cases: [number, number, number, boolean][] = [
    [2016, 2, 29, true], [2015, 2, 29, false], [2000, 2, 29, true], [1900, 2, 29, false], [2015, 4, 31, false], [2015, 12, 31, true], [2015, 0, 1, false], [2015, 13, 1, false], [2015, 1, 0, false],
  ];
  for (const [y, m, d, ok] of cases) it(`${y}-${m}-${d}`, () => assert.equal(isRealDate(y, m, d), ok));
});

describe('displayDate', () => {
  it('prints in the publication time zone', () => assert.equal(displayDate(Date.parse('2015-05-13T02:30:00Z'), 'America/New_York'), 'May 12, 2015'));
});
