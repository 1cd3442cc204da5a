// The one use case the reader's page needs: "is there a letter for this reader here, and
// what does it look like?" It loads the active letters (or takes a cached copy), asks the
// pure targeting which letter and which variant, renders it, and records the impression so
// the frequency cap holds on the next page.
//
// Cost on the request path: a reader no letter is aimed at (a subscriber, a first article
// below the minimum, a section no letter covers) costs no query: the active letters are
// cached by the caller. Only a reader a letter is aimed at reads their last impressions, and
// only a shown letter writes one row.
import type { LetterViews } from './letter-views.ts';
import { renderLetter } from './render.ts';
import { chooseLetter, chooseVariant, ruleMismatch, type Audience, type LetterContext } from './targeting.ts';
import type { Letter } from './types.ts';

export type { Audience } from './targeting.ts';
export type { Letter, LetterVariant } from './types.ts';

export interface LetterRequest {
  /** The meter's reader key ("a:<browser id>" / "r:<reader id>"): the frequency cap and the A/B split follow it. */
  readerKey: string;
  /** The reader's state: anonymous, registered (free account), subscriber, lapsed (a subscription that ended). */
  audience: Audience;
  /** Articles read in the current meter window (the meter's `used`). */
  used: number;
  /** The article's section path, e.g. `USA/Foreign-Policy`. */
  sectionPath: string;
  /** `after-body` under a story the reader may read; `locked` at the end of a locked page. */
  placement: 'after-body' | 'locked';
  now: number;
  /** The current offer's headline, shown on the button. */
  offerHeadline?: string;
  /**
   * The active letters (loadActiveLetters), kept by the caller (e.g. per content version,
   * which saveLetter bumps).
   */
  letters: readonly Letter[];
  /** Where the button goes, e.g. a click-tracking URL; the letter's ctaUrl when absent. */
  ctaHref?: (shown: { letterId: number; variantId: number | null; ctaUrl: string }) => string;
}

export interface ShownLetter {
  html: string;
  letterId: number;
  /** The variant shown; null when the letter has none with weight (shown as written). */
  variantId: number | null;
}

/**
 * The letter to put on this page for this reader, rendered, or null when none applies or
 * the reader saw it too recently. Records the impression (the frequency cap) before
 * returning, so call it only when the HTML will really be sent. Two pages of the same reader
 * at the same instant may both get the letter: the cap is a courtesy, not a lock.
 */
export async function letterFor(views: LetterViews, input: LetterRequest): Promise<ShownLetter | null> {
  const { letters } = input;
  if (letters.length === 0) return null;
  const ctx: Omit<LetterContext, 'lastShown'> = {
    audience: input.audience,
    used: input.used,
    sectionPath: input.sectionPath,
    placement: input.placement,
  };
  // Only a letter aimed here needs the reader's impressions read.
  const aimed = letters.filter((rule) => ruleMismatch(rule, ctx) === null);
  if (aimed.length === 0) return null;
  const choice = chooseLetter(aimed, { ...ctx, lastShown: await views.lastShown(input.readerKey) }, input.now);
  if (choice.letterId === null) return null;
  const letter = letters.find((l) => l.id === choice.letterId)!;
  const variantId = chooseVariant(letter.variants, `${input.readerKey}:${letter.id}`);
  const variant = letter.variants.find((v) => v.id === variantId) ?? null;
  const ctaHref = input.ctaHref?.({ letterId: letter.id, variantId, ctaUrl: letter.ctaUrl }) ?? letter.ctaUrl;
  const html = renderLetter(letter, variant, { offerHeadline: input.offerHeadline, ctaHref });
  await views.recordShown(input.readerKey, letter.id, input.now);
  return { html, letterId: letter.id, variantId };
}
