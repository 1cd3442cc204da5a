import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { composeStories, type StoryCandidate } from './compose.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-05-12T10:00:00Z');

// Sections: World (position 0, id 10), Business (1, id 20), Culture (2, id 30).
const SECTION = { world: [10, 0], business: [20, 1], culture: [30, 2] } as const;

function story(id: number, section: keyof typeof SECTION, hoursAgo: number, access: StoryCandidate['access'] = 'metered'): StoryCandidate {
  const [sectionId, sectionPosition] = SECTION[section];
  return { id, publishedAt: T0 - hoursAgo * HOUR, sectionId, sectionPosition, access };
}

const DAY = [
  story(1, 'culture', 1),
  story(2, 'world', 5),
  story(3, 'business', 2),
  story(4, 'world', 1),
  story(5, 'culture', 9, 'subscriber'),
  story(6, 'business', 7, 'free'),
];

describe('composeStories', () => {
  const cases: { name: string; candidates: StoryCandidate[]; picks: number[]; max?: number; want: number[] }[] = [
    { name: 'nothing published', candidates: [], picks: [4, 1], want: [] },
    { name: 'no picks: by section order, newest first within a section', candidates: DAY, picks: [], want: [4, 2, 3, 6, 1, 5] },
    { name: 'the lead and top stories first, in their order', candidates: DAY, picks: [5, 3], want: [5, 3, 4, 2, 6, 1] },
    { name: 'picks outside the window are left out', candidates: DAY, picks: [99, 3, 98], want: [3, 4, 2, 6, 1, 5] },
    { name: 'a story picked twice appears once', candidates: DAY, picks: [3, 3, 1], want: [3, 1, 4, 2, 6, 5] },
    { name: 'at most max', candidates: DAY, picks: [1], max: 3, want: [1, 4, 2] },
    { name: 'max cuts the picks too', candidates: DAY, picks: [6, 5, 4], max: 2, want: [6, 5] },
    { name: 'max 0', candidates: DAY, picks: [1], max: 0, want: [] },
    {
      name: 'a tie in time within a section: the higher id (the later saved) first',
      candidates: [story(7, 'world', 3), story(8, 'world', 3)],
      picks: [],
      want: [8, 7],
    },
    {
      name: 'sections sharing a position keep apart, by id',
      candidates: [{ id: 1, publishedAt: T0, sectionId: 41, sectionPosition: 0, access: 'free' }, { id: 2, publishedAt: T0 - HOUR, sectionId: 40, sectionPosition: 0, access: 'free' }, { id: 3, publishedAt: T0 - 2 * HOUR, sectionId: 41, sectionPosition: 0, access: 'free' }],
      picks: [],
      want: [2, 1, 3],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(composeStories({ candidates: c.candidates, picks: c.picks, max: c.max }), c.want));
  }

  it('defaults to twelve stories', () => {
    const many = Array.from({ length: 30 }, (_, i) => story(i + 1, 'world', i));
    const ids = composeStories({ candidates: many, picks: [30] });
    assert.equal(ids.length, 12);
    assert.equal(ids[0], 30);
    assert.deepEqual(ids.slice(1, 4), [1, 2, 3]);
  });

  it('never returns a story twice or one that is not a candidate', () => {
    const ids = composeStories({ candidates: DAY, picks: [1, 2, 1, 42] });
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every((id) => DAY.some((c) => c.id === id)));
    assert.equal(ids.length, DAY.length);
  });
});
