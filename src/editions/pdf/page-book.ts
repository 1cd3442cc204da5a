// The pages of the edition in order, each with what its running head needs to say. Pages stay
// buffered in PDFKit so the contents can be numbered and the heads drawn once all are known.
import { PAGE } from './theme.ts';

export type PageInfo = { kind: 'cover' } | { kind: 'contents' } | { kind: 'story'; section: string };

export class PageBook {
  readonly pages: PageInfo[] = [];
  private readonly doc: PDFKit.PDFDocument;

  constructor(doc: PDFKit.PDFDocument) {
    this.doc = doc;
  }

  /** Adds a page at the end and returns its index (0 = cover). */
  add(info: PageInfo): number {
    this.doc.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
    this.pages.push(info);
    return this.pages.length - 1;
  }
}

/** The printed page number of a page index: the cover is page 1, as a reader counts. */
export function folioOf(pageIndex: number): number {
  return pageIndex + 1;
}
