// The newsroom's frame on both databases: who gets in, what each role's side bar offers,
// the bundled script and style sheet, and a Content-Security-Policy with no inline script.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { signedInStaff } from './support/staff.ts';

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
      assert.deepEqual(navOf(editor.lastBody), ['/admin/stories', '/admin/front', '/admin/authors', '/admin/audit']);
      const home = await admin.get('/admin');
      assert.equal(home.status, 200);
      assert.equal(home.headers.get('cache-control'), 'private, no-store');
      assert.equal(navOf(admin.lastBody).length, 11);
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
  });
}
