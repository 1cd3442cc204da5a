import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { announcedStoryIds, announcementIntro, announcementSubject, ANNOUNCED_STORIES } from './announce.ts';

describe('the announcement of an edition', () => {
  it('is titled with the publication, the number and the title', () => {
    assert.equal(announcementSubject({ publicationName: 'The Courier', number: 12, title: ' The harbor floods ' }), 'The Courier Weekly No. 12: The harbor floods');
    assert.equal(announcementSubject({ publicationName: 'The Courier', number: 3, title: '' }), 'The Courier Weekly No. 3');
  });

  it('links to the edition’s page, then gives the editor’s introduction', () => {
    const intro = announcementIntro({ publicUrl: 'https://news.example.com/', week: '2026-W47', number: 12, intro: 'A week of *high water*.' });
    assert.match(intro, /\]\(https:\/\/news\.example\.com\/editions\/2026-W47\)/);
    assert.ok(intro.endsWith('\n\nA week of *high water*.'));
    assert.ok(!announcementIntro({ publicUrl: 'https://x.test', week: '2026-W01', number: 1, intro: '  ' }).includes('\n'));
  });

  it('names the cover story first, then the others in order, a few at most', () => {
    assert.deepEqual(announcedStoryIds([1, 2, 3], 3), [3, 1, 2]);
    assert.deepEqual(announcedStoryIds([1, 2, 3], 9), [1, 2, 3]); // not in the edition
    assert.deepEqual(announcedStoryIds([1, 2, 3], null), [1, 2, 3]);
    assert.equal(announcedStoryIds(Array.from({ length: 20 }, (_, i) => i + 1), 20).length, ANNOUNCED_STORIES);
    assert.equal(announcedStoryIds(Array.from({ length: 20 }, (_, i) => i + 1), 20)[0], 20);
  });
});
