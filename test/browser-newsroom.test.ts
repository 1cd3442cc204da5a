// The newsroom in a real browser, with JavaScript on: a writer writes an illustrated story
// and hands it in; an editor publishes it and it is on the home page and its section front;
// a scheduled story goes out when its time comes; a revision is restored; a writer cannot
// publish; an editor sets the home page's lead; an admin gives a reader a complimentary
// subscription, tightens the paywall and previews a letter's variants; and axe-core finds
// nothing serious or critical on the newsroom's pages.
// Screenshots of the key screens go to test-artifacts/.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { HAS_CHROMIUM, launchBrowser } from './support/browser.ts';
import { listen } from './support/server.ts';
import { createStaffUser } from '../src/accounts/staff.ts';
import { seedDemoCatalog } from '../src/billing/catalog.ts';
import { issueLoginToken, redeemLoginToken } from '../src/accounts/magic-links.ts';
import { saveLetter } from '../src/letters/letter-store.ts';
import { getList } from '../src/newsletters/lists.ts';
import { createIssue } from '../src/newsletters/issue-store.ts';
import { ensureEdition } from '../src/editions/edition-store.ts';

const ARTIFACTS = path.resolve('test-artifacts');
const PASSWORD = 'a newsroom password for tests';

/** `YYYY-MM-DDTHH:mm` in a time zone, as a datetime-local field takes it. */
function localInput(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

for (const dialect of DIALECTS) {
  describe(`the newsroom in a browser (${dialect})`, { skip: HAS_CHROMIUM ? false : 'Chromium not found (set CHROMIUM_PATH)' }, () => {
    let t: TestApp;
    let server: { url: string; close(): Promise<void> };
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    let writer: Page;
    let editor: Page;
    let timeZone: string;
    let storyPath = '';
    const headline = 'Ferry crews rehearse a winter rescue on the frozen sound';
    const axeFindings = new Map<string, string[]>();

    const shot = async (p: Page, name: string) => {
      if (dialect === 'sqlite') await p.screenshot({ path: path.join(ARTIFACTS, `newsroom-${name}.png`), fullPage: true });
    };
    /** Serious and critical violations on the page as it stands. */
    const axe = async (p: Page, name: string) => {
      const results = await new AxeBuilder({ page: p }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      axeFindings.set(name, bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`));
    };
    const signIn = async (email: string): Promise<Page> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      const page = await context.newPage();
      page.on('dialog', (d) => void d.accept());
      await page.goto(`${server.url}/admin/login`);
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => u.pathname === '/admin');
      return page;
    };
    const picture = async (file: string, color: string) => {
      const p = path.join(fs.mkdtempSync(path.join(t.app.config.dataDir, 'upload-')), file);
      fs.writeFileSync(p, await sharp({ create: { width: 1400, height: 900, channels: 3, background: color } }).jpeg().toBuffer());
      return p;
    };

    before(async () => {
      t = await startTestApp(dialect);
      await seedDemoCatalog(t.app.database.db);
      timeZone = (await t.app.site.current()).site.publication.timeZone;
      await createStaffUser(t.app.database.db, { email: 'wren@example.com', name: 'Wren Iter', role: 'writer', password: PASSWORD }, t.clock.now);
      await createStaffUser(t.app.database.db, { email: 'eddie@example.com', name: 'Eddie Tor', role: 'editor', password: PASSWORD }, t.clock.now);
      await createStaffUser(t.app.database.db, { email: 'ada@example.com', name: 'Ada Min', role: 'admin', password: PASSWORD }, t.clock.now);
      for (let i = 0; i < 3; i++) await t.article({ sectionPath: 'World/Europe' });
      server = await listen(t.app);
      browser = await launchBrowser();
      fs.mkdirSync(ARTIFACTS, { recursive: true });
    });
    after(async () => {
      for (const c of contexts) await c.close();
      await browser?.close();
      await server?.close();
      await t?.close();
    });

    it('lets a writer write an illustrated story, autosaved, and hand it in', async () => {
      writer = await signIn('wren@example.com');
      await axe(writer, 'newsroom home (writer)');
      await writer.getByRole('link', { name: 'Write a story' }).first().click();
      await writer.waitForURL((u) => u.pathname === '/admin/stories/new');
      await writer.getByLabel('Headline').fill(headline);
      await writer.getByLabel('Dek').fill('Coast guard and ferry crews practise reaching a stranded boat across the ice.');
      await writer.getByLabel('Section').selectOption('World/Europe');
      await writer.getByLabel('Dateline').fill('TURKU, Finland');
      const body = writer.locator('[data-body-editor]');
      await body.fill('The drill began before dawn, with the sound frozen from shore to shore.\n\n## Across the ice\n\nCrews dragged a flat-bottomed sled to the stranded boat.\n\n> [!pullquote]\n> "The ice tells you where you may go."\n> — A ferry captain\n\nBy noon every volunteer was ashore.');
      // The live preview and the counts follow the typing.
      await writer.locator('[data-body-preview] h2', { hasText: 'Across the ice' }).waitFor();
      await writer.waitForFunction(() => Number(document.querySelector('[data-word-count]')?.textContent) >= 30);
      // The first autosave creates the draft and moves the page to its address.
      await writer.waitForURL(/\/admin\/stories\/\d+\/edit$/, { timeout: 20_000 });
      await writer.locator('[data-autosave-status][data-state="saved"]').waitFor({ timeout: 20_000 });

      // A lead picture by the file picker (the drop zone uses the same upload), then its words.
      await writer.locator('input[name="lead_image"]').setInputFiles(await picture('ferry.jpg', '#5b7c99'));
      await writer.locator('[data-lead-preview]').waitFor({ timeout: 20_000 });
      assert.match(await writer.locator('input[name="lead_image_id"]').inputValue(), /^[0-9a-f]{24}$/);
      await writer.getByLabel('Caption').fill('Volunteers haul a rescue sled across the sound.');
      await writer.getByLabel('Credit').fill('Illustration by Ines Varga');
      await writer.getByLabel('Alt text').fill('People pulling a sled over flat ice toward a small boat');
      // A picture in the body, through "Insert picture".
      await body.press('Control+End');
      await writer.locator('[data-inline-image-input]').setInputFiles(await picture('sled.jpg', '#99805b'));
      await writer.locator('[data-inline-image-status][data-state="done"]').waitFor({ timeout: 20_000 });
      assert.match(await body.inputValue(), /!\[[^\]]*\]\(image:[0-9a-f]{24} "/);
      await shot(writer, '1-editor-writer');
      await axe(writer, 'story editor');

      await writer.getByRole('button', { name: 'Hand in to the editors' }).click();
      await writer.waitForURL(/done=submitted/);
      assert.equal(await writer.getByRole('button', { name: 'Publish now' }).count(), 0, 'a writer is offered no Publish button');
      const row = await t.app.database.db.selectFrom('articles').select(['id', 'status', 'submitted_at', 'lead_image_id']).where('headline', '=', headline).executeTakeFirstOrThrow();
      assert.equal(row.status, 'draft');
      assert.ok(row.submitted_at !== null, 'handed in');
      assert.ok(row.lead_image_id, 'the lead picture is kept');
    });

    it('refuses a writer who tries to publish anyway (403, still a draft)', async () => {
      const id = Number(/\/admin\/stories\/(\d+)/.exec(writer.url())![1]);
      const status = await writer.evaluate(async (storyId) => {
        const form = document.querySelector<HTMLFormElement>('#story-form')!;
        const data = new FormData(form);
        data.set('intent', 'publish');
        const res = await fetch(`/admin/stories/${storyId}`, { method: 'POST', body: data, redirect: 'manual' });
        return res.status;
      }, id);
      assert.equal(status, 403);
      const row = await t.app.database.db.selectFrom('articles').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'draft');
    });

    it('lets an editor publish it: it is on the home page and its section front', async () => {
      editor = await signIn('eddie@example.com');
      await editor.goto(`${server.url}/admin/stories?status=submitted`);
      await axe(editor, 'story list');
      await shot(editor, '2-story-list');
      await editor.getByRole('link', { name: `Edit “${headline}”` }).click();
      await editor.getByRole('button', { name: 'Publish now' }).click();
      await editor.waitForURL(/done=published/);
      const row = await t.app.database.db.selectFrom('articles').select(['status', 'url_path']).where('headline', '=', headline).executeTakeFirstOrThrow();
      assert.equal(row.status, 'published');
      storyPath = row.url_path!;

      const reader = await contexts[0].browser()!.newContext();
      contexts.push(reader);
      const page = await reader.newPage();
      await page.goto(`${server.url}/`);
      assert.ok(await page.getByRole('link', { name: headline }).count() >= 1, 'on the home page');
      await page.goto(`${server.url}/World/Europe`);
      assert.ok(await page.getByRole('link', { name: headline }).count() >= 1, 'on its section front');
      await page.goto(`${server.url}${storyPath}`);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), headline);
      assert.ok(await page.locator('figure img').count() >= 2, 'the lead picture and the body picture');
      await shot(page, '3-published-story');
    });

    it('publishes a scheduled story when its time comes', async () => {
      const later = 'Lighthouse keepers log the last ship of the season';
      await editor.goto(`${server.url}/admin/stories/new`);
      await editor.getByLabel('Headline').fill(later);
      await editor.getByLabel('Section').selectOption('World/Europe');
      await editor.getByLabel('Bylines').fill('Eddie Tor');
      await editor.locator('[data-body-editor]').fill('The last ship passed the point at dusk.\n\nThe keepers wrote it down.');
      await editor.getByLabel('Publish at').fill(localInput(t.clock.now + 2 * 3600_000, timeZone));
      await editor.getByRole('button', { name: 'Schedule', exact: true }).click();
      await editor.waitForURL(/done=scheduled/);
      await shot(editor, '4-scheduled');
      const home = async () => (await t.get('/')).text();
      assert.doesNotMatch(await home(), new RegExp(later));
      t.clock.now += 2 * 3600_000 + 60_000;
      await t.app.runJobs();
      assert.match(await home(), new RegExp(later), 'published by the jobs');
    });

    it('restores an earlier revision of the published story', async () => {
      const id = Number((await t.app.database.db.selectFrom('articles').select('id').where('headline', '=', headline).executeTakeFirstOrThrow()).id);
      await editor.goto(`${server.url}/admin/stories/${id}/edit`);
      await editor.getByLabel('Headline').fill('A headline nobody liked');
      await editor.getByRole('button', { name: 'Update the live story' }).click();
      await editor.waitForURL(/done=saved/);
      assert.match(await (await t.get(storyPath)).text(), /A headline nobody liked/);

      await editor.goto(`${server.url}/admin/stories/${id}/revisions`);
      await axe(editor, 'revision history');
      // The revision before the last save holds the original headline.
      await editor.locator('tr[data-revision-id] a').nth(1).click();
      await editor.locator('[data-diff-fields]').waitFor();
      await axe(editor, 'revision diff');
      await shot(editor, '5-revision');
      await editor.getByRole('button', { name: 'Restore this revision' }).click();
      await editor.waitForURL(/done=restored/);
      const page = await (await t.get(storyPath)).text();
      assert.match(page, new RegExp(headline));
      assert.doesNotMatch(page, /A headline nobody liked/);
    });

    it('lets an editor make a story the home page\'s lead', async () => {
      await editor.goto(`${server.url}/admin/front`);
      const story = await t.app.database.db.selectFrom('articles').select('id').where('headline', '=', headline).executeTakeFirstOrThrow();
      await editor.locator('#front-pick').selectOption(String(story.id));
      await editor.getByRole('button', { name: 'Make it the lead' }).click();
      await editor.locator('[data-front-slot="lead"]', { hasText: headline }).waitFor();
      await shot(editor, '6-front-page');
      const home = await (await t.get('/')).text();
      const lead = /<article[^>]*class="[^"]*lead[^"]*"[\s\S]*?<\/article>/.exec(home)?.[0] ?? home.slice(0, home.indexOf(headline) + headline.length);
      assert.ok(lead.includes(headline), 'the chosen story leads the home page');
    });

    it('lets an admin give a reader a complimentary subscription that opens subscriber stories', async () => {
      const { token } = await issueLoginToken(t.app.database.db, { email: 'tove@example.org', returnTo: '/account', now: t.clock.now });
      const redeemed = await redeemLoginToken(t.app.database.db, token, t.clock.now);
      assert.ok(redeemed.ok);
      const admin = await signIn('ada@example.com');
      await admin.goto(`${server.url}/admin/readers`);
      await admin.getByLabel('E-mail or name').fill('tove@');
      await admin.locator('[data-reader-search] button[type="submit"]').click();
      await admin.locator('tr[data-reader-row] a', { hasText: 'tove@example.org' }).click();
      await admin.locator('form[data-form="complimentary"] select[name="plan"]').selectOption({ index: 1 });
      await admin.locator('form[data-form="complimentary"] [name="months"]').fill('3');
      await admin.getByRole('button', { name: 'Grant' }).click();
      await admin.locator('tr[data-subscription][data-provider="comp"]').waitFor();
      await shot(admin, '7-reader');
      const sub = await t.app.database.db.selectFrom('subscriptions').select(['provider']).where('reader_id', '=', redeemed.readerId).executeTakeFirstOrThrow();
      assert.equal(sub.provider, 'comp');
      assert.equal((await t.app.database.db.selectFrom('payments').select('id').where('reader_id', '=', redeemed.readerId).execute()).length, 0, 'nothing charged');
    });

    it('lets an admin change the paywall policy, and readers meet it at once', async () => {
      const admin = await signIn('ada@example.com');
      await admin.goto(`${server.url}/admin/paywall`);
      await admin.getByLabel('Free stories for anonymous readers').fill('1');
      await admin.locator('[data-action="save-paywall"]').click();
      await admin.waitForURL(/saved/);
      assert.match((await admin.locator('[data-policy-summary]').textContent()) ?? '', /\b1\b/);
      const reader = await contexts[0].browser()!.newContext();
      contexts.push(reader);
      const page = await reader.newPage();
      const metered = await t.app.database.db.selectFrom('articles').select('url_path').where('access', '=', 'metered').where('status', '=', 'published').orderBy('id').limit(2).execute();
      await page.goto(`${server.url}${metered[0].url_path}`);
      assert.equal(await page.locator('[data-access="metered"]').count() + await page.locator('[data-access="locked"]').count() > 0, true);
      await page.goto(`${server.url}${metered[1].url_path}`);
      assert.equal(await page.locator('[data-access="locked"]').count(), 1, 'the second story is locked');
    });

    it('lets an admin preview each variant of a letter to readers', async () => {
      const letter = await saveLetter(t.app.database.db, {
        title: 'Dear Reader,',
        bodyMd: 'Our reporters went to see for themselves.',
        signature: 'The Editor',
        audience: ['anonymous'],
        variants: [{ name: 'A', title: 'Dear Reader,', weight: 50 }, { name: 'B', title: 'A note from the editor', weight: 50 }],
      }, { now: t.clock.now });
      const admin = await signIn('ada@example.com');
      await admin.goto(`${server.url}/admin/letters/${letter.id}/preview`);
      for (const v of letter.variants) {
        await admin.locator(`[data-preview-link="${v.id}"]`).click();
        await admin.locator('.letter h2.letter-title', { hasText: v.title! }).waitFor();
      }
      await axe(admin, 'letter preview');
      await shot(admin, '8-letter-preview');
    });

    it('finds nothing serious or critical with axe on the newsroom pages', async () => {
      const admin = await signIn('ada@example.com');
      for (const p of ['/admin', '/admin/front', '/admin/sections', '/admin/authors', '/admin/readers', '/admin/staff', '/admin/settings', '/admin/paywall', '/admin/letters', '/admin/plans', '/admin/audit']) {
        const res = await admin.goto(`${server.url}${p}`);
        assert.equal(res?.status(), 200, p);
        await axe(admin, p);
        if (p === '/admin' || p === '/admin/front' || p === '/admin/paywall') await shot(admin, `6${p.replaceAll('/', '-')}`);
      }
      // The newsletter pages: the lists, a list's issues and settings, a new list, an issue's editor.
      const daily = (await getList(t.app.database.db, { slug: 'daily' }))!;
      const issue = await createIssue(t.app.database.db, { list: daily, issueDate: '2026-11-30', now: t.clock.now, userId: null });
      for (const p of ['/admin/newsletters', '/admin/newsletters/new', `/admin/newsletters/${daily.id}`, `/admin/newsletters/${daily.id}/settings`, `/admin/newsletters/issues/${issue.id}`]) {
        const res = await admin.goto(`${server.url}${p}`);
        assert.equal(res?.status(), 200, p);
        await axe(admin, p);
      }
      await shot(admin, '9-newsletter-issue');
      // The Weekly: the editions and an edition's editor.
      const edition = await ensureEdition(t.app.database.db, { week: '2026-W46', timeZone: 'America/New_York', now: t.clock.now });
      for (const p of ['/admin/editions', `/admin/editions/${edition.id}`]) {
        const res = await admin.goto(`${server.url}${p}`);
        assert.equal(res?.status(), 200, p);
        await axe(admin, p);
      }
      await admin.goto(`${server.url}/admin/login`);
      const failures = [...axeFindings].filter(([, v]) => v.length > 0);
      assert.deepEqual(failures, [], failures.map(([k, v]) => `${k}:\n  ${v.join('\n  ')}`).join('\n'));
    });
  });
}
