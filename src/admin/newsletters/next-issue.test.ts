import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nextIssueDate } from './next-issue.ts';

const NY = 'America/New_York';
const daily = { isAutomatic: true, schedule: { days: [1, 2, 3, 4, 5], time: '06:00' } };
const sundays = { isAutomatic: true, schedule: { days: [7], time: '06:00' } };

describe('the next issue date offered in the newsroom', () => {
  it('is today before the send time, else the next scheduled date', () => {
    // Friday 2026-11-20.
    assert.equal(nextIssueDate(daily, NY, Date.parse('2026-11-20T10:00:00Z')), '2026-11-20');
    assert.equal(nextIssueDate(daily, NY, Date.parse('2026-11-20T15:00:00Z')), '2026-11-23');
    assert.equal(nextIssueDate({ isAutomatic: false, schedule: null }, NY, Date.parse('2026-11-20T15:00:00Z')), '');
  });

  it('steps by calendar date, so a 23-hour day is not skipped', () => {
    // Saturday 2026-03-07 23:30 in New York; clocks go forward early on Sunday 8 March, so
    // 24 hours later it is already Monday 00:30.
    const now = Date.parse('2026-03-08T04:30:00Z');
    assert.equal(nextIssueDate(sundays, NY, now), '2026-03-08');
    // A week of 7 dates ahead is still reached when the send time of today has passed.
    assert.equal(nextIssueDate(sundays, NY, Date.parse('2026-03-08T12:00:00Z')), '2026-03-15');
  });
});
