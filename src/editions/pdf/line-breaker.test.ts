import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Run, RunStyle } from './inline-runs.ts';
import { breakLines, type Measure } from './line-breaker.ts';

// Every character is 1 unit wide, so widths are lengths and expectations are easy to read.
const style: RunStyle = { font: 'serif', size: 10, color: '#000' };
const measure: Measure = (text) => text.length;
const run = (text: string): Run => ({ text, style });
const lineText = (pieces: { text: string }[]) => pieces.map((p) => p.text).join(' ');

test('fills lines greedily and never exceeds the width', () => {
  const lines = breakLines({ runs: [run('aa bb cc dd ee ff')], width: 8, measure });
  assert.deepEqual(lines.map((l) => lineText(l.pieces)), ['aa bb cc', 'dd ee ff']);
  for (const line of lines) assert.ok(line.pieces.every((p) => p.x + p.width <= 8));
});

test('justifies every line but the last by widening the spaces', () => {
  const lines = breakLines({ runs: [run('aa bb cc dd ee')], width: 9, measure, align: 'justify' });
  assert.equal(lines.length, 2);
  const first = lines[0].pieces;
  assert.equal(first[first.length - 1].x + first[first.length - 1].width, 9, 'first line reaches the right edge');
  assert.equal(lines[1].pieces[1].x, 3, 'last line keeps plain spaces');
});

test('hyphenates a word that does not fit when the line would be loose', () => {
  const hyphenate = (w: string) => (w === 'harbormaster' ? ['har', 'bor', 'mas', 'ter'] : [w]);
  const lines = breakLines({ runs: [run('the harbormaster said')], width: 12, measure, hyphenate });
  assert.equal(lines[0].pieces.at(-1)!.text, 'harbor-');
  assert.equal(lines[0].isHyphenated, true);
  assert.equal(lines[1].pieces[0].text, 'master');
});

test('keeps styles and links on the pieces, and indents the first line', () => {
  const bold: RunStyle = { ...style, font: 'serif-semibold' };
  const lines = breakLines({ runs: [run('see '), { text: 'the map', style: bold, href: 'https://example.com' }, run('.')], width: 40, measure, firstIndent: 3 });
  assert.equal(lines[0].pieces[0].x, 3);
  const map = lines[0].pieces.find((p) => p.text === 'map')!;
  assert.equal(map.style.font, 'serif-semibold');
  assert.equal(map.href, 'https://example.com');
  // "map" and "." are one word in two styles: no space between them.
  const dot = lines[0].pieces.find((p) => p.text === '.')!;
  assert.equal(dot.x, map.x + map.width);
});

test('cuts a word longer than the line instead of overflowing', () => {
  const lines = breakLines({ runs: [run('https://example.com/a/very/long/path')], width: 10, measure });
  assert.ok(lines.length >= 4);
  for (const line of lines) assert.ok(line.width <= 10);
  assert.equal(lines.map((l) => l.pieces.map((p) => p.text).join('')).join(''), 'https://example.com/a/very/long/path');
});

test('a br forces a new line', () => {
  const lines = breakLines({ runs: [run('one'), { text: '', style, isBreak: true }, run('two')], width: 40, measure, align: 'justify' });
  assert.deepEqual(lines.map((l) => lineText(l.pieces)), ['one', 'two']);
});
