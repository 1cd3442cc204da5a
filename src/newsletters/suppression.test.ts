import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { isSuppressed, isSuppressing, recordFeedback, suppress, suppressedAmong, unsuppress } from './suppression.ts';

const NOW = Date.parse('2026-11-20T15:00:00Z');

describe('which reports suppress', () => {
  it('suppresses on hard bounces, typeless bounces and complaints, never on soft bounces', () => {
    const cases: [Parameters<typeof isSuppressing>[0], boolean][] = [
      [{ kind: 'bounce', bounceType: 'hard' }, true],
      [{ kind: 'bounce' }, true],
      [{ kind: 'bounce', bounceType: 'soft' }, false],
      [{ kind: 'complaint' }, true],
      [{ kind: 'complaint', bounceType: 'soft' }, true],
    ];
    for (const [event, expected] of cases) assert.equal(isSuppressing(event), expected, JSON.stringify(event));
  });
});

for (const dialect of DIALECTS) {
  describe(`suppression list (${dialect})`, () => {
    let database: TestDatabase;
    let handle: DatabaseHandle;
    before(async () => {
      database = await createTestDatabase(dialect);
      handle = openDatabase({ databaseUrl: database.databaseUrl, dataDir: database.dataDir });
      await migrate(handle);
    });
    after(async () => {
      await handle.close();
      await database.drop();
    });

    it('suppresses by hand, case-insensitively, keeps the first reason, and lifts it', async () => {
      const { db } = handle;
      assert.equal(await isSuppressed(db, 'Ann@Example.com'), false);
      await suppress(db, 'Ann@Example.com', 'manual', 'asked by phone', NOW);
      await suppress(db, 'ann@example.com', 'complaint', 'later', NOW + 1);
      assert.equal(await isSuppressed(db, 'ANN@example.com'), true);
      const row = await db.selectFrom('mail_suppressions').selectAll().where('email', '=', 'ann@example.com').executeTakeFirstOrThrow();
      assert.equal(row.reason, 'manual');
      await unsuppress(db, 'ann@EXAMPLE.com');
      assert.equal(await isSuppressed(db, 'ann@example.com'), false);
    });

    it('finds the suppressed among many addresses in batches', async () => {
      const { db } = handle;
      const emails = Array.from({ length: 1_300 }, (_, i) => `reader${i}@example.org`);
      for (const i of [0, 499, 500, 1_299]) await suppress(db, emails[i], 'manual', '', NOW);
      const found = await suppressedAmong(db, [...emails.map((e) => e.toUpperCase()), 'nobody@example.org']);
      assert.deepEqual([...found].sort(), ['reader0@example.org', 'reader1299@example.org', 'reader499@example.org', 'reader500@example.org']);
      assert.equal((await suppressedAmong(db, [])).size, 0);
    });

    it('records each report once: soft bounces never suppress, replays and out-of-order reports suppress once', async () => {
      const { db } = handle;
      const email = 'bob@example.net';
      assert.deepEqual(await recordFeedback(db, { id: 'ev-1', kind: 'bounce', bounceType: 'soft', email, at: NOW }, NOW), { recorded: true, suppressed: false });
      assert.equal(await isSuppressed(db, email), false);
      assert.deepEqual(await recordFeedback(db, { id: 'ev-3', kind: 'complaint', email: 'Bob@Example.net', at: NOW + 2 }, NOW), { recorded: true, suppressed: true });
      // The earlier hard bounce arrives after the complaint, then the complaint again.
      assert.deepEqual(await recordFeedback(db, { id: 'ev-2', kind: 'bounce', bounceType: 'hard', email, at: NOW + 1 }, NOW), { recorded: true, suppressed: false });
      assert.deepEqual(await recordFeedback(db, { id: 'ev-3', kind: 'complaint', email, at: NOW + 2 }, NOW), { recorded: false, suppressed: false });
      const rows = await db.selectFrom('mail_suppressions').selectAll().where('email', '=', email).execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0].reason, 'complaint');
      const feedback = await db.selectFrom('mail_feedback').select(['event_id', 'kind']).where('email', '=', email).orderBy('event_id').execute();
      assert.deepEqual(feedback, [{ event_id: 'ev-1', kind: 'bounce:soft' }, { event_id: 'ev-2', kind: 'bounce:hard' }, { event_id: 'ev-3', kind: 'complaint' }]);
    });

    it('suppresses once when the same hard bounce is reported concurrently', async () => {
      const { db } = handle;
      const event = { id: 'ev-race', kind: 'bounce' as const, bounceType: 'hard' as const, email: 'carl@example.com', at: NOW };
      const results = await Promise.all([recordFeedback(db, event, NOW), recordFeedback(db, event, NOW), recordFeedback(db, { ...event, id: 'ev-race-2' }, NOW)]);
      assert.equal(results.filter((r) => r.suppressed).length, 1);
      assert.equal(results.filter((r) => r.recorded).length, 2);
      assert.equal(await isSuppressed(db, 'carl@example.com'), true);
    });
  });
}
