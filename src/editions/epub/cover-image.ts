// The cover as e-reader shelves show it: one portrait JPEG with the nameplate, issue line,
// title and cover lines set on the cover picture. Library thumbnails are all a reader sees of
// the book before opening it, so the words must be part of the picture.
// Text is set by sharp's Pango renderer from the project's own TTF files, so the cover uses
// the same faces as the pages whatever fonts the machine has.
import sharp, { type OverlayOptions } from 'sharp';
import { escapeHtml } from '../../content/escape.ts';
import type { EditionContent } from '../types.ts';
import { FONT_FILES } from './epub-stylesheet.ts';

/** 2:3 portrait at a size e-reader stores recommend (1600 × 2400). */
export const COVER_WIDTH = 1600;
export const COVER_HEIGHT = 2400;
const MARGIN = 110;
const TEXT_WIDTH = COVER_WIDTH - 2 * MARGIN;
const PAPER = '#f4efe6';
const INK_BACKGROUND = '#1e2a33';

interface TextLayer {
  input: Buffer;
  width: number;
  height: number;
}

/** One block of text as a transparent PNG; Pango wraps it to `width`. */
async function textLayer({ text, font, fontfile, sizePx, width, height, color = PAPER, align = 'centre', letterSpacing = 0 }: {
  text: string;
  font: string;
  fontfile: string;
  sizePx: number;
  width: number;
  /** Set to shrink the text to fit a box (the nameplate); otherwise it sets at `sizePx`. */
  height?: number;
  color?: string;
  align?: 'left' | 'centre';
  letterSpacing?: number;
}): Promise<TextLayer> {
  // Pango markup: the text is escaped like XML, spacing is in 1/1024 pt.
  const spacing = letterSpacing ? ` letter_spacing="${Math.round(letterSpacing * 1024)}"` : '';
  const markup = `<span foreground="${color}"${spacing}>${escapeHtml(text)}</span>`;
  const { data, info } = await sharp({
    text: {
      text: markup,
      font: height ? font : `${font} ${sizePx}`,
      fontfile,
      width,
      ...(height ? { height } : { dpi: 72 }),
      align,
      rgba: true,
      wrap: 'word',
    },
  })
    .png()
    .toBuffer({ resolveWithObject: true });
  return { input: data, width: info.width, height: info.height };
}

async function background(content: EditionContent): Promise<Buffer> {
  // Shade the top and bottom so light type stays legible on any photograph.
  const shade = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${COVER_WIDTH}" height="${COVER_HEIGHT}">
<defs>
<linearGradient id="top" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#000" stop-opacity="0.72"/><stop offset="1" stop-color="#000" stop-opacity="0"/></linearGradient>
<linearGradient id="bottom" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.85"/></linearGradient>
</defs>
<rect x="0" y="0" width="${COVER_WIDTH}" height="${Math.round(COVER_HEIGHT * 0.34)}" fill="url(#top)"/>
<rect x="0" y="${Math.round(COVER_HEIGHT * 0.45)}" width="${COVER_WIDTH}" height="${Math.round(COVER_HEIGHT * 0.55)}" fill="url(#bottom)"/>
</svg>`,
  );
  const base = content.coverImage
    ? sharp(content.coverImage.file).resize(COVER_WIDTH, COVER_HEIGHT, { fit: 'cover', position: 'attention' })
    : sharp({ create: { width: COVER_WIDTH, height: COVER_HEIGHT, channels: 3, background: INK_BACKGROUND } });
  return base.composite([{ input: shade }]).removeAlpha().raw().toBuffer();
}

/** The cover JPEG for an edition (about 0.3–0.6 MB). */
export async function renderCoverJpeg(content: EditionContent): Promise<Buffer> {
  const [bg, nameplate, issueLine, title, tagline, ...coverLines] = await Promise.all([
    background(content),
    textLayer({ text: content.publicationName, font: 'Newsreader Bold', fontfile: FONT_FILES.display, sizePx: 200, width: TEXT_WIDTH, height: 220 }),
    textLayer({
      text: `No. ${content.number}  ·  ${content.dateLine}`.toUpperCase(),
      font: 'Libre Franklin SemiBold', fontfile: FONT_FILES.label, sizePx: 40, width: TEXT_WIDTH, letterSpacing: 4,
    }),
    textLayer({ text: content.title, font: 'Newsreader Bold', fontfile: FONT_FILES.display, sizePx: 128, width: TEXT_WIDTH, align: 'left' }),
    textLayer({ text: content.tagline || ' ', font: 'Newsreader Italic', fontfile: FONT_FILES.textItalic, sizePx: 42, width: TEXT_WIDTH }),
    ...content.coverLines.slice(0, 4).map((line) =>
      textLayer({ text: line, font: 'Libre Franklin SemiBold', fontfile: FONT_FILES.label, sizePx: 48, width: TEXT_WIDTH, align: 'left' }),
    ),
  ]);

  const layers: OverlayOptions[] = [];
  const centred = (layer: TextLayer, top: number) => layers.push({ input: layer.input, top: Math.round(top), left: Math.round((COVER_WIDTH - layer.width) / 2) });
  const leftAligned = (layer: TextLayer, top: number) => layers.push({ input: layer.input, top: Math.round(top), left: MARGIN });

  // Masthead block, from the top.
  let y = 100;
  centred(nameplate, y + (220 - nameplate.height) / 2);
  y += 220 + 30;
  const rule = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${TEXT_WIDTH}" height="4"><rect width="100%" height="100%" fill="${PAPER}"/></svg>`);
  layers.push({ input: rule, top: y, left: MARGIN });
  y += 28;
  centred(issueLine, y);

  // Story block, from the bottom up: tagline, cover lines, a short rule, the title. A long
  // title or many long cover lines must not run into the masthead: drop cover lines from the
  // end first, then shrink the title into what is left.
  const ceiling = y + issueLine.height + 90;
  const floor = COVER_HEIGHT - 90 - tagline.height - 70;
  const linesHeight = (lines: TextLayer[]) => lines.reduce((sum, l) => sum + l.height + 22, 0);
  const titleGap = 36 + 10 + 40;
  let lines = coverLines;
  while (lines.length > 0 && floor - linesHeight(lines) - titleGap - title.height < ceiling) lines = lines.slice(0, -1);
  const titleRoom = floor - linesHeight(lines) - titleGap - ceiling;
  const fittedTitle = title.height <= titleRoom
    ? title
    : await textLayer({ text: content.title, font: 'Newsreader Bold', fontfile: FONT_FILES.display, sizePx: 128, width: TEXT_WIDTH, height: titleRoom, align: 'left' });

  centred(tagline, COVER_HEIGHT - 90 - tagline.height);
  let bottom = floor;
  for (const line of [...lines].reverse()) {
    bottom -= line.height;
    leftAligned(line, bottom);
    bottom -= 22;
  }
  bottom -= 36;
  const accent = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="160" height="10"><rect width="100%" height="100%" fill="#d23c2f"/></svg>`);
  layers.push({ input: accent, top: Math.round(bottom - 10), left: MARGIN });
  bottom -= 10 + 40;
  leftAligned(fittedTitle, bottom - fittedTitle.height);

  return sharp(bg, { raw: { width: COVER_WIDTH, height: COVER_HEIGHT, channels: 3 } })
    .composite(layers)
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer();
}
