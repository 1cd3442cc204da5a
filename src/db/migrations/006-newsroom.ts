// The newsroom app: who started a story and when it was handed in for editing, the audit
// log of what staff did, the curated front page, and authors' photos.
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';
import { withId } from './columns.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema.alterTable('articles').addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null')).execute();
  await db.schema.alterTable('articles').addColumn('submitted_at', time).execute();
  await db.schema.alterTable('authors').addColumn('photo_image_id', 'text', (c) => c.references('images.id').onDelete('set null')).execute();

  await withId(db.schema.createTable('audit_log'), dialect)
    .addColumn('at', time, (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('article_id', 'integer', (c) => c.references('articles.id').onDelete('set null'))
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_article').on('audit_log').columns(['article_id', 'at']).execute();

  // Slot 0 is the lead story; 1..n the top stories in order.
  await db.schema.createTable('front_page')
    .addColumn('slot', 'integer', (c) => c.primaryKey())
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .execute();
}
