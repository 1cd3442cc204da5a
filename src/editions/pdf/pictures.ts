// Pictures for the PDF: each file read once, re-encoded only when it is larger than print needs
// (1,500 px across a 7-inch text area is ~210 dpi) or not a plain baseline JPEG, then opened in
// PDFKit once so a picture used twice (cover and story) is embedded once.
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

/** Prepares every distinct file, a few at a time, and opens each in the document. */
export async function openPictures(doc: PDFKit.PDFDocument, files: string[]): Promise<Map<string, OpenedPicture>> {
  const unique = [...new Set(files)];
  const bytes = new Map<string, Buffer>();
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const file = unique[next++];
      bytes.set(file, await preparePicture(file));
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, unique.length) }, worker));
  const opener = doc as unknown as { openImage(src: Buffer): OpenedPicture };
  // Opened in the given order so the image labels, and so the bytes, are the same every build.
  const out = new Map<string, OpenedPicture>();
  for (const file of unique) out.set(file, opener.openImage(bytes.get(file)!));
  return out;
}

/** Draws a picture filling the box, cropped around its centre. */
export function drawPicture(doc: PDFKit.PDFDocument, picture: OpenedPicture, box: { x: number; y: number; width: number; height: number }): void {
  doc.save();
  doc.rect(box.x, box.y, box.width, box.height).clip();
  doc.image(picture as unknown as Buffer, box.x, box.y, { cover: [box.width, box.height], align: 'center', valign: 'center' });
  doc.restore();
}
