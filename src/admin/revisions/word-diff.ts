// Readable differences between two texts for editors: word by word inside a paragraph,
// paragraph by paragraph across a body, with long unchanged stretches folded away.
// Pure: strings in, plain data out; the view marks it up with <ins> and <del>.
import { diffSequences, type EditRun } from './sequence-diff.ts';

export type PartOp = 'same' | 'ins' | 'del';

/** A stretch of text that both versions share, or that only the newer (ins) or older (del) has. */
export interface TextPart {
  op: PartOp;
  text: string;
}

/**
 * Words with the punctuation that touches them and the spacing after them: "harbor, " is one
 * token. Comparing such tokens reads the way an editor reads ("harbor" became "harbor,"), and
 * keeping the spacing lets the diff print the text as it was written.
 */
export function tokenize(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [];
}

const key = (token: string) => token.trimEnd();

/** Counts words the way the rest of the paper does: tokens holding a letter or a digit. */
export function countWordTokens(tokens: readonly string[]): number {
  let n = 0;
  for (const t of tokens) if (/[\p{L}\p{N}]/u.test(t)) n++;
  return n;
}

export interface WordDiff {
  parts: TextPart[];
  added: number;
  removed: number;
  /** Share of words the two texts have in common, 0…1 (1 for two empty texts). */
  similarity: number;
}

/** Word-level diff of two short texts (a headline, a paragraph). */
export function diffWords(before: string, after: string): WordDiff {
  const a = tokenize(before.trim());
  const b = tokenize(after.trim());
  const runs = diffSequences(a, b, { equals: (x, y) => key(x) === key(y), maxEdits: 2000 });
  // Too different to be worth aligning: the whole text was replaced.
  const safeRuns: EditRun<string>[] = runs ?? [
    ...(a.length ? [{ op: 'del' as const, items: a }] : []),
    ...(b.length ? [{ op: 'ins' as const, items: b }] : []),
  ];
  const parts: TextPart[] = [];
  let added = 0;
  let removed = 0;
  let shared = 0;
  for (const run of safeRuns) {
    const words = countWordTokens(run.items);
    if (run.op === 'ins') added += words;
    else if (run.op === 'del') removed += words;
    else shared += run.items.length;
    parts.push({ op: run.op, text: run.items.join('') });
  }
  const total = a.length + b.length;
  return { parts, added, removed, similarity: total === 0 ? 1 : (2 * shared) / total };
}

/** The body's paragraphs as written: Markdown blocks separated by blank lines. */
export function splitParagraphs(markdown: string): string[] {
  return markdown
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

export type BodyItem =
  | { kind: 'same'; text: string }
  | { kind: 'added'; text: string }
  | { kind: 'removed'; text: string }
  | { kind: 'changed'; parts: TextPart[] };

export interface BodyDiff {
  items: BodyItem[];
  /** Words inserted and deleted across the body. */
  added: number;
  removed: number;
  isChanged: boolean;
}

/** A paragraph counts as "changed" (not removed and added) when at least this much of it stayed. */
const SAME_PARAGRAPH = 0.5;
const PAIR_WINDOW = 8;

/**
 * Body diff grouped by paragraph. Paragraphs are aligned first; within one stretch of
 * changes, a removed and an added paragraph that share most of their words are shown as one
 * changed paragraph with word-level marks. A paragraph moved elsewhere is a deletion here
 * and an insertion there.
 */
export function diffBody(before: string, after: string): BodyDiff {
  const a = splitParagraphs(before);
  const b = splitParagraphs(after);
  // Spacing inside a paragraph does not change what it says.
  const runs = diffSequences(a, b, { equals: (x, y) => x === y || x.replace(/\s+/g, ' ') === y.replace(/\s+/g, ' ') }) ?? [
    ...(a.length ? [{ op: 'del' as const, items: a }] : []),
    ...(b.length ? [{ op: 'ins' as const, items: b }] : []),
  ];
  const items: BodyItem[] = [];
  let added = 0;
  let removed = 0;
  const addParagraph = (text: string) => {
    items.push({ kind: 'added', text });
    added += countWordTokens(tokenize(text));
  };
  const removeParagraph = (text: string) => {
    items.push({ kind: 'removed', text });
    removed += countWordTokens(tokenize(text));
  };
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i];
    if (run.op === 'same') {
      for (const text of run.items) items.push({ kind: 'same', text });
      continue;
    }
    // A stretch of changes is a 'del' run, an 'ins' run, or a 'del' run followed by an 'ins' run.
    const dels = run.op === 'del' ? run.items : [];
    let ins: string[] = run.op === 'ins' ? run.items : [];
    if (run.op === 'del' && runs[i + 1]?.op === 'ins') {
      ins = runs[i + 1].items;
      i++;
    }
    let next = 0; // the first added paragraph not yet shown; pairs keep their order
    for (const old of dels) {
      let paired = -1;
      let pairedDiff: WordDiff | null = null;
      // Look a few paragraphs ahead only: a wholesale rewrite need not cost dels × ins diffs.
      for (let j = next; j < Math.min(ins.length, next + PAIR_WINDOW); j++) {
        const d = diffWords(old, ins[j]);
        if (d.similarity >= SAME_PARAGRAPH) {
          paired = j;
          pairedDiff = d;
          break;
        }
      }
      if (paired < 0 || !pairedDiff) {
        removeParagraph(old);
        continue;
      }
      for (; next < paired; next++) addParagraph(ins[next]);
      items.push({ kind: 'changed', parts: pairedDiff.parts });
      added += pairedDiff.added;
      removed += pairedDiff.removed;
      next = paired + 1;
    }
    for (; next < ins.length; next++) addParagraph(ins[next]);
  }
  return { items, added, removed, isChanged: items.some((it) => it.kind !== 'same') };
}

export type FoldedItem = BodyItem | { kind: 'collapsed'; count: number };

/**
 * Folds runs of unchanged paragraphs, keeping `context` paragraphs next to each change so
 * the reader sees where it sits. A run is folded only when that hides at least `minHidden`
 * paragraphs (hiding one paragraph behind a line saves nothing).
 */
export function collapseUnchanged(items: readonly BodyItem[], opts: { context?: number; minHidden?: number } = {}): FoldedItem[] {
  const context = opts.context ?? 1;
  const minHidden = Math.max(1, opts.minHidden ?? 2);
  const out: FoldedItem[] = [];
  let i = 0;
  while (i < items.length) {
    if (items[i].kind !== 'same') {
      out.push(items[i]);
      i++;
      continue;
    }
    let end = i;
    while (end < items.length && items[end].kind === 'same') end++;
    const run = items.slice(i, end);
    const keepBefore = i === 0 ? 0 : context; // after a change
    const keepAfter = end === items.length ? 0 : context; // before a change
    const hidden = run.length - keepBefore - keepAfter;
    if (hidden >= minHidden) {
      out.push(...run.slice(0, keepBefore), { kind: 'collapsed', count: hidden }, ...run.slice(run.length - keepAfter));
    } else {
      out.push(...run);
    }
    i = end;
  }
  return out;
}
