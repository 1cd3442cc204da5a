import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RETRY_STEPS_MS, retryDelay } from './backoff.ts';

describe('autosave retry schedule', () => {
  it('waits longer after each failure, up to a minute', () => {
    const waits = [0, 1, 2, 3, 4, 5, 6, 20].map((n) => retryDelay(n, 0.5));
    assert.deepEqual(waits, [2_000, 4_000, 8_000, 15_000, 30_000, 60_000, 60_000, 60_000]);
    for (let i = 1; i < RETRY_STEPS_MS.length; i++) assert.ok(RETRY_STEPS_MS[i] > RETRY_STEPS_MS[i - 1]);
  });

  it('spreads each wait by at most 20% either way', () => {
    assert.equal(retryDelay(0, 0), 1_600);
    assert.equal(retryDelay(0, 0.999999), 2_400);
    assert.equal(retryDelay(5, 0), 48_000);
    assert.equal(retryDelay(5, 1), 72_000);
  });

  it('treats odd attempts as the nearest sensible step', () => {
    assert.equal(retryDelay(-3, 0.5), 2_000);
    assert.equal(retryDelay(1.7, 0.5), 4_000);
    assert.equal(retryDelay(2, 7), retryDelay(2, 1));
  });
});
