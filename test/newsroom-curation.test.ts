// Curation through the real app, on both databases: editors arrange the home page's lead and
// top stories (and the home page follows at once), admins shape the section tree, editors
// keep authors' pages (bio, photo). Roles, validation, CSRF and the audit log are checked on
// the server.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, type TestApp } from './support/app.ts';
import { signedInStaff } from './support/staff.ts';

/** The hidden fields of the form holding `marker` (one of the page's small forms). */
function formFields(html: string, marker: string): Record<string, string[]> {
  const at = html.indexOf(marker);
  assert.ok(at >= 0, `no ${marker} on the page`);
  const form = html.slice(html.lastIndexOf('<form', at), html.indexOf('</form>', at));
  const fields: Record<string, string[]> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) (fields[m[1]] ??= []).push(m[2]);
  return fields;
}

/** Where each text first appears in the page; asserts they appear in this order. */
function assertInOrder(html: string, texts: string[]) {
  const at = texts.map((x) => html.indexOf(x));
  for (const [i, x] of texts.entries()) assert.ok(at[i] >= 0, `“${x}” is on the page`);
  for (let i = 1; i < at.length; i++) assert.ok(at[i - 1] < at[i], `“${texts[i - 1]}” comes before “${texts[i]}”`);
}

for (const dialect of DIALECTS) {
  describe(`newsroom curation (${dialect})`, () => {
    let t: TestApp;
    const story: Record<'a' | 'b' | 'c' | 'd', { id: number; headline: string }> = {} as never;

    before(async () => {
      t = await startTestApp(dialect);
      // a is the newest, d the oldest.
      for (const [i, key] of (['a', 'b', 'c', 'd'] as const).entries()) {
        const headline = `Curated ${key.toUpperCase()} harbor tale`;
        const { id } = await t.article({ headline, publishedAt: NOW - (i + 1) * 3600_000 });
        story[key] = { id, headline };
      }
    });
    after(() => t.close());

    const db = () => t.app.database.db;
    const frontRows = () => db().selectFrom('front_page').select(['slot', 'article_id']).orderBy('slot').execute();
    const auditCount = async (action: string) =>
      Number((await db().selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);
    const home = async () => {
      const res = await t.get('/');
      assert.equal(res.status, 200);
      return res.text();
    };
    const leadOf = (html: string) => /<article class="story story-lead">([\s\S]*?)<\/article>/.exec(html)?.[1] ?? '';

    it('puts the editor’s lead first and the top stories in their order, and a new order shows at once', async () => {
      const { a, b, c, d } = story;
      assertInOrder(await home(), [a.headline, b.headline, c.headline, d.headline]);

      const editor = await signedInStaff(t, 'editor');
      const page = await editor.get('/admin/front');
      assert.equal(page.status, 200);
      assert.match(editor.lastBody, /<h1>Front page<\/h1>/);
      assert.match(editor.lastBody, new RegExp(`<option value="${a.id}">${a.headline} — Europe, `), 'the latest published stories are offered');

      const saved = await editor.post('/admin/front', { lead: String(d.id), top: [String(c.id), String(b.id)] });
      assert.equal(saved.status, 303);
      assert.equal(saved.headers.get('location'), '/admin/front?saved=front');
      assert.deepEqual(await frontRows(), [{ slot: 0, article_id: d.id }, { slot: 1, article_id: c.id }, { slot: 2, article_id: b.id }]);
      let html = await home();
      assert.match(leadOf(html), new RegExp(d.headline));
      assertInOrder(html, [d.headline, c.headline, b.headline, a.headline]);

      // The page now shows that arrangement; its "Move up" form for b sends the swapped order.
      await editor.get('/admin/front?saved=front');
      assert.match(editor.lastBody, /The front page is saved/);
      assert.match(editor.lastBody, new RegExp(`data-front-slot="lead" data-article-id="${d.id}"`));
      const moveUp = formFields(editor.lastBody, `data-front-action="move-up">Move up<span class="visually-hidden"> “${b.headline}”`);
      assert.deepEqual({ lead: moveUp.lead, top: moveUp.top }, { lead: [String(d.id)], top: [String(b.id), String(c.id)] });
      assert.equal((await editor.post('/admin/front', moveUp)).status, 303);
      html = await home();
      assertInOrder(html, [d.headline, b.headline, c.headline, a.headline]);

      // A second save with a new order: the cached home page is dropped at once.
      await editor.get('/admin/front');
      assert.equal((await editor.post('/admin/front', { lead: String(a.id), top: [String(c.id), '', String(d.id)] })).status, 303);
      html = await home();
      assert.match(leadOf(html), new RegExp(a.headline));
      assertInOrder(html, [a.headline, c.headline, d.headline, b.headline]);

      // "Make it the lead" from the add form: b leads, a moves to the top of the list.
      await editor.get('/admin/front');
      const place = { ...formFields(editor.lastBody, 'data-front-place="lead"'), pick: String(b.id), place: 'lead' };
      assert.equal((await editor.post('/admin/front', place)).status, 303);
      assert.deepEqual((await frontRows()).map((r) => r.article_id), [b.id, a.id, c.id, d.id]);
      assertInOrder(await home(), [b.headline, a.headline, c.headline, d.headline]);
      assert.ok((await auditCount('front-page')) >= 4);
    });

    it('refuses drafts, scheduled, unknown and repeated stories with 422, keeping what was sent', async () => {
      const editor = await signedInStaff(t, 'editor');
      const { a, b, c } = story;
      const draft = await t.article({ headline: 'Unfinished curated draft', publishedAt: null });
      const scheduled = await t.article({ headline: 'Tomorrow curated story', publishedAt: NOW + 86_400_000 });
      await editor.get('/admin/front');
      assert.equal((await editor.post('/admin/front', { lead: String(a.id), top: [String(b.id)] })).status, 303);
      const before = await frontRows();

      const cases: [Record<string, string | string[]>, RegExp][] = [
        [{ lead: String(draft.id), top: [String(b.id)] }, /“Unfinished curated draft” is a draft: only published stories can go on the front page\./],
        [{ lead: String(a.id), top: [String(scheduled.id)] }, /“Tomorrow curated story” is scheduled, not yet published/],
        [{ lead: '999999', top: [] }, /There is no story with the id 999999\./],
        [{ lead: String(a.id), top: [String(b.id), String(a.id)] }, /This story is already the lead\./],
        [{ lead: String(a.id), top: [String(b.id), String(b.id)] }, /This story is already number 1 in the list\./],
        [{ lead: '', top: Array.from({ length: 9 }, () => String(c.id)) }, /at most 8 top stories/],
        [{ pick: String(draft.id), place: 'top', lead: String(a.id), top: [String(b.id)] }, /is a draft/],
      ];
      for (const [fields, message] of cases) {
        await editor.get('/admin/front');
        const res = await editor.post('/admin/front', fields);
        assert.equal(res.status, 422, `422 for ${JSON.stringify(fields)}`);
        assert.match(editor.lastBody, message);
        assert.deepEqual(await frontRows(), before, 'nothing changed');
      }
      // The form comes back with the typed choice selected, marked invalid and described.
      await editor.get('/admin/front');
      await editor.post('/admin/front', { lead: String(draft.id), top: [String(b.id)] });
      assert.match(editor.lastBody, /<select id="front-lead" name="lead" aria-invalid="true" aria-describedby="err-lead"/);
      assert.match(editor.lastBody, new RegExp(`<option value="${draft.id}" selected="">Unfinished curated draft`));
      assert.match(editor.lastBody, /<p class="field-error" id="err-lead">/);
    });

    it('refuses a save made from a page that another editor has since changed', async () => {
      const { a, b, c } = story;
      const one = await signedInStaff(t, 'editor');
      const two = await signedInStaff(t, 'editor');
      await one.get('/admin/front');
      assert.equal((await one.post('/admin/front', { lead: String(a.id), top: [String(b.id), String(c.id)] })).status, 303);
      await one.get('/admin/front');
      await two.get('/admin/front');
      const stale = formFields(two.lastBody, 'data-front-action="remove"');
      assert.equal((await one.post('/admin/front', formFields(one.lastBody, 'data-front-action="move-down"'))).status, 303);
      const res = await two.post('/admin/front', stale);
      assert.equal(res.status, 409);
      assert.match(two.lastBody, /Another editor changed the front page/);
      assert.deepEqual((await frontRows()).map((r) => r.article_id), [a.id, c.id, b.id], 'the first editor’s move stands');
    });

    it('skips a story on the home page once it is unpublished, and flags it in the newsroom', async () => {
      const editor = await signedInStaff(t, 'editor');
      const gone = await t.article({ headline: 'Soon withdrawn curated story', publishedAt: NOW - 60_000 });
      const { b } = story;
      await editor.get('/admin/front');
      assert.equal((await editor.post('/admin/front', { lead: String(gone.id), top: [String(b.id)] })).status, 303);
      assert.match(leadOf(await home()), /Soon withdrawn curated story/);
      await t.article({ id: gone.id, headline: 'Soon withdrawn curated story', publishedAt: null });
      const html = await home();
      assert.doesNotMatch(html, /Soon withdrawn curated story/);
      assert.match(leadOf(html), new RegExp(story.a.headline), 'the newest story not among the picks leads');
      await editor.get('/admin/front');
      assert.match(editor.lastBody, /no longer published: skipped on the home page/);
      const remove = formFields(editor.lastBody, 'data-front-action="remove-lead"');
      assert.deepEqual({ lead: remove.lead, top: remove.top }, { lead: undefined, top: [String(b.id)] });
    });

    it('lets no writer near the front page, and refuses posts without the form token', async () => {
      const writer = await signedInStaff(t, 'writer');
      const before = await frontRows();
      assert.equal((await writer.get('/admin/front')).status, 403);
      await writer.get('/admin');
      assert.equal((await writer.post('/admin/front', { lead: String(story.c.id), top: [] })).status, 403);
      assert.equal((await writer.post('/admin/sections', { name: 'Writers corner' })).status, 403);
      assert.equal((await writer.get('/admin/authors')).status, 403);
      assert.equal((await writer.post('/admin/authors/new', { name: 'Writer made' })).status, 403);

      const editor = await signedInStaff(t, 'editor');
      await editor.get('/admin/front');
      assert.equal((await editor.post('/admin/front', { _csrf: 'forged', lead: String(story.c.id) })).status, 403);
      const bare = await editor.request('/admin/front', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `lead=${story.c.id}` });
      assert.equal(bare.status, 403);
      const multipart = new FormData();
      multipart.set('name', 'No token author');
      assert.equal((await editor.request('/admin/authors/new', { method: 'POST', body: multipart })).status, 403);
      assert.deepEqual(await frontRows(), before, 'nothing changed');
      assert.equal(await db().selectFrom('authors').select('id').where('name', 'in', ['Writer made', 'No token author']).executeTakeFirst(), undefined);
      assert.equal(await db().selectFrom('sections').select('id').where('name', '=', 'Writers corner').executeTakeFirst(), undefined);
    });

    it('lets an admin grow the section tree: new sections show on the site, renames keep the path', async () => {
      const admin = await signedInStaff(t, 'admin');
      const sectionsBefore = await auditCount('section');
      await admin.get('/admin/sections');
      assert.match(admin.lastBody, /data-section-path="World\/Europe" data-depth="1"/);
      assert.match(admin.lastBody, /data-section-path="World" data-depth="0"/);

      // A top-level section joins the site's navigation.
      assert.equal((await admin.post('/admin/sections', { name: 'Opinion Pages', description: 'Columns and letters.', parentId: '' })).status, 303);
      assert.match(await home(), /<nav class="site-nav" aria-label="Sections">[\s\S]*?<a href="\/Opinion-Pages">Opinion Pages<\/a>/);

      // A sub-section answers at parent path / slug and is listed on its parent's front.
      const world = await db().selectFrom('sections').select('id').where('path', '=', 'World').executeTakeFirstOrThrow();
      await admin.get('/admin/sections');
      const created = await admin.post('/admin/sections', { name: 'Polar News', parentId: String(world.id), description: '' });
      assert.equal(created.status, 303);
      const polar = await t.get('/World/Polar-News');
      assert.equal(polar.status, 200);
      assert.match(await polar.text(), /<h1 class="page-title">Polar News<\/h1>/);
      assert.match(await (await t.get('/World')).text(), /<a href="\/World\/Polar-News">Polar News<\/a>/);

      // Renaming changes the name, never the address.
      const row = await db().selectFrom('sections').select('id').where('path', '=', 'World/Polar-News').executeTakeFirstOrThrow();
      await admin.get(`/admin/sections/${row.id}`);
      assert.match(admin.lastBody, /The address \/World\/Polar-News stays: it is part of every published story’s URL/);
      assert.equal((await admin.post(`/admin/sections/${row.id}`, { name: 'Arctic and Antarctic', description: 'Ice.' })).status, 303);
      const renamed = await t.get('/World/Polar-News');
      assert.equal(renamed.status, 200);
      assert.match(await renamed.text(), /<h1 class="page-title">Arctic and Antarctic<\/h1>/);
      assert.equal((await db().selectFrom('sections').select('path').where('id', '=', row.id).executeTakeFirstOrThrow()).path, 'World/Polar-News');

      // Bad input comes back with 422 and the typed values.
      await admin.get('/admin/sections');
      const dup = await admin.post('/admin/sections', { name: 'polar news', parentId: String(world.id), description: 'kept text' });
      assert.equal(dup.status, 422);
      assert.match(admin.lastBody, /There is already a section at \/World\/polar-news\./);
      assert.match(admin.lastBody, /<input id="section-name" type="text" name="name" required="" maxlength="80" value="polar news" aria-invalid="true" aria-describedby="err-name"/);
      assert.match(admin.lastBody, />kept text<\/textarea>/);
      assert.equal((await admin.post('/admin/sections', { name: '', parentId: '' })).status, 422);
      assert.match(admin.lastBody, /Give the section a name\./);
      assert.equal((await admin.post(`/admin/sections/${row.id}`, { name: '   ' })).status, 422);

      // Siblings reorder: Opinion-Pages moves up in the navigation.
      const navOrder = async () => [...(/<nav class="site-nav"[\s\S]*?<\/nav>/.exec(await home())?.[0] ?? '').matchAll(/<a href="\/([^"]+)"/g)].map((m) => m[1]);
      const last = (await navOrder()).indexOf('Opinion-Pages');
      assert.equal(last, (await navOrder()).length - 1, 'a new section goes last');
      const opinion = await db().selectFrom('sections').select('id').where('path', '=', 'Opinion-Pages').executeTakeFirstOrThrow();
      await admin.get('/admin/sections');
      assert.equal((await admin.post(`/admin/sections/${opinion.id}/move`, { direction: 'up' })).status, 303);
      assert.equal((await navOrder()).indexOf('Opinion-Pages'), last - 1);

      // Deleting: refused while stories live there, allowed once empty.
      const europe = await db().selectFrom('sections').select('id').where('path', '=', 'World/Europe').executeTakeFirstOrThrow();
      await admin.get('/admin/sections');
      const refused = await admin.post(`/admin/sections/${europe.id}/delete`);
      assert.equal(refused.status, 409);
      assert.match(admin.lastBody, /The section was not deleted\. This section holds \d+ stories \(drafts included\)\./);
      assert.ok(await db().selectFrom('sections').select('id').where('id', '=', europe.id).executeTakeFirst(), 'still there');
      assert.equal((await admin.post(`/admin/sections/${world.id}/delete`)).status, 409, 'a parent with stories below is refused too');
      assert.equal((await admin.post(`/admin/sections/${row.id}/delete`)).status, 303);
      assert.equal((await t.get('/World/Polar-News')).status, 404);

      assert.equal((await auditCount('section')) - sectionsBefore, 5, 'create, create, rename, move, delete');
    });

    it('keeps sections for admins: an editor gets 403', async () => {
      const editor = await signedInStaff(t, 'editor');
      assert.equal((await editor.get('/admin/sections')).status, 403);
      const europe = await db().selectFrom('sections').select(['id', 'name']).where('path', '=', 'World/Europe').executeTakeFirstOrThrow();
      await editor.get('/admin');
      assert.equal((await editor.post('/admin/sections', { name: 'Editors corner' })).status, 403);
      assert.equal((await editor.post(`/admin/sections/${europe.id}`, { name: 'Renamed by editor' })).status, 403);
      assert.equal((await editor.post(`/admin/sections/${europe.id}/delete`)).status, 403);
      assert.equal((await db().selectFrom('sections').select('name').where('id', '=', europe.id).executeTakeFirstOrThrow()).name, europe.name);
    });

    it('lets an editor give an author a bio and a photo that their page shows', async () => {
      const editor = await signedInStaff(t, 'editor');
      const author = await db().selectFrom('authors').select(['id', 'slug']).where('name', '=', 'Test Writer').executeTakeFirstOrThrow();
      await editor.get('/admin/authors');
      assert.match(editor.lastBody, new RegExp(`<a href="/admin/authors/${author.id}">Test Writer</a>`));
      const stories = Number((await db().selectFrom('article_authors').select((eb) => eb.fn.countAll().as('n')).where('author_id', '=', author.id).executeTakeFirstOrThrow()).n);
      assert.match(editor.lastBody, new RegExp(`data-author-slug="${author.slug}">[\\s\\S]*?<td>${stories}</td>`));

      // The author page is cached before the edit: the save must drop it.
      assert.doesNotMatch(await (await t.get(`/author/${author.slug}`)).text(), /Covers harbors/);

      await editor.get(`/admin/authors/${author.id}`);
      const png = await sharp({ create: { width: 480, height: 600, channels: 3, background: '#2a6f97' } }).png().toBuffer();
      const form = new FormData();
      form.set('_csrf', editor.csrf());
      form.set('name', 'Test Writer');
      form.set('title', 'Harbor correspondent');
      form.set('slug', author.slug);
      form.set('bio', 'Covers harbors, ferries and the sea lanes of the north.');
      form.set('photo', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'portrait.png');
      const saved = await editor.request(`/admin/authors/${author.id}`, { method: 'POST', body: form });
      assert.equal(saved.status, 303);

      const page = await (await t.get(`/author/${author.slug}`)).text();
      assert.match(page, /Covers harbors, ferries and the sea lanes of the north\./);
      assert.match(page, /<p class="kicker">Harbor correspondent<\/p>/);
      const img = /<img class="author-photo" src="([^"]+)"[^>]*>/.exec(page);
      assert.ok(img, 'the photo is shown');
      assert.match(img[0], /width="160" height="200" alt="Test Writer"/);
      assert.equal((await t.get(img[1])).status, 200, 'the photo is served');
      const row = await db().selectFrom('authors').innerJoin('images', 'images.id', 'authors.photo_image_id').select(['images.width', 'images.height']).where('authors.id', '=', author.id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { width: 480, height: 600 });

      // Not a picture: 422 with the reason, typed values kept, nothing changed.
      await editor.get(`/admin/authors/${author.id}`);
      const bad = new FormData();
      bad.set('_csrf', editor.csrf());
      bad.set('name', 'Test Writer Renamed');
      bad.set('slug', author.slug);
      bad.set('bio', 'Changed bio that must not stick.');
      bad.set('photo', new Blob(['just text, not a picture'], { type: 'image/png' }), 'fake.png');
      const refused = await editor.request(`/admin/authors/${author.id}`, { method: 'POST', body: bad });
      assert.equal(refused.status, 422);
      const refusedHtml = await refused.text();
      assert.match(refusedHtml, /The file is not a picture we can read\./);
      assert.match(refusedHtml, /aria-invalid="true" aria-describedby="err-photo author-photo-hint"/);
      assert.match(refusedHtml, /value="Test Writer Renamed"/);
      assert.equal((await db().selectFrom('authors').select('bio').where('id', '=', author.id).executeTakeFirstOrThrow()).bio, 'Covers harbors, ferries and the sea lanes of the north.');

      // Removing the photo.
      await editor.get(`/admin/authors/${author.id}`);
      assert.match(editor.lastBody, /data-author-remove-photo/);
      assert.equal((await editor.post(`/admin/authors/${author.id}`, { name: 'Test Writer', title: 'Harbor correspondent', slug: author.slug, bio: 'Covers harbors.', removePhoto: '1' })).status, 303);
      const after = await (await t.get(`/author/${author.slug}`)).text();
      assert.doesNotMatch(after, /class="author-photo"/);
      assert.match(after, /Covers harbors\./);
      assert.ok((await auditCount('author')) >= 2);
    });

    it('adds authors with unique, valid slugs', async () => {
      const editor = await signedInStaff(t, 'editor');
      await editor.get('/admin/authors/new');
      const created = await editor.post('/admin/authors/new', { name: 'Ada Lindqvist', title: 'Staff writer', bio: 'Writes about ships.', slug: '' });
      assert.equal(created.status, 303);
      assert.match(created.headers.get('location') ?? '', /^\/admin\/authors\/\d+\?saved=author$/);
      const ada = await t.get('/author/ada-lindqvist');
      assert.equal(ada.status, 200);
      assert.match(await ada.text(), /Writes about ships\./);

      await editor.get('/admin/authors/new');
      const taken = await editor.post('/admin/authors/new', { name: 'Another Ada', slug: 'ada-lindqvist' });
      assert.equal(taken.status, 422);
      assert.match(editor.lastBody, /Ada Lindqvist already uses \/author\/ada-lindqvist; choose another slug\./);
      assert.match(editor.lastBody, /value="Another Ada"/);
      assert.equal((await editor.post('/admin/authors/new', { name: 'Bad Slug', slug: 'bad slug!' })).status, 422);
      assert.match(editor.lastBody, /Use letters, digits and single dashes/);
      assert.equal((await editor.post('/admin/authors/new', { name: '' })).status, 422);
      assert.match(editor.lastBody, /Give the author a name\./);
      assert.equal(await db().selectFrom('authors').select('id').where('name', 'in', ['Another Ada', 'Bad Slug']).executeTakeFirst(), undefined);
      const audit = await db().selectFrom('audit_log').select(['actor', 'detail']).where('action', '=', 'author').orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.deepEqual(audit, { actor: editor.email, detail: 'added Ada Lindqvist; page /author/ada-lindqvist' });
    });

    it('keeps an author\'s bylines after their slug changes: the next story finds them by name', async () => {
      const editor = await signedInStaff(t, 'editor');
      await t.article({ authors: ['Jonas Berg'] });
      const jonas = await db().selectFrom('authors').select(['id', 'name', 'title', 'bio']).where('name', '=', 'Jonas Berg').executeTakeFirstOrThrow();
      await editor.get(`/admin/authors/${jonas.id}`);
      assert.equal((await editor.post(`/admin/authors/${jonas.id}`, { name: 'Jonas Berg', title: jonas.title, bio: jonas.bio, slug: 'jberg' })).status, 303);
      await t.article({ authors: ['Jonas Berg'] });
      const all = await db().selectFrom('authors').select('id').where('name', '=', 'Jonas Berg').execute();
      assert.deepEqual(all.map((a) => a.id), [jonas.id], 'no second Jonas Berg');
      assert.equal((await t.get('/author/jberg')).status, 200);
    });
  });
}
