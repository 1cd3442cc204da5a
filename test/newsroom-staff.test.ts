// Staff management in the newsroom, on both databases: the list, adding someone with a
// generated password that signs in, changing roles, unlocking, removing access (signed out
// at once, the audit log keeping their name), the last-admin rule, and refusals for other
// roles and forged posts.
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { signedInStaff, STAFF_TEST_PASSWORD } from './support/staff.ts';
import { recordAudit } from '../src/admin/audit.ts';
import { MAX_FAILED_LOGINS } from '../src/accounts/staff-login.ts';

for (const dialect of DIALECTS) {
  describe(`newsroom: staff (${dialect})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(dialect);
    });
    afterEach(() => t.close());

    const db = () => t.app.database.db;
    const staffRows = (html: string) =>
      Object.fromEntries([...html.matchAll(/<tr data-staff-row="[^"]*" data-staff-id="(\d+)" data-role="([a-z]+)" data-locked="(yes|no)">([\s\S]*?)<\/tr>/g)].map((m) => [Number(m[1]), { role: m[2], locked: m[3], html: m[4] }]));
    const resultOf = (html: string) => /<span data-result="[^"]*">([^<]*)<\/span>/.exec(html)?.[1] ?? '';
    const userById = (id: number) => db().selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    const staffAudit = () => db().selectFrom('audit_log').selectAll().where('action', '=', 'staff').orderBy('id').execute();

    async function signIn(email: string, password: string): Promise<{ client: Client; status: number }> {
      const client = new Client(t);
      await client.get('/admin/login');
      const res = await client.post('/admin/login', { email, password, return: '/admin' });
      return { client, status: res.status };
    }

    it('lists the staff with role, last sign-in and whether they are locked out', async () => {
      const admin = await signedInStaff(t, 'admin', { name: 'Ann Admin' });
      const writer = await signedInStaff(t, 'writer', { name: 'Wes Writer' });
      await db().insertInto('users').values({ email: 'never@example.com', name: '', role: 'editor', password_hash: 'x', created_at: t.clock.now, locked_until: t.clock.now + 600_000 }).execute();
      const res = await admin.get('/admin/staff');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'private, no-store');
      const rows = staffRows(admin.lastBody);
      assert.equal(Object.keys(rows).length, 3);
      assert.equal(rows[admin.staffId].role, 'admin');
      assert.match(rows[admin.staffId].html, /Ann Admin[\s\S]*November 20, 2026 at 10:00 AM EST/);
      assert.match(rows[admin.staffId].html, /\(you\)/);
      assert.equal(rows[writer.staffId].role, 'writer');
      const never = (await db().selectFrom('users').select('id').where('email', '=', 'never@example.com').executeTakeFirstOrThrow()).id;
      assert.equal(rows[never].locked, 'yes');
      assert.match(rows[never].html, /Never[\s\S]*Locked until November 20, 2026 at 10:10 AM EST/);
      assert.match(rows[never].html, /data-action="unlock" data-confirm="[^"]+"/);
      assert.match(rows[writer.staffId].html, /data-action="remove" data-confirm="[^"]+"/);
    });

    it('adds a staff member and shows a generated password once, which signs in', async () => {
      const admin = await signedInStaff(t, 'admin');
      await admin.get('/admin/staff');
      const res = await admin.post('/admin/staff', { email: ' New.Editor@Example.com ', name: 'Nia Editor', role: 'editor' });
      assert.equal(res.status, 201);
      assert.equal(res.headers.get('cache-control'), 'private, no-store');
      const password = /<code class="staff-password" data-generated-password="[^"]*">([^<]+)<\/code>/.exec(admin.lastBody)?.[1];
      assert.ok(password && password.length >= 20, 'a long password is shown');
      assert.equal(resultOf(admin.lastBody), 'new.editor@example.com can now sign in as editor.');
      const user = await db().selectFrom('users').selectAll().where('email', '=', 'new.editor@example.com').executeTakeFirstOrThrow();
      assert.equal(user.role, 'editor');
      assert.equal(user.name, 'Nia Editor');
      assert.ok(!user.password_hash.includes(password), 'stored only as a hash');
      const signedIn = await signIn('new.editor@example.com', password);
      assert.equal(signedIn.status, 303);
      await signedIn.client.get('/admin');
      assert.match(signedIn.client.lastBody, /<span data-role="editor">editor<\/span>/);
      assert.equal((await signIn('new.editor@example.com', 'wrong password')).status, 401);
      // The list does not show it again.
      await admin.get('/admin/staff');
      assert.ok(!admin.lastBody.includes(password));
      assert.deepEqual((await staffAudit()).map((a) => [a.actor, a.detail]), [[admin.email, 'added new.editor@example.com as editor']]);
    });

    it('refuses a bad new staff form with 422, keeping the values and saying why beside each field', async () => {
      const admin = await signedInStaff(t, 'admin');
      await admin.get('/admin/staff');
      const users = (await db().selectFrom('users').select('id').execute()).length;
      const res = await admin.post('/admin/staff', { email: 'not-an-address', name: 'Sam', role: 'owner' });
      assert.equal(res.status, 422);
      const html = admin.lastBody;
      assert.match(html, /name="email" value="not-an-address"[^>]*aria-invalid="true" aria-describedby="staff-email-error"/);
      assert.match(html, /id="staff-email-error">Enter an e-mail address such as name@example\.com\.</);
      assert.match(html, /name="name" value="Sam"/);
      assert.match(html, /id="staff-role-error">Choose admin, editor or writer\.</);
      // An address already on the staff.
      await admin.post('/admin/staff', { email: admin.email.toUpperCase(), name: '', role: 'writer' });
      assert.match(admin.lastBody, /id="staff-email-error">Someone on the staff already has this address\.</);
      assert.equal((await db().selectFrom('users').select('id').execute()).length, users);
      assert.equal((await staffAudit()).length, 0);
    });

    it('changes a role, and the change takes effect at once', async () => {
      const admin = await signedInStaff(t, 'admin');
      const writer = await signedInStaff(t, 'writer');
      assert.equal((await writer.get('/admin/front')).status, 403);
      await admin.get('/admin/staff');
      assert.match(staffRows(admin.lastBody)[writer.staffId].html, /data-action="change-role" data-confirm="[^"]+"/);
      const res = await admin.post(`/admin/staff/${writer.staffId}/role`, { role: 'editor' });
      assert.equal(res.status, 303);
      await admin.follow(res);
      assert.equal(resultOf(admin.lastBody), 'The role has been changed.');
      assert.equal(staffRows(admin.lastBody)[writer.staffId].role, 'editor');
      assert.equal((await userById(writer.staffId))!.role, 'editor');
      await writer.get('/admin');
      assert.match(writer.lastBody, /<span data-role="editor">/);
      assert.deepEqual((await staffAudit()).map((a) => a.detail), [`${writer.email}: writer → editor`]);
      // A role that does not exist.
      await admin.get('/admin/staff');
      assert.equal((await admin.post(`/admin/staff/${writer.staffId}/role`, { role: 'owner' })).status, 422);
      assert.match(admin.lastBody, new RegExp(`id="role-error-${writer.staffId}">Choose admin, editor or writer\\.<`));
      assert.equal((await userById(writer.staffId))!.role, 'editor');
    });

    it('never lets the last admin be demoted or removed, themselves included', async () => {
      const admin = await signedInStaff(t, 'admin');
      await admin.get('/admin/staff');
      const demote = await admin.post(`/admin/staff/${admin.staffId}/role`, { role: 'editor' });
      assert.equal(demote.status, 409);
      assert.match(admin.lastBody, /There must always be at least one admin: make someone else an admin first\./);
      assert.match(admin.lastBody, new RegExp(`id="role-error-${admin.staffId}">There must always be at least one admin`));
      const remove = await admin.post(`/admin/staff/${admin.staffId}/remove`);
      assert.equal(remove.status, 409);
      assert.equal((await userById(admin.staffId))!.role, 'admin');
      assert.equal((await staffAudit()).length, 0);

      // With a second admin, one may step down; then the other is the last.
      const second = await signedInStaff(t, 'admin');
      await second.get('/admin/staff');
      const stepDown = await second.post(`/admin/staff/${second.staffId}/role`, { role: 'editor' });
      assert.equal(stepDown.status, 303);
      assert.equal(stepDown.headers.get('location'), '/admin', 'no longer allowed on the staff page');
      assert.equal((await second.get('/admin/staff')).status, 403);
      await admin.get('/admin/staff');
      assert.equal((await admin.post(`/admin/staff/${admin.staffId}/role`, { role: 'writer' })).status, 409);
      assert.equal((await userById(admin.staffId))!.role, 'admin');
    });

    it('keeps one admin when two admins demote each other at the same moment', async () => {
      const a = await signedInStaff(t, 'admin');
      const b = await signedInStaff(t, 'admin');
      await a.get('/admin/staff');
      await b.get('/admin/staff');
      const [ra, rb] = await Promise.all([a.post(`/admin/staff/${b.staffId}/role`, { role: 'editor' }), b.post(`/admin/staff/${a.staffId}/role`, { role: 'editor' })]);
      assert.deepEqual([ra.status, rb.status].sort(), [303, 409]);
      const admins = await db().selectFrom('users').select('id').where('role', '=', 'admin').execute();
      assert.equal(admins.length, 1);
    });

    it('unlocks an account locked after failed sign-ins', async () => {
      const admin = await signedInStaff(t, 'admin');
      const editor = await signedInStaff(t, 'editor');
      for (let i = 0; i < MAX_FAILED_LOGINS; i++) await signIn(editor.email, 'not the password');
      assert.equal((await signIn(editor.email, STAFF_TEST_PASSWORD)).status, 423, 'locked');
      await admin.get('/admin/staff');
      assert.equal(staffRows(admin.lastBody)[editor.staffId].locked, 'yes');
      const res = await admin.post(`/admin/staff/${editor.staffId}/unlock`);
      assert.equal(res.status, 303);
      await admin.follow(res);
      assert.equal(resultOf(admin.lastBody), 'The account is unlocked: they can sign in again.');
      assert.equal(staffRows(admin.lastBody)[editor.staffId].locked, 'no');
      assert.equal((await signIn(editor.email, STAFF_TEST_PASSWORD)).status, 303);
      assert.deepEqual((await staffAudit()).map((a) => a.detail), [`unlocked ${editor.email}`]);
    });

    it('removes access: signed out at once, the user gone, the audit log keeping their name', async () => {
      const admin = await signedInStaff(t, 'admin');
      const editor = await signedInStaff(t, 'editor');
      await recordAudit(db(), { actor: { id: editor.staffId, email: editor.email }, action: 'publish', detail: 'something they did', at: t.clock.now });
      assert.equal((await editor.get('/admin')).status, 200);
      await admin.get('/admin/staff');
      const res = await admin.post(`/admin/staff/${editor.staffId}/remove`);
      assert.equal(res.status, 303);
      await admin.follow(res);
      assert.match(resultOf(admin.lastBody), /Access removed/);
      assert.equal(staffRows(admin.lastBody)[editor.staffId], undefined);
      assert.equal(await userById(editor.staffId), undefined);
      const after = await editor.get('/admin');
      assert.equal(after.status, 303, 'their session no longer works');
      assert.match(after.headers.get('location') ?? '', /^\/admin\/login/);
      assert.equal((await signIn(editor.email, STAFF_TEST_PASSWORD)).status, 401);
      const history = await db().selectFrom('audit_log').selectAll().orderBy('id').execute();
      assert.deepEqual(history.map((h) => [h.user_id, h.actor, h.action, h.detail]), [
        [null, editor.email, 'publish', 'something they did'],
        [admin.staffId, admin.email, 'staff', `removed ${editor.email} (editor); signed out`],
      ]);
      await admin.get('/admin/staff');
      assert.equal((await admin.post(`/admin/staff/${editor.staffId}/remove`)).status, 404);
    });

    it('refuses editors and writers on every staff route, and changes nothing', async () => {
      const admin = await signedInStaff(t, 'admin');
      const target = await signedInStaff(t, 'writer');
      await db().updateTable('users').set({ locked_until: t.clock.now + 600_000 }).where('id', '=', target.staffId).execute();
      const snapshot = async () => JSON.stringify([await db().selectFrom('users').selectAll().orderBy('id').execute(), await db().selectFrom('audit_log').selectAll().execute()]);
      for (const role of ['editor', 'writer'] as const) {
        const staff = await signedInStaff(t, role);
        const before = await snapshot();
        const res = await staff.get('/admin/staff');
        assert.equal(res.status, 403, `${role} GET /admin/staff`);
        assert.doesNotMatch(staff.lastBody, new RegExp(target.email));
        const posts: [string, Record<string, string>][] = [
          ['/admin/staff', { email: 'sneaky@example.com', name: '', role: 'admin' }],
          [`/admin/staff/${staff.staffId}/role`, { role: 'admin' }],
          [`/admin/staff/${target.staffId}/role`, { role: 'editor' }],
          [`/admin/staff/${target.staffId}/unlock`, {}],
          [`/admin/staff/${admin.staffId}/remove`, {}],
        ];
        for (const [path, fields] of posts) {
          await staff.get('/admin');
          assert.equal((await staff.post(path, fields)).status, 403, `${role} POST ${path}`);
        }
        assert.equal(await snapshot(), before);
      }
      assert.equal((await admin.get('/admin/staff')).status, 200);
    });

    it('refuses POSTs without the form token, changing nothing', async () => {
      const admin = await signedInStaff(t, 'admin');
      const writer = await signedInStaff(t, 'writer');
      await admin.get('/admin/staff');
      const before = JSON.stringify(await db().selectFrom('users').selectAll().orderBy('id').execute());
      for (const [path, fields] of [
        ['/admin/staff', { email: 'forged@example.com', role: 'admin' }],
        [`/admin/staff/${writer.staffId}/role`, { role: 'admin' }],
        [`/admin/staff/${writer.staffId}/unlock`, {}],
        [`/admin/staff/${writer.staffId}/remove`, {}],
      ] as [string, Record<string, string>][]) {
        assert.equal((await admin.post(path, { ...fields, _csrf: '' })).status, 403, path);
      }
      assert.equal(JSON.stringify(await db().selectFrom('users').selectAll().orderBy('id').execute()), before);
      assert.equal((await staffAudit()).length, 0);
    });
  });
}
