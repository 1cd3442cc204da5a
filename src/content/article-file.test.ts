import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseArticleFile } from './article-file.ts';

const fm = (lines: string) => `---\n${lines}\n---\nBody.\n`;
const BASE = 'headline: "Harbor opens"\nsection: World/Europe\nauthors: [Jo Reporter]';

describe('parseArticleFile', () => {
  it('parses the contract example with defaults', () => {
    const r = parseArticleFile(fm(`${BASE}\npublished: "2015-05-12T18:30:00-04:00"`));
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.equal(r.frontMatter.published, Date.parse('2015-05-12T22:30:00Z'));
    assert.equal(r.frontMatter.access, undefined, 'absent: the section default applies at import');
    assert.deepEqual(r.frontMatter.tags, []);
    assert.equal(r.body, 'Body.');
  });

  it('accepts a single author as a string, CRLF line ends and a BOM', () => {
    const r = parseArticleFile('\uFEFF' + fm('headline: x\nsection: USA\nauthors: Jo').replace(/\n/g, '\r\n'));
    assert.ok(r.ok && r.frontMatter.authors[0] === 'Jo');
  });

  const bad: [string, string, RegExp][] = [
    ['no fences', 'headline: x', /no front matter/],
    ['a list', fm('- a\n- b'), /set of "field: value"/],
    ['duplicate keys', fm(`${BASE}\nheadline: again`), /not valid YAML/],
    ['no authors', fm('headline: x\nsection: USA\nauthors: []'), /authors needs at least one name/],
    ['a date without offset', fm(`${BASE}\npublished: "2015-05-12"`), /UTC offset/],
    ['30 February', fm(`${BASE}\npublished: "2015-02-30T10:00:00Z"`), /not a real date/],
    ['a bad correction date', fm(`${BASE}\ncorrections: [{date: "yesterday", text: x}]`), /corrections\.0\.date/],
    ['a bad slug', fm(`${BASE}\nslug: "a b"`), /slug may hold only/],
    ['an overlong headline', fm(`headline: "${'x'.repeat(400)}"\nsection: USA\nauthors: [a]`), /at most 300/],
  ];
  for (const [name, source, reason] of bad) {
    it(`rejects ${name}`, () => {
      const r = parseArticleFile(source);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.problems.join('; '), reason);
    });
  }
});
