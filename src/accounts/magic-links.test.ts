// "Return to" targets: a path on this site is kept; anything a browser could read as another
// origin or a script falls back to the account page (or the fallback given).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { safeReturnTo } from './magic-links.ts';

describe('safeReturnTo', () => {
  const kept: [string, string][] = [
    ['/account', '/account'],
    ['/x?y=1#z', '/x?y=1#z'],
    ['/', '/'],
    ['/World/Europe/2026/1120/A-story', '/World/Europe/2026/1120/A-story'],
    ['/search?q=harbor+news', '/search?q=harbor+news'],
    // Dot segments are resolved the way the browser would resolve them, staying on this site.
    ['/a/../b', '/b'],
  ];
  for (const [input, expected] of kept) {
    it(`keeps ${JSON.stringify(input)}`, () => {
      assert.equal(safeReturnTo(input), expected);
    });
  }

  const refused: [string, string | null | undefined][] = [
    ['protocol-relative URL', '//evil.example'],
    ['protocol-relative URL with a path', '//evil.example/account'],
    ['scheme without slashes', 'https:evil.example'],
    ['absolute URL', 'https://evil.example'],
    ['absolute URL on http', 'http://evil.example/account'],
    ['javascript: URL', 'javascript:alert(1)'],
    ['JavaScript: in mixed case', 'JaVaScRiPt:alert(1)'],
    ['data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['slash and backslash', '/\\evil.example'],
    ['backslash later in the path', '/a\\..\\\\evil.example'],
    ['slash, tab, then a name', '/\tevil'],
    ['slash, tab, slash (a browser drops the tab: //evil)', '/\t/evil.example'],
    ['slash, newline, slash', '/\n/evil.example'],
    ['carriage return', '/\r/evil.example'],
    ['NUL byte', '/\u0000/evil.example'],
    ['two backslashes', '\\\\evil'],
    ['relative path without a slash', 'account'],
    ['leading space before //', ' //evil.example'],
    ['dot segment collapsing into //', '/.//evil.example'],
    ['parent segment collapsing into //', '/a/..//evil.example'],
    ['encoded parent segment collapsing into //', '/%2e%2e//evil.example'],
    ['empty string', ''],
    ['null', null],
    ['undefined', undefined],
    ['overlong path', `/${'a'.repeat(600)}`],
  ];
  for (const [name, input] of refused) {
    it(`falls back for ${name}`, () => {
      assert.equal(safeReturnTo(input), '/account');
    });
  }

  it('uses the fallback it is given', () => {
    assert.equal(safeReturnTo('//evil.example', '/admin'), '/admin');
    assert.equal(safeReturnTo(undefined, '/admin'), '/admin');
    assert.equal(safeReturnTo('/admin/articles', '/admin'), '/admin/articles');
  });

  it('never returns anything a browser would send off-site', () => {
    // Whatever comes back, resolved against our origin, stays on our origin.
    for (const [, input] of refused) {
      const out = safeReturnTo(input);
      assert.equal(new URL(out, 'https://news.example.com').origin, 'https://news.example.com');
    }
  });
});
