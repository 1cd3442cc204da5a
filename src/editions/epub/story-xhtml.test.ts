import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Block } from '../../content/blocks.ts';
import type { EditionStory } from '../types.ts';
import { blocksXhtml, bookHref, storyXhtml } from './story-xhtml.ts';

const pictureSrc = (file: string) => `file://${file}`;
const base = 'https://news.example.com/World/2026/1118/Story';

function story(overrides: Partial<EditionStory> = {}): EditionStory {
  return {
    articleId: 1, headline: 'Harbor', dek: 'A dek', byline: 'By Ann Lee', dateline: '', sectionName: 'World',
    url: base, publishedAt: 0, blocks: [{ type: 'paragraph', c: [{ t: 'text', v: 'Body.' }] }], image: null, inlineImages: {},
    ...overrides,
  };
}

test('only http(s) links leave the book; site links become absolute', () => {
  assert.equal(bookHref('https://a.example/x', base), 'https://a.example/x');
  assert.equal(bookHref('/Business/2026/1118/Other', base), 'https://news.example.com/Business/2026/1118/Other');
  assert.equal(bookHref('#part-2', base), `${base}#part-2`);
  for (const bad of ['javascript:alert(1)', 'java\tscript:alert(1)', 'mailto:desk@example.com', 'data:text/html,x', '//evil.example/', 'relative/path']) {
    assert.equal(bookHref(bad, base), null, bad);
  }
});

test('a refused link keeps its words as text', () => {
  const blocks: Block[] = [{ type: 'paragraph', c: [{ t: 'link', href: 'javascript:alert(1)', c: [{ t: 'text', v: 'click' }] }] }];
  const html = blocksXhtml({ blocks, base, pictureSrc });
  assert.equal(html, '<p>click</p>');
});

test('every author-written string is escaped, in the header and the body', () => {
  const evil = `<script>alert("x")</script> & 'quotes'`;
  const html = storyXhtml({
    story: story({
      headline: evil, dek: evil, byline: evil, sectionName: evil, dateline: evil,
      blocks: [
        { type: 'paragraph', c: [{ t: 'text', v: evil }, { t: 'code', v: '<b>\nx' }] },
        { type: 'pullquote', c: [{ t: 'text', v: evil }], attribution: evil },
        { type: 'list', ordered: true, items: [[{ t: 'text', v: evil }]] },
        { type: 'image', image: { id: 'p1', width: 10, height: 10, widths: [10] }, src: '', alt: evil, caption: evil, credit: evil },
      ],
      inlineImages: { p1: '/tmp/a"b.jpg' },
    }),
    pictureSrc,
  });
  assert.doesNotMatch(html, /<script|<b>|"x"|'quotes'/);
  assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &#39;quotes&#39;/);
  assert.match(html, /src="file:\/\/\/tmp\/a&quot;b\.jpg"/);
});

test('the dateline opens the first paragraph, not a heading before it', () => {
  const blocks: Block[] = [
    { type: 'heading', level: 2, c: [{ t: 'text', v: 'Sub' }] },
    { type: 'paragraph', c: [{ t: 'text', v: 'First.' }] },
    { type: 'paragraph', c: [{ t: 'text', v: 'Second.' }] },
  ];
  const html = blocksXhtml({ blocks, base, dateline: 'BERGEN, Norway', pictureSrc });
  assert.match(html, /<h2>Sub<\/h2>\n<p><span class="dateline">BERGEN, Norway<\/span> — First\.<\/p>\n<p>Second\.<\/p>/);
});

test('pull quotes are asides; body pictures come from inlineImages or are left out', () => {
  const blocks: Block[] = [
    { type: 'pullquote', c: [{ t: 'text', v: 'Memory.' }], attribution: 'Ana Ruiz' },
    { type: 'image', image: { id: 'known', width: 10, height: 10, widths: [10] }, src: '/media/known/10.jpg', alt: 'Crane', caption: 'Lift.', credit: 'Lee Park' },
    { type: 'image', image: { id: 'missing', width: 10, height: 10, widths: [10] }, src: '/media/missing/10.jpg', alt: 'Gone', caption: 'Gone.' },
    { type: 'image', image: null, src: 'unresolved.jpg', alt: 'Never', caption: 'Never.' },
  ];
  const html = blocksXhtml({ blocks, base, inlineImages: { known: '/pics/known.jpg' }, pictureSrc });
  assert.match(html, /<aside class="pullquote" epub:type="pullquote"><p>Memory\.<\/p><p class="pullquote-by">— Ana Ruiz<\/p><\/aside>/);
  assert.match(html, /<figure class="figure"><img src="file:\/\/\/pics\/known\.jpg" alt="Crane"\/><figcaption>Lift\. <span class="credit">Lee Park<\/span><\/figcaption><\/figure>/);
  assert.doesNotMatch(html, /Gone|Never|\/media\//);
});

test('a story opens with section, headline, dek, byline and its lead picture with credit', () => {
  const html = storyXhtml({
    story: story({ image: { file: '/pics/lead.jpg', width: 10, height: 10, alt: 'Boats', caption: 'Boats wait.', credit: 'Joshua Roberts/AP' } }),
    pictureSrc,
  });
  const order = ['class="section">World', 'class="headline">Harbor', 'class="dek">A dek', 'class="byline">By Ann Lee', 'src="file:///pics/lead.jpg"', 'class="credit">Joshua Roberts/AP', '<p>Body.</p>', `class="source">Online: <a href="${base}">`];
  let at = -1;
  for (const part of order) {
    const next = html.indexOf(part);
    assert.ok(next > at, `${part} in order`);
    at = next;
  }
});

test('embeds become a link to their page; an unsafe embed disappears', () => {
  const html = blocksXhtml({ blocks: [{ type: 'embed', url: 'https://video.example/v/1', host: 'spoofed.example' }, { type: 'embed', url: 'javascript:x', host: 'x' }], base, pictureSrc });
  assert.equal(html, '<p class="embed"><a href="https://video.example/v/1">video.example</a></p>');
});

test('inline runs are XHTML with the book’s link rule: <br/>, http(s) kept, site links made absolute, mailto as text', () => {
  const blocks: Block[] = [
    { type: 'paragraph', c: [
      { t: 'text', v: 'one' }, { t: 'br' }, { t: 'text', v: 'two ' },
      { t: 'link', href: '/Business/2026/1118/Other', c: [{ t: 'em', c: [{ t: 'text', v: 'other' }] }] }, { t: 'text', v: ' ' },
      { t: 'link', href: 'https://a.example/x?y=1&z=2', c: [{ t: 'strong', c: [{ t: 'text', v: 'away' }] }] }, { t: 'text', v: ' ' },
      { t: 'link', href: 'mailto:desk@example.com', c: [{ t: 'text', v: 'write' }] }, { t: 'text', v: ' ' },
      { t: 'code', v: 'a <b>\nc' },
    ] },
  ];
  assert.equal(
    blocksXhtml({ blocks, base, pictureSrc }),
    '<p>one<br/>two <a href="https://news.example.com/Business/2026/1118/Other"><em>other</em></a> <a href="https://a.example/x?y=1&amp;z=2"><strong>away</strong></a> write <code>a &lt;b&gt;<br/>c</code></p>',
  );
});
