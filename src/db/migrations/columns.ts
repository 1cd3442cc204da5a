// Column shapes that differ by dialect, for migrations.
import type { CreateTableBuilder } from 'kysely';
import type { Dialect } from '../database.ts';

/** An auto-incrementing integer primary key in either dialect. */
export function withId<T extends string>(t: CreateTableBuilder<T, never>, dialect: Dialect) {
  return dialect === 'postgres'
    ? t.addColumn('id', 'serial', (c) => c.primaryKey())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
