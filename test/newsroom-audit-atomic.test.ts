// Every audited newsroom change commits with its audit entry or not at all, on both
// databases. The entry is made to fail for real: its actor is a staff account that no longer
// exists (removed while their request ran), so audit_log's foreign key refuses the row. The
// change must then be rolled back with it — no settings change, letter, staff member or
// complimentary subscription without its entry.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, type TestApp } from './support/app.ts';
import { createBillingMail } from '../src/billing/billing-mail.ts';
import { seedDemoCatalog, planById } from '../src/billing/catalog.ts';
import { getPublication } from '../src/content/publication.ts';
import { getPolicy } from '../src/paywall/policy-store.ts';
import { updatePublication } from '../src/admin/settings/publication-settings.ts';
import { updatePolicy } from '../src/admin/settings/paywall-settings.ts';
import { saveLetterFromNewsroom } from '../src/admin/settings/letter-settings.ts';
import { addStaff } from '../src/admin/staff/staff-store.ts';
import { grantComplimentaryToReader } from '../src/admin/readers/reader-actions.ts';
import { createStaffUser } from '../src/accounts/staff.ts';

const GONE = { id: 999_999, email: 'removed-admin@example.com' };

for (const dialect of DIALECTS) {
  describe(`newsroom audit entries commit with their change (${dialect})`, () => {
    let t: TestApp;
    let admin: { id: number; email: string };
    before(async () => {
      t = await startTestApp(dialect);
      await seedDemoCatalog(t.app.database.db);
      const user = await createStaffUser(t.app.database.db, { email: 'atomic-admin@example.com', role: 'admin', password: 'a-long-enough-password' }, NOW);
      admin = { id: user.id, email: user.email };
    });
    after(() => t.close());

    const db = () => t.app.database.db;
    const deps = () => ({ db: db(), state: t.app.site, now: () => t.clock.now });
    /** Everything these changes could touch, including the content version that empties caches. */
    const snapshot = async () =>
      JSON.stringify([
        await db().selectFrom('settings').selectAll().orderBy('key').execute(),
        await db().selectFrom('meta').selectAll().orderBy('key').execute(),
        await db().selectFrom('letters').selectAll().orderBy('id').execute(),
        await db().selectFrom('letter_variants').selectAll().orderBy('id').execute(),
        await db().selectFrom('users').select(['id', 'email', 'role']).orderBy('id').execute(),
        await db().selectFrom('subscriptions').selectAll().orderBy('id').execute(),
        await db().selectFrom('audit_log').selectAll().orderBy('id').execute(),
      ]);
    const newReader = async (email: string) =>
      (await db().insertInto('readers').values({ email, name: '', newsletters: '[]', provider_customer_id: null, created_at: NOW, last_login_at: null }).returning('id').executeTakeFirstOrThrow()).id;

    it('rolls back a publication or paywall change whose entry cannot be written, and keeps both when it can', async () => {
      const before = await snapshot();
      const name = (await getPublication(db())).name;
      await assert.rejects(updatePublication(deps(), GONE, { ...(await getPublication(db())), name: 'A Name Nobody Audited' }));
      await assert.rejects(updatePolicy(deps(), GONE, { ...(await getPolicy(db())), anonymousLimit: 99 }));
      assert.equal(await snapshot(), before, 'nothing changed: no setting, no content version bump, no entry');
      assert.equal((await getPublication(db())).name, name);

      await updatePublication(deps(), admin, { ...(await getPublication(db())), name: 'The Audited Courier' });
      await updatePolicy(deps(), admin, { ...(await getPolicy(db())), anonymousLimit: 7 });
      assert.equal((await getPublication(db())).name, 'The Audited Courier');
      assert.equal((await getPolicy(db())).anonymousLimit, 7);
      const entries = await db().selectFrom('audit_log').select(['action', 'actor']).orderBy('id').execute();
      assert.deepEqual(entries, [{ action: 'settings', actor: admin.email }, { action: 'paywall', actor: admin.email }]);
    });

    it('rolls back a new or edited letter whose entry cannot be written', async () => {
      const letter = { title: 'Before you go', bodyMd: 'Please subscribe.', signature: 'The Editor', audience: ['registered' as const] };
      const before = await snapshot();
      await assert.rejects(saveLetterFromNewsroom(deps(), GONE, letter));
      assert.equal(await snapshot(), before, 'no letter, no entry');

      const saved = await saveLetterFromNewsroom(deps(), admin, letter);
      assert.ok(saved.ok);
      const afterSave = await snapshot();
      await assert.rejects(saveLetterFromNewsroom(deps(), GONE, { ...letter, id: saved.letter.id, title: 'Changed without a trace' }));
      assert.equal(await snapshot(), afterSave, 'the edit is rolled back with its entry');
    });

    it('adds no staff member and grants no complimentary subscription without the entry', async () => {
      const readerId = await newReader('atomic-reader@example.com');
      const plan = (await planById(db(), (await db().selectFrom('plans').select('id').where('slug', '=', 'digital').executeTakeFirstOrThrow()).id))!;
      const mail = createBillingMail({ publicationName: 'The Test Courier', publicUrl: 'https://news.example.com', timeZone: 'America/New_York' });
      const outbox = async () => Number((await db().selectFrom('mail_outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const queued = await outbox();
      const before = await snapshot();
      await assert.rejects(addStaff(db(), GONE, { email: 'unaudited@example.com', name: 'Un Audited', role: 'editor' }, NOW));
      await assert.rejects(grantComplimentaryToReader({ db: db(), actor: GONE, now: NOW, timeZone: 'America/New_York', mail }, { readerId, plan, months: 2 }));
      assert.equal(await snapshot(), before, 'no user, no subscription, no entry');
      assert.equal(await outbox(), queued, 'and no e-mail to the reader');

      const added = await addStaff(db(), admin, { email: 'audited@example.com', name: 'Audited', role: 'editor' }, NOW);
      assert.ok(added.ok);
      const grant = await grantComplimentaryToReader({ db: db(), actor: admin, now: NOW, timeZone: 'America/New_York', mail }, { readerId, plan, months: 2 });
      assert.equal(grant.subscription.status, 'canceled', 'stored as not renewing');
      const told = await db().selectFrom('mail_outbox').select(['to_address', 'subject']).orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.deepEqual(told, { to_address: 'atomic-reader@example.com', subject: 'A complimentary subscription to The Test Courier' });
      const details = (await db().selectFrom('audit_log').select('detail').where('action', 'in', ['staff', 'reader']).orderBy('id').execute()).map((r) => r.detail);
      assert.equal(details.length, 2);
      assert.equal(details[0], 'added audited@example.com as editor');
      assert.match(details[1], new RegExp(`^reader #${readerId}: complimentary Digital granted by 2 months`));
    });
  });
}
