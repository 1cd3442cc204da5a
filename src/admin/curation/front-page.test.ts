import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkFrontOrder, draftFromForm, draftOf, frontFormSchema, idsIn, liveOrder, MAX_TOP_STORIES, moveTop, removeLead, removeTop, signatureOf, type StoryFact,
} from './front-page.ts';

const published = (id: number): StoryFact => ({ id, headline: `Story ${id}`, status: 'published' });
const facts = new Map<number, StoryFact>([
  ...Array.from({ length: 12 }, (_, i) => [i + 1, published(i + 1)] as const),
  [20, { id: 20, headline: 'A draft', status: 'draft' }],
  [21, { id: 21, headline: 'Tomorrow', status: 'scheduled' }],
]);
const form = (input: object) => frontFormSchema.parse(input);

describe('front page: what the form asks for', () => {
  it('keeps the order sent, blanks included, and adds a picked story at the end of the top stories', () => {
    assert.deepEqual(draftFromForm(form({ lead: '1', top: ['2', '', '3'] })).draft, { lead: '1', top: ['2', '', '3'] });
    assert.deepEqual(draftFromForm(form({ lead: '1', top: ['2'], pick: '5', place: 'top' })).draft, { lead: '1', top: ['2', '5'] });
  });

  it('makes a picked story the lead, moving the old lead to the top of the list when there is room', () => {
    assert.deepEqual(draftFromForm(form({ lead: '1', top: ['2', '3'], pick: '3', place: 'lead' })).draft, { lead: '3', top: ['1', '2'] });
    assert.deepEqual(draftFromForm(form({ lead: '', top: ['2'], pick: '4', place: 'lead' })).draft, { lead: '4', top: ['2'] });
    const full = ['2', '3', '4', '5', '6', '7', '8', '9'];
    assert.deepEqual(draftFromForm(form({ lead: '1', top: full, pick: '10', place: 'lead' })).draft, { lead: '10', top: full }, 'no room: the old lead leaves');
    assert.deepEqual(draftFromForm(form({ lead: '1', top: full, pick: '9', place: 'lead' })).draft, { lead: '9', top: ['1', ...full.slice(0, 7)] }, 'promoting a top story frees a place');
  });

  it('asks for a story when placing nothing', () => {
    assert.deepEqual(draftFromForm(form({ lead: '1', place: 'top' })).errors, { pick: 'Choose a story to place.' });
  });

  it('names each numeric id once, to look it up', () => {
    assert.deepEqual(idsIn({ lead: '3', top: ['1', 'x', '', '3', '2'] }), [3, 1, 2]);
  });
});

describe('front page: may it be saved?', () => {
  it('accepts published stories in order, empty slots ignored, and an empty front page', () => {
    assert.deepEqual(checkFrontOrder({ lead: '1', top: ['3', '', '2'] }, facts), { ok: true, order: { lead: 1, top: [3, 2] } });
    assert.deepEqual(checkFrontOrder({ lead: '', top: [] }, facts), { ok: true, order: { lead: null, top: [] } });
  });

  it('refuses drafts, scheduled, unknown and malformed stories with a message at their field', () => {
    const check = checkFrontOrder({ lead: '20', top: ['21', '99', 'abc', '2'] }, facts);
    assert.equal(check.ok, false);
    if (check.ok) return;
    assert.match(check.errors.lead, /“A draft” is a draft: only published stories/);
    assert.match(check.errors['top.0'], /“Tomorrow” is scheduled, not yet published/);
    assert.equal(check.errors['top.1'], 'There is no story with the id 99.');
    assert.equal(check.errors['top.2'], 'Choose a story from the list.');
    assert.equal(check.errors['top.3'], undefined);
    const huge = checkFrontOrder({ lead: '9999999999', top: [] }, facts);
    assert.deepEqual(huge.ok ? null : huge.errors, { lead: 'Choose a story from the list.' }, 'ids beyond 32 bits are not looked up');
  });

  it('refuses a story twice, the lead included', () => {
    const check = checkFrontOrder({ lead: '1', top: ['2', '1', '', '2'] }, facts);
    assert.equal(check.ok, false);
    if (check.ok) return;
    assert.deepEqual(check.errors, { 'top.1': 'This story is already the lead.', 'top.3': 'This story is already number 1 in the list.' });
  });

  it(`holds at most ${MAX_TOP_STORIES} top stories`, () => {
    const nine = ['2', '3', '4', '5', '6', '7', '8', '9', '10'];
    const check = checkFrontOrder({ lead: '1', top: nine }, facts);
    assert.equal(check.ok, false);
    if (!check.ok) assert.match(check.errors.top, /at most 8 top stories besides the lead; remove 1/);
    assert.equal(checkFrontOrder({ lead: '1', top: [...nine.slice(0, 8), '', ''] }, facts).ok, true, 'blanks do not count');
  });
});

describe('front page: the small forms’ orders', () => {
  const order = { lead: 1, top: [2, 3, 4] };
  it('moves a top story up or down one place, and not past either end', () => {
    assert.deepEqual(moveTop(order, 1, -1), { lead: 1, top: [3, 2, 4] });
    assert.deepEqual(moveTop(order, 1, 1), { lead: 1, top: [2, 4, 3] });
    assert.equal(moveTop(order, 0, -1), null);
    assert.equal(moveTop(order, 2, 1), null);
    assert.equal(moveTop(order, 5, -1), null);
  });

  it('removes a top story or the lead', () => {
    assert.deepEqual(removeTop(order, 0), { lead: 1, top: [3, 4] });
    assert.deepEqual(removeLead(order), { lead: null, top: [2, 3, 4] });
  });

  it('leaves out stories unpublished since they were placed', () => {
    const saved = { lead: { id: 1, status: 'draft' as const }, top: [{ id: 2, status: 'published' as const }, { id: 3, status: 'scheduled' as const }, { id: 4, status: 'published' as const }] };
    assert.deepEqual(liveOrder(saved), { lead: null, top: [2, 4] });
    assert.deepEqual(liveOrder({ lead: { id: 1, status: 'published' }, top: [] }), { lead: 1, top: [] });
  });

  it('fingerprints arrangements and turns them back into form values', () => {
    assert.equal(signatureOf(order), '1|2,3,4');
    assert.equal(signatureOf({ lead: null, top: [] }), '|');
    assert.notEqual(signatureOf(order), signatureOf(moveTop(order, 1, 1)!));
    assert.deepEqual(draftOf({ lead: null, top: [5] }), { lead: '', top: ['5'] });
  });
});
