// The Weekly from saved articles to files, through the real app on both databases: an
// edition prepared from the week's stories (with pictures stored as the newsroom stores
// them), built into a PDF every story's text is in and an EPUB epubcheck accepts, built once
// and rebuilt when the edition or a story changes; published once and announced on the
// Weekly's list; prepared, built and published by Monday's jobs; and the CLI.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, PUBLIC_URL, type TestApp } from './support/app.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { createLogger } from '../src/logger.ts';
import { storeImage, type StoredImage } from '../src/content/image-store.ts';
import { parseMarkdown } from '../src/content/markdown.ts';
import { getList } from '../src/newsletters/lists.ts';
import { getIssue } from '../src/newsletters/issue-store.ts';
import { editionContent, storyChoicesForEdition } from '../src/editions/edition-content.ts';
import { announceIfMissing, EditionOrderError, ensureEdition, getEdition, listEditions, publishEdition, updateEdition, type EditionRow } from '../src/editions/edition-store.ts';
import { weeklyCommand, WeeklyUsageError } from '../src/cli/weekly-command.ts';
import { getPublication, savePublication } from '../src/content/publication.ts';
import { contentHash } from '../src/editions/edition-files.ts';
import { buildEditionFiles } from '../src/editions/edition-jobs.ts';
import type { EditionContent } from '../src/editions/types.ts';

const EPUBCHECK_JAR = process.env.EPUBCHECK_JAR ?? '/usr/share/java/epubcheck.jar';
const NY = 'America/New_York';
const at = (iso: string) => Date.parse(iso);
// NOW is Friday 2026-11-20 in New York, in ISO week 2026-W47 (November 16–22).
const WEEK = '2026-W47';

const marker = (key: string) => `Harbor pilots of story ${key} counted the ships twice`;
const body = (key: string, paragraphs: number) =>
  [`${marker(key)}, said the harbor master.`, ...Array.from({ length: paragraphs }, (_, i) => `Paragraph ${i + 2} of story ${key}: the council met to weigh the plan, and residents asked about cost and timing.`)].join('\n\n');

async function jpeg(hue: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1000"><rect width="100%" height="100%" fill="hsl(${hue},55%,45%)"/><circle cx="500" cy="400" r="250" fill="hsl(${(hue + 90) % 360},70%,70%)"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

/** pdftotext's text as a reader would quote it: words broken at line ends rejoined, one space. */
function pdfText(file: string): string {
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .replace(/(\p{Ll})-\n\s*(\p{Ll})/gu, '$1$2')
    .replace(/\s+/g, ' ');
}

function pdfPages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
}

function epubcheckErrors(file: string): string[] {
  const report = `${file}.check.json`;
  const run = spawnSync('java', ['-jar', EPUBCHECK_JAR, file, '--json', report], { encoding: 'utf8' });
  assert.ok(fs.existsSync(report), `epubcheck wrote no report: ${run.error ?? run.stderr}`);
  const { messages } = JSON.parse(fs.readFileSync(report, 'utf8')) as { messages: { severity: string; ID: string; message: string }[] };
  fs.rmSync(report);
  return messages.filter((m) => m.severity === 'ERROR' || m.severity === 'FATAL').map((m) => `${m.ID} ${m.message}`);
}

for (const dialect of DIALECTS) {
  describe(`the Weekly built from saved articles (${dialect})`, () => {
    let t: TestApp;
    let pictures: StoredImage[];
    const ids: Record<string, number> = {};
    const db = () => t.app.database.db;
    const editionsDir = () => path.join(t.database.dataDir, 'editions');
    const weekFiles = (week: string) => (fs.existsSync(editionsDir()) ? fs.readdirSync(editionsDir()).filter((f) => f.startsWith(`${week}-`)).sort() : []);
    const contentOf = async (edition: EditionRow): Promise<EditionContent> =>
      editionContent(db(), { edition, mediaDir: t.app.mediaDir, publicUrl: PUBLIC_URL, timeZone: NY, publication: { name: 'The Test Courier', tagline: 'All the news that fits' } });

    before(async () => {
      t = await startTestApp(dialect);
      pictures = [await storeImage({ dir: t.app.mediaDir, input: await jpeg(10) }), await storeImage({ dir: t.app.mediaDir, input: await jpeg(200) })];
      const lead = (p: StoredImage, key: string) => ({ image: p, caption: `The harbor in story ${key}.`, credit: 'Kim Ode/Courier', alt: `Boats (${key})` });
      const story = async (key: string, o: { section: string; publishedAt: number | null; paragraphs?: number; picture?: StoredImage; inline?: StoredImage; access?: 'metered' | 'free' | 'subscriber' }) => {
        const md = body(key, o.paragraphs ?? 4);
        const blocks = parseMarkdown(md);
        if (o.inline) blocks.splice(1, 0, { type: 'image', image: o.inline, src: `/media/${o.inline.id}/800.jpg`, alt: `Inside story ${key}`, caption: `A picture inside story ${key}.` });
        const res = await t.article({ headline: `The harbor story ${key}`, sectionPath: o.section, publishedAt: o.publishedAt, access: o.access ?? 'metered', body: md, bodyMarkdown: md, blocks, leadImage: o.picture ? lead(o.picture, key) : null });
        ids[key] = res.id;
      };
      // The week's stories: World first in the paper's order (created first), then Business.
      await story('cover', { section: 'World', publishedAt: at('2026-11-17T15:00:00Z'), paragraphs: 14, picture: pictures[0] });
      await story('world-2', { section: 'World', publishedAt: at('2026-11-18T15:00:00Z'), picture: pictures[1], inline: pictures[0] });
      await story('business-1', { section: 'Business', publishedAt: at('2026-11-19T15:00:00Z'), access: 'subscriber', picture: pictures[1] });
      await story('business-2', { section: 'Business', publishedAt: at('2026-11-16T06:00:00Z') }); // Monday 01:00 in New York
      // Not in the week: the Sunday before (in New York), a draft, and the next week's.
      await story('last-week', { section: 'World', publishedAt: at('2026-11-16T04:30:00Z') });
      await story('draft', { section: 'World', publishedAt: null });
      await story('next-week', { section: 'World', publishedAt: at('2026-11-24T15:00:00Z') });
    });
    after(async () => t?.close());

    let edition: EditionRow;
    let firstPdf: string;

    it('prepares the week’s draft from its stories, numbered 1, titled after the cover story', async () => {
      edition = await ensureEdition(db(), { week: WEEK, timeZone: NY, now: NOW });
      assert.equal(edition.number, 1);
      assert.equal(edition.status, 'draft');
      assert.equal(edition.story_ids, null);
      assert.equal(edition.cover_story_id, ids.cover); // the longest: no home-page slots or views yet
      assert.equal(edition.title, 'The harbor story cover');
      const again = await ensureEdition(db(), { week: WEEK, timeZone: NY, now: NOW + 1 });
      assert.equal(again.id, edition.id);
      await assert.rejects(ensureEdition(db(), { week: '2026-W54', timeZone: NY, now: NOW }), RangeError);
    });

    it('holds the week’s published stories by section, with their pictures as files on disk', async () => {
      const content = await contentOf(edition);
      assert.deepEqual(content.stories.map((s) => s.articleId), [ids.cover, ids['world-2'], ids['business-1'], ids['business-2']]);
      assert.deepEqual([content.from, content.to, content.dateLine], ['2026-11-16', '2026-11-22', 'November 16–22, 2026']);
      assert.equal(content.coverStoryId, ids.cover);
      assert.ok(content.coverImage && fs.existsSync(content.coverImage.file));
      assert.equal(content.coverImage.width, 1200);
      const second = content.stories[1];
      assert.equal(second.byline, 'By Test Writer');
      assert.equal(second.dateline, 'BERGEN, Norway');
      assert.ok(second.url.startsWith(`${PUBLIC_URL}/`));
      assert.deepEqual(Object.keys(second.inlineImages), [pictures[0].id]);
      assert.ok(fs.existsSync(second.inlineImages[pictures[0].id]));
      assert.equal(content.stories[3].image, null);
    });

    it('builds a PDF with every story’s text and an EPUB that epubcheck accepts, once', async () => {
      const content = await contentOf(edition);
      const files = t.app.editions.files;
      const [pdf, pdfTwin] = await Promise.all([files.file(content, 'pdf'), files.file(content, 'pdf')]);
      assert.equal(pdf.path, pdfTwin.path); // one build, shared
      assert.ok(pdf.isFresh);
      assert.match(path.basename(pdf.path), /^2026-W47-[0-9a-f]{16}\.pdf$/);
      assert.equal(fs.readFileSync(pdf.path).subarray(0, 5).toString(), '%PDF-');
      assert.equal(pdf.bytes, fs.statSync(pdf.path).size);
      const text = pdfText(pdf.path);
      for (const key of ['cover', 'world-2', 'business-1', 'business-2']) assert.ok(text.includes(marker(key)), `story ${key} is in the PDF`);
      for (const key of ['last-week', 'draft', 'next-week']) assert.ok(!text.includes(marker(key)), `story ${key} is not`);
      assert.ok(pdfPages(pdf.path) >= 4);

      const epub = await files.file(content, 'epub');
      assert.equal(fs.readFileSync(epub.path).subarray(0, 2).toString(), 'PK');
      assert.deepEqual(epubcheckErrors(epub.path), []);

      const again = await files.file(await contentOf(edition), 'pdf');
      assert.deepEqual(again, { ...pdf, isFresh: false });
      assert.deepEqual(weekFiles(WEEK).filter((f) => !f.endsWith('.tmp')).length, 2);
      firstPdf = pdf.path;
    });

    it('rebuilds when the edition or one of its stories changes, and removes the old file', async () => {
      const saved = await updateEdition(db(), edition.id, { title: 'The week the harbor flooded', coverLines: ['Why the pier matters', '  '] }, { now: NOW + 10, userId: null, expectUpdatedAt: edition.updated_at });
      assert.ok(saved.ok);
      edition = saved.edition;
      assert.equal(edition.cover_lines, JSON.stringify(['Why the pier matters']));
      const retitled = await t.app.editions.files.file(await contentOf(edition), 'pdf');
      assert.ok(retitled.isFresh);
      assert.notEqual(retitled.path, firstPdf);
      assert.ok(!fs.existsSync(firstPdf));
      assert.ok(pdfText(retitled.path).includes('The week the harbor flooded'));

      await db().updateTable('articles').set({ headline: 'The harbor story business-2, corrected' }).where('id', '=', ids['business-2']).execute();
      const corrected = await t.app.editions.files.file(await contentOf(edition), 'pdf');
      assert.ok(corrected.isFresh);
      assert.ok(!fs.existsSync(retitled.path));
      assert.ok(pdfText(corrected.path).includes('The harbor story business-2, corrected'));
      assert.deepEqual(weekFiles(WEEK).filter((f) => f.endsWith('.pdf')), [path.basename(corrected.path)]);
    });

    it('refuses a stale save and stories that are not published', async () => {
      const stale = await updateEdition(db(), edition.id, { title: 'Older copy' }, { now: NOW + 20, userId: null, expectUpdatedAt: edition.updated_at - 1 });
      assert.deepEqual(stale, { ok: false, reason: 'stale' });
      const unknown = await updateEdition(db(), edition.id, { storyIds: [ids.cover, ids.draft] }, { now: NOW + 20, userId: null });
      assert.deepEqual(unknown, { ok: false, reason: 'unknown-story' });
      assert.deepEqual(await updateEdition(db(), 99_999, { title: 'x' }, { now: NOW, userId: null }), { ok: false, reason: 'not-found' });
      const arranged = await updateEdition(db(), edition.id, { storyIds: [ids['business-1'], ids.cover, ids['business-1']] }, { now: NOW + 20, userId: null });
      assert.ok(arranged.ok);
      edition = arranged.edition;
      assert.deepEqual((await contentOf(edition)).stories.map((s) => s.articleId), [ids['business-1'], ids.cover]);
      const choices = await storyChoicesForEdition(db(), { query: 'story world' });
      assert.deepEqual(choices.map((c) => c.id), [ids['world-2']]);
      assert.equal(choices[0].sectionName, 'World');
    });

    it('publishes once and queues the announcement on the Weekly’s list', async () => {
      const result = await publishEdition({ db: db(), publicUrl: PUBLIC_URL, now: NOW + 30 }, edition.id);
      assert.ok(result.ok && result.announcedIssueId !== null);
      const issue = (await getIssue(db(), result.announcedIssueId))!;
      const weekly = (await getList(db(), { slug: 'weekly' }))!;
      assert.equal(weekly.entitlement, 'weekly');
      assert.equal(weekly.isOpenToSignups, false);
      assert.equal(issue.list_id, weekly.id);
      assert.equal(issue.status, 'queued');
      assert.equal(issue.subject, 'The Test Courier Weekly No. 1: The week the harbor flooded');
      assert.ok(issue.intro.includes(`${PUBLIC_URL}/editions/${WEEK}`));
      assert.deepEqual(JSON.parse(issue.story_ids!), [ids.cover, ids['business-1']]); // the cover story first
      const row = (await getEdition(db(), { week: WEEK }))!;
      assert.equal(row.status, 'published');
      assert.equal(row.published_at, NOW + 30);
      assert.equal(row.announced_issue_id, issue.id);
      assert.deepEqual(await publishEdition({ db: db(), publicUrl: PUBLIC_URL, now: NOW + 40 }, edition.id), { ok: false, reason: 'already-published' });
      // Corrections after publication are allowed (the files rebuild).
      assert.ok((await updateEdition(db(), edition.id, { intro: 'A correction.' }, { now: NOW + 50, userId: null })).ok);
      edition = (await getEdition(db(), { id: edition.id }))!;
    });

    it('prepares, builds and publishes the edition on Monday by itself', async () => {
      // Monday 2026-11-30 in New York: 05:59, 06:00 and 10:00 (EST, UTC-5).
      t.clock.now = at('2026-11-30T10:59:00Z');
      await t.app.runJobs();
      assert.equal(await getEdition(db(), { week: '2026-W48' }), null);
      t.clock.now = at('2026-11-30T11:00:00Z');
      await t.app.runJobs();
      const draft = (await getEdition(db(), { week: '2026-W48' }))!;
      assert.equal(draft.status, 'draft');
      assert.equal(draft.number, 2);
      assert.equal(draft.title, 'The harbor story next-week');
      assert.deepEqual(weekFiles('2026-W48').map((f) => path.extname(f)).sort(), ['.epub', '.pdf']);
      t.clock.now = at('2026-11-30T14:59:00Z');
      await t.app.runJobs();
      assert.equal((await getEdition(db(), { id: draft.id }))!.status, 'draft');
      t.clock.now = at('2026-11-30T15:00:00Z');
      await t.app.runJobs();
      const published = (await getEdition(db(), { id: draft.id }))!;
      assert.equal(published.status, 'published');
      assert.ok(published.announced_issue_id !== null);
      // The announcement went through the newsletter path (its rows written by the jobs' sender).
      assert.notEqual((await getIssue(db(), published.announced_issue_id))!.status, 'draft');
      assert.deepEqual((await listEditions(db(), { publishedOnly: true, limit: 10, offset: 0 })).map((e) => e.week), ['2026-W48', WEEK]);
    });

    it('announces an edition left unannounced by a crash, once, even when asked twice at once', async () => {
      const published = (await getEdition(db(), { week: '2026-W48' }))!;
      const first = (await getIssue(db(), published.announced_issue_id!))!;
      assert.equal(first.slug, '2026-W48', 'one announcement per edition, named for its week');
      // As if the process died right after publishing: no announcement recorded or queued.
      await db().deleteFrom('newsletter_issues').where('id', '=', first.id).execute();
      await db().updateTable('editions').set({ announced_issue_id: null }).where('id', '=', published.id).execute();
      const unannounced = (await getEdition(db(), { id: published.id }))!;
      const [a, b] = await Promise.all([
        announceIfMissing({ db: db(), publicUrl: PUBLIC_URL, now: t.clock.now }, unannounced),
        announceIfMissing({ db: db(), publicUrl: PUBLIC_URL, now: t.clock.now }, unannounced),
      ]);
      assert.ok(a !== null && a === b, 'both callers find the same announcement');
      const weekly = (await getList(db(), { slug: 'weekly' }))!;
      const issues = await db().selectFrom('newsletter_issues').select(['id', 'status']).where('list_id', '=', weekly.id).where('slug', '=', '2026-W48').execute();
      assert.equal(issues.length, 1);
      assert.notEqual(issues[0].status, 'draft');

      // The jobs do the same after a crash on their own.
      await db().deleteFrom('newsletter_issues').where('id', '=', a).execute();
      await db().updateTable('editions').set({ announced_issue_id: null }).where('id', '=', published.id).execute();
      await t.app.runJobs();
      const again = (await getEdition(db(), { id: published.id }))!;
      assert.ok(again.announced_issue_id !== null, 'the jobs announced it');
      assert.notEqual((await getIssue(db(), again.announced_issue_id))!.status, 'draft');
    });

    it('keeps a published edition as it was: a later story of its week and a renamed publication change nothing', async () => {
      // 2026-W48 was automatic when the jobs published it: its stories and cover are now fixed.
      const published = (await getEdition(db(), { week: '2026-W48' }))!;
      assert.deepEqual(JSON.parse(published.story_ids!), [ids['next-week']]);
      assert.equal(published.cover_story_id, ids['next-week']);
      assert.equal(published.publication_name, 'The Test Courier');
      assert.equal(published.publication_tagline, 'All the news that fits');
      assert.equal(published.public_url, PUBLIC_URL);
      const live = async () => {
        const p = await getPublication(db());
        return editionContent(db(), { edition: (await getEdition(db(), { id: published.id }))!, mediaDir: t.app.mediaDir, publicUrl: p.publicUrl ?? PUBLIC_URL, timeZone: NY, publication: { name: p.name, tagline: p.tagline } });
      };
      const before = await live();
      const hash = await contentHash(before);
      const built = await buildEditionFiles({ db: db(), files: t.app.editions.files, mediaDir: t.app.mediaDir, publicUrl: PUBLIC_URL }, published);
      assert.ok(built.ok);

      const late = await t.article({ headline: 'A story dated into the week later', sectionPath: 'World', publishedAt: at('2026-11-25T15:00:00Z'), access: 'metered', body: 'Late.', bodyMarkdown: 'Late.', blocks: parseMarkdown('Late.'), leadImage: null });
      const original = await getPublication(db());
      await savePublication(db(), { ...original, name: 'The Renamed Courier', tagline: 'A new motto', publicUrl: 'https://renamed.example.org' });
      try {
        const after = await live();
        assert.deepEqual(after, before);
        assert.equal(await contentHash(after), hash);
        assert.ok(!after.stories.some((st) => st.articleId === late.id));
        const again = await buildEditionFiles({ db: db(), files: t.app.editions.files, mediaDir: t.app.mediaDir, publicUrl: 'https://renamed.example.org' }, published);
        assert.ok(again.ok && built.ok);
        assert.deepEqual(again.pdf, { ...built.pdf, isFresh: false }, 'the published PDF is not rebuilt');
        // A draft still follows the publication as it is now.
        const draft = await ensureEdition(db(), { week: '2026-W51', timeZone: NY, now: NOW });
        const p = await getPublication(db());
        const draftContent = await editionContent(db(), { edition: draft, mediaDir: t.app.mediaDir, publicUrl: p.publicUrl!, timeZone: NY, publication: { name: p.name, tagline: p.tagline } });
        assert.equal(draftContent.publicationName, 'The Renamed Courier');
        await db().deleteFrom('editions').where('id', '=', draft.id).execute();
      } finally {
        await savePublication(db(), original);
        await db().updateTable('articles').set({ status: 'draft' }).where('id', '=', late.id).execute();
      }
    });

    it('numbers editions in week order, and refuses to slip one in before a published one', async () => {
      const w50 = await ensureEdition(db(), { week: '2026-W50', timeZone: NY, now: NOW });
      const w49 = await ensureEdition(db(), { week: '2026-W49', timeZone: NY, now: NOW });
      assert.equal(w49.number, 3);
      assert.equal((await getEdition(db(), { id: w50.id }))!.number, 4);
      assert.equal(w50.title, 'The week of December 7–13, 2026'); // no stories that week
      assert.deepEqual(await publishEdition({ db: db(), publicUrl: PUBLIC_URL, now: NOW }, w50.id), { ok: false, reason: 'no-stories' });
      await assert.rejects(ensureEdition(db(), { week: '2026-W46', timeZone: NY, now: NOW }), EditionOrderError);
    });

    it('builds and publishes from the CLI, with clear errors', async () => {
      let out = '';
      const io = { out: (s: string) => { out += s; }, err: () => {} };
      assert.equal(await weeklyCommand(t.app, ['build', '--week', WEEK], io), 0);
      const pdf = /PDF\s+(\S+)/.exec(out)?.[1];
      assert.ok(pdf && fs.existsSync(pdf), out);
      assert.match(out, new RegExp(`PDF .*, ${pdfPages(pdf)} pages`));
      assert.match(out, /EPUB\s+\S+\.epub/);
      assert.match(out, /\d+\.\d s\n/);
      await assert.rejects(weeklyCommand(t.app, ['build', '--week', '2026-47'], io), (err) => err instanceof WeeklyUsageError && /YYYY-Www/.test(err.message));
      await assert.rejects(weeklyCommand(t.app, ['publish', '--week', WEEK], io), (err) => err instanceof WeeklyUsageError && /already published/.test(err.message));
      await assert.rejects(weeklyCommand(t.app, ['build', '--week', '2026-W50'], io), (err) => err instanceof WeeklyUsageError && /no stories/.test(err.message));
      await assert.rejects(weeklyCommand(t.app, ['send'], io), WeeklyUsageError);
      // No draft is left behind for an empty week, nor made for one still to come.
      await assert.rejects(weeklyCommand(t.app, ['build', '--week', '2026-W45'], io), (err) => err instanceof WeeklyUsageError && /no published stories/.test(err.message));
      assert.equal(await getEdition(db(), { week: '2026-W45' }), null);
      await assert.rejects(weeklyCommand(t.app, ['build', '--week', '2027-W10'], io), (err) => err instanceof WeeklyUsageError && /not begun/.test(err.message));
      // The default week is the last complete one: at Wednesday 2026-12-16 that is 2026-W50.
      t.clock.now = at('2026-12-16T15:00:00Z');
      await assert.rejects(weeklyCommand(t.app, ['publish'], io), (err) => err instanceof WeeklyUsageError && /2026-W50 has no stories/.test(err.message));
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`the Weekly links to the saved address when PUBLIC_URL is unset (${dialect})`, () => {
    const SAVED = 'https://saved.example.org';
    const apps: { close(): Promise<void> }[] = [];
    after(async () => {
      for (const a of apps.reverse()) await a.close();
    });
    /** A database with a story in WEEK, and a second app on it that has served no page (as the CLI, or a server just started). */
    const start = async (clock: { now: number }) => {
      const t = await startTestApp(dialect, { env: { PUBLIC_URL: '' }, publication: { publicUrl: SAVED } });
      apps.push(t);
      const md = 'A story of the week.';
      await t.article({ headline: 'The week’s story', sectionPath: 'World', publishedAt: at('2026-11-17T15:00:00Z'), access: 'metered', body: md, bodyMarkdown: md, blocks: parseMarkdown(md), leadImage: null });
      const config = loadConfig({
        MASTHEAD_DATA: t.database.dataDir,
        ...(t.database.databaseUrl ? { DATABASE_URL: t.database.databaseUrl } : {}),
        MASTHEAD_DEMO: '0',
        MASTHEAD_SECRET: 'test-secret-test-secret-test-secret-0123',
        LOG_LEVEL: 'silent',
      });
      const app = await buildApp({ config, now: () => clock.now, logger: createLogger('silent') });
      apps.push(app);
      return app;
    };

    it('in the CLI', async () => {
      const app = await start({ now: NOW });
      let out = '';
      assert.equal(await weeklyCommand(app, ['publish', '--week', WEEK], { out: (s) => { out += s; }, err: () => {} }), 0);
      assert.ok(out.includes(`${SAVED}/editions/${WEEK}`), out);
      const edition = (await getEdition(app.database.db, { week: WEEK }))!;
      assert.equal(edition.public_url, SAVED);
      const issue = (await getIssue(app.database.db, edition.announced_issue_id!))!;
      assert.ok(issue.intro.includes(`${SAVED}/editions/${WEEK}`), issue.intro);
    });

    it('in the jobs', async () => {
      const app = await start({ now: at('2026-11-23T15:00:00Z') }); // Monday 10:00 in New York
      await app.runJobs();
      const edition = (await getEdition(app.database.db, { week: WEEK }))!;
      assert.equal(edition.status, 'published');
      assert.equal(edition.public_url, SAVED);
      const issue = (await getIssue(app.database.db, edition.announced_issue_id!))!;
      assert.ok(issue.intro.includes(`${SAVED}/editions/${WEEK}`), issue.intro);
    });
  });
}
