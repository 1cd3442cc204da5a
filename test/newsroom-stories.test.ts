// The newsroom's stories area through the real app, on both databases: the list with its
// filters, search and pages; writing a draft with a lead picture and handing it in; what
// writers may never do; publishing, scheduling, unpublishing, moving and correcting a story
// as readers then see it; autosave; CSRF; and the audit log each change leaves. Also saves
// that meet another save: a page opened before it, and a save that loses a race with it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, type TestApp } from './support/app.ts';
import type { Client } from './support/client.ts';
import { signedInStaff } from './support/staff.ts';
import { savePolicy } from '../src/paywall/policy-store.ts';
import { saveStory, type StoryContext, type StorySubmission } from '../src/admin/stories/story-actions.ts';
import { MAX_UPLOAD_BYTES } from '../src/admin/uploads.ts';
import type { Db } from '../src/db/database.ts';

type Staff = Client & { staffId: number; email: string };

const storyFields = (over: Record<string, string> = {}): Record<string, string> => ({
  headline: 'Ferry service returns to the fjord',
  dek: 'After the storm, the boats run again.',
  section: 'World/Europe',
  authors: 'Wanda Writer',
  tags: 'Ferries, Storms',
  dateline: 'BERGEN, Norway',
  access: '',
  slug: '',
  publish_at: '',
  lead_image_id: '',
  lead_caption: '',
  lead_credit: '',
  lead_alt: '',
  body: 'The first ferry left at dawn.\n\nPassengers cheered on the quay as it went.',
  correction: '',
  intent: 'save',
  ...over,
});

const csrfTokens = new WeakMap<Client, string>();

/** The staff member's form token, read once from a newsroom page (it is fixed per session). */
async function tokenOf(client: Client): Promise<string> {
  let token = csrfTokens.get(client);
  if (!token) {
    await client.get('/admin/stories/new');
    token = client.csrf();
    csrfTokens.set(client, token);
  }
  return token;
}

/** POSTs multipart/form-data the way the editor's form does, files included. */
async function sendForm(
  client: Client,
  path: string,
  fields: Record<string, string>,
  opts: { files?: Record<string, { bytes: Buffer; name: string; type: string }>; csrf?: boolean } = {},
): Promise<Response> {
  const form = new FormData();
  if (opts.csrf !== false) form.set('_csrf', await tokenOf(client));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const [k, f] of Object.entries(opts.files ?? {})) form.append(k, new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
  const res = await client.request(path, { method: 'POST', body: form });
  client.lastBody = await res.clone().text();
  return res;
}

/** The version of the story an editor page was made from (its hidden base_updated_at). */
const baseOf = (html: string) => /<input type="hidden" name="base_updated_at" value="(\d*)"/.exec(html)?.[1];

/**
 * The database, except that `interfere` runs and commits just before the first transaction
 * begins: another save landing between what saveStory read and what it writes, every time.
 */
function raceBeforeTransaction(db: Db, interfere: () => Promise<void>): Db {
  let hasRun = false;
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'transaction' && !hasRun) {
        return () => ({
          async execute(fn: never) {
            hasRun = true;
            await interfere();
            return target.transaction().execute(fn);
          },
        });
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const rowsOf = (html: string) => [...html.matchAll(/data-story-row="(\d+)"/g)].map((m) => Number(m[1]));
const idFromLocation = (res: Response) => Number(/\/admin\/stories\/(\d+)\/edit/.exec(res.headers.get('location') ?? '')?.[1]);

for (const dialect of DIALECTS) {
  describe(`newsroom stories (${dialect})`, () => {
    let t: TestApp;
    let writer: Staff;
    let otherWriter: Staff;
    let editor: Staff;
    let png: Buffer;

    before(async () => {
      t = await startTestApp(dialect);
      writer = await signedInStaff(t, 'writer', { name: 'Wanda Writer' });
      otherWriter = await signedInStaff(t, 'writer', { name: 'Otto Other' });
      editor = await signedInStaff(t, 'editor', { name: 'Edna Editor' });
      png = await sharp({ create: { width: 96, height: 64, channels: 3, background: { r: 30, g: 90, b: 160 } } }).png().toBuffer();
      // 26 stories in World/Europe and 2 in Opinion, each changed a minute after the last.
      for (let i = 0; i < 26; i++) {
        t.clock.now = NOW - (40 - i) * 60_000;
        await t.article({ headline: `Harbor story ${i}`, sectionPath: 'World/Europe', publishedAt: NOW - (40 - i) * 3_600_000 });
      }
      for (let i = 0; i < 2; i++) {
        t.clock.now = NOW - (10 - i) * 60_000;
        await t.article({ headline: `Column ${i}`, dek: 'A column about the TIDES, 100% opinion.', sectionPath: 'Opinion', authors: ['Olga Columnist'], publishedAt: NOW - (10 - i) * 3_600_000 });
      }
      t.clock.now = NOW;
    });
    after(() => t.close());

    const db = () => t.app.database.db;
    const articleRow = (id: number) => db().selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const auditOf = (id: number) => db().selectFrom('audit_log').select(['action', 'detail', 'actor', 'user_id']).where('article_id', '=', id).orderBy('id').execute();
    const articleCount = async () => Number((await db().selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    it('lists every story, newest change first, 25 a page, with filters and search', async () => {
      const first = await editor.get('/admin/stories');
      assert.equal(first.status, 200);
      const page1 = rowsOf(editor.lastBody);
      assert.equal(page1.length, 25);
      assert.match(editor.lastBody, /28 stories in all/);
      const headlines = [...editor.lastBody.matchAll(/<a href="\/admin\/stories\/\d+\/edit">([^<]+)<\/a>/g)].map((m) => m[1]);
      assert.deepEqual(headlines.slice(0, 3), ['Column 1', 'Column 0', 'Harbor story 25']);
      assert.match(editor.lastBody, /class="status status-published"/);
      assert.match(editor.lastBody, /href="\/admin\/stories\/new"/);
      assert.match(editor.lastBody, /November 20, 2026(,| at) 9:\d\d AM EST/, 'updated times in the publication time zone');

      await editor.get('/admin/stories?page=2');
      const page2 = rowsOf(editor.lastBody);
      assert.equal(page2.length, 3);
      assert.equal(new Set([...page1, ...page2]).size, 28, 'no story on two pages');
      assert.match(editor.lastBody, /rel="prev" href="\/admin\/stories"/);

      const count = async (query: string) => {
        const res = await editor.get(`/admin/stories${query}`);
        assert.equal(res.status, 200, query);
        return Number(/data-story-count="(\d+)"/.exec(editor.lastBody)?.[1]);
      };
      assert.equal(await count('?section=Opinion'), 2);
      assert.match(editor.lastBody, /<option value="Opinion" selected="">/, 'the filter stays chosen');
      assert.equal(await count('?section=World'), 26, 'a section includes its sub-sections');
      assert.equal(await count('?author=olga-columnist'), 2);
      assert.equal(await count('?q=tides'), 2, 'the dek, ignoring case');
      assert.equal(await count('?q=HARBOR%20STORY%201'), 11, 'the headline, ignoring case');
      assert.equal(await count('?q=100%25'), 2, 'a literal percent sign');
      assert.equal(await count('?q=1_0'), 0, 'wildcards are taken literally');
      assert.equal(await count('?status=published&section=Opinion'), 2);
      assert.equal(await count('?status=draft'), 0);
      assert.equal(await count('?status=bogus&page=abc'), 28, 'nonsense filters are dropped');
    });

    it('shows writers every story but lets them edit only their own drafts', async () => {
      await writer.get('/admin/stories');
      assert.equal(rowsOf(writer.lastBody).length, 25);
      assert.doesNotMatch(writer.lastBody, /data-editable="true"/);
      assert.match(writer.lastBody, /View only: not yours/);
      assert.doesNotMatch(writer.lastBody, /href="\/admin\/stories\/\d+\/edit"/);
    });

    it('offers the editor with the hooks the script relies on', async () => {
      const res = await writer.get('/admin/stories/new');
      assert.equal(res.status, 200);
      const page = writer.lastBody;
      assert.match(page, /<form id="story-form"[^>]* data-story-form=""[^>]* data-story-id=""[^>]* data-autosave-url="\/admin\/stories\/autosave"/);
      assert.match(page, /enctype="multipart\/form-data"/);
      for (const hook of ['data-body-editor', 'data-word-count', 'data-reading-time', 'data-lead-drop', 'data-insert-image', 'data-inline-image-input']) {
        assert.ok(page.includes(hook), hook);
      }
      assert.match(page, /<div class="body-preview" data-body-preview="true" aria-live="off" role="region" aria-label="Preview of the body" tabindex="0"><\/div>/);
      assert.match(page, /<span data-autosave-status="true" aria-live="polite"><\/span>/);
      assert.match(page, /Drop a picture here or choose a file/);
      assert.match(page, /name="lead_image_id" value=""/);
      assert.equal(baseOf(page), '', 'a new story has no version yet');
      assert.match(page, /<input type="file" id="story-lead-image" name="lead_image"/);
      assert.match(page, /name="authors"[^>]* value="Wanda Writer"/, "the writer's own byline by default");
      assert.match(page, /<details class="cheatsheet">/);
      assert.match(page, /\[!pullquote\]/);
      const buttons = [...page.matchAll(/name="intent" value="(\w+)"/g)].map((m) => m[1]);
      assert.deepEqual(buttons, ['save', 'submit'], 'a writer can save and hand in, nothing more');
      await editor.get('/admin/stories/new');
      assert.deepEqual([...editor.lastBody.matchAll(/name="intent" value="(\w+)"/g)].map((m) => m[1]), ['save', 'publish', 'schedule']);
      assert.match(editor.lastBody, /name="publish_at"/);
      assert.match(editor.lastBody, /<option value="" selected="">Section default \(metered\)<\/option>/);
    });

    let storyId: number;
    let storyUrl: string;

    it('lets a writer write a draft with a lead picture and hand it in', async () => {
      const before = await articleCount();
      const res = await sendForm(writer, '/admin/stories', storyFields(), { files: { lead_image: { bytes: png, name: 'ferry.png', type: 'image/png' } } });
      assert.equal(res.status, 303, writer.lastBody.slice(0, 500));
      storyId = idFromLocation(res);
      assert.match(res.headers.get('location')!, /\?done=created$/);
      assert.equal(await articleCount(), before + 1);
      const row = await articleRow(storyId);
      assert.equal(row.status, 'draft');
      assert.equal(row.created_by, writer.staffId);
      assert.equal(row.submitted_at, null);
      assert.equal(row.url_path, null);
      assert.equal(row.slug, 'Ferry-service-returns-to-the-fjord');
      assert.equal(row.access, 'metered', 'the section default');
      assert.match(row.lead_image_id ?? '', /^[0-9a-f]{24}$/);
      const image = await db().selectFrom('images').selectAll().where('id', '=', row.lead_image_id!).executeTakeFirst();
      assert.equal(image?.width, 96);
      assert.deepEqual((await auditOf(storyId)).map((a) => [a.action, a.user_id]), [['create', writer.staffId]]);

      const edit = await writer.follow(res);
      assert.equal(edit.status, 200);
      assert.match(writer.lastBody, /Saved as a draft/);
      assert.match(writer.lastBody, new RegExp(`data-story-id="${storyId}"[^>]* data-autosave-url="/admin/stories/${storyId}/autosave"`));
      assert.match(writer.lastBody, new RegExp(`<img data-lead-preview="true" src="/media/${row.lead_image_id}/96\\.webp"`));
      assert.match(writer.lastBody, new RegExp(`name="lead_image_id" value="${row.lead_image_id}"`));
      assert.match(writer.lastBody, /<span data-word-count="true">14<\/span>/);
      assert.match(writer.lastBody, /<span data-reading-time="true">1<\/span>/);
      assert.match(writer.lastBody, /name="slug"[^>]* value=""/, 'a slug made from the headline follows it');
      assert.equal(baseOf(writer.lastBody), String(row.updated_at), 'the page names the version it was made from');

      const submitted = await sendForm(writer, `/admin/stories/${storyId}`, storyFields({ intent: 'submit', lead_image_id: row.lead_image_id! }));
      assert.equal(submitted.status, 303);
      const after = await articleRow(storyId);
      assert.equal(after.status, 'draft');
      assert.equal(after.submitted_at, NOW);
      assert.equal(after.lead_image_id, row.lead_image_id, 'the picture is kept');
      assert.deepEqual((await auditOf(storyId)).map((a) => a.action), ['create', 'submit']);
      await editor.get('/admin/stories?status=submitted');
      assert.deepEqual(rowsOf(editor.lastBody), [storyId]);
      assert.match(editor.lastBody, /status status-submitted/);
      await writer.get('/admin/stories?mine=1');
      assert.deepEqual(rowsOf(writer.lastBody), [storyId]);
      assert.match(writer.lastBody, /data-editable="true"/);
    });

    it('never lets a writer publish, schedule or unpublish (403, nothing changes)', async () => {
      const before = await articleRow(storyId);
      for (const intent of ['publish', 'schedule', 'unpublish']) {
        const res = await sendForm(writer, `/admin/stories/${storyId}`, storyFields({ intent, headline: 'Changed by the writer', publish_at: '2026-12-01T06:00', lead_image_id: before.lead_image_id!, lead_caption: 'c', lead_credit: 'c', lead_alt: 'a' }));
        assert.equal(res.status, 403, intent);
      }
      const after = await articleRow(storyId);
      assert.deepEqual(after, before);
      assert.deepEqual((await auditOf(storyId)).map((a) => a.action), ['create', 'submit']);
    });

    it("never lets a writer change someone else's draft", async () => {
      const before = await articleRow(storyId);
      assert.equal((await otherWriter.get(`/admin/stories/${storyId}/edit`)).status, 403);
      assert.match(otherWriter.lastBody, /only the drafts they started/);
      assert.equal((await sendForm(otherWriter, `/admin/stories/${storyId}`, storyFields({ headline: 'Hijacked' }))).status, 403);
      const auto = await sendForm(otherWriter, `/admin/stories/${storyId}/autosave`, storyFields({ headline: 'Hijacked' }));
      assert.equal(auto.status, 403);
      assert.equal((await auto.json()).ok, false);
      assert.deepEqual(await articleRow(storyId), before);
    });

    it('refuses to publish a lead picture without caption, credit and alt text, keeping what was typed', async () => {
      const before = await articleRow(storyId);
      const typed = storyFields({ intent: 'publish', lead_image_id: before.lead_image_id!, body: 'A body the editor *just* typed.\n\n> [!pullquote]\n> Keep me.', dek: 'A new dek' });
      const res = await sendForm(editor, `/admin/stories/${storyId}`, typed);
      assert.equal(res.status, 422);
      const page = editor.lastBody;
      assert.match(page, /data-error-summary/);
      for (const field of ['lead-caption', 'lead-credit', 'lead-alt']) {
        assert.match(page, new RegExp(`id="story-${field}" name="[a-z_]+" aria-invalid="true" aria-describedby="[^"]*story-${field}-error`), field);
        assert.match(page, new RegExp(`id="story-${field}-error">[^<]*required before publishing`), field);
      }
      assert.ok(page.includes('A body the editor *just* typed.\n\n&gt; [!pullquote]\n&gt; Keep me.</textarea>'), 'the body comes back as typed');
      assert.match(page, /name="dek"[^>]*>A new dek<\/textarea>/);
      assert.match(page, new RegExp(`<img data-lead-preview="true" src="/media/${before.lead_image_id}/`));
      assert.deepEqual(await articleRow(storyId), before, 'nothing written');
    });

    it('keeps an uploaded picture on a refused form, and writes no story', async () => {
      const before = await articleCount();
      const other = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 250, g: 200, b: 0 } } }).jpeg().toBuffer();
      const res = await sendForm(writer, '/admin/stories', storyFields({ headline: '', body: 'Typed before the headline.' }), { files: { lead_image: { bytes: other, name: 'sun.jpg', type: 'image/jpeg' } } });
      assert.equal(res.status, 422);
      assert.equal(await articleCount(), before);
      const kept = /name="lead_image_id" value="([0-9a-f]{24})"/.exec(writer.lastBody)?.[1];
      assert.ok(kept, 'the stored picture is named in the form');
      assert.match(writer.lastBody, new RegExp(`<img data-lead-preview="true" src="/media/${kept}/40\\.webp"`));
      assert.match(writer.lastBody, /id="story-headline" name="headline" aria-invalid="true" aria-describedby="story-headline-error"/);
      assert.match(writer.lastBody, /<li><a href="#story-headline">Headline: Write a headline\.<\/a><\/li>/);
      assert.match(writer.lastBody, />Typed before the headline\.<\/textarea>/);
      const bad = await sendForm(writer, '/admin/stories', storyFields(), { files: { lead_image: { bytes: Buffer.from('not a picture at all'), name: 'x.png', type: 'image/png' } } });
      assert.equal(bad.status, 422);
      assert.match(writer.lastBody, /id="story-lead-image-error">The file is not a picture we can read/);
      assert.equal(await articleCount(), before);
    });

    it('refuses a body picture that is not in the library', async () => {
      const before = await articleRow(storyId);
      const res = await sendForm(editor, `/admin/stories/${storyId}`, storyFields({ lead_image_id: before.lead_image_id!, body: `Text.\n\n![A ferry](image:${'f'.repeat(24)} "Caption | Credit")` }));
      assert.equal(res.status, 422);
      assert.match(editor.lastBody, /id="story-body-error">A picture in the body is not in the library/);
      assert.deepEqual(await articleRow(storyId), before);
    });

    it('lets an editor publish it, with a picture in the body: it is on the home page and its section front', async () => {
      const lead = (await articleRow(storyId)).lead_image_id!;
      const body = `The first ferry left at dawn.\n\n![The quay at dawn](image:${lead} "Crowds on the quay | Wanda Writer/The Courier")\n\nPassengers cheered.`;
      const res = await sendForm(editor, `/admin/stories/${storyId}`, storyFields({ intent: 'publish', lead_image_id: lead, lead_caption: 'The ferry leaves Bergen.', lead_credit: 'Wanda Writer/The Test Courier', lead_alt: 'A white ferry pulling away from a wooden quay', body }));
      assert.equal(res.status, 303, editor.lastBody.slice(0, 300));
      assert.match(res.headers.get('location')!, /done=published/);
      const row = await articleRow(storyId);
      assert.equal(row.status, 'published');
      assert.equal(row.published_at, NOW);
      assert.equal(row.submitted_at, null);
      assert.equal(row.created_by, writer.staffId, 'still the writer’s story');
      storyUrl = row.url_path!;
      assert.equal(storyUrl, '/World/Europe/2026/1120/Ferry-service-returns-to-the-fjord');
      const audit = await auditOf(storyId);
      assert.deepEqual(audit.at(-1), { action: 'publish', detail: storyUrl, actor: editor.email, user_id: editor.staffId });

      await editor.follow(res);
      assert.match(editor.lastBody, /Published\./);
      assert.match(editor.lastBody, new RegExp(`href="${storyUrl}">See it on the site`));
      const home = await t.get('/');
      assert.match(await home.text(), /Ferry service returns to the fjord/);
      const front = await t.get('/World/Europe');
      assert.match(await front.text(), /Ferry service returns to the fjord/);
      const page = await t.get(storyUrl);
      assert.equal(page.status, 200);
      const text = await page.text();
      assert.match(text, /The ferry leaves Bergen\./);
      assert.match(text, new RegExp(`/media/${lead}/96\\.webp`));
      assert.match(text, /Crowds on the quay/, 'the body figure is resolved');
    });

    it('never lets a writer change a published story', async () => {
      const before = await articleRow(storyId);
      assert.equal((await writer.get(`/admin/stories/${storyId}/edit`)).status, 403);
      assert.equal((await sendForm(writer, `/admin/stories/${storyId}`, storyFields({ headline: 'Writer rewrites it', slug: 'Writer-moves-it' }))).status, 403);
      const auto = await sendForm(writer, `/admin/stories/${storyId}/autosave`, storyFields({ headline: 'Writer rewrites it' }));
      assert.equal(auto.status, 409, 'autosave never touches a live story');
      assert.deepEqual(await auto.json(), { ok: false, reason: 'live-story', message: 'This story is out; autosave is off. Save it with the buttons.' });
      assert.deepEqual(await articleRow(storyId), before);
    });

    const publishedFields = async (over: Record<string, string> = {}) => {
      const row = await articleRow(storyId);
      return storyFields({
        headline: row.headline,
        slug: row.slug,
        access: row.access,
        lead_image_id: row.lead_image_id!,
        lead_caption: row.lead_caption,
        lead_credit: row.lead_credit,
        lead_alt: row.lead_alt,
        body: row.body_md,
        ...over,
      });
    };

    it('records an access change in the audit log', async () => {
      const res = await sendForm(editor, `/admin/stories/${storyId}`, await publishedFields({ access: 'subscriber' }));
      assert.equal(res.status, 303, editor.lastBody.slice(0, 300));
      assert.equal((await articleRow(storyId)).access, 'subscriber');
      assert.deepEqual((await auditOf(storyId)).at(-1), { action: 'access', detail: 'metered → subscriber', actor: editor.email, user_id: editor.staffId });
      const page = await t.get(storyUrl);
      assert.match(await page.text(), /data-access="(locked|subscriber)"/);
      await sendForm(editor, `/admin/stories/${storyId}`, await publishedFields({ access: 'metered' }));
    });

    it('appends a dated correction at the end of the article', async () => {
      t.clock.now = NOW + 2 * 3_600_000;
      try {
        const res = await sendForm(editor, `/admin/stories/${storyId}`, await publishedFields({ correction: 'An earlier version gave the wrong departure time.' }));
        assert.equal(res.status, 303, editor.lastBody.slice(0, 300));
      } finally {
        t.clock.now = NOW;
      }
      const corrections = await db().selectFrom('corrections').selectAll().where('article_id', '=', storyId).execute();
      assert.deepEqual(corrections.map((c) => [c.text, c.corrected_at]), [['An earlier version gave the wrong departure time.', NOW + 2 * 3_600_000]]);
      assert.equal((await auditOf(storyId)).at(-1)?.action, 'correct');
      assert.equal((await articleRow(storyId)).url_path, storyUrl, 'an update keeps the URL');
      const html = await (await t.get(storyUrl)).text();
      const at = html.indexOf('An earlier version gave the wrong departure time.');
      assert.ok(at > html.indexOf('Passengers cheered'), 'after the body');
      assert.match(html.slice(html.indexOf('class="corrections"'), at), /November 20, 2026/);
      await editor.get(`/admin/stories/${storyId}/edit`);
      assert.match(editor.lastBody, /name="correction"/);
      assert.match(editor.lastBody, /wrong departure time/, 'earlier corrections listed');
      assert.deepEqual([...editor.lastBody.matchAll(/name="intent" value="(\w+)"/g)].map((m) => m[1]), ['save', 'unpublish']);
    });

    it('moves a published story to a new slug and answers the old URL with 301', async () => {
      const res = await sendForm(editor, `/admin/stories/${storyId}`, await publishedFields({ slug: 'Ferries-are-back' }));
      assert.equal(res.status, 303, editor.lastBody.slice(0, 300));
      const moved = '/World/Europe/2026/1120/Ferries-are-back';
      assert.equal((await articleRow(storyId)).url_path, moved);
      const old = await t.get(storyUrl);
      assert.equal(old.status, 301);
      assert.equal(old.headers.get('location'), moved);
      assert.equal((await t.get(moved)).status, 200);
      assert.deepEqual((await auditOf(storyId)).at(-1), { action: 'url', detail: `${storyUrl} → ${moved}`, actor: editor.email, user_id: editor.staffId });
      storyUrl = moved;
      const taken = await sendForm(editor, `/admin/stories/${storyId}`, await publishedFields({ slug: 'Harbor-story-3' }));
      assert.equal(taken.status, 422);
      assert.match(editor.lastBody, /id="story-slug-error">Another story in World\/Europe already uses this slug/);
    });

    it('unpublishes a story: it is a draft again and its URL answers 410', async () => {
      const res = await sendForm(editor, `/admin/stories/${storyId}`, await publishedFields({ intent: 'unpublish' }));
      assert.equal(res.status, 303, editor.lastBody.slice(0, 300));
      const row = await articleRow(storyId);
      assert.equal(row.status, 'draft');
      assert.equal(row.url_path, null);
      assert.equal((await t.get(storyUrl)).status, 410);
      const last = (await auditOf(storyId)).at(-1)!;
      assert.equal(last.action, 'unpublish');
      assert.match(last.detail, /Ferries-are-back now answers 410/);
      assert.doesNotMatch(await (await t.get('/World/Europe')).text(), /Ferry service returns to the fjord/);
      // Unpublishing a draft makes no sense.
      const again = await sendForm(editor, `/admin/stories/${storyId}`, await publishedFields({ intent: 'unpublish' }));
      assert.equal(again.status, 409);
    });

    it('schedules a story, which the jobs publish once its time has come', async () => {
      const res = await sendForm(editor, '/admin/stories', storyFields({ headline: 'Night ferry timetable announced', intent: 'schedule', publish_at: '2026-11-20T12:30', access: 'free' }));
      assert.equal(res.status, 303, editor.lastBody.slice(0, 300));
      const id = idFromLocation(res);
      const row = await articleRow(id);
      assert.equal(row.status, 'scheduled');
      assert.equal(row.published_at, Date.parse('2026-11-20T17:30:00Z'));
      assert.equal(row.created_by, editor.staffId);
      assert.deepEqual((await auditOf(id)).map((a) => a.action), ['create', 'schedule']);
      assert.match((await auditOf(id))[1].detail, /for November 20, 2026(,| at) 12:30 PM EST/);
      assert.equal((await t.get(row.url_path!)).status, 404, 'not out yet');
      await editor.get(`/admin/stories/${id}/edit`);
      assert.match(editor.lastBody, /name="publish_at"[^>]* value="2026-11-20T12:30"/);

      const past = await sendForm(editor, `/admin/stories/${id}`, storyFields({ headline: 'Night ferry timetable announced', intent: 'schedule', publish_at: '2026-11-20T09:00' }));
      assert.equal(past.status, 422);
      assert.match(editor.lastBody, /id="story-publish-at-error">Choose a time in the future/);

      t.clock.now = Date.parse('2026-11-20T17:31:00Z');
      try {
        await t.app.runJobs();
        assert.equal((await articleRow(id)).status, 'published');
        const page = await t.get(row.url_path!);
        assert.equal(page.status, 200);
        assert.match(await page.text(), /Night ferry timetable announced/);
      } finally {
        t.clock.now = NOW;
      }
    });

    it('autosaves a new draft, then the same draft, as JSON', async () => {
      const before = await articleCount();
      const first = await sendForm(writer, '/admin/stories/autosave', storyFields({ headline: '', authors: '', body: 'Three words here.' }));
      assert.equal(first.status, 200);
      const json = await first.json();
      assert.equal(json.ok, true);
      assert.equal(typeof json.id, 'number');
      assert.equal(json.editUrl, `/admin/stories/${json.id}/edit`);
      assert.equal(json.autosaveUrl, `/admin/stories/${json.id}/autosave`);
      assert.equal(json.saveUrl, `/admin/stories/${json.id}`);
      assert.equal(json.wordCount, 3);
      assert.equal(json.savedAt, new Date(NOW).toISOString());
      assert.equal(await articleCount(), before + 1);
      const row = await articleRow(json.id);
      assert.equal(row.headline, 'Untitled draft');
      assert.equal(row.status, 'draft');
      assert.equal(row.created_by, writer.staffId);
      const bylines = await db().selectFrom('article_authors').innerJoin('authors', 'authors.id', 'article_authors.author_id').select('authors.name').where('article_id', '=', json.id).execute();
      assert.deepEqual(bylines.map((b) => b.name), ['Wanda Writer']);

      // A second untitled draft in the same section gets its own slug.
      const second = await (await sendForm(writer, '/admin/stories/autosave', storyFields({ headline: '', body: 'x' }))).json();
      assert.equal(second.ok, true);
      assert.notEqual((await articleRow(second.id)).slug, row.slug);

      const urlencoded = new URLSearchParams({ ...storyFields({ headline: 'Ferries at night', body: 'Now the story has five words.' }), _csrf: await tokenOf(writer) });
      const again = await writer.request(json.autosaveUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: urlencoded.toString() });
      assert.equal(again.status, 200);
      const body = await again.json();
      assert.deepEqual([body.ok, body.id, body.wordCount], [true, json.id, 6]);
      const saved = await articleRow(json.id);
      assert.equal(saved.headline, 'Ferries at night');
      assert.equal(saved.slug, 'Ferries-at-night', 'the slug follows the headline while it is a draft');
      const revisions = async () => Number((await db().selectFrom('revisions').select((eb) => eb.fn.countAll().as('n')).where('article_id', '=', json.id).executeTakeFirstOrThrow()).n);
      const kept = await revisions();
      await writer.request(json.autosaveUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: urlencoded.toString() });
      assert.equal(await revisions(), kept, 'an autosave that changes nothing keeps no revision');

      // A figure still being typed does not stop an autosave; the buttons insist on it.
      const halfTyped = await sendForm(writer, json.autosaveUrl, storyFields({ headline: 'Ferries at night', body: 'Text.\n\n![A ferry](image:12)' }));
      assert.equal(halfTyped.status, 200);
      assert.equal((await articleRow(json.id)).body_md, 'Text.\n\n![A ferry](image:12)');
      assert.equal((await sendForm(writer, `/admin/stories/${json.id}`, storyFields({ headline: 'Ferries at night', body: 'Text.\n\n![A ferry](image:12)' }))).status, 422);

      const invalid = await sendForm(writer, json.autosaveUrl, storyFields({ dek: 'd'.repeat(401) }));
      assert.equal(invalid.status, 422);
      const errors = await invalid.json();
      assert.equal(errors.ok, false);
      assert.match(errors.errors.dek, /400/);
      assert.equal((await articleRow(json.id)).dek, saved.dek);
    });

    it('answers 409 to an autosave of a scheduled or published story', async () => {
      const published = await t.article({ headline: 'Already out' });
      const res = await sendForm(editor, `/admin/stories/${published.id}/autosave`, storyFields({ headline: 'Half-edited' }));
      assert.equal(res.status, 409);
      assert.deepEqual((await res.json()).reason, 'live-story');
      assert.equal((await articleRow(published.id)).headline, 'Already out');
    });

    it('refuses posts without the form token', async () => {
      const before = await articleCount();
      const res = await sendForm(writer, '/admin/stories', storyFields({ headline: 'No token' }), { csrf: false });
      assert.equal(res.status, 403);
      const auto = await sendForm(writer, '/admin/stories/autosave', storyFields({ headline: 'No token' }), { csrf: false });
      assert.equal(auto.status, 403);
      assert.equal(await articleCount(), before);
    });

    it('uses the section default of the paywall policy for a new story', async () => {
      await savePolicy(db(), { sectionDefaults: { Opinion: 'free' } });
      await editor.get('/admin/stories/new?section=Opinion');
      assert.match(editor.lastBody, /Section default \(free\)/);
      const res = await sendForm(writer, '/admin/stories', storyFields({ headline: 'A free column', section: 'Opinion', access: 'subscriber' }));
      assert.equal(res.status, 303);
      assert.equal((await articleRow(idFromLocation(res))).access, 'free', 'a writer cannot choose access');
    });

    describe('saves that meet another save', () => {
      let otherEditor: Staff;
      before(async () => {
        otherEditor = await signedInStaff(t, 'editor', { name: 'Olaf Other-Editor' });
      });
      const at = async <T>(ms: number, fn: () => Promise<T>): Promise<T> => {
        t.clock.now = ms;
        try {
          return await fn();
        } finally {
          t.clock.now = NOW;
        }
      };
      const counts = async (id: number) => ({
        audit: (await auditOf(id)).length,
        revisions: Number((await db().selectFrom('revisions').select((eb) => eb.fn.countAll().as('n')).where('article_id', '=', id).executeTakeFirstOrThrow()).n),
        corrections: (await db().selectFrom('corrections').select('text').where('article_id', '=', id).orderBy('id').execute()).map((c) => c.text),
      });
      /** The editor's fields for a stored story, as its edit page has them. */
      const pageFields = async (id: number, over: Record<string, string> = {}) => {
        const row = await articleRow(id);
        return storyFields({ headline: row.headline, slug: row.slug, access: row.access, body: row.body_md, base_updated_at: String(row.updated_at), ...over });
      };
      const context = (db: Db): StoryContext => ({ db, dialect: t.app.database.dialect, mediaDir: t.app.mediaDir, now: () => t.clock.now, timeZone: 'America/New_York' });
      const asStaff = (c: Staff, name: string, role: 'writer' | 'editor'): StorySubmission['staff'] => ({ id: c.staffId, email: c.email, name, role });

      it('refuses a correction from a page opened before another editor corrected the story (409, text kept, nothing written)', async () => {
        const { id } = await t.article({ headline: 'Harbor dues rise by a tenth' });
        await editor.get(`/admin/stories/${id}/edit`);
        const editorsPage = editor.lastBody;
        await otherEditor.get(`/admin/stories/${id}/edit`);
        assert.equal(baseOf(editorsPage), String(NOW));
        assert.equal(baseOf(otherEditor.lastBody), String(NOW));

        const first = await at(NOW + 5 * 60_000, async () => sendForm(otherEditor, `/admin/stories/${id}`, await pageFields(id, { correction: 'The rise is a tenth, not a fifth.', body: 'Newer words by the other editor.' })));
        assert.equal(first.status, 303, otherEditor.lastBody.slice(0, 300));
        const before = await counts(id);
        const rowBefore = await articleRow(id);

        const late = await at(NOW + 6 * 60_000, async () =>
          sendForm(editor, `/admin/stories/${id}`, await pageFields(id, { base_updated_at: String(NOW), body: 'Older words from the first tab.', correction: 'The harbor master’s name is Ola, not Ole.' })),
        );
        assert.equal(late.status, 409);
        const page = editor.lastBody;
        assert.ok(page.includes('Someone else saved this story at 10:05 AM since you opened it: your text is below; copy what you need, then reload.'), page.slice(0, 2000));
        assert.match(page, new RegExp(`href="/admin/stories/${id}/edit">Reload the story</a>`));
        assert.match(page, />Older words from the first tab\.<\/textarea>/, 'the writer’s text is kept');
        assert.match(page, />The harbor master’s name is Ola, not Ole\.<\/textarea>/, 'and the correction they typed');
        assert.match(page, /The rise is a tenth, not a fifth\./, 'the correction that stands is listed');
        assert.equal(baseOf(page), String(NOW), 'sending the page again is refused again');
        assert.match(page, /<form id="story-form"[^>]* data-story-stale=""/, 'the script keeps this text in the browser and autosaves none of it');
        assert.doesNotMatch(editorsPage, /data-story-stale/);
        assert.deepEqual(await counts(id), before, 'no revision, no audit entry, no correction');
        assert.deepEqual(await articleRow(id), rowBefore);
      });

      it('keeps both corrections when two editors add one in the same instant', async () => {
        const { id } = await t.article({ headline: 'Lighthouse keeper retires' });
        const row = await articleRow(id);
        // The other editor's correction commits after this save read the story and before it writes.
        const racing = raceBeforeTransaction(db(), async () => {
          const res = await sendForm(otherEditor, `/admin/stories/${id}`, await pageFields(id, { correction: 'She served 31 years, not 30.' }));
          assert.equal(res.status, 303, otherEditor.lastBody.slice(0, 300));
        });
        const outcome = await saveStory(context(racing), {
          staff: asStaff(editor, 'Edna Editor', 'editor'),
          storyId: id,
          intent: 'save',
          mode: 'form',
          fields: storyFields({ headline: row.headline, slug: row.slug, access: row.access, body: row.body_md, base_updated_at: String(row.updated_at), correction: 'The lighthouse is on Utsira.' }),
        });
        assert.equal(outcome.ok, true, JSON.stringify(outcome));
        const after = await counts(id);
        assert.deepEqual(after.corrections, ['She served 31 years, not 30.', 'The lighthouse is on Utsira.']);
        assert.deepEqual((await auditOf(id)).filter((a) => a.action === 'correct').map((a) => a.detail), ['She served 31 years, not 30.', 'The lighthouse is on Utsira.']);
      });

      it('writes nothing when an autosave loses a race with a publish: the story stays out and the log says publish', async () => {
        const created = await sendForm(writer, '/admin/stories', storyFields({ headline: 'Race at the locks', body: 'Draft words.' }));
        assert.equal(created.status, 303);
        const id = idFromLocation(created);
        const draft = await articleRow(id);
        const racing = raceBeforeTransaction(db(), () =>
          at(NOW + 60_000, async () => {
            const res = await sendForm(editor, `/admin/stories/${id}`, storyFields({ headline: 'Race at the locks', body: 'Draft words.', intent: 'publish', base_updated_at: String(draft.updated_at) }));
            assert.equal(res.status, 303, editor.lastBody.slice(0, 300));
          }),
        );
        const outcome = await saveStory(context(racing), {
          staff: asStaff(writer, 'Wanda Writer', 'writer'),
          storyId: id,
          intent: 'save',
          mode: 'autosave',
          fields: storyFields({ headline: 'Race at the locks', body: 'Draft words, and a few more.', base_updated_at: String(draft.updated_at) }),
        });
        assert.equal(outcome.ok, false);
        assert.equal(!outcome.ok && outcome.reason, 'stale');
        const row = await articleRow(id);
        assert.equal(row.status, 'published', 'not unpublished by the autosave');
        assert.equal(Number(row.published_at), NOW + 60_000);
        assert.equal(row.body_md, 'Draft words.');
        assert.deepEqual((await auditOf(id)).map((a) => a.action), ['create', 'publish']);
        assert.equal((await t.get(row.url_path!)).status, 200);
      });

      it('moves the form’s version on with each autosave, and refuses one from a page opened before another save', async () => {
        const first = await (await sendForm(writer, '/admin/stories/autosave', storyFields({ headline: 'Buoys in the bay', body: 'One.' }))).json();
        assert.equal(first.ok, true);
        assert.equal(first.updatedAt, NOW, 'the new version, for the form');
        const second = await at(NOW + 60_000, async () => (await sendForm(writer, first.autosaveUrl, storyFields({ headline: 'Buoys in the bay', body: 'One. Two.', base_updated_at: String(first.updatedAt) }))).json());
        assert.deepEqual([second.ok, second.updatedAt], [true, NOW + 60_000], 'the writer’s own autosave is no conflict');
        const unchanged = await at(NOW + 90_000, async () => (await sendForm(writer, first.autosaveUrl, storyFields({ headline: 'Buoys in the bay', body: 'One. Two.', base_updated_at: String(second.updatedAt) }))).json());
        assert.deepEqual([unchanged.ok, unchanged.updatedAt], [true, NOW + 60_000], 'nothing changed, nothing saved');
        const saved = await at(NOW + 120_000, () => sendForm(writer, `/admin/stories/${first.id}`, storyFields({ headline: 'Buoys in the bay', body: 'One. Two. Three.', base_updated_at: String(second.updatedAt) })));
        assert.equal(saved.status, 303, 'nor is the save after it');
        await writer.follow(saved);
        assert.equal(baseOf(writer.lastBody), String(NOW + 120_000));

        // An editor tidies the draft at 10:05; the writer's tab still holds the version before.
        const tidied = await at(NOW + 5 * 60_000, () => sendForm(editor, `/admin/stories/${first.id}`, storyFields({ headline: 'Buoys in the bay', body: 'Tidied by the editor.', base_updated_at: String(NOW + 120_000) })));
        assert.equal(tidied.status, 303);
        const stale = await at(NOW + 6 * 60_000, () => sendForm(writer, first.autosaveUrl, storyFields({ headline: 'Buoys in the bay', body: 'The writer keeps typing.', base_updated_at: String(NOW + 120_000) })));
        assert.equal(stale.status, 409);
        assert.deepEqual(await stale.json(), {
          ok: false,
          reason: 'stale',
          message: 'Not saved: someone else saved this story at 10:05 AM since you opened it. Your text is kept in this browser; copy what you need, then reload.',
          savedAt: new Date(NOW + 5 * 60_000).toISOString(),
        });
        const nonsense = await sendForm(writer, first.autosaveUrl, storyFields({ headline: 'Buoys in the bay', body: 'x', base_updated_at: 'yesterday' }));
        assert.equal(nonsense.status, 409, 'a version that is not one is never current');
        assert.equal((await articleRow(first.id)).body_md, 'Tidied by the editor.');
      });
    });

    it('refuses to schedule a published story (409): it stays live at its address, and the log shows nothing', async () => {
      const { id, urlPath } = await t.article({ headline: 'Quay reopens for fishing boats' });
      const row = await articleRow(id);
      const before = await auditOf(id);
      const res = await sendForm(editor, `/admin/stories/${id}`, storyFields({ headline: row.headline, slug: row.slug, body: row.body_md, intent: 'schedule', publish_at: '2026-12-01T06:00', base_updated_at: String(row.updated_at) }));
      assert.equal(res.status, 409);
      assert.match(editor.lastBody, /This story is already published, so it cannot be scheduled\. To move it to a later time, unpublish it first, then schedule it\./);
      assert.deepEqual(await articleRow(id), row);
      assert.deepEqual(await auditOf(id), before);
      assert.equal((await t.get(urlPath!)).status, 200);
    });

    it('refuses a publish time the clocks skip, and takes the first of a repeated hour', async () => {
      const before = await articleCount();
      const skipped = await sendForm(editor, '/admin/stories', storyFields({ headline: 'Ferries on summer time', intent: 'schedule', publish_at: '2027-03-14T02:30' }));
      assert.equal(skipped.status, 422);
      assert.match(editor.lastBody, /id="story-publish-at-error">2:30 a\.m\. does not exist on March 14 in New York: clocks go forward at 2 a\.m\. Choose another time\.</);
      assert.match(editor.lastBody, /name="publish_at"[^>]* value="2027-03-14T02:30"/, 'the time stays as typed');
      assert.equal(await articleCount(), before);
      const repeated = await sendForm(editor, '/admin/stories', storyFields({ headline: 'Ferries back on winter time', intent: 'schedule', publish_at: '2027-11-07T01:30' }));
      assert.equal(repeated.status, 303, editor.lastBody.slice(0, 300));
      assert.equal(Number((await articleRow(idFromLocation(repeated))).published_at), Date.parse('2027-11-07T05:30:00Z'), '1:30 EDT, the first 1:30 that night');
    });

    it('refuses a lead picture over the upload limit with what to do, and writes no story', async () => {
      const before = await articleCount();
      const res = await sendForm(writer, '/admin/stories', storyFields({ headline: 'A very large photograph' }), { files: { lead_image: { bytes: Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x20), name: 'huge.png', type: 'image/png' } } });
      assert.equal(res.status, 422);
      assert.match(writer.lastBody, /id="story-lead-image-error">The picture is larger than 20 MB: export a smaller copy of the picture\.</);
      assert.equal(await articleCount(), before);
    });
  });
}
