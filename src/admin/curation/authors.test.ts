import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PHOTO_BYTES, parseAuthorForm, photoProblem, slugTakenError } from './authors.ts';

describe('author form', () => {
  it('trims the fields and makes a lower-case slug from the name when none is given', () => {
    assert.deepEqual(parseAuthorForm({ name: '  Jane Doe ', title: ' Staff writer ', bio: ' Covers ports. ', slug: '' }), {
      ok: true,
      value: { name: 'Jane Doe', title: 'Staff writer', bio: 'Covers ports.', slug: 'jane-doe', removePhoto: false },
    });
    const kept = parseAuthorForm({ name: 'José Núñez', slug: 'Jose-Nunez', removePhoto: true });
    assert.deepEqual(kept.ok && [kept.value.slug, kept.value.removePhoto], ['Jose-Nunez', true]);
  });

  it('requires a name, bounds lengths and checks the slug pattern', () => {
    const errors = (input: Parameters<typeof parseAuthorForm>[0]) => {
      const r = parseAuthorForm(input);
      return r.ok ? {} : r.errors;
    };
    assert.equal(errors({ name: ' ' }).name, 'Give the author a name.');
    assert.match(errors({ name: 'x'.repeat(121) }).name, /under 120/);
    assert.match(errors({ name: 'A', title: 't'.repeat(121) }).title, /under 120/);
    assert.match(errors({ name: 'A', bio: 'b'.repeat(3001) }).bio, /3,000/);
    assert.match(errors({ name: 'A', slug: 'two--dashes' }).slug, /single dashes/);
    assert.match(errors({ name: 'A', slug: 'sl/ash' }).slug, /single dashes/);
    assert.match(errors({ name: '李雷' }).slug, /no letters/);
  });

  it('says who holds a taken slug', () => {
    assert.deepEqual(slugTakenError('jane-doe', 'Jane Doe'), { slug: 'Jane Doe already uses /author/jane-doe; choose another slug.' });
  });

  it('refuses photos over the size limit before reading them', () => {
    assert.equal(photoProblem(null), null);
    assert.equal(photoProblem({ size: 0 }), null);
    assert.equal(photoProblem({ size: MAX_PHOTO_BYTES }), null);
    assert.match(photoProblem({ size: MAX_PHOTO_BYTES + 1 })!, /limit is 20 MB/);
  });
});
