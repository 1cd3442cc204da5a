// The PDF edition read back with real parsers (poppler-utils): page count and metadata with
// pdfinfo, embedded fonts with pdffonts, text with pdftotext, named destinations with
// `pdfinfo -dests`, and the outline and links with `pdftohtml -xml` (which writes the outline
// tree and every link's target page). The cover and contents are rendered to PNGs under
// test-artifacts/ for a person to look at.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { editionFixture, storyMarker } from '../../../test/support/edition-fixture.ts';
import type { EditionContent } from '../types.ts';
import { renderEditionPdf, storyDestination } from './render-pdf.ts';

const ARTIFACTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../test-artifacts');
const UNUSUAL_HEADLINE = 'Tromsø’s “café” pier — 50% over budget & ½ built';

let content: EditionContent;
let pdf: Buffer;
let file: string;
let dir: string;

/** pdftotext output as a reader would quote it: words broken at line ends rejoined, one space. */
function readable(text: string): string {
  return text
    .replace(/(\p{Ll})-\n\s*(\p{Ll})/gu, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

const pageText = (first: number, last = first) => readable(run('pdftotext', ['-f', String(first), '-l', String(last), file, '-']));

before(async () => {
  ({ content, dir } = await editionFixture({ stories: 8 }));
  // One headline with characters outside ASCII, which the built-in PDF fonts would lose.
  content.stories[2].headline = UNUSUAL_HEADLINE;
  pdf = await renderEditionPdf(content);
  file = path.join(dir, 'weekly.pdf');
  fs.writeFileSync(file, pdf);
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('pdfinfo: Letter pages, a page count for cover + contents + stories, and the metadata', () => {
  const info = run('pdfinfo', [file]);
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  assert.ok(pages >= 2 + content.stories.length, `only ${pages} pages`);
  assert.match(info, /^Title:\s+The Test Courier — The harbor towns rebuild, No\. 47$/m);
  assert.match(info, /^Author:\s+The Test Courier$/m);
  assert.match(info, /^Subject:\s+The Weekly, No\. 47, November 16–22, 2026/m);
  assert.match(info, /^Keywords:.*World.*Opinion/m);
  assert.match(info, /^Page size:\s+612 x 792 pts \(letter\)/m);
  assert.match(info, /^CreationDate:\s+Wed Nov 18 12:00:00 2026/m);
});

test('pdffonts: Newsreader and Libre Franklin, every font embedded as a subset with a Unicode map', () => {
  const rows = run('pdffonts', [file]).split('\n').slice(2).filter(Boolean);
  assert.ok(rows.some((r) => /\+Newsreader-Regular\b/.test(r)), 'Newsreader text face');
  assert.ok(rows.some((r) => /\+LibreFranklin-/.test(r)), 'Libre Franklin labels');
  for (const row of rows) assert.match(row, /\syes\s+yes\s+yes\s+\d+\s+\d+\s*$/, `not embedded+subset+unicode: ${row}`);
});

test('pdftotext: every story’s own sentence, headline and dek are in the text, each story to its last line', () => {
  const text = readable(run('pdftotext', [file, '-']));
  content.stories.forEach((story, i) => {
    assert.ok(text.includes(storyMarker(i)), `story ${i + 1}'s marker`);
    assert.ok(text.includes(story.headline), `headline: ${story.headline}`);
    assert.ok(text.includes(story.dek), `dek of story ${i + 1}`);
    assert.ok(text.includes(`The last word of story ${i + 1} belongs to the ferry crew.`), `story ${i + 1} is complete`);
  });
  assert.ok(text.includes('BERGEN, Norway — Harbor pilots in port number 1'), 'the dateline opens the first paragraph');
  assert.ok(text.includes('The water has a memory, and this year it remembered everything.'), 'pull quote');
});

test('contents: each story is listed with the page where pdftotext finds its headline', () => {
  const firstStoryPage = Number(/^\s*(\d+)\s.*"story-1000"/m.exec(run('pdfinfo', ['-dests', file]))?.[1]);
  assert.ok(firstStoryPage >= 3, 'stories follow the cover and the contents');
  const contents = pageText(2, firstStoryPage - 1);
  let previous = 0;
  for (const story of content.stories) {
    const escaped = story.headline.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const listed = new RegExp(`(\\d+) ${escaped}`).exec(contents);
    assert.ok(listed, `contents lists "${story.headline}" with a page number`);
    const page = Number(listed[1]);
    assert.ok(page > previous, 'page numbers rise in reading order');
    previous = page;
    assert.ok(pageText(page).includes(story.headline), `"${story.headline}" is on page ${page}`);
  }
  assert.ok(contents.includes('This week we went to the harbor towns. Read our archive for more.'), "the editor's introduction");
});

test('named destinations, links from the contents and the outline point at each story’s page', () => {
  const dests = run('pdfinfo', ['-dests', file]);
  const pageOf = new Map<string, number>();
  for (const m of dests.matchAll(/^\s*(\d+)\s+\[.*\]\s+"([^"]+)"$/gm)) pageOf.set(m[2], Number(m[1]));
  const xml = run('pdftohtml', ['-xml', '-i', '-q', '-stdout', file]);
  for (const story of content.stories) {
    const page = pageOf.get(storyDestination(story.articleId));
    assert.ok(page, `destination for story ${story.articleId}`);
    assert.ok(pageText(page).includes(story.headline), 'the destination is the story’s opening page');
    // The contents entry is a link to that page (pdftohtml writes internal links as #page).
    const first = story.headline.split(' ').slice(0, 3).join(' ').replace(/&/g, '&amp;');
    const link = new RegExp(`<a href="[^"]*#${page}">(?:<[bi]>)*${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
    assert.match(xml, link, `contents link for "${story.headline}"`);
  }

  // The outline: sections at the top level, their stories under them, each at its page.
  const outline = xml.slice(xml.indexOf('<outline>'));
  const tree: { title: string; page: number; children: { title: string; page: number }[] }[] = [];
  let depth = 0;
  for (const m of outline.matchAll(/<outline>|<\/outline>|<item page="(\d+)">([^<]*)<\/item>/g)) {
    if (m[0] === '<outline>') depth++;
    else if (m[0] === '</outline>') depth--;
    else if (depth === 1) tree.push({ title: m[2], page: Number(m[1]), children: [] });
    else tree.at(-1)!.children.push({ title: m[2], page: Number(m[1]) });
  }
  const sections = [...new Set(content.stories.map((s) => s.sectionName))];
  assert.deepEqual(tree.map((s) => s.title), sections);
  const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  const listed = tree.flatMap((s) => s.children.map((c) => ({ ...c, section: s.title })));
  assert.deepEqual(listed.map((c) => unescape(c.title)), content.stories.map((s) => s.headline));
  listed.forEach((item, i) => assert.equal(item.page, pageOf.get(storyDestination(content.stories[i].articleId))));
});

test('links in a story body become link annotations to their address', async () => {
  const xml = run('pdftohtml', ['-xml', '-i', '-q', '-stdout', file]);
  assert.match(xml, /<a href="https:\/\/news\.example\.com\/editions">our archive<\/a>/);
});

test('running heads and folios on every page but the cover', () => {
  const pages = Number(/^Pages:\s+(\d+)/m.exec(run('pdfinfo', [file]))?.[1]);
  const cover = run('pdftotext', ['-f', '1', '-l', '1', '-layout', file, '-']).trimEnd().split('\n');
  assert.doesNotMatch(cover.at(-1)!, /(^|\s)1\s*$/, 'no folio on the cover');
  for (let page = 2; page <= pages; page++) {
    const text = run('pdftotext', ['-f', String(page), '-l', String(page), '-layout', file, '-']);
    assert.ok(text.includes('The Test Courier'), `running head on page ${page}`);
    const lastLine = text.trimEnd().split('\n').at(-1)!;
    assert.match(lastLine, new RegExp(`(^|\\s)${page}(\\s|$)`), `folio ${page} at the foot`);
  }
});

test('the same content builds the same bytes', async () => {
  const again = await renderEditionPdf(content);
  assert.equal(again.length, pdf.length);
  assert.ok(again.equals(pdf), 'byte-identical rebuild');
});

test('renders the cover and contents to test-artifacts for a visual check', () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  run('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', '-singlefile', file, path.join(ARTIFACTS, 'weekly-cover')]);
  run('pdftoppm', ['-png', '-r', '50', '-f', '2', '-l', '2', '-singlefile', file, path.join(ARTIFACTS, 'weekly-contents')]);
  for (const name of ['weekly-cover.png', 'weekly-contents.png']) {
    const png = fs.readFileSync(path.join(ARTIFACTS, name));
    assert.equal(png.readUInt32BE(16), 425, `${name} is a Letter page (8.5 in) at 50 dpi`);
  }
});
