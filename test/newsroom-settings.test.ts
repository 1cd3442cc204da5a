// The newsroom's business pages on both databases: who may open them (admins only; editors
// and writers get 403 and change nothing), publication settings reaching the reader's page
// at once, the paywall policy changing the next reader view, validation that keeps what was
// typed, forged posts refused, and the audit log.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, PUBLIC_URL, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { signedInStaff } from './support/staff.ts';
import { seedDemoCatalog } from '../src/billing/catalog.ts';
import { getPublication } from '../src/content/publication.ts';
import { getPolicy } from '../src/paywall/policy-store.ts';
import { DEFAULT_POLICY } from '../src/paywall/meter-policy.ts';
import { saveLetter } from '../src/letters/letter-store.ts';

const access = (html: string) => /data-access="([a-z]+)"/.exec(html)?.[1];
const meterOf = (html: string) => {
  const m = /data-meter-used="(\d+)" data-meter-limit="(\d+)"/.exec(html);
  return m ? [Number(m[1]), Number(m[2])] : null;
};

/** The paywall form as posted, from a policy-like set of overrides. */
function policyForm(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const base: Record<string, string | undefined> = {
    window: 'calendar-month',
    windowDays: '30',
    anonymousLimit: '5',
    registrationWall: 'on',
    registeredLimit: '10',
    teaserParagraphs: '2',
    defaultAccess: 'metered',
    'section.World': '',
    'section.Opinion': '',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined));
}

for (const dialect of DIALECTS) {
  describe(`newsroom settings and paywall (${dialect})`, () => {
    let t: TestApp;
    const stories: string[] = [];
    let letterId: number;
    let offerId: number;
    let planId: number;

    before(async () => {
      t = await startTestApp(dialect);
      const db = t.app.database.db;
      await seedDemoCatalog(db);
      for (let i = 0; i < 6; i++) stories.push((await t.article({ headline: `Harbor story ${i}`, sectionPath: 'World/Europe', access: 'metered', publishedAt: NOW - (i + 1) * 60_000 })).urlPath!);
      await t.article({ headline: 'An opinion', sectionPath: 'Opinion', access: 'free' });
      letterId = (await saveLetter(db, { title: 'Dear Reader,', bodyMd: 'Please subscribe.', signature: 'The Editor', audience: ['registered'], variants: [{ name: 'A', weight: 1 }] }, { now: NOW })).id;
      offerId = (await db.selectFrom('offers').select('id').where('slug', '=', 'intro-15').executeTakeFirstOrThrow()).id;
      planId = (await db.selectFrom('plans').select('id').where('slug', '=', 'digital').executeTakeFirstOrThrow()).id;
      await t.app.site.refresh();
    });
    after(() => t.close());

    const auditRows = (action: string) => t.app.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

    it('renders every page for an admin', async () => {
      const admin = await signedInStaff(t, 'admin');
      const pages: [string, RegExp][] = [
        ['/admin/settings', /<h1>Publication settings<\/h1>/],
        ['/admin/paywall', /<h1>Paywall<\/h1>/],
        ['/admin/letters', /<h1>Letters to readers<\/h1>/],
        ['/admin/letters/new', /<h1>New letter<\/h1>/],
        [`/admin/letters/${letterId}`, /<h1>Edit letter: Dear Reader,<\/h1>/],
        [`/admin/letters/${letterId}/preview`, /class="letter"/],
        ['/admin/plans', /<h1>Plans &amp; offers<\/h1>/],
        ['/admin/plans/new', /<h1>New plan<\/h1>/],
        [`/admin/plans/${planId}`, /<h1>Plan: Digital<\/h1>/],
        ['/admin/plans/offers/new', /<h1>New offer<\/h1>/],
        [`/admin/plans/offers/${offerId}`, /<h1>Offer: intro-15<\/h1>/],
        ['/admin/plans/coupons/new', /<h1>New coupon<\/h1>/],
        ['/admin/plans/coupons/NEWSROOM20', /<h1>Coupon: NEWSROOM20<\/h1>/],
      ];
      for (const [path, heading] of pages) {
        const res = await admin.get(path);
        assert.equal(res.status, 200, path);
        assert.equal(res.headers.get('cache-control'), 'private, no-store', path);
        assert.match(admin.lastBody, heading, path);
        assert.doesNotMatch(admin.lastBody, /<script(?![^>]*\bsrc=)[^>]*>(?!<\/script>)/, `${path}: no inline script`);
      }
      for (const path of ['/admin/letters/9999', '/admin/letters/9999/preview', '/admin/plans/9999', '/admin/plans/offers/9999', '/admin/plans/coupons/NOPE', `/admin/letters/${letterId}/preview?variant=9999`]) {
        assert.equal((await admin.get(path)).status, 404, path);
      }
      // Visitors are sent to sign in.
      const res = await new Client(t).get('/admin/paywall');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/admin/login?return=/admin/paywall');
    });

    it('refuses editors and writers every page and every change, with 403, changing nothing', async () => {
      const db = t.app.database.db;
      const snapshot = async () => JSON.stringify([
        await getPublication(db),
        await getPolicy(db),
        await db.selectFrom('letters').selectAll().orderBy('id').execute(),
        await db.selectFrom('letter_variants').selectAll().orderBy('id').execute(),
        await db.selectFrom('plans').selectAll().orderBy('id').execute(),
        await db.selectFrom('offers').selectAll().orderBy('id').execute(),
        await db.selectFrom('coupons').selectAll().orderBy('code').execute(),
        await db.selectFrom('audit_log').select('id').execute(),
      ]);
      const before = await snapshot();
      const gets = ['/admin/settings', '/admin/paywall', '/admin/letters', '/admin/letters/new', `/admin/letters/${letterId}`, `/admin/letters/${letterId}/preview`, '/admin/plans', '/admin/plans/new', `/admin/plans/${planId}`, '/admin/plans/offers/new', `/admin/plans/offers/${offerId}`, '/admin/plans/coupons/new', '/admin/plans/coupons/NEWSROOM20'];
      const posts: [string, Record<string, string | string[]>][] = [
        ['/admin/settings', { name: 'Taken Over', tagline: '', timeZone: 'UTC', contactEmail: '' }],
        ['/admin/paywall', policyForm({ anonymousLimit: '0', registrationWall: undefined })],
        ['/admin/letters/new', { title: 'Sneaky', bodyMd: 'x', signature: 'x', ctaLabel: 'Go', ctaUrl: '/subscribe', audience: 'anonymous', frequencyDays: '0', placement: 'both', position: '0', isActive: 'on' }],
        [`/admin/letters/${letterId}`, { title: 'Changed', bodyMd: 'x', signature: 'x', ctaLabel: 'Go', ctaUrl: '/subscribe', audience: 'anonymous', frequencyDays: '0', placement: 'both', position: '0' }],
        ['/admin/plans/new', { slug: 'cheap', name: 'Cheap', description: '', currency: 'usd', interval: 'month', amount: '1.00', entitlements: 'web', position: '0', isActive: 'on' }],
        [`/admin/plans/${planId}`, { name: 'Digital', description: '', amount: '0.50', entitlements: 'web', position: '0', isActive: 'on' }],
        ['/admin/plans/offers/new', { slug: 'free-lunch', planId: String(planId), headline: 'Free', terms: 'full', position: '0', isActive: 'on' }],
        [`/admin/plans/offers/${offerId}`, { planId: String(planId), headline: 'Hijacked', terms: 'full', position: '0', isActive: 'on' }],
        ['/admin/plans/coupons/new', { code: 'ALLFREE', percentOff: '100', duration: 'forever', isActive: 'on' }],
        ['/admin/plans/coupons/NEWSROOM20', { percentOff: '100', duration: 'forever', isActive: 'on' }],
      ];
      for (const role of ['editor', 'writer'] as const) {
        const staff = await signedInStaff(t, role);
        for (const path of gets) {
          const res = await staff.get(path);
          assert.equal(res.status, 403, `${role} GET ${path}`);
          assert.match(staff.lastBody, /Not allowed/);
          assert.match(staff.lastBody, /needs an admin/);
        }
        for (const [path, fields] of posts) {
          await staff.get('/admin'); // a page with this session's form token
          const res = await staff.post(path, fields);
          assert.equal(res.status, 403, `${role} POST ${path}`);
        }
      }
      assert.equal(await snapshot(), before, 'nothing changed');
    });

    it('refuses posts without the form token, even from an admin', async () => {
      const admin = await signedInStaff(t, 'admin');
      const before = await getPublication(t.app.database.db);
      await admin.get('/admin/settings');
      const token = admin.csrf();
      for (const path of ['/admin/settings', '/admin/paywall', '/admin/letters/new', `/admin/plans/offers/${offerId}`]) {
        assert.equal((await admin.post(path, { _csrf: 'forged', name: 'Forged' })).status, 403, path);
        const bare = await admin.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Forged' });
        assert.equal(bare.status, 403, path);
      }
      // A cross-site form, with a valid token, is refused too.
      assert.equal((await admin.post('/admin/settings', { _csrf: token, name: 'Forged', timeZone: 'UTC' }, { origin: 'https://evil.example' })).status, 403);
      assert.deepEqual(await getPublication(t.app.database.db), before);
    });

    it('renames the publication: the nameplate on / shows it at once, and the audit log says so', async () => {
      const admin = await signedInStaff(t, 'admin');
      assert.match(await (await t.get('/')).text(), /The Test Courier/); // cached now
      await admin.get('/admin/settings');
      assert.match(admin.lastBody, /<option value="America\/New_York" selected="">America\/New York<\/option>/);
      const res = await admin.post('/admin/settings', { name: 'The Harbor Courier', tagline: 'News of the bay', timeZone: 'America/Chicago', publicUrl: '', contactEmail: 'Letters@Example.com' });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/admin/settings?saved=1');
      const home = await (await t.get('/')).text();
      assert.match(home, /<div class="nameplate"><a href="\/">The Harbor Courier<\/a><p>News of the bay<\/p>/);
      assert.doesNotMatch(home, /The Test Courier/);
      assert.match(home, /<a href="mailto:letters@example.com">Contact the newsroom<\/a>/, 'readers find the contact address in the footer');
      const pub = await getPublication(t.app.database.db);
      assert.deepEqual([pub.name, pub.tagline, pub.timeZone, pub.contactEmail], ['The Harbor Courier', 'News of the bay', 'America/Chicago', 'letters@example.com']);
      await admin.follow(res);
      assert.match(admin.lastBody, /Settings saved/);
      assert.match(admin.lastBody, /value="letters@example.com"/);
      const audit = (await auditRows('settings')).pop()!;
      assert.equal(audit.actor, admin.email);
      assert.equal(audit.user_id, admin.staffId);
      assert.match(audit.detail, /name: The Test Courier → The Harbor Courier/);
      assert.match(audit.detail, /time zone: America\/New_York → America\/Chicago/);
    });

    it('shows the address PUBLIC_URL sets as read-only, and ignores a posted one', async () => {
      const admin = await signedInStaff(t, 'admin');
      await admin.get('/admin/settings');
      assert.match(admin.lastBody, /data-public-url-locked/);
      assert.match(admin.lastBody, new RegExp(`value="${PUBLIC_URL}" readonly`));
      assert.match(admin.lastBody, /PUBLIC_URL/);
      const pub = await getPublication(t.app.database.db);
      const res = await admin.post('/admin/settings', { name: pub.name, tagline: pub.tagline, timeZone: pub.timeZone, publicUrl: 'https://elsewhere.example.com', contactEmail: '' });
      assert.equal(res.status, 303);
      assert.equal((await getPublication(t.app.database.db)).publicUrl, null);
    });

    it('refuses bad settings with 422, the typed values kept and each message beside its field', async () => {
      const admin = await signedInStaff(t, 'admin');
      const before = await getPublication(t.app.database.db);
      const auditBefore = (await auditRows('settings')).length;
      await admin.get('/admin/settings');
      const res = await admin.post('/admin/settings', { name: '   ', tagline: 'Kept <tagline>', timeZone: 'Mars/Olympus', contactEmail: 'not-an-address' });
      assert.equal(res.status, 422);
      const html = admin.lastBody;
      assert.match(html, /<input type="text" name="name" value="   " id="f-name" aria-invalid="true" aria-describedby="f-name-hint f-name-error"/);
      assert.match(html, /<span class="field-error" id="f-name-error">the publication needs a name<\/span>/);
      assert.match(html, /id="f-timeZone-error">choose a time zone from the list/);
      assert.match(html, /id="f-contactEmail-error">enter an e-mail address/);
      assert.match(html, /value="Kept &lt;tagline&gt;"/);
      assert.match(html, /href="#f-name"/, 'the summary links to the field');
      assert.deepEqual(await getPublication(t.app.database.db), before);
      assert.equal((await auditRows('settings')).length, auditBefore);
    });

    it('lowering the limit to 1 locks the second metered story a new reader opens', async () => {
      const admin = await signedInStaff(t, 'admin');
      const first = new Client(t);
      assert.equal(access(await (await first.get(stories[0])).text()), 'metered');
      assert.equal(access(await (await first.get(stories[1])).text()), 'metered');

      await admin.get('/admin/paywall');
      assert.match(admin.lastBody, /Anonymous readers get 5 free stories a calendar month/);
      const res = await admin.post('/admin/paywall', policyForm({ anonymousLimit: '1', registeredLimit: '3', teaserParagraphs: '1' }));
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/admin/paywall?saved=1');

      const reader = new Client(t);
      const one = await (await reader.get(stories[2])).text();
      assert.equal(access(one), 'metered');
      assert.deepEqual(meterOf(one), [1, 1]);
      const two = await (await reader.get(stories[3])).text();
      assert.equal(access(two), 'locked');
      assert.match(two, /Create a free account to read 2 more/);
      assert.doesNotMatch(two, /Second paragraph with more words/, 'the teaser is one paragraph now');

      await admin.follow(res);
      assert.match(admin.lastBody, /Paywall saved/);
      assert.match(admin.lastBody, /Anonymous readers get 1 free story a calendar month/);
      assert.match(admin.lastBody, /With a free account they get 3: the second metered story asks them to register, the fourth to subscribe\./);
      const audit = (await auditRows('paywall')).pop()!;
      assert.equal(audit.actor, admin.email);
      assert.match(audit.detail, /anonymous limit: 5 → 1; registered limit: 10 → 3; teaser paragraphs: 2 → 1/);
    });

    it('saves a rolling window, the publication default and section defaults', async () => {
      const admin = await signedInStaff(t, 'admin');
      await admin.get('/admin/paywall');
      assert.match(admin.lastBody, /<tr data-section="World">/);
      assert.match(admin.lastBody, /<tr data-section="Opinion">/);
      const res = await admin.post('/admin/paywall', policyForm({ window: 'rolling', windowDays: '30', registrationWall: undefined, registeredLimit: '', defaultAccess: 'subscriber', 'section.Opinion': 'free' }));
      assert.equal(res.status, 303);
      const policy = await getPolicy(t.app.database.db);
      assert.deepEqual(policy, { window: { kind: 'rolling', days: 30 }, anonymousLimit: 5, registeredLimit: 5, teaserParagraphs: 2, defaultAccess: 'subscriber', sectionDefaults: { Opinion: 'free' } });
      await admin.follow(res);
      assert.match(admin.lastBody, /Anonymous readers get 5 free stories in any 30 days\./);
      assert.match(admin.lastBody, /New stories are for subscribers only unless their section says otherwise \(Opinion free\)\./);
      // The reader's meter says "in the last 30 days" now.
      const page = await (await new Client(t).get(stories[4])).text();
      assert.match(page, /free articles in the last 30 days/);
    });

    it('refuses a policy whose registered limit is below the anonymous one: 422, nothing saved', async () => {
      const admin = await signedInStaff(t, 'admin');
      const before = await getPolicy(t.app.database.db);
      const auditBefore = (await auditRows('paywall')).length;
      await admin.get('/admin/paywall');
      const res = await admin.post('/admin/paywall', policyForm({ anonymousLimit: '8', registeredLimit: '4', windowDays: '120', window: 'rolling' }));
      assert.equal(res.status, 422);
      assert.match(admin.lastBody, /id="f-registeredLimit-error">readers with a free account must get at least as many stories as anonymous ones \(8\)/);
      assert.match(admin.lastBody, /id="f-windowDays-error">the number of days must be at most 90/);
      assert.match(admin.lastBody, /name="anonymousLimit" value="8"/);
      assert.match(admin.lastBody, /name="registeredLimit" value="4"[^>]*aria-invalid="true"/);
      assert.deepEqual(await getPolicy(t.app.database.db), before);
      assert.equal((await auditRows('paywall')).length, auditBefore);
    });

    after(async () => {
      // Leave the policy as other suites expect, should anything share this app later.
      await t.app.database.db.deleteFrom('settings').where('key', '=', 'paywall').execute().catch(() => undefined);
      void DEFAULT_POLICY;
    });
  });
}
