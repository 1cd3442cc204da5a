import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMarkdown } from '../../content/markdown.ts';
import { ALT_PLACEHOLDER, figureMarkdown, insertFigure } from './figure-snippet.ts';

const ID = '0123456789abcdef01234567';

function apply(value: string, start: number, end: number) {
  const at = insertFigure(value, start, end, ID);
  const next = value.slice(0, at.start) + at.text + value.slice(at.end);
  return { next, selected: next.slice(at.selectStart, at.selectEnd) };
}

describe('figure snippet', () => {
  it('writes the library reference with a caption and credit the parser splits', () => {
    assert.equal(figureMarkdown(ID), `![Describe the picture](image:${ID} "Caption | Credit")`);
    const [block] = parseMarkdown(figureMarkdown(ID, { caption: 'Ships at dawn', credit: 'Jane Doe/Courier' }));
    assert.deepEqual(block, { type: 'image', image: null, src: `image:${ID}`, alt: ALT_PLACEHOLDER, caption: 'Ships at dawn', credit: 'Jane Doe/Courier' });
  });

  it('keeps a double quote in a caption from ending the title', () => {
    assert.match(figureMarkdown(ID, { caption: 'The "Nordlys"', credit: 'AP' }), /"The ”Nordlys” \| AP"\)$/);
  });

  const cases: [string, string, number, number][] = [
    ['into an empty body', '', 0, 0],
    ['in the middle of a paragraph', 'First half second half.', 11, 11],
    ['at the end of a paragraph', 'One paragraph.', 14, 14],
    ['between paragraphs', 'One.\n\nTwo.', 5, 5],
    ['at the start of the body', 'Only text.', 0, 0],
    ['after a line break', 'One.\nTwo.', 5, 5],
    ['over a selection', 'Replace THIS word.', 8, 12],
    ['with a backwards selection', 'Replace THIS word.', 12, 8],
    ['past the end (clamped)', 'Short.', 99, 99],
  ];
  for (const [name, value, start, end] of cases) {
    it(`stands as its own paragraph, alt text selected: ${name}`, () => {
      const { next, selected } = apply(value, start, end);
      assert.equal(selected, ALT_PLACEHOLDER);
      const figures = parseMarkdown(next).filter((b) => b.type === 'image');
      assert.equal(figures.length, 1, next);
      assert.equal(figures[0].type === 'image' && figures[0].src, `image:${ID}`);
      // Nothing the writer wrote is lost (a selection is replaced).
      const kept = value.slice(0, Math.min(start, end)) + value.slice(Math.max(start, end));
      assert.equal(next.replace(figureMarkdown(ID), '').replace(/\s+/g, ' ').trim(), kept.replace(/\s+/g, ' ').trim());
    });
  }

  it('adds no extra blank lines when the cursor already sits between paragraphs', () => {
    const { next } = apply('One.\n\n\n\nTwo.', 6, 6);
    assert.equal(next, `One.\n\n${figureMarkdown(ID)}\n\nTwo.`);
  });
});
