// Versioned migrations, applied in order at start-up and by `masthead migrate`. Each runs in
// a transaction with its bookkeeping row; PostgreSQL serialises concurrent starters with an
// advisory lock, SQLite with its write lock.
import { sql } from 'kysely';
import type { DatabaseHandle, Dialect } from './database.ts';
import * as m001 from './migrations/001-content.ts';
import * as m002 from './migrations/002-accounts-billing.ts';
import * as m003 from './migrations/003-meter.ts';
import * as m004 from './migrations/004-letters.ts';
import * as m005 from './migrations/005-gates-events.ts';
import * as m006 from './migrations/006-newsroom.ts';
import * as m007 from './migrations/007-events-by-reader.ts';
import * as m008 from './migrations/008-newsletters.ts';
import * as m009 from './migrations/009-editions.ts';
import * as m010 from './migrations/010-edition-snapshot.ts';

interface Migration {
  name: string;
  up(db: any, dialect: Dialect): Promise<void>;
}

export const migrations: Migration[] = [
  { name: '001-content', up: m001.up },
  { name: '002-accounts-billing', up: m002.up },
  { name: '003-meter', up: m003.up },
  { name: '004-letters', up: m004.up },
  { name: '005-gates-events', up: m005.up },
  { name: '006-newsroom', up: m006.up },
  { name: '007-events-by-reader', up: m007.up },
  { name: '008-newsletters', up: m008.up },
  { name: '009-editions', up: m009.up },
  { name: '010-edition-snapshot', up: m010.up },
];

export async function migrate(handle: DatabaseHandle): Promise<string[]> {
  const { db, dialect } = handle;
  await db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
    .execute();
  const applied: string[] = [];
  for (const migration of migrations) {
    const didApply = await db.transaction().execute(async (tx) => {
      if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7243001)`.execute(tx);
      const done = await sql<{ name: string }>`select name from schema_migrations where name = ${migration.name}`.execute(tx);
      if (done.rows.length > 0) return false;
      await migration.up(tx, dialect);
      await sql`insert into schema_migrations (name, applied_at) values (${migration.name}, ${Date.now()})`.execute(tx);
      return true;
    });
    if (didApply) applied.push(migration.name);
  }
  return applied;
}
