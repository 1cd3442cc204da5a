// First-party events (access decisions, letter impressions and clicks), queued in memory and
// written in batches off the request path. On SQLite a batch is one transaction of one
// prepared insert on a side connection (a query builder would cost more per event than the
// page view that made it); on PostgreSQL one multi-row insert per 500 events.
import type SQLite from 'better-sqlite3';
import { sideConnection, type DatabaseHandle } from '../db/database.ts';

export interface AppEvent {
  kind: string;
  articleId?: number | null;
  readerKey?: string | null;
  detail?: string;
  at: number;
}

/** Where batches go: written whole or not at all. */
export interface EventSink {
  write(batch: readonly AppEvent[]): void | Promise<void>;
}

export function createEventSink(handle: DatabaseHandle): EventSink {
  return handle.dialect === 'sqlite' ? sqliteSink(sideConnection(handle)) : postgresSink(handle);
}

const SLICE = 100;

function sqliteSink(side: SQLite.Database): EventSink {
  const insert = side.prepare('insert into events (kind, article_id, reader_key, detail, created_at) values (?, ?, ?, ?, ?)');
  const writeAll = side.transaction((batch: readonly AppEvent[]) => {
    for (const e of batch) insert.run(e.kind, e.articleId ?? null, e.readerKey ?? null, e.detail ?? '', e.at);
  });
  return {
    // A few hundred rows per transaction, with the event loop free between them: one big
    // transaction would hold up every page being served for milliseconds.
    async write(batch) {
      for (let i = 0; i < batch.length; i += SLICE) {
        if (i > 0) await new Promise((resolve) => setImmediate(resolve));
        writeAll(batch.slice(i, i + SLICE));
      }
    },
  };
}

function postgresSink(handle: DatabaseHandle): EventSink {
  return {
    async write(batch) {
      await handle.db.transaction().execute(async (tx) => {
        for (let i = 0; i < batch.length; i += 500) {
          await tx
            .insertInto('events')
            .values(batch.slice(i, i + 500).map((e) => ({ kind: e.kind, article_id: e.articleId ?? null, reader_key: e.readerKey ?? null, detail: e.detail ?? '', created_at: e.at })))
            .execute();
        }
      });
    },
  };
}

export class EventLog {
  private queue: AppEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly opts: { sink: EventSink; flushMs?: number; maxBatch?: number; onError?: (err: unknown) => void }) {}

  record(event: AppEvent): void {
    this.queue.push(event);
    if (this.queue.length >= (this.opts.maxBatch ?? 500)) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.opts.flushMs ?? 1000);
      this.timer.unref();
    }
  }

  /** Writes everything queued so far. A batch that fails is reported and dropped, not retried forever. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.flushing;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    this.flushing = (async () => {
      try {
        await this.opts.sink.write(batch);
      } catch (err) {
        this.opts.onError?.(err);
      }
    })();
    await this.flushing;
    this.flushing = null;
  }
}
