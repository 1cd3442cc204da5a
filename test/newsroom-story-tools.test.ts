// The editor's tools on both databases: picture uploads into the library, the body's live
// preview rendered as the reader site renders it, and a story's reader page as each kind of
// reader would see it (drafts included), with who may see what.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { signedInStaff } from './support/staff.ts';
import { parseMarkdown } from '../src/content/markdown.ts';
import type { Block, ImageRef } from '../src/content/blocks.ts';
import { MAX_UPLOAD_BYTES } from '../src/admin/uploads.ts';

type Staff = Awaited<ReturnType<typeof signedInStaff>>;

interface Uploaded {
  ok: boolean;
  id: string;
  width: number;
  height: number;
  widths: number[];
  src: string;
  thumb: string;
  error?: string;
}

const SECRET_SENTENCE = 'The harbor master kept the spare keys under the third bollard.';

function storyBody(): string {
  return [
    'The ice came early this year, and the ferries stopped on Tuesday.',
    'Crews worked through the night to clear the channel.',
    '## What comes next',
    'The port authority expects the channel to reopen by Friday.',
    SECRET_SENTENCE,
  ].join('\n\n');
}

/** Each client's form token, read once from a newsroom page (a post's answer carries none). */
const tokens = new WeakMap<Client, string>();
const tokenOf = (client: Client) => tokens.get(client) ?? client.csrf();

async function upload(client: Client, bytes: Buffer, opts: { name?: string; type?: string; csrf?: string | null } = {}): Promise<Response> {
  const form = new FormData();
  if (opts.csrf !== null) form.set('_csrf', opts.csrf ?? tokenOf(client));
  form.set('file', new Blob([new Uint8Array(bytes)], { type: opts.type ?? 'image/png' }), opts.name ?? 'picture.png');
  return client.request('/admin/images', { method: 'POST', body: form });
}

for (const dialect of DIALECTS) {
  describe(`newsroom story tools (${dialect})`, () => {
    let t: TestApp;
    let writer: Staff;
    let otherWriter: Staff;
    let editor: Staff;
    let png: Buffer;
    let jpeg: Buffer;

    before(async () => {
      t = await startTestApp(dialect);
      [writer, otherWriter, editor] = await Promise.all([signedInStaff(t, 'writer'), signedInStaff(t, 'writer'), signedInStaff(t, 'editor')]);
      for (const staff of [writer, otherWriter, editor]) {
        await staff.get('/admin');
        tokens.set(staff, staff.csrf());
      }
      png = await sharp({ create: { width: 1000, height: 600, channels: 3, background: '#2f5d7c' } }).png().toBuffer();
      jpeg = await sharp({ create: { width: 1700, height: 1000, channels: 3, background: '#7c5d2f' } }).jpeg().toBuffer();
    });
    after(() => t.close());

    const imageRows = async (id: string) => t.app.database.db.selectFrom('images').selectAll().where('id', '=', id).execute();
    const imageCount = async () => Number((await t.app.database.db.selectFrom('images').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    describe('POST /admin/images', () => {
      it('stores a PNG for a writer: sizes, variants on disk, a library row', async () => {
        const res = await upload(writer, png);
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /application\/json/);
        const body = (await res.json()) as Uploaded;
        assert.equal(body.ok, true);
        assert.match(body.id, /^[0-9a-f]{24}$/);
        assert.deepEqual([body.width, body.height, body.widths], [1000, 600, [400, 800]]);
        assert.equal(body.src, `image:${body.id}`);
        assert.equal(body.thumb, `/media/${body.id}/400.webp`);
        const thumb = await t.get(body.thumb);
        assert.equal(thumb.status, 200);
        assert.equal(thumb.headers.get('content-type'), 'image/webp');
        const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
        assert.deepEqual([meta.width, meta.height], [400, 240]);
        const rows = await imageRows(body.id);
        assert.equal(rows.length, 1);
        assert.deepEqual([rows[0].width, rows[0].height, rows[0].format, JSON.parse(rows[0].widths)], [1000, 600, 'png', [400, 800]]);
      });

      it('stores a JPEG, and the same picture twice is one library entry', async () => {
        const first = (await (await upload(editor, jpeg, { name: 'harbor.jpg', type: 'image/jpeg' })).json()) as Uploaded;
        assert.deepEqual([first.width, first.height, first.widths], [1700, 1000, [400, 800, 1200, 1600]]);
        const again = await upload(writer, jpeg, { name: 'copy.jpg', type: 'image/jpeg' });
        assert.equal(again.status, 200);
        assert.equal(((await again.json()) as Uploaded).id, first.id);
        assert.equal((await imageRows(first.id)).length, 1);
      });

      it('refuses a text file, an empty upload and a missing file with 422 and a message', async () => {
        const before = await imageCount();
        const text = await upload(writer, Buffer.from('Dear editor, this is not a picture.\n'), { name: 'letter.txt', type: 'text/plain' });
        assert.equal(text.status, 422);
        const body = (await text.json()) as Uploaded;
        assert.equal(body.ok, false);
        assert.match(body.error ?? '', /not a picture/i);
        assert.equal((await upload(writer, Buffer.alloc(0))).status, 422);
        const form = new FormData();
        form.set('_csrf', tokenOf(writer));
        const missing = await writer.request('/admin/images', { method: 'POST', body: form });
        assert.equal(missing.status, 422);
        assert.match(((await missing.json()) as Uploaded).error ?? '', /choose a picture/i);
        assert.equal(await imageCount(), before);
      });

      it('takes a file of exactly the upload limit but refuses one a byte over it with 413 and what to do', async () => {
        const before = await imageCount();
        const atLimit = await upload(writer, Buffer.alloc(MAX_UPLOAD_BYTES, 0x20), { name: 'huge.png' });
        assert.equal(atLimit.status, 422, 'read, and refused only because it is no picture');
        const over = await upload(writer, Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x20), { name: 'huge.png' });
        assert.equal(over.status, 413);
        assert.deepEqual(await over.json(), { ok: false, error: 'The file is larger than 20 MB: export a smaller copy of the picture.' });
        assert.equal(await imageCount(), before);
      });

      it('refuses a visitor without a staff session, and a post without the form token', async () => {
        const before = await imageCount();
        const visitor = new Client(t);
        await visitor.get('/admin/login');
        const anonymous = await upload(visitor, png);
        assert.equal(anonymous.status, 403);
        const noToken = await upload(writer, jpeg, { csrf: null });
        assert.equal(noToken.status, 403);
        const wrongToken = await upload(writer, jpeg, { csrf: tokenOf(otherWriter) });
        assert.equal(wrongToken.status, 403);
        assert.equal(await imageCount(), before);
      });
    });

    describe('POST /admin/stories/preview-body', () => {
      let picture: Uploaded;
      const previewBody = (client: Client, fields: Record<string, string>) => client.post('/admin/stories/preview-body', { _csrf: tokenOf(client), ...fields });
      before(async () => {
        picture = (await (await upload(writer, png)).json()) as Uploaded;
      });

      const bodyWithEverything = () =>
        [
          'Opening paragraph about the ice.',
          '## The channel',
          `![Ferries waiting](${'image:'}${picture.id} "Ferries wait outside the breakwater | Ola Nordmann/Courier")`,
          '> [!PULLQUOTE]\n> We will open the harbor by Friday.\n> — Mayor Ellen Strand',
          'Closing paragraph.',
        ].join('\n\n');

      it('renders headings, the pull quote and the figure with the picture’s sizes and srcset', async () => {
        const res = await previewBody(writer, { body: bodyWithEverything(), dateline: 'BERGEN, Norway' });
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /text\/html/);
        assert.equal(res.headers.get('cache-control'), 'private, no-store');
        const html = writer.lastBody;
        assert.doesNotMatch(html, /<html|<body/, 'a fragment, not a page');
        assert.match(html, /<p><span class="dateline">BERGEN, Norway<\/span> — Opening paragraph about the ice.<\/p>/);
        assert.match(html, /<h2>The channel<\/h2>/);
        assert.match(html, /<aside class="pullquote" role="note"><p>We will open the harbor by Friday.<\/p><p class="pullquote-by">— Mayor Ellen Strand<\/p><\/aside>/);
        assert.match(html, /<figure class="figure"><picture>/);
        assert.ok(html.includes(`srcset="/media/${picture.id}/400.webp 400w, /media/${picture.id}/800.webp 800w"`), html);
        assert.ok(html.includes(`srcset="/media/${picture.id}/400.jpg 400w, /media/${picture.id}/800.jpg 800w"`));
        assert.match(html, /width="800" height="480" alt="Ferries waiting"/);
        assert.match(html, /<figcaption>Ferries wait outside the breakwater <span class="credit">Ola Nordmann\/Courier<\/span><\/figcaption>/);
      });

      it('renders the figure exactly as the published article page does', async () => {
        const body = bodyWithEverything();
        const ref: ImageRef = { id: picture.id, width: picture.width, height: picture.height, widths: picture.widths };
        const blocks = parseMarkdown(body).map((b): Block => (b.type === 'image' ? { ...b, image: ref } : b));
        const story = await t.article({ body, blocks, access: 'free' });
        const page = await (await t.get(story.urlPath!)).text();
        await previewBody(writer, { body });
        const figure = (html: string) => /<figure class="figure">[\s\S]*?<\/figure>/.exec(html)?.[0];
        assert.ok(figure(page), 'the article page shows the figure');
        assert.equal(figure(writer.lastBody), figure(page));
      });

      it('shows a visible placeholder for a picture that is not in the library', async () => {
        const res = await previewBody(writer, { body: 'Before.\n\n![Lost](image:ffffffffffffffffffffffff "Gone | Nobody")\n\nAfter.' });
        assert.equal(res.status, 200);
        assert.match(writer.lastBody, /<figure class="figure figure-missing" data-missing-image="image:ffffffffffffffffffffffff"><p class="figure-missing-note"><strong>Picture missing.<\/strong>/);
        assert.match(writer.lastBody, /<p>Before.<\/p>[\s\S]*<p>After.<\/p>/);
      });

      it('refuses visitors without a staff session and posts without the form token', async () => {
        const visitor = new Client(t);
        await visitor.get('/admin/login');
        assert.equal((await visitor.post('/admin/stories/preview-body', { body: 'Hello.' })).status, 403);
        assert.equal((await writer.post('/admin/stories/preview-body', { body: 'Hello.', _csrf: 'forged' })).status, 403);
      });
    });

    describe('GET /admin/stories/:id/preview', () => {
      let draftId: number;
      let scheduledId: number;
      before(async () => {
        const draft = await t.article({ body: storyBody(), publishedAt: null, access: 'metered', headline: 'Ice closes the harbor for a week' });
        const scheduled = await t.article({ body: storyBody(), publishedAt: NOW + 86_400_000, access: 'subscriber', headline: 'Harbor reopens after the ice' });
        draftId = draft.id;
        scheduledId = scheduled.id;
        await t.app.database.db.updateTable('articles').set({ created_by: writer.staffId }).where('id', 'in', [draftId, scheduledId]).execute();
        await writer.get('/admin');
      });

      const preview = async (client: Client, id: number, as?: string) => {
        const res = await client.get(`/admin/stories/${id}/preview${as ? `?as=${as}` : ''}`);
        return { res, html: client.lastBody };
      };

      it('shows the locked page with the teaser and the offer, and nothing past the teaser', async () => {
        const { res, html } = await preview(writer, draftId, 'locked');
        assert.equal(res.status, 200);
        assert.match(html, /<article class="article" data-access="locked">/);
        assert.match(html, /The ice came early this year/);
        assert.match(html, /Crews worked through the night/);
        assert.match(html, /class="paywall-offer"/);
        assert.match(html, /data-meter-used="5" data-meter-limit="5"/);
        assert.ok(!html.includes(SECRET_SENTENCE), 'the end of the story must not reach a locked page');
        assert.ok(!html.includes('third bollard'));
        assert.ok(!html.includes('expects the channel to reopen'));
        assert.ok(!html.includes('What comes next'));
      });

      it('shows a subscriber the whole story', async () => {
        const { res, html } = await preview(writer, draftId, 'subscriber');
        assert.equal(res.status, 200);
        assert.match(html, /data-access="subscriber"/);
        assert.ok(html.includes(SECRET_SENTENCE));
        assert.doesNotMatch(html, /class="paywall-offer"/);
      });

      it('shows a reader within the meter the story with the meter notice', async () => {
        const { html } = await preview(writer, draftId, 'metered');
        assert.match(html, /data-access="metered"/);
        assert.match(html, /<p class="meter-notice" role="status" data-meter-used="3" data-meter-limit="5">You've read 3 of 5 free articles this month/);
        assert.ok(html.includes(SECRET_SENTENCE));
      });

      it('shows what a first-time reader sees by default', async () => {
        const { html } = await preview(writer, draftId);
        assert.match(html, /data-meter-used="1" data-meter-limit="5"/);
        assert.ok(html.includes(SECRET_SENTENCE));
        assert.match(html, /<a href="\/admin\/stories\/\d+\/preview\?as=anonymous" aria-current="page">First-time reader<\/a>/);
      });

      it('is a private, unindexed page with links to the four views and back to the editor', async () => {
        const { res, html } = await preview(writer, draftId, 'metered');
        assert.equal(res.headers.get('cache-control'), 'private, no-store');
        assert.equal(res.headers.get('x-robots-tag'), 'noindex, nofollow');
        assert.match(html, /<meta name="robots" content="noindex, nofollow">/);
        assert.equal((html.match(/<meta name="robots"/g) ?? []).length, 1);
        const bar = /<nav class="mh-preview"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
        assert.ok(/<body[^>]*><nav class="mh-preview"/.test(html), 'the bar comes first');
        for (const kind of ['anonymous', 'metered', 'locked', 'subscriber']) assert.ok(bar.includes(`href="/admin/stories/${draftId}/preview?as=${kind}"`), kind);
        assert.ok(bar.includes(`<a href="/admin/stories/${draftId}/edit">Back to the editor</a>`));
        assert.match(bar, /Draft: not published/);
        assert.doesNotMatch(html, /<script(?![^>]*(?:ld\+json|\bsrc=))[^>]*>/, 'no inline script');
      });

      it('previews a scheduled subscriber-only story: locked for readers, whole for subscribers', async () => {
        const locked = await preview(writer, scheduledId, 'anonymous');
        assert.equal(locked.res.status, 200);
        assert.match(locked.html, /This story is for subscribers/);
        assert.ok(!locked.html.includes(SECRET_SENTENCE));
        assert.match(locked.html, /Scheduled for/);
        const open = await preview(editor, scheduledId, 'subscriber');
        assert.ok(open.html.includes(SECRET_SENTENCE));
      });

      it("refuses another writer's draft (403), lets editors in, sends visitors to sign in", async () => {
        const refused = await preview(otherWriter, draftId, 'subscriber');
        assert.equal(refused.res.status, 403);
        assert.ok(!refused.html.includes(SECRET_SENTENCE));
        assert.ok(!refused.html.includes('Ice closes the harbor'));
        assert.equal((await preview(editor, draftId, 'subscriber')).res.status, 200);
        const visitor = await new Client(t).get(`/admin/stories/${draftId}/preview`);
        assert.equal(visitor.status, 303);
        assert.match(visitor.headers.get('location') ?? '', /^\/admin\/login\?return=/);
      });

      it('answers 404 for an unknown story and 400 for an unknown kind of reader', async () => {
        assert.equal((await preview(editor, 999_999)).res.status, 404);
        assert.equal((await preview(editor, draftId, 'robot')).res.status, 400);
      });
    });
  });
}
