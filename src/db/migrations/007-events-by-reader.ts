// A reader's own events, newest first, for the newsroom's reader page: without this index
// that page would read the whole event log.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('events_reader').on('events').columns(['reader_key', 'created_at']).execute();
}
