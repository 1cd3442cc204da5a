import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICY, defaultAccessFor, type MeterPolicy } from '../../paywall/meter-policy.ts';
import { describePolicyChange, parsePaywallForm, paywallFormValues, sectionField, summarizePolicy } from './paywall-form.ts';

const TOP = ['World', 'Opinion'];
const current: MeterPolicy = { ...DEFAULT_POLICY, sectionDefaults: { 'USA/Politics': 'subscriber', Opinion: 'free' } };

/** A valid posted form, with overrides. */
function body(overrides: Record<string, string | string[] | undefined> = {}): Record<string, unknown> {
  const base: Record<string, string | string[] | undefined> = {
    window: 'calendar-month',
    windowDays: '30',
    anonymousLimit: '5',
    registrationWall: 'on',
    registeredLimit: '10',
    teaserParagraphs: '2',
    defaultAccess: 'metered',
    [sectionField('World')]: '',
    [sectionField('Opinion')]: 'free',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined));
}

describe('parsePaywallForm', () => {
  it('reads a valid form into a policy, keeping sub-section defaults', () => {
    const r = parsePaywallForm(body(), { current, topSectionPaths: TOP });
    assert.ok(r.ok);
    assert.deepEqual(r.value, {
      window: { kind: 'calendar-month' },
      anonymousLimit: 5,
      registeredLimit: 10,
      teaserParagraphs: 2,
      defaultAccess: 'metered',
      sectionDefaults: { 'USA/Politics': 'subscriber', Opinion: 'free' },
    });
  });

  it('round-trips: the form for a policy reads back as the same policy', () => {
    for (const policy of [
      current,
      { ...current, window: { kind: 'rolling', days: 30 }, anonymousLimit: 3, registeredLimit: 3, defaultAccess: 'subscriber' },
      { ...current, anonymousLimit: 0, registeredLimit: 4, teaserParagraphs: 0 },
    ] as MeterPolicy[]) {
      const v = paywallFormValues(policy, TOP);
      const posted: Record<string, unknown> = { ...v, ...Object.fromEntries(Object.entries(v.sections).map(([p, a]) => [sectionField(p), a])) };
      delete posted.sections;
      if (!v.registrationWall) delete posted.registrationWall;
      else posted.registrationWall = 'on';
      const r = parsePaywallForm(posted, { current: policy, topSectionPaths: TOP });
      assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
      assert.deepEqual(r.value, policy);
    }
  });

  const cases: [string, Record<string, string | undefined>, Record<string, RegExp> | Partial<MeterPolicy>][] = [
    ['rolling 30 days', { window: 'rolling', windowDays: '30' }, { window: { kind: 'rolling', days: 30 } }],
    ['rolling 1 day', { window: 'rolling', windowDays: '1' }, { window: { kind: 'rolling', days: 1 } }],
    ['rolling 90 days', { window: 'rolling', windowDays: '90' }, { window: { kind: 'rolling', days: 90 } }],
    ['rolling 0 days', { window: 'rolling', windowDays: '0' }, { windowDays: /at least 1/ }],
    ['rolling 91 days', { window: 'rolling', windowDays: '91' }, { windowDays: /at most 90/ }],
    ['rolling without days', { window: 'rolling', windowDays: '' }, { windowDays: /required/ }],
    ['days ignored for a calendar month', { windowDays: 'nonsense' }, { window: { kind: 'calendar-month' } }],
    ['an unknown window', { window: 'fortnight' }, { window: /calendar month or a rolling/ }],
    ['anonymous limit 0', { anonymousLimit: '0' }, { anonymousLimit: 0 }],
    ['anonymous limit 100 (wall off)', { anonymousLimit: '100', registrationWall: undefined }, { anonymousLimit: 100, registeredLimit: 100 }],
    ['anonymous limit 101', { anonymousLimit: '101' }, { anonymousLimit: /at most 100/ }],
    ['anonymous limit -1', { anonymousLimit: '-1' }, { anonymousLimit: /at least 0/ }],
    ['anonymous limit 2.5', { anonymousLimit: '2.5' }, { anonymousLimit: /whole number/ }],
    ['anonymous limit blank', { anonymousLimit: ' ' }, { anonymousLimit: /required/ }],
    ['registered below anonymous', { anonymousLimit: '5', registeredLimit: '4' }, { registeredLimit: /at least as many/ }],
    ['registered equal to anonymous with the wall on', { anonymousLimit: '5', registeredLimit: '5' }, { registeredLimit: /no reason to register/ }],
    ['registered ignored with the wall off', { registrationWall: undefined, registeredLimit: '1' }, { registeredLimit: 5 }],
    ['registered 201', { registeredLimit: '201' }, { registeredLimit: /at most 200/ }],
    ['teaser 0', { teaserParagraphs: '0' }, { teaserParagraphs: 0 }],
    ['teaser 10', { teaserParagraphs: '10' }, { teaserParagraphs: 10 }],
    ['teaser 11', { teaserParagraphs: '11' }, { teaserParagraphs: /at most 10/ }],
    ['default subscriber', { defaultAccess: 'subscriber' }, { defaultAccess: 'subscriber' }],
    ['default unknown', { defaultAccess: 'premium' }, { defaultAccess: /choose free, metered/ }],
    ['a section set', { [sectionField('World')]: 'subscriber' }, { sectionDefaults: { 'USA/Politics': 'subscriber', Opinion: 'free', World: 'subscriber' } }],
    ['a section back to the default', { [sectionField('Opinion')]: '' }, { sectionDefaults: { 'USA/Politics': 'subscriber' } }],
    ['a section unknown', { [sectionField('World')]: 'gold' }, { [sectionField('World')]: /choose free, metered/ }],
  ];
  for (const [name, overrides, expected] of cases) {
    it(name, () => {
      const r = parsePaywallForm(body(overrides), { current, topSectionPaths: TOP });
      const isError = Object.values(expected).some((v) => v instanceof RegExp);
      if (isError) {
        assert.equal(r.ok, false);
        for (const [field, re] of Object.entries(expected)) assert.match((!r.ok && r.errors[field]) || '', re as RegExp, field);
        assert.equal(r.values.anonymousLimit, String(body(overrides).anonymousLimit ?? ''), 'the typed values come back');
      } else {
        assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
        for (const [k, v] of Object.entries(expected)) assert.deepEqual(r.value[k as keyof MeterPolicy], v, k);
      }
    });
  }
});

describe('parsePaywallForm reporting', () => {
  it('reports every refused field at once', () => {
    const r = parsePaywallForm(body({ window: 'rolling', windowDays: '0', anonymousLimit: 'abc', registeredLimit: 'x', teaserParagraphs: '99', defaultAccess: '' }), { current, topSectionPaths: TOP });
    assert.equal(r.ok, false);
    assert.deepEqual(Object.keys(!r.ok ? r.errors : {}).sort(), ['anonymousLimit', 'defaultAccess', 'registeredLimit', 'teaserParagraphs', 'windowDays']);
  });
});

describe('summarizePolicy', () => {
  const names = new Map([['Opinion', 'Opinion'], ['USA/Politics', 'Politics']]);
  it('spells out the default policy', () => {
    const s = summarizePolicy(DEFAULT_POLICY, { timeZone: 'America/New_York', sectionNames: names });
    assert.equal(s[0], 'Anonymous readers get 5 free stories a calendar month (months begin at midnight, America/New_York time).');
    assert.equal(s[1], 'With a free account they get 10: the sixth metered story asks them to register, the 11th to subscribe.');
    assert.equal(s[2], 'A locked story shows its first 2 paragraphs, then the offer.');
    assert.equal(s[3], 'New stories are metered.');
  });
  it('speaks of rolling windows, one story, no wall, one paragraph and section defaults', () => {
    const s = summarizePolicy({ ...current, window: { kind: 'rolling', days: 30 }, anonymousLimit: 1, registeredLimit: 1, teaserParagraphs: 1 }, { timeZone: 'UTC', sectionNames: names });
    assert.equal(s[0], 'Anonymous readers get 1 free story in any 30 days.');
    assert.match(s[1], /no registration wall.*second metered story asks readers to subscribe/);
    assert.equal(s[2], 'A locked story shows its first paragraph, then the offer.');
    assert.equal(s[3], 'New stories are metered unless their section says otherwise (Opinion free, Politics for subscribers only).');
  });
  it('says when nothing is free', () => {
    const s = summarizePolicy({ ...DEFAULT_POLICY, anonymousLimit: 0, registeredLimit: 0, teaserParagraphs: 0 }, { timeZone: 'UTC', sectionNames: names });
    assert.match(s[0], /no free metered stories.*subscribe/);
    assert.match(s[2], /no paragraphs/);
  });
});

describe('describePolicyChange', () => {
  it('lists what changed', () => {
    assert.equal(
      describePolicyChange(current, { ...current, anonymousLimit: 1, window: { kind: 'rolling', days: 7 }, sectionDefaults: { World: 'free' } }),
      'window: calendar month → rolling 7 days; anonymous limit: 5 → 1; Opinion default: free → (publication default); USA/Politics default: subscriber → (publication default); World default: (publication default) → free',
    );
    assert.equal(describePolicyChange(current, current), 'no change');
  });
});

describe('defaultAccessFor with a publication default', () => {
  it('falls back to the publication default, then metered', () => {
    assert.equal(defaultAccessFor({ sectionDefaults: { Opinion: 'free' }, defaultAccess: 'subscriber' }, 'World/Europe'), 'subscriber');
    assert.equal(defaultAccessFor({ sectionDefaults: { Opinion: 'free' }, defaultAccess: 'subscriber' }, 'Opinion/Letters'), 'free');
    assert.equal(defaultAccessFor({ sectionDefaults: {} }, 'World'), 'metered');
  });
});
