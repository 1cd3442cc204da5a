// The one place that talks to PDFKit about text: measuring (cached — body text repeats the
// same words in the same style thousands of times) and drawing broken lines on a baseline.
import type { Hyphenator } from './hyphenation.ts';
import type { RunStyle } from './inline-runs.ts';
import { breakLines, type Align, type Line } from './line-breaker.ts';
import type { Run } from './inline-runs.ts';
import { drawPicture, type OpenedPicture } from './pictures.ts';

export interface LabelOptions {
  x: number;
  /** Baseline of the text. */
  y: number;
  /** Extra space between letters, for capitals set as labels. */
  tracking?: number;
  align?: 'left' | 'right' | 'center';
  /** Box width for right or centred text. */
  width?: number;
}

export class Typesetter {
  readonly doc: PDFKit.PDFDocument;
  readonly hyphenate: Hyphenator;
  /** A dry typesetter measures and breaks lines but paints nothing: a rehearsal of a layout. */
  readonly isDry: boolean;
  private readonly widths: Map<string, number>;

  constructor(opts: { doc: PDFKit.PDFDocument; hyphenate: Hyphenator; isDry?: boolean; widths?: Map<string, number> }) {
    this.doc = opts.doc;
    this.hyphenate = opts.hyphenate;
    this.isDry = opts.isDry ?? false;
    this.widths = opts.widths ?? new Map();
  }

  /** The same typesetter, painting nothing (sharing the measurements it has made). */
  dry(): Typesetter {
    return new Typesetter({ doc: this.doc, hyphenate: this.hyphenate, isDry: true, widths: this.widths });
  }

  fillRect(x: number, y: number, width: number, height: number, color: string): void {
    if (!this.isDry) this.doc.rect(x, y, width, height).fill(color);
  }

  fillCircle(x: number, y: number, radius: number, color: string): void {
    if (!this.isDry) this.doc.circle(x, y, radius).fill(color);
  }

  picture(picture: OpenedPicture, box: { x: number; y: number; width: number; height: number }): void {
    if (!this.isDry) drawPicture(this.doc, picture, box);
  }

  measure = (text: string, style: RunStyle): number => {
    const key = `${style.font}\u0000${style.size}\u0000${text}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      w = this.doc.font(style.font).fontSize(style.size).widthOfString(text);
      this.widths.set(key, w);
    }
    return w;
  };

  /** Breaks runs into lines of `width`; body text is hyphenated, display text is not. */
  lines(runs: Run[], opts: { width: number; align?: Align; firstIndent?: number; isHyphenated?: boolean }): Line[] {
    return breakLines({
      runs,
      width: opts.width,
      measure: this.measure,
      align: opts.align ?? 'left',
      firstIndent: opts.firstIndent ?? 0,
      ...(opts.isHyphenated ? { hyphenate: this.hyphenate } : {}),
    });
  }

  drawLine(line: Line, at: { x: number; baseline: number }): void {
    if (this.isDry) return;
    const { doc } = this;
    for (const piece of line.pieces) {
      const x = at.x + piece.x;
      doc.font(piece.style.font).fontSize(piece.style.size).fillColor(piece.style.color);
      doc.text(piece.text, x, at.baseline, { lineBreak: false, baseline: 'alphabetic' });
      if (piece.href) doc.link(x, at.baseline - piece.style.size * 0.78, piece.width, piece.style.size, piece.href);
    }
  }

  /** Draws lines from `top` with a fixed leading; returns the y under the last line. */
  drawBlock(lines: Line[], at: { x: number; top: number; leading: number }): number {
    let y = at.top;
    for (const line of lines) {
      this.drawLine(line, { x: at.x, baseline: y + at.leading * 0.76 });
      y += at.leading;
    }
    return y;
  }

  /** One line of label text (section names, credits, running heads). */
  label(text: string, style: RunStyle, opts: LabelOptions): number {
    const { doc } = this;
    const tracking = opts.tracking ?? 0;
    if (this.isDry) return this.measure(text, style) + tracking * text.length;
    doc.font(style.font).fontSize(style.size).fillColor(style.color);
    const width = doc.widthOfString(text, { characterSpacing: tracking });
    let x = opts.x;
    if (opts.align === 'right') x = opts.x + (opts.width ?? 0) - width;
    if (opts.align === 'center') x = opts.x + ((opts.width ?? 0) - width) / 2;
    doc.text(text, x, opts.y, { lineBreak: false, baseline: 'alphabetic', characterSpacing: tracking });
    return width;
  }
}
