import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editionFixture } from '../../../test/support/edition-fixture.ts';
import { editionBookId } from './book-id.ts';
import { bookTitle, contentsTree, planEditionBook } from './edition-book.ts';

const pictureSrc = (file: string) => `file://${file}`;

test('metadata: title, publication as author and publisher, stable identifier, dates from the content', async () => {
  const { content } = await editionFixture({ stories: 3, withImages: false });
  const { options } = planEditionBook({ content, pictureSrc, cover: null, fonts: [] });
  assert.equal(options.title, 'The Test Courier — The harbor towns rebuild, No. 47');
  assert.equal(bookTitle(content), options.title);
  assert.equal(options.author, 'The Test Courier');
  assert.equal(options.publisher, 'The Test Courier');
  assert.equal(options.lang, 'en');
  assert.equal(options.book.identifier, editionBookId({ publicUrl: content.publicUrl, editionId: content.editionId }));
  assert.equal(options.book.date, '2026-11-22');
  assert.equal(options.book.modified, '2026-11-18T12:00:00Z');
  assert.match(options.description ?? '', /^The Test Courier, No\. 47, November 16–22, 2026: The harbor towns rebuild\. .*This week we went to the harbor towns\./);
});

test('reading order: cover page, then the introduction, then every story', async () => {
  const { content } = await editionFixture({ stories: 3, withImages: false });
  const cover = new File([new Uint8Array([0xff, 0xd8])], 'cover.jpeg', { type: 'image/jpeg' });
  const { chapters } = planEditionBook({ content, pictureSrc, cover, fonts: [] });
  assert.deepEqual(chapters.map((c) => c.filename), ['cover.xhtml', 'intro.xhtml', 'story-01.xhtml', 'story-02.xhtml', 'story-03.xhtml']);
  assert.equal(chapters[0].beforeToc, true);
  assert.equal(chapters[0].coverFile, 'cover.jpeg');
  assert.match(chapters[1].content, /<strong>harbor towns<\/strong>/);

  const withoutIntro = planEditionBook({ content: { ...content, intro: '  ' }, pictureSrc, cover: null, fonts: [] });
  assert.deepEqual(withoutIntro.chapters.map((c) => c.filename), ['story-01.xhtml', 'story-02.xhtml', 'story-03.xhtml']);
});

test('contents: sections are runs of stories, each story listed once, in reading order', async () => {
  const { content } = await editionFixture({ stories: 4, withImages: false });
  const sections = ['World', 'World', 'USA', 'World'];
  content.stories.forEach((s, i) => (s.sectionName = sections[i]));
  const tree = contentsTree({ content, hasIntro: true });
  assert.deepEqual(
    tree.map((e) => [e.label, e.children.map((c) => c.href)]),
    [['From the Editor', []], ['World', ['story-01.xhtml', 'story-02.xhtml']], ['USA', ['story-03.xhtml']], ['World', ['story-04.xhtml']]],
  );
  // NCX play order rises with reading order; a section shares its first story's place.
  const orders = tree.flatMap((e) => [e.playOrder, ...e.children.map((c) => c.playOrder)]);
  assert.deepEqual(orders, [1, 2, 2, 3, 4, 4, 5, 5]);
  assert.equal(new Set(tree.flatMap((e) => [e.id, ...e.children.map((c) => c.id)])).size, 8);
});
