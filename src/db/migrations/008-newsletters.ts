// Newsletters: lists (the Daily and the ones editors create), who is on them, the issues
// sent, the durable per-recipient outbox of each issue, and the suppression list fed by
// bounces and complaints. Readers' old newsletter choices move onto the Daily's list.
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';
import { withId } from './columns.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';

  await withId(db.schema.createTable('newsletter_lists'), dialect)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    // Readers holding this entitlement receive the list unless they opted out (null: none do).
    .addColumn('entitlement', 'text')
    // Anyone may sign up with an e-mail address (confirmed by double opt-in).
    .addColumn('is_open_to_signups', 'integer', (c) => c.notNull().defaultTo(1))
    // Issues composed from the day's stories and sent on the schedule (the Daily).
    .addColumn('is_automatic', 'integer', (c) => c.notNull().defaultTo(0))
    // JSON {"days":[1,2,3,4,5],"time":"06:00"} in the publication's time zone; null: sent by hand.
    .addColumn('schedule', 'text')
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('list_members'), dialect)
    .addColumn('list_id', 'integer', (c) => c.notNull().references('newsletter_lists.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('reader_id', 'integer', (c) => c.references('readers.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('confirm_token_hash', 'text')
    .addColumn('confirm_expires_at', time)
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('confirmed_at', time)
    .addColumn('unsubscribed_at', time)
    .addUniqueConstraint('list_members_list_email', ['list_id', 'email'])
    .execute();
  await db.schema.createIndex('list_members_reader').on('list_members').column('reader_id').execute();
  await db.schema.createIndex('list_members_token').on('list_members').column('confirm_token_hash').execute();

  await withId(db.schema.createTable('newsletter_issues'), dialect)
    .addColumn('list_id', 'integer', (c) => c.notNull().references('newsletter_lists.id').onDelete('cascade'))
    // The Daily's date (YYYY-MM-DD) or, for a list sent by hand, the date with a counter.
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('issue_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('intro', 'text', (c) => c.notNull().defaultTo(''))
    // JSON array of article ids in order, once an editor has arranged them; null: automatic.
    .addColumn('story_ids', 'text')
    // JSON snapshot of what was sent, frozen when the issue is queued.
    .addColumn('content', 'text')
    .addColumn('send_at', time)
    .addColumn('queued_at', time)
    .addColumn('finished_at', time)
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addUniqueConstraint('newsletter_issues_list_slug', ['list_id', 'slug'])
    .execute();
  await db.schema.createIndex('newsletter_issues_status').on('newsletter_issues').columns(['status', 'send_at']).execute();

  await withId(db.schema.createTable('newsletter_sends'), dialect)
    .addColumn('issue_id', 'integer', (c) => c.notNull().references('newsletter_issues.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('reader_id', 'integer')
    .addColumn('is_entitled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', time, (c) => c.notNull())
    .addColumn('lease_until', time)
    // Random per sender pass, set when the row is claimed: every later update of the claim
    // names it, so a sender whose lease ran out and was taken over cannot touch the row.
    .addColumn('claim_token', 'text')
    // Set just before the sender hands the copy to the mail server, cleared once it is known
    // not to have gone out: a row taken again with it set may have been delivered already.
    .addColumn('handed_at', time)
    // How often the row was taken again while it may already have gone out (in flight).
    .addColumn('resends', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('sent_at', time)
    .addUniqueConstraint('newsletter_sends_issue_email', ['issue_id', 'email'])
    .execute();
  await db.schema.createIndex('newsletter_sends_due').on('newsletter_sends').columns(['issue_id', 'status', 'next_attempt_at']).execute();

  await db.schema.createTable('mail_suppressions')
    .addColumn('email', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  // Each bounce or complaint report once, by the reporting service's id.
  await db.schema.createTable('mail_feedback')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('received_at', time, (c) => c.notNull())
    .execute();

  const createdAt = Date.now();
  await db.insertInto('newsletter_lists').values({
    slug: 'daily',
    name: 'The Daily',
    description: 'The day’s best stories, every weekday morning.',
    entitlement: 'daily',
    is_open_to_signups: 1,
    is_automatic: 1,
    schedule: JSON.stringify({ days: [1, 2, 3, 4, 5], time: '06:00' }),
    is_active: 1,
    position: 0,
    created_at: createdAt,
  }).execute();
  const daily = await db.selectFrom('newsletter_lists').select('id').where('slug', '=', 'daily').executeTakeFirstOrThrow();
  const readers = await db.selectFrom('readers').select(['id', 'email', 'newsletters']).execute();
  for (const r of readers) {
    let chosen: unknown = [];
    try {
      chosen = JSON.parse(r.newsletters);
    } catch {
      // A malformed choice is no choice.
    }
    if (!Array.isArray(chosen) || !chosen.includes('daily')) continue;
    await db.insertInto('list_members').values({
      list_id: daily.id, email: String(r.email).toLowerCase(), reader_id: r.id, status: 'active', confirm_token_hash: null, confirm_expires_at: null,
      source: 'account', created_at: createdAt, confirmed_at: createdAt, unsubscribed_at: null,
    }).execute();
  }
}
