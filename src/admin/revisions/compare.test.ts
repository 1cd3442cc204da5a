import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareSnapshots, summarizeChanges } from './compare.ts';
import type { RevisionSnapshot } from './snapshot.ts';

const base: RevisionSnapshot = {
  headline: 'Harbor reopens after storm',
  dek: 'Ferries run again.',
  section: 'World/Europe',
  slug: 'Harbor-reopens-after-storm',
  authors: ['Ada Lind', 'Bo Berg'],
  dateline: 'BERGEN, Norway',
  published: Date.UTC(2026, 10, 20, 12),
  access: 'metered',
  tags: ['Harbors', 'Weather'],
  body: 'First paragraph.\n\nSecond paragraph has words.',
  image: { id: 'aaaaaaaaaaaaaaaaaaaaaaaa', caption: 'The quay.', credit: 'Ada Lind/Courier', alt: 'A quay at dawn' },
  corrections: null,
};
const opts = { formatTime: (ms: number) => new Date(ms).toISOString() };
const compare = (after: Partial<RevisionSnapshot>, before: RevisionSnapshot = base) => compareSnapshots(before, { ...before, ...after }, opts);

describe('compareSnapshots and summarizeChanges', () => {
  it('finds nothing between identical versions', () => {
    const c = compare({});
    assert.equal(c.isChanged, false);
    assert.deepEqual(c.fields, []);
    assert.equal(summarizeChanges(c), 'no changes');
    assert.ok(c.unchanged.includes('headline') && c.unchanged.includes('body'));
  });

  it('summarises in page order with the body word counts', () => {
    const c = compare({ access: 'subscriber', headline: 'Harbor reopens at last', body: 'First paragraph.\n\nSecond paragraph has more words now.' });
    assert.equal(summarizeChanges(c), 'headline, body (+3 −1 words), access');
    const headline = c.fields.find((f) => f.field === 'headline')!;
    assert.deepEqual(headline.parts, [
      { op: 'same', text: 'Harbor reopens ' },
      { op: 'del', text: 'after storm' },
      { op: 'ins', text: 'at last' },
    ]);
    const access = c.fields.find((f) => f.field === 'access')!;
    assert.deepEqual(access.parts, [{ op: 'del', text: 'metered' }, { op: 'ins', text: 'subscriber' }]);
  });

  it('says "word" for one word', () => {
    assert.equal(summarizeChanges(compare({ body: 'First paragraph.\n\nSecond paragraph has words. Yes.' })), 'body (+1 −0 word)');
  });

  it('keeps byline order but not tag order', () => {
    assert.equal(summarizeChanges(compare({ tags: ['weather', 'Harbors'] })), 'no changes');
    const c = compare({ authors: ['Bo Berg', 'Ada Lind'] });
    assert.equal(summarizeChanges(c), 'bylines');
    const tags = compare({ tags: ['Harbors', 'Ports'] }).fields[0];
    assert.deepEqual(tags.parts, [
      { op: 'same', text: 'Harbors' },
      { op: 'del', text: 'Weather' },
      { op: 'ins', text: 'Ports' },
    ]);
  });

  it('compares the lead image, its caption, credit and alt text as one field', () => {
    const c = compare({ image: { ...base.image!, caption: 'The quay at dawn.', alt: 'A quay' } });
    assert.deepEqual(c.fields.map((f) => f.label), ['Lead image caption', 'Lead image alt text']);
    assert.equal(summarizeChanges(c), 'lead image');
    const removed = compare({ image: null });
    assert.equal(removed.fields[0].label, 'Lead image');
    assert.deepEqual(removed.fields[0].parts, [{ op: 'del', text: 'picture aaaaaaaaaaaa' }]);
  });

  it('lists the dek, section, slug, dateline and publish time', () => {
    const c = compare({ dek: 'Ferries run.', section: 'World', slug: 'Harbor', dateline: 'OSLO', published: null });
    assert.equal(summarizeChanges(c), 'dek, dateline, section, slug, publish time');
  });

  it('compares corrections only when both versions recorded them', () => {
    assert.equal(compare({ corrections: [{ at: 1, text: 'Fixed a name.' }] }).isChanged, false);
    const c = compare({ corrections: [{ at: 1, text: 'Fixed a name.' }] }, { ...base, corrections: [] });
    assert.equal(summarizeChanges(c), 'corrections');
    assert.deepEqual(c.fields[0].parts, [{ op: 'ins', text: '1970-01-01T00:00:00.001Z: Fixed a name.' }]);
  });
});
