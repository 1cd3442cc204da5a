// Where English words may break at a line end, from TeX's US English patterns (the `hyphen`
// package). One hyphenator per build, with its own cache: body text repeats words a lot.
import { createRequire } from 'node:module';

type HyphenateSync = (text: string, options?: { hyphenChar?: string; minWordLength?: number }) => string;

const SOFT_HYPHEN = '\u00AD';
/** Letters kept together at each end of a broken word (TeX's English defaults, 2 and 3). */
const MIN_BEFORE = 2;
const MIN_AFTER = 3;

/** Returns the word cut into the pieces between its allowed break points (one piece: no break). */
export type Hyphenator = (word: string) => string[];

export function createHyphenator(): Hyphenator {
  const { hyphenateSync } = createRequire(import.meta.url)('hyphen/en-us') as { hyphenateSync: HyphenateSync };
  const cache = new Map<string, string[]>();
  return (word) => {
    let parts = cache.get(word);
    if (parts) return parts;
    parts = splitWord(word, hyphenateSync);
    cache.set(word, parts);
    return parts;
  };
}

function splitWord(word: string, hyphenateSync: HyphenateSync): string[] {
  // Numbers, URLs, e-mail addresses and already-hyphenated compounds are not broken.
  if (word.length < MIN_BEFORE + MIN_AFTER + 1 || /[\d@/\-–—_.]\S/.test(word) || !/\p{L}{5}/u.test(word)) return [word];
  const pieces = hyphenateSync(word, { hyphenChar: SOFT_HYPHEN, minWordLength: 6 }).split(SOFT_HYPHEN);
  const out: string[] = [];
  let lettersBefore = 0;
  const totalLetters = letterCount(word);
  for (const piece of pieces) {
    const letters = letterCount(piece);
    if (out.length === 0 || lettersBefore < MIN_BEFORE || totalLetters - lettersBefore < MIN_AFTER) {
      if (out.length === 0) out.push(piece);
      else out[out.length - 1] += piece;
    } else {
      out.push(piece);
    }
    lettersBefore += letters;
  }
  return out;
}

function letterCount(text: string): number {
  return (text.match(/\p{L}/gu) ?? []).length;
}
