import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { letterText, renderLetter, type LetterContent } from './render.ts';
import { safeCtaUrl } from './cta-url.ts';

const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

const letter: LetterContent = {
  id: 7,
  title: 'Dear Reader,',
  bodyMd: 'First paragraph with **strong** words.\n\nSecond paragraph, [our plans](/subscribe).',
  signature: 'Ruth Abernathy\nEditor, The Northfield Courier',
  ctaLabel: 'Subscribe',
  ctaUrl: '/subscribe',
};

describe('renderLetter', () => {
  it('renders an aside labelled by its heading, with body, signature and button', () => {
    const html = renderLetter(letter, null, { ctaHref: '/subscribe' });
    assert.match(html, /^<aside class="letter" data-letter="7" aria-labelledby="letter-7-title">/);
    assert.match(html, /<h2 class="letter-title" id="letter-7-title">Dear Reader,<\/h2>/);
    assert.match(html, /<div class="letter-body"><p>First paragraph with <strong>strong<\/strong> words\.<\/p>/);
    assert.match(html, /<a href="\/subscribe">our plans<\/a>/);
    assert.match(html, /<p class="letter-signature"><span class="letter-signer">Ruth Abernathy<\/span><span class="letter-signer-role">Editor, The Northfield Courier<\/span><\/p>/);
    assert.match(html, /<a class="btn letter-button" href="\/subscribe" data-letter-cta><span class="letter-cta-label">Subscribe<\/span><\/a>/);
    assert.doesNotMatch(html, /data-variant/);
    assert.match(html, /<\/aside>$/);
  });

  it("a variant's words replace the letter's; its null fields keep the letter's", () => {
    const html = renderLetter(letter, { id: 3, title: 'A note from the editor', bodyMd: null, ctaLabel: 'Support our reporting' }, { ctaHref: '/subscribe' });
    assert.match(html, /data-letter="7" data-variant="3"/);
    assert.match(html, /id="letter-7-title">A note from the editor</);
    assert.match(html, /First paragraph/);
    assert.match(html, /letter-cta-label">Support our reporting</);
    assert.deepEqual(letterText(letter, { id: 4, title: null, bodyMd: 'Other body', ctaLabel: null }), { title: 'Dear Reader,', bodyMd: 'Other body', ctaLabel: 'Subscribe' });
  });

  it('puts the offer headline on the button when given', () => {
    const html = renderLetter(letter, null, { ctaHref: '/subscribe?offer=intro-15', offerHeadline: '$15 for your first 6 months' });
    assert.match(html, /href="\/subscribe\?offer=intro-15"/);
    assert.match(html, /<span class="letter-cta-label">Subscribe<\/span> <span class="letter-cta-offer">\$15 for your first 6 months<\/span><\/a>/);
    assert.doesNotMatch(renderLetter(letter, null, { ctaHref: '/subscribe', offerHeadline: '  ' }), /letter-cta-offer/);
  });

  it('escapes everything an editor typed and drops unsafe links', () => {
    const hostile: LetterContent = {
      id: 1,
      title: `Title ${HOSTILE}`,
      bodyMd: `Body ${HOSTILE} and [click](javascript:alert(1)) and [data](data:text/html,x) and [ok](https://example.org/a?b=1&c=2).\n\n<b>raw</b>`,
      signature: `Name ${HOSTILE}\nRole "quoted"`,
      ctaLabel: `Label ${HOSTILE}`,
      ctaUrl: '/subscribe',
    };
    const html = renderLetter(hostile, null, { ctaHref: '/subscribe', offerHeadline: `Offer ${HOSTILE}` });
    assert.doesNotMatch(html, /<script|<img|<b>|javascript:|data:text/i);
    assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
    assert.match(html, /and click and data and <a href="https:\/\/example\.org\/a\?b=1&amp;c=2">ok<\/a>/);
    assert.match(html, /Role &quot;quoted&quot;/);
  });

  it('never emits an unsafe button link: falls back to the letter\'s, then /subscribe', () => {
    assert.match(renderLetter(letter, null, { ctaHref: 'javascript:alert(1)' }), /class="btn letter-button" href="\/subscribe"/);
    assert.match(renderLetter({ ...letter, ctaUrl: 'https://shop.example.org/join' }, null, { ctaHref: '//evil.example' }), /href="https:\/\/shop\.example\.org\/join"/);
    assert.match(renderLetter({ ...letter, ctaUrl: 'mailto:x@example.org' }, null, { ctaHref: '#top' }), /class="btn letter-button" href="\/subscribe"/);
  });

  it('keeps body headings under the letter heading and leaves pictures out', () => {
    const html = renderLetter({ ...letter, bodyMd: '## Why now\n\nText.\n\n![A photo](photo.jpg)' }, null, { ctaHref: '/subscribe' });
    assert.match(html, /<h3>Why now<\/h3>/);
    assert.doesNotMatch(html, /<h2>Why now|<figure|photo\.jpg/);
  });
});

describe('safeCtaUrl', () => {
  const cases: [string, string | null][] = [
    ['/subscribe', '/subscribe'],
    ['/subscribe?offer=intro-15', '/subscribe?offer=intro-15'],
    ['https://example.org/join', 'https://example.org/join'],
    ['http://example.org', 'http://example.org/'],
    ['  /subscribe  ', '/subscribe'],
    ['subscribe', null],
    ['#subscribe', null],
    ['//evil.example/x', null],
    ['/\\evil.example', null],
    ['javascript:alert(1)', null],
    ['java\tscript:alert(1)', null],
    ['mailto:editor@example.org', null],
    ['ftp://example.org/file', null],
    ['', null],
  ];
  for (const [value, expected] of cases) {
    it(`${JSON.stringify(value)} → ${expected}`, () => assert.equal(safeCtaUrl(value), expected));
  }
});
