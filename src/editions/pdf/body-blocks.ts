// A story body — the same block tree the site renders — set into a column flow: justified,
// hyphenated paragraphs with indents, subheads kept with their text, block quotes, lists,
// pull quotes between rules, pictures with caption and credit, and an end mark.
import type { Block, Inline } from '../../content/blocks.ts';
import type { Flow } from './flow.ts';
import { ITALIC_TEXT_FACES, SUBHEAD_FACES, inlineRuns, pdfLinkTarget, type Run, type RunStyle } from './inline-runs.ts';
import type { Line } from './line-breaker.ts';
import type { OpenedPicture } from './pictures.ts';
import { BODY, COLOR } from './theme.ts';
import type { Typesetter } from './typesetter.ts';

export interface BodyOptions {
  set: Typesetter;
  flow: Flow;
  blocks: Block[];
  /** "BERGEN, Norway": opens the first paragraph. */
  dateline?: string;
  /** Body pictures by ImageRef id; a picture without one is left out. */
  pictureFor: (imageId: string) => OpenedPicture | undefined;
  /** Ends the story with a small square after its last words. */
  hasEndMark?: boolean;
  size?: number;
  leading?: number;
  /** Narrow frames (the contents sidebar) read better ragged than justified. */
  align?: 'justify' | 'left';
}

const CAPTION: RunStyle = { font: 'sans', size: 7.4, color: COLOR.muted };
const CREDIT: RunStyle = { font: 'sans-semibold', size: 6.2, color: COLOR.faint };

export function renderBody(opts: BodyOptions): void {
  const { set, flow } = opts;
  const size = opts.size ?? BODY.size;
  const leading = opts.leading ?? BODY.leading;
  const body = { size, color: COLOR.body, linkColor: COLOR.accent };
  let previous: Block['type'] | null = null;
  let datelinePending = Boolean(opts.dateline);
  const lastProse = findLastIndex(opts.blocks, (b) => b.type === 'paragraph');

  opts.blocks.forEach((block, index) => {
    switch (block.type) {
      case 'paragraph': {
        let runs = inlineRuns(block.c, body);
        if (datelinePending) {
          runs = [{ text: `${opts.dateline} —`, style: { font: 'sans-bold', size: size * 0.84, color: COLOR.ink } }, { text: ' ', style: { font: 'serif', size, color: COLOR.body } }, ...runs];
          datelinePending = false;
        }
        const indent = previous === 'paragraph' ? BODY.indent : 0;
        const lines = set.lines(runs, { width: flow.frame.width, align: opts.align ?? 'justify', firstIndent: indent, isHyphenated: true });
        const last = placeLines(set, flow, lines, leading);
        if (opts.hasEndMark && index === lastProse && last) {
          const side = size * 0.46;
          set.fillRect(last.x + last.line.width + 4, last.baseline - side, side, side, COLOR.accent);
        }
        break;
      }
      case 'heading': {
        const style: RunStyle = { font: 'sans-bold', size: block.level === 2 ? size + 0.6 : size, color: block.level === 2 ? COLOR.accent : COLOR.ink };
        const lines = set.lines(inlineRuns(block.c, { size: style.size, color: style.color, faces: SUBHEAD_FACES }), { width: flow.frame.width });
        const lineHeight = style.size * 1.3;
        flow.space(leading * 0.9);
        // A subhead never ends a column: keep it with three lines of what it introduces.
        flow.ensure(lines.length * lineHeight + 3 * leading);
        placeLines(set, flow, lines, lineHeight);
        flow.space(3);
        break;
      }
      case 'quote': {
        flow.space(leading * 0.45);
        const inset = 12;
        block.paragraphs.forEach((p, i) => {
          const lines = set.lines(inlineRuns(p, { ...body, faces: ITALIC_TEXT_FACES }), { width: flow.frame.width - inset * 2, align: 'justify', isHyphenated: true });
          if (i > 0) flow.space(leading * 0.35);
          placeLines(set, flow, lines, leading, { inset, bar: COLOR.rule });
        });
        flow.space(leading * 0.45);
        break;
      }
      case 'pullquote':
        renderPullquote(set, flow, block.c, block.attribution);
        break;
      case 'list': {
        flow.space(leading * 0.35);
        const inset = 13;
        block.items.forEach((item, i) => {
          const lines = set.lines(inlineRuns(item, body), { width: flow.frame.width - inset, align: 'left', isHyphenated: true });
          flow.ensure(Math.min(2, lines.length) * leading);
          const marker = block.ordered ? `${i + 1}.` : '•';
          set.label(marker, { font: block.ordered ? 'sans-bold' : 'serif', size: block.ordered ? size * 0.8 : size, color: COLOR.accent }, { x: flow.frame.x + 2, y: flow.y + leading * 0.76 });
          placeLines(set, flow, lines, leading, { inset });
          flow.space(1.5);
        });
        flow.space(leading * 0.35);
        break;
      }
      case 'image': {
        const picture = block.image ? opts.pictureFor(block.image.id) : undefined;
        if (picture) renderPicture(set, flow, picture, { caption: block.caption ?? '', credit: block.credit ?? '' });
        break;
      }
      case 'embed': {
        // Checked again as inline links are: the block comes from the stored body, not straight
        // from the parser; an address that fails is printed, never linked.
        const target = pdfLinkTarget(block.url);
        const runs: Run[] = [
          { text: 'Online: ', style: { font: 'sans-bold', size: 7.6, color: COLOR.ink } },
          { text: block.url, style: { font: 'sans', size: 7.6, color: COLOR.accent }, ...(target ? { href: target } : {}) },
        ];
        flow.space(leading * 0.4);
        placeLines(set, flow, set.lines(runs, { width: flow.frame.width }), 10.5);
        flow.space(leading * 0.4);
        break;
      }
      case 'divider': {
        flow.space(leading * 0.5);
        flow.ensure(leading);
        const mid = flow.frame.x + flow.frame.width / 2;
        for (const dx of [-10, 0, 10]) set.fillCircle(mid + dx, flow.y + leading / 2, 1.2, COLOR.accent);
        flow.y += leading;
        flow.space(leading * 0.5);
        break;
      }
    }
    previous = block.type;
  });
}

/**
 * Places lines one at a time, moving to the next frame when full, never leaving a paragraph's
 * first or last line alone at the foot or head of a column. Returns where the last line went.
 */
function placeLines(
  set: Typesetter,
  flow: Flow,
  lines: Line[],
  leading: number,
  opts: { inset?: number; bar?: string } = {},
): { line: Line; x: number; baseline: number } | null {
  const inset = opts.inset ?? 0;
  let last: { line: Line; x: number; baseline: number } | null = null;
  lines.forEach((line, i) => {
    const isOrphanRisk = i === 0 && lines.length > 1;
    const isWidowRisk = i === lines.length - 2 && lines.length > 2;
    flow.ensure(isOrphanRisk || isWidowRisk ? leading * 2 : leading);
    const x = flow.frame.x + inset;
    const baseline = flow.y + leading * 0.76;
    if (opts.bar) set.fillRect(flow.frame.x + 2, flow.y, 1.2, leading, opts.bar);
    set.drawLine(line, { x, baseline });
    flow.y += leading;
    last = { line, x, baseline };
  });
  return last;
}

function renderPullquote(set: Typesetter, flow: Flow, c: Inline[], attribution: string | undefined): void {
  const size = 15.5;
  const leading = 19;
  const lines = set.lines(inlineRuns(c, { size, color: COLOR.ink, faces: ITALIC_TEXT_FACES }), { width: flow.frame.width - 6 });
  const attrStyle: RunStyle = { font: 'sans-semibold', size: 7, color: COLOR.muted };
  const height = 12 + lines.length * leading + (attribution ? 16 : 0) + 12;
  flow.space(BODY.leading * 0.8);
  flow.ensure(height);
  const x = flow.frame.x;
  const w = flow.frame.width;
  set.fillRect(x, flow.y, w, 2, COLOR.accent);
  flow.y += 12;
  flow.y = set.drawBlock(lines, { x, top: flow.y, leading });
  if (attribution) {
    set.label(`— ${attribution}`.toUpperCase(), attrStyle, { x, y: flow.y + 10, tracking: 0.7 });
    flow.y += 16;
  }
  flow.y += 8;
  set.fillRect(x, flow.y, w, 0.6, COLOR.rule);
  flow.y += 4;
  flow.space(BODY.leading * 0.8);
}

/** A body picture at column width (cropped if very tall), then its caption and credit. */
export function renderPicture(set: Typesetter, flow: Flow, picture: OpenedPicture, text: { caption: string; credit: string }): void {
  const width = flow.frame.width;
  const frameHeight = flow.frame.bottom - flow.frame.top;
  const height = Math.min((width * picture.height) / picture.width, frameHeight * 0.55);
  const lines = captionLines(set, text, width);
  const captionHeight = lines.length ? 4 + lines.length * 9.6 : 0;
  flow.space(BODY.leading * 0.6);
  flow.ensure(height + captionHeight);
  set.picture(picture, { x: flow.frame.x, y: flow.y, width, height });
  flow.y += height;
  if (lines.length) flow.y = set.drawBlock(lines, { x: flow.frame.x, top: flow.y + 4, leading: 9.6 });
  flow.space(BODY.leading * 0.8);
}

/** Caption in the sans, then the credit in small capitals-like caps, set apart by a space. */
export function captionLines(set: Typesetter, text: { caption: string; credit: string }, width: number): Line[] {
  const runs: Run[] = [];
  if (text.caption) runs.push({ text: text.caption, style: CAPTION });
  if (text.credit) {
    if (runs.length) runs.push({ text: '   ', style: CAPTION });
    runs.push({ text: text.credit.toUpperCase(), style: CREDIT });
  }
  return runs.length ? set.lines(runs, { width }) : [];
}

function findLastIndex<T>(items: T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}
