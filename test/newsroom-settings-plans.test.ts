// Plans, offers and coupons from the newsroom on both databases: an edited offer headline
// shows on /subscribe at once, a price change gets a new provider price for new subscribers
// while the old one still maps to the plan, new plans and offers go on sale, coupons work at
// checkout, bad input comes back with 422, and only admins may do any of it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { signedInStaff } from './support/staff.ts';
import { checkCoupon, planById, seedDemoCatalog } from '../src/billing/catalog.ts';
import { planIdForPrice, priceForPlan } from '../src/billing/prices.ts';

for (const dialect of DIALECTS) {
  describe(`newsroom plans and offers (${dialect})`, () => {
    let t: TestApp;
    let digitalId: number;
    let introId: number;

    before(async () => {
      t = await startTestApp(dialect);
      await seedDemoCatalog(t.app.database.db);
      digitalId = (await t.app.database.db.selectFrom('plans').select('id').where('slug', '=', 'digital').executeTakeFirstOrThrow()).id;
      introId = (await t.app.database.db.selectFrom('offers').select('id').where('slug', '=', 'intro-15').executeTakeFirstOrThrow()).id;
    });
    after(() => t.close());

    const db = () => t.app.database.db;
    const audit = (action: string) => db().selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
    const subscribePage = async () => (await new Client(t).get('/subscribe')).text();

    it('lists plans with prices and what they include, offers with their terms, and coupons', async () => {
      const admin = await signedInStaff(t, 'admin');
      await admin.get('/admin/plans');
      const html = admin.lastBody;
      assert.match(html, /<tr data-plan="digital"><th scope="row"><a href="\/admin\/plans\/\d+">Digital<\/a><\/th><td><code>digital<\/code><\/td><td data-price="800">\$8 a month<\/td><td>Unlimited access to the site; The Daily e-mail; The Weekly magazine \(PDF and EPUB\)<\/td>/);
      assert.match(html, /<td data-price="8000">\$80 a year<\/td>/);
      assert.match(html, /<tr data-offer="intro-15">.*?\$15 for the first 6 months, then \$8 a month/);
      assert.match(html, /<tr data-offer="weekly-trial">.*?14-day free trial/);
      assert.match(html, /<tr data-coupon="NEWSROOM20">.*?20% off for 3 months.*?0 of 500/);
    });

    it('shows an edited offer headline on /subscribe at once', async () => {
      const admin = await signedInStaff(t, 'admin');
      assert.match(await subscribePage(), /\$15 for your first 6 months, then \$8 a month/);
      await admin.get(`/admin/plans/offers/${introId}`);
      assert.match(admin.lastBody, /name="introTotal" value="15.00"/);
      const headline = '$15 gets you the Weekly magazine, the Daily email, and unlimited access to the site';
      const res = await admin.post(`/admin/plans/offers/${introId}`, { planId: String(digitalId), headline, terms: 'intro', introTotal: '15.00', introMonths: '6', trialDays: '', position: '0', isActive: 'on' });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/admin/plans?saved=offer');
      const page = await subscribePage();
      assert.match(page, /<p class="price">\$15 gets you the Weekly magazine, the Daily email, and unlimited access to the site<\/p>/);
      assert.doesNotMatch(page, /\$15 for your first 6 months/);
      const row = (await audit('offer')).pop()!;
      assert.equal(row.actor, admin.email);
      assert.equal(row.detail, `offer intro-15: headline “$15 for your first 6 months, then $8 a month” → “${headline}”`);
      // The letter preview's button carries the featured offer's headline too.
      const offer = await db().selectFrom('offers').select(['intro_total_cents', 'intro_months', 'slug']).where('id', '=', introId).executeTakeFirstOrThrow();
      assert.deepEqual([offer.intro_total_cents, offer.intro_months, offer.slug], [1500, 6, 'intro-15']);
    });

    it('changes a price for new subscribers: the provider gets a new price, the old one still maps to the plan', async () => {
      const admin = await signedInStaff(t, 'admin');
      const provider = t.app.provider;
      const oldPrice = await priceForPlan(db(), provider, (await planById(db(), digitalId))!);
      await admin.get(`/admin/plans/${digitalId}`);
      assert.match(admin.lastBody, /name="amount" value="8.00"/);
      assert.match(admin.lastBody, /applies to new subscribers/);
      const res = await admin.post(`/admin/plans/${digitalId}`, { name: 'Digital', description: 'Everything, everywhere.', amount: '9.50', entitlements: ['web', 'daily', 'weekly'], position: '0', isActive: 'on', slug: 'renamed', currency: 'eur', interval: 'year' });
      assert.equal(res.status, 303);
      const plan = (await planById(db(), digitalId))!;
      assert.deepEqual([plan.slug, plan.currency, plan.interval, plan.priceCents, plan.description], ['digital', 'usd', 'month', 950, 'Everything, everywhere.']);
      const newPrice = await priceForPlan(db(), provider, plan);
      assert.notEqual(newPrice, oldPrice);
      assert.equal(await planIdForPrice(db(), provider.name, oldPrice), digitalId, 'events naming the old price still find the plan');
      assert.equal(await planIdForPrice(db(), provider.name, newPrice), digitalId);
      assert.match(await subscribePage(), /Then \$9\.50 a month/);
      assert.equal((await audit('plan')).pop()!.detail, 'plan digital: description; price $8 a month → $9.50 a month (for new subscribers)');
    });

    it('creates a plan and an offer that go on sale on /subscribe', async () => {
      const admin = await signedInStaff(t, 'admin');
      await admin.get('/admin/plans/new');
      const made = await admin.post('/admin/plans/new', { slug: 'Student', name: 'Student', description: 'For students.', currency: 'USD', interval: 'year', amount: '40', entitlements: ['web'], position: '5', isActive: 'on' });
      assert.equal(made.status, 303);
      const plan = await db().selectFrom('plans').selectAll().where('slug', '=', 'student').executeTakeFirstOrThrow();
      assert.deepEqual([plan.price_cents, plan.currency, plan.billing_interval, plan.entitlements], [4000, 'usd', 'year', '["web"]']);
      await admin.get('/admin/plans/offers/new');
      const offer = await admin.post('/admin/plans/offers/new', { slug: 'student-year', planId: String(plan.id), headline: 'A year of everything for $40', terms: 'full', position: '9', isActive: 'on' });
      assert.equal(offer.status, 303);
      const page = await subscribePage();
      assert.match(page, /<h2 id="offer-student-year">Student<\/h2><p class="price">A year of everything for \$40<\/p>/);
      // Taking the plan off sale takes its offers off the page.
      await admin.get(`/admin/plans/${plan.id}`);
      assert.equal((await admin.post(`/admin/plans/${plan.id}`, { name: 'Student', description: 'For students.', amount: '40.00', entitlements: 'web', position: '5' })).status, 303);
      assert.doesNotMatch(await subscribePage(), /offer-student-year/);
      const details = (await audit('plan')).map((r) => r.detail);
      assert.ok(details.includes('created plan Student (student, $40 a year; web)'));
      assert.ok(details.includes('plan student: deactivated'));
      assert.ok((await audit('offer')).some((r) => r.detail === 'created offer student-year for student: “A year of everything for $40” (full price)'));
    });

    it('creates and edits coupons that checkout accepts or refuses accordingly', async () => {
      const admin = await signedInStaff(t, 'admin');
      const now = t.clock.now;
      await admin.get('/admin/plans/coupons/new');
      const res = await admin.post('/admin/plans/coupons/new', { code: 'spring25', percentOff: '25', duration: 'repeating', durationMonths: '3', expires: '2026-12-31', maxRedemptions: '2', isActive: 'on' });
      assert.equal(res.status, 303);
      const check = await checkCoupon(db(), 'SPRING25', now);
      assert.ok(check.ok);
      assert.deepEqual([check.coupon.percentOff, check.coupon.duration, check.coupon.durationMonths, check.coupon.maxRedemptions], [25, 'repeating', 3, 2]);
      assert.equal(new Date(check.coupon.expiresAt!).toISOString(), '2027-01-01T05:00:00.000Z', 'good through Dec 31, New York time');
      // A duplicate code is refused beside the field.
      await admin.get('/admin/plans/coupons/new');
      assert.equal((await admin.post('/admin/plans/coupons/new', { code: 'SPRING25', percentOff: '10', duration: 'once', isActive: 'on' })).status, 422);
      assert.match(admin.lastBody, /id="f-code-error">a coupon with this code exists already/);
      // Deactivated: checkout refuses it.
      await admin.get('/admin/plans/coupons/SPRING25');
      assert.match(admin.lastBody, /name="expires" value="2026-12-31"/);
      assert.equal((await admin.post('/admin/plans/coupons/SPRING25', { percentOff: '25', duration: 'repeating', durationMonths: '3', expires: '2026-12-31', maxRedemptions: '2' })).status, 303);
      assert.deepEqual(await checkCoupon(db(), 'spring25', now), { ok: false, reason: 'unknown-coupon' });
      const rows = (await audit('coupon')).map((r) => r.detail);
      assert.ok(rows.includes('created coupon SPRING25: 25% off for 3 months, through 2026-12-31, 2 uses'));
      assert.ok(rows.includes('coupon SPRING25: deactivated'));
      assert.ok(!(await audit('offer')).some((r) => r.detail.includes('SPRING25')), 'coupons are audited as coupons, not offers');
    });

    it('refuses bad input with 422, keeping what was typed, saving nothing', async () => {
      const admin = await signedInStaff(t, 'admin');
      const snapshot = async () => JSON.stringify([await db().selectFrom('plans').selectAll().orderBy('id').execute(), await db().selectFrom('offers').selectAll().orderBy('id').execute(), await db().selectFrom('coupons').selectAll().orderBy('code').execute()]);
      const before = await snapshot();
      await admin.get(`/admin/plans/${digitalId}`);
      assert.equal((await admin.post(`/admin/plans/${digitalId}`, { name: '', description: 'x', amount: '9.999', position: '0', isActive: 'on' })).status, 422);
      assert.match(admin.lastBody, /name="amount" value="9.999" id="f-amount" aria-invalid="true" aria-describedby="f-amount-hint f-amount-error"/);
      assert.match(admin.lastBody, /id="f-amount-error">use at most 2 decimal places/);
      assert.match(admin.lastBody, /id="f-name-error">the plan needs a name/);
      assert.match(admin.lastBody, /id="f-entitlements-error">a plan gives at least one thing/);
      await admin.get('/admin/plans/new');
      assert.equal((await admin.post('/admin/plans/new', { slug: 'digital', name: 'Again', currency: 'usd', interval: 'month', amount: '1', entitlements: 'web', position: '0' })).status, 422);
      assert.match(admin.lastBody, /id="f-slug-error">another plan already uses this slug/);
      await admin.get(`/admin/plans/offers/${introId}`);
      assert.equal((await admin.post(`/admin/plans/offers/${introId}`, { planId: String(digitalId), headline: 'Too dear', terms: 'intro', introTotal: '100', introMonths: '6', position: '0', isActive: 'on' })).status, 422);
      assert.match(admin.lastBody, /id="f-introTotal-error">that is not a discount/);
      assert.match(admin.lastBody, /name="headline" value="Too dear"/);
      await admin.get('/admin/plans/coupons/new');
      assert.equal((await admin.post('/admin/plans/coupons/new', { code: 'X', percentOff: '150', duration: 'once', expires: '2020-01-01' })).status, 422);
      assert.match(admin.lastBody, /id="f-percentOff-error">the percentage must be at most 100/);
      assert.match(admin.lastBody, /id="f-expires-error">that day has passed/);
      assert.equal(await snapshot(), before);
    });

    it('lets only admins in: editors and writers get 403 and change nothing', async () => {
      const snapshot = async () => JSON.stringify([await db().selectFrom('plans').selectAll().orderBy('id').execute(), await db().selectFrom('offers').selectAll().orderBy('id').execute(), await db().selectFrom('coupons').selectAll().orderBy('code').execute()]);
      const before = await snapshot();
      for (const role of ['editor', 'writer'] as const) {
        const staff = await signedInStaff(t, role);
        for (const path of ['/admin/plans', '/admin/plans/new', `/admin/plans/${digitalId}`, '/admin/plans/offers/new', `/admin/plans/offers/${introId}`, '/admin/plans/coupons/new', '/admin/plans/coupons/NEWSROOM20']) {
          assert.equal((await staff.get(path)).status, 403, `${role} GET ${path}`);
        }
        const posts: [string, Record<string, string>][] = [
          [`/admin/plans/${digitalId}`, { name: 'Cheap', amount: '0.01', entitlements: 'web', position: '0', isActive: 'on' }],
          [`/admin/plans/offers/${introId}`, { planId: String(digitalId), headline: 'Free for all', terms: 'full', position: '0', isActive: 'on' }],
          ['/admin/plans/coupons/NEWSROOM20', { percentOff: '100', duration: 'forever', isActive: 'on' }],
          ['/admin/plans/coupons/new', { code: 'FREE', percentOff: '100', duration: 'forever', isActive: 'on' }],
        ];
        for (const [path, fields] of posts) {
          await staff.get('/admin');
          assert.equal((await staff.post(path, fields)).status, 403, `${role} POST ${path}`);
        }
      }
      assert.equal(await snapshot(), before);
    });
  });
}
