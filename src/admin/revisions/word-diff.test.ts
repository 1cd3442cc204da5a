import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { collapseUnchanged, diffBody, diffWords, splitParagraphs, tokenize, type BodyItem } from './word-diff.ts';

describe('tokenize', () => {
  it('keeps punctuation with its word and the spacing after it', () => {
    assert.deepEqual(tokenize('Kerry, Putin meet — "at last."'), ['Kerry, ', 'Putin ', 'meet ', '— ', '"at ', 'last."']);
    assert.deepEqual(tokenize(''), []);
    assert.deepEqual(tokenize('[a link](https://x.example/y)'), ['[a ', 'link](https://x.example/y)']);
  });
});

describe('diffWords', () => {
  it('finds no changes in identical texts', () => {
    const d = diffWords('The harbor reopened on Monday.', 'The harbor reopened on Monday.');
    assert.deepEqual(d.parts, [{ op: 'same', text: 'The harbor reopened on Monday.' }]);
    assert.equal(d.added, 0);
    assert.equal(d.removed, 0);
    assert.equal(d.similarity, 1);
  });

  it('ignores differences of spacing only', () => {
    const d = diffWords('The  harbor\nreopened', 'The harbor reopened');
    assert.ok(d.parts.every((p) => p.op === 'same'));
  });

  it('marks a removed word and an inserted sentence', () => {
    const d = diffWords('The old harbor reopened.', 'The harbor reopened. Ships came back.');
    assert.deepEqual(d.parts, [
      { op: 'same', text: 'The ' },
      { op: 'del', text: 'old ' },
      { op: 'same', text: 'harbor reopened. ' },
      { op: 'ins', text: 'Ships came back.' },
    ]);
    assert.equal(d.added, 3);
    assert.equal(d.removed, 1);
  });

  it('treats a change of punctuation as a change of that word', () => {
    const d = diffWords('Kerry and Putin meet', 'Kerry, and Putin meet');
    assert.deepEqual(d.parts.filter((p) => p.op !== 'same'), [
      { op: 'del', text: 'Kerry ' },
      { op: 'ins', text: 'Kerry, ' },
    ]);
  });

  it('does not count punctuation alone as a word', () => {
    assert.equal(diffWords('a b', 'a — b').added, 0);
  });
});

describe('splitParagraphs', () => {
  it('splits on blank lines and drops empty ones', () => {
    assert.deepEqual(splitParagraphs('One.\r\n\r\nTwo\nlines.\n\n \n\nThree.\n'), ['One.', 'Two\nlines.', 'Three.']);
    assert.deepEqual(splitParagraphs('  \n'), []);
  });
});

describe('diffBody', () => {
  const body = (...ps: string[]) => ps.join('\n\n');

  it('finds no changes in identical bodies', () => {
    const d = diffBody(body('A one.', 'B two.'), body('A one.', 'B two.'));
    assert.equal(d.isChanged, false);
    assert.deepEqual(d.items.map((i) => i.kind), ['same', 'same']);
    assert.equal(d.added + d.removed, 0);
  });

  it('shows an edited paragraph word by word and counts the words', () => {
    const d = diffBody(body('Intro stays.', 'The ferry left at noon.'), body('Intro stays.', 'The ferry left at dawn, on time.'));
    assert.equal(d.items[0].kind, 'same');
    const changed = d.items[1];
    assert.equal(changed.kind, 'changed');
    if (changed.kind !== 'changed') return;
    assert.deepEqual(changed.parts.filter((p) => p.op !== 'same'), [
      { op: 'del', text: 'noon.' },
      { op: 'ins', text: 'dawn, on time.' },
    ]);
    assert.equal(d.added, 3);
    assert.equal(d.removed, 1);
  });

  it('shows a rewritten paragraph as removed and added', () => {
    const d = diffBody(body('Keep.', 'Completely different words here.'), body('Keep.', 'Nothing alike in this one at all.'));
    assert.deepEqual(d.items.map((i) => i.kind), ['same', 'removed', 'added']);
    assert.equal(d.removed, 4);
    assert.equal(d.added, 7);
  });

  it('counts a moved paragraph as a deletion and an insertion', () => {
    const d = diffBody(body('Alpha paragraph.', 'Beta paragraph.', 'Gamma paragraph.'), body('Beta paragraph.', 'Gamma paragraph.', 'Alpha paragraph.'));
    assert.deepEqual(d.items, [
      { kind: 'removed', text: 'Alpha paragraph.' },
      { kind: 'same', text: 'Beta paragraph.' },
      { kind: 'same', text: 'Gamma paragraph.' },
      { kind: 'added', text: 'Alpha paragraph.' },
    ]);
    assert.equal(d.added, 2);
    assert.equal(d.removed, 2);
  });

  it('keeps added paragraphs in place around a changed one', () => {
    const d = diffBody(body('The vote was close.'), body('A new opening line here.', 'The vote was very close.'));
    assert.deepEqual(d.items.map((i) => i.kind), ['added', 'changed']);
  });

  it('handles empty bodies', () => {
    assert.deepEqual(diffBody('', '').items, []);
    const d = diffBody('', 'Now there is text.');
    assert.deepEqual(d.items, [{ kind: 'added', text: 'Now there is text.' }]);
    assert.equal(d.added, 4);
  });
});

describe('collapseUnchanged', () => {
  const same = (n: number): BodyItem[] => Array.from({ length: n }, (_, i) => ({ kind: 'same', text: `p${i}` }));
  const change: BodyItem = { kind: 'added', text: 'new' };
  const shape = (items: ReturnType<typeof collapseUnchanged>) => items.map((i) => (i.kind === 'collapsed' ? `…${i.count}` : i.kind === 'same' ? '=' : '+'));

  it('folds the middle of a long unchanged run, keeping one paragraph of context each side', () => {
    assert.deepEqual(shape(collapseUnchanged([change, ...same(5), change])), ['+', '=', '…3', '=', '+']);
  });

  it('folds leading and trailing runs up to the context', () => {
    assert.deepEqual(shape(collapseUnchanged([...same(4), change, ...same(4)])), ['…3', '=', '+', '=', '…3']);
  });

  it('leaves short runs alone: hiding one paragraph saves nothing', () => {
    assert.deepEqual(shape(collapseUnchanged([change, ...same(3), change])), ['+', '=', '=', '=', '+']);
    assert.deepEqual(shape(collapseUnchanged([...same(2), change])), ['=', '=', '+']);
  });

  it('folds a body with no changes into one line', () => {
    assert.deepEqual(shape(collapseUnchanged(same(6))), ['…6']);
    assert.deepEqual(collapseUnchanged([]), []);
  });

  it('takes a wider context', () => {
    assert.deepEqual(shape(collapseUnchanged([change, ...same(6), change], { context: 2 })), ['+', '=', '=', '…2', '=', '=', '+']);
  });
});
