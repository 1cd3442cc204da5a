// Letters from the newsroom on both databases: a letter written in the form reaches the
// readers it is aimed at, its preview shows each variant on the reader site's page with the
// current offer, the list counts impressions and clicks per variant, bad input comes back
// with 422, and only admins may do any of it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { signedInStaff } from './support/staff.ts';
import { seedDemoCatalog } from '../src/billing/catalog.ts';
import { letterById } from '../src/letters/letter-store.ts';

const letterForm = (overrides: Record<string, string | string[] | undefined> = {}): Record<string, string | string[]> => {
  const base: Record<string, string | string[] | undefined> = {
    title: 'Dear Reader,',
    bodyMd: 'The harbor desk is paid for by **readers** like you.',
    signature: 'Ruth Abernathy\nEditor',
    ctaLabel: 'Subscribe',
    ctaUrl: '/subscribe',
    audience: ['anonymous'],
    minRead: '',
    sections: 'World',
    frequencyDays: '0',
    placement: 'both',
    isActive: 'on',
    position: '0',
    'variants.0.name': 'A', 'variants.0.title': 'Variant A heading', 'variants.0.ctaLabel': 'Join A', 'variants.0.weight': '1', 'variants.0.bodyMd': '',
    'variants.1.name': 'B', 'variants.1.title': 'Variant B heading', 'variants.1.ctaLabel': 'Join B', 'variants.1.weight': '1', 'variants.1.bodyMd': '',
    'variants.2.name': '', 'variants.2.title': '', 'variants.2.ctaLabel': '', 'variants.2.weight': '1', 'variants.2.bodyMd': '',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(base).filter((e): e is [string, string | string[]] => e[1] !== undefined));
};

for (const dialect of DIALECTS) {
  describe(`newsroom letters (${dialect})`, () => {
    let t: TestApp;
    const world: string[] = [];
    let usa: string;
    let letterId: number;

    before(async () => {
      t = await startTestApp(dialect);
      await seedDemoCatalog(t.app.database.db);
      for (let i = 0; i < 4; i++) world.push((await t.article({ headline: `Harbor letter story ${i}`, sectionPath: 'World/Europe', access: 'metered' })).urlPath!);
      usa = (await t.article({ headline: 'A story from Washington', sectionPath: 'USA/Politics', access: 'metered' })).urlPath!;
    });
    after(() => t.close());

    const db = () => t.app.database.db;
    const letterOf = (html: string) => {
      const m = /<aside class="letter" data-letter="(\d+)"(?: data-variant="(\d+)")?/.exec(html);
      return m ? { letterId: Number(m[1]), variantId: m[2] ? Number(m[2]) : null } : null;
    };

    it('writes a letter with two variants that appears on readers\' pages where it is aimed, and nowhere else', async () => {
      const admin = await signedInStaff(t, 'admin');
      await admin.get('/admin/letters/new');
      assert.match(admin.lastBody, /data-variant-row="2"/, 'three blank variant rows');
      const res = await admin.post('/admin/letters/new', letterForm());
      assert.equal(res.status, 303);
      const location = res.headers.get('location')!;
      letterId = Number(/^\/admin\/letters\/(\d+)\?saved=1$/.exec(location)?.[1]);
      assert.ok(letterId > 0, location);
      const letter = (await letterById(db(), letterId))!;
      assert.equal(letter.slug, 'dear-reader');
      assert.deepEqual(letter.variants.map((v) => [v.name, v.title, v.ctaLabel, v.weight]), [['A', 'Variant A heading', 'Join A', 1], ['B', 'Variant B heading', 'Join B', 1]]);
      assert.deepEqual(letter.sections, ['World']);

      await admin.follow(res);
      assert.match(admin.lastBody, /Letter saved/);
      assert.match(admin.lastBody, /name="variants.1.name" value="B"/);

      const seen = new Set<number | null>();
      for (let i = 0; i < 8; i++) {
        const reader = new Client(t);
        const html = await (await reader.get(world[i % world.length])).text();
        const shown = letterOf(html);
        assert.equal(shown?.letterId, letterId, 'aimed at World');
        const variant = letter.variants.find((v) => v.id === shown!.variantId)!;
        assert.ok(variant, 'one of the two variants');
        assert.match(html, new RegExp(`<h2 class="letter-title" id="letter-${letterId}-title">${variant.title}</h2>`));
        assert.match(html, /The harbor desk is paid for by <strong>readers<\/strong> like you\./);
        seen.add(variant.id);
        assert.equal(letterOf(await (await reader.get(usa)).text()), null, 'not aimed at USA');
      }
      assert.equal(seen.size, 2, 'eight readers meet both variants');
      // A second letter with another slug from the same title.
      await admin.get('/admin/letters/new');
      const again = await admin.post('/admin/letters/new', letterForm({ isActive: undefined, position: '5' }));
      assert.equal(again.status, 303);
      const second = (await db().selectFrom('letters').select(['slug', 'is_active']).orderBy('id', 'desc').executeTakeFirstOrThrow());
      assert.deepEqual([second.slug, Number(second.is_active)], ['dear-reader-2', 0]);

      const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'letter').orderBy('id').execute();
      assert.equal(audit.length, 2);
      assert.equal(audit[0].actor, admin.email);
      assert.equal(audit[0].detail, 'created “Dear Reader,” (2 variants)');
    });

    it('previews the letter and each variant in the reader site\'s page, with the current offer on the button', async () => {
      const admin = await signedInStaff(t, 'admin');
      const letter = (await letterById(db(), letterId))!;
      const res = await admin.get(`/admin/letters/${letterId}/preview`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'private, no-store');
      assert.match(admin.lastBody, /<div class="nameplate">/, 'the reader site\'s frame');
      assert.match(admin.lastBody, /<meta name="robots" content="noindex"/);
      assert.match(admin.lastBody, /Council keeps the ferry running/);
      assert.deepEqual(letterOf(admin.lastBody), { letterId, variantId: null });
      assert.match(admin.lastBody, /<h2 class="letter-title" id="letter-\d+-title">Dear Reader,<\/h2>/);
      assert.match(admin.lastBody, /<span class="letter-cta-label">Subscribe<\/span> <span class="letter-cta-offer">\$15 for your first 6 months, then \$8 a month<\/span>/);
      for (const v of letter.variants) {
        assert.match(admin.lastBody, new RegExp(`href="/admin/letters/${letterId}/preview\\?variant=${v.id}" data-preview-link="${v.id}"`));
        await admin.get(`/admin/letters/${letterId}/preview?variant=${v.id}`);
        assert.deepEqual(letterOf(admin.lastBody), { letterId, variantId: v.id });
        assert.match(admin.lastBody, new RegExp(`>${v.title}</h2>`));
        assert.match(admin.lastBody, new RegExp(`<span class="letter-cta-label">${v.ctaLabel}</span>`));
      }
      await admin.get(`/admin/letters/${letterId}/preview?variant=${letter.variants[0].id}&on=locked`);
      const html = admin.lastBody;
      assert.match(html, /data-access="locked"/);
      assert.ok(html.indexOf('class="letter"') < html.indexOf('class="paywall-offer"'), 'the letter comes before the offer');
      assert.equal((await admin.get(`/admin/letters/${letterId}/preview?variant=abc`)).status, 404);
    });

    it('counts impressions and clicks per variant on the list', async () => {
      const admin = await signedInStaff(t, 'admin');
      for (let i = 0; i < 6; i++) await new Client(t).get(world[i % world.length]);
      const letter = (await letterById(db(), letterId))!;
      const [a] = letter.variants;
      for (let i = 0; i < 3; i++) await t.get(`/letters/click?l=${letterId}&v=${a.id}&to=%2Fsubscribe`);
      await t.app.events.flush();
      const impressions = await db().selectFrom('events').select('detail').where('kind', '=', 'letter-impression').execute();
      const count = (variantId: number) => impressions.filter((e) => e.detail === `${letterId}:${variantId}`).length;
      assert.equal(count(a.id) + count(letter.variants[1].id), 14, 'eight readers before, six now');
      await admin.get('/admin/letters');
      const html = admin.lastBody;
      assert.match(html, new RegExp(`<tbody data-letter-row="${letterId}">`));
      for (const v of letter.variants) {
        const clicks = v.id === a.id ? 3 : 0;
        assert.match(html, new RegExp(`<tr data-variant-stats="${v.id}" data-impressions="${count(v.id)}" data-clicks="${clicks}">`), v.name);
      }
      assert.match(html, new RegExp(`${(300 / count(a.id)).toFixed(1)}%`), 'the click rate');
    });

    it('edits a letter: a removed variant goes, a kept one keeps its id, the audit says what changed', async () => {
      const admin = await signedInStaff(t, 'admin');
      const letter = (await letterById(db(), letterId))!;
      const [a, b] = letter.variants;
      await admin.get(`/admin/letters/${letterId}`);
      assert.match(admin.lastBody, new RegExp(`name="variants.0.id" value="${a.id}"`));
      const res = await admin.post(`/admin/letters/${letterId}`, letterForm({
        'variants.0.id': String(a.id), 'variants.0.weight': '3',
        'variants.1.id': String(b.id), 'variants.1.remove': 'on',
        audience: ['anonymous', 'registered'],
      }));
      assert.equal(res.status, 303);
      const after = (await letterById(db(), letterId))!;
      assert.deepEqual(after.variants.map((v) => [v.id, v.name, v.weight]), [[a.id, 'A', 3]]);
      assert.deepEqual(after.audience, ['anonymous', 'registered']);
      const audit = (await db().selectFrom('audit_log').selectAll().where('action', '=', 'letter').orderBy('id', 'desc').executeTakeFirstOrThrow());
      assert.equal(audit.detail, 'updated “Dear Reader,”: audience, variants (A weight 1 → 3; B removed)');
      // Every reader now gets variant A.
      for (let i = 0; i < 3; i++) assert.equal(letterOf(await (await new Client(t).get(world[i])).text())?.variantId, a.id);
    });

    it('refuses a bad letter with 422, keeping what was typed, messages beside the fields, nothing saved', async () => {
      const admin = await signedInStaff(t, 'admin');
      const before = await db().selectFrom('letters').selectAll().orderBy('id').execute();
      await admin.get('/admin/letters/new');
      const res = await admin.post('/admin/letters/new', letterForm({
        title: '', ctaUrl: 'http://insecure.example.com', audience: undefined, frequencyDays: 'weekly', sections: 'World, ../x',
        bodyMd: 'Kept <body> text', 'variants.1.name': 'A', 'variants.2.title': 'No name here',
      }));
      assert.equal(res.status, 422);
      const html = admin.lastBody;
      assert.match(html, /<input type="text" name="title" value="" id="f-title" aria-invalid="true" aria-describedby="f-title-hint f-title-error"/);
      assert.match(html, /id="f-title-error">a title is required/);
      assert.match(html, /id="f-ctaUrl-error">the button link must be a path on this site such as \/subscribe, or an https:\/\/ address/);
      assert.match(html, /id="f-audience-error">choose at least one audience/);
      assert.match(html, /id="f-frequencyDays-error">the frequency cap must be a whole number/);
      assert.match(html, /id="f-sections-error">sections are section paths/);
      assert.match(html, /id="f-variants-1-name-error">two variants are named &quot;A&quot;/);
      assert.match(html, /id="f-variants-2-name-error">a variant name is required/);
      assert.match(html, />Kept &lt;body&gt; text<\/textarea>/);
      assert.match(html, /value="http:\/\/insecure.example.com"/);
      assert.deepEqual(await db().selectFrom('letters').selectAll().orderBy('id').execute(), before);
      // The same on an edit.
      await admin.get(`/admin/letters/${letterId}`);
      assert.equal((await admin.post(`/admin/letters/${letterId}`, letterForm({ signature: '' }))).status, 422);
      assert.match(admin.lastBody, /id="f-signature-error">a signature is required/);
      assert.deepEqual(await db().selectFrom('letters').selectAll().orderBy('id').execute(), before);
    });

    it('lets only admins in: editors and writers get 403 and change nothing', async () => {
      const snapshot = async () => JSON.stringify([await db().selectFrom('letters').selectAll().orderBy('id').execute(), await db().selectFrom('letter_variants').selectAll().orderBy('id').execute()]);
      const before = await snapshot();
      for (const role of ['editor', 'writer'] as const) {
        const staff = await signedInStaff(t, role);
        for (const path of ['/admin/letters', '/admin/letters/new', `/admin/letters/${letterId}`, `/admin/letters/${letterId}/preview`]) {
          assert.equal((await staff.get(path)).status, 403, `${role} GET ${path}`);
        }
        for (const path of ['/admin/letters/new', `/admin/letters/${letterId}`]) {
          await staff.get('/admin');
          assert.equal((await staff.post(path, letterForm({ title: 'Hijacked' }))).status, 403, `${role} POST ${path}`);
        }
      }
      assert.equal(await snapshot(), before);
      void NOW;
    });
  });
}
