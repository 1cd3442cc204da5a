// Readers, sessions and sign-in tokens; staff lock-out; rate limits; plans, offers, coupons,
// subscriptions, payments, gifts and provider events; the transactional mail outbox; and the
// demo payment provider's own records.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.ts';
import { withId } from './columns.ts';

type Db = Kysely<any>;

export async function up(db: Db, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  const bool = 'integer'; // 0/1 in both dialects: one code path reads it

  await withId(db.schema.createTable('readers'), dialect)
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('newsletters', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('provider_customer_id', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('last_login_at', time)
    .execute();

  await withId(db.schema.createTable('login_tokens'), dialect)
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('login', 'email-change')`))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('reader_id', 'integer', (c) => c.references('readers.id').onDelete('cascade'))
    .addColumn('return_to', 'text', (c) => c.notNull().defaultTo('/account'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('used_at', time)
    .execute();

  await withId(db.schema.createTable('sessions'), dialect)
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('reader_id', 'integer', (c) => c.references('readers.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('revoked_at', time)
    .execute();
  await db.schema.createIndex('sessions_reader').on('sessions').column('reader_id').execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema.alterTable('users').addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('locked_until', time).execute();

  await db.schema.createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_start', time, (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('plans'), dialect)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('price_cents', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('billing_interval', 'text', (c) => c.notNull().check(sql`billing_interval in ('month', 'year')`))
    .addColumn('entitlements', 'text', (c) => c.notNull())
    .addColumn('is_active', bool, (c) => c.notNull().defaultTo(1))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  // Which provider price sells which plan: events name prices, not plans.
  await db.schema.createTable('plan_prices')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('price_id', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
    .addPrimaryKeyConstraint('plan_prices_pk', ['provider', 'price_id'])
    .execute();

  await withId(db.schema.createTable('offers'), dialect)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('intro_total_cents', 'integer')
    .addColumn('intro_months', 'integer')
    .addColumn('trial_days', 'integer')
    .addColumn('is_active', bool, (c) => c.notNull().defaultTo(1))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema.createTable('coupons')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('percent_off', 'integer')
    .addColumn('amount_off_cents', 'integer')
    .addColumn('duration', 'text', (c) => c.notNull().check(sql`duration in ('once', 'repeating', 'forever')`))
    .addColumn('duration_months', 'integer')
    .addColumn('max_redemptions', 'integer')
    .addColumn('redeemed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', time)
    .addColumn('is_active', bool, (c) => c.notNull().defaultTo(1))
    .execute();

  await withId(db.schema.createTable('subscriptions'), dialect)
    .addColumn('reader_id', 'integer', (c) => c.notNull().references('readers.id').onDelete('cascade'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('provider_subscription_id', 'text', (c) => c.notNull())
    .addColumn('provider_customer_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('current_period_start', time, (c) => c.notNull())
    .addColumn('current_period_end', time, (c) => c.notNull())
    .addColumn('cancel_at_period_end', bool, (c) => c.notNull().defaultTo(0))
    .addColumn('trial_end', time)
    .addColumn('past_due_since', time)
    .addColumn('ended_at', time)
    .addColumn('ending_notice_sent_for', time)
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addUniqueConstraint('subscriptions_provider_id', ['provider', 'provider_subscription_id'])
    .execute();
  await db.schema.createIndex('subscriptions_reader').on('subscriptions').column('reader_id').execute();

  await withId(db.schema.createTable('payments'), dialect)
    .addColumn('reader_id', 'integer', (c) => c.references('readers.id').onDelete('set null'))
    .addColumn('subscription_id', 'integer', (c) => c.references('subscriptions.id').onDelete('set null'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('provider_payment_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addUniqueConstraint('payments_provider_id', ['provider', 'provider_payment_id', 'status'])
    .execute();

  await db.schema.createTable('provider_events')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('received_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('provider_events_pk', ['provider', 'event_id'])
    .execute();

  await withId(db.schema.createTable('checkouts'), dialect)
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('provider_checkout_id', 'text', (c) => c.notNull())
    .addColumn('reader_id', 'integer', (c) => c.references('readers.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('subscription', 'gift')`))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
    .addColumn('offer_id', 'integer', (c) => c.references('offers.id'))
    .addColumn('coupon_code', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addUniqueConstraint('checkouts_provider_id', ['provider', 'provider_checkout_id'])
    .execute();

  await withId(db.schema.createTable('gifts'), dialect)
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
    .addColumn('months', 'integer', (c) => c.notNull())
    .addColumn('purchaser_email', 'text', (c) => c.notNull())
    .addColumn('purchaser_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('recipient_email', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'paid', 'redeemed')`))
    .addColumn('provider_checkout_id', 'text')
    .addColumn('redeemed_by', 'integer', (c) => c.references('readers.id').onDelete('set null'))
    .addColumn('starts_at', time)
    .addColumn('ends_at', time)
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('gifts_checkout').on('gifts').column('provider_checkout_id').execute();
  await db.schema.createIndex('gifts_redeemed_by').on('gifts').column('redeemed_by').execute();

  // Transactional mail: a row in the same transaction as the change it reports, sent after
  // commit; the dedupe key makes a replayed event's mail a no-op.
  await withId(db.schema.createTable('mail_outbox'), dialect)
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'sent', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', time, (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('sent_at', time)
    .execute();
  await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['status', 'next_attempt_at']).execute();

  // The demo payment provider keeps its own books, as a real provider would.
  await db.schema.createTable('demo_billing')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('demo_billing_kind').on('demo_billing').column('kind').execute();
  await withId(db.schema.createTable('demo_deliveries'), dialect)
    .addColumn('event_id', 'text', (c) => c.notNull().unique())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', time, (c) => c.notNull())
    .addColumn('delivered_at', time)
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
}
