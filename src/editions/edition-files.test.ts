// The build cache on real files: built once and then served, a new build when the content or
// a picture changes (the week's older build removed), concurrent requests sharing one build,
// and nothing half-written left behind when a build fails.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { editionFixture } from '../../test/support/edition-fixture.ts';
import { EditionFiles, contentHash, pictureFiles } from './edition-files.ts';

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
});
