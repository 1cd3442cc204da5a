// Letter impressions on the reader's page: when did this reader last see each letter (the
// frequency cap), and "they saw one now". Asked on most page views of a reader the meter
// has counted twice or more, so on SQLite it is two prepared statements on the side
// connection (see sideConnection), not a query builder; on PostgreSQL the store's queries.
// A reader's impressions are remembered for a minute, as a reader reads several pages in a
// row: another process's impression may be missed for that long, and the cap is a courtesy.
import type SQLite from 'better-sqlite3';
import { sideConnection, type DatabaseHandle } from '../db/database.ts';
import { lastShown, recordShown } from './letter-store.ts';

export interface LetterViews {
  /** When this reader last saw each letter: letter id → ms since the epoch. */
  lastShown(readerKey: string): Promise<Map<number, number>>;
  /** Records an impression now (an upsert: safe under concurrency). */
  recordShown(readerKey: string, letterId: number, now: number): Promise<void>;
}

export function createLetterViews(handle: DatabaseHandle, opts: { clock?: () => number } = {}): LetterViews {
  if (handle.dialect === 'sqlite') return remembered(sqliteLetterViews(sideConnection(handle)), opts.clock ?? Date.now);
  const { db } = handle;
  return remembered(
    {
      lastShown: (readerKey) => lastShown(db, readerKey),
      recordShown: (readerKey, letterId, now) => recordShown(db, readerKey, letterId, now),
    },
    opts.clock ?? Date.now,
  );
}

const REMEMBER_MS = 60_000;
const MAX_READERS = 10_000;

function remembered(store: LetterViews, clock: () => number): LetterViews {
  const recent = new Map<string, { shown: Map<number, number>; until: number }>();
  return {
    async lastShown(readerKey) {
      const hit = recent.get(readerKey);
      if (hit && hit.until > clock()) return new Map(hit.shown);
      const shown = await store.lastShown(readerKey);
      if (recent.size >= MAX_READERS) recent.clear();
      recent.set(readerKey, { shown, until: clock() + REMEMBER_MS });
      return new Map(shown);
    },
    async recordShown(readerKey, letterId, now) {
      await store.recordShown(readerKey, letterId, now);
      recent.get(readerKey)?.shown.set(letterId, now);
    },
  };
}

function sqliteLetterViews(side: SQLite.Database): LetterViews {
  const select = side.prepare<[string], { letter_id: number; last_shown_at: number }>('select letter_id, last_shown_at from letter_views where reader_key = ?');
  const upsert = side.prepare(
    'insert into letter_views (reader_key, letter_id, last_shown_at, shows) values (?, ?, ?, 1) on conflict (reader_key, letter_id) do update set last_shown_at = excluded.last_shown_at, shows = letter_views.shows + 1',
  );
  return {
    async lastShown(readerKey) {
      const map = new Map<number, number>();
      for (const row of select.all(readerKey)) map.set(row.letter_id, Number(row.last_shown_at));
      return map;
    },
    async recordShown(readerKey, letterId, now) {
      upsert.run(readerKey, letterId, now);
    },
  };
}
