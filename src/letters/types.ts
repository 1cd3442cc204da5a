// A letter as the rest of the code sees it: plain data, loaded once and safe to cache. The
// targeting fields are exactly a LetterRule, so a loaded letter can be handed to chooseLetter.
import type { LetterRule } from './targeting.ts';

export interface LetterVariant {
  id: number;
  letterId: number;
  /** Staff's name for it ("A", "Shorter headline"); unique within the letter. */
  name: string;
  /** Each null field means "as the letter has it". */
  title: string | null;
  bodyMd: string | null;
  ctaLabel: string | null;
  /** Relative share of impressions; 0 pauses the variant. */
  weight: number;
}

export interface Letter extends LetterRule {
  slug: string;
  /** The heading ("Dear Reader,"). */
  title: string;
  /** The body in Markdown, rendered through the article parser and renderer. */
  bodyMd: string;
  /** Who signs it; a second line is the signer's role ("Editor, The Northfield Courier"). */
  signature: string;
  ctaLabel: string;
  /** A site path (`/subscribe`) or an absolute http(s) URL. */
  ctaUrl: string;
  createdAt: number;
  /** In id order. */
  variants: LetterVariant[];
}
