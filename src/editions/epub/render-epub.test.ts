// The built book, checked with real tools: epubcheck (the reference validator) and unzip.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { editionFixture, storyMarker } from '../../../test/support/edition-fixture.ts';
import { editionBookId } from './book-id.ts';
import { renderEditionEpub } from './render-epub.ts';

// Debian's /usr/bin/epubcheck is the jar itself, runnable only where the kernel knows jars.
const EPUBCHECK_JAR = process.env.EPUBCHECK_JAR ?? '/usr/share/java/epubcheck.jar';
const EVIL_HEADLINE = `<script>alert("x")</script> Fish & chips: 'quoted' "news"`;
// The builder re-serializes markup, so quotes may come back as any of XML's spellings.
const Q = `(?:&quot;|&#34;|")`;
const A = `(?:&#39;|&apos;|')`;
const ESCAPED_HEADLINE = new RegExp(`&lt;script&gt;alert\\(${Q}x${Q}\\)&lt;/script&gt; Fish &amp; chips: ${A}quoted${A} ${Q}news${Q}`);

interface EpubcheckMessage {
  severity: string;
  ID: string;
  message: string;
  locations: { path: string; line: number; column: number }[];
}

function epubcheck(file: string): EpubcheckMessage[] {
  const report = `${file}.json`;
  const run = spawnSync('java', ['-jar', EPUBCHECK_JAR, file, '--json', report], { encoding: 'utf8' });
  assert.ok(fs.existsSync(report), `epubcheck wrote no report: ${run.error ?? run.stderr}`);
  const { messages } = JSON.parse(fs.readFileSync(report, 'utf8')) as { messages: EpubcheckMessage[] };
  for (const m of messages.filter((m) => m.severity === 'WARNING' || m.severity === 'USAGE')) {
    const at = m.locations[0];
    console.log(`epubcheck ${m.severity} ${m.ID}: ${m.message}${at ? ` (${at.path}:${at.line})` : ''}`);
  }
  return messages;
}

function errorsOf(messages: EpubcheckMessage[]): string[] {
  return messages
    .filter((m) => m.severity === 'ERROR' || m.severity === 'FATAL')
    .map((m) => `${m.ID} ${m.message} ${m.locations.map((l) => `${l.path}:${l.line}`).join(', ')}`);
}

function entries(file: string): string[] {
  return execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

function entryText(file: string, name: string): string {
  return execFileSync('unzip', ['-p', file, name], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function entryBytes(file: string, name: string): Buffer {
  return execFileSync('unzip', ['-p', file, name], { maxBuffer: 64 * 1024 * 1024 });
}

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function buildToFile(name: string, content: Parameters<typeof renderEditionEpub>[0]): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-epub-'));
  tempDirs.push(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, await renderEditionEpub(content));
  return file;
}

test('an 8-story edition is a valid EPUB 3 with every story, a nested contents, a cover and escaped text', async () => {
  const { content, dir } = await editionFixture({ stories: 8 });
  tempDirs.push(dir);
  content.stories[0].headline = EVIL_HEADLINE;
  const file = await buildToFile('weekly.epub', content);

  assert.deepEqual(errorsOf(epubcheck(file)), []);

  const names = entries(file);
  assert.equal(names[0], 'mimetype', 'mimetype comes first, stored, for reading systems that sniff it');
  assert.equal(entryText(file, 'mimetype'), 'application/epub+zip');

  const opf = entryText(file, 'OEBPS/content.opf');
  assert.match(opf, new RegExp(`<dc:identifier id="pub-id">${editionBookId({ publicUrl: content.publicUrl, editionId: 7 })}</dc:identifier>`));
  assert.match(opf, /<dc:title id="title">The Test Courier — The harbor towns rebuild, No\. 47<\/dc:title>/);
  assert.match(opf, /<dc:creator id="creator">The Test Courier<\/dc:creator>/);
  assert.match(opf, /<dc:publisher>The Test Courier<\/dc:publisher>/);
  assert.match(opf, /<dc:language>en<\/dc:language>/);
  assert.match(opf, /<dc:date>2026-11-22<\/dc:date>/);
  assert.match(opf, /<dc:description>The Test Courier, No\. 47/);

  // The cover: declared as the cover image, present, a portrait JPEG, and shown on the first page.
  const coverItem = opf.match(/<item id="cover-image" href="([^"]+)" media-type="image\/jpeg" properties="cover-image"\/>/);
  assert.ok(coverItem, 'cover-image item in the manifest');
  assert.ok(names.includes(`OEBPS/${coverItem[1]}`), 'cover file in the book');
  const coverMeta = await sharp(entryBytes(file, `OEBPS/${coverItem[1]}`)).metadata();
  assert.equal(coverMeta.format, 'jpeg');
  assert.ok(coverMeta.height! > coverMeta.width!, 'portrait cover');
  assert.match(entryText(file, 'OEBPS/cover.xhtml'), new RegExp(`<img src="${coverItem[1]}"`));

  // Reading order: cover, contents, introduction, stories.
  const spine = [...opf.matchAll(/<itemref idref="([^"]+)"\/>/g)].map((m) => m[1]);
  assert.deepEqual(spine, ['cover', 'nav', 'intro', ...content.stories.map((_, i) => `story-${i + 1}`)]);
  assert.match(entryText(file, 'OEBPS/intro.xhtml'), /This week we went to the <strong>harbor towns<\/strong>/);

  // The navigation document lists every story once, under its section.
  const nav = entryText(file, 'OEBPS/toc.xhtml');
  const navLinks = [...nav.matchAll(/<li class="toc-story"><a href="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual(navLinks, content.stories.map((_, i) => `story-${String(i + 1).padStart(2, '0')}.xhtml`));
  for (const story of content.stories.slice(1)) assert.ok(nav.includes(`>${story.headline}</a>`), `nav lists ${story.headline}`);
  const sections = [...nav.matchAll(/<li class="toc-section"><span>([^<]+)<\/span>/g)].map((m) => m[1]);
  assert.deepEqual(sections, [...new Set(content.stories.map((s) => s.sectionName))]);

  // Every story's text is in its own chapter, and every picture it points at is in the book.
  content.stories.forEach((story, i) => {
    const name = `OEBPS/story-${String(i + 1).padStart(2, '0')}.xhtml`;
    const xhtml = entryText(file, name);
    assert.ok(xhtml.includes(storyMarker(i)), `${name} has its story's text`);
    for (const [j] of content.stories.entries()) if (j !== i) assert.ok(!xhtml.includes(storyMarker(j)), `${name} has only its story`);
    const pictures = [...xhtml.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(pictures.length, (story.image ? 1 : 0) + Object.keys(story.inlineImages).length, `${name} pictures`);
    for (const src of pictures) assert.ok(names.includes(`OEBPS/${src}`), `${src} is in the book`);
    if (story.dateline) assert.ok(xhtml.includes(`<span class="dateline">${story.dateline}</span>`));
    assert.match(xhtml, /<aside class="pullquote" epub:type="pullquote">/);
  });

  // A headline with markup, an ampersand and quotes is text everywhere it appears.
  for (const name of ['OEBPS/story-01.xhtml', 'OEBPS/toc.xhtml', 'OEBPS/toc.ncx']) {
    const text = entryText(file, name);
    assert.ok(!text.includes('<script'), `${name} has no script element`);
    assert.match(text, ESCAPED_HEADLINE, name);
  }

  // Nothing points outside the book but http(s) links.
  for (const name of names.filter((n) => n.endsWith('.xhtml'))) {
    for (const [, src] of entryText(file, name).matchAll(/ src="([^"]+)"/g)) assert.doesNotMatch(src, /^[a-z]+:/, `${name}: ${src}`);
  }
});

test('an edition without a cover picture, an introduction or some picture files still builds valid', async () => {
  const { content, dir } = await editionFixture({ stories: 3 });
  tempDirs.push(dir);
  const lost = content.stories[1].inlineImages['inline-1'];
  fs.rmSync(lost);
  const edition = { ...content, intro: '', coverImage: null, coverLines: [], title: 'A title long enough to wrap over several lines of the cover and still be set without running into the nameplate at the top' };
  const file = await buildToFile('plain.epub', edition);

  assert.deepEqual(errorsOf(epubcheck(file)), []);
  const names = entries(file);
  assert.ok(names.includes('OEBPS/cover.jpeg'), 'a cover is drawn even without a picture');
  assert.ok(!names.includes('OEBPS/intro.xhtml'));
  const story2 = entryText(file, 'OEBPS/story-02.xhtml');
  assert.ok(story2.includes(storyMarker(1)));
  assert.equal([...story2.matchAll(/<img /g)].length, 1, 'the lead picture stays, the lost one is left out');
});
