// The build cache on real files: built once and then served, a new build when the content or
// a picture changes (the week's older build removed), concurrent requests sharing one build,
// and nothing half-written left behind when a build fails.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { editionFixture } from '../../test/support/edition-fixture.ts';
import { EditionFiles, FAILURE_BACKOFF_MS, RENDER_VERSION, contentHash, pictureFiles, type EditionRenderer } from './edition-files.ts';
import type { EditionContent } from './types.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-edition-files-'));
  dirs.push(d);
  return d;
}

describe('EditionFiles', () => {
  it('hashes the content and its pictures’ size and time, and nothing else', async () => {
    const { content, dir } = await editionFixture({ stories: 3 });
    dirs.push(dir);
    const hash = await contentHash(content);
    assert.match(hash, /^[0-9a-f]{16}$/);
    assert.equal(await contentHash(structuredClone(content)), hash);
    assert.notEqual(await contentHash({ ...content, title: `${content.title}!` }), hash);
    assert.notEqual(await contentHash(content, RENDER_VERSION + 1), hash, 'a new renderer replaces the built files');
    const named = pictureFiles(content);
    assert.ok(named.includes(content.stories[0].image!.file));
    assert.deepEqual(named, [...new Set(named)].sort());
    const picture = content.stories[0].image!.file;
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(picture, later, later);
    assert.notEqual(await contentHash(content), hash);
  });

  it('builds once, shares a build under way, and replaces the week’s older build', async () => {
    const { content, dir } = await editionFixture({ stories: 2, withImages: false });
    dirs.push(dir);
    const out = tempDir();
    const files = new EditionFiles({ dir: path.join(out, 'editions') });
    const [a, b] = await Promise.all([files.file(content, 'pdf'), files.file(content, 'pdf')]);
    assert.equal(a.path, b.path);
    assert.ok(a.isFresh && b.isFresh);
    const again = await files.file(content, 'pdf');
    assert.deepEqual(again, { path: a.path, bytes: a.bytes, isFresh: false });
    const epub = await files.file(content, 'epub');

    const changed = await files.file({ ...content, title: 'A new title' }, 'pdf');
    assert.ok(changed.isFresh);
    assert.ok(!fs.existsSync(a.path), 'the older PDF is removed');
    assert.ok(fs.existsSync(epub.path), 'the EPUB is another format: kept until its own rebuild');
    assert.deepEqual(fs.readdirSync(path.join(out, 'editions')).sort(), [path.basename(epub.path), path.basename(changed.path)].sort());
  });

  it('renders in a worker thread, so this event loop keeps running during a build', async () => {
    const { content, dir } = await editionFixture({ stories: 8 });
    dirs.push(dir);
    const files = new EditionFiles({ dir: tempDir() });
    // Ticks of a 10 ms timer while both formats build. A PDF build in this thread holds it
    // through the whole layout (PDFKit is synchronous) and lets it tick only a few times
    // before, while fonts and pictures load (3–6 times on this fixture); in a worker it ticks
    // all along (100 or more). Ten is far from both: a count, not a timing.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      const pdf = await files.file(content, 'pdf');
      const ticksDuringPdf = ticks;
      const epub = await files.file(content, 'epub');
      const ticksDuringEpub = ticks - ticksDuringPdf;
      assert.ok(ticksDuringPdf >= 10, `the timer ticked ${ticksDuringPdf} times during the PDF build`);
      assert.ok(ticksDuringEpub >= 10, `the timer ticked ${ticksDuringEpub} times during the EPUB build`);
      assert.ok(pdf.isFresh && epub.isFresh);
      assert.equal(fs.readFileSync(pdf.path).subarray(0, 4).toString('latin1'), '%PDF');
      assert.equal(fs.readFileSync(epub.path).subarray(0, 2).toString('latin1'), 'PK');
      assert.equal(fs.statSync(pdf.path).size, pdf.bytes);
    } finally {
      clearInterval(timer);
    }
  });

  it('leaves no file behind when a build fails, and tries again next time', async () => {
    const { content, dir } = await editionFixture({ stories: 1, withImages: false });
    dirs.push(dir);
    const out = tempDir();
    const files = new EditionFiles({ dir: out });
    // A body picture that is not a JPEG: the PDF renderer cannot place it.
    const broken = path.join(dir, 'broken.jpg');
    fs.writeFileSync(broken, 'not a picture');
    const bad = structuredClone(content);
    bad.stories[0].blocks.splice(1, 0, { type: 'image', image: { id: 'aaaaaaaaaaaaaaaaaaaaaaaa', width: 1200, height: 800, widths: [1200] }, src: '', alt: 'x', caption: 'x' });
    bad.stories[0].inlineImages = { aaaaaaaaaaaaaaaaaaaaaaaa: broken };
    await assert.rejects(files.file(bad, 'pdf'));
    assert.deepEqual(fs.readdirSync(out), []);
    const { content: pictured } = await editionFixture({ stories: 1, dir });
    fs.copyFileSync(pictured.stories[0].image!.file, broken);
    const built = await files.file(bad, 'pdf');
    assert.ok(built.isFresh && fs.existsSync(built.path));
    assert.deepEqual(fs.readdirSync(out), [path.basename(built.path)]);
  });

  /** A renderer that writes a small file after `ms`, counting its calls and how many ran at once. */
  function fakeRenderer(opts: { ms?: number; fail?: () => boolean } = {}) {
    const stats = { calls: 0, running: 0, most: 0 };
    const render: EditionRenderer = async (content, format, file) => {
      stats.calls++;
      stats.running++;
      stats.most = Math.max(stats.most, stats.running);
      try {
        await new Promise((r) => setTimeout(r, opts.ms ?? 10));
        if (opts.fail?.()) throw new Error('renderer broke');
        fs.writeFileSync(file, `${format} of ${content.title}`);
      } finally {
        stats.running--;
      }
    };
    return { render, stats };
  }

  async function smallContent(): Promise<EditionContent> {
    const { content, dir } = await editionFixture({ stories: 1, withImages: false });
    dirs.push(dir);
    return content;
  }

  it('builds one file at a time per process, sharing a build asked for twice', async () => {
    const content = await smallContent();
    const { render, stats } = fakeRenderer({ ms: 20 });
    const files = new EditionFiles({ dir: tempDir(), render });
    const built = await Promise.all([
      files.file(content, 'pdf'),
      files.file(content, 'pdf'),
      files.file({ ...content, week: '2026-W40' }, 'pdf'),
      files.file({ ...content, week: '2026-W41' }, 'pdf'),
      files.file(content, 'epub'),
    ]);
    assert.equal(stats.calls, 4, 'the same file is built once');
    assert.equal(stats.most, 1, 'never two builds at once');
    assert.equal(built[0].path, built[1].path);
    for (const b of built) assert.ok(b.isFresh && fs.existsSync(b.path));
  });

  it('does not build a failing file again for a while, then tries again', async () => {
    const content = await smallContent();
    let now = 1_000_000;
    let broken = true;
    const { render, stats } = fakeRenderer({ fail: () => broken });
    const out = tempDir();
    const files = new EditionFiles({ dir: out, render, now: () => now });
    await assert.rejects(files.file(content, 'pdf'), /renderer broke/);
    await assert.rejects(files.file(content, 'pdf'), /renderer broke/);
    assert.equal(stats.calls, 1, 'the second request gets the remembered failure');
    // Another file is not held up by it.
    await files.file(content, 'epub').catch(() => {});
    assert.equal(stats.calls, 2);
    broken = false;
    now += FAILURE_BACKOFF_MS - 1;
    await assert.rejects(files.file(content, 'pdf'), /renderer broke/);
    now += 1;
    const built = await files.file(content, 'pdf');
    assert.ok(built.isFresh);
    assert.equal(stats.calls, 3);
    assert.deepEqual(fs.readdirSync(out).filter((f) => f.endsWith('.tmp')), []);
  });

  it('takes an empty file as missing, and sweeps temporary files left by a crash', async () => {
    const content = await smallContent();
    const { render, stats } = fakeRenderer();
    const out = tempDir();
    const files = new EditionFiles({ dir: out, render });
    const first = await files.file(content, 'pdf');
    fs.truncateSync(first.path, 0);
    const stale = path.join(out, `${path.basename(first.path)}.123-abc.tmp`);
    const fresh = path.join(out, `${path.basename(first.path)}.456-def.tmp`);
    fs.writeFileSync(stale, 'half');
    fs.writeFileSync(fresh, 'under way');
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    fs.utimesSync(stale, twoHoursAgo, twoHoursAgo);
    const again = await files.file(content, 'pdf');
    assert.equal(stats.calls, 2);
    assert.ok(again.isFresh && again.bytes > 0);
    assert.equal(fs.statSync(again.path).size, again.bytes);
    assert.ok(!fs.existsSync(stale), 'an hour-old temporary file is removed');
    assert.ok(fs.existsSync(fresh), 'another process’s build under way is left alone');
  });

  it('does not fail when the file just built was already replaced by another process', async () => {
    const content = await smallContent();
    const out = tempDir();
    const files = new EditionFiles({ dir: out, render: fakeRenderer().render });
    await files.file(content, 'pdf');
    const removeOlder = (files as unknown as { removeOlder(week: string, format: string, keep: string): Promise<void> }).removeOlder.bind(files);
    await removeOlder(content.week, 'pdf', path.join(out, `${content.week}-gone.pdf`));
    assert.equal(fs.readdirSync(out).length, 1, 'nothing removed on a guess');
  });
});
