import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { EventLog, createEventSink, type AppEvent, type EventSink } from './events.ts';

describe('event log', () => {
  it('writes every queued event through the SQLite side connection, in slices, in order', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-events-'));
    const handle = openDatabase({ databaseUrl: null, dataDir });
    try {
      await migrate(handle);
      const log = new EventLog({ sink: createEventSink(handle), maxBatch: 10_000 });
      for (let i = 0; i < 250; i++) log.record({ kind: i % 2 ? 'counted' : 'free', articleId: i, readerKey: `a:reader${i}`, at: 1_000 + i });
      await log.flush();
      const rows = await handle.db.selectFrom('events').select(['kind', 'article_id', 'reader_key', 'created_at']).orderBy('id').execute();
      assert.equal(rows.length, 250);
      assert.deepEqual(rows[249], { kind: 'counted', article_id: 249, reader_key: 'a:reader249', created_at: 1_249 });
      assert.deepEqual(rows.map((r) => r.article_id), Array.from({ length: 250 }, (_, i) => i));
    } finally {
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('flushes by itself at the batch size, and reports a failed batch without throwing', async () => {
    const written: AppEvent[][] = [];
    const errors: unknown[] = [];
    let isBroken = false;
    const sink: EventSink = {
      write(batch) {
        if (isBroken) throw new Error('disk full');
        written.push([...batch]);
      },
    };
    const log = new EventLog({ sink, maxBatch: 3, flushMs: 60_000, onError: (err) => errors.push(err) });
    for (let i = 0; i < 3; i++) log.record({ kind: 'free', at: i });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(written.map((b) => b.length), [3], 'the third event triggered a flush');
    isBroken = true;
    log.record({ kind: 'free', at: 9 });
    await log.flush();
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /disk full/);
  });
});
