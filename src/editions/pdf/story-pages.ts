// One story: it opens on a new page with its section label, headline, dek, byline and lead
// picture across the text area, then its body runs in two columns over as many pages as it takes.
import type { EditionStory } from '../types.ts';
import { captionLines, renderBody } from './body-blocks.ts';
import { Flow, type Frame } from './flow.ts';
import type { RunStyle } from './inline-runs.ts';
import type { PageBook } from './page-book.ts';
import { drawPicture, type OpenedPicture } from './pictures.ts';
import { BODY, COLOR, COLUMNS, TEXT_AREA, columnWidth } from './theme.ts';
import type { Typesetter } from './typesetter.ts';

export interface PlacedStory {
  firstPage: number;
  lastPage: number;
}

const LEAD_PICTURE_MAX_HEIGHT = 300;

export function renderStory(opts: {
  set: Typesetter;
  book: PageBook;
  story: EditionStory;
  destination: string;
  /** "November 18": the story's date in the publication's time zone. */
  dateText: string;
  pictures: Map<string, OpenedPicture>;
}): PlacedStory {
  const { set, book, story } = opts;
  const { doc } = set;
  const firstPage = book.add({ kind: 'story', section: story.sectionName });
  const x = TEXT_AREA.x;
  const width = TEXT_AREA.width;
  let y = TEXT_AREA.top + 8;
  doc.addNamedDestination(opts.destination, 'XYZ', 0, y - 30, null);

  // Section label under a short accent bar.
  doc.rect(x, y, 26, 3).fill(COLOR.accent);
  set.label(story.sectionName.toUpperCase(), { font: 'sans-heavy', size: 8.2, color: COLOR.accent }, { x, y: y + 18, tracking: 1.8 });
  y += 30;

  const headlineStyle: RunStyle = { font: 'serif-semibold', size: 31, color: COLOR.ink };
  y = set.drawBlock(set.lines([{ text: story.headline, style: headlineStyle }], { width: width * 0.94 }), { x, top: y, leading: 34 });
  if (story.dek) {
    y += 6;
    y = set.drawBlock(set.lines([{ text: story.dek, style: { font: 'serif-italic', size: 14, color: COLOR.muted } }], { width: width * 0.84 }), { x, top: y, leading: 18.5 });
  }
  y += 10;
  const bylineParts = [story.byline, opts.dateText].filter(Boolean).map((s) => s.toUpperCase());
  if (bylineParts.length) {
    set.label(bylineParts.join('   ·   '), { font: 'sans-bold', size: 7.2, color: COLOR.ink }, { x, y: y + 8, tracking: 1 });
    y += 16;
  }

  const picture = story.image ? opts.pictures.get(story.image.file) : undefined;
  if (story.image && picture) {
    y += 4;
    const height = Math.min((width * picture.height) / picture.width, LEAD_PICTURE_MAX_HEIGHT);
    drawPicture(doc, picture, { x, y, width, height });
    y += height + 5;
    y = set.drawBlock(captionLines(set, { caption: story.image.caption, credit: story.image.credit }, width), { x, top: y, leading: 9.6 });
    y += 12;
  } else {
    doc.rect(x, y + 2, width, 0.6).fill(COLOR.rule);
    y += 16;
  }

  // The body in columns: the rest of this page, then full pages. A rehearsal first finds how
  // much falls on the last page, so its columns can end level instead of one full, one empty.
  const colWidth = columnWidth(width, COLUMNS.count, COLUMNS.gap);
  const inlinePictures = (id: string) => {
    const file = story.inlineImages[id];
    return file ? opts.pictures.get(file) : undefined;
  };
  const body = { blocks: story.blocks, ...(story.dateline ? { dateline: story.dateline } : {}), pictureFor: inlinePictures, hasEndMark: true };
  const rehearsal = rehearseColumns({ set, firstTop: y, x, colWidth, body });
  const column = (page: number, storyPage: number, index: number, top: number): Frame => {
    const isShortened = index === 0 && storyPage === rehearsal.lastStoryPage && rehearsal.balancedHeight !== null;
    const bottom = isShortened ? Math.min(TEXT_AREA.bottom, top + rehearsal.balancedHeight!) : TEXT_AREA.bottom;
    return { page, x: x + index * (colWidth + COLUMNS.gap), top, bottom, width: colWidth };
  };
  let storyPage = 0;
  const flow = new Flow({
    first: column(firstPage, 0, 0, y),
    next: (frame) => {
      const i = Math.round((frame.x - x) / (colWidth + COLUMNS.gap));
      if (i + 1 < COLUMNS.count) return { ...column(frame.page, storyPage, i + 1, frame.top), bottom: TEXT_AREA.bottom };
      storyPage += 1;
      return column(book.add({ kind: 'story', section: story.sectionName }), storyPage, 0, TEXT_AREA.top);
    },
    enter: (frame) => doc.switchToPage(frame.page),
  });
  renderBody({ set, flow, ...body });
  return { firstPage, lastPage: flow.frame.page };
}

/**
 * Sets the body without painting, on pages numbered from 0 (the opening page), and returns the
 * last page's number and the column height that splits its text evenly (null: nothing to level).
 */
function rehearseColumns(opts: {
  set: Typesetter;
  firstTop: number;
  x: number;
  colWidth: number;
  body: Omit<Parameters<typeof renderBody>[0], 'set' | 'flow'>;
}): { lastStoryPage: number; balancedHeight: number | null } {
  const used: { page: number; index: number; height: number }[] = [];
  const frame = (page: number, index: number, top: number): Frame => ({ page, x: opts.x + index * (opts.colWidth + COLUMNS.gap), top, bottom: TEXT_AREA.bottom, width: opts.colWidth });
  const indexOf = (f: Frame) => Math.round((f.x - opts.x) / (opts.colWidth + COLUMNS.gap));
  const flow = new Flow({
    first: frame(0, 0, opts.firstTop),
    next: (f, usedTo) => {
      used.push({ page: f.page, index: indexOf(f), height: usedTo - f.top });
      return indexOf(f) + 1 < COLUMNS.count ? frame(f.page, indexOf(f) + 1, f.top) : frame(f.page + 1, 0, TEXT_AREA.top);
    },
  });
  renderBody({ set: opts.set.dry(), flow, ...opts.body });
  used.push({ page: flow.frame.page, index: indexOf(flow.frame), height: flow.y - flow.frame.top });
  const lastStoryPage = flow.frame.page;
  const onLast = used.filter((u) => u.page === lastStoryPage);
  const total = onLast.reduce((n, u) => n + Math.min(u.height, TEXT_AREA.bottom - flow.frame.top), 0);
  const full = TEXT_AREA.bottom - flow.frame.top;
  // A few lines are left as they fall; otherwise the first column takes half, plus a line of slack
  // for blocks that cannot split.
  if (total < BODY.leading * 4) return { lastStoryPage, balancedHeight: null };
  const half = Math.ceil(total / COLUMNS.count / BODY.leading) * BODY.leading + BODY.leading;
  return { lastStoryPage, balancedHeight: half >= full ? null : half };
}
