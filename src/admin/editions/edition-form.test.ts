import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { editionFormValues, parseCoverLines, parseEditionForm, MAX_EDITION_STORIES } from './edition-form.ts';

const base = { title: 'The harbor week', intro: 'Hello', coverStory: '', coverLines: '', q: '', mode: 'manual', basis: '1000', story: ['3', '5', '7'] };

describe('edition editor form', () => {
  it('reads a save: trimmed title, cover lines one per line, the order as shown', () => {
    const r = parseEditionForm({ ...base, title: '  The harbor week  ', coverLines: ' Why the pier matters \r\n\n  Ferries at dawn\n', coverStory: '5', op: 'save' });
    assert.ok(r.ok);
    assert.equal(r.value.title, 'The harbor week');
    assert.deepEqual(r.value.coverLines, ['Why the pier matters', 'Ferries at dawn']);
    assert.equal(r.value.coverStoryId, 5);
    assert.deepEqual(r.value.storyIds, [3, 5, 7]);
    assert.equal(r.value.expectUpdatedAt, 1000);
  });

  it('leaves an automatic selection alone on save, and makes it the editor’s on a move', () => {
    const saved = parseEditionForm({ ...base, mode: 'auto', op: 'save' });
    assert.ok(saved.ok);
    assert.equal('storyIds' in saved.value, false);
    const moved = parseEditionForm({ ...base, mode: 'auto', op: 'up:5' });
    assert.ok(moved.ok);
    assert.deepEqual(moved.value.storyIds, [5, 3, 7]);
    assert.equal(moved.values.mode, 'manual');
    const auto = parseEditionForm({ ...base, op: 'auto' });
    assert.ok(auto.ok);
    assert.equal(auto.value.storyIds, null);
  });

  it('moves, removes and adds; removing the cover story hands the cover back', () => {
    const cases: [string, number[]][] = [['down:3', [5, 3, 7]], ['down:7', [3, 5, 7]], ['remove:5', [3, 7]], ['add:9', [3, 5, 7, 9]], ['add:3', [3, 5, 7]]];
    for (const [op, want] of cases) {
      const r = parseEditionForm({ ...base, op });
      assert.ok(r.ok, op);
      assert.deepEqual(r.value.storyIds, want, op);
    }
    const r = parseEditionForm({ ...base, coverStory: '5', op: 'remove:5' });
    assert.ok(r.ok);
    assert.equal(r.value.coverStoryId, null);
  });

  it('refuses bad input with the text kept', () => {
    const five = 'a\nb\nc\nd\ne';
    const cases: [Record<string, unknown>, string][] = [
      [{ coverLines: five }, 'coverLines'],
      [{ coverLines: 'x'.repeat(101) }, 'coverLines'],
      [{ coverStory: '11' }, 'coverStory'],
      [{ coverStory: 'abc' }, 'coverStory'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ story: ['3', '3'] }, 'stories'],
      [{ story: ['3', 'x'] }, 'stories'],
      [{ op: 'send' }, '_form'],
      [{ op: 'explode' }, '_form'],
      [{ basis: '' }, '_form'],
    ];
    for (const [change, field] of cases) {
      const r = parseEditionForm({ ...base, op: 'save', ...change });
      assert.equal(r.ok, false, field);
      assert.ok(!r.ok && r.errors[field], `${field}: ${JSON.stringify(!r.ok && r.errors)}`);
      if (typeof change.title === 'string') assert.equal(r.values.title, change.title);
    }
    const full = Array.from({ length: MAX_EDITION_STORIES }, (_, i) => String(i + 1));
    const tooMany = parseEditionForm({ ...base, story: full, op: 'add:999' });
    assert.equal(tooMany.ok, false);
    assert.equal(tooMany.values.order.length, MAX_EDITION_STORIES);
  });

  it('draws the stored edition back into the form', () => {
    const v = editionFormValues({ title: 'T', intro: 'I', cover_story_id: 4, cover_lines: '["One","Two"]', story_ids: null, updated_at: 77 }, [4, 2]);
    assert.deepEqual(v, { title: 'T', intro: 'I', coverStory: '4', coverLines: 'One\nTwo', q: '', mode: 'auto', order: [4, 2], basis: '77' });
    assert.deepEqual(parseCoverLines('not json'), []);
    assert.deepEqual(parseCoverLines('[1,"a"]'), ['a']);
  });
});
