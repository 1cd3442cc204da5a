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

    async function reader(email: string, entitlements: string[] | null): Promise<Client> {
      const { id } = await db().insertInto('readers').values({ email, name: '', newsletters: '[]', provider_customer_id: null, created_at: NOW, last_login_at: null }).returning('id').executeTakeFirstOrThrow();
      if (entitlements) {
        const slug = `plan-${entitlements.join('-')}`;
        const plan = (await db().selectFrom('plans').select('id').where('slug', '=', slug).executeTakeFirst())
          ?? (await db().insertInto('plans').values({ slug, name: slug, description: '', price_cents: 800, currency: 'usd', billing_interval: 'month', entitlements: JSON.stringify(entitlements), is_active: 1, position: 9 }).returning('id').executeTakeFirstOrThrow());
        await db().insertInto('subscriptions').values({
          reader_id: id, plan_id: plan.id, provider: 'demo', provider_subscription_id: `sub_${id}`, provider_customer_id: `cus_${id}`, status: 'active',
          current_period_start: NOW - 86_400_000, current_period_end: NOW + 20 * 86_400_000, cancel_at_period_end: 0, trial_end: null, past_due_since: null, ended_at: null,
          ending_notice_sent_for: null, created_at: NOW, updated_at: NOW,
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
  });
}
