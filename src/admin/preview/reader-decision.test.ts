import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICY, type MeterPolicy } from '../../paywall/meter-policy.ts';
import { previewDecision, describePreview } from './reader-decision.ts';

const policy: MeterPolicy = { ...DEFAULT_POLICY, anonymousLimit: 5, registeredLimit: 10 };

describe('the decision each preview imagines', () => {
  it('metered story: first view, third of five, past the limit, subscriber', () => {
    assert.deepEqual(previewDecision('anonymous', policy, 'metered'), { access: 'metered', reason: 'within-limit', counts: true, used: 1, limit: 5, isLastFree: false });
    assert.deepEqual(previewDecision('metered', policy, 'metered'), { access: 'metered', reason: 'within-limit', counts: true, used: 3, limit: 5, isLastFree: false });
    assert.deepEqual(previewDecision('locked', policy, 'metered'), { access: 'locked', reason: 'limit-reached', wall: 'registration', used: 5, limit: 5 });
    assert.deepEqual(previewDecision('subscriber', policy, 'metered'), { access: 'open', reason: 'subscriber', counts: false });
  });

  it('subscriber-only story: locked for everyone but subscribers', () => {
    for (const kind of ['anonymous', 'metered', 'locked'] as const) {
      assert.deepEqual(previewDecision(kind, policy, 'subscriber'), { access: 'locked', reason: 'subscribers-only', wall: 'subscription' });
    }
    assert.equal(previewDecision('subscriber', policy, 'subscriber').access, 'open');
  });

  it('free story: open for everyone', () => {
    for (const kind of ['anonymous', 'metered', 'locked'] as const) assert.deepEqual(previewDecision(kind, policy, 'free'), { access: 'open', reason: 'free-article', counts: false });
    assert.match(describePreview('locked', previewDecision('locked', policy, 'free'), 'free'), /every reader sees all of it/);
  });

  it('follows the policy: a small meter, no registration wall, no meter at all', () => {
    const small = { ...policy, anonymousLimit: 2, registeredLimit: 2 };
    assert.deepEqual(previewDecision('metered', small, 'metered'), { access: 'metered', reason: 'within-limit', counts: true, used: 2, limit: 2, isLastFree: true });
    assert.deepEqual(previewDecision('locked', small, 'metered'), { access: 'locked', reason: 'limit-reached', wall: 'subscription', used: 2, limit: 2 });
    const none = { ...policy, anonymousLimit: 0 };
    assert.equal(previewDecision('anonymous', none, 'metered').access, 'locked');
    assert.equal(previewDecision('metered', none, 'metered').access, 'locked');
  });
});
