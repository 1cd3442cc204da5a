import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dueIssueDate, isIssueDate, isScheduledDay, localDateOf, previousScheduledDate, sendTimeFor, storyWindow } from './schedule.ts';
import type { ListSchedule } from './types.ts';

const NY = 'America/New_York';
const WEEKDAYS: ListSchedule = { days: [1, 2, 3, 4, 5], time: '06:00' };
const at = (iso: string) => Date.parse(iso);

describe('localDateOf', () => {
  const cases: [string, string, string][] = [
    ['2026-05-12T03:59:00Z', NY, '2026-05-11'],
    ['2026-05-12T04:00:00Z', NY, '2026-05-12'],
    ['2026-01-01T04:59:00Z', NY, '2025-12-31'],
    ['2026-01-01T05:00:00Z', NY, '2026-01-01'],
    ['2026-05-11T12:30:00Z', 'Pacific/Auckland', '2026-05-12'],
    ['2026-05-11T12:30:00Z', 'UTC', '2026-05-11'],
  ];
  for (const [iso, zone, want] of cases) {
    it(`${iso} in ${zone} is ${want}`, () => assert.equal(localDateOf(at(iso), zone), want));
  }
});

describe('isScheduledDay', () => {
  const cases: [string, ListSchedule, boolean][] = [
    ['2026-05-11', WEEKDAYS, true], // Monday
    ['2026-05-15', WEEKDAYS, true], // Friday
    ['2026-05-16', WEEKDAYS, false], // Saturday
    ['2026-05-17', WEEKDAYS, false], // Sunday
    ['2026-05-17', { days: [7], time: '08:00' }, true],
    ['2026-05-11', { days: [7], time: '08:00' }, false],
  ];
  for (const [date, schedule, want] of cases) {
    it(`${date} on days ${schedule.days.join(',')} → ${want}`, () => assert.equal(isScheduledDay(date, schedule), want));
  }

  it('refuses what is not a real date', () => {
    assert.throws(() => isScheduledDay('2026-02-30', WEEKDAYS), RangeError);
    assert.throws(() => isScheduledDay('2026-5-1', WEEKDAYS), RangeError);
    assert.equal(isIssueDate('2026-02-28'), true);
    assert.equal(isIssueDate('2026-02-29'), false);
    assert.equal(isIssueDate('2028-02-29'), true);
    assert.equal(isIssueDate('yesterday'), false);
  });
});

describe('sendTimeFor', () => {
  const cases: { name: string; date: string; time: string; zone: string; want: string }[] = [
    { name: 'summer time (UTC-4)', date: '2026-05-12', time: '06:00', zone: NY, want: '2026-05-12T10:00:00Z' },
    { name: 'winter time (UTC-5)', date: '2026-01-12', time: '06:00', zone: NY, want: '2026-01-12T11:00:00Z' },
    { name: 'the morning clocks go forward, after the jump', date: '2026-03-08', time: '06:00', zone: NY, want: '2026-03-08T10:00:00Z' },
    { name: 'a skipped time moves to the first minute after the gap', date: '2026-03-08', time: '02:30', zone: NY, want: '2026-03-08T07:00:00Z' },
    { name: 'the first minute of a gap, too', date: '2026-03-08', time: '02:00', zone: NY, want: '2026-03-08T07:00:00Z' },
    { name: 'a repeated time is its first occurrence', date: '2026-11-01', time: '01:30', zone: NY, want: '2026-11-01T05:30:00Z' },
    { name: 'a zone ahead of UTC', date: '2026-05-12', time: '06:00', zone: 'Pacific/Auckland', want: '2026-05-11T18:00:00Z' },
    { name: 'Europe springs forward at 02:00', date: '2026-03-29', time: '02:15', zone: 'Europe/Berlin', want: '2026-03-29T01:00:00Z' },
    { name: 'midnight', date: '2026-05-12', time: '00:00', zone: 'UTC', want: '2026-05-12T00:00:00Z' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(new Date(sendTimeFor(c.date, { days: [1, 2, 3, 4, 5, 6, 7], time: c.time }, c.zone)).toISOString(), new Date(c.want).toISOString()));
  }

  it('refuses a malformed time', () => {
    assert.throws(() => sendTimeFor('2026-05-12', { days: [1], time: '6:00' }, NY), RangeError);
    assert.throws(() => sendTimeFor('2026-05-12', { days: [1], time: '24:00' }, NY), RangeError);
  });
});

describe('dueIssueDate', () => {
  const cases: { name: string; now: string; zone?: string; schedule?: ListSchedule; want: string | null }[] = [
    { name: 'a minute before the send', now: '2026-05-12T09:59:00Z', want: null },
    { name: 'on the stroke of the send', now: '2026-05-12T10:00:00Z', want: '2026-05-12' },
    { name: 'later that day', now: '2026-05-13T03:59:00Z', want: '2026-05-12' },
    { name: 'after local midnight: the next day, not yet due', now: '2026-05-13T04:00:00Z', want: null },
    { name: 'Saturday', now: '2026-05-16T15:00:00Z', want: null },
    { name: 'Sunday', now: '2026-05-17T15:00:00Z', want: null },
    { name: 'Monday morning', now: '2026-05-18T10:00:00Z', want: '2026-05-18' },
    { name: 'the day clocks go forward (a Sunday list)', now: '2026-03-08T10:00:00Z', schedule: { days: [7], time: '06:00' }, want: '2026-03-08' },
    { name: 'the day clocks go forward, an hour before the send', now: '2026-03-08T09:00:00Z', schedule: { days: [7], time: '06:00' }, want: null },
    { name: 'Auckland: Tuesday there while still Monday in UTC', now: '2026-05-11T18:00:00Z', zone: 'Pacific/Auckland', want: '2026-05-12' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(dueIssueDate(c.schedule ?? WEEKDAYS, c.zone ?? NY, at(c.now)), c.want));
  }
});

describe('storyWindow', () => {
  const cases: { name: string; date: string; schedule?: ListSchedule; from: string; to: string }[] = [
    { name: 'Tuesday: since Monday’s send', date: '2026-05-12', from: '2026-05-11T10:00:00Z', to: '2026-05-12T10:00:00Z' },
    { name: 'Monday covers the weekend', date: '2026-05-18', from: '2026-05-15T10:00:00Z', to: '2026-05-18T10:00:00Z' },
    { name: 'Monday across the spring change (71 hours)', date: '2026-03-09', from: '2026-03-06T11:00:00Z', to: '2026-03-09T10:00:00Z' },
    { name: 'Monday across the autumn change (73 hours)', date: '2026-11-02', from: '2026-10-30T10:00:00Z', to: '2026-11-02T11:00:00Z' },
    { name: 'a weekly list looks back a week', date: '2026-05-17', schedule: { days: [7], time: '08:00' }, from: '2026-05-10T12:00:00Z', to: '2026-05-17T12:00:00Z' },
    { name: 'across a month and a year', date: '2026-01-01', from: '2025-12-31T11:00:00Z', to: '2026-01-01T11:00:00Z' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const w = storyWindow(c.date, c.schedule ?? WEEKDAYS, NY);
      assert.deepEqual({ from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() }, { from: new Date(c.from).toISOString(), to: new Date(c.to).toISOString() });
    });
  }

  it('consecutive windows meet exactly: every story belongs to one issue', () => {
    const dates = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-09', '2026-03-10'];
    for (let i = 1; i < dates.length; i++) {
      assert.equal(storyWindow(dates[i], WEEKDAYS, NY).from, storyWindow(dates[i - 1], WEEKDAYS, NY).to, dates[i]);
    }
  });

  it('the previous scheduled day is found across a week', () => {
    assert.equal(previousScheduledDate('2026-05-18', WEEKDAYS), '2026-05-15');
    assert.equal(previousScheduledDate('2026-05-16', WEEKDAYS), '2026-05-15');
    assert.equal(previousScheduledDate('2026-05-12', { days: [2], time: '06:00' }), '2026-05-05');
  });
});
