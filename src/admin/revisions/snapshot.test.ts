import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSnapshot } from './snapshot.ts';

describe('parseSnapshot', () => {
  it('reads what saveArticle stores, trimmed', () => {
    const s = parseSnapshot(JSON.stringify({
      headline: ' Harbor reopens ', dek: 'Dek.', section: 'World/Europe', slug: 'Harbor-reopens', authors: [' Ada Lind ', ''],
      dateline: 'BERGEN', published: 5, access: 'free', tags: ['Harbors'], body: 'One.\r\n\r\nTwo.\n\n',
      image: { id: 'abc', caption: ' Cap ', credit: 'Cred', alt: 'Alt' },
    }));
    assert.equal(s.headline, 'Harbor reopens');
    assert.deepEqual(s.authors, ['Ada Lind']);
    assert.equal(s.body, 'One.\n\nTwo.');
    assert.equal(s.access, 'free');
    assert.deepEqual(s.image, { id: 'abc', caption: 'Cap', credit: 'Cred', alt: 'Alt' });
    assert.equal(s.corrections, null, 'not recorded');
    assert.equal(s.published, 5);
  });

  it('reads old or damaged snapshots as empty fields instead of failing', () => {
    for (const json of ['{}', 'not json', '[]', 'null', JSON.stringify({ headline: 3, access: 'secret', authors: 'x', image: { id: 1 } })]) {
      const s = parseSnapshot(json);
      assert.equal(typeof s.headline, 'string');
      assert.equal(s.access, 'metered');
      assert.deepEqual(s.authors, []);
      assert.equal(s.image, null);
    }
  });

  it('keeps recorded corrections', () => {
    assert.deepEqual(parseSnapshot(JSON.stringify({ corrections: [{ at: 2, text: ' Fixed. ' }] })).corrections, [{ at: 2, text: 'Fixed.' }]);
  });
});
