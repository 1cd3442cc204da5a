import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffSequences, type EditRun } from './sequence-diff.ts';

const sides = <T>(runs: EditRun<T>[]) => ({
  before: runs.filter((r) => r.op !== 'ins').flatMap((r) => r.items),
  after: runs.filter((r) => r.op !== 'del').flatMap((r) => r.items),
  edits: runs.filter((r) => r.op !== 'same').reduce((n, r) => n + r.items.length, 0),
});

function lcsLength(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) dp[i][j] = a[i - 1] === b[j - 1] ? dp[i - 1][j - 1] + 1 : Math.max(dp[i - 1][j], dp[i][j - 1]);
  return dp[a.length][b.length];
}

describe('diffSequences', () => {
  it('finds nothing to change in identical sequences', () => {
    assert.deepEqual(diffSequences(['a', 'b'], ['a', 'b']), [{ op: 'same', items: ['a', 'b'] }]);
    assert.deepEqual(diffSequences([], []), []);
  });

  it('marks an insertion, a deletion and a replacement', () => {
    assert.deepEqual(diffSequences(['a', 'c'], ['a', 'b', 'c']), [
      { op: 'same', items: ['a'] },
      { op: 'ins', items: ['b'] },
      { op: 'same', items: ['c'] },
    ]);
    assert.deepEqual(diffSequences(['a', 'b', 'c'], ['a', 'c']), [
      { op: 'same', items: ['a'] },
      { op: 'del', items: ['b'] },
      { op: 'same', items: ['c'] },
    ]);
    assert.deepEqual(diffSequences(['a', 'x', 'c'], ['a', 'y', 'c']), [
      { op: 'same', items: ['a'] },
      { op: 'del', items: ['x'] },
      { op: 'ins', items: ['y'] },
      { op: 'same', items: ['c'] },
    ]);
  });

  it('handles one side empty', () => {
    assert.deepEqual(diffSequences([], ['a']), [{ op: 'ins', items: ['a'] }]);
    assert.deepEqual(diffSequences(['a'], []), [{ op: 'del', items: ['a'] }]);
  });

  it('uses the comparison it is given and keeps the newer items for shared runs', () => {
    const runs = diffSequences(['Harbor '], ['Harbor\n'], { equals: (x, y) => x.trim() === y.trim() });
    assert.deepEqual(runs, [{ op: 'same', items: ['Harbor\n'] }]);
  });

  it('rebuilds both sides with a minimal number of edits (random sequences)', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: rand(12) }, () => 'abcd'[rand(4)]);
      const b = Array.from({ length: rand(12) }, () => 'abcd'[rand(4)]);
      const runs = diffSequences(a, b)!;
      const s = sides(runs);
      assert.deepEqual(s.before, a);
      assert.deepEqual(s.after, b);
      assert.equal(s.edits, a.length + b.length - 2 * lcsLength(a, b), `${a.join('')} → ${b.join('')}`);
      for (let i = 1; i < runs.length; i++) assert.ok(!(runs[i].op === runs[i - 1].op), 'runs are merged');
    }
  });

  it('gives up past maxEdits', () => {
    assert.equal(diffSequences(['a', 'b', 'c'], ['x', 'y', 'z'], { maxEdits: 3 }), null);
    assert.ok(diffSequences(['a', 'b', 'c'], ['x', 'y', 'z'], { maxEdits: 6 }));
  });

  it('stays quick on a long text with a few edits', () => {
    const a = Array.from({ length: 50_000 }, (_, i) => `w${i}`);
    const b = [...a];
    b.splice(100, 1, 'changed');
    b.splice(40_000, 0, 'inserted');
    const runs = diffSequences(a, b)!;
    assert.equal(sides(runs).edits, 3);
  });
});
