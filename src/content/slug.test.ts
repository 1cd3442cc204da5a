import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isValidSectionPath, slugify } from './slug.ts';

describe('slugify', () => {
  const cases: [string, string][] = [
    ['No breakthrough between US and Russia as Kerry, Putin meet', 'No-breakthrough-between-US-and-Russia-as-Kerry-Putin-meet'],
    ["Panama's plan to dam the Río Indio", 'Panamas-plan-to-dam-the-Rio-Indio'],
    ['  --Hello!!  World??  ', 'Hello-World'],
    ['€100 — and more', '100-and-more'],
    ['<script>alert(1)</script>', 'script-alert-1-script'],
    ['', ''],
  ];
  for (const [input, expected] of cases) it(JSON.stringify(input), () => assert.equal(slugify(input), expected));
  it('lower-cases for authors and tags', () => assert.equal(slugify('Elena Marchetti', { lowercase: true }), 'elena-marchetti'));
  it('cuts long headlines at a word boundary', () => {
    const slug = slugify('word '.repeat(40));
    assert.ok(slug.length <= 90 && !slug.endsWith('-'));
  });
});

describe('isValidSectionPath', () => {
  const cases: [string, boolean][] = [
    ['USA', true], ['USA/Foreign-Policy', true], ['World/Asia-Pacific', true],
    ['usa/../admin', false], ['admin', false], ['Search', false], ['a/b/c/d/e', false], ['/USA', false], ['USA/', false], ['US A', false],
  ];
  for (const [p, ok] of cases) it(p, () => assert.equal(isValidSectionPath(p), ok));
});
