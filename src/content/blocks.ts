// The typed block tree every medium renders (web, print, feeds, e-mail, PDF, EPUB).
// An article body is parsed from Markdown into this tree once, on save; renderers walk it.
// Paywall truncation cuts this tree, never a string of HTML.

/** Inline content inside a paragraph, heading, list item or quote. */
export type Inline =
  | { t: 'text'; v: string }
  | { t: 'em'; c: Inline[] }
  | { t: 'strong'; c: Inline[] }
  | { t: 'code'; v: string }
  | { t: 'link'; href: string; c: Inline[] }
  | { t: 'br' };

/** A stored, processed picture: enough to write sized, responsive markup without a lookup. */
export interface ImageRef {
  /** Content hash; variants live at /media/{id}/{width}.{webp|jpg}. */
  id: string;
  width: number;
  height: number;
  /** Widths of the stored variants, ascending. */
  widths: number[];
}

export type Block =
  | { type: 'paragraph'; c: Inline[] }
  | { type: 'heading'; level: 2 | 3 | 4; c: Inline[] }
  | { type: 'quote'; paragraphs: Inline[][] }
  | { type: 'pullquote'; c: Inline[]; attribution?: string }
  | { type: 'image'; image: ImageRef | null; src: string; alt: string; caption?: string; credit?: string }
  | { type: 'list'; ordered: boolean; items: Inline[][] }
  | { type: 'embed'; url: string; host: string }
  | { type: 'divider' };

export type BlockType = Block['type'];

/** Plain text of inline content, for word counts, search and descriptions. */
export function inlineText(inlines: Inline[]): string {
  let out = '';
  for (const node of inlines) {
    switch (node.t) {
      case 'text':
      case 'code':
        out += node.v;
        break;
      case 'br':
        out += ' ';
        break;
      default:
        out += inlineText(node.c);
    }
  }
  return out;
}

/** Plain text of a block, or '' for blocks that carry no prose. */
export function blockText(block: Block): string {
  switch (block.type) {
    case 'paragraph':
    case 'heading':
      return inlineText(block.c);
    case 'pullquote':
      return inlineText(block.c);
    case 'quote':
      return block.paragraphs.map(inlineText).join('\n');
    case 'list':
      return block.items.map(inlineText).join('\n');
    case 'image':
      return block.caption ?? '';
    case 'embed':
    case 'divider':
      return '';
  }
}

/** Plain text of a whole body, one block per line. Pull quotes repeat the body, so they are skipped. */
export function bodyText(blocks: Block[]): string {
  return blocks
    .filter((b) => b.type !== 'pullquote' && b.type !== 'image')
    .map(blockText)
    .filter(Boolean)
    .join('\n');
}

export function countWords(text: string): number {
  const words = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu);
  return words ? words.length : 0;
}
