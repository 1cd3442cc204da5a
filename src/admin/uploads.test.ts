import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isTooBig, MAX_UPLOAD_BYTES, tooBigMessage } from './uploads.ts';

describe('the upload limit', () => {
  it('takes 20 MB and not a byte more', () => {
    assert.equal(MAX_UPLOAD_BYTES, 20 * 1024 * 1024);
    assert.equal(isTooBig({ size: MAX_UPLOAD_BYTES }), false);
    assert.equal(isTooBig({ size: MAX_UPLOAD_BYTES + 1 }), true);
  });
  it('says what to do about a file over it', () => {
    assert.equal(tooBigMessage(), 'The file is larger than 20 MB: export a smaller copy of the picture.');
    assert.equal(tooBigMessage('“harbor.tif”'), '“harbor.tif” is larger than 20 MB: export a smaller copy of the picture.');
  });
});
