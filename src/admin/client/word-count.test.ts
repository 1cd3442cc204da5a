import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bodyText, countWords as serverCountWords } from '../../content/blocks.ts';
import { parseMarkdown } from '../../content/markdown.ts';
import { countMarkdownWords, readingMinutes } from './word-count.ts';

/** What the server stores as the story's word count on save. */
const serverCount = (md: string) => serverCountWords(bodyText(parseMarkdown(md)));

const SAMPLES: [string, string][] = [
  ['plain paragraphs', 'The harbor master said the ice came early.\n\nShips waited three days outside the breakwater.'],
  ['emphasis and code', 'It was *very* cold, **colder** than in `2019`, and _nobody_ expected it.'],
  ['links keep their words, not their destinations', 'Read [the full report](https://example.com/reports/ice-2026 "Report") and [this](/World/2026/1120/x).'],
  ['headings and lists', '## What happened\n\n- First the wind\n- Then the ice\n\n1. One\n2. Two words\n\n### Next'],
  ['a figure from the library is not counted', 'Before the picture.\n\n![Ships in the ice at dawn](image:0123456789abcdef01234567 "Ships waiting | Jane Doe/Courier")\n\nAfter the picture.'],
  ['a pull quote repeats the body and is not counted', 'The mayor spoke.\n\n> [!PULLQUOTE]\n> We will open the harbor by Friday.\n>\n> — Mayor Ellen Strand\n\nShe left.'],
  ['an ordinary quote is counted', '> We will open the harbor by Friday,\n> she said.\n\nThen she left.'],
  ['a bare URL on its own line is an embed', 'Watch the video:\n\nhttps://video.example.com/watch?v=abc123\n\nIt shows the ice.'],
  ['a URL in running text is counted as written', 'The data is at https://data.example.com/ice and updated daily.'],
  ['apostrophes, hyphens and numbers', "The port's 24-hour crews didn't stop; it’s a well-known 3.5 km stretch."],
  ['a divider and hard breaks', 'Line one  \nline two\n\n---\n\nAfter the break.'],
  ['fenced code', 'Before.\n\n```js\nconst ice = thick;\n```\n\nAfter.'],
  ['entities and escapes', 'Salt &amp; pepper, 5 \\* 3, and AT&T.'],
  ['non-Latin scripts', 'Гавань закрыта. 港口关闭了 today.'],
  ['an inline image keeps its alt text', 'A map ![of the harbor](image:0123456789abcdef01234567) here.'],
  ['a table', '| Ship | Days |\n|---|---|\n| Nordlys | 3 |\n| Vesteraalen | 2 |'],
  ['empty', ''],
];

describe('word count as the server counts it', () => {
  for (const [name, md] of SAMPLES) {
    it(name, () => {
      assert.equal(countMarkdownWords(md), serverCount(md));
    });
  }

  it('handles Windows line endings like Unix ones', () => {
    const md = '## Head\r\n\r\n![A](image:0123456789abcdef01234567)\r\n\r\nOne two three.';
    assert.equal(countMarkdownWords(md), serverCount(md.replace(/\r\n/g, '\n')));
    assert.equal(countMarkdownWords(md), 4);
  });
});

describe('reading time at 230 words a minute', () => {
  it('is 0 for an empty body, at least one minute otherwise, rounded', () => {
    assert.equal(readingMinutes(0), 0);
    assert.equal(readingMinutes(1), 1);
    assert.equal(readingMinutes(344), 1);
    assert.equal(readingMinutes(345), 2);
    assert.equal(readingMinutes(2300), 10);
  });
});
