import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { displayDate, displayTime, isRealDate, localDateTimeToUtc, localParts, urlDate } from './dates.ts';

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
  it('prints a time of day in the publication time zone', () => assert.equal(displayTime(Date.parse('2026-11-20T15:42:00Z'), 'America/New_York'), '10:42 AM'));
});

describe('localDateTimeToUtc', () => {
  const at = (iso: string) => {
    const [date, time] = iso.split('T');
    const [year, month, day] = date.split('-').map(Number);
    const [hour, minute] = time.split(':').map(Number);
    return { year, month, day, hour, minute };
  };
  const exists: [string, string, string, string][] = [
    // [wall time, zone, instant, why]
    ['2026-07-01T08:30', 'America/New_York', '2026-07-01T12:30:00Z', 'summer time'],
    ['2026-01-15T08:30', 'America/New_York', '2026-01-15T13:30:00Z', 'winter time'],
    ['2026-03-08T01:59', 'America/New_York', '2026-03-08T06:59:00Z', 'the last minute before spring-forward'],
    ['2026-03-08T03:00', 'America/New_York', '2026-03-08T07:00:00Z', 'the first minute after it'],
    ['2026-11-01T00:30', 'America/New_York', '2026-11-01T04:30:00Z', 'before fall-back'],
    ['2026-11-01T01:30', 'America/New_York', '2026-11-01T05:30:00Z', 'the repeated hour: its first occurrence (EDT)'],
    ['2026-11-01T02:00', 'America/New_York', '2026-11-01T07:00:00Z', 'after fall-back'],
    ['2026-09-05T23:59', 'America/Santiago', '2026-09-06T03:59:00Z', 'the last minute before Santiago skips midnight'],
    ['2026-09-06T01:00', 'America/Santiago', '2026-09-06T04:00:00Z', 'the first instant of that day'],
    ['2026-10-04T02:30', 'Australia/Lord_Howe', '2026-10-03T15:30:00Z', 'after a 30-minute spring-forward'],
    ['2026-04-05T01:45', 'Australia/Lord_Howe', '2026-04-04T14:45:00Z', 'a repeated half hour: its first occurrence'],
    ['2026-04-05T02:00', 'Australia/Lord_Howe', '2026-04-04T15:30:00Z', 'after a 30-minute fall-back'],
    ['2026-03-08T02:30', 'UTC', '2026-03-08T02:30:00Z', 'UTC has no gaps'],
    ['2026-03-29T00:30', 'Europe/London', '2026-03-29T00:30:00Z', 'London in winter is UTC'],
    ['1960-01-01T11:15', 'Africa/Monrovia', '1960-01-01T11:59:30Z', 'an offset with seconds (-0:44:30)'],
  ];
  for (const [local, tz, iso, why] of exists) {
    it(`${local} in ${tz}: ${why}`, () => assert.deepEqual(localDateTimeToUtc(at(local), tz), { ok: true, at: Date.parse(iso) }));
  }

  const skipped: [string, string, string, string, string][] = [
    // [wall time, zone, first instant after the gap, wall time the clocks jumped at, why]
    ['2026-03-08T02:30', 'America/New_York', '2026-03-08T07:00:00Z', '2026-03-08T02:00', 'New York springs forward at 2 a.m.'],
    ['2026-03-08T02:00', 'America/New_York', '2026-03-08T07:00:00Z', '2026-03-08T02:00', 'the gap includes its first minute'],
    ['2026-09-06T00:00', 'America/Santiago', '2026-09-06T04:00:00Z', '2026-09-06T00:00', 'Santiago has no midnight that day'],
    ['2026-09-06T00:59', 'America/Santiago', '2026-09-06T04:00:00Z', '2026-09-06T00:00', 'nor any minute before 1 a.m.'],
    ['2026-10-04T02:15', 'Australia/Lord_Howe', '2026-10-03T15:30:00Z', '2026-10-04T02:00', 'Lord Howe skips half an hour'],
    ['2011-12-30T12:00', 'Pacific/Apia', '2011-12-30T10:00:00Z', '2011-12-30T00:00', 'Samoa skipped a whole day'],
  ];
  for (const [local, tz, next, jump, why] of skipped) {
    it(`${local} in ${tz}: ${why}`, () => assert.deepEqual(localDateTimeToUtc(at(local), tz), { ok: false, reason: 'skipped', next: Date.parse(next), gapStart: at(jump) }));
  }

  it('round-trips every half hour of a year in New York and on Lord Howe Island', () => {
    for (const tz of ['America/New_York', 'Australia/Lord_Howe']) {
      for (let ms = Date.parse('2026-01-01T00:00:00Z'); ms < Date.parse('2027-01-01T00:00:00Z'); ms += 30 * 60_000) {
        const local = localParts(ms, tz);
        const r = localDateTimeToUtc(local, tz);
        assert.ok(r.ok, `${tz} ${new Date(ms).toISOString()}`);
        assert.deepEqual(localParts(r.at, tz), local);
      }
    }
  });

  it('refuses a wall time that is not one', () => {
    assert.throws(() => localDateTimeToUtc({ year: 2026, month: 2, day: 30, hour: 0, minute: 0 }, 'UTC'), RangeError);
    assert.throws(() => localDateTimeToUtc({ year: 2026, month: 1, day: 1, hour: 24, minute: 0 }, 'UTC'), RangeError);
  });
});
