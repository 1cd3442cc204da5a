// Sending an issue of the Daily through a real SMTP server, on both databases: who gets a
// copy (members, entitled readers, not those who opted out, not suppressed addresses), what
// each copy carries (headers, both parts, personal unsubscribe and gate links that work on
// the real app), temporary refusals retried and permanent ones recorded, and two app
// instances sending the same issue giving each recipient one copy; a mail server that is down
// costs no attempt and pauses the sender; close() during a job pass starts no send; a failing
// newsletter job does not hold up the other jobs.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { sql } from 'kysely';
import { buildApp, type App } from '../src/app.ts';
import { createMailTransport } from '../src/mail/transport.ts';
import { NewsletterSender } from '../src/newsletters/sender.ts';
import { createLogger } from '../src/logger.ts';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, type TestApp } from './support/app.ts';
import { startSmtpSink, parseMessage, type SmtpSink } from './support/smtp.ts';
import { getList } from '../src/newsletters/lists.ts';
import { cancelIssue, createIssue, ensureDailyIssue, getIssue, issueReport, queueIssue, updateDraft } from '../src/newsletters/issue-store.ts';
import type { NewsletterList } from '../src/newsletters/types.ts';

const DAY = 86_400_000;
const DATE = '2026-11-20';
const SUB_CANARY = 'SUBSCRIBER-ONLY-CANARY-7731';

for (const dialect of DIALECTS) {
  describe(`the Daily sent over SMTP (${dialect})`, () => {
    let t: TestApp;
    let sink: SmtpSink;
    let daily: NewsletterList;
    const story = {} as Record<'metered' | 'subscriber' | 'free', { id: number; urlPath: string }>;
    const db = () => t.app.database.db;

    async function member(email: string, status: 'active' | 'unsubscribed' = 'active') {
      await db().insertInto('list_members').values({ list_id: daily.id, email, reader_id: null, status, confirm_token_hash: null, confirm_expires_at: null, source: 'site', created_at: NOW, confirmed_at: NOW, unsubscribed_at: status === 'unsubscribed' ? NOW : null }).execute();
    }

    async function subscriber(email: string, entitlements = ['web', 'daily']) {
      const plan = await db().insertInto('plans').values({ slug: `p-${email}`, name: 'All access', description: '', price_cents: 1500, currency: 'usd', billing_interval: 'month', entitlements: JSON.stringify(entitlements), is_active: 1, position: 5 }).returning('id').executeTakeFirstOrThrow();
      const reader = await db().insertInto('readers').values({ email, name: '', newsletters: '[]', provider_customer_id: null, created_at: NOW, last_login_at: null }).returning('id').executeTakeFirstOrThrow();
      await db().insertInto('subscriptions').values({ reader_id: reader.id, plan_id: plan.id, provider: 'demo', provider_subscription_id: `sub_${reader.id}`, provider_customer_id: `cus_${reader.id}`, status: 'active', current_period_start: NOW - DAY, current_period_end: NOW + 20 * DAY, cancel_at_period_end: 0, trial_end: null, past_due_since: null, ended_at: null, ending_notice_sent_for: null, created_at: NOW, updated_at: NOW }).execute();
      return reader.id;
    }

    async function draftWithStories(issueDate = DATE) {
      const issue = await ensureDailyIssue(db(), { list: daily, issueDate, sendAt: NOW - 3600_000, now: t.clock.now });
      const saved = await updateDraft(db(), issue.id, { storyIds: [story.metered.id, story.subscriber.id, story.free.id], subject: 'Harbor news today' }, { now: t.clock.now, userId: null });
      assert.ok(saved.ok, 'the draft takes the stories');
      return saved.issue;
    }

    before(async () => {
      sink = await startSmtpSink();
      t = await startTestApp(dialect, { env: { SMTP_URL: sink.url, MAIL_CONCURRENCY: '3', MAIL_FROM: 'daily@paper.example' } });
      daily = (await getList(db(), { slug: 'daily' }))!;
      for (const access of ['metered', 'subscriber', 'free'] as const) {
        const a = await t.article({ headline: `A ${access} story on the harbor`, access, body: `Body of the ${access} story.\n\nA second paragraph.\n\nA third paragraph.\n\nThe end ${access === 'subscriber' ? SUB_CANARY : ''}.` });
        story[access] = { id: a.id, urlPath: a.urlPath! };
      }
    });

    after(async () => {
      await t?.close();
      await sink?.close();
    });

    it('sends each recipient one copy, retries a temporary refusal, records a permanent one, skips suppressed addresses and those who opted out', async () => {
      await member('free@example.com');
      await member('Twice@example.com'.toLowerCase());
      await subscriber('twice@example.com');
      await subscriber('paid@example.com');
      await subscriber('gone@example.com');
      await member('gone@example.com', 'unsubscribed');
      await member('bounced@example.com');
      await db().insertInto('mail_suppressions').values({ email: 'bounced@example.com', reason: 'hard-bounce', detail: '', created_at: NOW }).execute();
      await member('later@example.com');
      await member('nouser@example.com');
      sink.refuse.set('later@example.com', { code: 451, message: '4.3.0 Try again later', times: 1 });
      sink.refuse.set('nouser@example.com', { code: 550, message: '5.1.1 No such user' });

      const issue = await draftWithStories();
      const queued = await queueIssue({ db: db(), publicUrl: t.app.site.publicUrl() }, issue.id, { now: t.clock.now });
      assert.deepEqual(queued, { ok: true, queued: 5, suppressed: 1 });
      assert.deepEqual(await queueIssue({ db: db(), publicUrl: t.app.site.publicUrl() }, issue.id, { now: t.clock.now }), { ok: false, reason: 'not-draft' }, 'a second click sends nothing more');
      assert.deepEqual(await updateDraft(db(), issue.id, { subject: 'too late' }, { now: t.clock.now, userId: null }), { ok: false, reason: 'not-draft' });

      const first = await t.app.newsletters.sender.sendDue({ issueId: issue.id });
      assert.deepEqual(first, { total: 6, queued: 1, sending: 0, sent: 3, failed: 1, suppressed: 1 });
      assert.equal((await getIssue(db(), issue.id))!.status, 'sending', 'a retry is still to come');
      const failed = await db().selectFrom('newsletter_sends').select(['status', 'last_error']).where('issue_id', '=', issue.id).where('email', '=', 'nouser@example.com').executeTakeFirstOrThrow();
      assert.equal(failed.status, 'failed');
      assert.match(failed.last_error ?? '', /No such user/);
      assert.equal((await db().selectFrom('mail_suppressions').select('email').where('email', '=', 'nouser@example.com').executeTakeFirst()), undefined, 'a refusal at send time does not suppress: only bounce and complaint reports do');

      // Nothing more before the retry is due; then the retry goes through and the issue is done.
      assert.equal((await t.app.newsletters.sender.sendDue({ issueId: issue.id }))!.sent, 3);
      t.clock.now += 61_000;
      const second = await t.app.newsletters.sender.sendDue({ issueId: issue.id });
      assert.deepEqual(second, { total: 6, queued: 0, sending: 0, sent: 4, failed: 1, suppressed: 1 });
      const done = (await getIssue(db(), issue.id))!;
      assert.equal(done.status, 'sent');
      assert.ok(done.finished_at);

      const counts = sink.countsByRecipient();
      assert.deepEqual([...counts.keys()].sort(), ['free@example.com', 'later@example.com', 'paid@example.com', 'twice@example.com']);
      for (const [to, n] of counts) assert.equal(n, 1, `${to} got one copy`);
    });

    it('each copy has the list headers, a stable Message-ID, both parts, and links that work on the site', async () => {
      const issue = (await db().selectFrom('newsletter_issues').selectAll().where('list_id', '=', daily.id).where('slug', '=', DATE).executeTakeFirstOrThrow());
      const byTo = new Map(sink.messages.map((m) => [m.to[0], m]));
      const free = await parseMessage(byTo.get('free@example.com')!);
      const paid = await parseMessage(byTo.get('paid@example.com')!);
      const freeRow = await db().selectFrom('newsletter_sends').select(['id', 'is_entitled']).where('issue_id', '=', issue.id).where('email', '=', 'free@example.com').executeTakeFirstOrThrow();
      const paidRow = await db().selectFrom('newsletter_sends').select(['id', 'is_entitled']).where('issue_id', '=', issue.id).where('email', '=', 'paid@example.com').executeTakeFirstOrThrow();
      assert.equal(freeRow.is_entitled, 0);
      assert.equal(paidRow.is_entitled, 1);

      assert.equal(free.subject, 'Harbor news today');
      assert.equal(free.from?.value[0].address, 'daily@paper.example', 'MAIL_FROM is the sender');
      assert.equal(byTo.get('free@example.com')!.from, 'daily@paper.example', 'and the envelope sender');
      assert.equal(free.messageId, `<issue-${issue.id}.${freeRow.id}@news.example.com>`);
      const header = (name: string) => free.headerLines.find((h) => h.key === name)?.line.replace(/\r?\n\s+/g, ' ') ?? '';
      const listUnsubscribe = header('list-unsubscribe');
      assert.match(listUnsubscribe, /<https:\/\/news\.example\.com\/newsletters\/unsubscribe\?t=[^>]+>/);
      assert.match(listUnsubscribe, /<mailto:unsubscribe@news\.example\.com\?subject=[^>]+>/);
      assert.equal(header('list-unsubscribe-post'), 'List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      assert.equal(header('list-id'), `List-Id: <daily.news.example.com>`);
      assert.ok(free.text && free.text.includes('A metered story on the harbor'), 'a plain-text part saying it all');
      assert.ok(typeof free.html === 'string' && free.html.includes('A metered story on the harbor'), 'an HTML part');
      assert.ok(!free.text.includes(SUB_CANARY) && !String(free.html).includes(SUB_CANARY), 'no article text in the mail');

      // The gate links: a click link per story, counted, then to the article with a token when it opens for this reader.
      const clickLinks = (html: string) => [...html.matchAll(/href="(https:\/\/news\.example\.com\/newsletters\/click\?[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
      const target = async (link: string) => {
        const res = await t.get(link.replace('https://news.example.com', ''));
        assert.equal(res.status, 302, `the click link answers with a redirect: ${link}`);
        return res.headers.get('location')!;
      };
      const freeTargets = await Promise.all([...new Set(clickLinks(String(free.html)))].map(target));
      const paidTargets = await Promise.all([...new Set(clickLinks(String(paid.html)))].map(target));
      const to = (targets: string[], urlPath: string) => targets.find((l) => new URL(l, 'https://news.example.com').pathname === urlPath);
      assert.match(to(freeTargets, story.metered.urlPath) ?? '', /[?&]access=/, 'a metered story opens for a free recipient');
      assert.doesNotMatch(to(freeTargets, story.subscriber.urlPath) ?? 'missing', /access=/, 'a free copy leads subscriber-only stories to the offer');
      assert.match(to(paidTargets, story.subscriber.urlPath) ?? '', /[?&]access=/, 'a subscriber-only story opens for a subscriber');
      assert.doesNotMatch(to(freeTargets, story.free.urlPath) ?? 'missing', /access=/);

      const opened = await (await t.get(to(paidTargets, story.subscriber.urlPath)!)).text();
      assert.ok(opened.includes(SUB_CANARY), 'the gate link opens the subscriber-only story');
      const locked = await (await t.get(to(freeTargets, story.subscriber.urlPath)!)).text();
      assert.ok(!locked.includes(SUB_CANARY), 'the free copy\'s link does not');

      // One-click unsubscribe: POST without cookies or form token, as a mail client does.
      const httpsUnsubscribe = /<(https:[^>]+)>/.exec(listUnsubscribe)![1];
      const path = httpsUnsubscribe.replace('https://news.example.com', '');
      const res = await t.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      assert.equal(res.status, 200);
      const row = await db().selectFrom('list_members').select('status').where('list_id', '=', daily.id).where('email', '=', 'free@example.com').executeTakeFirstOrThrow();
      assert.equal(row.status, 'unsubscribed');
    });

    it('the next issue leaves out who unsubscribed and whoever was suppressed after queueing', async () => {
      t.clock.now += 60_000;
      const issue = await createIssue(db(), { list: daily, issueDate: DATE, now: t.clock.now, userId: null });
      assert.equal(issue.slug, `${DATE}-2`, 'a second issue on one date gets a counter');
      await updateDraft(db(), issue.id, { storyIds: [story.free.id] }, { now: t.clock.now, userId: null });
      const queued = await queueIssue({ db: db(), publicUrl: t.app.site.publicUrl() }, issue.id, { now: t.clock.now });
      assert.ok(queued.ok);
      await db().insertInto('mail_suppressions').values({ email: 'paid@example.com', reason: 'complaint', detail: '', created_at: t.clock.now }).execute();
      const before = sink.messages.length;
      const report = await t.app.newsletters.sender.sendDue({ issueId: issue.id });
      const emails = (await db().selectFrom('newsletter_sends').select(['email', 'status']).where('issue_id', '=', issue.id).execute());
      assert.ok(!emails.some((e) => e.email === 'free@example.com'), 'unsubscribed: no row at all');
      assert.equal(emails.find((e) => e.email === 'paid@example.com')?.status, 'suppressed', 'suppressed after queueing: counted, never sent');
      assert.ok(!sink.messages.slice(before).some((m) => m.to.includes('paid@example.com')));
      assert.equal(report!.suppressed, 2);
    });

    it('refuses to queue an issue with no stories and cancels only drafts', async () => {
      const issue = await ensureDailyIssue(db(), { list: daily, issueDate: '2026-11-19', sendAt: NOW - DAY, now: t.clock.now });
      await updateDraft(db(), issue.id, { storyIds: [] }, { now: t.clock.now, userId: null });
      assert.deepEqual(await queueIssue({ db: db(), publicUrl: t.app.site.publicUrl() }, issue.id, { now: t.clock.now }), { ok: false, reason: 'no-stories' });
      assert.deepEqual(await updateDraft(db(), issue.id, { storyIds: [999_999] }, { now: t.clock.now, userId: null }), { ok: false, reason: 'unknown-story' });
      const current = (await getIssue(db(), issue.id))!;
      assert.deepEqual(await updateDraft(db(), issue.id, { subject: 'x' }, { now: t.clock.now, userId: null, expectUpdatedAt: current.updated_at - 1 }), { ok: false, reason: 'stale' });
      const cancelled = await cancelIssue(db(), issue.id, t.clock.now);
      assert.ok(cancelled.ok && cancelled.issue.status === 'cancelled');
      assert.deepEqual(await cancelIssue(db(), issue.id, t.clock.now), { ok: false, reason: 'not-draft' });
      assert.deepEqual(await queueIssue({ db: db(), publicUrl: t.app.site.publicUrl() }, 999_999, { now: t.clock.now }), { ok: false, reason: 'not-found' });
    });

    it('two app instances queueing and sending the same issue give every recipient one copy', async () => {
      const second: App = await buildApp({ config: t.app.config, now: () => t.clock.now, logger: createLogger('silent') });
      try {
        for (let i = 0; i < 60; i++) await member(`pair${i}@example.com`);
        const issue = await draftWithStories('2026-11-23');
        const publicUrl = t.app.site.publicUrl();
        const results = await Promise.all([
          queueIssue({ db: db(), publicUrl }, issue.id, { now: t.clock.now }),
          queueIssue({ db: second.database.db, publicUrl }, issue.id, { now: t.clock.now }),
        ]);
        assert.equal(results.filter((r) => r.ok).length, 1, 'one of the two clicks queues it');
        assert.deepEqual(results.find((r) => !r.ok), { ok: false, reason: 'not-draft' });
        const before = sink.messages.length;
        await Promise.all([t.app.newsletters.sender.sendDue(), second.newsletters.sender.sendDue()]);
        const report = await issueReport(db(), issue.id);
        const received = sink.messages.slice(before).map((m) => m.to[0]);
        assert.equal(received.length, report.sent, 'one message per row marked sent');
        assert.equal(new Set(received).size, received.length, 'nobody got two copies');
        for (let i = 0; i < 60; i++) assert.ok(received.includes(`pair${i}@example.com`));
        assert.equal((await getIssue(db(), issue.id))!.status, 'sent');
      } finally {
        await second.close();
      }
    });

    it('a reader holding the Daily but not web (a Weekly-only plan) gets the free copy: no token for subscriber-only stories', async () => {
      await subscriber('weekly@example.com', ['daily', 'weekly']);
      const issue = await draftWithStories('2026-11-24');
      assert.ok((await queueIssue({ db: db(), publicUrl: t.app.site.publicUrl() }, issue.id, { now: t.clock.now })).ok);
      const row = await db().selectFrom('newsletter_sends').select(['id', 'is_entitled']).where('issue_id', '=', issue.id).where('email', '=', 'weekly@example.com').executeTakeFirstOrThrow();
      assert.equal(row.is_entitled, 0, 'the list came with the plan; the site\'s subscriber-only stories did not');
      const paid = await db().selectFrom('newsletter_sends').select('is_entitled').where('issue_id', '=', issue.id).where('email', '=', 'twice@example.com').executeTakeFirstOrThrow();
      assert.equal(paid.is_entitled, 1, 'a web subscriber still is');
      const before = sink.messages.length;
      await t.app.newsletters.sender.sendDue({ issueId: issue.id });
      const message = sink.messages.slice(before).find((m) => m.to[0] === 'weekly@example.com');
      assert.ok(message, 'the Weekly-only reader got the issue');
      const html = String((await parseMessage(message).then((m) => m.html)) || '');
      const links = [...html.matchAll(/href="(https:\/\/news\.example\.com\/newsletters\/click\?[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
      const targets = await Promise.all([...new Set(links)].map(async (l) => (await t.get(l.replace('https://news.example.com', ''))).headers.get('location') ?? ''));
      const toSubscriberStory = targets.find((l) => new URL(l, 'https://news.example.com').pathname === story.subscriber.urlPath);
      assert.ok(toSubscriberStory !== undefined, 'the copy links the subscriber-only story');
      assert.doesNotMatch(toSubscriberStory, /access=/, 'without a token: it leads to the offer');
      const locked = await (await t.get(toSubscriberStory)).text();
      assert.ok(!locked.includes(SUB_CANARY));
    });

    it('a mail server that is down costs no attempt: rows go back to the queue, and the sender pauses before trying again', async () => {
      // A server that takes connections and drops them at once.
      let connections = 0;
      const down = net.createServer((socket) => {
        connections += 1;
        socket.destroy();
      });
      await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', () => resolve()));
      const port = (down.address() as net.AddressInfo).port;
      const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${port}`, outboxDir: t.app.outboxDir, from: 'daily@paper.example', dkim: null, rawConnections: 2 });
      const offline = new NewsletterSender({ db: db(), dialect, transport, from: 'daily@paper.example', secret: t.app.secret, now: () => t.clock.now, concurrency: 2, ratePerSecond: 0 });
      try {
        const issue = await createIssue(db(), { list: daily, issueDate: '2026-11-25', now: t.clock.now, userId: null });
        await updateDraft(db(), issue.id, { storyIds: [story.free.id] }, { now: t.clock.now, userId: null });
        const queued = await queueIssue({ db: db(), publicUrl: t.app.site.publicUrl() }, issue.id, { now: t.clock.now });
        assert.ok(queued.ok && queued.queued > 2);
        const rows = () => db().selectFrom('newsletter_sends').select(['status', 'attempts', 'last_error', 'lease_until', 'claim_token', 'handed_at', 'resends']).where('issue_id', '=', issue.id).where('status', '!=', 'suppressed').execute();

        const report = await offline.sendDue({ issueId: issue.id });
        assert.equal(report!.sent, 0);
        assert.ok(connections >= 1, 'it tried the server');
        assert.ok(offline.serverTrouble, 'and knows the server is down');
        for (const r of await rows()) {
          assert.equal(r.status, 'queued');
          assert.equal(r.attempts, 0, 'no attempt spent on the address');
          assert.equal(r.last_error, null, 'nothing recorded against the address');
        }
        // A connection dropped without a reply may, for all the sender knows, have lost a copy
        // after it was written: only the copies handed to the server (≤ concurrency) stay marked.
        assert.ok((await rows()).filter((r) => r.handed_at !== null).length <= 2);

        const tried = connections;
        await offline.sendDue({ issueId: issue.id });
        assert.equal(connections, tried, 'a pass right after waits out the pause instead of trying again');
        t.clock.now += 11_000;
        await offline.sendDue({ issueId: issue.id });
        assert.ok(connections > tried, 'after the pause it tries again');
        assert.ok((await rows()).every((r) => r.status === 'queued' && r.attempts === 0));

        // The server is back: every copy goes out at the first attempt, none counted as in flight.
        const done = await t.app.newsletters.sender.sendDue({ issueId: issue.id });
        assert.equal(done!.queued + done!.sending, 0);
        const final = await rows();
        assert.ok(final.every((r) => (r.status === 'sent' || r.status === 'failed') && r.attempts === 1), 'sent (or refused by address) at the first attempt');
        assert.ok(final.reduce((n, r) => n + r.resends, 0) <= 2 * 2, 'counted as in flight: at most the copies handed over in the two passes');
      } finally {
        await transport.close();
        await new Promise((resolve) => down.close(resolve));
      }
    });

    it('close() during a job pass starts no send, and waits for the pass', async () => {
      const issue = await createIssue(db(), { list: daily, issueDate: '2026-11-26', now: t.clock.now, userId: null });
      await updateDraft(db(), issue.id, { storyIds: [story.free.id] }, { now: t.clock.now, userId: null });
      assert.ok((await queueIssue({ db: db(), publicUrl: t.app.site.publicUrl() }, issue.id, { now: t.clock.now })).ok);
      const closing: App = await buildApp({ config: t.app.config, now: () => t.clock.now, logger: createLogger('silent') });
      const before = sink.messages.length;
      const pass = closing.runJobs();
      await closing.close();
      await pass;
      assert.equal(sink.messages.length, before, 'nothing sent by a closing app');
      const report = await issueReport(db(), issue.id);
      assert.equal(report.sent + report.sending, 0, 'no row claimed either');
      // It was due all along: the running app sends it.
      const done = await t.app.newsletters.sender.sendDue({ issueId: issue.id });
      assert.equal(done!.sent + done!.failed, report.queued);
    });

    it('a failing newsletter job does not hold up the periodic jobs after it', async () => {
      await db().insertInto('rate_limits').values({ key: 'old-window', window_start: t.clock.now - 3 * DAY, count: 1 }).execute();
      await sql`alter table newsletter_lists rename to newsletter_lists_away`.execute(db());
      try {
        await t.app.runJobs({ includeSlow: true });
      } finally {
        await sql`alter table newsletter_lists_away rename to newsletter_lists`.execute(db());
      }
      const left = await db().selectFrom('rate_limits').select('key').where('key', '=', 'old-window').executeTakeFirst();
      assert.equal(left, undefined, 'rate-limit pruning still ran');
    });
  });
}
