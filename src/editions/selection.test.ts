import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { selectEditionStories, type EditionCandidate } from './selection.ts';

const T = Date.parse('2026-11-18T12:00:00Z');

function story(id: number, o: Partial<EditionCandidate> = {}): EditionCandidate {
  return { id, sectionId: 1, sectionPosition: 0, publishedAt: T, wordCount: 800, frontPageSlot: null, views: 0, access: 'metered', ...o };
}

describe('selectEditionStories', () => {
  it('is empty for a week without stories', () => assert.deepEqual(selectEditionStories({ candidates: [] }), []));

  it('ranks within a section: home-page slot (lead first), then views, then length', () => {
    const candidates = [
      story(1, { views: 50 }),
      story(2, { frontPageSlot: 2 }),
      story(3, { views: 900 }),
      story(4, { frontPageSlot: 0 }),
      story(5, { views: 50, wordCount: 2000 }),
    ];
    assert.deepEqual(selectEditionStories({ candidates }), [4, 2, 3, 5, 1]);
  });

  it('breaks full ties by newer first, then id', () => {
    const candidates = [story(7, { publishedAt: T - 1 }), story(9), story(8)];
    assert.deepEqual(selectEditionStories({ candidates }), [8, 9, 7]);
  });

  it('groups by the paper’s section order, ranked within each', () => {
    const candidates = [
      story(1, { sectionId: 20, sectionPosition: 2, views: 5 }),
      story(2, { sectionId: 10, sectionPosition: 1, views: 1 }),
      story(3, { sectionId: 20, sectionPosition: 2, frontPageSlot: 0 }),
      story(4, { sectionId: 10, sectionPosition: 1, views: 3 }),
      story(5, { sectionId: 30, sectionPosition: 0 }),
    ];
    assert.deepEqual(selectEditionStories({ candidates }), [5, 4, 2, 3, 1]);
  });

  it('takes at most perSection from each section, the most important ones', () => {
    const candidates = Array.from({ length: 10 }, (_, i) => story(i + 1, { views: i }));
    assert.deepEqual(selectEditionStories({ candidates, perSection: 3 }), [10, 9, 8]);
    assert.equal(selectEditionStories({ candidates }).length, 6); // the default
  });

  it('keeps the most important overall when max cuts, whatever their section', () => {
    const candidates = [
      story(1, { sectionId: 1, sectionPosition: 0, views: 1 }),
      story(2, { sectionId: 1, sectionPosition: 0, views: 2 }),
      story(3, { sectionId: 2, sectionPosition: 1, views: 100 }),
      story(4, { sectionId: 2, sectionPosition: 1, views: 50 }),
      story(5, { sectionId: 3, sectionPosition: 2, frontPageSlot: 1 }),
    ];
    assert.deepEqual(selectEditionStories({ candidates, max: 3 }), [3, 4, 5]);
  });

  it('has 40 stories at most by default', () => {
    const candidates = Array.from({ length: 100 }, (_, i) => story(i + 1, { sectionId: i % 10, sectionPosition: i % 10 }));
    assert.equal(selectEditionStories({ candidates }).length, 40);
  });

  it('lists a story once even when given twice', () => {
    assert.deepEqual(selectEditionStories({ candidates: [story(1), story(1), story(2, { views: 3 })] }), [2, 1]);
  });
});
