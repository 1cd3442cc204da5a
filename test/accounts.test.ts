// Reader accounts and staff sign-in through the real app, on both databases: sign-up and
// sign-in by e-mailed link, sessions, CSRF, the account page, "return to", rate limits,
// staff passwords and lock-out, and what the cookies carry. (THREATS.md, "Accounts".)
import crypto from 'node:crypto';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { sql } from 'kysely';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, PUBLIC_URL, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { sentMail, linkIn, type SentMail } from './support/outbox.ts';
import { listen } from './support/server.ts';
import { createStaffUser } from '../src/accounts/staff.ts';
import { LINK_TTL_MS } from '../src/accounts/magic-links.ts';
import { LOCKOUT_MS } from '../src/accounts/staff-login.ts';
import { READER_SESSION_MS } from '../src/accounts/sessions.ts';
import { newToken, sign } from '../src/accounts/tokens.ts';
import { seedDemoCatalog } from '../src/billing/catalog.ts';
import { anonymousAddress } from '../src/newsletters/retention.ts';

const LOGIN_LINK = `${PUBLIC_URL}/login/confirm?token=`;
const EMAIL_CHANGE_LINK = `${PUBLIC_URL}/account/email/confirm?token=`;
const STAFF_PASSWORD = 'correct horse battery staple';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

// --- Mail -------------------------------------------------------------------------------

const seenMail = new WeakMap<TestApp, Set<string>>();

/**
 * The mail sent since the last call. The app's own "send soon" timer may be in the middle of
 * a send when the jobs run, so wait until the outbox holds nothing pending, then read it.
 */
async function newMail(t: TestApp): Promise<SentMail[]> {
  for (let attempt = 0; ; attempt++) {
    await t.app.runJobs();
    const waiting = await t.app.database.db.selectFrom('mail_outbox').select('id').where('status', '=', 'pending').execute();
    if (waiting.length === 0) break;
    if (attempt >= 400) throw new Error(`${waiting.length} message(s) never left the outbox`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const seen = seenMail.get(t) ?? new Set<string>();
  seenMail.set(t, seen);
  const fresh = (await sentMail(t)).filter((m) => !seen.has(m.file));
  for (const m of fresh) seen.add(m.file);
  return fresh;
}

/** The one new message to `to` (and nothing new to anyone else). */
async function onlyMailTo(t: TestApp, to: string): Promise<SentMail> {
  const mails = await newMail(t);
  assert.deepEqual(mails.map((m) => m.to), [to]);
  return mails[0];
}

// --- Readers ----------------------------------------------------------------------------

/** Asks for a sign-in link the way the form does, and returns the link from the mail. */
async function requestLink(t: TestApp, email: string, opts: { client?: Client; returnTo?: string } = {}): Promise<{ link: string; token: string; mail: SentMail }> {
  const client = opts.client ?? new Client(t);
  await client.get(opts.returnTo === undefined ? '/login' : `/login?return=${encodeURIComponent(opts.returnTo)}`);
  const res = await client.post('/login', { email, ...(opts.returnTo === undefined ? {} : { return: opts.returnTo }) });
  assert.equal(res.status, 200);
  const mail = await onlyMailTo(t, email);
  const link = linkIn(mail, LOGIN_LINK);
  return { link, token: tokenOf(link), mail };
}

/** Opens a sign-in link and presses its button. */
async function confirmLink(client: Client, link: string): Promise<Response> {
  const page = await client.get(link);
  assert.equal(page.status, 200);
  return client.post('/login/confirm', { token: tokenOf(link) });
}

async function signIn(t: TestApp, email: string, client = new Client(t)): Promise<{ client: Client; cookie: string; token: string }> {
  const { link, token } = await requestLink(t, email);
  const res = await confirmLink(client, link);
  assert.equal(res.status, 303);
  const cookie = client.cookies.get('mh_session');
  assert.ok(cookie, 'signed in without a session cookie');
  return { client, cookie, token };
}

/** A browser that has only this session cookie (e.g. a copy of an old one). */
function browserWith(t: TestApp, sessionCookie: string): Client {
  const client = new Client(t);
  client.cookies.set('mh_session', sessionCookie);
  return client;
}

async function isSignedIn(t: TestApp, sessionCookie: string): Promise<boolean> {
  const res = await browserWith(t, sessionCookie).get('/account');
  assert.ok(res.status === 200 || res.status === 303, `GET /account answered ${res.status}`);
  if (res.status === 303) assert.equal(res.headers.get('location'), '/login?return=%2Faccount');
  return res.status === 200;
}

const readerByEmail = (t: TestApp, email: string) => t.app.database.db.selectFrom('readers').selectAll().where('email', '=', email).executeTakeFirst();
const loginToken = (t: TestApp, token: string) => t.app.database.db.selectFrom('login_tokens').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirstOrThrow();

/** Everything a request could change about accounts. */
async function snapshot(t: TestApp) {
  const db = t.app.database.db;
  return {
    readers: await db.selectFrom('readers').selectAll().orderBy('id').execute(),
    sessions: await db.selectFrom('sessions').selectAll().orderBy('id').execute(),
    tokens: await db.selectFrom('login_tokens').selectAll().orderBy('id').execute(),
    outbox: await db.selectFrom('mail_outbox').select(['id', 'to_address', 'subject']).orderBy('id').execute(),
    limits: await db.selectFrom('rate_limits').selectAll().orderBy('key').execute(),
    users: await db.selectFrom('users').select(['id', 'failed_logins', 'locked_until']).orderBy('id').execute(),
  };
}

/** A form post with exactly these fields (no token filled in) and these headers. */
function rawPost(client: Client, path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return client.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
}

/** A client that keeps every Set-Cookie it was sent. */
class RecordingClient extends Client {
  readonly setCookies: string[] = [];
  override async request(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await super.request(path, init);
    this.setCookies.push(...res.headers.getSetCookie());
    return res;
  }
}

/** Only the signed session and the signed browser id, HttpOnly, SameSite=Lax, Secure. */
async function assertCookiesSafe(t: TestApp, setCookies: string[], secrets: string[]): Promise<void> {
  assert.ok(setCookies.length > 0);
  const sessionHashes = new Set((await t.app.database.db.selectFrom('sessions').select('token_hash').execute()).map((r) => r.token_hash));
  for (const header of setCookies) {
    const [pair, ...attrParts] = header.split(';').map((s) => s.trim());
    const name = pair.slice(0, pair.indexOf('='));
    const value = decodeURIComponent(pair.slice(pair.indexOf('=') + 1));
    const attrs = attrParts.map((a) => a.toLowerCase());
    assert.ok(name === 'mh_session' || name === 'mh_rid', `unexpected cookie ${header}`);
    if (value === '') {
      // Clearing a cookie carries nothing.
      assert.ok(attrs.includes('max-age=0'), header);
      continue;
    }
    for (const attr of ['httponly', 'samesite=lax', 'secure', 'path=/']) assert.ok(attrs.includes(attr), `${header} lacks ${attr}`);
    for (const secret of secrets) assert.ok(!value.includes(secret), `${name} carries a secret`);
    const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(value);
    assert.ok(m, `${name} is not a signed value: ${value}`);
    if (name === 'mh_session') assert.ok(sessionHashes.has(sha256(m[1])), 'the session cookie names no stored session');
    else assert.match(m[1], /^[A-Za-z0-9_-]{22}$/);
  }
}

/**
 * The test app of support/app.ts, but logging everything (level trace, no redaction) into
 * memory: what the code hands the logger must already be free of secrets.
 */
async function startAppWithLog(dialect: (typeof DIALECTS)[number]): Promise<{ t: TestApp; log: string[] }> {
  const log: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => void log.push(line) });
  return { t: await startTestApp(dialect, { logger, env: { LOG_LEVEL: 'trace' } }), log };
}

for (const dialect of DIALECTS) {
  describe(`reader sign-in by e-mailed link (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
    });
    after(() => t.close());

    it('signs a new reader up: one mail, a confirm page that a GET does not spend, a session on POST', async () => {
      const email = 'ada@example.com';
      const client = new Client(t);
      await client.get('/login?return=%2FWorld%2FEurope%3Fpage%3D2');
      assert.match(client.lastBody, /name="return" value="\/World\/Europe\?page=2"/);
      const asked = await client.post('/login', { email: '  Ada@Example.COM ', return: '/World/Europe?page=2' });
      assert.equal(asked.status, 200);
      assert.match(await asked.text(), /Check your inbox/);
      assert.equal(asked.headers.get('cache-control'), 'private, no-store');

      const mail = await onlyMailTo(t, email);
      assert.equal(mail.subject, 'Confirm your e-mail to finish signing up');
      assert.match(mail.text, /works once and expires in 15 minutes/);
      const link = linkIn(mail, LOGIN_LINK);
      const token = tokenOf(link);
      assert.match(token, /^[A-Za-z0-9_-]{43}$/, '256 random bits, base64url');

      // The database holds a SHA-256 of the token, never the token.
      const rows = await t.app.database.db.selectFrom('login_tokens').selectAll().where('email', '=', email).execute();
      assert.equal(rows.length, 1);
      assert.match(rows[0].token_hash, /^[0-9a-f]{64}$/);
      assert.equal(rows[0].token_hash, sha256(token));
      assert.ok(!JSON.stringify(rows).includes(token));
      assert.equal(rows[0].return_to, '/World/Europe?page=2');
      assert.equal(await readerByEmail(t, email), undefined, 'no account before the link is used');

      // A mail scanner opens the link (twice, without cookies): the link survives.
      for (let i = 0; i < 2; i++) {
        const scanned = await new Client(t).get(link);
        assert.equal(scanned.status, 200);
        assert.match(await scanned.text(), /Continue signing in/);
      }
      const page = await client.get(link);
      assert.equal(page.status, 200);
      assert.ok(client.lastBody.includes(email));
      assert.match(client.lastBody, /<form[^>]*action="\/login\/confirm"/);
      assert.equal((await loginToken(t, token)).used_at, null);
      assert.equal(await readerByEmail(t, email), undefined, 'a GET creates no account');

      const confirmed = await client.post('/login/confirm', { token });
      assert.equal(confirmed.status, 303);
      assert.equal(confirmed.headers.get('location'), '/World/Europe?page=2');
      assert.ok(client.cookies.has('mh_session'));
      assert.notEqual((await loginToken(t, token)).used_at, null);
      const reader = await readerByEmail(t, email);
      assert.ok(reader);
      assert.equal(reader.created_at, NOW);

      const account = await client.get('/account');
      assert.equal(account.status, 200);
      assert.equal(account.headers.get('cache-control'), 'private, no-store');
      assert.ok(client.lastBody.includes(`value="${email}"`));
    });

    it('signs a known reader in with a sign-in mail and the same account', async () => {
      const email = 'returning@example.com';
      await signIn(t, email);
      const first = await readerByEmail(t, email);
      t.clock.now += 60_000;
      const { link, mail } = await requestLink(t, email);
      assert.equal(mail.subject, 'Your sign-in link');
      const client = new Client(t);
      const res = await confirmLink(client, link);
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/account');
      const again = await readerByEmail(t, email);
      assert.equal(again!.id, first!.id);
      assert.equal(again!.last_login_at, t.clock.now);
      assert.equal((await t.app.database.db.selectFrom('readers').select('id').where('email', '=', email).execute()).length, 1);
      await client.get('/account');
      assert.ok(client.lastBody.includes(`value="${email}"`));
    });

    it('answers a spent, expired, made-up or wrong-purpose link with the same page', async () => {
      const email = 'grace@example.com';
      const { client, token: spent } = await signIn(t, email);
      const answers: { name: string; res: Response }[] = [];
      const tryLogin = async (name: string, token: string) => {
        await client.get('/account');
        answers.push({ name, res: await client.post('/login/confirm', { token }) });
      };

      await tryLogin('spent', spent);

      // Still good a moment before 15 minutes, gone at 15.
      const { token: expiring } = await requestLink(t, email);
      t.clock.now += LINK_TTL_MS - 1;
      assert.equal((await client.get(`/login/confirm?token=${expiring}`)).status, 200);
      t.clock.now += 1;
      const expiredGet = await client.get(`/login/confirm?token=${expiring}`);
      await tryLogin('expired', expiring);
      assert.equal((await loginToken(t, expiring)).used_at, null);

      await tryLogin('made-up', newToken());
      await tryLogin('empty', '');

      // An e-mail-change link cannot sign anyone in, and is not spent by trying.
      await client.get('/account');
      assert.equal((await client.post('/account/email', { email: 'grace.hopper@example.com' })).status, 303);
      const changeLink = linkIn(await onlyMailTo(t, 'grace.hopper@example.com'), EMAIL_CHANGE_LINK);
      await tryLogin('e-mail-change token', tokenOf(changeLink));
      assert.equal((await client.get(`/login/confirm?token=${tokenOf(changeLink)}`)).status, 400);
      assert.equal((await client.get(changeLink)).status, 200, 'the e-mail-change link still works where it belongs');

      // Nor can a sign-in link change an address.
      const { token: signInToken } = await requestLink(t, email);
      await client.get('/account');
      const crossed = await client.post('/account/email/confirm', { token: signInToken });
      assert.equal((await client.get(`/account/email/confirm?token=${signInToken}`)).status, 400);
      assert.equal((await loginToken(t, signInToken)).used_at, null);

      const expected = await answers[0].res.clone().text();
      assert.match(expected, /This link is no longer valid/);
      for (const { name, res } of [...answers, { name: 'expired (GET)', res: expiredGet }, { name: 'sign-in token at e-mail change', res: crossed }]) {
        assert.equal(res.status, 400, name);
        assert.equal(await res.text(), expected, `${name} answers with a different page`);
        assert.equal(res.headers.get('set-cookie'), null, `${name} sets a cookie`);
      }
      assert.equal((await readerByEmail(t, email))!.email, email);
      assert.equal(await readerByEmail(t, 'grace.hopper@example.com'), undefined);
    });

    it('answers a known and an unknown address alike', async () => {
      // Same length, so even Content-Length cannot tell them apart.
      const known = 'kim@example.com';
      const unknown = 'una@example.com';
      await signIn(t, known);
      const client = new Client(t);
      await client.get('/login');
      const csrf = client.csrf();
      const a = await client.post('/login', { email: known, _csrf: csrf });
      const b = await client.post('/login', { email: unknown, _csrf: csrf });
      assert.equal(a.status, 200);
      assert.equal(a.status, b.status);
      assert.deepEqual([...a.headers], [...b.headers]);
      assert.equal((await a.text()).replaceAll(known, 'ADDRESS'), (await b.text()).replaceAll(unknown, 'ADDRESS'));
      // Each address's owner gets the one mail that fits: sign in, or finish signing up.
      const mails = await newMail(t);
      assert.deepEqual(mails.map((m) => m.to).sort(), [known, unknown]);
      assert.equal(mails.find((m) => m.to === known)!.subject, 'Your sign-in link');
      assert.equal(mails.find((m) => m.to === unknown)!.subject, 'Confirm your e-mail to finish signing up');
    });

    it('returns only to a path on this site', async () => {
      const hostile = ['//evil.example', 'https:evil.example', 'https://evil.example', 'javascript:alert(1)', '/\\evil.example', '/.//evil.example'];
      for (const [i, target] of hostile.entries()) {
        const email = `return${i}@example.com`;
        const client = new Client(t);
        const { link } = await requestLink(t, email, { client, returnTo: target });
        assert.match(client.lastBody, /Check your inbox/);
        assert.equal((await loginToken(t, tokenOf(link))).return_to, '/account', target);
        const res = await confirmLink(client, link);
        assert.equal(res.status, 303);
        assert.equal(res.headers.get('location'), '/account', `return=${target}`);
        // Already signed in, the sign-in page sends the reader on, also only within the site.
        const again = await client.get(`/login?return=${encodeURIComponent(target)}`);
        assert.equal(again.status, 303);
        assert.equal(again.headers.get('location'), '/account', `signed in, return=${target}`);
      }
      const page = await new Client(t).get('/login?return=%2F%2Fevil.example');
      assert.equal(page.status, 200);
      assert.match(await page.text(), /name="return" value="\/account"/);
    });

    it('sets only the signed session and browser id, HttpOnly and SameSite=Lax', async () => {
      const email = 'cookie.monster@example.com';
      const client = new RecordingClient(t);
      const { link, token } = await requestLink(t, email, { client });
      const confirmed = await confirmLink(client, link);
      assert.equal(confirmed.status, 303);
      assert.ok(!confirmed.headers.get('location')!.includes(token));
      await client.get('/account');
      await client.post('/account/name', { name: 'Cookie' });
      await client.get('/account');
      await client.post('/logout');
      assert.ok(client.setCookies.some((c) => c.startsWith('mh_session=') && !c.startsWith('mh_session=;')));
      assert.ok(client.setCookies.some((c) => c.startsWith('mh_rid=')));
      await assertCookiesSafe(t, client.setCookies, [email, token, sha256(token), ...(await t.app.database.db.selectFrom('sessions').select('token_hash').execute()).map((r) => r.token_hash)]);
    });
  });

  describe(`reader sessions and CSRF (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
    });
    after(() => t.close());

    it('signing out revokes the session, so the old cookie opens nothing', async () => {
      const { client, cookie } = await signIn(t, 'leaver@example.com');
      assert.equal(await isSignedIn(t, cookie), true);
      await client.get('/account');
      const res = await client.post('/logout');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/');
      assert.ok(!client.cookies.has('mh_session'));
      assert.equal(await isSignedIn(t, cookie), false);
      const row = await t.app.database.db.selectFrom('sessions').select('revoked_at').where('token_hash', '=', sha256(cookie.slice(0, cookie.lastIndexOf('.')))).executeTakeFirstOrThrow();
      assert.equal(row.revoked_at, t.clock.now);
    });

    it('"sign out everywhere" revokes every session of the reader and no one else\'s', async () => {
      const email = 'two.devices@example.com';
      const phone = await signIn(t, email);
      const laptop = await signIn(t, email);
      const bystander = await signIn(t, 'bystander@example.com');
      assert.notEqual(phone.cookie, laptop.cookie);
      assert.equal(await isSignedIn(t, phone.cookie), true);
      assert.equal(await isSignedIn(t, laptop.cookie), true);

      await phone.client.get('/account');
      const res = await phone.client.post('/account/logout-everywhere');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/login');
      assert.equal(await isSignedIn(t, phone.cookie), false);
      assert.equal(await isSignedIn(t, laptop.cookie), false);
      assert.equal(await isSignedIn(t, bystander.cookie), true);
    });

    it('treats a forged or tampered session cookie as signed out, never a 500', async () => {
      const { cookie } = await signIn(t, 'real.reader@example.com');
      const dot = cookie.lastIndexOf('.');
      const token = cookie.slice(0, dot);
      const sig = cookie.slice(dot + 1);
      const flip = (s: string) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A');
      const forged = [
        'garbage',
        '.',
        token,
        `${token}.`,
        `.${sig}`,
        `${token}.${flip(sig)}`,
        `${flip(token)}.${sig}`,
        `${token}.${crypto.createHmac('sha256', 'not-the-secret').update(token).digest('base64url')}`,
        `${cookie}.${sig}`,
        sign(newToken(), t.app.secret), // well signed, but names no session
        '%zz',
        '%E0%A4%A',
        'x'.repeat(4000),
      ];
      for (const value of forged) {
        const browser = browserWith(t, value);
        const account = await browser.get('/account');
        assert.equal(account.status, 303, `cookie ${value.slice(0, 40)}`);
        assert.equal(account.headers.get('location'), '/login?return=%2Faccount');
        const login = await browser.get('/login');
        assert.equal(login.status, 200, `cookie ${value.slice(0, 40)}`);
        assert.match(browser.lastBody, /E-mail me a sign-in link/);
        assert.equal((await browser.post('/account/name', { name: 'Forger' })).status, 303);
        assert.equal((await browser.get('/admin')).status, 303);
      }
      assert.equal(await isSignedIn(t, cookie), true, 'the real cookie still works');
      assert.equal((await readerByEmail(t, 'real.reader@example.com'))!.name, '');
    });

    it('refuses cross-site and token-less POSTs with 403 and changes nothing', async () => {
      const email = 'csrf.target@example.com';
      const { client, cookie } = await signIn(t, email);
      await client.get('/account');
      assert.equal((await client.post('/account/name', { name: 'Before' })).status, 303);
      await client.get('/account');
      const good = client.csrf();
      const stranger = new Client(t);
      await stranger.get('/login');
      const strangersToken = stranger.csrf();
      assert.notEqual(strangersToken, good);
      await newMail(t);

      const targets: [string, Record<string, string>][] = [
        ['/login', { email: 'csrf.victim@example.com', return: '/account' }],
        ['/account/name', { name: 'Mallory' }],
        ['/logout', {}],
        ['/account/delete', { confirm: email }],
        ['/account/email', { email: 'mallory@example.com' }],
      ];
      const variants: [string, (fields: Record<string, string>) => Record<string, string>, Record<string, string>][] = [
        ['no token', (f) => f, {}],
        ['an empty token', (f) => ({ ...f, _csrf: '' }), {}],
        ['a made-up token', (f) => ({ ...f, _csrf: crypto.randomBytes(32).toString('base64url') }), {}],
        ["another browser's token", (f) => ({ ...f, _csrf: strangersToken }), {}],
        ['Origin: https://evil.example', (f) => ({ ...f, _csrf: good }), { origin: 'https://evil.example' }],
        ['Origin: http://news.example.com (wrong scheme)', (f) => ({ ...f, _csrf: good }), { origin: 'http://news.example.com' }],
        ['Sec-Fetch-Site: cross-site', (f) => ({ ...f, _csrf: good }), { 'sec-fetch-site': 'cross-site' }],
      ];
      const before = await snapshot(t);
      for (const [path, fields] of targets) {
        for (const [name, withToken, headers] of variants) {
          const res = await rawPost(client, path, withToken(fields), headers);
          assert.equal(res.status, 403, `${path} with ${name}`);
          assert.match(await res.text(), /That request was refused/);
        }
        // The token in a JSON or text body does not count either.
        const json = await client.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...fields, _csrf: good }) });
        assert.equal(json.status, 403, `${path} as JSON`);
        const text = await client.request(path, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: `_csrf=${good}` });
        assert.equal(text.status, 403, `${path} as text/plain`);
      }
      assert.deepEqual(await snapshot(t), before);
      assert.deepEqual(await newMail(t), []);
      assert.equal(await isSignedIn(t, cookie), true);

      // The same form from this site goes through.
      const ok = await rawPost(client, '/account/name', { name: 'After', _csrf: good }, { origin: PUBLIC_URL, 'sec-fetch-site': 'same-origin' });
      assert.equal(ok.status, 303);
      assert.equal((await readerByEmail(t, email))!.name, 'After');
    });

    it('changes nothing on a GET to any account URL', async () => {
      const email = 'looker@example.com';
      const { client, cookie } = await signIn(t, email);
      await client.get('/account');
      const csrf = client.csrf();
      const { token: pendingLogin } = await requestLink(t, email);
      await client.get('/account');
      await client.post('/account/email', { email: 'looker.new@example.com' });
      const pendingChange = tokenOf(linkIn(await onlyMailTo(t, 'looker.new@example.com'), EMAIL_CHANGE_LINK));

      const q = (fields: Record<string, string>) => `?${new URLSearchParams({ ...fields, _csrf: csrf })}`;
      const urls = [
        '/login',
        `/login${q({ email: 'victim@example.com' })}`,
        `/login/confirm?token=${pendingLogin}`,
        `/login/confirm${q({ token: pendingLogin })}`,
        '/logout',
        `/logout${q({})}`,
        '/account',
        `/account/name${q({ name: 'Mallory' })}`,
        `/account/email${q({ email: 'mallory@example.com' })}`,
        `/account/email/confirm?token=${pendingChange}`,
        `/account/newsletters${q({ newsletters: 'daily' })}`,
        '/account/export',
        `/account/logout-everywhere${q({})}`,
        `/account/delete${q({ confirm: email })}`,
        `/account/subscription/1/cancel${q({})}`,
        `/account/subscription/1/resume${q({})}`,
        `/account/subscription/1/switch${q({ plan: '1' })}`,
        `/account/billing${q({})}`,
        '/admin',
        '/admin/login',
        `/admin/logout${q({})}`,
      ];
      const before = await snapshot(t);
      for (const url of urls) {
        for (const method of ['GET', 'HEAD']) {
          const res = await client.request(url, { method });
          assert.ok(res.status < 500, `${method} ${url} answered ${res.status}`);
        }
      }
      assert.deepEqual(await snapshot(t), before);
      assert.deepEqual(await newMail(t), []);
      assert.equal(await isSignedIn(t, cookie), true);
      assert.equal((await loginToken(t, pendingLogin)).used_at, null);
      assert.equal((await loginToken(t, pendingChange)).used_at, null);
    });

    it('treats a session as signed out once it has expired', async () => {
      const { cookie } = await signIn(t, 'a.month.ago@example.com');
      t.clock.now += READER_SESSION_MS - 1;
      assert.equal(await isSignedIn(t, cookie), true);
      t.clock.now += 1;
      assert.equal(await isSignedIn(t, cookie), false);
    });
  });

  describe(`the account page (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
    });
    after(() => t.close());

    it('saves a name, shown escaped', async () => {
      const email = 'namer@example.com';
      const { client } = await signIn(t, email);
      await client.get('/account');
      const res = await client.post('/account/name', { name: '  Ada <b>Lovelace</b>  ' });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/account?done=name');
      assert.equal((await readerByEmail(t, email))!.name, 'Ada <b>Lovelace</b>');
      await client.follow(res);
      assert.match(client.lastBody, /Your name has been saved\./);
      assert.ok(client.lastBody.includes('value="Ada &lt;b&gt;Lovelace&lt;/b&gt;"'));
      assert.ok(!client.lastBody.includes('<b>Lovelace'));
    });

    it('changes the e-mail address only once the new address confirms', async () => {
      const oldEmail = 'old.address@example.com';
      const newEmail = 'new.address@example.com';
      const { client } = await signIn(t, oldEmail);
      const reader = await readerByEmail(t, oldEmail);
      await client.get('/account');
      const res = await client.post('/account/email', { email: ' New.Address@Example.com' });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/account?done=email-sent');

      const mail = await onlyMailTo(t, newEmail);
      assert.equal(mail.subject, 'Confirm your new e-mail address');
      assert.match(mail.text, /works once and expires in 15 minutes/);
      const link = linkIn(mail, EMAIL_CHANGE_LINK);
      assert.equal((await readerByEmail(t, oldEmail))!.id, reader!.id, 'not changed before confirming');
      await client.follow(res);
      assert.match(client.lastBody, /We sent a confirmation link to your new address/);
      assert.ok(client.lastBody.includes(`value="${oldEmail}"`));

      // Opening the link (twice) only shows the button.
      for (let i = 0; i < 2; i++) {
        const page = await client.get(link);
        assert.equal(page.status, 200);
        assert.match(client.lastBody, /Confirm your new e-mail address/);
        assert.ok(client.lastBody.includes(newEmail));
      }
      assert.equal((await readerByEmail(t, oldEmail))!.id, reader!.id);

      const done = await client.post('/account/email/confirm', { token: tokenOf(link) });
      assert.equal(done.status, 303);
      assert.equal(done.headers.get('location'), '/account?done=email');
      assert.equal(await readerByEmail(t, oldEmail), undefined);
      assert.equal((await readerByEmail(t, newEmail))!.id, reader!.id);
      await client.follow(done);
      assert.match(client.lastBody, /Your e-mail address has been changed\./);
      assert.ok(client.lastBody.includes(`value="${newEmail}"`));

      // The link works once.
      await client.get('/account');
      const again = await client.post('/account/email/confirm', { token: tokenOf(link) });
      assert.equal(again.status, 400);
      assert.match(await again.text(), /This link is no longer valid/);

      // A change link left for 15 minutes no longer changes anything.
      await client.get('/account');
      await client.post('/account/email', { email: 'too.late@example.com' });
      const late = linkIn(await onlyMailTo(t, 'too.late@example.com'), EMAIL_CHANGE_LINK);
      await client.get(late);
      t.clock.now += LINK_TTL_MS;
      const expired = await client.post('/account/email/confirm', { token: tokenOf(late) });
      assert.equal(expired.status, 400);
      assert.equal((await readerByEmail(t, newEmail))!.id, reader!.id);
      assert.equal(await readerByEmail(t, 'too.late@example.com'), undefined);
    });

    it('moves the newsletter memberships in the same transaction as the address, or neither', async () => {
      const db = t.app.database.db;
      const { client } = await signIn(t, 'lists.follow@example.com');
      const reader = (await readerByEmail(t, 'lists.follow@example.com'))!;
      await client.get('/account');
      await client.post('/account/newsletters', { newsletters: ['daily'] });
      await client.get('/account');
      await client.post('/account/email', { email: 'lists.moved@example.com' });
      const link = linkIn(await onlyMailTo(t, 'lists.moved@example.com'), EMAIL_CHANGE_LINK);
      const memberEmails = async () => (await db.selectFrom('list_members').select('email').where('reader_id', '=', reader.id).execute()).map((r) => r.email);

      // Moving the memberships fails: the address must not change without them.
      if (dialect === 'sqlite') {
        await sql`create trigger refuse_member_move before update on list_members begin select raise(abort, 'membership move refused'); end`.execute(db);
      } else {
        await sql`create function refuse_member_move() returns trigger language plpgsql as $$ begin raise exception 'membership move refused'; end $$`.execute(db);
        await sql`create trigger refuse_member_move before update on list_members for each row execute function refuse_member_move()`.execute(db);
      }
      try {
        await client.get(link);
        const failed = await client.post('/account/email/confirm', { token: tokenOf(link) });
        assert.equal(failed.status, 500);
      } finally {
        await sql`drop trigger refuse_member_move${dialect === 'sqlite' ? sql`` : sql` on list_members`}`.execute(db);
        if (dialect === 'postgres') await sql`drop function refuse_member_move()`.execute(db);
      }
      assert.equal((await readerByEmail(t, 'lists.follow@example.com'))!.id, reader.id, 'the address did not change alone');
      assert.deepEqual(await memberEmails(), ['lists.follow@example.com']);
      assert.equal((await loginToken(t, tokenOf(link))).used_at, null, 'the link was not spent');

      await client.get(link);
      const done = await client.post('/account/email/confirm', { token: tokenOf(link) });
      assert.equal(done.status, 303);
      assert.equal((await readerByEmail(t, 'lists.moved@example.com'))!.id, reader.id);
      assert.deepEqual(await memberEmails(), ['lists.moved@example.com']);
    });

    it('refuses to move an account onto an address another reader has', async () => {
      const taken = 'taken@example.com';
      const wanting = 'wants.that@example.com';
      await signIn(t, taken);
      const owner = await readerByEmail(t, taken);
      const { client } = await signIn(t, wanting);
      const mover = await readerByEmail(t, wanting);
      await client.get('/account');
      assert.equal((await client.post('/account/email', { email: taken })).status, 303);
      const link = linkIn(await onlyMailTo(t, taken), EMAIL_CHANGE_LINK);
      await client.get(link);
      const res = await client.post('/account/email/confirm', { token: tokenOf(link) });
      assert.equal(res.status, 409);
      assert.match(await res.text(), /That address belongs to another account/);
      assert.equal((await readerByEmail(t, taken))!.id, owner!.id);
      assert.equal((await readerByEmail(t, wanting))!.id, mover!.id);
    });

    it('turns newsletters on and off', async () => {
      const email = 'newsy@example.com';
      const { client } = await signIn(t, email);
      const checkedDaily = () => /<input type="checkbox" name="newsletters" value="daily" checked/.test(client.lastBody);

      await client.get('/account');
      assert.equal(checkedDaily(), false);
      let res = await client.post('/account/newsletters', { newsletters: ['daily', 'no-such-list'] });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/account?done=newsletters');
      const dailyMember = () => t.app.database.db.selectFrom('list_members').innerJoin('newsletter_lists', 'newsletter_lists.id', 'list_members.list_id').select(['list_members.status', 'list_members.reader_id']).where('newsletter_lists.slug', '=', 'daily').where('list_members.email', '=', email).executeTakeFirst();
      const reader = (await readerByEmail(t, email))!;
      assert.deepEqual(await dailyMember(), { status: 'active', reader_id: reader.id });
      await client.follow(res);
      assert.equal(checkedDaily(), true);
      assert.match(client.lastBody, /Your newsletter choices have been saved\./);

      res = await client.post('/account/newsletters', {});
      assert.equal(res.status, 303);
      assert.equal((await dailyMember())!.status, 'unsubscribed');
      await client.follow(res);
      assert.equal(checkedDaily(), false);
    });

    it('exports the reader\'s own data as JSON, without token hashes', async () => {
      const db = t.app.database.db;
      const email = 'exporter@example.com';
      const { client } = await signIn(t, email);
      await signIn(t, 'someone.else@example.com');
      const me = (await readerByEmail(t, email))!;
      const other = (await readerByEmail(t, 'someone.else@example.com'))!;
      await seedDemoCatalog(db);
      const plan = await db.selectFrom('plans').select('id').where('slug', '=', 'digital').executeTakeFirstOrThrow();
      const subscribe = async (readerId: number, n: number) => {
        const sub = await db
          .insertInto('subscriptions')
          .values({ reader_id: readerId, plan_id: plan.id, provider: 'demo', provider_subscription_id: `sub_export_${n}`, provider_customer_id: `cus_export_${n}`, status: 'active', current_period_start: NOW, current_period_end: NOW + 30 * 86_400_000, cancel_at_period_end: 0, trial_end: null, past_due_since: null, ended_at: null, ending_notice_sent_for: null, created_at: NOW, updated_at: NOW })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db.insertInto('payments').values({ reader_id: readerId, subscription_id: sub.id, provider: 'demo', provider_payment_id: `pay_export_${n}`, kind: 'subscription', amount_cents: 800 + n, currency: 'usd', status: 'succeeded', created_at: NOW }).execute();
        return sub.id;
      };
      const mySub = await subscribe(me.id, 1);
      await subscribe(other.id, 2);

      const res = await client.get('/account/export');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^application\/json/);
      assert.match(res.headers.get('content-disposition')!, /^attachment;/);
      assert.equal(res.headers.get('cache-control'), 'private, no-store');
      const text = await res.text();
      const data = JSON.parse(text) as { reader: { email: string }; subscriptions: { id: number; planId: number; status: string }[]; payments: { amount_cents: number; currency: string }[]; sessions: unknown[] };
      assert.equal(data.reader.email, email);
      assert.deepEqual(data.subscriptions.map((s) => [s.id, s.planId, s.status]), [[mySub, plan.id, 'active']]);
      assert.deepEqual(data.payments.map((p) => [p.amount_cents, p.currency]), [[801, 'usd']]);
      assert.ok(data.sessions.length >= 1);

      const hashes = [
        ...(await db.selectFrom('sessions').select('token_hash').execute()),
        ...(await db.selectFrom('login_tokens').select('token_hash').execute()),
      ].map((r) => r.token_hash);
      for (const hash of hashes) assert.ok(!text.includes(hash), 'a token hash is in the export');
      assert.doesNotMatch(text, /[0-9a-f]{64}/);
      assert.doesNotMatch(text, /token/i);
      assert.ok(!text.includes('someone.else@example.com'));
    });

    it('exports the reader’s newsletter copies, suppression and reports; deleting the account anonymises them', async () => {
      const db = t.app.database.db;
      const email = 'reads.the.daily@example.com';
      const { client } = await signIn(t, email);
      const reader = (await readerByEmail(t, email))!;
      const list = await db.selectFrom('newsletter_lists').select('id').where('slug', '=', 'daily').executeTakeFirstOrThrow();
      const issue = async (slug: string) => (await db.insertInto('newsletter_issues').values({
        list_id: list.id, slug, issue_date: slug, status: 'sending', subject: '', intro: '', story_ids: null, content: '{}', send_at: null, queued_at: NOW - 86_400_000, finished_at: null, created_at: NOW, updated_at: NOW, updated_by: null,
      }).returning('id').executeTakeFirstOrThrow()).id;
      const [monday, tuesday] = [await issue('2026-11-16'), await issue('2026-11-17')];
      const send = async (issueId: number, to: string, readerId: number | null, status: 'sent' | 'queued') => (await db.insertInto('newsletter_sends').values({
        issue_id: issueId, email: to, reader_id: readerId, is_entitled: 0, status, attempts: status === 'sent' ? 1 : 0, next_attempt_at: NOW, lease_until: null, last_error: null, sent_at: status === 'sent' ? NOW - 3_600_000 : null,
      }).returning('id').executeTakeFirstOrThrow()).id;
      // Monday's went to the address they had then; Tuesday's, before the account existed, to this one.
      const mine = [await send(monday, 'reads.before@example.com', reader.id, 'sent'), await send(tuesday, email, null, 'queued')];
      const theirs = await send(monday, 'someone.else@example.com', null, 'sent');
      await db.insertInto('events').values([...mine, theirs].map((id) => ({ kind: 'newsletter-click', article_id: null, reader_key: null, detail: JSON.stringify({ send: id }), created_at: NOW }))).execute();
      await db.insertInto('mail_feedback').values([
        { event_id: 'fb-1', kind: 'bounce:soft', email, received_at: NOW - 1000 },
        { event_id: 'fb-2', kind: 'bounce:soft', email: 'someone.else@example.com', received_at: NOW - 1000 },
      ]).execute();
      await db.insertInto('mail_suppressions').values({ email, reason: 'manual', detail: 'asked by phone', created_at: NOW - 500 }).execute();

      const data = await (await client.get('/account/export')).json() as Record<string, unknown>;
      assert.deepEqual(data.newsletterSends, [
        { list: 'daily', issue: '2026-11-16', email: 'reads.before@example.com', status: 'sent', sentAt: new Date(NOW - 3_600_000).toISOString() },
        { list: 'daily', issue: '2026-11-17', email, status: 'queued', sentAt: null },
      ]);
      assert.deepEqual(data.mailSuppression, { reason: 'manual', detail: 'asked by phone', createdAt: new Date(NOW - 500).toISOString() });
      assert.deepEqual(data.mailFeedback, [{ kind: 'bounce:soft', receivedAt: new Date(NOW - 1000).toISOString() }]);

      await client.get('/account');
      assert.equal((await client.post('/account/delete', { confirm: email })).status, 200);
      const rows = await db.selectFrom('newsletter_sends').select(['id', 'issue_id', 'email', 'reader_id', 'status']).where('id', 'in', [...mine, theirs]).orderBy('id').execute();
      assert.deepEqual(rows, [
        { id: mine[0], issue_id: monday, email: anonymousAddress('reads.before@example.com'), reader_id: null, status: 'sent' },
        { id: mine[1], issue_id: tuesday, email: anonymousAddress(email), reader_id: null, status: 'suppressed' },
        { id: theirs, issue_id: monday, email: 'someone.else@example.com', reader_id: null, status: 'sent' },
      ], 'counted, not named; a copy still waiting is not sent');
      const clicks = (await db.selectFrom('events').select('detail').where('kind', '=', 'newsletter-click').orderBy('id').execute()).map((e) => e.detail);
      assert.deepEqual(clicks, [JSON.stringify({ issue: monday }), JSON.stringify({ issue: tuesday }), JSON.stringify({ send: theirs })]);
      assert.deepEqual((await db.selectFrom('mail_feedback').select('event_id').orderBy('event_id').execute()).map((r) => r.event_id), ['fb-2']);
    });

    it('deletes the account only when the address is typed, taking its sessions with it', async () => {
      const db = t.app.database.db;
      const email = 'leaving.for.good@example.com';
      const { client, cookie } = await signIn(t, email);
      const other = await signIn(t, email);
      const reader = (await readerByEmail(t, email))!;

      await client.get('/account');
      const wrong = await client.post('/account/delete', { confirm: 'someone.else@example.com' });
      assert.equal(wrong.status, 400);
      assert.match(await wrong.text(), /Your account was not deleted/);
      assert.ok(await readerByEmail(t, email));
      assert.equal(await isSignedIn(t, cookie), true);

      await client.get('/account');
      const empty = await client.post('/account/delete', {});
      assert.equal(empty.status, 400);
      assert.ok(await readerByEmail(t, email));

      await client.get('/account');
      const res = await client.post('/account/delete', { confirm: '  Leaving.For.Good@Example.com ' });
      assert.equal(res.status, 200);
      assert.match(await res.text(), /Your account has been deleted/);
      assert.ok(!client.cookies.has('mh_session'));
      assert.equal(await readerByEmail(t, email), undefined);
      assert.deepEqual(await db.selectFrom('sessions').select('id').where('reader_id', '=', reader.id).execute(), []);
      assert.deepEqual(await db.selectFrom('login_tokens').select('id').where('reader_id', '=', reader.id).execute(), []);
      assert.equal(await isSignedIn(t, cookie), false);
      assert.equal(await isSignedIn(t, other.cookie), false);
    });
  });

  describe(`sign-in rate limits (${dialect})`, () => {
    // A real port behind a trusted proxy, so each request can come from its own client address.
    let t: TestApp;
    let server: { url: string; close(): Promise<void> };
    const from = (ip: string) => new Client({ ...t, request: (p: string, init?: RequestInit) => fetch(new URL(p, server.url), init) } as TestApp, { 'x-forwarded-for': ip });
    before(async () => {
      t = await startTestApp(dialect, { env: { TRUST_PROXY: '127.0.0.1' } });
      server = await listen(t.app);
    });
    after(async () => {
      await server.close();
      await t.close();
    });

    it('limits one address to five links an hour, from however many clients; others still sign in', async () => {
      const email = 'popular@example.com';
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 1; i <= 50; i++) {
        const client = from(`10.0.0.${i}`);
        await client.get('/login');
        const res = await client.post('/login', { email });
        statuses.push(res.status);
        if (res.status === 429) {
          retryAfter ??= res.headers.get('retry-after');
          assert.match(await res.text(), /Too many sign-in requests/);
        }
      }
      assert.deepEqual(statuses.slice(0, 5), [200, 200, 200, 200, 200]);
      assert.equal(statuses[5], 429, 'the 6th request within the hour');
      assert.ok(statuses.slice(5).every((s) => s === 429));
      assert.equal(retryAfter, '3600');
      const mails = await newMail(t);
      assert.equal(mails.length, 5);
      assert.ok(mails.every((m) => m.to === email));

      // Another address, even from a client that was just refused, still gets its link.
      const neighbour = from('10.0.0.6');
      await neighbour.get('/login');
      assert.equal((await neighbour.post('/login', { email: 'quiet@example.com' })).status, 200);
      assert.equal((await onlyMailTo(t, 'quiet@example.com')).subject, 'Confirm your e-mail to finish signing up');

      // A link sent before the limit still signs its reader in.
      const reader = new Client(t);
      assert.equal((await confirmLink(reader, linkIn(mails[0], LOGIN_LINK))).status, 303);
      assert.equal((await reader.get('/account')).status, 200);

      // An hour later the address may ask again.
      t.clock.now += 3_600_000;
      const later = from('10.0.0.1');
      await later.get('/login');
      assert.equal((await later.post('/login', { email })).status, 200);
      await onlyMailTo(t, email);
    });

    it('limits one client to thirty links an hour across addresses', async () => {
      t.clock.now += 3_600_000;
      const client = from('198.51.100.9');
      await client.get('/login');
      const csrf = client.csrf();
      for (let i = 1; i <= 30; i++) assert.equal((await client.post('/login', { email: `many${i}@example.com`, _csrf: csrf })).status, 200, `request ${i}`);
      const refused = await client.post('/login', { email: 'many31@example.com', _csrf: csrf });
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('retry-after'), '3600');
      const otherClient = from('198.51.100.10');
      await otherClient.get('/login');
      assert.equal((await otherClient.post('/login', { email: 'many31@example.com' })).status, 200);
      assert.equal((await newMail(t)).length, 31);
    });
  });

  describe(`staff sign-in (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
      await createStaffUser(t.app.database.db, { email: 'editor@example.com', name: 'Eddie Tor', role: 'editor', password: STAFF_PASSWORD }, NOW);
      await createStaffUser(t.app.database.db, { email: 'writer@example.com', name: 'Wren Iter', role: 'writer', password: STAFF_PASSWORD }, NOW);
    });
    after(() => t.close());

    const staffLogin = async (client: Client, email: string, password: string) => {
      await client.get('/admin/login');
      return client.post('/admin/login', { email, password, return: '/admin' });
    };

    it('sends /admin without a session to the sign-in page', async () => {
      const res = await new Client(t).get('/admin');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/admin/login?return=/admin');
    });

    it('signs staff in with the right password and shows the role', async () => {
      const client = new RecordingClient(t);
      const res = await staffLogin(client, 'Editor@Example.com', STAFF_PASSWORD);
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/admin');
      const home = await client.get('/admin');
      assert.equal(home.status, 200);
      assert.equal(home.headers.get('cache-control'), 'private, no-store');
      assert.match(client.lastBody, /<strong data-role="editor">editor<\/strong>/);
      await assertCookiesSafe(t, client.setCookies, [STAFF_PASSWORD, 'editor@example.com']);

      // A staff session is not a reader's.
      assert.equal((await client.get('/account')).status, 303);
      await client.get('/admin');
      const out = await client.post('/admin/logout');
      assert.equal(out.status, 303);
      assert.equal((await client.get('/admin')).status, 303);
    });

    it('answers a wrong password and an unknown address with the same 401', async () => {
      const client = new Client(t);
      await client.get('/admin/login');
      const csrf = client.csrf();
      const wrong = await client.post('/admin/login', { email: 'editor@example.com', password: 'not the password at all', return: '/admin', _csrf: csrf });
      const unknown = await client.post('/admin/login', { email: 'nobody@example.com', password: STAFF_PASSWORD, return: '/admin', _csrf: csrf });
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      const a = (await wrong.text()).replaceAll('editor@example.com', 'ADDRESS');
      const b = (await unknown.text()).replaceAll('nobody@example.com', 'ADDRESS');
      assert.match(a, /That e-mail and password do not match\./);
      assert.equal(a, b);
      assert.ok(!client.cookies.has('mh_session'));
      assert.ok(!a.includes(STAFF_PASSWORD) && !a.includes('not the password at all'));
    });

    it('locks an account for 15 minutes after five failures, even against the right password', async () => {
      const client = new Client(t);
      for (let i = 1; i <= 4; i++) assert.equal((await staffLogin(client, 'writer@example.com', `wrong password ${i}`)).status, 401, `failure ${i}`);
      const fifth = await staffLogin(client, 'writer@example.com', 'wrong password 5');
      assert.equal(fifth.status, 423);
      assert.match(await fifth.text(), /This account is locked/);

      const right = await staffLogin(client, 'writer@example.com', STAFF_PASSWORD);
      assert.equal(right.status, 423);
      assert.ok(!client.cookies.has('mh_session'));
      // Another staff member is not locked out.
      assert.equal((await staffLogin(new Client(t), 'editor@example.com', STAFF_PASSWORD)).status, 303);

      t.clock.now += LOCKOUT_MS - 1;
      assert.equal((await staffLogin(client, 'writer@example.com', STAFF_PASSWORD)).status, 423);
      t.clock.now += 1;
      const open = await staffLogin(client, 'writer@example.com', STAFF_PASSWORD);
      assert.equal(open.status, 303);
      assert.equal(open.headers.get('location'), '/admin');
      await client.get('/admin');
      assert.match(client.lastBody, /data-role="writer"/);
    });

    it('does not open the newsroom to a reader', async () => {
      const { client } = await signIn(t, 'curious.reader@example.com');
      const res = await client.get('/admin');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/admin/login?return=/admin');
      const login = await client.get('/admin/login');
      assert.equal(login.status, 200);
      assert.match(client.lastBody, /Staff sign-in/);
    });
  });

  describe(`what the logs keep (${dialect})`, () => {
    let t: TestApp;
    let log: string[];
    before(async () => {
      ({ t, log } = await startAppWithLog(dialect));
      await createStaffUser(t.app.database.db, { email: 'logged.editor@example.com', role: 'editor', password: STAFF_PASSWORD }, NOW);
    });
    after(() => t.close());

    it('holds no token, password, session cookie or full address', async () => {
      const email = 'private.person@example.com';
      const { client, cookie, token } = await signIn(t, email);
      const { token: unused } = await requestLink(t, email);
      await client.get('/account');
      await client.post('/account/email', { email: 'private.new@example.com' });
      const change = tokenOf(linkIn(await onlyMailTo(t, 'private.new@example.com'), EMAIL_CHANGE_LINK));
      await client.get(`/account/email/confirm?token=${change}`);
      await client.post('/account/email/confirm', { token: change });
      await client.get(`/login/confirm?token=${newToken()}`);
      await rawPost(client, '/account/name', { name: 'x' }, { origin: 'https://evil.example' });
      await browserWith(t, `${cookie}x`).get('/account');

      const staff = new Client(t);
      const attempts = [
        ['logged.editor@example.com', 'wrong password one'],
        ['logged.editor@example.com', 'wrong password two'],
        ['nobody.at.all@example.com', 'a guessed password'],
        ['logged.editor@example.com', STAFF_PASSWORD],
      ];
      for (const [staffEmail, password] of attempts) {
        await staff.get('/admin/login');
        await staff.post('/admin/login', { email: staffEmail, password });
      }
      assert.equal((await staff.get('/admin')).status, 200);

      await client.get('/account');
      await client.post('/account/delete', { confirm: 'private.new@example.com' });

      const text = log.join('');
      assert.match(text, /reader signed in/, 'the log was captured');
      assert.match(text, /staff sign-in refused/);
      const secrets = [
        token, sha256(token), unused, change, cookie, cookie.slice(0, cookie.lastIndexOf('.')),
        email, 'private.new@example.com', 'logged.editor@example.com', 'nobody.at.all@example.com',
        STAFF_PASSWORD, 'wrong password one', 'a guessed password',
      ];
      for (const secret of secrets) assert.ok(!text.includes(secret), `the log holds ${secret.slice(0, 12)}…`);
    });
  });
}
