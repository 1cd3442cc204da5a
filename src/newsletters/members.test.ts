import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type DatabaseHandle, type Db } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { seedDemoCatalog } from '../billing/catalog.ts';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { CONFIRM_TTL_MS, SIGNUP_LIMITS, confirmSignup, listState, moveReaderMemberships, peekSignup, readerLists, resubscribe, setReaderLists, signUp, unsubscribe } from './members.ts';
import { isSuppressed, suppress } from './suppression.ts';
import { getList } from './lists.ts';
import type { NewsletterList } from './types.ts';

const NOW = Date.parse('2026-11-20T15:00:00Z');
const DAY = 86_400_000;
const MAIL = { publicationName: 'The Test Courier', publicUrl: 'https://news.example.com', timeZone: 'America/New_York' };

const LIST: NewsletterList = { id: 1, slug: 'daily', name: 'The Daily', description: '', entitlement: 'daily', isOpenToSignups: true, isAutomatic: true, schedule: null, isActive: true, position: 0 };

describe('a reader’s state on a list', () => {
  it('receives as an active member, else through the entitlement unless opted out', () => {
    const cases: [string, { status: 'pending' | 'active' | 'unsubscribed' } | undefined, boolean, boolean, 'member' | 'entitlement' | null][] = [
      ['no row, no entitlement', undefined, false, false, null],
      ['no row, entitled', undefined, true, true, 'entitlement'],
      ['active member', { status: 'active' }, false, true, 'member'],
      ['active member, entitled', { status: 'active' }, true, true, 'member'],
      ['pending, not entitled', { status: 'pending' }, false, false, null],
      ['pending, entitled', { status: 'pending' }, true, true, 'entitlement'],
      ['opted out, entitled', { status: 'unsubscribed' }, true, false, null],
      ['unsubscribed member', { status: 'unsubscribed' }, false, false, null],
    ];
    for (const [name, row, isEntitled, isReceiving, via] of cases) {
      assert.deepEqual(listState(LIST, row, isEntitled), { list: LIST, isReceiving, via }, name);
    }
  });
});

/** The token in the newest confirmation message to `email`. */
async function confirmToken(db: Db, email: string): Promise<string> {
  const mail = await db.selectFrom('mail_outbox').selectAll().where('to_address', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const m = /\/newsletters\/confirm\?t=([A-Za-z0-9_-]+)/.exec(mail.text_body);
  assert.ok(m, 'the message carries a confirmation link');
  return decodeURIComponent(m[1]);
}

for (const dialect of DIALECTS) {
  describe(`list members (${dialect})`, () => {
    let database: TestDatabase;
    let handle: DatabaseHandle;
    let daily: NewsletterList;
    let closedId: number;
    let ip = 0;
    const clientKey = () => `10.0.0.${++ip}`;
    let db: Db;

    before(async () => {
      database = await createTestDatabase(dialect);
      handle = openDatabase({ databaseUrl: database.databaseUrl, dataDir: database.dataDir });
      await migrate(handle);
      db = handle.db;
      await seedDemoCatalog(db);
      daily = (await getList(db, { slug: 'daily' }))!;
      closedId = (await db.insertInto('newsletter_lists').values({ slug: 'insiders', name: 'Insiders', description: '', entitlement: 'weekly', is_open_to_signups: 0, is_automatic: 0, schedule: null, is_active: 1, position: 1, created_at: NOW }).returning('id').executeTakeFirstOrThrow()).id;
    });
    after(async () => {
      await handle.close();
      await database.drop();
    });

    const member = (email: string, listId = daily.id) => db.selectFrom('list_members').selectAll().where('list_id', '=', listId).where('email', '=', email).executeTakeFirst();
    const mailCount = async (email: string) => (await db.selectFrom('mail_outbox').select('id').where('to_address', '=', email).execute()).length;

    it('refuses bad addresses and closed or unknown lists, writing nothing', async () => {
      assert.deepEqual(await signUp(db, { listId: daily.id, email: 'not an address', clientKey: clientKey(), mail: MAIL }, NOW), { ok: false, reason: 'invalid-email' });
      assert.deepEqual(await signUp(db, { listId: closedId, email: 'dee@example.com', clientKey: clientKey(), mail: MAIL }, NOW), { ok: false, reason: 'list-closed' });
      assert.deepEqual(await signUp(db, { listId: 9999, email: 'dee@example.com', clientKey: clientKey(), mail: MAIL }, NOW), { ok: false, reason: 'list-closed' });
      assert.equal(await member('dee@example.com'), undefined);
      assert.equal(await mailCount('dee@example.com'), 0);
    });

    it('signs up by double opt-in: pending with a hashed token, confirmed once, lower-cased', async () => {
      const result = await signUp(db, { listId: daily.id, email: '  Eve@Example.COM ', clientKey: clientKey(), mail: MAIL }, NOW);
      assert.deepEqual(result, { ok: true, state: 'confirmation-sent' });
      const row = (await member('eve@example.com'))!;
      assert.equal(row.status, 'pending');
      assert.equal(row.source, 'site');
      assert.equal(row.confirm_expires_at, NOW + CONFIRM_TTL_MS);
      const token = await confirmToken(db, 'eve@example.com');
      assert.notEqual(row.confirm_token_hash, token, 'only the hash is stored');
      const mail = await db.selectFrom('mail_outbox').selectAll().where('to_address', '=', 'eve@example.com').executeTakeFirstOrThrow();
      assert.match(mail.subject, /Confirm your sign-up to The Daily/);
      assert.match(mail.html_body, /Confirm sign-up/);

      const peek = await peekSignup(db, token, NOW);
      assert.ok(peek.ok && peek.email === 'eve@example.com' && peek.list.id === daily.id);
      assert.equal((await member('eve@example.com'))!.status, 'pending', 'peeking changes nothing');
      const confirmed = await confirmSignup(db, token, NOW + DAY);
      assert.ok(confirmed.ok && confirmed.list.slug === 'daily');
      const active = (await member('eve@example.com'))!;
      assert.equal(active.status, 'active');
      assert.equal(active.confirmed_at, NOW + DAY);
      assert.equal(active.confirm_token_hash, null);
      assert.deepEqual(await confirmSignup(db, token, NOW + DAY), { ok: false, reason: 'invalid' }, 'a link works once');
      assert.deepEqual(await confirmSignup(db, 'made-up', NOW), { ok: false, reason: 'invalid' });
      assert.deepEqual(await confirmSignup(db, '', NOW), { ok: false, reason: 'invalid' });
    });

    it('leaves an active member as they are and sends them nothing', async () => {
      const before = await mailCount('eve@example.com');
      assert.deepEqual(await signUp(db, { listId: daily.id, email: 'eve@example.com', clientKey: clientKey(), mail: MAIL }, NOW + 2 * DAY), { ok: true, state: 'already-active' });
      assert.equal(await mailCount('eve@example.com'), before);
      assert.equal((await member('eve@example.com'))!.status, 'active');
    });

    it('expires links after seven days; signing up again issues a new one and the old one stops working', async () => {
      await signUp(db, { listId: daily.id, email: 'fay@example.com', clientKey: clientKey(), mail: MAIL }, NOW);
      const first = await confirmToken(db, 'fay@example.com');
      assert.deepEqual(await confirmSignup(db, first, NOW + CONFIRM_TTL_MS), { ok: false, reason: 'expired' });
      assert.equal((await member('fay@example.com'))!.status, 'pending');
      await signUp(db, { listId: daily.id, email: 'fay@example.com', clientKey: clientKey(), mail: MAIL }, NOW + 8 * DAY);
      const second = await confirmToken(db, 'fay@example.com');
      assert.notEqual(second, first);
      assert.deepEqual(await confirmSignup(db, first, NOW + 8 * DAY), { ok: false, reason: 'invalid' });
      assert.ok((await confirmSignup(db, second, NOW + 8 * DAY)).ok);
    });

    it('limits sign-ups per address and per client', async () => {
      const email = 'gus@example.com';
      for (let i = 0; i < SIGNUP_LIMITS.perAddress.limit; i++) {
        assert.equal((await signUp(db, { listId: daily.id, email, clientKey: clientKey(), mail: MAIL }, NOW)).ok, true);
      }
      assert.deepEqual(await signUp(db, { listId: daily.id, email: 'GUS@example.com', clientKey: clientKey(), mail: MAIL }, NOW), { ok: false, reason: 'rate-limited' });
      assert.equal(await mailCount(email), SIGNUP_LIMITS.perAddress.limit);
      assert.equal((await signUp(db, { listId: daily.id, email, clientKey: clientKey(), mail: MAIL }, NOW + 3_600_000)).ok, true, 'a new window');
      for (let i = 0; i < SIGNUP_LIMITS.perClient.limit; i++) await signUp(db, { listId: daily.id, email: `bulk${i}@example.com`, clientKey: '192.0.2.1', mail: MAIL }, NOW);
      assert.deepEqual(await signUp(db, { listId: daily.id, email: 'one-more@example.com', clientKey: '192.0.2.1', mail: MAIL }, NOW), { ok: false, reason: 'rate-limited' });
      assert.equal(await member('one-more@example.com'), undefined);
    });

    it('unsubscribes idempotently, records an entitled reader’s opt-out, and undoes either', async () => {
      const first = await unsubscribe(db, { listId: daily.id, email: 'eve@example.com' }, NOW + 3 * DAY);
      assert.ok(first.ok && first.wasMember && first.list.id === daily.id);
      const again = await unsubscribe(db, { listId: daily.id, email: 'eve@example.com' }, NOW + 4 * DAY);
      assert.ok(again.ok && !again.wasMember);
      const row = (await member('eve@example.com'))!;
      assert.equal(row.status, 'unsubscribed');
      assert.equal(row.unsubscribed_at, NOW + 3 * DAY, 'the first unsubscribe is the one remembered');

      const optOut = await unsubscribe(db, { listId: daily.id, email: 'subscriber@example.com' }, NOW);
      assert.ok(optOut.ok && !optOut.wasMember);
      assert.equal((await member('subscriber@example.com'))!.source, 'unsubscribe');
      assert.deepEqual(await unsubscribe(db, { listId: 9999, email: 'eve@example.com' }, NOW), { ok: false, reason: 'unknown-list' });

      assert.ok((await resubscribe(db, { listId: daily.id, email: 'eve@example.com' }, NOW + 5 * DAY)).ok);
      assert.equal((await member('eve@example.com'))!.status, 'active');
      assert.ok((await resubscribe(db, { listId: daily.id, email: 'subscriber@example.com' }, NOW)).ok);
      assert.equal(await member('subscriber@example.com'), undefined, 'back to following the entitlement');
    });

    it('a re-sign-up after unsubscribing needs a new opt-in, which lifts an earlier suppression', async () => {
      await unsubscribe(db, { listId: daily.id, email: 'fay@example.com' }, NOW + 9 * DAY);
      assert.deepEqual(await signUp(db, { listId: daily.id, email: 'fay@example.com', clientKey: clientKey(), mail: MAIL }, NOW + 9 * DAY), { ok: true, state: 'confirmation-sent' });
      const link = await confirmToken(db, 'fay@example.com');
      await suppress(db, 'fay@example.com', 'hard-bounce', 'mailbox full for good', NOW + 9 * DAY);
      assert.equal((await member('fay@example.com'))!.status, 'pending');
      assert.equal(await isSuppressed(db, 'fay@example.com'), true);
      assert.ok((await confirmSignup(db, link, NOW + 10 * DAY)).ok);
      assert.equal(await isSuppressed(db, 'fay@example.com'), false);
    });

    it('sends no confirmation to a suppressed address and changes nothing; a link sent before still works', async () => {
      const email = 'kim@example.com';
      assert.deepEqual(await signUp(db, { listId: daily.id, email, clientKey: clientKey(), mail: MAIL }, NOW), { ok: true, state: 'confirmation-sent' });
      const link = await confirmToken(db, email);
      const pending = (await member(email))!;
      await suppress(db, email, 'complaint', 'reported as spam', NOW);
      assert.deepEqual(await signUp(db, { listId: daily.id, email: 'Kim@example.com', clientKey: clientKey(), mail: MAIL }, NOW + DAY), { ok: true, state: 'suppressed' });
      assert.equal(await mailCount(email), 1, 'no second message');
      assert.deepEqual(await member(email), pending);
      await suppress(db, 'lou@example.com', 'hard-bounce', 'no such mailbox', NOW);
      assert.deepEqual(await signUp(db, { listId: daily.id, email: 'lou@example.com', clientKey: clientKey(), mail: MAIL }, NOW), { ok: true, state: 'suppressed' });
      assert.equal(await member('lou@example.com'), undefined);
      assert.equal(await mailCount('lou@example.com'), 0);
      assert.ok((await confirmSignup(db, link, NOW + DAY)).ok);
    });

    it('shows a reader their lists and saves their choices without an opt-in message', async () => {
      const plan = await db.selectFrom('plans').select('id').where('slug', '=', 'weekly').executeTakeFirstOrThrow();
      const reader = await db.insertInto('readers').values({ email: 'hal@example.com', name: 'Hal', newsletters: '[]', provider_customer_id: null, created_at: NOW, last_login_at: null }).returning(['id', 'email']).executeTakeFirstOrThrow();
      const free = await db.insertInto('readers').values({ email: 'ida@example.com', name: '', newsletters: '[]', provider_customer_id: null, created_at: NOW, last_login_at: null }).returning(['id', 'email']).executeTakeFirstOrThrow();
      const summary = async (r: { id: number; email: string }) => (await readerLists(db, r, NOW)).map((s) => `${s.list.slug}:${s.isReceiving ? s.via : 'off'}`);

      assert.deepEqual(await summary(free), ['daily:off'], 'a closed list is not offered without its entitlement');
      await setReaderLists(db, free, [daily.id, closedId], NOW);
      assert.deepEqual(await summary(free), ['daily:member']);
      assert.equal((await member('ida@example.com'))!.source, 'account');
      assert.equal(await member('ida@example.com', closedId), undefined, 'ticking a list one may not join does nothing');
      assert.equal(await mailCount('ida@example.com'), 0);

      await db.insertInto('subscriptions').values({ reader_id: reader.id, plan_id: plan.id, provider: 'demo', provider_subscription_id: 'sub_hal', provider_customer_id: 'cus_hal', status: 'active', current_period_start: NOW - DAY, current_period_end: NOW + 20 * DAY, cancel_at_period_end: 0, trial_end: null, past_due_since: null, ended_at: null, ending_notice_sent_for: null, created_at: NOW, updated_at: NOW }).execute();
      assert.deepEqual(await summary(reader), ['daily:entitlement', 'weekly:entitlement', 'insiders:entitlement']);
      await setReaderLists(db, reader, [closedId], NOW);
      assert.deepEqual(await summary(reader), ['daily:off', 'weekly:off', 'insiders:entitlement']);
      assert.equal((await member('hal@example.com'))!.source, 'unsubscribe');
      await setReaderLists(db, reader, [daily.id, closedId], NOW);
      assert.deepEqual(await summary(reader), ['daily:entitlement', 'weekly:off', 'insiders:entitlement']);
      assert.equal(await member('hal@example.com'), undefined);

      // A new address: the lists follow the reader.
      await setReaderLists(db, free, [], NOW);
      await setReaderLists(db, free, [daily.id], NOW + 1);
      await db.updateTable('readers').set({ email: 'ida.new@example.com' }).where('id', '=', free.id).execute();
      await db.transaction().execute((tx) => moveReaderMemberships(tx, { id: free.id, email: 'ida.new@example.com' }));
      assert.equal(await member('ida@example.com'), undefined);
      assert.equal((await member('ida.new@example.com'))!.status, 'active');
      assert.deepEqual(await summary({ id: free.id, email: 'ida.new@example.com' }), ['daily:member']);
    });
  });
}
