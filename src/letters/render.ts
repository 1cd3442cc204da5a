// A letter as HTML for the reader's page: a quiet aside under the story (or at the end of a
// locked page) with the heading, the body, the signature and one button. The body goes
// through the same Markdown parser and block renderer as articles, so it is escaped and its
// links are allow-listed the same way. Class names and data attributes are a contract with
// the stylesheet and with the click and impression tracking: themes restyle, never drop them.
import type { Block } from '../content/blocks.ts';
import { escapeAttr, escapeHtml } from '../content/escape.ts';
import { parseMarkdown } from '../content/markdown.ts';
import { renderBlocks } from '../content/render-html.ts';
import { safeCtaUrl } from './cta-url.ts';
import type { Letter, LetterVariant } from './types.ts';

export type LetterContent = Pick<Letter, 'id' | 'title' | 'bodyMd' | 'signature' | 'ctaLabel' | 'ctaUrl'>;
export type VariantContent = Pick<LetterVariant, 'id' | 'title' | 'bodyMd' | 'ctaLabel'>;

export interface RenderLetterOptions {
  /** The current offer's headline ("$15 for your first 6 months"), shown on the button. */
  offerHeadline?: string;
  /**
   * Where the button goes: usually the letter's ctaUrl, perhaps with tracking parameters.
   * Must be a site path or an http(s) URL; anything else falls back to the letter's ctaUrl.
   */
  ctaHref: string;
}

/** The words a reader sees: the variant's where it has them, the letter's otherwise. */
export function letterText(letter: LetterContent, variant: VariantContent | null): { title: string; bodyMd: string; ctaLabel: string } {
  return {
    title: variant?.title ?? letter.title,
    bodyMd: variant?.bodyMd ?? letter.bodyMd,
    ctaLabel: variant?.ctaLabel ?? letter.ctaLabel,
  };
}

/**
 * The letter's HTML. `data-letter` and `data-variant` (absent when the letter is shown as
 * written) identify what was shown; the button carries `data-letter-cta`. The heading's id
 * is unique per letter, so one page may hold one copy of each letter.
 */
export function renderLetter(letter: LetterContent, variant: VariantContent | null, opts: RenderLetterOptions): string {
  const text = letterText(letter, variant);
  const headingId = `letter-${letter.id}-title`;
  const href = safeCtaUrl(opts.ctaHref) ?? safeCtaUrl(letter.ctaUrl) ?? '/subscribe';
  const offer = opts.offerHeadline?.trim() ? ` <span class="letter-cta-offer">${escapeHtml(opts.offerHeadline.trim())}</span>` : '';
  const variantAttr = variant ? ` data-variant="${variant.id}"` : '';
  return (
    `<aside class="letter" data-letter="${letter.id}"${variantAttr} aria-labelledby="${headingId}">` +
    `<h2 class="letter-title" id="${headingId}">${escapeHtml(text.title)}</h2>` +
    `<div class="letter-body">${renderBlocks(letterBlocks(text.bodyMd), { mediaBase: '/media' })}</div>` +
    renderSignature(letter.signature) +
    `<p class="letter-cta"><a class="btn letter-button" href="${escapeAttr(href)}" data-letter-cta>` +
    `<span class="letter-cta-label">${escapeHtml(text.ctaLabel)}</span>${offer}</a></p>` +
    `</aside>`
  );
}

/**
 * The body's blocks, fitted to a letter: headings sit under the letter's own h2, and
 * pictures are left out (a letter's Markdown has no importer to resolve them).
 */
function letterBlocks(bodyMd: string): Block[] {
  const out: Block[] = [];
  for (const block of parseMarkdown(bodyMd)) {
    if (block.type === 'image') continue;
    out.push(block.type === 'heading' && block.level === 2 ? { ...block, level: 3 } : block);
  }
  return out;
}

/** First line the signer, the rest their role ("Editor, The Northfield Courier"). */
function renderSignature(signature: string): string {
  const [name, ...rest] = signature.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (!name) return '';
  const role = rest.length ? `<span class="letter-signer-role">${rest.map(escapeHtml).join('<br>')}</span>` : '';
  return `<p class="letter-signature"><span class="letter-signer">${escapeHtml(name)}</span>${role}</p>`;
}
