// The Weekly in the newsroom, through the real app on both databases: writers are refused;
// editors prepare an edition for a week, arrange its stories, set its cover, save (422 on bad
// input and 409 when a colleague saved first, with the typed text kept), download previews,
// and publish it — audited, and announced on the `weekly` list through the newsletter path.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { signedInStaff } from './support/staff.ts';
import type { Client } from './support/client.ts';
import { getEdition } from '../src/editions/edition-store.ts';

const WEEK = '2026-W46';

const hidden = (html: string, name: string) => [...html.matchAll(new RegExp(`name="${name}" value="([^"]*)"`, 'g'))].map((m) => m[1]);

for (const dialect of DIALECTS) {
  describe(`the Weekly in the newsroom (${dialect})`, () => {
    let t: TestApp;
    let editor: Client & { staffId: number };
    let editionId = 0;
    const ids: number[] = [];
    const db = () => t.app.database.db;

    /** The editor form's fields as the page drew them. */
    function formOf(html: string): Record<string, string | string[]> {
      return { basis: hidden(html, 'basis')[0], mode: hidden(html, 'mode')[0], story: hidden(html, 'story'), title: /name="title" value="([^"]*)"/.exec(html)?.[1] ?? '', intro: '', coverLines: '', coverStory: '', q: '' };
    }

    before(async () => {
      t = await startTestApp(dialect);
      for (let i = 0; i < 3; i++) {
        const res = await t.article({ headline: `Harbor week story ${i + 1}`, sectionPath: 'World', publishedAt: Date.parse('2026-11-11T15:00:00Z') + i * 3_600_000 });
        ids.push(res.id);
      }
      const extra = await t.article({ headline: 'Zeppelin over the bay', sectionPath: 'Science', publishedAt: Date.parse('2026-11-19T15:00:00Z') });
      ids.push(extra.id);
      editor = await signedInStaff(t, 'editor');
    });
    after(() => t.close());

    it('refuses writers and sends strangers to sign in', async () => {
      const writer = await signedInStaff(t, 'writer');
      assert.equal((await writer.get('/admin/editions')).status, 403);
      assert.doesNotMatch((await writer.get('/admin')).headers.get('content-type') ?? '', /pdf/);
      assert.doesNotMatch(writer.lastBody, /href="\/admin\/editions"/, 'no nav link for writers');
      const res = await writer.post('/admin/editions', { week: WEEK });
      assert.equal(res.status, 403);
      assert.equal((await t.get('/admin/editions')).status, 303);
    });

    it('prepares an edition for a week, refusing bad and future weeks', async () => {
      const list = await editor.get('/admin/editions');
      assert.equal(list.status, 200);
      assert.match(editor.lastBody, /href="\/admin\/editions" aria-current="page"/);
      assert.match(editor.lastBody, new RegExp(`name="week" value="${WEEK}"`), 'the last complete week by default');
      const bad = await editor.post('/admin/editions', { week: 'next week' });
      assert.equal(bad.status, 422);
      assert.match(editor.lastBody, /value="next week"/);
      assert.equal((await editor.post('/admin/editions', { week: '2027-W10' })).status, 422);

      const res = await editor.post('/admin/editions', { week: WEEK });
      assert.equal(res.status, 303);
      editionId = Number(/\/admin\/editions\/(\d+)$/.exec(res.headers.get('location') ?? '')?.[1]);
      assert.ok(editionId > 0);
      // Asking again opens the same edition.
      await editor.get('/admin/editions');
      assert.equal((await editor.post('/admin/editions', { week: WEEK })).headers.get('location'), `/admin/editions/${editionId}`);

      await editor.get('/admin/editions');
      assert.match(editor.lastBody, new RegExp(`data-edition-week="${WEEK}"`));
      assert.match(editor.lastBody, /data-story-count="3"/, 'the week’s three stories, automatically');
      assert.match(editor.lastBody, /data-edition-status="draft"/);
    });

    it('arranges the stories, sets the cover and saves; refuses bad input with the text kept', async () => {
      await editor.get(`/admin/editions/${editionId}`);
      const form = formOf(editor.lastBody);
      assert.equal(form.mode, 'auto');
      assert.deepEqual([...form.story].map(Number).sort(), ids.slice(0, 3).sort());
      const order = (form.story as string[]).map(Number);

      // Move the second story up, keeping what was typed.
      let res = await editor.post(`/admin/editions/${editionId}`, { ...form, title: 'The harbor week', coverLines: 'Why the pier matters\nFerries at dawn', op: `up:${order[1]}` });
      assert.equal(res.status, 303);
      let edition = (await getEdition(db(), { id: editionId }))!;
      assert.deepEqual(JSON.parse(edition.story_ids!), [order[1], order[0], order[2]]);
      assert.equal(edition.title, 'The harbor week');
      assert.deepEqual(JSON.parse(edition.cover_lines), ['Why the pier matters', 'Ferries at dawn']);

      // Search and add a story of another week; remove one; choose the cover.
      await editor.follow(res);
      res = await editor.post(`/admin/editions/${editionId}`, { ...formOf(editor.lastBody), q: 'Zeppelin', op: 'search' });
      assert.equal(res.status, 303);
      await editor.follow(res);
      assert.match(editor.lastBody, new RegExp(`data-choice-id="${ids[3]}"`));
      res = await editor.post(`/admin/editions/${editionId}`, { ...formOf(editor.lastBody), op: `add:${ids[3]}` });
      await editor.follow(res);
      res = await editor.post(`/admin/editions/${editionId}`, { ...formOf(editor.lastBody), op: `remove:${order[2]}` });
      await editor.follow(res);
      res = await editor.post(`/admin/editions/${editionId}`, { ...formOf(editor.lastBody), title: 'The harbor week', coverStory: String(ids[3]), op: 'save' });
      assert.equal(res.status, 303);
      edition = (await getEdition(db(), { id: editionId }))!;
      assert.deepEqual(JSON.parse(edition.story_ids!), [order[1], order[0], ids[3]]);
      assert.equal(edition.cover_story_id, ids[3]);
      assert.equal(edition.updated_by, editor.staffId);

      // Five cover lines, and a cover story not in the edition: 422, nothing saved, the text kept.
      await editor.get(`/admin/editions/${editionId}`);
      const before = (await getEdition(db(), { id: editionId }))!;
      res = await editor.post(`/admin/editions/${editionId}`, { ...formOf(editor.lastBody), title: 'A new title I typed', coverLines: 'a\nb\nc\nd\ne', coverStory: String(order[2]), op: 'save' });
      assert.equal(res.status, 422);
      assert.match(editor.lastBody, /value="A new title I typed"/);
      assert.match(editor.lastBody, /data-error-summary/);
      assert.match(editor.lastBody, /At most 4 cover lines/);
      assert.deepEqual(await getEdition(db(), { id: editionId }), before);

      // Back to the automatic selection.
      res = await editor.post(`/admin/editions/${editionId}`, { ...formOf(editor.lastBody), title: 'The harbor week', op: 'auto' });
      assert.equal(res.status, 303);
      assert.equal((await getEdition(db(), { id: editionId }))!.story_ids, null);
    });

    it('refuses a save based on an older copy (409) and keeps the typed text', async () => {
      const other = await signedInStaff(t, 'editor');
      await editor.get(`/admin/editions/${editionId}`);
      await other.get(`/admin/editions/${editionId}`);
      const res1 = await other.post(`/admin/editions/${editionId}`, { ...formOf(other.lastBody), title: 'Their title', op: 'save' });
      assert.equal(res1.status, 303);
      const res2 = await editor.post(`/admin/editions/${editionId}`, { ...formOf(editor.lastBody), title: 'My late title', op: 'save' });
      assert.equal(res2.status, 409);
      assert.match(editor.lastBody, /value="My late title"/);
      assert.match(editor.lastBody, /someone else saved this edition/);
      assert.equal((await getEdition(db(), { id: editionId }))!.title, 'Their title');
    });

    it('downloads previews for staff', async () => {
      const pdf = await editor.request(`/admin/editions/${editionId}/preview.pdf`);
      assert.equal(pdf.status, 200);
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString('latin1'), '%PDF-');
      const epub = await editor.request(`/admin/editions/${editionId}/preview.epub`);
      assert.equal(epub.status, 200);
      assert.equal(Buffer.from(await epub.arrayBuffer()).subarray(0, 2).toString('latin1'), 'PK');
      // A draft is still not on the site.
      assert.equal((await t.get(`/editions/${WEEK}`)).status, 404);
    });

    it('publishes once, audited, with the announcement queued on the weekly list', async () => {
      const writer = await signedInStaff(t, 'writer');
      await editor.get(`/admin/editions/${editionId}`);
      const basis = hidden(editor.lastBody, 'basis')[0];
      await writer.get('/admin');
      assert.equal((await writer.post(`/admin/editions/${editionId}/publish`, { basis })).status, 403);
      assert.equal((await getEdition(db(), { id: editionId }))!.status, 'draft');

      // A stale page does not publish.
      assert.equal((await editor.post(`/admin/editions/${editionId}/publish`, { basis: '1' })).status, 409);
      await editor.get(`/admin/editions/${editionId}`);
      const res = await editor.post(`/admin/editions/${editionId}/publish`, { basis });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), `/admin/editions/${editionId}?saved=published`);
      const edition = (await getEdition(db(), { id: editionId }))!;
      assert.equal(edition.status, 'published');
      assert.equal(Number(edition.published_at), t.clock.now);
      assert.ok(edition.announced_issue_id, 'an announcement issue');

      const issue = await db()
        .selectFrom('newsletter_issues')
        .innerJoin('newsletter_lists', 'newsletter_lists.id', 'newsletter_issues.list_id')
        .select(['newsletter_lists.slug', 'newsletter_issues.status', 'newsletter_issues.subject'])
        .where('newsletter_issues.id', '=', edition.announced_issue_id!)
        .executeTakeFirstOrThrow();
      assert.equal(issue.slug, 'weekly');
      assert.notEqual(issue.status, 'draft');
      assert.notEqual(issue.status, 'cancelled');
      assert.match(issue.subject, /Weekly No\. 1: Their title/);

      const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'edition').execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0].user_id, editor.staffId);
      assert.match(audit[0].detail, /published/);

      await editor.follow(res);
      assert.match(editor.lastBody, /data-edition-status="published"/);
      assert.equal((await t.get(`/editions/${WEEK}`)).status, 200);

      // Again: refused, and nothing more is announced.
      await editor.get(`/admin/editions/${editionId}`);
      const again = await editor.post(`/admin/editions/${editionId}/publish`, { basis: hidden(editor.lastBody, 'basis')[0] });
      assert.equal(again.status, 409);
      assert.equal((await db().selectFrom('audit_log').select('id').where('action', '=', 'edition').execute()).length, 1);

      // A correction after publication is saved and audited.
      await editor.get(`/admin/editions/${editionId}`);
      const fixed = await editor.post(`/admin/editions/${editionId}`, { ...formOf(editor.lastBody), title: 'Their title, corrected', op: 'save' });
      assert.equal(fixed.status, 303);
      assert.match(fixed.headers.get('location') ?? '', /saved=corrected/);
      assert.equal((await getEdition(db(), { id: editionId }))!.title, 'Their title, corrected');
      assert.equal((await db().selectFrom('audit_log').select('id').where('action', '=', 'edition').execute()).length, 2);
    });
  });
}
