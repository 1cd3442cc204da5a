import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { readUnsubscribeToken, unsubscribeToken, unsubscribeUrls } from './links.ts';

const SECRET = 'links-test-secret-links-test-secret-0123';

/** A token as issues sent before reader ids were written carry it: "<list>:<address>". */
function tokenOfOldIssue(listId: number, email: string): string {
  const body = Buffer.from(`${listId}:${email}`).toString('base64url');
  return `${body}.${crypto.createHmac('sha256', `unsubscribe:${SECRET}`).update(body).digest('base64url').slice(0, 27)}`;
}

describe('unsubscribe tokens', () => {
  it('carry the reader of a reader’s copy, and none for a sign-up’s', () => {
    assert.deepEqual(readUnsubscribeToken(unsubscribeToken({ listId: 3, email: 'Ann@Example.com', readerId: 42 }, SECRET), SECRET), { listId: 3, email: 'ann@example.com', readerId: 42 });
    assert.deepEqual(readUnsubscribeToken(unsubscribeToken({ listId: 3, email: 'bo@example.com', readerId: null }, SECRET), SECRET), { listId: 3, email: 'bo@example.com', readerId: null });
    assert.deepEqual(readUnsubscribeToken(unsubscribeToken({ listId: 3, email: 'bo@example.com' }, SECRET), SECRET), { listId: 3, email: 'bo@example.com', readerId: null });
    const page = unsubscribeUrls({ listId: 3, email: 'ann@example.com', readerId: 42 }, { publicUrl: 'https://news.example.com', secret: SECRET }).page;
    assert.deepEqual(readUnsubscribeToken(new URL(page).searchParams.get('t'), SECRET), { listId: 3, email: 'ann@example.com', readerId: 42 });
  });

  it('still read tokens of issues sent before reader ids, which are the same as a sign-up’s', () => {
    const old = tokenOfOldIssue(7, 'cy@example.com');
    assert.deepEqual(readUnsubscribeToken(old, SECRET), { listId: 7, email: 'cy@example.com', readerId: null });
    assert.equal(unsubscribeToken({ listId: 7, email: 'cy@example.com' }, SECRET), old);
  });

  it('refuse a reader id or address changed after signing', () => {
    const good = unsubscribeToken({ listId: 3, email: 'ann@example.com', readerId: 42 }, SECRET);
    const sig = good.split('.')[1];
    for (const body of ['3:r43:ann@example.com', '3:ann@example.com', '3:r42:bo@example.com']) {
      assert.equal(readUnsubscribeToken(`${Buffer.from(body).toString('base64url')}.${sig}`, SECRET), null, body);
    }
    assert.equal(readUnsubscribeToken(good, 'another-secret-another-secret-another-0'), null);
  });
});
