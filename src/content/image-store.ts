// Stores uploaded pictures as responsive variants under {dir}/{id}/, where id is a content hash.
// Uploads are untrusted: the format is sniffed by sharp from the bytes, the pixel count is checked
// from the header before anything is decoded, and only plain raster formats are accepted (SVG can
// carry scripts and external references into our origin; animation would be silently flattened).

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import type { ImageRef } from './blocks.ts';

export type StoredImage = ImageRef & { format: string };

export type ImageErrorCode = 'image-invalid' | 'image-unsupported' | 'image-too-large' | 'image-animated';

export class ImageError extends Error {
  readonly code: ImageErrorCode;

  constructor(code: ImageErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ImageError';
    this.code = code;
  }
}

const ACCEPTED_FORMATS: readonly string[] = ['jpeg', 'png', 'webp', 'gif'];
const VARIANT_WIDTHS = [400, 800, 1200, 1600];
const DEFAULT_MAX_PIXELS = 40_000_000;
// Each encode already uses libvips' own thread pool; a few at a time keeps memory flat.
const ENCODE_CONCURRENCY = 4;

const ID_RE = /^[0-9a-f]{24}$/;
const FILE_RE = /^(\d{2,4})\.(webp|jpg)$/;

export async function storeImage(opts: { dir: string; input: Buffer; maxPixels?: number }): Promise<StoredImage> {
  const { dir, input } = opts;
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const id = createHash('sha256').update(input).digest('hex').slice(0, 24);
  const folder = path.join(path.resolve(dir), id);

  const existing = await readMeta(folder, id);
  if (existing) return existing;

  const { format, width, height } = await inspect(input, maxPixels);

  const widths = VARIANT_WIDTHS.filter((w) => w <= width);
  if (widths.length === 0) widths.push(width);
  const heightAt = (w: number) => Math.max(1, Math.round((w * height) / width));

  // Decode once, down to the largest variant, and derive the smaller ones from that: a 40 MP
  // upload is then decoded a single time (JPEG shrink-on-load makes even that cheap) instead of
  // once per variant. The limit is a backstop should the header and the pixel data disagree.
  const top = widths[widths.length - 1];
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    let pipeline = sharp(input, { limitInputPixels: maxPixels, autoOrient: true });
    if (top !== width) pipeline = pipeline.resize({ width: top, height: heightAt(top), fit: 'fill' });
    decoded = await pipeline.toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (err) {
    if (err instanceof Error && /pixel limit/i.test(err.message)) throw tooLarge(width, height, maxPixels, err);
    throw new ImageError('image-invalid', 'The picture is damaged or incomplete and could not be read.', { cause: err });
  }
  const raw = {
    width: decoded.info.width,
    height: decoded.info.height,
    channels: decoded.info.channels as 1 | 2 | 3 | 4,
  };

  await mkdir(folder, { recursive: true });
  const jobs = widths.flatMap((w) => [
    { w, ext: 'webp' as const },
    { w, ext: 'jpg' as const },
  ]);
  await mapLimit(jobs, ENCODE_CONCURRENCY, async ({ w, ext }) => {
    let img = sharp(decoded.data, { raw });
    if (w !== raw.width) img = img.resize({ width: w, height: heightAt(w), fit: 'fill' });
    const bytes =
      ext === 'webp'
        ? await img.webp({ quality: 78 }).toBuffer()
        : // JPEG has no alpha: transparent areas become white rather than black. JPEG is the
          // fallback (browsers take WebP), so it skips mozjpeg's trellis search: 3x faster
          // to encode for ~14% more bytes.
          await img.flatten({ background: '#ffffff' }).jpeg({ quality: 80, progressive: true, optimiseCoding: true }).toBuffer();
    await writeAtomic(path.join(folder, `${w}.${ext}`), bytes);
  });

  const stored: StoredImage = { id, width, height, widths, format };
  // Written last: a folder without meta.json is incomplete and is rebuilt on the next store.
  await writeAtomic(path.join(folder, 'meta.json'), Buffer.from(JSON.stringify(stored)));
  return stored;
}

/** Absolute path of a variant for a request of `{id}/{file}`, or null if the request is not one we serve. */
export function mediaFile(dir: string, id: string, file: string): string | null {
  // Both parts are whitelisted by pattern, so no separator, dot-dot, encoding or NUL can get through.
  if (!ID_RE.test(id) || !FILE_RE.test(file)) return null;
  return path.join(path.resolve(dir), id, file);
}

async function inspect(input: Buffer, maxPixels: number): Promise<{ format: string; width: number; height: number }> {
  let meta: Metadata;
  try {
    // Only the header is read here, so no pixel limit is needed yet; it is enforced just below
    // with a stable error code, and again by sharp when decoding.
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new ImageError('image-invalid', 'The file is not a picture we can read.', { cause: err });
  }
  if (!ACCEPTED_FORMATS.includes(meta.format)) {
    throw new ImageError(
      'image-unsupported',
      `${meta.format.toUpperCase()} pictures are not accepted; upload a JPEG, PNG, WebP or GIF.`,
    );
  }
  if (!meta.width || !meta.height) throw new ImageError('image-invalid', 'The picture has no dimensions.');
  if (meta.width * meta.height > maxPixels) throw tooLarge(meta.width, meta.height, maxPixels);
  // libvips reads only the first frame of an APNG and reports one page, so look for its animation chunk.
  if ((meta.pages ?? 1) > 1 || (meta.format === 'png' && isAnimatedPng(input))) {
    throw new ImageError('image-animated', 'Animated pictures are not accepted; upload a still image.');
  }
  return { format: meta.format, width: meta.autoOrient.width, height: meta.autoOrient.height };
}

function tooLarge(width: number, height: number, maxPixels: number, cause?: unknown): ImageError {
  const mp = (n: number) => `${(n / 1e6).toFixed(1)} megapixels`;
  return new ImageError(
    'image-too-large',
    `The picture is ${width}×${height} (${mp(width * height)}); the limit is ${mp(maxPixels)}.`,
    cause === undefined ? undefined : { cause },
  );
}

/** True if a PNG declares more than one frame in an acTL chunk (which must precede the image data). */
function isAnimatedPng(buf: Buffer): boolean {
  let at = 8; // past the signature
  while (at + 8 <= buf.length) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT' || type === 'IEND') return false;
    if (type === 'acTL') return at + 12 <= buf.length && buf.readUInt32BE(at + 8) > 1;
    at += 12 + length;
  }
  return false;
}

async function readMeta(folder: string, id: string): Promise<StoredImage | null> {
  let text: string;
  try {
    text = await readFile(path.join(folder, 'meta.json'), 'utf8');
  } catch {
    return null;
  }
  try {
    const meta = JSON.parse(text) as Partial<StoredImage>;
    const ok =
      meta.id === id &&
      typeof meta.width === 'number' &&
      typeof meta.height === 'number' &&
      typeof meta.format === 'string' &&
      Array.isArray(meta.widths) &&
      meta.widths.length > 0 &&
      meta.widths.every((w) => typeof w === 'number');
    return ok ? (meta as StoredImage) : null;
  } catch {
    return null;
  }
}

/** Write via a temporary name and rename, so readers never see a half-written file. */
async function writeAtomic(file: string, bytes: Buffer): Promise<void> {
  const tmp = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(bytes);
      // Flushed before the rename so meta.json can never outlive the variants after a power cut.
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Runs fn over items with at most `limit` in flight; after a failure no new work starts, and the first error is thrown once in-flight work has settled. */
async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (errors.length === 0 && next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
}
