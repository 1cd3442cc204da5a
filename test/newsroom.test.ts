// The newsroom's frame on both databases: who gets in, what each role's side bar offers,
// the bundled script and style sheet, and a Content-Security-Policy with no inline script.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { signedInStaff } from './support/staff.ts';
import { issueLoginToken, redeemLoginToken } from '../src/accounts/magic-links.ts';

for (const dialect of DIALECTS) {
  describe(`newsroom frame (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
    });
    after(() => t.close());

    const navOf = (html: string) => [...html.matchAll(/<nav aria-label="Newsroom">([\s\S]*?)<\/nav>/g)].flatMap((m) => [...m[1].matchAll(/href="(\/admin[^"]*)"/g)].map((h) => h[1]));

    it('sends visitors without a staff session to sign in', async () => {
      const res = await new Client(t).get('/admin');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/admin/login?return=/admin');
    });

    it('offers each role the areas it may use, and refuses the others with 403', async () => {
      const writer = await signedInStaff(t, 'writer');
      const editor = await signedInStaff(t, 'editor');
      const admin = await signedInStaff(t, 'admin');
      await writer.get('/admin');
      assert.deepEqual(navOf(writer.lastBody), ['/admin/stories']);
      await editor.get('/admin');
      assert.deepEqual(navOf(editor.lastBody), ['/admin/stories', '/admin/front', '/admin/authors', '/admin/newsletters', '/admin/editions', '/admin/audit']);
      const home = await admin.get('/admin');
      assert.equal(home.status, 200);
      assert.equal(home.headers.get('cache-control'), 'private, no-store');
      assert.equal(navOf(admin.lastBody).length, 13);
    });

    it('serves one hashed script and style sheet, cached for a year, under a CSP without inline script', async () => {
      const admin = await signedInStaff(t, 'admin');
      const home = await admin.get('/admin');
      const csp = home.headers.get('content-security-policy') ?? '';
      const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? '';
      assert.equal(scriptSrc.trim(), "'self'");
      assert.doesNotMatch(admin.lastBody, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
      const js = /<script type="module" src="(\/admin\/assets\/admin\.[0-9a-f]{12}\.js)"/.exec(admin.lastBody)?.[1];
      const css = /<link rel="stylesheet" href="(\/admin\/assets\/admin\.[0-9a-f]{12}\.css)"/.exec(admin.lastBody)?.[1];
      assert.ok(js && css, 'the page links both assets');
      for (const [path, type] of [[js, 'text/javascript'], [css, 'text/css']] as const) {
        const res = await t.get(path);
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', new RegExp(type));
        assert.match(res.headers.get('cache-control') ?? '', /immutable/);
        assert.ok((await res.text()).length > 50);
      }
      assert.equal((await t.get('/admin/assets/admin.000000000000.js')).status, 404);
    });

    it('refuses oversized bodies with 413 before reading them: 25 MB where pictures are uploaded, 1 MB elsewhere', async () => {
      const admin = await signedInStaff(t, 'admin');
      await admin.get('/admin');
      const post = (path: string, bytes: number) => {
        const form = new FormData();
        form.set('_csrf', admin.csrf());
        form.set('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'big.png');
        return admin.request(path, { method: 'POST', body: form });
      };
      assert.equal((await post('/admin/images', 26 * 1024 * 1024)).status, 413);
      assert.equal((await post('/login', 2 * 1024 * 1024)).status, 413);
      assert.equal((await post('/admin/login', 2 * 1024 * 1024)).status, 413, 'not even the newsroom\'s sign-in takes big bodies');
      assert.notEqual((await post('/admin/images', 2 * 1024 * 1024)).status, 413, 'a picture-sized upload reaches the newsroom');
    });

    it('answers 404, never 500, for ids too big for a 32-bit column, and writes nothing', async () => {
      const admin = await signedInStaff(t, 'admin');
      await admin.get('/admin/staff');
      const _csrf = admin.csrf();
      const audits = async () => Number((await t.app.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const before = await audits();
      // Just past 2^31−1 (PostgreSQL's integer), far past it, and past what a double holds exactly.
      for (const id of ['2147483648', '99999999999', '9'.repeat(30)]) {
        for (const path of [
          `/admin/readers/${id}`, `/admin/letters/${id}`, `/admin/letters/${id}/preview`, `/admin/plans/${id}`, `/admin/plans/offers/${id}`,
          `/admin/sections/${id}`, `/admin/authors/${id}`,
        ]) {
          assert.equal((await admin.get(path)).status, 404, `GET ${path}`);
        }
        for (const [path, fields] of [
          [`/admin/staff/${id}/unlock`, {}], [`/admin/staff/${id}/role`, { role: 'editor' }], [`/admin/staff/${id}/remove`, {}],
          [`/admin/readers/${id}/sign-out`, {}], [`/admin/readers/${id}/complimentary`, { plan: '1', months: '3' }],
          [`/admin/readers/${id}/subscriptions/1/cancel`, { when: 'now' }],
          [`/admin/plans/${id}`, { name: 'Big' }], [`/admin/plans/offers/${id}`, { name: 'Big' }], [`/admin/letters/${id}`, { name: 'Big' }],
          [`/admin/sections/${id}`, { name: 'Big' }], [`/admin/sections/${id}/move`, { direction: 'up' }], [`/admin/sections/${id}/delete`, {}],
          [`/admin/authors/${id}`, { name: 'Big' }],
        ] as const) {
          assert.equal((await admin.post(path, { ...fields, _csrf })).status, 404, `POST ${path}`);
        }
      }
      // A real reader's page with a huge subscription id in its query or path.
      const { token } = await issueLoginToken(t.app.database.db, { email: 'huge-ids@example.com', returnTo: '/account', now: t.clock.now });
      const redeemed = await redeemLoginToken(t.app.database.db, token, t.clock.now);
      assert.ok(redeemed.ok);
      assert.equal((await admin.get(`/admin/readers/${redeemed.readerId}?done=comp&sub=99999999999`)).status, 200, 'an unknown subscription in the query shows no notice');
      assert.equal((await admin.post(`/admin/readers/${redeemed.readerId}/subscriptions/99999999999/cancel`, { when: 'now', _csrf })).status, 404);
      // The largest id an integer column holds is a real id that names no row.
      assert.equal((await admin.get('/admin/readers/2147483647')).status, 404);
      assert.equal((await admin.post('/admin/staff/2147483647/unlock', { _csrf })).status, 404);
      assert.equal(await audits(), before, 'no audit entry for a change that did not happen');
    });
  });
}
