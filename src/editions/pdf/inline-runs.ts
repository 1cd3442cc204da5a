// Inline content (text, em, strong, code, link, br) → styled runs for the line breaker.
// Pure: styles are named fonts, sizes and colours; nothing here touches the PDF.
import type { Inline } from '../../content/blocks.ts';
import { safeHref } from '../../content/markdown.ts';
import type { FontName } from './fonts.ts';

export interface RunStyle {
  font: FontName;
  size: number;
  color: string;
}

export interface Run {
  text: string;
  style: RunStyle;
  /** Absolute http(s) or mailto target: becomes a link annotation over the words. */
  href?: string;
  /** A forced line break (`br`); `text` is empty. */
  isBreak?: boolean;
}

/** The faces a block uses for its plain, emphasised and strong text. */
export interface Faces {
  regular: FontName;
  italic: FontName;
  bold: FontName;
  boldItalic: FontName;
}

export const TEXT_FACES: Faces = { regular: 'serif', italic: 'serif-italic', bold: 'serif-semibold', boldItalic: 'serif-semibold-italic' };

/** Emphasis inside an italic block (a pull quote) reads as roman, as typesetters do it. */
export const ITALIC_TEXT_FACES: Faces = { regular: 'serif-italic', italic: 'serif', bold: 'serif-semibold-italic', boldItalic: 'serif-semibold' };

export const SUBHEAD_FACES: Faces = { regular: 'sans-bold', italic: 'sans-bold', bold: 'sans-heavy', boldItalic: 'sans-heavy' };

/**
 * Where a link in the PDF may lead: an absolute http(s) or mailto address that passes the
 * site's href check; undefined for anything else (site-relative links cannot leave a PDF,
 * and are kept as text).
 */
export function pdfLinkTarget(href: string): string | undefined {
  const safe = safeHref(href);
  return safe && /^(https?:|mailto:)/i.test(safe) ? safe : undefined;
}

export function inlineRuns(inlines: Inline[], opts: { size: number; color: string; faces?: Faces; linkColor?: string }): Run[] {
  const faces = opts.faces ?? TEXT_FACES;
  const runs: Run[] = [];
  const walk = (nodes: Inline[], isItalic: boolean, isBold: boolean, href: string | undefined): void => {
    for (const node of nodes) {
      const font = isBold ? (isItalic ? faces.boldItalic : faces.bold) : isItalic ? faces.italic : faces.regular;
      const color = href && opts.linkColor ? opts.linkColor : opts.color;
      switch (node.t) {
        case 'text':
        case 'code':
          if (node.v) runs.push({ text: node.v, style: { font, size: opts.size, color }, ...(href ? { href } : {}) });
          break;
        case 'br':
          runs.push({ text: '', style: { font, size: opts.size, color }, isBreak: true });
          break;
        case 'em':
          walk(node.c, !isItalic, isBold, href);
          break;
        case 'strong':
          walk(node.c, isItalic, true, href);
          break;
        case 'link':
          walk(node.c, isItalic, isBold, pdfLinkTarget(node.href) ?? href);
          break;
      }
    }
  };
  walk(inlines, false, false, undefined);
  return runs;
}
