import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Block, Inline } from './blocks.ts';
import { collectImageSources, parseMarkdown, safeHref } from './markdown.ts';

const t = (v: string): Inline => ({ t: 'text', v });
const para = (...c: Inline[]): Block => ({ type: 'paragraph', c });

/** Every link node anywhere in a tree. */
function links(blocks: Block[]): Inline[] {
  const found: Inline[] = [];
  const walk = (inlines: Inline[]) => {
    for (const n of inlines) {
      if (n.t === 'link') found.push(n);
      if ('c' in n) walk(n.c);
    }
  };
  for (const b of blocks) {
    if ('c' in b) walk(b.c);
    if (b.type === 'quote') b.paragraphs.forEach(walk);
    if (b.type === 'list') b.items.forEach(walk);
  }
  return found;
}

describe('parseMarkdown blocks', () => {
  const cases: { name: string; md: string; want: Block[] }[] = [
    { name: 'empty input', md: '', want: [] },
    { name: 'whitespace only', md: '  \n\n \n', want: [] },
    {
      name: 'paragraphs with inline markup',
      md: 'One *two* **three** `four`\nfive  \nsix\n\nSecond.',
      want: [
        para(
          t('One '),
          { t: 'em', c: [t('two')] },
          t(' '),
          { t: 'strong', c: [t('three')] },
          t(' '),
          { t: 'code', v: 'four' },
          t(' five'),
          { t: 'br' },
          t('six'),
        ),
        para(t('Second.')),
      ],
    },
    {
      name: 'headings map to levels 2-4',
      md: '# A\n\n## B\n\n### C\n\n#### D\n\n###### F',
      want: [
        { type: 'heading', level: 2, c: [t('A')] },
        { type: 'heading', level: 2, c: [t('B')] },
        { type: 'heading', level: 3, c: [t('C')] },
        { type: 'heading', level: 4, c: [t('D')] },
        { type: 'heading', level: 4, c: [t('F')] },
      ],
    },
    {
      name: 'quote keeps its paragraphs',
      md: '> First.\n>\n> Second.',
      want: [{ type: 'quote', paragraphs: [[t('First.')], [t('Second.')]] }],
    },
    {
      name: 'pull quote with attribution (em dash)',
      md: '> [!PULLQUOTE]\n> "We are not waiting."\n> — Ana Ferreira, harbor master',
      want: [{ type: 'pullquote', c: [t('“We are not waiting.”')], attribution: 'Ana Ferreira, harbor master' }],
    },
    {
      name: 'pull quote attribution with en dash, marker in lower case',
      md: '> [!pullquote]\n> Words.\n> – Someone',
      want: [{ type: 'pullquote', c: [t('Words.')], attribution: 'Someone' }],
    },
    {
      name: 'pull quote attribution with --',
      md: '> [!PULLQUOTE]\n> Words.\n> -- Someone, role',
      want: [{ type: 'pullquote', c: [t('Words.')], attribution: 'Someone, role' }],
    },
    {
      name: 'pull quote without attribution, lines joined',
      md: '> [!PULLQUOTE]\n> Two lines\n> of *quote*.',
      want: [{ type: 'pullquote', c: [t('Two lines of '), { t: 'em', c: [t('quote')] }, t('.')] }],
    },
    {
      name: 'a lone dash line is quote text, not attribution',
      md: '> [!PULLQUOTE]\n> — Only this',
      want: [{ type: 'pullquote', c: [t('— Only this')] }],
    },
    { name: 'empty pull quote is dropped', md: '> [!PULLQUOTE]', want: [] },
    {
      name: 'bullet and ordered lists',
      md: '- one\n- *two*\n\n1. first\n2. second',
      want: [
        { type: 'list', ordered: false, items: [[t('one')], [{ t: 'em', c: [t('two')] }]] },
        { type: 'list', ordered: true, items: [[t('first')], [t('second')]] },
      ],
    },
    {
      name: 'nested lists flatten into the item; item paragraphs are joined',
      md: '- Fruit\n  - apple\n  - pear\n- Veg\n\n  More on veg.\n\n  1. leek',
      want: [
        {
          type: 'list',
          ordered: false,
          items: [
            [t('Fruit'), { t: 'br' }, t('• apple'), { t: 'br' }, t('• pear')],
            [t('Veg More on veg.'), { t: 'br' }, t('1. leek')],
          ],
        },
      ],
    },
    {
      name: 'standalone image with caption and credit',
      md: '![A harbor at dawn](photos/tidal-harbor.jpg "The harbor at Bergen. | Illustration by Ines Varga")',
      want: [
        {
          type: 'image',
          image: null,
          src: 'photos/tidal-harbor.jpg',
          alt: 'A harbor at dawn',
          caption: 'The harbor at Bergen.',
          credit: 'Illustration by Ines Varga',
        },
      ],
    },
    {
      name: 'standalone image: caption only, path with a space kept as written',
      md: '![alt](<photos/my pic.jpg> "Just a caption")',
      want: [{ type: 'image', image: null, src: 'photos/my pic.jpg', alt: 'alt', caption: 'Just a caption' }],
    },
    {
      name: 'standalone image without title',
      md: '![](photos/x.jpg)',
      want: [{ type: 'image', image: null, src: 'photos/x.jpg', alt: '' }],
    },
    {
      name: 'image in running text keeps only its alt text',
      md: 'Before ![a chart](photos/c.jpg) after.',
      want: [para(t('Before a chart after.'))],
    },
    {
      name: 'bare URL paragraph is an embed',
      md: 'https://example.org/report?id=7',
      want: [{ type: 'embed', url: 'https://example.org/report?id=7', host: 'example.org' }],
    },
    {
      name: 'angle-bracket autolink paragraph is an embed',
      md: '<https://www.example.com/a>',
      want: [{ type: 'embed', url: 'https://www.example.com/a', host: 'www.example.com' }],
    },
    {
      name: 'URL inside text is a link, not an embed',
      md: 'See https://example.org/x today.',
      want: [para(t('See '), { t: 'link', href: 'https://example.org/x', c: [t('https://example.org/x')] }, t(' today.'))],
    },
    {
      name: 'a written link alone is not an embed',
      md: '[the report](https://example.org/r)',
      want: [para({ t: 'link', href: 'https://example.org/r', c: [t('the report')] })],
    },
    { name: 'scheme-less domain names stay text', md: 'Booking.com said so.', want: [para(t('Booking.com said so.'))] },
    { name: 'divider', md: 'a\n\n---\n\nb', want: [para(t('a')), { type: 'divider' }, para(t('b'))] },
    {
      name: 'fenced and indented code become code paragraphs',
      md: '```js\nx < 1\ny\n```\n\n    indented',
      want: [para({ t: 'code', v: 'x < 1\ny' }), para({ t: 'code', v: 'indented' })],
    },
    {
      name: 'table rows become paragraphs',
      md: '| City | Share |\n|---|---|\n| Oslo | *12%* |\n| Bergen | |',
      want: [para(t('City · Share')), para(t('Oslo · '), { t: 'em', c: [t('12%')] }), para(t('Bergen'))],
    },
    {
      name: 'smart quotes and dashes',
      md: `"Quoted" and 'single' -- it's fine`,
      want: [para(t('“Quoted” and ‘single’ – it’s fine'))],
    },
    {
      name: 'site-relative and mailto links are kept',
      md: '[a](/world/story) [b](#notes) [c](mailto:desk@example.org)',
      want: [
        para(
          { t: 'link', href: '/world/story', c: [t('a')] },
          t(' '),
          { t: 'link', href: '#notes', c: [t('b')] },
          t(' '),
          { t: 'link', href: 'mailto:desk@example.org', c: [t('c')] },
        ),
      ],
    },
  ];

  for (const { name, md, want } of cases) {
    it(name, () => assert.deepEqual(parseMarkdown(md), want));
  }
});

describe('raw HTML', () => {
  it('comes out as text, never markup', () => {
    assert.deepEqual(parseMarkdown('<script>alert(1)</script>'), [para(t('<script>alert(1)</script>'))]);
  });

  it('inline HTML stays literal text', () => {
    assert.deepEqual(parseMarkdown('a <b onclick="x()">b</b>'), [para(t('a <b onclick=“x()”>b</b>'))]);
  });

  it('an HTML block is a paragraph of text', () => {
    const blocks = parseMarkdown('<div>\n<img src=x onerror=alert(1)>\n</div>');
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0].type, 'paragraph');
    assert.deepEqual(links(blocks), []);
  });
});

describe('unsafe links become plain text', () => {
  const hostile = [
    ['javascript:', '[click](javascript:alert(1))'],
    ['mixed case', '[click](JaVaScRiPt:alert(1))'],
    ['entity-encoded letter', '[click](&#106;avascript:alert(1))'],
    ['entity-encoded colon', '[click](javascript&colon;alert(1))'],
    ['tab inside the scheme', '[click](java&#9;script:alert(1))'],
    ['newline inside the scheme', '[click](<java&#10;script:alert(1)>)'],
    ['leading control character', '[click](&#1;javascript:alert(1))'],
    ['data:', '[click](data:text/html;base64,PHNjcmlwdD4=)'],
    ['vbscript:', '[click](vbscript:msgbox(1))'],
    ['protocol-relative', '[click](//evil.example/x)'],
    ['relative path', '[click](evil.html)'],
    ['reference-style', '[click][x]\n\n[x]: javascript:alert(1)'],
  ] as const;

  for (const [name, md] of hostile) {
    it(name, () => {
      const blocks = parseMarkdown(md);
      assert.deepEqual(links(blocks), []);
      assert.deepEqual(blocks, [para(t('click'))]);
    });
  }

  it('a backslash after the slash stays a path on this site', () => {
    // markdown-it percent-encodes the backslash, so browsers cannot read it as `//evil.example`.
    assert.deepEqual(parseMarkdown('[click](/\\evil.example/x)'), [
      para({ t: 'link', href: '/%5Cevil.example/x', c: [t('click')] }),
    ]);
  });

  it('angle-bracket autolink to javascript: is text', () => {
    const blocks = parseMarkdown('<javascript:alert(1)>');
    assert.deepEqual(links(blocks), []);
    assert.deepEqual(blocks, [para(t('javascript:alert(1)'))]);
  });
});

describe('safeHref', () => {
  const table: [string, string | null][] = [
    ['https://example.org/a?b=c#d', 'https://example.org/a?b=c#d'],
    ['HTTP://Example.org', 'http://example.org/'],
    ['mailto:desk@example.org', 'mailto:desk@example.org'],
    ['/world/story', '/world/story'],
    ['#notes', '#notes'],
    ['  /padded  ', '/padded'],
    ['javascript:alert(1)', null],
    ['JaVaScRiPt:alert(1)', null],
    ['java\tscript:alert(1)', null],
    ['java\nscript:alert(1)', null],
    [' \u0001javascript:alert(1)', null],
    ['&#106;avascript:alert(1)', null],
    ['data:text/html,<script>alert(1)</script>', null],
    ['vbscript:msgbox(1)', null],
    ['file:///etc/passwd', null],
    ['//evil.example', null],
    ['/\\evil.example', null],
    ['/\t/evil.example', null],
    ['relative/path', null],
    ['', null],
  ];
  for (const [input, want] of table) {
    it(JSON.stringify(input), () => assert.equal(safeHref(input), want));
  }
});

describe('collectImageSources', () => {
  it('lists figure sources once, in order, ignoring inline images', () => {
    const blocks = parseMarkdown('![a](photos/a.jpg)\n\nText ![x](photos/x.jpg).\n\n![b](photos/b.jpg)\n\n![a again](photos/a.jpg)');
    assert.deepEqual(collectImageSources(blocks), ['photos/a.jpg', 'photos/b.jpg']);
  });

  it('is empty for a body without figures', () => {
    assert.deepEqual(collectImageSources(parseMarkdown('Just text.')), []);
  });
});
