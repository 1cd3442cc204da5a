import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { SIGNATURE_TOLERANCE_MS, checkSignature, mailWebhookSecret, parseFeedback, signFeedback } from './feedback-webhook.ts';

const NOW = Date.parse('2026-11-20T15:00:00Z');
const SECRET = 'whsec-0123456789abcdef';
const BODY = '{"id":"ev1","type":"bounce","bounceType":"hard","email":"a@example.com","timestamp":1790000000}';

describe('mail webhook signatures', () => {
  it('accepts its own signature within the tolerance, either side of now', () => {
    for (const skew of [0, SIGNATURE_TOLERANCE_MS - 1000, -(SIGNATURE_TOLERANCE_MS - 1000)]) {
      assert.deepEqual(checkSignature(signFeedback(BODY, { secret: SECRET, now: NOW + skew }), BODY, { secret: SECRET, now: NOW }), { ok: true });
    }
  });

  it('refuses missing, malformed, stale, altered and wrongly keyed signatures', () => {
    const good = signFeedback(BODY, { secret: SECRET, now: NOW });
    const t = Math.floor(NOW / 1000);
    const cases: [string, string | undefined, string, string][] = [
      ['missing', undefined, BODY, 'missing'],
      ['empty', '', BODY, 'missing'],
      ['no v1', `t=${t}`, BODY, 'malformed'],
      ['no t', good.split(',')[1], BODY, 'malformed'],
      ['not hex', `t=${t},v1=${'z'.repeat(64)}`, BODY, 'malformed'],
      ['too old', signFeedback(BODY, { secret: SECRET, now: NOW - SIGNATURE_TOLERANCE_MS - 1000 }), BODY, 'too-old'],
      ['from the future', signFeedback(BODY, { secret: SECRET, now: NOW + SIGNATURE_TOLERANCE_MS + 1000 }), BODY, 'too-old'],
      ['body altered', good, BODY.replace('a@', 'b@'), 'mismatch'],
      ['other key', signFeedback(BODY, { secret: 'another-secret-xyz', now: NOW }), BODY, 'mismatch'],
      ['timestamp swapped', good.replace(`t=${t}`, `t=${t + 1}`), BODY, 'mismatch'],
    ];
    for (const [name, header, body, reason] of cases) {
      assert.deepEqual(checkSignature(header, body, { secret: SECRET, now: NOW }), { ok: false, reason }, name);
    }
  });

  it('accepts any of several v1 values (a secret being rotated)', () => {
    const t = Math.floor(NOW / 1000);
    const mac = crypto.createHmac('sha256', SECRET).update(`${t}.${BODY}`).digest('hex');
    assert.deepEqual(checkSignature(`t=${t},v1=${'0'.repeat(64)},v1=${mac}`, BODY, { secret: SECRET, now: NOW }), { ok: true });
  });

  it('derives a stable secret from the site secret unless one is configured', () => {
    assert.equal(mailWebhookSecret('configured-secret-123', 'site'), 'configured-secret-123');
    assert.equal(mailWebhookSecret(null, 'site'), mailWebhookSecret(null, 'site'));
    assert.notEqual(mailWebhookSecret(null, 'site'), mailWebhookSecret(null, 'other'));
  });
});

describe('mail webhook bodies', () => {
  it('reads one report or an array, lower-casing addresses and normalising times', () => {
    const one = parseFeedback(BODY);
    assert.deepEqual(one, { ok: true, events: [{ id: 'ev1', kind: 'bounce', bounceType: 'hard', email: 'a@example.com', at: 1790000000_000 }] });
    const many = parseFeedback(JSON.stringify([
      { id: 'c1', type: 'complaint', email: ' Bob@Example.COM ', timestamp: '2026-11-20T15:00:00Z' },
      { id: 'b2', type: 'bounce', bounceType: 'soft', email: 'c@example.com', timestamp: NOW },
    ]));
    assert.deepEqual(many, { ok: true, events: [
      { id: 'c1', kind: 'complaint', email: 'bob@example.com', at: NOW },
      { id: 'b2', kind: 'bounce', bounceType: 'soft', email: 'c@example.com', at: NOW },
    ] });
  });

  it('refuses the whole body when any report is malformed', () => {
    const bad = [
      'not json', '{}', '[]', 'null',
      JSON.stringify({ id: 'x', type: 'delivery', email: 'a@example.com', timestamp: 1 }),
      JSON.stringify({ id: 'x', type: 'bounce', bounceType: 'medium', email: 'a@example.com', timestamp: 1 }),
      JSON.stringify({ id: '', type: 'bounce', email: 'a@example.com', timestamp: 1 }),
      JSON.stringify({ id: 'x', type: 'bounce', email: 'not-an-address', timestamp: 1 }),
      JSON.stringify({ id: 'x', type: 'bounce', email: 'a@example.com', timestamp: 'yesterday' }),
      JSON.stringify([{ id: 'ok', type: 'complaint', email: 'a@example.com', timestamp: 1 }, { id: 'bad', type: 'complaint', email: 'nope', timestamp: 1 }]),
      JSON.stringify(Array.from({ length: 1001 }, (_, i) => ({ id: `e${i}`, type: 'complaint', email: 'a@example.com', timestamp: 1 }))),
    ];
    for (const body of bad) assert.equal(parseFeedback(body).ok, false, body.slice(0, 80));
  });
});
