import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AUDIENCES,
  DAY_MS,
  capAllows,
  chooseLetter,
  chooseVariant,
  isInSections,
  ruleMismatch,
  stableHash,
  type Audience,
  type LetterChoice,
  type LetterContext,
  type LetterRule,
  type Placement,
} from './targeting.ts';

const NOW = Date.parse('2026-11-20T15:00:00Z');

function rule(overrides: Partial<LetterRule> = {}): LetterRule {
  return {
    id: 1,
    audience: ['anonymous', 'registered', 'subscriber', 'lapsed'],
    minRead: null,
    sections: [],
    frequencyDays: 3,
    placement: 'both',
    isActive: true,
    position: 0,
    ...overrides,
  };
}

function ctx(overrides: Partial<LetterContext> = {}): LetterContext {
  return { audience: 'anonymous', used: 3, sectionPath: 'World/Europe', placement: 'after-body', lastShown: new Map(), ...overrides };
}

/** Every non-empty subset of the audiences. */
function audienceSubsets(): Audience[][] {
  const out: Audience[][] = [];
  for (let mask = 1; mask < 1 << AUDIENCES.length; mask++) out.push(AUDIENCES.filter((_, i) => mask & (1 << i)));
  return out;
}

describe('chooseLetter: audience', () => {
  for (const audience of AUDIENCES) {
    for (const aimedAt of audienceSubsets()) {
      const isShown = aimedAt.includes(audience);
      it(`${audience} reader, letter for [${aimedAt.join(', ')}] → ${isShown ? 'shown' : 'not shown'}`, () => {
        const choice = chooseLetter([rule({ audience: aimedAt })], ctx({ audience }), NOW);
        assert.deepEqual(choice, isShown ? { letterId: 1, reason: 'first-impression' } : { letterId: null, reason: 'no-match' });
      });
    }
  }
  it('a letter aimed at nobody is never shown', () => {
    for (const audience of AUDIENCES) assert.equal(chooseLetter([rule({ audience: [] })], ctx({ audience }), NOW).letterId, null);
  });
});

describe('chooseLetter: minimum articles read', () => {
  const cases: [number | null, number, boolean][] = [
    // min read, articles read this window, shown?
    [null, 0, true],
    [null, 1, true],
    [0, 0, true],
    [1, 0, false],
    [1, 1, true],
    [2, 0, false],
    [2, 1, false],
    [2, 2, true],
    [2, 3, true],
    [5, 4, false],
    [5, 5, true],
    [5, 50, true],
  ];
  for (const [minRead, used, isShown] of cases) {
    it(`min read ${minRead}, read ${used} → ${isShown ? 'shown' : 'not shown'}`, () => {
      const choice = chooseLetter([rule({ minRead })], ctx({ used }), NOW);
      assert.equal(choice.letterId, isShown ? 1 : null);
      if (!isShown) assert.equal(ruleMismatch(rule({ minRead }), ctx({ used })), 'min-read');
    });
  }
});

describe('chooseLetter: sections', () => {
  const cases: [string[], string, boolean][] = [
    // prefixes, article section, shown?
    [[], 'World/Europe', true],
    [[], 'Sports', true],
    [['World'], 'World', true],
    [['World'], 'World/Europe', true],
    [['World'], 'World/Europe/Nordics', true],
    [['World/Europe'], 'World', false],
    [['World/Europe'], 'World/Europe', true],
    [['World/Europe'], 'World/Asia', false],
    [['World'], 'Worldwide', false],
    [['World'], 'Sports/World-Cup', false],
    [['world'], 'World/Europe', true],
    [['/World/'], 'World/Europe', true],
    [['World'], '/World/Europe/', true],
    [['Sports', 'World/Europe'], 'World/Europe/Nordics', true],
    [['Sports', 'World/Europe'], 'Business', false],
    [[''], 'World', false],
    [['USA/Foreign-Policy'], 'USA/Foreign-Policy', true],
    [['USA/Foreign'], 'USA/Foreign-Policy', false],
  ];
  for (const [sections, sectionPath, isShown] of cases) {
    it(`[${sections.join(', ')}] for ${sectionPath} → ${isShown ? 'shown' : 'not shown'}`, () => {
      assert.equal(isInSections(sectionPath, sections), isShown);
      assert.equal(chooseLetter([rule({ sections })], ctx({ sectionPath }), NOW).letterId, isShown ? 1 : null);
    });
  }
});

describe('chooseLetter: placement', () => {
  const cases: [Placement, 'after-body' | 'locked', boolean][] = [
    ['both', 'after-body', true],
    ['both', 'locked', true],
    ['after-body', 'after-body', true],
    ['after-body', 'locked', false],
    ['locked', 'locked', true],
    ['locked', 'after-body', false],
  ];
  for (const [placement, spot, isShown] of cases) {
    it(`letter placed ${placement}, page spot ${spot} → ${isShown ? 'shown' : 'not shown'}`, () => {
      assert.equal(chooseLetter([rule({ placement })], ctx({ placement: spot }), NOW).letterId, isShown ? 1 : null);
    });
  }
});

describe('chooseLetter: frequency cap', () => {
  const cases: [string, number, number | undefined, LetterChoice][] = [
    ['never shown', 3, undefined, { letterId: 1, reason: 'first-impression' }],
    ['shown a moment ago', 3, NOW - 1, { letterId: null, reason: 'frequency-cap' }],
    ['shown one ms short of 3 days ago', 3, NOW - 3 * DAY_MS + 1, { letterId: null, reason: 'frequency-cap' }],
    ['shown exactly 3 days ago', 3, NOW - 3 * DAY_MS, { letterId: 1, reason: 'cap-elapsed' }],
    ['shown 3 days and a ms ago', 3, NOW - 3 * DAY_MS - 1, { letterId: 1, reason: 'cap-elapsed' }],
    ['shown a year ago', 3, NOW - 365 * DAY_MS, { letterId: 1, reason: 'cap-elapsed' }],
    ['shown "in the future" (clock skew)', 3, NOW + 60_000, { letterId: null, reason: 'frequency-cap' }],
    ['no cap, shown just now', 0, NOW, { letterId: 1, reason: 'cap-elapsed' }],
    ['1-day cap, shown 23h59m ago', 1, NOW - DAY_MS + 60_000, { letterId: null, reason: 'frequency-cap' }],
    ['1-day cap, shown 24h ago', 1, NOW - DAY_MS, { letterId: 1, reason: 'cap-elapsed' }],
  ];
  for (const [name, frequencyDays, last, expected] of cases) {
    it(name, () => {
      const lastShown = new Map(last === undefined ? [] : [[1, last]]);
      assert.deepEqual(chooseLetter([rule({ frequencyDays })], ctx({ lastShown }), NOW), expected);
      assert.equal(capAllows(frequencyDays, last, NOW), expected.letterId !== null);
    });
  }
  it("another letter's impression does not cap this one", () => {
    assert.equal(chooseLetter([rule()], ctx({ lastShown: new Map([[2, NOW]]) }), NOW).letterId, 1);
  });
});

describe('chooseLetter: active, order and fall-through', () => {
  it('an inactive letter is never shown, whatever else matches', () => {
    assert.deepEqual(chooseLetter([rule({ isActive: false })], ctx(), NOW), { letterId: null, reason: 'no-match' });
    assert.equal(ruleMismatch(rule({ isActive: false }), ctx()), 'inactive');
  });
  it('an inactive capped letter reports no-match, not frequency-cap', () => {
    assert.deepEqual(chooseLetter([rule({ isActive: false })], ctx({ lastShown: new Map([[1, NOW]]) }), NOW), { letterId: null, reason: 'no-match' });
  });
  it('no letters at all is no-match', () => {
    assert.deepEqual(chooseLetter([], ctx(), NOW), { letterId: null, reason: 'no-match' });
  });
  it('the lowest position wins, whatever the input order', () => {
    const rules = [rule({ id: 1, position: 5 }), rule({ id: 2, position: 1 }), rule({ id: 3, position: 3 })];
    assert.equal(chooseLetter(rules, ctx(), NOW).letterId, 2);
    assert.equal(chooseLetter([...rules].reverse(), ctx(), NOW).letterId, 2);
  });
  it('equal positions go to the lower id', () => {
    assert.equal(chooseLetter([rule({ id: 9, position: 0 }), rule({ id: 4, position: 0 })], ctx(), NOW).letterId, 4);
  });
  it('a capped letter lets the next one through', () => {
    const rules = [rule({ id: 1, position: 0 }), rule({ id: 2, position: 1 })];
    assert.deepEqual(chooseLetter(rules, ctx({ lastShown: new Map([[1, NOW - DAY_MS]]) }), NOW), { letterId: 2, reason: 'first-impression' });
  });
  it('a letter that does not match lets the next one through', () => {
    const rules = [rule({ id: 1, position: 0, audience: ['lapsed'] }), rule({ id: 2, position: 1, placement: 'locked' }), rule({ id: 3, position: 2 })];
    assert.equal(chooseLetter(rules, ctx(), NOW).letterId, 3);
  });
  it('every matching letter capped is frequency-cap', () => {
    const rules = [rule({ id: 1 }), rule({ id: 2, position: 1 }), rule({ id: 3, position: 2, audience: ['subscriber'] })];
    const lastShown = new Map([[1, NOW - 1], [2, NOW - 2]]);
    assert.deepEqual(chooseLetter(rules, ctx({ lastShown }), NOW), { letterId: null, reason: 'frequency-cap' });
  });
  it('does not reorder the caller\'s array', () => {
    const rules = [rule({ id: 1, position: 2 }), rule({ id: 2, position: 1 })];
    chooseLetter(rules, ctx(), NOW);
    assert.deepEqual(rules.map((r) => r.id), [1, 2]);
  });
});

describe('chooseVariant', () => {
  const seeds = Array.from({ length: 20_000 }, (_, i) => `a:reader-${i}:7`);

  function shares(variants: { id: number; weight: number }[]): Map<number | null, number> {
    const counts = new Map<number | null, number>();
    for (const seed of seeds) {
      const id = chooseVariant(variants, seed);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return new Map([...counts].map(([id, n]) => [id, n / seeds.length]));
  }

  const cases: [string, { id: number; weight: number }[]][] = [
    ['50/50', [{ id: 1, weight: 50 }, { id: 2, weight: 50 }]],
    ['70/20/10', [{ id: 1, weight: 7 }, { id: 2, weight: 2 }, { id: 3, weight: 1 }]],
    ['1/3', [{ id: 10, weight: 1 }, { id: 11, weight: 3 }]],
    ['with a paused variant', [{ id: 1, weight: 1 }, { id: 2, weight: 0 }, { id: 3, weight: 1 }]],
  ];
  for (const [name, variants] of cases) {
    it(`${name}: shares follow the weights within 2 points`, () => {
      const total = variants.reduce((s, v) => s + v.weight, 0);
      const got = shares(variants);
      for (const v of variants) {
        const share = got.get(v.id) ?? 0;
        assert.ok(Math.abs(share - v.weight / total) < 0.02, `variant ${v.id}: ${share} vs ${v.weight / total}`);
        if (v.weight === 0) assert.equal(share, 0);
      }
      assert.equal(got.has(null), false);
    });
  }

  it('the same seed always gets the same variant, whatever the order variants arrive in', () => {
    const variants = [{ id: 1, weight: 2 }, { id: 2, weight: 1 }, { id: 3, weight: 1 }];
    for (const seed of seeds.slice(0, 500)) {
      const first = chooseVariant(variants, seed);
      assert.equal(chooseVariant(variants, seed), first);
      assert.equal(chooseVariant([...variants].reverse(), seed), first);
    }
  });
  it('one reader can get different variants of different letters', () => {
    const variants = [{ id: 1, weight: 1 }, { id: 2, weight: 1 }];
    const picks = new Set(Array.from({ length: 20 }, (_, letter) => chooseVariant(variants, `a:one-reader:${letter}`)));
    assert.equal(picks.size, 2);
  });
  it('no variants, or every weight 0, means the letter as written', () => {
    assert.equal(chooseVariant([], 'a:x:1'), null);
    assert.equal(chooseVariant([{ id: 1, weight: 0 }, { id: 2, weight: 0 }], 'a:x:1'), null);
  });
  it('a single weighted variant is always chosen', () => {
    for (const seed of seeds.slice(0, 100)) assert.equal(chooseVariant([{ id: 5, weight: 0 }, { id: 6, weight: 3 }], seed), 6);
  });
  it('the hash is fixed (stored A/B assignments depend on it)', () => {
    assert.deepEqual(['', 'a:1:1', 'r:42:3', 'Dear Reader'].map(stableHash), [2872998923, 2209066803, 887301859, 498665416]);
    assert.notEqual(stableHash('a:1:1'), stableHash('a:1:2'));
    for (const seed of seeds.slice(0, 100)) {
      const h = stableHash(seed);
      assert.ok(Number.isInteger(h) && h >= 0 && h < 2 ** 32);
    }
  });
});
