// One Kysely instance per dialect behind one type. SQLite (default) is a file in the data
// directory in WAL mode; PostgreSQL is chosen by DATABASE_URL. Dialect differences live in
// small adapters (migrations' column types, search), never in callers.
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, SqliteDialect, PostgresDialect, type Transaction } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /** The raw SQLite connection (online backup, FTS); null on PostgreSQL. */
  sqlite: SQLite.Database | null;
  /** The SQLite file, for side connections (see openSideConnection); null on PostgreSQL. */
  sqliteFile: string | null;
  close(): Promise<void>;
}

// int8 (bigint) columns hold millisecond times, well inside Number's exact range.
pg.types.setTypeParser(20, (v) => Number(v));

export function openDatabase(opts: { databaseUrl: string | null; dataDir: string }): DatabaseHandle {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // An idle client's error (server restart) must not crash the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', sqlite: null, sqliteFile: null, close: () => db.destroy() };
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const file = path.join(opts.dataDir, 'masthead.db');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before it returns, so a webhook answered 2xx (money) survives a
  // power cut; NORMAL in WAL mode may lose the last commits.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // Another process (the CLI importing while the site runs) may hold the write lock briefly.
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const handle: DatabaseHandle = {
    db,
    dialect: 'sqlite',
    sqlite,
    sqliteFile: file,
    async close() {
      sides.get(handle)?.close();
      await db.destroy();
    },
  };
  return handle;
}

/**
 * The second connection to the SQLite file, for the hot writers of the reader's page (meter
 * views, letter impressions, events): raw prepared statements, no query builder, and
 * synchronous=NORMAL — a power cut may lose its last commits, which costs a reader a free
 * article or the analytics a second, never money. Opened on first use, closed with the handle.
 */
export function sideConnection(handle: DatabaseHandle): SQLite.Database {
  if (!handle.sqliteFile) throw new Error('side connections are for SQLite');
  let side = sides.get(handle);
  if (!side) {
    side = new SQLite(handle.sqliteFile);
    side.pragma('journal_mode = WAL');
    side.pragma('synchronous = NORMAL');
    side.pragma('busy_timeout = 5000');
    sides.set(handle, side);
  }
  return side;
}

const sides = new WeakMap<DatabaseHandle, SQLite.Database>();
