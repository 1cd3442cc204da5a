// A signed-in reader's own events, newest first, for the newsroom's reader page. Partial:
// only events keyed to an account ('r:…') are indexed, so the anonymous page views that make
// up most of the log cost no extra write. Queries repeat the index's range to use it.
import { sql, type Kysely } from 'kysely';

export const ACCOUNT_KEYS = { from: 'r:', to: 'r;' } as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index events_reader on events (reader_key, created_at) where reader_key >= ${sql.lit(ACCOUNT_KEYS.from)} and reader_key < ${sql.lit(ACCOUNT_KEYS.to)}`.execute(db);
}
