// A story's history in the newsroom, on both databases: the list of revisions with what each
// changed, the word-level diff, restoring an old revision (words back, status kept, a new
// revision and an audit row), who may restore what, CSRF, the audit log and its filters, and
// 404 pages for ids that do not exist.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { signedInStaff } from './support/staff.ts';
import { saveArticle, type ArticleInput } from '../src/content/article-store.ts';
import { parseMarkdown } from '../src/content/markdown.ts';
import { recordAudit } from '../src/admin/audit.ts';

const TZ = 'America/New_York';
const paragraphs = (...ps: string[]) => ps.join('\n\n');
const ORIGINAL_BODY = paragraphs(
  'The harbor reopened on Monday after the storm.',
  'Fishing boats left before dawn.',
  'The market hall stayed shut.',
  'Engineers inspected the breakwater.',
  'The mayor thanked the crews.',
  'The old ferry will not sail again this winter.',
);
// The last paragraph loses "old" and gains a sentence; the first five stay as they were.
const EDITED_BODY = paragraphs(
  'The harbor reopened on Monday after the storm.',
  'Fishing boats left before dawn.',
  'The market hall stayed shut.',
  'Engineers inspected the breakwater.',
  'The mayor thanked the crews.',
  'The ferry will not sail again this winter. A replacement arrives in March.',
);

for (const dialect of DIALECTS) {
  describe(`newsroom revisions and audit log (${dialect})`, () => {
    let t: TestApp;
    let editor: Awaited<ReturnType<typeof signedInStaff>>;
    let writer: Awaited<ReturnType<typeof signedInStaff>>;
    let storyId: number;
    let storyUrl: string;
    let base: ArticleInput;
    const db = () => t.app.database.db;

    const save = async (input: ArticleInput, source: string) => {
      const res = await saveArticle(t.app.database, input, { source, now: t.clock.now, timeZone: TZ });
      await t.app.site.refresh();
      return res;
    };
    const revisionIds = async (articleId: number) =>
      (await db().selectFrom('revisions').select('id').where('article_id', '=', articleId).orderBy('id').execute()).map((r) => r.id);
    const articleRow = (id: number) => db().selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const auditRows = (articleId: number) => db().selectFrom('audit_log').selectAll().where('article_id', '=', articleId).orderBy('id').execute();
    const rowsOf = (html: string) => [...html.matchAll(/<tr data-revision-id="(\d+)">([\s\S]*?)<\/tr>/g)].map((m) => ({ id: Number(m[1]), html: m[2] }));
    const summaryOf = (rowHtml: string) => /<td data-change-summary="true">([^<]*)<\/td>/.exec(rowHtml)?.[1];

    before(async () => {
      t = await startTestApp(dialect);
      editor = await signedInStaff(t, 'editor');
      writer = await signedInStaff(t, 'writer');
      base = {
        headline: 'Harbor reopens after the storm',
        dek: 'Boats are back on the water.',
        sectionPath: 'World/Europe',
        authors: ['Ada Lind'],
        dateline: 'BERGEN, Norway',
        publishedAt: NOW - 3 * 3600_000,
        access: 'metered',
        tags: ['Harbors'],
        bodyMarkdown: ORIGINAL_BODY,
        blocks: parseMarkdown(ORIGINAL_BODY),
        leadImage: null,
        slug: 'Harbor-reopens',
      };
      const created = await t.article(base);
      storyId = created.id;
      storyUrl = created.urlPath!;
      // Three edits by the editor: the headline, then the body, then the access class.
      await save({ ...base, id: storyId, headline: 'Harbor reopens at last' }, editor.email);
      await save({ ...base, id: storyId, headline: 'Harbor reopens at last', bodyMarkdown: EDITED_BODY, blocks: parseMarkdown(EDITED_BODY) }, editor.email);
      await save({ ...base, id: storyId, headline: 'Harbor reopens at last', bodyMarkdown: EDITED_BODY, blocks: parseMarkdown(EDITED_BODY), access: 'subscriber' }, editor.email);
    });
    after(() => t.close());

    it('lists every revision, newest first, with who saved it and what it changed', async () => {
      const res = await editor.get(`/admin/stories/${storyId}/revisions`);
      assert.equal(res.status, 200);
      const rows = rowsOf(editor.lastBody);
      const ids = await revisionIds(storyId);
      assert.deepEqual(rows.map((r) => r.id), [...ids].reverse());
      assert.deepEqual(rows.map((r) => summaryOf(r.html)), ['access', 'body (+5 −1 words)', 'headline', 'first revision']);
      assert.ok(rows.slice(0, 3).every((r) => r.html.includes(editor.email)), 'the editor is named on each edit');
      assert.match(rows[3].html, /<td>test<\/td>/);
      assert.match(rows[0].html, new RegExp(`href="/admin/stories/${storyId}/revisions/${rows[0].id}"`));
      assert.match(rows[0].html, /November 20, 2026,? (at )?10:00\sAM EST/, 'times in the publication’s zone');
      assert.match(editor.lastBody, new RegExp(`href="/admin/stories/${storyId}/edit"`));
    });

    it('shows a revision’s changes word by word, folding the unchanged paragraphs', async () => {
      const [, , bodyRevision] = await revisionIds(storyId);
      const res = await editor.get(`/admin/stories/${storyId}/revisions/${bodyRevision}`);
      assert.equal(res.status, 200);
      const page = editor.lastBody;
      assert.match(page, /<ins><span class="visually-hidden">added: <\/span>A replacement arrives in March\.<\/ins>/);
      assert.match(page, /<del><span class="visually-hidden">removed: <\/span>old<\/del>/);
      assert.match(page, /data-change="changed"/);
      assert.match(page, /… 4 unchanged paragraphs …/);
      assert.doesNotMatch(page, /Fishing boats left before dawn/, 'folded away');
      assert.match(page, /The mayor thanked the crews\./, 'one paragraph of context is kept');
      assert.match(page, /data-diff-legend/);
      assert.match(page, /5 words added, 1 word removed/);
      assert.doesNotMatch(page, /data-diff-field=/, 'no field but the body changed');

      await editor.get(`/admin/stories/${storyId}/revisions/${(await revisionIds(storyId))[1]}`);
      assert.match(editor.lastBody, /<tr data-diff-field="headline"><th scope="row">Headline<\/th><td>Harbor reopens <del><span class="visually-hidden">removed: <\/span>after the storm<\/del> <ins><span class="visually-hidden">added: <\/span>at last<\/ins><\/td><\/tr>/);
    });

    it('compares a revision with the current version, and shows the first revision as it was', async () => {
      const [first] = await revisionIds(storyId);
      await editor.get(`/admin/stories/${storyId}/revisions/${first}`);
      assert.match(editor.lastBody, /first revision/);
      assert.match(editor.lastBody, /data-first-revision/);
      assert.match(editor.lastBody, /The old ferry will not sail again this winter\./);
      await editor.get(`/admin/stories/${storyId}/revisions/${first}?compare=current`);
      assert.match(editor.lastBody, /<a href="[^"]*\?compare=current" aria-current="page"/);
      for (const field of ['headline', 'access']) assert.match(editor.lastBody, new RegExp(`data-diff-field="${field}"`));
      assert.match(editor.lastBody, /<del><span class="visually-hidden">removed: <\/span>metered<\/del>/);
      assert.match(editor.lastBody, /<ins><span class="visually-hidden">added: <\/span>subscriber<\/ins>/);
      assert.match(editor.lastBody, /data-restore/);
      assert.match(editor.lastBody, /data-confirm="Restore the revision of /);
    });

    it('refuses a writer’s restore of a published story, even one they started, and changes nothing', async () => {
      const [first] = await revisionIds(storyId);
      const before = await articleRow(storyId);
      const revisionsBefore = (await revisionIds(storyId)).length;
      await writer.get('/admin');
      const notTheirs = await writer.post(`/admin/stories/${storyId}/revisions/${first}/restore`);
      assert.equal(notTheirs.status, 403);
      assert.equal((await writer.get(`/admin/stories/${storyId}/revisions`)).status, 403, 'nor may they read its history');
      await db().updateTable('articles').set({ created_by: writer.staffId }).where('id', '=', storyId).execute();
      try {
        await writer.get('/admin');
        const own = await writer.post(`/admin/stories/${storyId}/revisions/${first}/restore`);
        assert.equal(own.status, 403);
        assert.match(writer.lastBody, /needs an editor/);
      } finally {
        await db().updateTable('articles').set({ created_by: null }).where('id', '=', storyId).execute();
      }
      const after = await articleRow(storyId);
      assert.equal(after.headline, before.headline);
      assert.equal(after.updated_at, before.updated_at);
      assert.equal((await revisionIds(storyId)).length, revisionsBefore);
      assert.equal((await auditRows(storyId)).length, 0);
    });

    it('refuses a restore without a valid form token', async () => {
      const [first] = await revisionIds(storyId);
      const count = (await revisionIds(storyId)).length;
      await editor.get(`/admin/stories/${storyId}/revisions/${first}`);
      const forged = await editor.post(`/admin/stories/${storyId}/revisions/${first}/restore`, { _csrf: 'not-the-token' });
      assert.equal(forged.status, 403);
      const bare = await editor.request(`/admin/stories/${storyId}/revisions/${first}/restore`, { method: 'POST' });
      assert.equal(bare.status, 403);
      assert.equal((await revisionIds(storyId)).length, count);
      assert.equal((await articleRow(storyId)).headline, 'Harbor reopens at last');
    });

    it('restores an old revision: the live page shows its words, the story stays published, with a new revision and an audit row', async () => {
      const [first] = await revisionIds(storyId);
      const before = await articleRow(storyId);
      const countBefore = (await revisionIds(storyId)).length;
      await editor.get(`/admin/stories/${storyId}/revisions/${first}`);
      const res = await editor.post(`/admin/stories/${storyId}/revisions/${first}/restore`);
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), `/admin/stories/${storyId}/edit?done=restored`);

      const after = await articleRow(storyId);
      assert.equal(after.headline, 'Harbor reopens after the storm');
      assert.equal(after.body_md, ORIGINAL_BODY);
      assert.equal(after.access, 'metered');
      assert.equal(after.status, 'published');
      assert.equal(Number(after.published_at), Number(before.published_at));
      assert.equal(after.url_path, storyUrl);

      const ids = await revisionIds(storyId);
      assert.equal(ids.length, countBefore + 1);
      const newest = await db().selectFrom('revisions').selectAll().where('id', '=', ids[ids.length - 1]).executeTakeFirstOrThrow();
      assert.equal(newest.source, editor.email);
      assert.equal(JSON.parse(newest.snapshot).headline, 'Harbor reopens after the storm');

      const audit = await auditRows(storyId);
      const restore = audit.find((a) => a.action === 'restore');
      assert.ok(restore, 'a restore entry');
      assert.equal(restore.actor, editor.email);
      assert.equal(restore.user_id, editor.staffId);
      assert.match(restore.detail, /^to revision of November 20, 2026,? (at )?10:00\sAM EST$/);
      assert.equal(audit.find((a) => a.action === 'access')?.detail, 'subscriber → metered (restore)');

      const live = await new Client(t).get(storyUrl);
      assert.equal(live.status, 200);
      const page = await live.text();
      assert.match(page, /<h1>Harbor reopens after the storm<\/h1>/);
      assert.match(page, /The old ferry will not sail again this winter\./);
      assert.doesNotMatch(page, /A replacement arrives in March/);

      // The history now opens with the restore.
      await editor.get(`/admin/stories/${storyId}/revisions`);
      assert.equal(summaryOf(rowsOf(editor.lastBody)[0].html), 'headline, body (+1 −5 words), access');
    });

    it('does not save again when the revision already matches the story', async () => {
      const ids = await revisionIds(storyId);
      const latest = ids[ids.length - 1];
      await editor.get(`/admin/stories/${storyId}/revisions/${latest}`);
      assert.doesNotMatch(editor.lastBody, /data-restore="true"/);
      assert.match(editor.lastBody, /already holds this revision’s words/);
      const res = await editor.post(`/admin/stories/${storyId}/revisions/${latest}/restore`);
      assert.equal(res.status, 303);
      assert.match(res.headers.get('location') ?? '', /unchanged=1/);
      assert.equal((await revisionIds(storyId)).length, ids.length);
    });

    it('lets a writer restore a revision of their own draft, which stays a draft', async () => {
      const draftInput: ArticleInput = { ...base, headline: 'Draft about the tides', slug: 'Draft-about-the-tides', publishedAt: null, bodyMarkdown: 'Tides rise twice a day.', blocks: parseMarkdown('Tides rise twice a day.') };
      const { id } = await t.article(draftInput);
      await db().updateTable('articles').set({ created_by: writer.staffId }).where('id', '=', id).execute();
      await save({ ...draftInput, id, headline: 'Draft about the moon', bodyMarkdown: 'The moon pulls the sea.', blocks: parseMarkdown('The moon pulls the sea.') }, writer.email);
      const [first] = await revisionIds(id);

      assert.equal((await writer.get(`/admin/stories/${id}/revisions`)).status, 200);
      assert.equal(rowsOf(writer.lastBody).length, 2);
      assert.equal((await writer.get(`/admin/stories/${id}/revisions/${first}`)).status, 200);
      const res = await writer.post(`/admin/stories/${id}/revisions/${first}/restore`);
      assert.equal(res.status, 303);
      const row = await articleRow(id);
      assert.equal(row.headline, 'Draft about the tides');
      assert.equal(row.body_md, 'Tides rise twice a day.');
      assert.equal(row.status, 'draft');
      assert.equal(row.url_path, null);
      assert.equal(row.published_at, null);
      assert.equal((await revisionIds(id)).length, 3);
      const audit = await auditRows(id);
      assert.deepEqual(audit.map((a) => [a.action, a.actor]), [['restore', writer.email]]);

      // Another writer's draft is not theirs to restore.
      const other = await signedInStaff(t, 'writer');
      await other.get('/admin');
      assert.equal((await other.post(`/admin/stories/${id}/revisions/${first}/restore`)).status, 403);
    });

    it('lets a writer restore the words of their draft but not the access class or slug an editor set', async () => {
      const input: ArticleInput = { ...base, headline: 'Ferries draft', slug: 'Ferries-draft', publishedAt: null, access: 'metered' };
      const { id } = await t.article(input);
      await db().updateTable('articles').set({ created_by: writer.staffId }).where('id', '=', id).execute();
      await save({ ...input, id, headline: 'Ferries draft, rewritten' }, writer.email);
      // The editor makes the draft subscribers-only and gives it another slug; the writer's editor form could do neither.
      await save({ ...input, id, headline: 'Ferries draft, rewritten', access: 'subscriber', slug: 'Ferry-winter' }, editor.email);
      const [first] = await revisionIds(id);

      await writer.get(`/admin/stories/${id}/revisions/${first}?compare=current`);
      assert.match(writer.lastBody, /data-restore-keeps-access="subscriber"/);
      assert.match(writer.lastBody, /The access class stays as it is, <strong>subscriber<\/strong>, and so does the slug/);
      assert.match(writer.lastBody, /Its headline, dek, bylines, dateline, section, tags, lead image and body replace/);
      const res = await writer.post(`/admin/stories/${id}/revisions/${first}/restore`);
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), `/admin/stories/${id}/edit?done=restored`);
      const row = await articleRow(id);
      assert.equal(row.headline, 'Ferries draft', 'the words are the revision’s');
      assert.equal(row.access, 'subscriber', 'the access class the editor set stays');
      assert.equal(row.slug, 'Ferry-winter', 'and so does the slug');
      assert.equal(row.status, 'draft');
      assert.deepEqual((await auditRows(id)).map((a) => a.action), ['restore'], 'no access or address change to record');

      // Now only the access class and slug differ from the revision: for the writer there is nothing to restore.
      const count = (await revisionIds(id)).length;
      await writer.get(`/admin/stories/${id}/revisions/${first}`);
      assert.match(writer.lastBody, /already holds this revision’s words/);
      const again = await writer.post(`/admin/stories/${id}/revisions/${first}/restore`);
      assert.match(again.headers.get('location') ?? '', /unchanged=1/);
      assert.equal((await revisionIds(id)).length, count);

      // An editor restores the access class and slug too.
      await editor.get(`/admin/stories/${id}/revisions/${first}`);
      assert.doesNotMatch(editor.lastBody, /data-restore-keeps-access/);
      assert.match(editor.lastBody, /Its headline, dek, bylines, dateline, section, tags, access, slug, lead image and body replace/);
      assert.equal((await editor.post(`/admin/stories/${id}/revisions/${first}/restore`)).status, 303);
      const restored = await articleRow(id);
      assert.equal(restored.access, 'metered');
      assert.equal(restored.slug, 'Ferries-draft');
    });

    it('keeps a scheduled story scheduled for the same time', async () => {
      const at = NOW + 48 * 3600_000;
      const input: ArticleInput = { ...base, headline: 'Tomorrow at the harbor', slug: 'Tomorrow-at-the-harbor', publishedAt: at };
      const { id } = await t.article(input);
      await save({ ...input, id, headline: 'Tomorrow at the quay' }, editor.email);
      const [first] = await revisionIds(id);
      await editor.get(`/admin/stories/${id}/revisions/${first}`);
      assert.equal((await editor.post(`/admin/stories/${id}/revisions/${first}/restore`)).status, 303);
      const row = await articleRow(id);
      assert.equal(row.headline, 'Tomorrow at the harbor');
      assert.equal(row.status, 'scheduled');
      assert.equal(Number(row.published_at), at);
    });

    it('moves the story back to its old address when the revision had another slug, or explains why it cannot', async () => {
      const input: ArticleInput = { ...base, headline: 'Slug story', slug: 'Alpha-slug' };
      const { id, urlPath: alphaUrl } = await t.article(input);
      const moved = await save({ ...input, id, slug: 'Beta-slug' }, editor.email);
      const [first] = await revisionIds(id);
      // Another story takes the old slug meanwhile: the restore is refused with the reason, nothing saved.
      const squatter = await t.article({ ...base, headline: 'Squatter', slug: 'Alpha-slug' });
      const count = (await revisionIds(id)).length;
      await editor.get(`/admin/stories/${id}/revisions/${first}`);
      const refused = await editor.post(`/admin/stories/${id}/revisions/${first}/restore`);
      assert.equal(refused.status, 409);
      assert.match(editor.lastBody, /could not be restored: another article in World\/Europe already uses the slug &quot;Alpha-slug&quot;/);
      assert.equal((await revisionIds(id)).length, count);
      assert.equal((await auditRows(id)).length, 0);

      await save({ ...base, id: squatter.id, headline: 'Squatter', slug: 'Squatter' }, editor.email);
      const res = await editor.post(`/admin/stories/${id}/revisions/${first}/restore`);
      assert.equal(res.status, 303);
      assert.equal((await articleRow(id)).url_path, alphaUrl);
      const url = (await auditRows(id)).find((a) => a.action === 'url');
      assert.equal(url?.detail, `${moved.urlPath} → ${alphaUrl} (restore)`);
      const old = await t.get(moved.urlPath!);
      assert.equal(old.status, 301);
      assert.equal(new URL(old.headers.get('location')!, 'http://x').pathname, alphaUrl);
    });

    it('finds the pictures of a restored body again, and warns of those no longer stored', async () => {
      const known = 'a1'.repeat(12);
      const gone = 'f0'.repeat(12);
      await db().insertInto('images').values({ id: known, width: 800, height: 600, format: 'jpeg', widths: '[400,800]', created_at: t.clock.now }).execute();
      const withFigures = paragraphs('Opening words.', `![The quay](image:${known} "The quay at dawn | Ada Lind")`, `![Lost](image:${gone})`);
      const input: ArticleInput = { ...base, headline: 'Pictures story', slug: 'Pictures-story', bodyMarkdown: withFigures, blocks: parseMarkdown(withFigures) };
      const { id } = await t.article(input);
      await save({ ...input, id, bodyMarkdown: 'Opening words.', blocks: parseMarkdown('Opening words.') }, editor.email);
      const [first] = await revisionIds(id);
      await editor.get(`/admin/stories/${id}/revisions/${first}?compare=current`);
      assert.match(editor.lastBody, new RegExp(`no longer stored and will be left out:\\s*image:${gone}`));
      assert.equal((await editor.post(`/admin/stories/${id}/revisions/${first}/restore`)).status, 303);
      const blocks = JSON.parse((await articleRow(id)).blocks) as { type: string; src?: string; image?: { id: string; widths: number[] } | null }[];
      const figures = blocks.filter((b) => b.type === 'image');
      assert.deepEqual(figures.map((f) => [f.src, f.image?.id ?? null]), [[`image:${known}`, known], [`image:${gone}`, null]]);
      assert.deepEqual(figures[0].image?.widths, [400, 800]);
      const restore = (await auditRows(id)).find((a) => a.action === 'restore');
      assert.match(restore?.detail ?? '', new RegExp(`left out: image:${gone}`));
    });

    it('shows the audit log to editors, newest first, filtered by story and by action', async () => {
      const other = await t.article({ ...base, headline: 'Another story', slug: 'Another-story' });
      await recordAudit(db(), { actor: { id: editor.staffId, email: editor.email }, action: 'publish', articleId: other.id, detail: 'published now', at: t.clock.now + 1000 });

      const all = await editor.get('/admin/audit');
      assert.equal(all.status, 200);
      const entries = (html: string) => [...html.matchAll(/<tr data-audit-entry="\d+" data-action="([a-z-]+)">([\s\S]*?)<\/tr>/g)].map((m) => ({ action: m[1], html: m[2] }));
      const listed = entries(editor.lastBody);
      assert.equal(listed[0].action, 'publish', 'newest first');
      assert.match(listed[0].html, /Another story/);
      assert.ok(listed.some((e) => e.action === 'restore' && e.html.includes(`href="/admin/stories/${storyId}/edit"`) && e.html.includes('to revision of')));

      await editor.get(`/admin/audit?article=${storyId}`);
      const forStory = entries(editor.lastBody);
      assert.ok(forStory.length >= 2);
      assert.ok(forStory.every((e) => e.html.includes(`/admin/stories/${storyId}/edit`)));
      assert.doesNotMatch(editor.lastBody, /Another story/);
      assert.match(editor.lastBody, /Showing the story “Harbor reopens after the storm” only/);

      await editor.get('/admin/audit?action=publish');
      assert.deepEqual(entries(editor.lastBody).map((e) => e.action), ['publish']);
      await editor.get(`/admin/audit?action=publish&article=${storyId}`);
      assert.deepEqual(entries(editor.lastBody), []);

      assert.equal((await writer.get('/admin/audit')).status, 403);
      assert.equal((await new Client(t).get('/admin/audit')).status, 303, 'sign in first');
    });

    it('pages the audit log fifty entries at a time', async () => {
      const { id } = await t.article({ ...base, headline: 'Busy story', slug: 'Busy-story' });
      for (let i = 0; i < 55; i++) {
        await recordAudit(db(), { actor: { id: editor.staffId, email: editor.email }, action: 'correct', articleId: id, detail: `correction ${i}`, at: t.clock.now + 10_000 + i });
      }
      await editor.get(`/admin/audit?article=${id}`);
      assert.equal((editor.lastBody.match(/data-audit-entry=/g) ?? []).length, 50);
      assert.match(editor.lastBody, /correction 54/);
      assert.match(editor.lastBody, new RegExp(`href="/admin/audit\\?article=${id}&amp;page=2" rel="next"`));
      await editor.get(`/admin/audit?article=${id}&page=2`);
      assert.equal((editor.lastBody.match(/data-audit-entry=/g) ?? []).length, 5);
      assert.match(editor.lastBody, /correction 0/);
    });

    it('answers unknown stories and revisions with a 404 page, not an error', async () => {
      const other = await t.article({ ...base, headline: 'Unrelated story', slug: 'Unrelated-story' });
      const [foreign] = await revisionIds(other.id);
      const [first] = await revisionIds(storyId);
      for (const path of [
        '/admin/stories/999999/revisions',
        '/admin/stories/abc/revisions',
        '/admin/stories/99999999999999/revisions',
        `/admin/stories/${storyId}/revisions/999999`,
        `/admin/stories/${storyId}/revisions/x1`,
        `/admin/stories/${storyId}/revisions/${foreign}`,
        `/admin/stories/${storyId}/revisions?page=99`,
      ]) {
        const res = await editor.get(path);
        assert.equal(res.status, 404, path);
        assert.match(editor.lastBody, /No such (story|revision)/, path);
      }
      await editor.get(`/admin/stories/${storyId}/revisions/${first}`);
      assert.equal((await editor.post(`/admin/stories/999999/revisions/${first}/restore`)).status, 404);
      await editor.get(`/admin/stories/${storyId}/revisions/${first}`);
      assert.equal((await editor.post(`/admin/stories/${storyId}/revisions/${foreign}/restore`)).status, 404);
      assert.equal((await new Client(t).get(`/admin/stories/${storyId}/revisions`)).status, 303, 'visitors are sent to sign in');
    });
  });
}
