// The Weekly: one edition per ISO week of the publication's time zone, built into a PDF and
// an EPUB for subscribers holding `weekly`, and announced through the newsletter path on the
// `weekly` list (closed to sign-ups, sent by hand when an edition is published).
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';
import { withId } from './columns.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';

  await withId(db.schema.createTable('editions'), dialect)
    // ISO week in the publication's time zone, "2026-W47" (Monday to Sunday).
    .addColumn('week', 'text', (c) => c.notNull().unique())
    // 1, 2, … in week order.
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    // Markdown, the editor's introduction.
    .addColumn('intro', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('cover_story_id', 'integer', (c) => c.references('articles.id').onDelete('set null'))
    // JSON array of short strings printed on the cover.
    .addColumn('cover_lines', 'text', (c) => c.notNull().defaultTo('[]'))
    // JSON array of article ids in order once an editor arranged them; null: automatic.
    .addColumn('story_ids', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('published_at', time)
    .addColumn('announced_issue_id', 'integer', (c) => c.references('newsletter_issues.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('editions_status').on('editions').columns(['status', 'week']).execute();

  const last = await db.selectFrom('newsletter_lists').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
  await db.insertInto('newsletter_lists').values({
    slug: 'weekly',
    name: 'The Weekly',
    description: 'The week’s edition, as a PDF and an e-book, every Monday.',
    entitlement: 'weekly',
    is_open_to_signups: 0,
    is_automatic: 0,
    schedule: null,
    is_active: 1,
    position: Number(last?.p ?? 0) + 1,
    created_at: Date.now(),
  }).execute();
}
