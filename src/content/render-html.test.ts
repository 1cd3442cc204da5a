import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Block, ImageRef, Inline } from './blocks.ts';
import { escapeAttr, escapeHtml } from './escape.ts';
import { parseMarkdown } from './markdown.ts';
import { renderBlocks, renderInlines, renderPicture, renderPlainText } from './render-html.ts';
import type { RenderOptions } from './render-html.ts';

const t = (v: string): Inline => ({ t: 'text', v });
const opts: RenderOptions = { mediaBase: '/media', imageSizes: '100vw' };
const ref: ImageRef = { id: 'abc123', width: 3000, height: 2000, widths: [400, 800, 1200, 1600] };
const render = (...blocks: Block[]) => renderBlocks(blocks, opts);

describe('escape', () => {
  it('escapes all five characters', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    assert.equal(escapeAttr(`"'<>&`), '&quot;&#39;&lt;&gt;&amp;');
  });
});

describe('renderBlocks markup', () => {
  const cases: { name: string; blocks: Block[]; want: string }[] = [
    {
      name: 'paragraph with inline markup',
      blocks: [
        {
          type: 'paragraph',
          c: [
            t('a '),
            { t: 'em', c: [t('b')] },
            { t: 'strong', c: [t('c')] },
            { t: 'code', v: 'x<y' },
            { t: 'br' },
            { t: 'link', href: 'https://example.org/?a=1&b=2', c: [t('d')] },
          ],
        },
      ],
      want: '<p>a <em>b</em><strong>c</strong><code>x&lt;y</code><br><a href="https://example.org/?a=1&amp;b=2">d</a></p>',
    },
    { name: 'heading h2', blocks: [{ type: 'heading', level: 2, c: [t('H')] }], want: '<h2>H</h2>' },
    { name: 'heading h3', blocks: [{ type: 'heading', level: 3, c: [t('H')] }], want: '<h3>H</h3>' },
    { name: 'heading h4', blocks: [{ type: 'heading', level: 4, c: [t('H')] }], want: '<h4>H</h4>' },
    {
      name: 'quote',
      blocks: [{ type: 'quote', paragraphs: [[t('one')], [t('two')]] }],
      want: '<blockquote><p>one</p><p>two</p></blockquote>',
    },
    {
      name: 'pull quote with attribution',
      blocks: [{ type: 'pullquote', c: [t('Words.')], attribution: 'Ana Ferreira, harbor master' }],
      want: '<aside class="pullquote" role="note"><p>Words.</p><p class="pullquote-by">— Ana Ferreira, harbor master</p></aside>',
    },
    {
      name: 'pull quote without attribution',
      blocks: [{ type: 'pullquote', c: [t('Words.')] }],
      want: '<aside class="pullquote" role="note"><p>Words.</p></aside>',
    },
    {
      name: 'bullet list',
      blocks: [{ type: 'list', ordered: false, items: [[t('a')], [t('b')]] }],
      want: '<ul><li>a</li><li>b</li></ul>',
    },
    { name: 'ordered list', blocks: [{ type: 'list', ordered: true, items: [[t('a')]] }], want: '<ol><li>a</li></ol>' },
    { name: 'divider', blocks: [{ type: 'divider' }], want: '<hr>' },
    {
      name: 'embed',
      blocks: [{ type: 'embed', url: 'https://example.org/report', host: 'example.org' }],
      want:
        '<p class="embed"><a href="https://example.org/report" rel="nofollow noopener">example.org' +
        '<span class="embed-url">https://example.org/report</span></a></p>',
    },
    {
      name: 'figure with caption and credit',
      blocks: [{ type: 'image', image: ref, src: 'p.jpg', alt: 'Alt', caption: 'Cap.', credit: 'Ines Varga' }],
      want: `<figure class="figure">${renderPicture(ref, { alt: 'Alt', mediaBase: '/media', sizes: '100vw' })}<figcaption>Cap. <span class="credit">Ines Varga</span></figcaption></figure>`,
    },
    {
      name: 'figure with credit only',
      blocks: [{ type: 'image', image: ref, src: 'p.jpg', alt: 'Alt', credit: 'C' }],
      want: `<figure class="figure">${renderPicture(ref, { alt: 'Alt', mediaBase: '/media', sizes: '100vw' })}<figcaption><span class="credit">C</span></figcaption></figure>`,
    },
    {
      name: 'unresolved image renders nothing',
      blocks: [{ type: 'image', image: null, src: 'p.jpg', alt: 'Alt', caption: 'Cap.' }],
      want: '',
    },
    { name: 'code keeps its lines', blocks: [{ type: 'paragraph', c: [{ t: 'code', v: 'a\nb' }] }], want: '<p><code>a<br>b</code></p>' },
    { name: 'no blocks', blocks: [], want: '' },
  ];
  for (const { name, blocks, want } of cases) {
    it(name, () => assert.equal(render(...blocks), want));
  }

  it('separates blocks with newlines', () => {
    assert.equal(render({ type: 'divider' }, { type: 'paragraph', c: [t('x')] }), '<hr>\n<p>x</p>');
  });

  it('renders a parsed body end to end', () => {
    const html = renderBlocks(parseMarkdown('## Sub\n\nText with [a link](/x).\n\n> [!PULLQUOTE]\n> Said.\n> — Me'), opts);
    assert.equal(
      html,
      '<h2>Sub</h2>\n<p>Text with <a href="/x">a link</a>.</p>\n' +
        '<aside class="pullquote" role="note"><p>Said.</p><p class="pullquote-by">— Me</p></aside>',
    );
  });
});

describe('renderBlocks escaping of hostile content', () => {
  const evil = `<script>alert("x")</script>'&`;
  const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;';

  it('escapes text in every kind of block', () => {
    const html = render(
      { type: 'paragraph', c: [t(evil), { t: 'em', c: [t(evil)] }, { t: 'code', v: evil }] },
      { type: 'heading', level: 2, c: [t(evil)] },
      { type: 'quote', paragraphs: [[t(evil)]] },
      { type: 'pullquote', c: [t(evil)], attribution: evil },
      { type: 'list', ordered: false, items: [[t(evil)]] },
      { type: 'image', image: ref, src: 'x', alt: evil, caption: evil, credit: evil },
    );
    assert.ok(!html.includes('<script'), html);
    assert.ok(!html.includes(`"x"`), html);
    // 3 in the paragraph, 1 heading, 1 quote, 2 pull quote, 1 list, 3 figure (alt, caption, credit).
    assert.equal(html.split(escaped).length - 1, 11);
  });

  it('escapes quotes in alt so the attribute cannot be broken out of', () => {
    const html = render({ type: 'image', image: ref, src: 'x', alt: `" onerror="alert(1)`, caption: `a "b"` });
    assert.match(html, /alt="&quot; onerror=&quot;alert\(1\)"/);
    assert.ok(!html.includes(' onerror="'));
    assert.match(html, /<figcaption>a &quot;b&quot;<\/figcaption>/);
  });

  const badHrefs = ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', ' \u0000javascript:x', 'data:text/html,x', '//evil.example', 'vbscript:x'];
  for (const href of badHrefs) {
    it(`link with ${JSON.stringify(href)} injected into a block keeps only its text`, () => {
      assert.equal(render({ type: 'paragraph', c: [{ t: 'link', href, c: [t('click')] }] }), '<p>click</p>');
    });
  }

  it('escapes quotes in an allowed href', () => {
    const html = render({ type: 'paragraph', c: [{ t: 'link', href: `/a"onmouseover="x`, c: [t('a')] }] });
    assert.equal(html, '<p><a href="/a&quot;onmouseover=&quot;x">a</a></p>');
  });

  it('drops an embed whose URL is not http(s), and shows the real host otherwise', () => {
    assert.equal(render({ type: 'embed', url: 'javascript:alert(1)', host: 'example.org' }), '');
    assert.equal(render({ type: 'embed', url: '/local', host: 'example.org' }), '');
    const html = render({ type: 'embed', url: 'https://evil.example/"><script>', host: 'bank.example' });
    assert.ok(!html.includes('bank.example'));
    assert.ok(!html.includes('<script'));
    assert.match(html, /^<p class="embed"><a href="https:\/\/evil\.example\/%22%3E%3Cscript%3E" rel="nofollow noopener">evil\.example</);
  });

  it('escapes the dateline', () => {
    const html = renderBlocks([{ type: 'paragraph', c: [t('x')] }], { ...opts, dateline: '<b>OSLO</b>' });
    assert.equal(html, '<p><span class="dateline">&lt;b&gt;OSLO&lt;/b&gt;</span> — x</p>');
  });
});

describe('renderBlocks options', () => {
  it('prefixes the dateline to the first paragraph only', () => {
    const html = renderBlocks(
      [
        { type: 'heading', level: 2, c: [t('H')] },
        { type: 'paragraph', c: [t('First.')] },
        { type: 'paragraph', c: [t('Second.')] },
      ],
      { ...opts, dateline: 'SOCHI, Russia' },
    );
    assert.equal(html, '<h2>H</h2>\n<p><span class="dateline">SOCHI, Russia</span> — First.</p>\n<p>Second.</p>');
  });

  it('makes site-relative links absolute when asked', () => {
    const blocks: Block[] = [
      {
        type: 'paragraph',
        c: [
          { t: 'link', href: '/world/story', c: [t('a')] },
          { t: 'link', href: '#notes', c: [t('b')] },
          { t: 'link', href: 'https://example.org/x', c: [t('c')] },
        ],
      },
    ];
    assert.equal(
      renderBlocks(blocks, { ...opts, absoluteLinksBase: 'https://courier.example/2026/11/harbor' }),
      '<p><a href="https://courier.example/world/story">a</a>' +
        '<a href="https://courier.example/2026/11/harbor#notes">b</a><a href="https://example.org/x">c</a></p>',
    );
    assert.match(renderBlocks(blocks, opts), /href="\/world\/story"/);
  });

  it('uses imageSizes and an absolute media base for figures', () => {
    const html = renderBlocks([{ type: 'image', image: ref, src: 'x', alt: '' }], {
      mediaBase: 'https://cdn.example/media/',
      imageSizes: '(min-width: 40rem) 38rem, 100vw',
    });
    assert.match(html, /src="https:\/\/cdn\.example\/media\/abc123\/800\.jpg"/);
    assert.match(html, /sizes="\(min-width: 40rem\) 38rem, 100vw"/);
    assert.match(html, /loading="lazy"/);
  });
});

describe('renderPicture', () => {
  const base = { alt: 'A harbor', mediaBase: '/media', sizes: '100vw' };

  it('writes the full markup', () => {
    assert.equal(
      renderPicture({ id: 'h', width: 1000, height: 500, widths: [400, 800] }, base),
      '<picture><source type="image/webp" srcset="/media/h/400.webp 400w, /media/h/800.webp 800w" sizes="100vw">' +
        '<img src="/media/h/400.jpg" srcset="/media/h/400.jpg 400w, /media/h/800.jpg 800w" sizes="100vw"' +
        ' width="800" height="400" alt="A harbor" decoding="async" loading="lazy"></picture>',
    );
  });

  it('lists every width in both srcsets', () => {
    const html = renderPicture(ref, base);
    for (const w of ref.widths) {
      assert.ok(html.includes(`/media/abc123/${w}.webp ${w}w`), `webp ${w}`);
      assert.ok(html.includes(`/media/abc123/${w}.jpg ${w}w`), `jpg ${w}`);
    }
  });

  it('sizes width/height to the largest variant at the original aspect ratio', () => {
    assert.match(renderPicture(ref, base), / width="1600" height="1067" /);
  });

  it('loads the lead image eagerly at high priority, others lazily', () => {
    const lead = renderPicture(ref, { ...base, isLead: true });
    assert.match(lead, /loading="eager" fetchpriority="high"/);
    assert.ok(!lead.includes('lazy'));
    const other = renderPicture(ref, base);
    assert.match(other, /loading="lazy"/);
    assert.ok(!other.includes('fetchpriority'));
  });

  it('puts className on the img and escapes it', () => {
    assert.match(renderPicture(ref, { ...base, className: 'lead "x"' }), /<img class="lead &quot;x&quot;" src=/);
  });

  it('renders nothing without variants', () => {
    assert.equal(renderPicture({ ...ref, widths: [] }, base), '');
  });
});

describe('renderPlainText', () => {
  it('separates blocks with blank lines and formats lists, links and quotes', () => {
    const blocks = parseMarkdown(
      [
        '## Heading',
        'Read [the report](https://example.org/r) or https://example.org/x, mail desk@example.org.',
        '- one\n- two',
        '1. first\n2. second',
        '> Quoted.',
        '> [!PULLQUOTE]\n> Repeats the body.',
        '---',
        'https://example.org/embed',
        'Line  \nbreak',
      ].join('\n\n'),
    );
    assert.equal(
      renderPlainText(blocks),
      [
        'Heading',
        'Read the report (https://example.org/r) or https://example.org/x, mail desk@example.org.',
        '- one\n- two',
        '1. first\n2. second',
        '> Quoted.',
        '* * *',
        'https://example.org/embed',
        'Line\nbreak',
      ].join('\n\n'),
    );
  });

  it('drops unsafe hrefs, keeps the text, and can add a dateline and absolute links', () => {
    const blocks: Block[] = [
      { type: 'paragraph', c: [{ t: 'link', href: 'javascript:alert(1)', c: [t('bad')] }, t(' '), { t: 'link', href: '/s', c: [t('good')] }] },
      { type: 'image', image: ref, src: 'x', alt: 'a', caption: 'c' },
    ];
    assert.equal(renderPlainText(blocks), 'bad good (/s)');
    assert.equal(
      renderPlainText(blocks, { dateline: 'OSLO', absoluteLinksBase: 'https://courier.example/' }),
      'OSLO — bad good (https://courier.example/s)',
    );
  });

  it('indents continuation lines of list items', () => {
    assert.equal(renderPlainText(parseMarkdown('- Fruit\n  - apple')), '- Fruit\n  • apple');
  });

  it('is empty for no blocks', () => {
    assert.equal(renderPlainText([]), '');
  });
});

describe('renderInlines formats', () => {
  const runs: Inline[] = [
    t('a'), { t: 'br' }, { t: 'link', href: '/World/x', c: [t('site')] }, t(' '),
    { t: 'link', href: 'javascript:alert(1)', c: [t('bad')] }, t(' '), { t: 'code', v: 'x\ny' },
  ];

  it('writes HTML for the site, with site links made absolute against the base', () => {
    assert.equal(renderInlines(runs, 'https://news.example.com/'), 'a<br><a href="https://news.example.com/World/x">site</a> bad <code>x<br>y</code>');
    assert.equal(renderInlines(runs, undefined), 'a<br><a href="/World/x">site</a> bad <code>x<br>y</code>');
  });

  it('writes XHTML, and a medium’s own link rule replaces the site’s', () => {
    const seen: string[] = [];
    const linkHref = (href: string) => (seen.push(href), href.startsWith('/') ? `https://book.example${href}` : null);
    assert.equal(renderInlines(runs, undefined, { isXhtml: true, linkHref }), 'a<br/><a href="https://book.example/World/x">site</a> bad <code>x<br/>y</code>');
    assert.deepEqual(seen, ['/World/x', 'javascript:alert(1)']);
  });
});
