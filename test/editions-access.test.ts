// The Weekly on the site, through the real app on both databases: the archive shows published
// editions only, with covers; an edition's page shows its contents to everyone, and the files
// only to readers holding `weekly` and to staff — everyone else meets the offer (403 on the
// download addresses, never the file). Drafts do not exist for readers.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { signedInStaff } from './support/staff.ts';
import { createSession } from '../src/accounts/sessions.ts';
import { storeImage } from '../src/content/image-store.ts';
import { seedDemoCatalog } from '../src/billing/catalog.ts';
import { ensureEdition, publishEdition } from '../src/editions/edition-store.ts';

const TZ = 'America/New_York';
// NOW is Friday 2026-11-20: the last complete week is 2026-W46 (November 9–15).
const WEEK = '2026-W46';
const OFFER = '$15 for your first 6 months, then $8 a month';

async function picture(): Promise<Buffer> {
  return sharp({ create: { width: 1600, height: 1000, channels: 3, background: { r: 30, g: 80, b: 120 } } })
    .composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1000"><circle cx="800" cy="500" r="320" fill="#e0b060"/></svg>') }])
    .jpeg()
    .toBuffer();
}

for (const dialect of DIALECTS) {
  describe(`the Weekly on the site (${dialect})`, () => {
    let t: TestApp;
    let imageId = '';
    const stories: { id: number; urlPath: string; headline: string }[] = [];
    const db = () => t.app.database.db;

    /** A signed-in reader; with entitlements, a subscription to a plan holding them (active, unless `sub` says otherwise). */
    async function reader(email: string, entitlements: string[] | null, sub: { status?: 'active' | 'canceled' | 'ended' | 'past_due'; current_period_end?: number; cancel_at_period_end?: number; past_due_since?: number | null; ended_at?: number | null } = {}): Promise<Client> {
      const { id } = await db().insertInto('readers').values({ email, name: '', newsletters: '[]', provider_customer_id: null, created_at: NOW, last_login_at: null }).returning('id').executeTakeFirstOrThrow();
      if (entitlements) {
        const slug = `plan-${entitlements.join('-')}`;
        const plan = (await db().selectFrom('plans').select('id').where('slug', '=', slug).executeTakeFirst())
          ?? (await db().insertInto('plans').values({ slug, name: slug, description: '', price_cents: 800, currency: 'usd', billing_interval: 'month', entitlements: JSON.stringify(entitlements), is_active: 1, position: 9 }).returning('id').executeTakeFirstOrThrow());
        await db().insertInto('subscriptions').values({
          reader_id: id, plan_id: plan.id, provider: 'demo', provider_subscription_id: `sub_${id}`, provider_customer_id: `cus_${id}`, status: 'active',
          current_period_start: NOW - 86_400_000, current_period_end: NOW + 20 * 86_400_000, cancel_at_period_end: 0, trial_end: null, past_due_since: null, ended_at: null,
          ending_notice_sent_for: null, created_at: NOW, updated_at: NOW, ...sub,
        }).execute();
      }
      const client = new Client(t);
      client.cookies.set('mh_session', (await createSession(db(), { readerId: id }, { now: NOW, secret: t.app.secret })).cookieValue);
      return client;
    }

    before(async () => {
      t = await startTestApp(dialect);
      await seedDemoCatalog(db());
      const image = await storeImage({ dir: t.app.mediaDir, input: await picture() });
      imageId = image.id;
      const sections = ['World', 'World', 'Business'];
      for (let i = 0; i < 3; i++) {
        const headline = `Weekly story ${i + 1}: the pier is rebuilt`;
        const res = await t.article({
          headline,
          sectionPath: sections[i],
          publishedAt: Date.parse('2026-11-11T15:00:00Z') + i * 3_600_000,
          body: `Marker sentence for story ${i + 1} of the week.\n\nAnother paragraph.`,
          leadImage: i === 0 ? { image, caption: 'The pier at dawn.', credit: 'Kim Ode/Courier', alt: 'The rebuilt pier at dawn' } : null,
        });
        stories.push({ id: res.id, urlPath: res.urlPath!, headline });
      }
      // A story of the current week, in the draft edition only.
      await t.article({ headline: 'A story of this week', sectionPath: 'World', publishedAt: Date.parse('2026-11-18T15:00:00Z') });
      const published = await ensureEdition(db(), { week: WEEK, timeZone: TZ, now: NOW });
      await db().updateTable('editions').set({ title: 'The pier <is> rebuilt', intro: 'Dear reader, *this* week.', cover_lines: JSON.stringify(['Why the pier matters']), cover_story_id: stories[0].id }).where('id', '=', published.id).execute();
      const result = await publishEdition({ db: db(), publicUrl: 'https://news.example.com', now: NOW }, published.id);
      assert.ok(result.ok, JSON.stringify(result));
      await ensureEdition(db(), { week: '2026-W47', timeZone: TZ, now: NOW });
    });
    after(() => t.close());

    it('lists published editions with their covers, and no drafts', async () => {
      const res = await t.get('/editions');
      assert.equal(res.status, 200);
      const body = await res.text();
      assert.match(body, /data-edition-week="2026-W46"/);
      assert.doesNotMatch(body, /2026-W47/);
      assert.match(body, /The pier &lt;is&gt; rebuilt/);
      assert.match(body, /No\. 1 · November 9–15, 2026/);
      assert.ok(body.includes(`/media/${imageId}/`), 'the cover picture from the stored variants');
      assert.ok(body.includes('alt="The rebuilt pier at dawn"'));
      assert.equal((await t.get('/editions?page=2')).status, 404);
      assert.equal((await t.get('/editions?page=x')).status, 400);
    });

    it('shows anyone the cover, introduction and contents, with the offer instead of the files', async () => {
      const res = await t.get(`/editions/${WEEK}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'private, no-store');
      const body = await res.text();
      assert.match(body, /data-edition-access="offer"/);
      assert.match(body, /<em>this<\/em> week/);
      assert.match(body, /Why the pier matters/);
      for (const s of stories) assert.ok(body.includes(`href="${s.urlPath}"`), `links to ${s.headline}`);
      assert.ok(body.indexOf('World') < body.indexOf('Business'));
      assert.ok(body.includes(OFFER), 'the featured offer');
      assert.ok(body.includes(`/login?return=${encodeURIComponent(`/editions/${WEEK}`)}`));
      assert.doesNotMatch(body, /edition\.pdf|edition\.epub/);
    });

    it('refuses the files with the offer page to anonymous, registered and web-only readers', async () => {
      const viewers: [string, Client][] = [
        ['anonymous', new Client(t)],
        ['registered', await reader('free@example.com', null)],
        ['web-only', await reader('web@example.com', ['web'])],
      ];
      for (const [who, client] of viewers) {
        for (const file of ['edition.pdf', 'edition.epub']) {
          const res = await client.get(`/editions/${WEEK}/${file}`);
          assert.equal(res.status, 403, `${who} ${file}`);
          assert.match(res.headers.get('content-type') ?? '', /text\/html/);
          assert.equal(res.headers.get('content-disposition'), null);
          const body = await res.text();
          assert.ok(!body.startsWith('%PDF') && !body.startsWith('PK'));
          assert.match(body, /data-edition-offer/);
          assert.ok(body.includes(OFFER));
          assert.equal(body.includes('>Sign in<'), who === 'anonymous', `${who}: sign-in link`);
        }
        const page = await (await client.get(`/editions/${WEEK}`)).text();
        assert.match(page, /data-edition-access="offer"/, who);
      }
    });

    it('gives weekly subscribers and staff the PDF and the EPUB', async () => {
      const subscriber = await reader('weekly@example.com', ['weekly']);
      const page = await (await subscriber.get(`/editions/${WEEK}`)).text();
      assert.match(page, /data-edition-access="download"/);
      assert.ok(page.includes(`href="/editions/${WEEK}/edition.pdf"`));
      assert.ok(page.includes(`href="/editions/${WEEK}/edition.epub"`));
      assert.doesNotMatch(page, /data-edition-offer/);

      const staff = await signedInStaff(t, 'writer');
      for (const [who, client] of [['subscriber', subscriber], ['staff', staff]] as const) {
        const pdf = await client.request(`/editions/${WEEK}/edition.pdf`);
        assert.equal(pdf.status, 200, who);
        assert.equal(pdf.headers.get('content-type'), 'application/pdf');
        assert.equal(pdf.headers.get('content-disposition'), `attachment; filename="the-test-courier-weekly-${WEEK}.pdf"`);
        assert.equal(pdf.headers.get('cache-control'), 'private, no-store');
        assert.equal(pdf.headers.get('vary'), 'Cookie');
        const pdfBytes = Buffer.from(await pdf.arrayBuffer());
        assert.equal(pdfBytes.subarray(0, 5).toString('latin1'), '%PDF-');
        assert.equal(Number(pdf.headers.get('content-length')), pdfBytes.length);

        const epub = await client.request(`/editions/${WEEK}/edition.epub`);
        assert.equal(epub.status, 200, who);
        assert.equal(epub.headers.get('content-type'), 'application/epub+zip');
        assert.equal(epub.headers.get('content-disposition'), `attachment; filename="the-test-courier-weekly-${WEEK}.epub"`);
        assert.equal(epub.headers.get('cache-control'), 'private, no-store');
        const epubBytes = Buffer.from(await epub.arrayBuffer());
        assert.equal(epubBytes.subarray(0, 2).toString('latin1'), 'PK');
        assert.ok(epubBytes.includes(Buffer.from('application/epub+zip')), 'the EPUB mimetype entry');
      }
    });

    it('answers 404 for drafts, weeks without an edition and other files, to readers and subscribers alike', async () => {
      const subscriber = await reader('weekly2@example.com', ['weekly']);
      for (const path of ['/editions/2026-W47', '/editions/2026-W47/edition.pdf', '/editions/2026-W47/edition.epub', '/editions/2026-W40', '/editions/not-a-week', `/editions/${WEEK}/edition.zip`, `/editions/${WEEK}/other.pdf`]) {
        assert.equal((await t.get(path)).status, 404, `anonymous ${path}`);
        assert.equal((await subscriber.get(path)).status, 404, `subscriber ${path}`);
      }
    });

    it('refuses both files to subscribers whose Weekly has stopped: cancelled and over, ended, lapsed', async () => {
      const DAY = 86_400_000;
      const viewers: [string, Client][] = [
        ['cancelled, period over', await reader('cancelled@example.com', ['weekly'], { status: 'canceled', cancel_at_period_end: 1, current_period_end: NOW - 3 * DAY })],
        ['ended', await reader('ended@example.com', ['weekly'], { status: 'ended', current_period_end: NOW - 3 * DAY, ended_at: NOW - 3 * DAY })],
        ['lapsed (past due, grace over)', await reader('lapsed@example.com', ['weekly'], { status: 'past_due', current_period_end: NOW - 30 * DAY, past_due_since: NOW - 30 * DAY })],
      ];
      for (const [who, client] of viewers) {
        for (const file of ['edition.pdf', 'edition.epub']) {
          const res = await client.get(`/editions/${WEEK}/${file}`);
          assert.equal(res.status, 403, `${who} ${file}`);
          assert.equal(res.headers.get('content-disposition'), null, `${who} ${file}`);
          const body = await res.text();
          assert.match(body, /data-edition-offer/, who);
          assert.ok(!body.includes('>Sign in<'), `${who}: signed in already`);
        }
        const page = await (await client.get(`/editions/${WEEK}`)).text();
        assert.match(page, /data-edition-access="offer"/, who);
        assert.doesNotMatch(page, /edition\.pdf|edition\.epub/, who);
      }
    });

    it('never carries a story’s body on the archive or the edition page, whoever asks', async () => {
      const viewers: [string, Client][] = [
        ['anonymous', new Client(t)],
        ['registered', await reader('free2@example.com', null)],
        ['weekly subscriber', await reader('weekly3@example.com', ['weekly'])],
        ['staff', await signedInStaff(t, 'editor')],
      ];
      for (const [who, client] of viewers) {
        const page = await (await client.get(`/editions/${WEEK}`)).text();
        for (const s of stories) assert.ok(page.includes(s.headline), `${who}: the contents list ${s.headline}`);
        assert.match(page, /class="dek"/, `${who}: the deks`);
        const archive = await (await client.get('/editions')).text();
        for (const [where, body] of [['edition page', page], ['archive', archive]]) {
          assert.doesNotMatch(body, /Marker sentence for story/, `${who}: ${where}`);
          assert.doesNotMatch(body, /Another paragraph/, `${who}: ${where}`);
        }
      }
    });

    it('lists the contents from the stories’ summaries: a story whose stored body is unreadable is still listed', async () => {
      const [story] = stories.slice(1);
      const { blocks } = await db().selectFrom('articles').select('blocks').where('id', '=', story.id).executeTakeFirstOrThrow();
      await db().updateTable('articles').set({ blocks: '{not json' }).where('id', '=', story.id).execute();
      try {
        const res = await t.get(`/editions/${WEEK}`);
        assert.equal(res.status, 200);
        assert.ok((await res.text()).includes(`href="${story.urlPath}"`));
      } finally {
        await db().updateTable('articles').set({ blocks }).where('id', '=', story.id).execute();
      }
    });

    it('takes an unpublished cover story’s picture and alt text off the archive, the edition page and the refusal', async () => {
      await db().updateTable('articles').set({ status: 'draft' }).where('id', '=', stories[0].id).execute();
      try {
        const pages: [string, Response][] = [
          ['archive', await t.get('/editions')],
          ['edition page', await t.get(`/editions/${WEEK}`)],
          ['refusal', await t.get(`/editions/${WEEK}/edition.pdf`)],
        ];
        for (const [where, res] of pages) {
          assert.equal(res.status, where === 'refusal' ? 403 : 200, where);
          const body = await res.text();
          assert.ok(!body.includes(`/media/${imageId}/`), `${where}: no picture of the unpublished story`);
          assert.ok(!body.includes('The rebuilt pier at dawn'), `${where}: no alt text of the unpublished story`);
          assert.ok(!body.includes(stories[0].headline), `${where}: no headline of the unpublished story`);
        }
      } finally {
        await db().updateTable('articles').set({ status: 'published' }).where('id', '=', stories[0].id).execute();
      }
    });

    it('survives an unreadable story list: the archive, the page and the refusal still answer', async () => {
      const edition = await db().selectFrom('editions').select(['id', 'story_ids']).where('week', '=', WEEK).executeTakeFirstOrThrow();
      await db().updateTable('editions').set({ story_ids: '[1, oops' }).where('id', '=', edition.id).execute();
      try {
        const archive = await t.get('/editions');
        assert.equal(archive.status, 200);
        assert.match(await archive.text(), /data-edition-week="2026-W46"/);
        assert.equal((await t.get(`/editions/${WEEK}`)).status, 200);
        assert.equal((await t.get(`/editions/${WEEK}/edition.epub`)).status, 403);
      } finally {
        await db().updateTable('editions').set({ story_ids: edition.story_ids }).where('id', '=', edition.id).execute();
      }
    });
  });
}
