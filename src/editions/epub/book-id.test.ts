import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editionBookId } from './book-id.ts';

test('the identifier is a version 5 urn:uuid, the same for the same edition', () => {
  const a = editionBookId({ publicUrl: 'https://news.example.com', editionId: 7 });
  assert.match(a, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(editionBookId({ publicUrl: 'https://news.example.com/', editionId: 7 }), a);
});

test('another edition or another publication gets another identifier', () => {
  const a = editionBookId({ publicUrl: 'https://news.example.com', editionId: 7 });
  assert.notEqual(editionBookId({ publicUrl: 'https://news.example.com', editionId: 8 }), a);
  assert.notEqual(editionBookId({ publicUrl: 'https://other.example.com', editionId: 7 }), a);
});

test('matches the RFC 4122 version 5 algorithm on a known value', () => {
  // Python: uuid.uuid5(uuid.NAMESPACE_URL, 'https://news.example.com/editions/7')
  assert.equal(
    editionBookId({ publicUrl: 'https://news.example.com', editionId: 7 }),
    'urn:uuid:734e256f-1a62-5728-82f7-8584ba2b3522',
  );
});
