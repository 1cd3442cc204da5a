// Letters to readers: the editor's "Dear Reader" appeals, their A/B variants, and each
// reader's last impression of each letter (what the frequency cap reads).
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  const bool = 'integer'; // 0/1 in both dialects: one code path reads it

  let letters = db.schema.createTable('letters');
  letters = dialect === 'postgres' ? letters.addColumn('id', 'serial', (c) => c.primaryKey()) : letters.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  await letters
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('cta_label', 'text', (c) => c.notNull())
    .addColumn('cta_url', 'text', (c) => c.notNull())
    // JSON arrays as text, as elsewhere: reader states, section path prefixes.
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('min_read', 'integer', (c) => c.check(sql`min_read >= 0`))
    .addColumn('sections', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('frequency_days', 'integer', (c) => c.notNull().check(sql`frequency_days >= 0`))
    .addColumn('placement', 'text', (c) => c.notNull().check(sql`placement in ('after-body', 'locked', 'both')`))
    .addColumn('is_active', bool, (c) => c.notNull().defaultTo(1).check(sql`is_active in (0, 1)`))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  let variants = db.schema.createTable('letter_variants');
  variants = dialect === 'postgres' ? variants.addColumn('id', 'serial', (c) => c.primaryKey()) : variants.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  await variants
    .addColumn('letter_id', 'integer', (c) => c.notNull().references('letters.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // Null = the letter's own text.
    .addColumn('title', 'text')
    .addColumn('body_md', 'text')
    .addColumn('cta_label', 'text')
    .addColumn('weight', 'integer', (c) => c.notNull().check(sql`weight >= 0`))
    // Saving a letter matches variants by name, so their ids (which analytics record) stay put.
    .addUniqueConstraint('letter_variants_name', ['letter_id', 'name'])
    .execute();

  await db.schema.createTable('letter_views')
    .addColumn('reader_key', 'text', (c) => c.notNull())
    .addColumn('letter_id', 'integer', (c) => c.notNull().references('letters.id').onDelete('cascade'))
    .addColumn('last_shown_at', time, (c) => c.notNull())
    .addColumn('shows', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('letter_views_pk', ['reader_key', 'letter_id'])
    .execute();
}
