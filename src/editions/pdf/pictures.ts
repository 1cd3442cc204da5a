// Pictures for the PDF: each file read once, re-encoded only when it is larger than print needs
// (1,500 px across a 7-inch text area is ~210 dpi) or not a plain baseline JPEG, then opened in
// PDFKit once so a picture used twice (cover and story) is embedded once, right away.
import fs from 'node:fs/promises';
import sharp from 'sharp';

const MAX_WIDTH = 1500;
/** Refuse absurd inputs long before sharp's default limit. */
const PIXEL_LIMIT = 60_000_000;
const PARALLEL = 4;

export interface OpenedPicture {
  width: number;
  height: number;
}

/** Bytes fit to embed: a JPEG at most MAX_WIDTH wide, upright, in RGB or grey. */
export async function preparePicture(file: string): Promise<Buffer> {
  const meta = await sharp(file, { limitInputPixels: PIXEL_LIMIT }).metadata();
  const isPlainJpeg = meta.format === 'jpeg' && (meta.width ?? 0) <= MAX_WIDTH && !meta.isProgressive && (meta.orientation ?? 1) === 1 && meta.space !== 'cmyk';
  if (isPlainJpeg) return fs.readFile(file);
  return sharp(file, { limitInputPixels: PIXEL_LIMIT })
    .rotate()
    .resize({ width: MAX_WIDTH, withoutEnlargement: true })
    .toColourspace('srgb')
    .jpeg({ quality: 82 })
    .toBuffer();
}

/**
 * Prepares every distinct file, a few ahead at a time, and opens and embeds each in the
 * document as soon as it is its turn: PDFKit writes an embedded picture out and drops its
 * bytes, so a build holds a handful of pictures at once rather than all of them to the end.
 */
export async function openPictures(doc: PDFKit.PDFDocument, files: string[]): Promise<Map<string, OpenedPicture>> {
  const unique = [...new Set(files)];
  const prepared: Promise<Buffer>[] = [];
  const start = (i: number) => {
    if (i < unique.length && prepared[i] === undefined) {
      prepared[i] = preparePicture(unique[i]);
      prepared[i].catch(() => {}); // awaited in turn below; no unhandled rejection meanwhile
    }
  };
  for (let i = 0; i < PARALLEL; i++) start(i);
  const opener = doc as unknown as { openImage(src: Buffer): OpenedPicture & { embed(doc: PDFKit.PDFDocument): void } };
  // Opened in the given order so the image labels, and so the bytes, are the same every build.
  const out = new Map<string, OpenedPicture>();
  for (let i = 0; i < unique.length; i++) {
    const bytes = await prepared[i];
    delete prepared[i];
    start(i + PARALLEL);
    const picture = opener.openImage(bytes);
    picture.embed(doc);
    out.set(unique[i], picture);
  }
  return out;
}

/** Draws a picture filling the box, cropped around its centre. */
export function drawPicture(doc: PDFKit.PDFDocument, picture: OpenedPicture, box: { x: number; y: number; width: number; height: number }): void {
  doc.save();
  doc.rect(box.x, box.y, box.width, box.height).clip();
  doc.image(picture as unknown as Buffer, box.x, box.y, { cover: [box.width, box.height], align: 'center', valign: 'center' });
  doc.restore();
}
