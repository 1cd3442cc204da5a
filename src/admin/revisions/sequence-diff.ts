// The shortest edit script between two sequences (Myers' O(ND) algorithm): the basis of the
// word and paragraph diffs. Cost grows with the number of edits, not the length, so a long
// story with a few changes diffs quickly; past `maxEdits` it gives up and says so (null),
// and the caller shows the whole thing as replaced rather than stalling a page.

export type EditOp = 'same' | 'del' | 'ins';

export interface EditRun<T> {
  op: EditOp;
  /** For 'same' runs, the items of the newer sequence (their spacing is the current one). */
  items: T[];
}

export interface DiffOptions<T> {
  equals?: (a: T, b: T) => boolean;
  /** Give up (return null) past this many insertions + deletions. */
  maxEdits?: number;
}

const DEFAULT_MAX_EDITS = 4000;

export function diffSequences<T>(a: readonly T[], b: readonly T[], opts: DiffOptions<T> = {}): EditRun<T>[] | null {
  const eq = opts.equals ?? ((x: T, y: T) => x === y);
  // Common ends cost nothing and are by far the usual case for an edit.
  let start = 0;
  while (start < a.length && start < b.length && eq(a[start], b[start])) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && eq(a[endA - 1], b[endB - 1])) {
    endA--;
    endB--;
  }
  const ops: { op: EditOp; item: T }[] = [];
  for (let i = 0; i < start; i++) ops.push({ op: 'same', item: b[i] });
  const middle = myers(a.slice(start, endA), b.slice(start, endB), eq, opts.maxEdits ?? DEFAULT_MAX_EDITS);
  if (middle === null) return null;
  ops.push(...middle);
  for (let j = endB; j < b.length; j++) ops.push({ op: 'same', item: b[j] });
  return group(ops);
}

function myers<T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean, maxEdits: number): { op: EditOp; item: T }[] | null {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((item) => ({ op: 'ins' as const, item }));
  if (m === 0) return a.map((item) => ({ op: 'del' as const, item }));
  const cap = Math.min(n + m, maxEdits);
  const offset = cap + 1;
  const v = new Int32Array(2 * cap + 3);
  // trace[d] holds v over k in [-d-1, d+1] as it was before step d: enough to walk back.
  const trace: Int32Array[] = [];
  v[offset + 1] = 0;
  for (let d = 0; d <= cap; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && eq(a[x], b[y])) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, d);
    }
  }
  return null;
}

function backtrack<T>(a: readonly T[], b: readonly T[], trace: Int32Array[], last: number): { op: EditOp; item: T }[] {
  const out: { op: EditOp; item: T }[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = last; d >= 0; d--) {
    const saved = trace[d];
    const at = (k: number) => saved[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({ op: 'same', item: b[y - 1] });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) out.push({ op: 'ins', item: b[y - 1] });
      else out.push({ op: 'del', item: a[x - 1] });
    }
    x = prevX;
    y = prevY;
  }
  return out.reverse();
}

/** Runs of one kind; within each stretch of changes, what went before what came. */
function group<T>(ops: { op: EditOp; item: T }[]): EditRun<T>[] {
  const runs: EditRun<T>[] = [];
  let dels: T[] = [];
  let ins: T[] = [];
  const flush = () => {
    if (dels.length) runs.push({ op: 'del', items: dels });
    if (ins.length) runs.push({ op: 'ins', items: ins });
    dels = [];
    ins = [];
  };
  for (const { op, item } of ops) {
    if (op === 'del') dels.push(item);
    else if (op === 'ins') ins.push(item);
    else {
      flush();
      const lastRun = runs[runs.length - 1];
      if (lastRun?.op === 'same') lastRun.items.push(item);
      else runs.push({ op: 'same', items: [item] });
    }
  }
  flush();
  return runs;
}
