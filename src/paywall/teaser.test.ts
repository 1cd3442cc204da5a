import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitTeaser } from './teaser.ts';
import type { Block } from '../content/blocks.ts';

const p = (v: string): Block => ({ type: 'paragraph', c: [{ t: 'text', v }] });
const h = (v: string): Block => ({ type: 'heading', level: 2, c: [{ t: 'text', v }] });

describe('splitTeaser', () => {
  const body = [p('one'), h('sub'), p('two'), { type: 'divider' } as Block, p('three'), p('four')];
  const cases: [number, number, number][] = [[0, 0, 6], [1, 1, 5], [2, 3, 3], [3, 5, 1], [4, 6, 0], [9, 6, 0]];
  for (const [n, teaser, rest] of cases) {
    it(`${n} paragraphs`, () => {
      const s = splitTeaser(body, n);
      assert.equal(s.teaser.length, teaser);
      assert.equal(s.rest.length, rest);
      assert.deepEqual([...s.teaser, ...s.rest], body);
    });
  }
});
