import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clickRate, tallyLetterEvents } from './letter-settings.ts';

describe('tallyLetterEvents', () => {
  it('folds grouped rows into impressions and clicks per letter and variant', () => {
    const t = tallyLetterEvents([
      { kind: 'letter-impression', detail: '1:11', n: 40 },
      { kind: 'letter-impression', detail: '1:12', n: '38' },
      { kind: 'letter-click', detail: '1:11', n: 3 },
      { kind: 'letter-click', detail: '1:0', n: 1n },
      { kind: 'letter-impression', detail: '2:0', n: 5 },
      { kind: 'letter-impression', detail: 'garbage', n: 9 },
      { kind: 'letter-impression', detail: '3:x', n: 9 },
    ]);
    assert.deepEqual([...t.keys()], [1, 2]);
    assert.deepEqual(t.get(1)!.get(11), { impressions: 40, clicks: 3 });
    assert.deepEqual(t.get(1)!.get(12), { impressions: 38, clicks: 0 });
    assert.deepEqual(t.get(1)!.get(0), { impressions: 0, clicks: 1 });
    assert.deepEqual(t.get(2)!.get(0), { impressions: 5, clicks: 0 });
  });
  it('gives a click rate once there are impressions', () => {
    assert.equal(clickRate({ impressions: 0, clicks: 0 }), '–');
    assert.equal(clickRate({ impressions: 40, clicks: 3 }), '7.5%');
  });
});
