import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { highlight, searchTerms } from './search.ts';

describe('searchTerms', () => {
  const cases: [string, string[]][] = [
    ['Kerry Putin', ['kerry', 'putin']],
    ['"unbalanced AND OR NOT * ( NEAR', ['unbalanced', 'and', 'or', 'not', 'near']],
    ["' OR 1=1; DROP TABLE articles; --", ['or', '1', 'drop', 'table', 'articles']],
    ['Río Índio', ['río', 'índio']],
    ['<script>', ['script']],
    ['   ', []],
    ['a b c d e f g h i j k', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']],
  ];
  for (const [q, expected] of cases) it(JSON.stringify(q), () => assert.deepEqual(searchTerms(q), expected));
});

describe('highlight', () => {
  it('escapes the snippet and marks the engine markers', () => {
    assert.equal(highlight('a <b> \u0001match\u0002 & c'), 'a &lt;b&gt; <mark>match</mark> &amp; c');
  });
});
