// Signing up to a newsletter through the real app, on both databases: the form (also from
// the footer of every page), the double opt-in message delivered over real SMTP, the GET
// that only shows a button, the POST that confirms, the same answer for every address, the
// limits, and the account page's lists, export and deletion. (THREATS.md, "E-mail".)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, PUBLIC_URL, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { startSmtpSink, parseMessage, type SmtpSink } from './support/smtp.ts';
import { createSession } from '../src/accounts/sessions.ts';
import { hashToken } from '../src/accounts/tokens.ts';
import { seedDemoCatalog } from '../src/billing/catalog.ts';
import { SIGNUP_LIMITS } from '../src/newsletters/members.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

for (const dialect of DIALECTS) {
  describe(`newsletter sign-up (${dialect})`, () => {
    let t: TestApp;
    let smtp: SmtpSink;
    let dailyId: number;

    before(async () => {
      smtp = await startSmtpSink();
      t = await startTestApp(dialect, { env: { SMTP_URL: smtp.url } });
      await seedDemoCatalog(t.app.database.db);
      dailyId = (await db().selectFrom('newsletter_lists').select('id').where('slug', '=', 'daily').executeTakeFirstOrThrow()).id;
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    const db = () => t.app.database.db;
    const member = (email: string, listId = dailyId) => db().selectFrom('list_members').selectAll().where('list_id', '=', listId).where('email', '=', email).executeTakeFirst();
    // Every case in its own hour, so the per-client limit (all test requests share one client) starts afresh.
    const nextHour = () => { t.clock.now += HOUR + 1; };

    /** Sends what is queued and returns the messages the SMTP server received since `from`. */
    async function delivered(from: number) {
      for (let i = 0; i < 200; i++) {
        await t.app.runJobs();
        const pending = await db().selectFrom('mail_outbox').select('id').where('status', '=', 'pending').execute();
        if (pending.length === 0) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      return Promise.all(smtp.messages.slice(from).map(async (m) => ({ to: m.to, parsed: await parseMessage(m) })));
    }

    async function signUpForm(client: Client, email: string, list = dailyId): Promise<Response> {
      await client.get('/newsletters');
      return client.post('/newsletters/signup', { email, list: String(list) });
    }

    it('offers the sign-up form on the newsletters page and in every page’s footer', async () => {
      const home = await t.get('/');
      const footer = /<form class="foot-signup" action="\/newsletters" method="get"[\s\S]*?<\/form>/.exec(await home.text())?.[0] ?? '';
      assert.match(footer, /<input id="foot-signup-email" type="email" name="email"/);
      const client = new Client(t);
      const res = await client.get('/newsletters?email=Reader%40Example.com');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'private, no-store');
      const form = /<form class="form" method="post" action="\/newsletters\/signup"[\s\S]*?<\/form>/.exec(client.lastBody)?.[0] ?? '';
      assert.match(form, /name="_csrf"/);
      assert.match(form, new RegExp(`name="list" value="${dailyId}"`));
      assert.match(form, /value="Reader@Example.com"/, 'the footer’s address is carried over');
      assert.match(client.lastBody, /The Daily/);
    });

    it('sends the double opt-in message over SMTP; the GET shows a button, only the POST confirms', async () => {
      nextHour();
      const client = new Client(t);
      const from = smtp.messages.length;
      const res = await signUpForm(client, '  Nia@Example.com ');
      assert.equal(res.status, 200);
      assert.match(client.lastBody, /Check your inbox/);
      assert.match(client.lastBody, /nia@example.com/);
      const row = (await member('nia@example.com'))!;
      assert.equal(row.status, 'pending');

      const mails = await delivered(from);
      assert.deepEqual(mails.map((m) => m.to), [['nia@example.com']]);
      const mail = mails[0].parsed;
      assert.equal(mail.subject, 'Confirm your sign-up to The Daily');
      assert.ok(mail.text && typeof mail.html === 'string', 'both parts');
      const link = /https:\/\/news\.example\.com\/newsletters\/confirm\?t=[A-Za-z0-9_%-]+/.exec(mail.text!)?.[0];
      assert.ok(link, 'a confirmation link in the text part');
      assert.ok((mail.html as string).includes(link!.replace(/&/g, '&amp;')), 'the same link in the HTML part');
      assert.equal(row.confirm_token_hash, hashToken(decodeURIComponent(new URL(link!).searchParams.get('t')!)));

      // A mail scanner following the link confirms nothing.
      const page = await client.get(link!.slice(PUBLIC_URL.length));
      assert.equal(page.status, 200);
      assert.match(client.lastBody, /Confirm your sign-up to The Daily/);
      assert.match(client.lastBody, /n•••@example\.com/);
      assert.equal((await member('nia@example.com'))!.status, 'pending');

      const token = new URL(link!).searchParams.get('t')!;
      const csrf = client.csrf();
      const done = await client.post('/newsletters/confirm', { t: token });
      assert.equal(done.status, 200);
      assert.match(client.lastBody, /data-signup-confirmed/);
      assert.equal((await member('nia@example.com'))!.status, 'active');
      // The link works once.
      assert.equal((await client.get(`/newsletters/confirm?t=${token}`)).status, 400);
      assert.equal((await client.post('/newsletters/confirm', { t: token, _csrf: csrf })).status, 400);
    });

    it('answers the same for a new, a pending and an active address, and mails only the first two', async () => {
      nextHour();
      const client = new Client(t);
      const pages: string[] = [];
      const from = smtp.messages.length;
      for (const email of ['new.one@example.com', 'new.one@example.com', 'nia@example.com']) {
        const res = await signUpForm(client, email);
        assert.equal(res.status, 200);
        pages.push(client.lastBody.replace(/name="_csrf" value="[^"]*"/g, '').replace(/[a-z.]+@example\.com/g, 'ADDRESS'));
      }
      assert.equal(pages[0], pages[1]);
      assert.equal(pages[1], pages[2]);
      const mails = await delivered(from);
      assert.deepEqual(mails.map((m) => m.to[0]), ['new.one@example.com', 'new.one@example.com']);
      assert.equal((await member('nia@example.com'))!.status, 'active');
    });

    it('expires a confirmation link after seven days', async () => {
      nextHour();
      const client = new Client(t);
      const from = smtp.messages.length;
      await signUpForm(client, 'late@example.com');
      const [mail] = await delivered(from);
      const token = new URL(/https:\/\/\S+\/newsletters\/confirm\?t=\S+/.exec(mail.parsed.text!)![0]).searchParams.get('t')!;
      t.clock.now += 7 * DAY;
      await client.get('/newsletters');
      const res = await client.post('/newsletters/confirm', { t: token });
      assert.equal(res.status, 410);
      assert.match(client.lastBody, /data-link-problem="expired"/);
      assert.equal((await member('late@example.com'))!.status, 'pending');
    });

    it('refuses bad input with a clear 4xx page, keeping what was typed, and writes nothing', async () => {
      nextHour();
      const client = new Client(t);
      let res = await signUpForm(client, 'not-an-address');
      assert.equal(res.status, 400);
      assert.match(client.lastBody, /Please enter a valid e-mail address/);
      assert.match(client.lastBody, /value="not-an-address"/);
      const closed = (await db().insertInto('newsletter_lists').values({ slug: 'insiders', name: 'Insiders', description: 'For subscribers', entitlement: 'weekly', is_open_to_signups: 0, is_automatic: 0, schedule: null, is_active: 1, position: 2, created_at: NOW }).returning('id').executeTakeFirstOrThrow()).id;
      res = await signUpForm(client, 'pat@example.com', closed);
      assert.equal(res.status, 400);
      assert.match(client.lastBody, /not open to sign-ups/);
      res = await signUpForm(client, 'pat@example.com', 987654);
      assert.equal(res.status, 400);
      await client.get('/newsletters');
      res = await client.post('/newsletters/signup', { email: 'pat@example.com', list: 'daily; drop table' });
      assert.equal(res.status, 400);
      assert.equal((await db().selectFrom('list_members').select('id').where('email', '=', 'pat@example.com').execute()).length, 0);
      assert.match((await (await t.get('/newsletters')).text()), /For subscribers[\s\S]*Insiders/, 'a closed list is offered with a subscription');
      assert.equal((await client.get('/newsletters/confirm?t=nonsense')).status, 400);
    });

    it('refuses sign-ups without the form token or from another site', async () => {
      nextHour();
      const client = new Client(t);
      await client.get('/newsletters');
      assert.equal((await client.post('/newsletters/signup', { email: 'csrf@example.com', list: String(dailyId), _csrf: 'forged' })).status, 403);
      await client.get('/newsletters');
      assert.equal((await client.post('/newsletters/signup', { email: 'csrf@example.com', list: String(dailyId) }, { origin: 'https://evil.example' })).status, 403);
      assert.equal(await member('csrf@example.com'), undefined);
    });

    it('limits sign-ups per address and per client', async () => {
      nextHour();
      const client = new Client(t);
      for (let i = 0; i < SIGNUP_LIMITS.perAddress.limit; i++) assert.equal((await signUpForm(client, 'often@example.com')).status, 200);
      const res = await signUpForm(client, 'often@example.com');
      assert.equal(res.status, 429);
      assert.ok(res.headers.get('retry-after'));
      assert.match(client.lastBody, /Too many sign-ups/);
      nextHour();
      for (let i = 0; i < SIGNUP_LIMITS.perClient.limit; i++) assert.equal((await signUpForm(client, `crowd${i}@example.com`)).status, 200);
      assert.equal((await signUpForm(client, 'crowd-last@example.com')).status, 429);
      assert.equal(await member('crowd-last@example.com'), undefined);
    });

    it('lets a signed-in reader choose lists on the account page without an opt-in message, and exports and deletes them', async () => {
      nextHour();
      const reader = await db().insertInto('readers').values({ email: 'ola@example.com', name: 'Ola', newsletters: '[]', provider_customer_id: null, created_at: t.clock.now, last_login_at: null }).returning(['id', 'email']).executeTakeFirstOrThrow();
      const client = new Client(t);
      client.cookies.set('mh_session', (await createSession(db(), { readerId: reader.id }, { now: t.clock.now, secret: t.app.secret })).cookieValue);
      await delivered(0);
      await client.get('/account');
      assert.match(client.lastBody, /<input type="checkbox" name="newsletters" value="daily"\/?>/);
      assert.doesNotMatch(client.lastBody, /value="insiders"/, 'a list for subscribers only is not offered to a free reader');
      const from = smtp.messages.length;
      const res = await client.post('/account/newsletters', { newsletters: ['daily', 'insiders'] });
      assert.equal(res.status, 303);
      assert.equal((await member('ola@example.com'))!.status, 'active');
      assert.equal((await member('ola@example.com'))!.source, 'account');
      assert.equal((await db().selectFrom('list_members').select('id').where('email', '=', 'ola@example.com').execute()).length, 1);
      assert.equal((await delivered(from)).length, 0, 'no opt-in message for a signed-in reader');
      await client.get('/newsletters');
      assert.match(client.lastBody, /data-signed-in[\s\S]*you receive The Daily/);

      const exported = JSON.parse(await (await client.get('/account/export')).text()) as { newsletters: { list: string; status: string; source: string }[] };
      assert.deepEqual(exported.newsletters.map((n) => [n.list, n.status, n.source]), [['daily', 'active', 'account']]);

      await client.get('/account');
      assert.equal((await client.post('/account/delete', { confirm: 'ola@example.com' })).status, 200);
      assert.equal(await member('ola@example.com'), undefined, 'deleting the account removes its memberships');
    });

    it('shows an entitled reader their lists as included, and an opt-out sticks', async () => {
      nextHour();
      const plan = await db().selectFrom('plans').select('id').where('slug', '=', 'weekly').executeTakeFirstOrThrow();
      const reader = await db().insertInto('readers').values({ email: 'pia@example.com', name: '', newsletters: '[]', provider_customer_id: 'cus_pia', created_at: t.clock.now, last_login_at: null }).returning(['id', 'email']).executeTakeFirstOrThrow();
      await db().insertInto('subscriptions').values({ reader_id: reader.id, plan_id: plan.id, provider: 'demo', provider_subscription_id: 'sub_pia', provider_customer_id: 'cus_pia', status: 'active', current_period_start: t.clock.now - DAY, current_period_end: t.clock.now + 20 * DAY, cancel_at_period_end: 0, trial_end: null, past_due_since: null, ended_at: null, ending_notice_sent_for: null, created_at: t.clock.now, updated_at: t.clock.now }).execute();
      const client = new Client(t);
      client.cookies.set('mh_session', (await createSession(db(), { readerId: reader.id }, { now: t.clock.now, secret: t.app.secret })).cookieValue);
      await client.get('/account');
      assert.match(client.lastBody, /data-list="daily" data-via="entitlement">\s*<input type="checkbox" name="newsletters" value="daily" checked/);
      assert.match(client.lastBody, /data-list="insiders" data-via="entitlement"/);
      assert.match(client.lastBody, /included with your subscription/);
      await client.post('/account/newsletters', { newsletters: ['insiders'] });
      assert.equal((await member('pia@example.com'))!.status, 'unsubscribed');
      await client.get('/account');
      assert.match(client.lastBody, /data-list="daily" data-via="none">\s*<input type="checkbox" name="newsletters" value="daily"\/?>/);
    });
  });
}
