// Calendar arithmetic for billing periods, shared by the demo provider's renewals, gifts and
// complimentary grants: a month is a calendar month, not 30 days.

/**
 * `ms` moved on by `count` months or years in UTC, the time of day kept (to the second). A
 * day the target month lacks clamps to its last day: 31 January plus one month is 28 (or 29)
 * February.
 */
export function addInterval(ms: number, interval: 'month' | 'year', count = 1): number {
  const d = new Date(ms);
  const months = interval === 'year' ? 12 * count : count;
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime();
}
