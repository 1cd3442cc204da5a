// What send rows keep of their recipients: the retention job anonymises the rows of issues
// finished more than 90 days ago, keeping every count; on both databases.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { openDatabase, type DatabaseHandle, type Db } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import type { SendStatus } from '../db/schema.ts';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { SEND_RETENTION_MS, anonymiseFinishedSends, anonymousAddress } from './retention.ts';

const NOW = Date.parse('2026-11-20T15:00:00Z');
const DAY = 86_400_000;

describe('the anonymous stand-in for an address', () => {
  it('is "deleted:" and the SHA-256 of the lower-cased address', () => {
    const hex = crypto.createHash('sha256').update('ann@example.com').digest('hex');
    assert.equal(anonymousAddress(' Ann@Example.com '), `deleted:${hex}`);
    assert.notEqual(anonymousAddress('ann@example.com'), anonymousAddress('bo@example.com'));
  });
});

for (const dialect of DIALECTS) {
  describe(`send retention (${dialect})`, () => {
    let database: TestDatabase;
    let handle: DatabaseHandle;
    let db: Db;
    let listId: number;
    let n = 0;

    before(async () => {
      database = await createTestDatabase(dialect);
      handle = openDatabase({ databaseUrl: database.databaseUrl, dataDir: database.dataDir });
      await migrate(handle);
      db = handle.db;
      listId = (await db.selectFrom('newsletter_lists').select('id').where('slug', '=', 'daily').executeTakeFirstOrThrow()).id;
    });
    after(async () => {
      await handle.close();
      await database.drop();
    });

    async function issueWith(finishedAt: number | null, sends: [string, SendStatus][]): Promise<number> {
      n += 1;
      const { id } = await db.insertInto('newsletter_issues').values({
        list_id: listId, slug: `r${n}`, issue_date: '2026-01-01', status: finishedAt === null ? 'sending' : 'sent', subject: '', intro: '', story_ids: null, content: '{}',
        send_at: null, queued_at: (finishedAt ?? NOW) - DAY, finished_at: finishedAt, created_at: NOW - 200 * DAY, updated_at: NOW - 200 * DAY, updated_by: null,
      }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('newsletter_sends').values(sends.map(([email, status], i) => ({
        issue_id: id, email, reader_id: i + 1, is_entitled: 0, status, attempts: 1, next_attempt_at: NOW, lease_until: null,
        last_error: status === 'failed' ? `550 5.1.1 <${email}>: no such user` : null, sent_at: status === 'sent' ? NOW - 100 * DAY : null,
      }))).execute();
      return id;
    }
    const rowsOf = (issueId: number) => db.selectFrom('newsletter_sends').select(['email', 'reader_id', 'status', 'last_error', 'sent_at']).where('issue_id', '=', issueId).orderBy('id').execute();

    it('anonymises the sends of issues finished more than 90 days ago, keeping their counts, and nothing newer', async () => {
      const old = await issueWith(NOW - 91 * DAY, [['ann@example.com', 'sent'], ['bo@example.com', 'failed'], ['cy@example.com', 'suppressed'], ['di@example.com', 'sent']]);
      const recent = await issueWith(NOW - 89 * DAY, [['ann@example.com', 'sent']]);
      const unfinished = await issueWith(null, [['ann@example.com', 'queued']]);
      const before = await rowsOf(old);

      const first = await anonymiseFinishedSends(db, { olderThanMs: SEND_RETENTION_MS, now: NOW, batchSize: 3 });
      assert.equal(first.anonymised, 4);
      const after = await rowsOf(old);
      assert.deepEqual(after.map((r) => r.email), before.map((r) => anonymousAddress(r.email)));
      assert.deepEqual(after.map((r) => [r.status, r.sent_at]), before.map((r) => [r.status, r.sent_at]), 'counts and times stay');
      assert.ok(after.every((r) => r.reader_id === null && r.last_error === null), 'no reader, no SMTP reply quoting the address');
      assert.deepEqual((await rowsOf(recent)).map((r) => [r.email, r.reader_id]), [['ann@example.com', 1]]);
      assert.deepEqual((await rowsOf(unfinished)).map((r) => r.email), ['ann@example.com']);

      assert.deepEqual(await anonymiseFinishedSends(db, { olderThanMs: SEND_RETENTION_MS, now: NOW }), { anonymised: 0 }, 'a second run changes nothing');
      assert.deepEqual(await rowsOf(old), after);
      // Two days later the second issue is old enough too.
      assert.equal((await anonymiseFinishedSends(db, { olderThanMs: SEND_RETENTION_MS, now: NOW + 2 * DAY })).anonymised, 1);
      assert.deepEqual((await rowsOf(recent)).map((r) => r.email), [anonymousAddress('ann@example.com')]);
    });

    it('keeps one row when an issue already holds the mark for that address', async () => {
      const issue = await issueWith(NOW - 100 * DAY, [[anonymousAddress('eve@example.com'), 'sent'], ['eve@example.com', 'sent'], ['fay@example.com', 'sent']]);
      await anonymiseFinishedSends(db, { olderThanMs: SEND_RETENTION_MS, now: NOW });
      assert.deepEqual((await rowsOf(issue)).map((r) => r.email).sort(), [anonymousAddress('eve@example.com'), anonymousAddress('fay@example.com')].sort());
    });
  });
}
