// First-party events (access decisions, letter impressions and clicks), queued in memory and
// written in batches off the request path: one multi-row insert per flush.
import type { Db } from '../db/database.ts';

export interface AppEvent {
  kind: string;
  articleId?: number | null;
  readerKey?: string | null;
  detail?: string;
  at: number;
}

export class EventLog {
  private queue: AppEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly opts: { db: Db; flushMs?: number; maxBatch?: number; onError?: (err: unknown) => void }) {}

  record(event: AppEvent): void {
    this.queue.push(event);
    if (this.queue.length >= (this.opts.maxBatch ?? 500)) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.opts.flushMs ?? 1000);
      this.timer.unref();
    }
  }

  /** Writes everything queued so far. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.flushing;
    const batch = this.queue.splice(0, this.queue.length);
    if (batch.length === 0) return;
    this.flushing = (async () => {
      try {
        for (let i = 0; i < batch.length; i += 500) {
          await this.opts.db
            .insertInto('events')
            .values(batch.slice(i, i + 500).map((e) => ({ kind: e.kind, article_id: e.articleId ?? null, reader_key: e.readerKey ?? null, detail: e.detail ?? '', created_at: e.at })))
            .execute();
        }
      } catch (err) {
        this.opts.onError?.(err);
      }
    })();
    await this.flushing;
    this.flushing = null;
  }
}
