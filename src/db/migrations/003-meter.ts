// The meter: one row per (reader, window, article) counted. The row id orders a reader's
// views, so an article's place in the window — open or past the limit — is a count.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  let table = db.schema.createTable('meter_views');
  table = dialect === 'postgres' ? table.addColumn('id', 'bigserial', (c) => c.primaryKey()) : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  await table
    .addColumn('reader_key', 'text', (c) => c.notNull())
    .addColumn('window_key', 'text', (c) => c.notNull())
    .addColumn('article_id', 'integer', (c) => c.notNull())
    .addColumn('viewed_at', time, (c) => c.notNull())
    .addUniqueConstraint('meter_views_once', ['reader_key', 'window_key', 'article_id'])
    .execute();

  // Search sees what any reader may read: the whole text of free stories, only the headline
  // and dek of metered and subscriber ones — so a search cannot reveal words past the teaser.
  await db.schema.alterTable('articles').addColumn('search_body', 'text', (c) => c.notNull().defaultTo('')).execute();
  await sql`update articles set search_body = case when access = 'free' then body_text else '' end`.execute(db);
  if (dialect === 'sqlite') {
    await sql`delete from articles_fts`.execute(db);
    await sql`insert into articles_fts (rowid, headline, dek, body) select id, headline, dek, search_body from articles where status = 'published'`.execute(db);
  } else {
    await sql`drop index articles_search`.execute(db);
    await sql`alter table articles drop column search`.execute(db);
    await sql`alter table articles add column search tsvector generated always as (
      setweight(to_tsvector('english', coalesce(headline, '')), 'A') ||
      setweight(to_tsvector('english', coalesce(dek, '')), 'B') ||
      setweight(to_tsvector('english', coalesce(search_body, '')), 'C')) stored`.execute(db);
    await sql`create index articles_search on articles using gin (search)`.execute(db);
  }
}
