import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LIVE_STORY_MESSAGE, readAutosaveAnswer, STALE_STORY_MESSAGE } from './autosave-answer.ts';

describe('reading an autosave answer', () => {
  it('takes the story’s new version from a saved answer, for the form’s next save', () => {
    const v = readAutosaveAnswer(200, { ok: true, id: 7, savedAt: '2026-11-20T15:00:00.000Z', updatedAt: 1_795_186_800_000 });
    assert.equal(v.kind, 'saved');
    assert.equal(v.kind === 'saved' && v.base, '1795186800000');
    const old = readAutosaveAnswer(200, { ok: true, id: 7 });
    assert.equal(old.kind === 'saved' && old.base, '', 'an answer without a version moves nothing');
    const odd = readAutosaveAnswer(200, { ok: true, id: 7, updatedAt: 1.5 });
    assert.equal(odd.kind === 'saved' && odd.base, '');
  });

  it('tells a story saved by someone else from a story that is out', () => {
    const message = 'Not saved: someone else saved this story at 10:05 AM since you opened it. Your text is kept in this browser; copy what you need, then reload.';
    assert.deepEqual(readAutosaveAnswer(409, { ok: false, reason: 'stale', message }), { kind: 'stale', message });
    assert.deepEqual(readAutosaveAnswer(409, { ok: false, reason: 'stale' }), { kind: 'stale', message: STALE_STORY_MESSAGE });
    assert.deepEqual(readAutosaveAnswer(409, { ok: false, reason: 'live-story', message: 'This story is out.' }), { kind: 'live', message: LIVE_STORY_MESSAGE });
    assert.deepEqual(readAutosaveAnswer(409, null), { kind: 'live', message: LIVE_STORY_MESSAGE });
  });

  it('reports field errors, refusals and failures worth retrying', () => {
    const invalid = readAutosaveAnswer(422, { ok: false, errors: { dek: 'Keep the dek to 400 characters or fewer.' } });
    assert.deepEqual(invalid, { kind: 'invalid', errors: { dek: 'Keep the dek to 400 characters or fewer.' }, message: 'Not saved: Keep the dek to 400 characters or fewer. Your text is kept in this browser.' });
    assert.match(readAutosaveAnswer(403, { ok: false, message: 'Writers can change only the drafts they started.' }).kind, /refused/);
    assert.equal(readAutosaveAnswer(404, null).kind, 'refused');
    assert.deepEqual(readAutosaveAnswer(500, null), { kind: 'retry', why: 'Not saved (error 500).' });
  });
});
