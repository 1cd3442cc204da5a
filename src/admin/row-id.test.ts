import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ROW_ID, rowId } from './row-id.ts';

describe('rowId', () => {
  it('reads the ids a 32-bit integer column can hold', () => {
    assert.equal(rowId('1'), 1);
    assert.equal(rowId('42'), 42);
    assert.equal(rowId('2147483647'), MAX_ROW_ID);
    assert.equal(MAX_ROW_ID, 2_147_483_647);
  });

  it('refuses ids beyond 32 bits, so PostgreSQL is never asked for them', () => {
    for (const value of ['2147483648', '4294967296', '9999999999', '99999999999', '9'.repeat(400)]) assert.equal(rowId(value), null, value);
  });

  it('refuses anything that is not plain digits', () => {
    for (const value of [undefined, '', '0', '00', '007', '-1', '+1', ' 1', '1 ', '1.0', '1.5', '1e3', '0x10', 'Infinity', 'NaN', 'abc', '１２', '1_000']) {
      assert.equal(rowId(value), null, String(value));
    }
  });
});
