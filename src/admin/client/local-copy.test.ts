import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyKey, isSameSnapshot, isSameWriting, readCopy, removeCopy, writeCopy, type FieldPairs, type StorageLike } from './local-copy.ts';

function memoryStorage(opts: { isFull?: boolean } = {}): StorageLike & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => {
      if (opts.isFull) throw new Error('QuotaExceededError');
      map.set(k, v);
    },
    removeItem: (k) => void map.delete(k),
  };
}

const fields: FieldPairs = [['headline', 'Ice closes the harbor'], ['dek', ''], ['body', 'First.\n\nSecond.'], ['tags', 'Harbors']];

describe("the browser's copy of a story", () => {
  it('is kept per story, new stories under one key', () => {
    assert.equal(copyKey('42'), 'masthead:story-copy:42');
    assert.equal(copyKey(''), 'masthead:story-copy:new');
    assert.equal(copyKey(undefined), 'masthead:story-copy:new');
  });

  it('round-trips through storage and can be removed', () => {
    const storage = memoryStorage();
    assert.ok(writeCopy(storage, copyKey('7'), { at: 1000, fields }));
    assert.deepEqual(readCopy(storage, copyKey('7')), { at: 1000, fields });
    removeCopy(storage, copyKey('7'));
    assert.equal(readCopy(storage, copyKey('7')), null);
  });

  it('survives a full or broken storage without throwing', () => {
    assert.equal(writeCopy(memoryStorage({ isFull: true }), 'k', { at: 1, fields }), false);
    const storage = memoryStorage();
    storage.map.set('k', '{not json');
    assert.equal(readCopy(storage, 'k'), null);
    storage.map.set('k', JSON.stringify({ at: 'yesterday', fields }));
    assert.equal(readCopy(storage, 'k'), null);
    storage.map.set('k', JSON.stringify({ at: 1, fields: [['body']] }));
    assert.equal(readCopy(storage, 'k'), null);
  });

  it('counts as the same writing when headline, dek and body match, whatever the line endings', () => {
    const fromServer: FieldPairs = [['headline', 'Ice closes the harbor '], ['body', 'First.\r\n\r\nSecond.'], ['dek', ''], ['tags', 'Other']];
    assert.ok(isSameWriting(fields, fromServer));
    assert.ok(!isSameWriting(fields, [['headline', 'Ice closes the harbor'], ['body', 'First.\n\nSecond, changed.']]));
    assert.ok(!isSameWriting(fields, [['headline', 'Another headline'], ['body', 'First.\n\nSecond.']]));
  });

  it('compares whole snapshots field for field', () => {
    assert.ok(isSameSnapshot(fields, fields.map(([n, v]) => [n, v])));
    assert.ok(!isSameSnapshot(fields, [...fields.slice(0, 3), ['tags', 'Ports']]));
    assert.ok(!isSameSnapshot(fields, fields.slice(1)));
  });
});
