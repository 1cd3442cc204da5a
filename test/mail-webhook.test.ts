// Bounce and complaint reports through the real app, on both databases: signed with the
// mail webhook secret (configured, or derived from the site's secret), each report recorded
// once, hard bounces and complaints suppressing the address, anything unsigned or stale
// refused with nothing recorded. (THREATS.md, "E-mail".)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_MS, mailWebhookSecret, signFeedback } from '../src/newsletters/feedback-webhook.ts';
import { isSuppressed } from '../src/newsletters/suppression.ts';

const WEBHOOK_SECRET = 'mail-webhook-secret-for-tests';

for (const dialect of DIALECTS) {
  describe(`mail webhook (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect, { env: { MAIL_WEBHOOK_SECRET: WEBHOOK_SECRET } });
    });
    after(() => t.close());

    const db = () => t.app.database.db;
    const post = (body: string, signature: string | null, headers: Record<string, string> = {}) =>
      t.request('/webhooks/mail', { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { [SIGNATURE_HEADER]: signature } : {}), ...headers }, body });
    const signed = (body: unknown, opts: { secret?: string; now?: number } = {}) => {
      const text = JSON.stringify(body);
      return post(text, signFeedback(text, { secret: opts.secret ?? WEBHOOK_SECRET, now: opts.now ?? t.clock.now }));
    };
    const report = (over: Record<string, unknown>) => ({ id: `ev-${Math.random().toString(36).slice(2)}`, type: 'bounce', bounceType: 'hard', email: 'x@example.com', timestamp: Math.floor(t.clock.now / 1000), ...over });
    const feedbackCount = async () => (await db().selectFrom('mail_feedback').select('event_id').execute()).length;

    it('suppresses on a hard bounce and a complaint, records a soft bounce without suppressing', async () => {
      let res = await signed(report({ id: 'hb-1', email: 'Hard@Example.com' }));
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { received: 1, recorded: 1, suppressed: 1 });
      assert.equal(await isSuppressed(db(), 'hard@example.com'), true);
      const row = await db().selectFrom('mail_suppressions').selectAll().where('email', '=', 'hard@example.com').executeTakeFirstOrThrow();
      assert.equal(row.reason, 'hard-bounce');
      assert.match(row.detail, /hb-1/);

      res = await signed([report({ id: 'sb-1', bounceType: 'soft', email: 'soft@example.com' }), report({ id: 'cp-1', type: 'complaint', bounceType: undefined, email: 'angry@example.com' })]);
      assert.deepEqual(await res.json(), { received: 2, recorded: 2, suppressed: 1 });
      assert.equal(await isSuppressed(db(), 'soft@example.com'), false);
      assert.equal(await isSuppressed(db(), 'angry@example.com'), true);
      assert.equal((await db().selectFrom('mail_suppressions').select('reason').where('email', '=', 'angry@example.com').executeTakeFirstOrThrow()).reason, 'complaint');
    });

    it('records a replayed or re-ordered report once, and suppresses once', async () => {
      const complaint = report({ id: 'cp-2', type: 'complaint', email: 'twice@example.com' });
      const bounce = report({ id: 'hb-2', email: 'twice@example.com', timestamp: Math.floor(t.clock.now / 1000) - 60 });
      assert.deepEqual(await (await signed(complaint)).json(), { received: 1, recorded: 1, suppressed: 1 });
      assert.deepEqual(await (await signed([complaint, bounce, complaint])).json(), { received: 3, recorded: 1, suppressed: 0 });
      assert.equal((await db().selectFrom('mail_suppressions').select('email').where('email', '=', 'twice@example.com').execute()).length, 1);
      assert.equal((await db().selectFrom('mail_feedback').select('event_id').where('email', '=', 'twice@example.com').execute()).length, 2);
    });

    it('refuses unsigned, wrongly signed, stale and altered requests with 400, recording nothing', async () => {
      const before = await feedbackCount();
      const body = JSON.stringify(report({ id: 'forged', email: 'victim@example.com' }));
      const derived = mailWebhookSecret(null, t.app.secret);
      const cases: [string, Response][] = [
        ['no signature', await post(body, null)],
        ['garbage', await post(body, 'v1=abc')],
        ['wrong secret', await post(body, signFeedback(body, { secret: 'not-the-secret-at-all', now: t.clock.now }))],
        ['derived secret while one is configured', await post(body, signFeedback(body, { secret: derived, now: t.clock.now }))],
        ['stale', await post(body, signFeedback(body, { secret: WEBHOOK_SECRET, now: t.clock.now - SIGNATURE_TOLERANCE_MS - 1000 }))],
        ['altered body', await post(body.replace('victim', 'other'), signFeedback(body, { secret: WEBHOOK_SECRET, now: t.clock.now }))],
      ];
      for (const [name, res] of cases) {
        assert.equal(res.status, 400, name);
        assert.match(res.headers.get('content-type') ?? '', /application\/json/, name);
      }
      assert.equal(await feedbackCount(), before);
      assert.equal(await isSuppressed(db(), 'victim@example.com'), false);
    });

    it('refuses a signed body that is not JSON or holds any malformed report, recording none of it', async () => {
      const before = await feedbackCount();
      const text = 'not json';
      assert.equal((await post(text, signFeedback(text, { secret: WEBHOOK_SECRET, now: t.clock.now }))).status, 400);
      const res = await signed([report({ id: 'fine', email: 'fine@example.com' }), report({ id: 'broken', email: 'not-an-address' })]);
      assert.equal(res.status, 400);
      assert.match(JSON.stringify(await res.json()), /email/);
      assert.equal(await feedbackCount(), before);
      assert.equal(await isSuppressed(db(), 'fine@example.com'), false);
    });

    it('needs no form token or same-site origin (it is a server calling)', async () => {
      const res = await signed(report({ id: 'origin', email: 'far@example.com' }));
      assert.equal(res.status, 200);
      const text = JSON.stringify(report({ id: 'origin-2', email: 'far2@example.com' }));
      assert.equal((await post(text, signFeedback(text, { secret: WEBHOOK_SECRET, now: t.clock.now }), { origin: 'https://esp.example.net' })).status, 200);
    });
  });

  describe(`mail webhook with a derived secret (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
    });
    after(() => t.close());

    it('accepts reports signed with the secret derived from the site’s', async () => {
      const body = JSON.stringify({ id: 'd-1', type: 'complaint', email: 'derived@example.com', timestamp: new Date(t.clock.now).toISOString() });
      const ok = await t.request('/webhooks/mail', { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signFeedback(body, { secret: mailWebhookSecret(null, t.app.secret), now: t.clock.now }) }, body });
      assert.equal(ok.status, 200);
      assert.equal(await isSuppressed(t.app.database.db, 'derived@example.com'), true);
      const bad = await t.request('/webhooks/mail', { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signFeedback(body, { secret: t.app.secret, now: t.clock.now }) }, body });
      assert.equal(bad.status, 400, 'the site secret itself is not the webhook key');
    });
  });
}
