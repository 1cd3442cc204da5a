// A newcomer's whole journey in a real browser, with JavaScript on: from /subscribe to a
// sign-in link in the outbox, back to /subscribe, the demo checkout (TEST MODE) and its
// thanks page, then cancel and resume on /account; a declined card leaves no subscription;
// and axe-core finds nothing serious on the pages of the journey.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, type TestApp } from './support/app.ts';
import { HAS_CHROMIUM, launchBrowser } from './support/browser.ts';
import { sentMail, linkIn, type SentMail } from './support/outbox.ts';
import { seedDemoCatalog } from '../src/billing/catalog.ts';
import { addInterval } from '../src/billing/providers/demo.ts';
import { displayDate } from '../src/content/dates.ts';

const ARTIFACTS = path.resolve('test-artifacts');
const TIME_ZONE = 'America/New_York';

/**
 * Binds a loopback port first and only then builds the app, so PUBLIC_URL (which the demo
 * checkout's redirects and the sign-in mail use) is the very origin the browser talks to —
 * no port picked, released and hoped for.
 */
async function serveOnOwnOrigin(start: (url: string) => Promise<TestApp>): Promise<{ t: TestApp; url: string; close(): Promise<void> }> {
  let listener: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => listener(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  try {
    const t = await start(url);
    listener = t.app.nodeListener;
    return { t, url, close };
  } catch (err) {
    await close();
    throw err;
  }
}

for (const dialect of DIALECTS) {
  describe(`a newcomer subscribes in the browser (${dialect})`, { skip: HAS_CHROMIUM ? false : 'Chromium not found (set CHROMIUM_PATH)' }, () => {
    let t: TestApp;
    let url: string;
    let closeServer: (() => Promise<void>) | undefined;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let checkoutPath = '';
    /** The declined reader's checkout, still open after the refusal. */
    let openCheckoutPath = '';
    const axeReport = new Map<string, string[]>();
    /** What axe could not decide by itself ("needs review"): reported, not asserted. */
    const axeReview = new Map<string, string[]>();
    const email = 'newcomer@example.org';

    const shot = async (p: Page, name: string) => {
      if (dialect === 'sqlite') await p.screenshot({ path: path.join(ARTIFACTS, `subscribe-${name}.png`), fullPage: true });
    };
    /** Runs axe on the page as it stands, and remembers every violation for the report. */
    const axe = async (p: Page, name: string) => {
      const results = await new AxeBuilder({ page: p }).analyze();
      axeReport.set(name, results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`));
      axeReview.set(name, results.incomplete.map((v) => `${v.id} ×${v.nodes.length}`));
      return results.violations;
    };
    /** Asks for a sign-in link on the page shown (the login form) and opens it in the browser. */
    const signInByMail = async (p: Page, address: string) => {
      await p.getByLabel('E-mail address').fill(address);
      await p.getByRole('button', { name: 'E-mail me a sign-in link' }).click();
      await p.getByRole('heading', { name: 'Check your inbox' }).waitFor();
      // The app flushes its outbox on a timer right after the POST; a flush in flight has
      // claimed the row but not yet written the file, so wait for the file to appear.
      let mail: SentMail | undefined;
      for (let i = 0; i < 100 && !mail; i++) {
        mail = (await sentMail(t)).filter((m) => m.to.includes(address)).at(-1);
        if (!mail) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(mail, `a sign-in mail to ${address}`);
      const link = linkIn(mail, `${url}/login/confirm?token=`);
      await p.goto(link);
      return mail;
    };
    const subscriptionRows = async (address: string) => {
      const reader = await t.app.database.db.selectFrom('readers').select('id').where('email', '=', address).executeTakeFirst();
      if (!reader) return [];
      return t.app.database.db.selectFrom('subscriptions').selectAll().where('reader_id', '=', reader.id).execute();
    };

    before(async () => {
      const served = await serveOnOwnOrigin((origin) => startTestApp(dialect, { env: { PUBLIC_URL: origin } }));
      t = served.t;
      url = served.url;
      closeServer = served.close;
      await seedDemoCatalog(t.app.database.db);
      browser = await launchBrowser();
      context = await browser.newContext({ javaScriptEnabled: true, viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      fs.mkdirSync(ARTIFACTS, { recursive: true });
    });
    after(async () => {
      await context?.close();
      await browser?.close();
      await closeServer?.();
      await t?.close();
    });

    it('signs in from /subscribe by an e-mailed link and lands back on /subscribe', async () => {
      await page.goto(`${url}/subscribe`);
      assert.equal(await page.evaluate(() => 1 + 1), 2, 'JavaScript runs in this browser');
      await axe(page, '/subscribe (signed out)');
      await shot(page, '1-subscribe-signed-out');
      await page.getByRole('link', { name: 'Sign in to subscribe' }).first().click();
      await page.waitForURL((u) => u.pathname === '/login');
      assert.equal(new URL(page.url()).searchParams.get('return'), '/subscribe');
      await axe(page, '/login');
      await shot(page, '1-login');

      const mail = await signInByMail(page, email);
      assert.equal(mail.subject, 'Confirm your e-mail to finish signing up', 'a newcomer gets the sign-up wording');
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Continue signing in');
      await shot(page, '1-confirm');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => u.pathname === '/subscribe');
      // Signed in now: the offers carry Subscribe buttons instead of sign-in links.
      assert.equal(await page.getByRole('link', { name: 'Sign in to subscribe' }).count(), 0);
      assert.ok(await page.getByRole('button', { name: 'Subscribe' }).count() >= 1);
      await axe(page, '/subscribe (signed in)');
      await shot(page, '1-subscribe-signed-in');
    });

    it('pays for the "$15 for your first 6 months" offer on the demo checkout', async () => {
      const offer = page.locator('section.offer').filter({ hasText: '$15 for your first 6 months' });
      assert.equal(await offer.count(), 1);
      await offer.getByRole('button', { name: 'Subscribe' }).click();
      await page.waitForURL((u) => u.pathname.startsWith('/billing/demo/checkout/'));
      checkoutPath = new URL(page.url()).pathname;
      assert.match(await page.locator('main').innerText(), /TEST MODE/);
      assert.equal(await page.locator('[data-amount]').textContent(), '$2.50');
      await axe(page, 'demo checkout');
      await shot(page, '2-checkout');
      await page.getByLabel('Test card number').fill('4242 4242 4242 4242');
      await page.getByRole('button', { name: 'Pay (test)' }).click();
      await page.waitForURL((u) => u.pathname === '/subscribe/thanks');
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Thank you for subscribing');
      await shot(page, '2-thanks');
    });

    it('shows the plan on /account, then cancels and resumes it', async () => {
      const periodEnd = displayDate(addInterval(NOW, 'month'), TIME_ZONE);
      await page.getByRole('link', { name: 'your account page' }).click();
      await page.waitForURL((u) => u.pathname === '/account');
      const plan = page.locator('[data-plan]');
      const status = page.locator('[data-status]');
      assert.match(await plan.innerText(), /^Digital\b/);
      assert.equal(await status.getAttribute('data-status'), 'active');
      assert.equal(await status.innerText(), `Active — renews on ${periodEnd}`);
      assert.match(await page.locator('#billing').innerText(), /\$2\.50/);
      await axe(page, '/account (active)');
      await shot(page, '3-account-active');

      await page.getByRole('button', { name: 'Cancel subscription' }).click();
      await page.waitForURL((u) => u.pathname === '/account' && u.searchParams.get('done') === 'cancel');
      assert.equal(await status.getAttribute('data-status'), 'canceled');
      assert.equal(await status.innerText(), `Canceled — ends on ${periodEnd}`);
      assert.match(await page.getByRole('status').first().innerText(), /canceled/i);
      await axe(page, '/account (canceled)');
      await shot(page, '3-account-canceled');

      await page.getByRole('button', { name: 'Resume subscription' }).click();
      await page.waitForURL((u) => u.pathname === '/account' && u.searchParams.get('done') === 'resume');
      assert.equal(await status.getAttribute('data-status'), 'active');
      assert.equal(await status.innerText(), `Active — renews on ${periodEnd}`);
      assert.equal(await page.getByRole('button', { name: 'Cancel subscription' }).count(), 1);
      await shot(page, '3-account-resumed');

      const rows = await subscriptionRows(email);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].status, 'active');
      // The paid checkout is closed: opening it again does not take a second payment.
      await page.goto(url + checkoutPath);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'This checkout is closed');
    });

    it('a declined card shows "declined" and leaves no subscription', async () => {
      const second = 'declined@example.org';
      const ctx = await browser.newContext({ javaScriptEnabled: true });
      try {
        const p = await ctx.newPage();
        await p.goto(`${url}/subscribe`);
        await p.getByRole('link', { name: 'Sign in to subscribe' }).first().click();
        await p.waitForURL((u) => u.pathname === '/login');
        await signInByMail(p, second);
        await p.getByRole('button', { name: 'Sign in' }).click();
        await p.waitForURL((u) => u.pathname === '/subscribe');
        await p.locator('section.offer').filter({ hasText: '$15 for your first 6 months' }).getByRole('button', { name: 'Subscribe' }).click();
        await p.waitForURL((u) => u.pathname.startsWith('/billing/demo/checkout/'));
        await p.getByLabel('Test card number').fill('4000 0000 0000 0002');
        await p.getByRole('button', { name: 'Pay (test)' }).click();
        await p.getByRole('status').filter({ hasText: 'declined' }).waitFor();
        openCheckoutPath = new URL(p.url()).pathname;
        assert.ok(openCheckoutPath.startsWith('/billing/demo/checkout/'), 'still on the checkout page');
        assert.match(await p.getByRole('status').innerText(), /declined/);
        await axe(p, 'demo checkout (declined)');
        await shot(p, '4-declined');

        await t.app.runJobs();
        assert.deepEqual(await subscriptionRows(second), []);
        await p.goto(`${url}/account`);
        assert.equal(await p.locator('[data-subscription]').count(), 0);
        assert.match(await p.locator('#subscription').innerText(), /You have no subscription/);
        await shot(p, '4-account-none');
      } finally {
        await ctx.close();
      }
    });

    it('fits a phone screen without sideways scrolling, in the dark colour scheme too', async () => {
      const phone = await browser.newContext({ viewport: { width: 320, height: 700 }, colorScheme: 'dark', storageState: await context.storageState() });
      try {
        const p = await phone.newPage();
        for (const target of ['/login', '/subscribe', openCheckoutPath, '/account', '/gift', '/admin/login']) {
          await p.goto(url + target);
          const widths = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
          assert.ok(widths.scroll <= widths.client, `${target} is ${widths.scroll}px wide on a ${widths.client}px screen`);
          const name = target === openCheckoutPath ? 'demo checkout' : target;
          await axe(p, `${name} (phone, dark)`);
          await shot(p, `6-phone-dark-${name.replace(/\W+/g, '-').replace(/^-|-$/g, '')}`);
        }
      } finally {
        await phone.close();
      }
    });

    it('axe finds no serious or critical violations on the journey\'s pages', async (tc) => {
      for (const [name, p] of [['/gift', '/gift'], ['/admin/login', '/admin/login']] as const) {
        await page.goto(url + p);
        await axe(page, name);
        await shot(page, `5-${name.replace(/\W+/g, '-').replace(/^-|-$/g, '')}`);
      }
      for (const [name, found] of axeReport) {
        const review = axeReview.get(name) ?? [];
        tc.diagnostic(`axe ${name}: ${found.length === 0 ? 'no violations' : found.join('; ')}${review.length ? ` (needs review: ${review.join(', ')})` : ''}`);
      }
      for (const name of ['/login', '/subscribe (signed out)', '/subscribe (signed in)', 'demo checkout', '/account (active)', '/gift', '/admin/login']) {
        assert.ok(axeReport.has(name), `axe ran on ${name}`);
      }
      const serious = [...axeReport].flatMap(([name, found]) => found.filter((v) => /\((serious|critical)\)/.test(v)).map((v) => `${name}: ${v}`));
      assert.deepEqual(serious, []);
      const all = [...axeReport].flatMap(([name, found]) => found.map((v) => `${name}: ${v}`));
      assert.deepEqual(all, [], 'no axe violations of any impact');
    });
  });
}
