import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { PageCache, encodePage } from './page-cache.ts';

describe('PageCache', () => {
  it('drops everything when the content version moves', () => {
    const cache = new PageCache();
    cache.sync('1|May 1');
    cache.set('a', encodePage('<p>a</p>', { version: 1 }));
    cache.sync('1|May 1');
    assert.ok(cache.get('a'));
    cache.sync('2|May 1');
    assert.equal(cache.get('a'), undefined);
    cache.set('b', encodePage('<p>b</p>', { version: 2 }));
    cache.sync('2|May 2');
    assert.equal(cache.get('b'), undefined, 'a new day clears the cache');
  });

  it('evicts the least recently used page past its bound', () => {
    const cache = new PageCache(2);
    cache.set('a', encodePage('a', { version: 1 }));
    cache.set('b', encodePage('b', { version: 1 }));
    cache.get('a');
    cache.set('c', encodePage('c', { version: 1 }));
    assert.ok(cache.get('a'));
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.size, 2);
  });

  it('keeps a gzip copy of large pages that inflates to the same bytes', () => {
    const html = '<p>' + 'news '.repeat(1000) + '</p>';
    const page = encodePage(html, { version: 3 });
    assert.equal(zlib.gunzipSync(page.gzip!).toString(), html);
    assert.equal(encodePage('<p>tiny</p>', { version: 3 }).gzip, null);
  });
});
