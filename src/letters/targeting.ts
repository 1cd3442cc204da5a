// Which letter a reader sees, as pure functions over plain data with time as an argument:
// the first active letter (by position) aimed at this reader, this article and this place on
// the page whose frequency cap allows it now; and which of its variants this reader gets.
// No I/O here: the store loads the rules and the reader's last impressions, letters.ts wires
// them together.
import { stableHash } from '../shared/stable-hash.ts';

/** The reader states a letter can be aimed at (see CONTEXT.md). */
export type Audience = 'anonymous' | 'registered' | 'subscriber' | 'lapsed';
export const AUDIENCES = ['anonymous', 'registered', 'subscriber', 'lapsed'] as const satisfies readonly Audience[];

/** Where a letter may appear: under an article the reader may read, at the end of a locked page, or both. */
export type Placement = 'after-body' | 'locked' | 'both';
export const PLACEMENTS = ['after-body', 'locked', 'both'] as const satisfies readonly Placement[];

export interface LetterRule {
  id: number;
  /** Reader states this letter is for; a reader in none of them never sees it. */
  audience: Audience[];
  /** Shown only once the reader has read at least this many articles in the meter window; null = from the first. */
  minRead: number | null;
  /** Section path prefixes (`World` covers `World/Europe`); empty = every section. */
  sections: string[];
  /** At most one impression per reader every this many days; 0 = no cap. */
  frequencyDays: number;
  placement: Placement;
  isActive: boolean;
  /** Lower comes first; ties go to the lower id. */
  position: number;
}

export interface LetterContext {
  audience: Audience;
  /** Articles read in the current meter window (this one included once counted). */
  used: number;
  /** The article's section path, e.g. `USA/Foreign-Policy`. */
  sectionPath: string;
  /** The spot on the page being filled (a page is one or the other, never both). */
  placement: 'after-body' | 'locked';
  /** The reader's last impression of each letter: letter id → ms since the epoch. */
  lastShown: ReadonlyMap<number, number>;
}

export type LetterChoice =
  | { letterId: number; reason: 'first-impression' | 'cap-elapsed' }
  | { letterId: null; reason: 'no-match' | 'frequency-cap' };

export const DAY_MS = 86_400_000;

/** Why a rule does not apply to this context (ignoring the frequency cap), or null when it does. */
export type Mismatch = 'inactive' | 'audience' | 'min-read' | 'section' | 'placement';

export function ruleMismatch(rule: LetterRule, ctx: Omit<LetterContext, 'lastShown'>): Mismatch | null {
  if (!rule.isActive) return 'inactive';
  if (!rule.audience.includes(ctx.audience)) return 'audience';
  if (rule.minRead !== null && ctx.used < rule.minRead) return 'min-read';
  if (!isInSections(ctx.sectionPath, rule.sections)) return 'section';
  if (rule.placement !== 'both' && rule.placement !== ctx.placement) return 'placement';
  return null;
}

/**
 * Whether a section path falls under one of the prefixes. Matching is by whole path segments
 * and ignores case and stray slashes: `World` covers `World` and `World/Europe`, not
 * `Worldwide`. No prefixes means every section.
 */
export function isInSections(sectionPath: string, prefixes: readonly string[]): boolean {
  if (prefixes.length === 0) return true;
  const path = segments(sectionPath);
  return prefixes.some((prefix) => {
    const want = segments(prefix);
    return want.length > 0 && want.length <= path.length && want.every((s, i) => s === path[i]);
  });
}

function segments(p: string): string[] {
  return p.toLowerCase().split('/').filter((s) => s !== '');
}

/**
 * Whether the frequency cap lets a letter be shown now: never shown before, or the last
 * impression is at least `frequencyDays` whole days ago (exactly N days is allowed again).
 */
export function capAllows(frequencyDays: number, lastShownAt: number | undefined, now: number): boolean {
  if (lastShownAt === undefined) return true;
  return now - lastShownAt >= Math.max(0, frequencyDays) * DAY_MS;
}

/**
 * The letter for this reader, article and spot, with the reason. Rules are tried by position
 * (then id); the first that applies and whose cap allows it wins. A capped letter does not
 * block the ones after it. When nothing is shown, the reason says whether nothing was aimed
 * here (`no-match`) or something was, but the reader saw it too recently (`frequency-cap`).
 */
export function chooseLetter(rules: readonly LetterRule[], ctx: LetterContext, now: number): LetterChoice {
  let isCapped = false;
  for (const rule of byPosition(rules)) {
    if (ruleMismatch(rule, ctx) !== null) continue;
    const last = ctx.lastShown.get(rule.id);
    if (!capAllows(rule.frequencyDays, last, now)) {
      isCapped = true;
      continue;
    }
    return { letterId: rule.id, reason: last === undefined ? 'first-impression' : 'cap-elapsed' };
  }
  return { letterId: null, reason: isCapped ? 'frequency-cap' : 'no-match' };
}

function byPosition<T extends { id: number; position: number }>(rules: readonly T[]): T[] {
  return [...rules].sort((a, b) => a.position - b.position || a.id - b.id);
}

/**
 * A variant picked by weight, the same one every time for the same seed (use reader key +
 * letter id), so a reader keeps seeing one version of the letter and the A/B split holds
 * across their visits. Variants are considered in id order, whatever order they arrive in;
 * weight 0 is never picked. Null when there are no variants or every weight is 0 (show the
 * letter as written).
 */
export function chooseVariant(variants: readonly { id: number; weight: number }[], seed: string): number | null {
  const eligible = [...variants].filter((v) => v.weight > 0 && Number.isFinite(v.weight)).sort((a, b) => a.id - b.id);
  const total = eligible.reduce((sum, v) => sum + v.weight, 0);
  if (total <= 0) return null;
  // A point in [0, total), from the hash spread over [0, 1).
  let point = (stableHash(seed) / 0x1_0000_0000) * total;
  for (const v of eligible) {
    if (point < v.weight) return v.id;
    point -= v.weight;
  }
  return eligible[eligible.length - 1].id; // rounding at the very top of the range
}

export { stableHash };
