// Links that open the gate (gift links from subscribers, print QR codes) and the event log
// the analytics read.
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema.createTable('gate_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('issuer_reader_id', 'integer', (c) => c.references('readers.id').onDelete('set null'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('revoked_at', time)
    .execute();
  await db.schema.createIndex('gate_links_issuer').on('gate_links').columns(['issuer_reader_id', 'kind', 'created_at']).execute();

  let events = db.schema.createTable('events');
  events = dialect === 'postgres' ? events.addColumn('id', 'bigserial', (c) => c.primaryKey()) : events.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  await events
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('article_id', 'integer')
    .addColumn('reader_key', 'text')
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_kind_time').on('events').columns(['kind', 'created_at']).execute();
  await db.schema.createIndex('events_article').on('events').columns(['article_id', 'kind']).execute();
}
