import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addInterval } from './intervals.ts';

describe('billing intervals', () => {
  it('adds calendar months and years, keeping the time of day and clamping to the month end', () => {
    const cases: [string, 'month' | 'year', number, string][] = [
      ['2026-11-20T15:00:00Z', 'month', 1, '2026-12-20T15:00:00Z'],
      ['2026-11-20T15:00:00Z', 'month', 3, '2027-02-20T15:00:00Z'],
      ['2027-01-31T10:00:00Z', 'month', 1, '2027-02-28T10:00:00Z'],
      ['2028-01-31T10:00:00Z', 'month', 1, '2028-02-29T10:00:00Z'],
      ['2026-08-31T23:59:59Z', 'month', 1, '2026-09-30T23:59:59Z'],
      ['2028-02-29T08:00:00Z', 'year', 1, '2029-02-28T08:00:00Z'],
      ['2026-05-12T18:30:00Z', 'year', 2, '2028-05-12T18:30:00Z'],
    ];
    for (const [from, interval, count, to] of cases) assert.equal(new Date(addInterval(Date.parse(from), interval, count)).toISOString(), new Date(to).toISOString(), `${from} + ${count} ${interval}`);
    assert.equal(addInterval(Date.parse('2026-11-20T15:00:00Z'), 'month'), Date.parse('2026-12-20T15:00:00Z'), 'one by default');
  });
});
