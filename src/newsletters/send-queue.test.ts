// The outbox rows of an issue: claims are exclusive, leased and owned by their claim token (a
// sender whose lease ran out and was taken over touches nothing), a stopped sender's rows come
// back counted as in flight only if they had been handed over, failures are retried with
// backoff or recorded; on both databases.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../test/support/databases.ts';
import { startTestApp, NOW, type TestApp } from '../../test/support/app.ts';
import { claimSends, extendLeases, finishIfDone, inFlightResends, markFailures, markHanded, markSent, markSuppressed, MAX_ATTEMPTS, nextDueAt, releaseClaims, retryDelayMs } from './send-queue.ts';

describe('retryDelayMs', () => {
  const cases: [number, number][] = [[1, 60_000], [2, 120_000], [3, 240_000], [6, 1_920_000], [7, 3_600_000], [30, 3_600_000]];
  for (const [attempts, ms] of cases) it(`after attempt ${attempts}: ${ms / 60_000} min`, () => assert.equal(retryDelayMs(attempts), ms));
});

for (const dialect of DIALECTS) {
  describe(`send queue (${dialect})`, () => {
    let t: TestApp;
    let issueId: number;
    const db = () => t.app.database.db;
    const LEASE = 15_000;

    before(async () => {
      t = await startTestApp(dialect);
      const list = await db().selectFrom('newsletter_lists').select('id').where('slug', '=', 'daily').executeTakeFirstOrThrow();
      const issue = await db().insertInto('newsletter_issues').values({ list_id: list.id, slug: 'q', issue_date: '2026-11-20', status: 'sending', subject: '', intro: '', story_ids: null, content: '{}', send_at: null, queued_at: NOW, finished_at: null, created_at: NOW, updated_at: NOW, updated_by: null }).returning('id').executeTakeFirstOrThrow();
      issueId = issue.id;
      await db().insertInto('newsletter_sends').values(Array.from({ length: 6 }, (_, i) => ({ issue_id: issueId, email: `r${i}@example.com`, reader_id: null, is_entitled: 0, status: 'queued' as const, attempts: 0, next_attempt_at: NOW, lease_until: null, last_error: null, sent_at: null }))).execute();
    });
    after(() => t.close());

    it('claims each due row once, concurrent claimers included', async () => {
      const [a, b] = await Promise.all([
        claimSends(db(), dialect, { issueId, now: NOW, leaseMs: LEASE, limit: 2, token: 'a' }),
        claimSends(db(), dialect, { issueId, now: NOW, leaseMs: LEASE, limit: 2, token: 'b' }),
      ]);
      const c = await claimSends(db(), dialect, { issueId, now: NOW, leaseMs: LEASE, limit: 5, token: 'c' });
      const ids = [...a, ...b, ...c].map((r) => r.id);
      assert.equal(ids.length, 6);
      assert.equal(new Set(ids).size, 6, 'no row claimed twice');
      assert.ok([...a, ...b, ...c].every((r) => r.attempts === 1 && !r.wasLeaseExpired));
      assert.deepEqual(await claimSends(db(), dialect, { issueId, now: NOW + LEASE - 1, leaseMs: LEASE, limit: 10, token: 'd' }), [], 'leased rows wait');
      assert.equal(await nextDueAt(db(), issueId), NOW + LEASE);
    });

    it('takes a stopped sender\'s rows again once their lease ran out, counting as in flight only those it had handed over', async () => {
      const rows = await db().selectFrom('newsletter_sends').select(['id', 'claim_token']).where('issue_id', '=', issueId).orderBy('id').execute();
      for (const r of rows.slice(0, 2)) assert.equal(await markSent(db(), [r.id], NOW, r.claim_token!), 1);
      // Rows 2 and 3 were handed to the mail server by their (then stopped) sender; 4 and 5 never were.
      assert.deepEqual(await markHanded(db(), [rows[2].id], NOW, rows[2].claim_token!), [rows[2].id]);
      assert.deepEqual(await markHanded(db(), [rows[3].id], NOW, rows[3].claim_token!), [rows[3].id]);
      const again = await claimSends(db(), dialect, { issueId, now: NOW + LEASE + 1, leaseMs: LEASE, limit: 10, token: 'second' });
      assert.equal(again.length, 4);
      assert.ok(again.every((r) => r.wasLeaseExpired && r.attempts === 2));
      assert.equal(await inFlightResends(db(), issueId), 2, 'only the two handed over may have gone out twice');
      assert.equal(await finishIfDone(db(), issueId, NOW), false, 'rows are still being sent');
    });

    it('a sender whose claim was taken over can no longer mark, extend, hand over, suppress or give back its rows', async () => {
      const [row] = await db().selectFrom('newsletter_sends').select(['id', 'claim_token', 'lease_until']).where('issue_id', '=', issueId).where('status', '=', 'sending').orderBy('id').limit(1).execute();
      assert.equal(row.claim_token, 'second');
      const first = 'c';
      assert.equal(await markSent(db(), [row.id], NOW, first), 0);
      assert.equal(await extendLeases(db(), [row.id], NOW + 10 * LEASE, first), 0);
      assert.deepEqual(await markHanded(db(), [row.id], NOW, first), [], 'not to be sent by the first sender');
      assert.equal(await markSuppressed(db(), [row.id], first), 0);
      assert.equal(await releaseClaims(db(), [row.id], first, { mayHaveGoneOut: false }), 0);
      assert.deepEqual(await markFailures(db(), [{ id: row.id, attempts: 2, isPermanent: false, error: '451 later' }], NOW, first), { failed: 0, retried: 0 });
      const after = await db().selectFrom('newsletter_sends').select(['status', 'lease_until', 'attempts', 'handed_at']).where('id', '=', row.id).executeTakeFirstOrThrow();
      assert.deepEqual(after, { status: 'sending', lease_until: row.lease_until, attempts: 2, handed_at: null }, 'the row is the second sender\'s, untouched');
      assert.equal(await extendLeases(db(), [row.id], NOW + 2 * LEASE, 'second'), 1, 'its holder still can');
    });

    it('retries temporary failures later, records permanent ones and gives up after the last attempt', async () => {
      const rows = await db().selectFrom('newsletter_sends').select(['id', 'attempts']).where('issue_id', '=', issueId).where('status', '=', 'sending').orderBy('id').execute();
      const outcome = await markFailures(db(), [
        { id: rows[0].id, attempts: 2, isPermanent: false, error: '451 try later' },
        { id: rows[1].id, attempts: 2, isPermanent: true, error: '550 no such user' },
        { id: rows[2].id, attempts: MAX_ATTEMPTS, isPermanent: false, error: '451 still busy' },
      ], NOW, 'second');
      assert.deepEqual(outcome, { failed: 2, retried: 1 });
      const after = await db().selectFrom('newsletter_sends').select(['id', 'status', 'next_attempt_at', 'last_error']).where('id', 'in', rows.slice(0, 3).map((r) => r.id)).orderBy('id').execute();
      assert.deepEqual(after.map((r) => r.status), ['queued', 'failed', 'failed']);
      assert.equal(after[0].next_attempt_at, NOW + retryDelayMs(2));
      assert.equal(after[1].last_error, '550 no such user');
      await markSent(db(), [rows[3].id], NOW, 'second');
      assert.equal(await finishIfDone(db(), issueId, NOW), false, 'a retry is still due');
      const retry = await claimSends(db(), dialect, { issueId, now: NOW + retryDelayMs(2), leaseMs: LEASE, limit: 10, token: 'third' });
      assert.deepEqual(retry.map((r) => r.id), [rows[0].id]);
      await markSent(db(), [rows[0].id], NOW, 'third');
      assert.equal(await finishIfDone(db(), issueId, NOW), true);
      assert.equal((await db().selectFrom('newsletter_issues').select('status').where('id', '=', issueId).executeTakeFirstOrThrow()).status, 'sent');
    });
  });
}
