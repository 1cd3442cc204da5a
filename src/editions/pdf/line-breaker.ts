// Breaks styled runs into lines of a given width: greedy filling, English hyphenation when a
// line would otherwise be loose, justification by widening the word spaces. Pure: widths come
// from the `measure` function passed in, so it is tested without a PDF.
import type { Run, RunStyle } from './inline-runs.ts';
import type { Hyphenator } from './hyphenation.ts';

export type Measure = (text: string, style: RunStyle) => number;
export type Align = 'justify' | 'left' | 'center' | 'right';

/** One word (or part of one) in its place on a line. */
export interface Piece {
  text: string;
  style: RunStyle;
  href?: string;
  /** From the line's left edge. */
  x: number;
  width: number;
}

export interface Line {
  pieces: Piece[];
  /** Width the line fills once aligned. */
  width: number;
  isHyphenated: boolean;
}

export interface BreakOptions {
  runs: Run[];
  width: number;
  measure: Measure;
  align?: Align;
  /** Indent of the first line (paragraph indent). */
  firstIndent?: number;
  hyphenate?: Hyphenator;
}

interface Segment {
  text: string;
  style: RunStyle;
  href?: string;
  width: number;
}

type Token = { kind: 'word'; segments: Segment[]; width: number } | { kind: 'space'; style: RunStyle } | { kind: 'break' };

/** Looser than this share of the line, and a word that does not fit is hyphenated instead. */
const HYPHENATE_WHEN_SLACK = 0.035;
/** Hyphens on more consecutive lines than this read as a ladder. */
const MAX_HYPHEN_LADDER = 2;
/** A justified line is never stretched more than this per space; it goes ragged instead. */
const MAX_SPACE_STRETCH = 12;

export function breakLines(opts: BreakOptions): Line[] {
  const { measure, width } = opts;
  const align = opts.align ?? 'left';
  const tokens = tokenize(opts.runs, measure);
  const lines: Line[] = [];

  let current: { items: (Segment[] | { space: number })[]; width: number } = { items: [], width: 0 };
  let pendingSpace: RunStyle | null = null;
  let ladder = 0;
  const indentOf = () => (lines.length === 0 ? (opts.firstIndent ?? 0) : 0);
  const available = () => width - indentOf();

  const flush = (how: { isHyphenated: boolean; isLast: boolean }) => {
    lines.push(layoutLine({ items: current.items, naturalWidth: current.width, indent: indentOf(), width, align, ...how }));
    current = { items: [], width: 0 };
    pendingSpace = null;
    ladder = how.isHyphenated ? ladder + 1 : 0;
  };
  const push = (segments: Segment[], segWidth: number, spaceWidth: number) => {
    if (current.items.length > 0 && spaceWidth > 0) current.items.push({ space: spaceWidth });
    current.items.push(segments);
    current.width += spaceWidth + segWidth;
    pendingSpace = null;
  };

  for (const token of tokens) {
    if (token.kind === 'space') {
      if (current.items.length > 0) pendingSpace = token.style;
      continue;
    }
    if (token.kind === 'break') {
      flush({ isHyphenated: false, isLast: true });
      continue;
    }
    let word = token;
    for (;;) {
      const spaceWidth = current.items.length > 0 && pendingSpace ? measure(' ', pendingSpace) : 0;
      if (current.width + spaceWidth + word.width <= available() + 0.01) {
        push(word.segments, word.width, spaceWidth);
        break;
      }
      const slack = available() - current.width;
      if (opts.hyphenate && word.segments.length === 1 && slack / available() > HYPHENATE_WHEN_SLACK && ladder < MAX_HYPHEN_LADDER) {
        const split = hyphenSplit(word.segments[0], available() - current.width - spaceWidth, opts.hyphenate, measure);
        if (split) {
          push([split.head], split.head.width, spaceWidth);
          flush({ isHyphenated: true, isLast: false });
          word = { kind: 'word', segments: [split.tail], width: split.tail.width };
          continue;
        }
      }
      if (current.items.length > 0) {
        flush({ isHyphenated: false, isLast: false });
        continue;
      }
      // Alone and still too wide (a long URL): cut it where it must be cut.
      const cut = forceSplit(word.segments, available(), measure);
      push(cut.head, sum(cut.head), 0);
      if (cut.tail.length === 0) break;
      flush({ isHyphenated: false, isLast: false });
      word = { kind: 'word', segments: cut.tail, width: sum(cut.tail) };
    }
  }
  if (current.items.length > 0) flush({ isHyphenated: false, isLast: true });
  return lines;
}

function tokenize(runs: Run[], measure: Measure): Token[] {
  const tokens: Token[] = [];
  let word: Segment[] | null = null;
  const endWord = () => {
    if (word && word.length) tokens.push({ kind: 'word', segments: word, width: sum(word) });
    word = null;
  };
  for (const run of runs) {
    if (run.isBreak) {
      endWord();
      tokens.push({ kind: 'break' });
      continue;
    }
    for (const part of run.text.split(/(\s+)/)) {
      if (part === '') continue;
      if (/^\s+$/.test(part)) {
        endWord();
        tokens.push({ kind: 'space', style: run.style });
        continue;
      }
      word ??= [];
      word.push({ text: part, style: run.style, ...(run.href ? { href: run.href } : {}), width: measure(part, run.style) });
    }
  }
  endWord();
  return tokens;
}

function hyphenSplit(seg: Segment, room: number, hyphenate: Hyphenator, measure: Measure): { head: Segment; tail: Segment } | null {
  const parts = hyphenate(seg.text);
  for (let k = parts.length - 1; k >= 1; k--) {
    const headText = parts.slice(0, k).join('') + '-';
    const headWidth = measure(headText, seg.style);
    if (headWidth <= room) {
      const tailText = parts.slice(k).join('');
      return {
        head: { ...seg, text: headText, width: headWidth },
        tail: { ...seg, text: tailText, width: measure(tailText, seg.style) },
      };
    }
  }
  return null;
}

function forceSplit(segments: Segment[], room: number, measure: Measure): { head: Segment[]; tail: Segment[] } {
  const head: Segment[] = [];
  let used = 0;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (used + seg.width <= room) {
      head.push(seg);
      used += seg.width;
      continue;
    }
    let n = seg.text.length - 1;
    while (n > 0 && used + measure(seg.text.slice(0, n), seg.style) > room) n--;
    if (n === 0 && head.length === 0) n = 1; // always make progress
    if (n > 0) head.push({ ...seg, text: seg.text.slice(0, n), width: measure(seg.text.slice(0, n), seg.style) });
    const rest = seg.text.slice(n);
    const tail = rest ? [{ ...seg, text: rest, width: measure(rest, seg.style) }, ...segments.slice(i + 1)] : segments.slice(i + 1);
    return { head, tail };
  }
  return { head, tail: [] };
}

function layoutLine(opts: {
  items: (Segment[] | { space: number })[];
  naturalWidth: number;
  indent: number;
  width: number;
  align: Align;
  isHyphenated: boolean;
  isLast: boolean;
}): Line {
  const room = opts.width - opts.indent;
  const spaces = opts.items.filter((i) => !Array.isArray(i)).length;
  let stretch = 0;
  let x = opts.indent;
  if (opts.align === 'justify' && !opts.isLast && spaces > 0) {
    stretch = (room - opts.naturalWidth) / spaces;
    if (stretch > MAX_SPACE_STRETCH) stretch = 0;
  } else if (opts.align === 'center') {
    x += (room - opts.naturalWidth) / 2;
  } else if (opts.align === 'right') {
    x += room - opts.naturalWidth;
  }
  const pieces: Piece[] = [];
  for (const item of opts.items) {
    if (!Array.isArray(item)) {
      x += item.space + stretch;
      continue;
    }
    for (const seg of item) {
      pieces.push({ text: seg.text, style: seg.style, ...(seg.href ? { href: seg.href } : {}), x, width: seg.width });
      x += seg.width;
    }
  }
  return { pieces, width: x, isHyphenated: opts.isHyphenated };
}

function sum(segments: Segment[]): number {
  return segments.reduce((n, s) => n + s.width, 0);
}
