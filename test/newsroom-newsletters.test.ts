// Newsletters in the newsroom, through the real app on both databases: admins create and
// change lists (reserved and taken addresses refused, typed values kept), editors prepare,
// arrange, preview, schedule, send and cancel issues; a save from a page opened before
// someone else's save is refused with 409 keeping the typed text; roles, CSRF and the audit
// log are checked on the server.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, PUBLIC_URL, type TestApp } from './support/app.ts';
import { signedInStaff } from './support/staff.ts';
import type { Client } from './support/client.ts';
import { mailWebhookSecret, signFeedback } from '../src/newsletters/feedback-webhook.ts';

const HOUR = 3_600_000;

/** Every field of the form marked `data-form="<name>"`, as a browser would send it (buttons aside). */
function formOf(html: string, name: string): Record<string, string[]> {
  const at = html.indexOf(`data-form="${name}"`);
  assert.ok(at >= 0, `no ${name} form on the page`);
  const form = html.slice(html.lastIndexOf('<form', at), html.indexOf('</form>', at));
  const fields: Record<string, string[]> = {};
  const add = (k: string, v: string) => (fields[k] ??= []).push(v.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&#39;', "'"));
  for (const m of form.matchAll(/<input\b([^>]*)>/g)) {
    const attrs = m[1];
    const nameM = /\bname="([^"]+)"/.exec(attrs);
    if (!nameM) continue;
    const type = /\btype="([^"]+)"/.exec(attrs)?.[1] ?? 'text';
    if ((type === 'checkbox' || type === 'radio') && !/\bchecked\b/.test(attrs)) continue;
    add(nameM[1], /\bvalue="([^"]*)"/.exec(attrs)?.[1] ?? (type === 'checkbox' ? 'on' : ''));
  }
  for (const m of form.matchAll(/<textarea\b[^>]*\bname="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) add(m[1], m[2]);
  for (const m of form.matchAll(/<select\b[^>]*\bname="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected/.exec(m[2]) ?? /<option value="([^"]*)"/.exec(m[2]);
    add(m[1], selected?.[1] ?? '');
  }
  return fields;
}

/** The story ids the issue editor shows, in order. */
const storiesShown = (html: string) => [...html.matchAll(/<tr data-story-id="(\d+)"/g)].map((m) => Number(m[1]));

for (const dialect of DIALECTS) {
  describe(`newsroom newsletters (${dialect})`, () => {
    let t: TestApp;
    let dailyId: number;
    const story: Record<'metered' | 'subscriber' | 'free' | 'old', { id: number; headline: string }> = {} as never;

    before(async () => {
      t = await startTestApp(dialect);
      // NOW is Friday 2026-11-20, 10:00 in New York: after today's 06:00 Daily, so the next
      // issue is Monday's, whose stories are those published since Friday 06:00.
      const make = async (key: keyof typeof story, headline: string, access: 'metered' | 'subscriber' | 'free', publishedAt: number) => {
        const { id } = await t.article({ headline, access, publishedAt });
        story[key] = { id, headline };
      };
      await make('metered', 'Harbor pilots <vote> to strike', 'metered', NOW - 1 * HOUR);
      await make('subscriber', 'Inside the shipyard ledger', 'subscriber', NOW - 2 * HOUR);
      await make('free', 'Ferry timetable for the holidays', 'free', NOW - 3 * HOUR);
      await make('old', 'Lighthouse keeper retires after forty years', 'metered', NOW - 10 * 24 * HOUR);
      dailyId = (await t.app.database.db.selectFrom('newsletter_lists').select('id').where('slug', '=', 'daily').executeTakeFirstOrThrow()).id;
      const member = (email: string, status: 'active' | 'pending' | 'unsubscribed') => ({
        list_id: dailyId, email, reader_id: null, status, confirm_token_hash: null, confirm_expires_at: null, source: 'site', created_at: NOW, confirmed_at: status === 'active' ? NOW : null, unsubscribed_at: status === 'unsubscribed' ? NOW : null,
      });
      await t.app.database.db.insertInto('list_members').values([
        member('ann@example.com', 'active'), member('bo@example.com', 'active'), member('cy@example.com', 'pending'), member('di@example.com', 'unsubscribed'),
      ]).execute();
    });
    after(() => t.close());

    const db = () => t.app.database.db;
    const audit = async () => (await db().selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'newsletter').orderBy('id').execute()).map((r) => r.detail);
    const issueRow = (id: number) => db().selectFrom('newsletter_issues').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    /** Posts the editor form as shown, with `changes` and the button `op`. */
    async function press(client: Client, issueId: number, op: string, changes: Record<string, string | string[]> = {}) {
      const fields = { ...formOf(client.lastBody, 'issue'), ...changes, op };
      return client.post(`/admin/newsletters/issues/${issueId}`, fields);
    }

    it('shows the lists with their members by status to editors, not to writers', async () => {
      const writer = await signedInStaff(t, 'writer');
      assert.equal((await writer.get('/admin/newsletters')).status, 403);
      assert.doesNotMatch((await writer.get('/admin/stories'), writer.lastBody), /href="\/admin\/newsletters"/, 'no side-bar link for writers');

      const editor = await signedInStaff(t, 'editor');
      const res = await editor.get('/admin/newsletters');
      assert.equal(res.status, 200);
      assert.match(editor.lastBody, /<a href="\/admin\/newsletters" aria-current="page">Newsletters<\/a>/);
      assert.match(editor.lastBody, /<tr data-list-slug="daily">/);
      assert.match(editor.lastBody, /data-members-active="2" data-members-pending="1" data-members-unsubscribed="1"/);
      assert.match(editor.lastBody, /Mon–Fri 06:00/);
      assert.doesNotMatch(editor.lastBody, /New list/, 'editors do not manage lists');
      assert.equal((await editor.get('/admin/newsletters/new')).status, 403);
      assert.equal((await editor.get(`/admin/newsletters/${dailyId}/settings`)).status, 403);
      await editor.get('/admin/newsletters');
      assert.equal((await editor.post('/admin/newsletters/new', { name: 'Sneaky' })).status, 403);
      assert.equal(await db().selectFrom('newsletter_lists').select('id').where('name', '=', 'Sneaky').executeTakeFirst(), undefined);
    });

    it('shows admins, and only admins, where the mail service posts bounces and complaints, with the secret', async () => {
      const secret = mailWebhookSecret(null, t.app.secret);
      const admin = await signedInStaff(t, 'admin');
      assert.equal((await admin.get('/admin/newsletters')).status, 200);
      assert.ok(admin.lastBody.includes(`<code data-webhook-url="true">${PUBLIC_URL}/webhooks/mail</code>`), 'the webhook address');
      assert.ok(admin.lastBody.includes(`<code data-webhook-secret="true">${secret}</code>`), 'the secret the webhook checks');
      assert.match(admin.lastBody, /masthead-signature/);
      // It is the key the webhook really checks.
      const body = JSON.stringify({ id: 'shown-secret-1', type: 'bounce', bounceType: 'soft', email: 'ann@example.com', timestamp: Math.floor(NOW / 1000) });
      const res = await t.request('/webhooks/mail', { method: 'POST', headers: { 'content-type': 'application/json', 'masthead-signature': signFeedback(body, { secret, now: t.clock.now }) }, body });
      assert.equal(res.status, 200);

      const editor = await signedInStaff(t, 'editor');
      await editor.get('/admin/newsletters');
      assert.doesNotMatch(editor.lastBody, /data-mail-webhook|data-webhook-secret/);
      assert.ok(!editor.lastBody.includes(secret));
    });

    it('lets admins create and change lists, refusing reserved and taken addresses with 422 and keeping what was typed', async () => {
      const admin = await signedInStaff(t, 'admin');
      await admin.get('/admin/newsletters/new');
      const base = { name: 'Weekend reads', slug: '', description: 'Long stories for the weekend.', entitlement: '', isOpenToSignups: 'on', isActive: 'on', position: '3', time: '08:30' };

      for (const slug of ['unsubscribe', 'click', 'daily']) {
        const res = await admin.post('/admin/newsletters/new', { ...base, slug });
        assert.equal(res.status, 422, slug);
        assert.match(admin.lastBody, slug === 'daily' ? /A list already has the address \/newsletters\/daily/ : /is a reserved address/);
        assert.match(admin.lastBody, new RegExp(`name="slug" value="${slug}"`), 'the typed address comes back');
        assert.match(admin.lastBody, /value="Long stories for the weekend\.|>Long stories for the weekend\.</);
      }
      let res = await admin.post('/admin/newsletters/new', { ...base, isAutomatic: 'on', time: '8.30' });
      assert.equal(res.status, 422);
      assert.match(admin.lastBody, /An automatic list needs at least one weekday/);
      assert.match(admin.lastBody, /Give the time of day as HH:MM/);
      assert.match(admin.lastBody, /name="name" value="Weekend reads"/);

      res = await admin.post('/admin/newsletters/new', { ...base, isAutomatic: 'on', days: ['6', '7'] });
      assert.equal(res.status, 303);
      const list = await db().selectFrom('newsletter_lists').selectAll().where('slug', '=', 'weekend-reads').executeTakeFirstOrThrow();
      assert.deepEqual(
        { name: list.name, entitlement: list.entitlement, open: list.is_open_to_signups, automatic: list.is_automatic, schedule: JSON.parse(list.schedule!), position: list.position },
        { name: 'Weekend reads', entitlement: null, open: 1, automatic: 1, schedule: { days: [6, 7], time: '08:30' }, position: 3 },
      );
      assert.equal(res.headers.get('location'), `/admin/newsletters/${list.id}?saved=list`);

      // Change it: subscribers to the Weekly get it; no longer open to sign-ups; sent by hand.
      await admin.get(`/admin/newsletters/${list.id}/settings`);
      assert.match(admin.lastBody, /value="\/newsletters\/weekend-reads"[^>]*readonly/);
      const fields = formOf(admin.lastBody, 'newsletter-list');
      delete fields.isOpenToSignups;
      delete fields.isAutomatic;
      res = await admin.post(`/admin/newsletters/${list.id}/settings`, { ...fields, entitlement: 'weekly', slug: 'click' });
      assert.equal(res.status, 303);
      const changed = await db().selectFrom('newsletter_lists').selectAll().where('id', '=', list.id).executeTakeFirstOrThrow();
      assert.deepEqual({ slug: changed.slug, entitlement: changed.entitlement, open: changed.is_open_to_signups, automatic: changed.is_automatic, schedule: changed.schedule },
        { slug: 'weekend-reads', entitlement: 'weekly', open: 0, automatic: 0, schedule: null });
      res = await admin.post(`/admin/newsletters/${list.id}/settings`, { ...fields, entitlement: 'gold', name: '' });
      assert.equal(res.status, 422);
      assert.match(admin.lastBody, /Give the list a name/);
      assert.match(admin.lastBody, /Choose one of the entitlements offered/);

      const entries = await audit();
      assert.ok(entries.some((d) => d.startsWith('created the list “Weekend reads” (/newsletters/weekend-reads, Sat, Sun 08:30)')), entries.join('\n'));
      assert.ok(entries.some((d) => /list “Weekend reads”: entitlement none → weekly; open to sign-ups yes → no; automatic yes → no; schedule Sat, Sun 08:30 → by hand/.test(d)), entries.join('\n'));
      assert.equal((await admin.get('/admin/newsletters/99999999999/settings')).status, 404);
      assert.equal((await admin.get('/admin/newsletters/4242/settings')).status, 404);
    });

    it('starts an issue of a list sent by hand, arranges it, and keeps every typed word through each button', async () => {
      const admin = await signedInStaff(t, 'admin');
      await admin.get('/admin/newsletters/new');
      assert.equal((await admin.post('/admin/newsletters/new', { name: 'Breaking news', isOpenToSignups: 'on', isActive: 'on', position: '1', time: '' })).status, 303);
      const list = await db().selectFrom('newsletter_lists').selectAll().where('slug', '=', 'breaking-news').executeTakeFirstOrThrow();

      const editor = await signedInStaff(t, 'editor');
      await editor.get(`/admin/newsletters/${list.id}`);
      assert.match(editor.lastBody, /Start a new issue/);
      let res = await editor.post(`/admin/newsletters/${list.id}/issues`);
      assert.equal(res.status, 303);
      const issueId = Number(/\/admin\/newsletters\/issues\/(\d+)$/.exec(res.headers.get('location') ?? '')?.[1]);
      assert.ok(issueId > 0);
      assert.equal((await issueRow(issueId)).slug, '2026-11-20');
      await editor.follow(res);
      assert.match(editor.lastBody, /Breaking news, 2026-11-20/);

      // A new issue starts from the automatic selection: the last day's stories.
      assert.deepEqual(storiesShown(editor.lastBody), [story.metered.id, story.subscriber.id, story.free.id]);
      assert.match(editor.lastBody, /Chosen automatically/);

      // Search, then add a story: the subject typed before searching is kept, and the order
      // becomes the editor's own.
      res = await press(editor, issueId, 'search', { subject: 'Strike at the harbor', q: 'lighthouse' });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), `/admin/newsletters/issues/${issueId}?saved=draft&q=lighthouse#add-story`);
      assert.equal((await issueRow(issueId)).story_ids, null, 'searching leaves the automatic selection alone');
      await editor.follow(res);
      assert.match(editor.lastBody, /name="subject" value="Strike at the harbor"/);
      assert.match(editor.lastBody, new RegExp(`<tr data-choice-id="${story.old.id}">`));
      assert.doesNotMatch(editor.lastBody, new RegExp(`<tr data-choice-id="${story.free.id}">`), 'the search narrows the choices');
      await editor.follow(await press(editor, issueId, `add:${story.old.id}`, { intro: 'Good *morning*.', q: '' }));
      assert.deepEqual(storiesShown(editor.lastBody), [story.metered.id, story.subscriber.id, story.free.id, story.old.id]);
      assert.match(editor.lastBody, /Harbor pilots &lt;vote&gt; to strike/, 'headlines are escaped');
      assert.match(editor.lastBody, /Good \*morning\*\./);
      assert.match(editor.lastBody, new RegExp(`<tr data-choice-id="${story.old.id}">(?:(?!</tr>)[\\s\\S])*In the issue`));

      // Remove, down, up.
      await editor.follow(await press(editor, issueId, `remove:${story.subscriber.id}`));
      assert.deepEqual(storiesShown(editor.lastBody), [story.metered.id, story.free.id, story.old.id]);
      await editor.follow(await press(editor, issueId, `down:${story.metered.id}`));
      assert.deepEqual(storiesShown(editor.lastBody), [story.free.id, story.metered.id, story.old.id]);
      await editor.follow(await press(editor, issueId, `up:${story.old.id}`));
      assert.deepEqual(storiesShown(editor.lastBody), [story.free.id, story.old.id, story.metered.id]);
      await editor.follow(await press(editor, issueId, `remove:${story.free.id}`, { subject: 'Strike at the harbor, updated' }));
      assert.deepEqual(storiesShown(editor.lastBody), [story.old.id, story.metered.id]);
      let row = await issueRow(issueId);
      assert.deepEqual({ subject: row.subject, intro: row.intro, storyIds: JSON.parse(row.story_ids!) },
        { subject: 'Strike at the harbor, updated', intro: 'Good *morning*.', storyIds: [story.old.id, story.metered.id] });

      // A bad send time comes back with 422 and the typed text; nothing is saved.
      res = await press(editor, issueId, 'save', { sendAt: '2026-11-19T09:00', subject: 'Typed but refused' });
      assert.equal(res.status, 422);
      assert.match(editor.lastBody, /That time has passed/);
      assert.match(editor.lastBody, /name="subject" value="Typed but refused"/);
      assert.equal((await issueRow(issueId)).subject, 'Strike at the harbor, updated');
      await editor.get(`/admin/newsletters/issues/${issueId}`);
      res = await press(editor, issueId, 'explode');
      assert.equal(res.status, 422);
      assert.match(editor.lastBody, /That button does nothing here/);
      await editor.get(`/admin/newsletters/issues/${issueId}`);
      res = await press(editor, issueId, 'save', { story: [String(story.old.id), '424242'] });
      assert.equal(res.status, 422);
      assert.match(editor.lastBody, /no longer published: remove it/);

      // "Use the automatic selection" drops the editor's order.
      await editor.get(`/admin/newsletters/issues/${issueId}`);
      await editor.follow(await press(editor, issueId, 'auto'));
      assert.equal((await issueRow(issueId)).story_ids, null);
      assert.match(editor.lastBody, /Chosen automatically/);
      row = await issueRow(issueId);
      assert.equal(row.status, 'draft');
    });

    it('refuses a save from a page opened before someone else’s save with 409, keeping the typed text', async () => {
      const one = await signedInStaff(t, 'editor');
      const two = await signedInStaff(t, 'editor');
      await one.get(`/admin/newsletters/${dailyId}`);
      const res = await one.post(`/admin/newsletters/${dailyId}/issues`, { date: '2026-11-24' });
      assert.equal(res.status, 303);
      const issueId = Number(/(\d+)$/.exec(res.headers.get('location') ?? '')?.[1]);
      await one.get(`/admin/newsletters/issues/${issueId}`);
      await two.get(`/admin/newsletters/issues/${issueId}`);
      assert.equal((await press(two, issueId, 'save', { subject: 'Two was first' })).status, 303);
      const refused = await press(one, issueId, 'save', { subject: 'One typed this', intro: 'And this intro' });
      assert.equal(refused.status, 409);
      assert.match(one.lastBody, /someone else saved this issue/);
      assert.match(one.lastBody, /name="subject" value="One typed this"/);
      assert.match(one.lastBody, />And this intro</);
      assert.equal((await issueRow(issueId)).subject, 'Two was first');
      // Sending the same form again is refused again (it keeps its old basis).
      assert.equal((await press(one, issueId, 'save')).status, 409);
      assert.equal((await issueRow(issueId)).subject, 'Two was first');
    });

    it('prepares Monday’s Daily from the weekend’s stories, schedules it, previews both copies inertly, and cancels it', async () => {
      const editor = await signedInStaff(t, 'editor');
      await editor.get(`/admin/newsletters/${dailyId}`);
      assert.match(editor.lastBody, /name="date" value="2026-11-23"/, 'the next issue still to go is Monday’s');
      for (const [date, message] of [['2026-11-21', /does not go out on that day/], ['2026-11-20', /send time has passed/], ['2026-11-19', /date has passed/], ['soon', /Give a date/]] as const) {
        const res = await editor.post(`/admin/newsletters/${dailyId}/issues`, { date });
        assert.equal(res.status, 422, date);
        assert.match(editor.lastBody, message);
        assert.match(editor.lastBody, new RegExp(`name="date" value="${date}"`));
      }
      const res = await editor.post(`/admin/newsletters/${dailyId}/issues`, { date: '2026-11-23' });
      assert.equal(res.status, 303);
      const issueId = Number(/(\d+)$/.exec(res.headers.get('location') ?? '')?.[1]);
      await editor.follow(res);
      const row = await issueRow(issueId);
      assert.equal(row.send_at, Date.parse('2026-11-23T11:00:00Z'), '06:00 in New York');
      assert.deepEqual(new Set(storiesShown(editor.lastBody)), new Set([story.metered.id, story.subscriber.id, story.free.id]), 'the automatic selection: the stories since Friday’s send');
      assert.match(editor.lastBody, /Chosen automatically/);
      assert.match(editor.lastBody, /name="sendAt" id="[^"]+" value="2026-11-23T06:00"/);
      // Preparing the same date again opens the same issue.
      await editor.get(`/admin/newsletters/${dailyId}`);
      assert.equal((await editor.post(`/admin/newsletters/${dailyId}/issues`, { date: '2026-11-23' })).headers.get('location'), `/admin/newsletters/issues/${issueId}`);

      // A plain save keeps the automatic selection; a new send time is saved and audited.
      await editor.get(`/admin/newsletters/issues/${issueId}`);
      assert.equal((await press(editor, issueId, 'save', { sendAt: '2026-11-23T07:15', subject: 'Monday: the harbor' })).status, 303);
      const saved = await issueRow(issueId);
      assert.equal(saved.story_ids, null);
      assert.equal(saved.send_at, Date.parse('2026-11-23T12:15:00Z'));
      assert.ok((await audit()).some((d) => /^The Daily 2026-11-23: scheduled for Nov(ember)? 23, 2026/.test(d)), (await audit()).join('\n'));

      // Previews: the whole e-mail, on its own page that runs nothing; the free copy marks the
      // subscriber-only story, the subscriber's does not; links carry no token.
      const free = await editor.get(`/admin/newsletters/issues/${issueId}/preview?as=free`);
      assert.equal(free.status, 200);
      const csp = free.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /\bsandbox\b/);
      assert.doesNotMatch(csp, /script-src/);
      const freeHtml = editor.lastBody;
      assert.match(freeHtml, /Monday: the harbor/);
      assert.match(freeHtml, /Harbor pilots &lt;vote&gt; to strike/);
      assert.match(freeHtml, /For subscribers/);
      assert.doesNotMatch(freeHtml, /access=|newsletters\/click|newsletters\/unsubscribe\?t=/, 'inert links: no token, no click, no unsubscribe');
      await editor.get(`/admin/newsletters/issues/${issueId}/preview?as=entitled`);
      assert.match(editor.lastBody, /Inside the shipyard ledger/);
      assert.doesNotMatch(editor.lastBody, /For subscribers/);
      assert.equal((await editor.get(`/admin/newsletters/issues/${issueId}/preview?as=bogus`)).status, 404);

      // Cancel: the issue is never sent and can no longer be changed.
      await editor.get(`/admin/newsletters/issues/${issueId}`);
      const form = formOf(editor.lastBody, 'issue');
      const cancelled = await editor.post(`/admin/newsletters/issues/${issueId}/cancel`);
      assert.equal(cancelled.status, 303);
      assert.equal((await issueRow(issueId)).status, 'cancelled');
      await editor.follow(cancelled);
      assert.match(editor.lastBody, /Issue cancelled/);
      assert.equal((await editor.post(`/admin/newsletters/issues/${issueId}/cancel`)).status, 409);
      assert.equal((await editor.post(`/admin/newsletters/issues/${issueId}`, { ...form, op: 'save', subject: 'Too late' })).status, 409);
      assert.notEqual((await issueRow(issueId)).subject, 'Too late');
      assert.ok((await audit()).includes('The Daily 2026-11-23: cancelled'));
    });

    it('sends an issue now: queued once for every recipient, the report on reload, a second send refused', async () => {
      const editor = await signedInStaff(t, 'editor');
      await editor.get(`/admin/newsletters/${dailyId}`);
      const res = await editor.post(`/admin/newsletters/${dailyId}/issues`, { date: '2026-11-25' });
      const issueId = Number(/(\d+)$/.exec(res.headers.get('location') ?? '')?.[1]);
      await editor.follow(res);
      const form = formOf(editor.lastBody, 'issue');

      // No stories: refused with 422, nothing queued.
      let sent = await editor.post(`/admin/newsletters/issues/${issueId}`, { ...form, story: [], mode: 'manual', op: 'send' });
      assert.equal(sent.status, 422);
      assert.match(editor.lastBody, /Not sent: the issue has no stories/);
      assert.equal((await issueRow(issueId)).status, 'draft');
      assert.equal((await editor.get(`/admin/newsletters/issues/${issueId}/preview`)).status, 200, 'an issue without stories still previews');

      await editor.get(`/admin/newsletters/issues/${issueId}`);
      await editor.follow(await press(editor, issueId, `add:${story.metered.id}`));
      sent = await press(editor, issueId, 'send', { subject: 'Sent from the newsroom' });
      assert.equal(sent.status, 303);
      assert.equal(sent.headers.get('location'), `/admin/newsletters/issues/${issueId}?saved=queued`);
      const row = await issueRow(issueId);
      assert.ok(['queued', 'sending', 'sent'].includes(row.status), row.status);
      assert.equal(row.subject, 'Sent from the newsroom', 'what was typed before “Send now” is what goes');

      await editor.follow(sent);
      assert.match(editor.lastBody, /Queued for sending/);
      assert.doesNotMatch(editor.lastBody, /data-form="issue"/, 'no editor once queued');

      // Pressing "Send now" again from the old page: refused.
      const again = await editor.post(`/admin/newsletters/issues/${issueId}`, { ...form, op: 'send' });
      assert.equal(again.status, 409);
      assert.ok((await audit()).includes('The Daily 2026-11-25: queued for sending now'));

      // The sender writes one row per recipient, then sends (to the file outbox here); the
      // report says so on reload.
      await t.app.runJobs();
      const sends = await db().selectFrom('newsletter_sends').select(['email', 'status']).where('issue_id', '=', issueId).orderBy('email').execute();
      assert.deepEqual(sends.map((s) => s.email), ['ann@example.com', 'bo@example.com'], 'active members only, once each');
      await editor.get(`/admin/newsletters/issues/${issueId}`);
      assert.match(editor.lastBody, /<td data-count="total">2<\/td>/);
      assert.match(editor.lastBody, /data-report-total="2"/);
      assert.match(editor.lastBody, /data-issue-status="sent"/);
      assert.match(editor.lastBody, /<td data-count="sent">2<\/td>/);
      assert.match(editor.lastBody, /2 of 2 sent/);
      assert.match(editor.lastBody, new RegExp(`href="/newsletters/daily/2026-11-25"`), 'a link to the archive once sent');

      // The list's page shows the issue with its report.
      await editor.get(`/admin/newsletters/${dailyId}`);
      assert.match(editor.lastBody, new RegExp(`<tr data-issue-id="${issueId}">(?:(?!</tr>)[\\s\\S])*data-report-total="2" data-report-sent="2"`));
    });

    it('answers bad addresses with 404 and forged forms with 403', async () => {
      const editor = await signedInStaff(t, 'editor');
      for (const p of ['/admin/newsletters/99999999999', '/admin/newsletters/4242', '/admin/newsletters/issues/4242', '/admin/newsletters/issues/99999999999/preview']) {
        assert.equal((await editor.get(p)).status, 404, p);
      }
      const before = await db().selectFrom('newsletter_issues').select('id').execute();
      assert.equal((await editor.post(`/admin/newsletters/${dailyId}/issues`, { date: '2026-11-26', _csrf: 'forged' })).status, 403);
      assert.equal((await db().selectFrom('newsletter_issues').select('id').execute()).length, before.length);
      const anonymous = await t.get('/admin/newsletters');
      assert.equal(anonymous.status, 303);
      assert.match(anonymous.headers.get('location') ?? '', /^\/admin\/login\?return=\/admin\/newsletters/);
      assert.ok(PUBLIC_URL);
    });
  });
}
