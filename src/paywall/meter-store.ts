// Counting metered views, exactly, under concurrency: a view is a row (once per reader,
// window and article), and its place among the reader's rows decides open or locked. On
// SQLite the count runs on the side connection (see sideConnection) inside one synchronous
// transaction; on PostgreSQL a per-reader advisory lock serialises a reader's concurrent views.
import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { sideConnection, type DatabaseHandle } from '../db/database.ts';
import type { MeterFacts } from './meter-policy.ts';

export interface ViewInput {
  readerKey: string;
  windowKey: string;
  /** Views before this instant fall outside the window (rolling windows). */
  since: number;
  articleId: number;
  now: number;
  /** Articles the reader's cookie says they opened before the database knew them. */
  backfill?: number[];
}

export interface MeterStore {
  /** Counts this view once per window and says where the article stands. */
  record(view: ViewInput): Promise<MeterFacts>;
  /** How many articles this reader has counted in the window. */
  used(readerKey: string, windowKey: string, since: number): Promise<number>;
  /** Moves an anonymous reader's views to their account (on sign-in). */
  merge(fromKey: string, toKey: string, windowKey: string, since: number): Promise<void>;
}

export function createMeterStore(handle: DatabaseHandle): MeterStore {
  return handle.dialect === 'sqlite' ? sqliteMeter(sideConnection(handle)) : postgresMeter(handle);
}

function sqliteMeter(db: SQLite.Database): MeterStore {
  const insert = db.prepare('insert into meter_views (reader_key, window_key, article_id, viewed_at) values (?, ?, ?, ?) on conflict do nothing');
  const find = db.prepare<[string, string, number], { id: number; viewed_at: number }>('select id, viewed_at from meter_views where reader_key = ? and window_key = ? and article_id = ?');
  const remove = db.prepare('delete from meter_views where id = ?');
  const rank = db.prepare<[string, string, number, number], { n: number }>('select count(*) as n from meter_views where reader_key = ? and window_key = ? and viewed_at >= ? and id <= ?');
  const count = db.prepare<[string, string, number], { n: number }>('select count(*) as n from meter_views where reader_key = ? and window_key = ? and viewed_at >= ?');
  const moveAll = db.prepare('insert into meter_views (reader_key, window_key, article_id, viewed_at) select ?, window_key, article_id, viewed_at from meter_views where reader_key = ? and window_key = ? and viewed_at >= ? order by id on conflict do nothing');

  const addView = (v: ViewInput, articleId: number): { id: number; isNew: boolean } => {
    const existing = find.get(v.readerKey, v.windowKey, articleId);
    if (existing && existing.viewed_at >= v.since) return { id: existing.id, isNew: false };
    // A view that has left a rolling window counts again, as a new one.
    if (existing) remove.run(existing.id);
    insert.run(v.readerKey, v.windowKey, articleId, v.now);
    return { id: find.get(v.readerKey, v.windowKey, articleId)!.id, isNew: true };
  };

  // A reread (most views of a returning reader) changes nothing: one read, no write lock.
  const reread = db.prepare<[string, string, number, string, string, number, string, string, number, number], { position: number; used: number }>(
    `select
       (select count(*) from meter_views where reader_key = ? and window_key = ? and viewed_at >= ? and id <= v.id) as position,
       (select count(*) from meter_views where reader_key = ? and window_key = ? and viewed_at >= ?) as used
     from meter_views v where v.reader_key = ? and v.window_key = ? and v.article_id = ? and v.viewed_at >= ?`,
  );

  const recordTx = db.transaction((v: ViewInput): MeterFacts => {
    for (const earlier of v.backfill ?? []) if (earlier !== v.articleId) addView(v, earlier);
    const { id, isNew } = addView(v, v.articleId);
    return {
      isCounted: !isNew,
      position: rank.get(v.readerKey, v.windowKey, v.since, id)!.n,
      used: count.get(v.readerKey, v.windowKey, v.since)!.n,
    };
  });
  return {
    async record(v) {
      if (!v.backfill?.length) {
        const seen = reread.get(v.readerKey, v.windowKey, v.since, v.readerKey, v.windowKey, v.since, v.readerKey, v.windowKey, v.articleId, v.since);
        if (seen) return { isCounted: true, position: seen.position, used: seen.used };
      }
      return recordTx.immediate(v);
    },
    async used(readerKey, windowKey, since) {
      return count.get(readerKey, windowKey, since)!.n;
    },
    async merge(fromKey, toKey, windowKey, since) {
      moveAll.run(toKey, fromKey, windowKey, since);
    },
  };
}

function postgresMeter(handle: DatabaseHandle): MeterStore {
  const { db } = handle;
  return {
    async record(v) {
      return db.transaction().execute(async (tx) => {
        // One reader's views one at a time: ids then commit in the order they are ranked.
        await sql`select pg_advisory_xact_lock(hashtext(${v.readerKey}))`.execute(tx);
        const add = async (articleId: number) => {
          const existing = await tx.selectFrom('meter_views').select(['id', 'viewed_at']).where('reader_key', '=', v.readerKey).where('window_key', '=', v.windowKey).where('article_id', '=', articleId).executeTakeFirst();
          if (existing && existing.viewed_at >= v.since) return { id: existing.id, isNew: false };
          if (existing) await tx.deleteFrom('meter_views').where('id', '=', existing.id).execute();
          const row = await tx.insertInto('meter_views').values({ reader_key: v.readerKey, window_key: v.windowKey, article_id: articleId, viewed_at: v.now }).returning('id').executeTakeFirstOrThrow();
          return { id: row.id, isNew: true };
        };
        for (const earlier of v.backfill ?? []) if (earlier !== v.articleId) await add(earlier);
        const { id, isNew } = await add(v.articleId);
        const counts = await tx
          .selectFrom('meter_views')
          .select((eb) => [eb.fn.countAll<number>().as('used'), eb.fn.sum<number>(eb.case().when('id', '<=', id).then(1).else(0).end()).as('position')])
          .where('reader_key', '=', v.readerKey)
          .where('window_key', '=', v.windowKey)
          .where('viewed_at', '>=', v.since)
          .executeTakeFirstOrThrow();
        return { isCounted: !isNew, position: Number(counts.position), used: Number(counts.used) };
      });
    },
    async used(readerKey, windowKey, since) {
      const row = await db.selectFrom('meter_views').select((eb) => eb.fn.countAll<number>().as('n')).where('reader_key', '=', readerKey).where('window_key', '=', windowKey).where('viewed_at', '>=', since).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async merge(fromKey, toKey, windowKey, since) {
      await sql`insert into meter_views (reader_key, window_key, article_id, viewed_at)
        select ${toKey}, window_key, article_id, viewed_at from meter_views
        where reader_key = ${fromKey} and window_key = ${windowKey} and viewed_at >= ${since} order by id
        on conflict do nothing`.execute(db);
    },
  };
}
