import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICY, decideBeforeMeter, decideMetered, defaultAccessFor, meterWindow, monthStart, type MeterPolicy, type ReaderFacts } from './meter-policy.ts';

const NY = 'America/New_York';
const anon: ReaderFacts = { kind: 'anonymous', hasWebAccess: false, isStaff: false, isVerifiedCrawler: false, gateToken: null };

describe('meterWindow', () => {
  const cases: [string, string, string, string][] = [
    // instant, zone, expected key, expected start of the window
    ['2026-11-15T12:00:00Z', NY, '2026-11', '2026-11-01T04:00:00.000Z'],
    // 03:30 UTC on Dec 1 is still November 30 in New York.
    ['2026-12-01T03:30:00Z', NY, '2026-11', '2026-11-01T04:00:00.000Z'],
    ['2026-12-01T05:30:00Z', NY, '2026-12', '2026-12-01T05:00:00.000Z'],
    // Month starts on both sides of daylight saving time.
    ['2026-03-20T12:00:00Z', NY, '2026-03', '2026-03-01T05:00:00.000Z'],
    ['2026-04-02T12:00:00Z', NY, '2026-04', '2026-04-01T04:00:00.000Z'],
    ['2026-02-28T23:00:00Z', NY, '2026-02', '2026-02-01T05:00:00.000Z'],
    ['2024-02-29T12:00:00Z', 'UTC', '2024-02', '2024-02-01T00:00:00.000Z'],
    ['2026-12-31T23:59:59Z', 'Pacific/Auckland', '2027-01', '2026-12-31T11:00:00.000Z'],
    ['2026-10-15T12:00:00Z', 'Europe/London', '2026-10', '2026-09-30T23:00:00.000Z'],
  ];
  for (const [iso, tz, key, start] of cases) {
    it(`${iso} in ${tz}`, () => {
      const w = meterWindow(DEFAULT_POLICY, Date.parse(iso), tz);
      assert.equal(w.key, key);
      assert.equal(new Date(w.since).toISOString(), start);
    });
  }
  it('rolling windows count back N days from now', () => {
    const now = Date.parse('2026-11-15T12:00:00Z');
    assert.deepEqual(meterWindow({ window: { kind: 'rolling', days: 30 } }, now, NY), { key: 'rolling-30', since: now - 30 * 86_400_000 });
  });
  it('monthStart lands on local midnight across DST', () => {
    assert.equal(new Date(monthStart(2026, 11, NY)).toISOString(), '2026-11-01T04:00:00.000Z');
    assert.equal(new Date(monthStart(2026, 4, 'Europe/Berlin')).toISOString(), '2026-03-31T22:00:00.000Z');
  });
});

describe('decideBeforeMeter', () => {
  const cases: [string, Partial<ReaderFacts>, 'metered' | 'free' | 'subscriber', string | null][] = [
    ['staff read everything', { isStaff: true }, 'subscriber', 'staff'],
    ['subscribers read everything', { hasWebAccess: true }, 'subscriber', 'subscriber'],
    ['verified crawlers read everything', { isVerifiedCrawler: true }, 'subscriber', 'crawler'],
    ['free articles never count', {}, 'free', 'free-article'],
    ['a gift link opens a metered story', { gateToken: 'gift' }, 'metered', 'gift'],
    ['a newsletter link opens a subscriber story', { gateToken: 'newsletter' }, 'subscriber', 'newsletter'],
    ['subscriber-only is locked to the rest', {}, 'subscriber', 'subscribers-only'],
    ['registered readers are locked out of subscriber-only too', { kind: 'registered' }, 'subscriber', 'subscribers-only'],
    ['a metered story needs the meter', {}, 'metered', null],
  ];
  for (const [name, facts, access, reason] of cases) {
    it(name, () => {
      const d = decideBeforeMeter(DEFAULT_POLICY, { access }, { ...anon, ...facts });
      assert.equal(d?.reason ?? null, reason);
    });
  }
});

describe('decideMetered', () => {
  const policy: MeterPolicy = DEFAULT_POLICY;
  const cases: [string, 'anonymous' | 'registered', { isCounted: boolean; position: number | null; used: number }, string, unknown][] = [
    ['the first view counts', 'anonymous', { isCounted: false, position: 1, used: 1 }, 'metered', { counts: true, used: 1, limit: 5, isLastFree: false }],
    ['a reread does not count', 'anonymous', { isCounted: true, position: 2, used: 3 }, 'metered', { counts: false, used: 3, limit: 5, isLastFree: false }],
    ['the fifth is the last free one', 'anonymous', { isCounted: false, position: 5, used: 5 }, 'metered', { counts: true, used: 5, limit: 5, isLastFree: true }],
    ['the sixth meets the registration wall', 'anonymous', { isCounted: false, position: 6, used: 6 }, 'locked', { wall: 'registration', used: 5, limit: 5 }],
    ['rereading an early one past the limit stays open', 'anonymous', { isCounted: true, position: 1, used: 9 }, 'metered', { counts: false, used: 5, limit: 5, isLastFree: false }],
    ['a registered reader gets ten', 'registered', { isCounted: false, position: 10, used: 10 }, 'metered', { counts: true, used: 10, limit: 10, isLastFree: true }],
    ['the eleventh asks for a subscription', 'registered', { isCounted: false, position: 11, used: 11 }, 'locked', { wall: 'subscription', used: 10, limit: 10 }],
    ['an uncounted view past the limit is locked', 'anonymous', { isCounted: false, position: null, used: 5 }, 'locked', { wall: 'registration', used: 5, limit: 5 }],
  ];
  for (const [name, kind, meter, access, expected] of cases) {
    it(name, () => {
      const d = decideMetered(policy, { kind }, meter);
      assert.equal(d.access, access);
      const { access: _a, reason: _r, ...rest } = d as Record<string, unknown>;
      assert.deepEqual(rest, expected);
    });
  }
  it('without a higher registered limit the wall asks for a subscription', () => {
    const d = decideMetered({ ...policy, registeredLimit: 5 }, { kind: 'anonymous' }, { isCounted: false, position: 6, used: 6 });
    assert.equal(d.access === 'locked' && d.reason === 'limit-reached' && d.wall, 'subscription');
  });
});

describe('defaultAccessFor', () => {
  const policy = { sectionDefaults: { Opinion: 'free', 'USA/Politics': 'subscriber', USA: 'metered' } as const };
  const cases: [string, string][] = [['Opinion', 'free'], ['Opinion/Letters', 'free'], ['USA/Politics', 'subscriber'], ['USA/Politics/Congress', 'subscriber'], ['USA/Justice', 'metered'], ['World', 'metered']];
  for (const [path, access] of cases) it(path, () => assert.equal(defaultAccessFor(policy, path), access));
});
