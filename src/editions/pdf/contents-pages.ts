// The contents: every story under its section with its page number, each entry a link to its
// page, beside a sidebar with the cover picture and the editor's introduction. Laid out before
// the stories (the entries do not depend on the numbers' values, only on their box), numbered
// after them.
import { parseMarkdown } from '../../content/markdown.ts';
import type { EditionContent } from '../types.ts';
import { renderBody, captionLines } from './body-blocks.ts';
import { Flow, type Frame } from './flow.ts';
import type { RunStyle } from './inline-runs.ts';
import type { PageBook } from './page-book.ts';
import { drawPicture, type OpenedPicture } from './pictures.ts';
import { COLOR, TEXT_AREA } from './theme.ts';
import type { Typesetter } from './typesetter.ts';

/** Where one story's page number and link go, once the story has been placed. */
export interface ContentsSlot {
  storyIndex: number;
  page: number;
  /** Right edge and baseline of the page number. */
  numberRight: number;
  numberBaseline: number;
  link: { x: number; y: number; width: number; height: number };
}

const LIST_WIDTH = 334;
const GUTTER = 24;
const NUMBER_COLUMN = 36;
const HEADER_HEIGHT = 84;

const NUMBER_STYLE: RunStyle = { font: 'serif-bold', size: 18, color: COLOR.accent };

export function layoutContents(opts: { set: Typesetter; book: PageBook; content: EditionContent; coverPicture: OpenedPicture | undefined }): ContentsSlot[] {
  const { set, book, content } = opts;
  const { doc } = set;
  const contentsPages: number[] = [];
  const pageAt = (k: number): number => {
    while (contentsPages.length <= k) contentsPages.push(book.add({ kind: 'contents' }));
    return contentsPages[k];
  };
  const listFrame = (k: number): Frame => ({ page: pageAt(k), x: TEXT_AREA.x, top: TEXT_AREA.top + (k === 0 ? HEADER_HEIGHT : 6), bottom: TEXT_AREA.bottom, width: LIST_WIDTH });
  const sideFrame = (k: number): Frame => ({ page: pageAt(k), x: TEXT_AREA.x + LIST_WIDTH + GUTTER, top: TEXT_AREA.top + (k === 0 ? HEADER_HEIGHT : 6), bottom: TEXT_AREA.bottom, width: TEXT_AREA.width - LIST_WIDTH - GUTTER });
  const indexOf = (frame: Frame) => contentsPages.indexOf(frame.page);

  drawHeader(set, content, pageAt(0));

  // The list of stories, section by section.
  const enter = (f: Frame) => doc.switchToPage(f.page);
  const list = new Flow({ first: listFrame(0), next: (f) => listFrame(indexOf(f) + 1), enter });
  const slots: ContentsSlot[] = [];
  const sectionStyle: RunStyle = { font: 'sans-heavy', size: 7.6, color: COLOR.accent };
  const headlineStyle: RunStyle = { font: 'serif-semibold', size: 12, color: COLOR.ink };
  const dekStyle: RunStyle = { font: 'serif-italic', size: 8.9, color: COLOR.muted };
  const bylineStyle: RunStyle = { font: 'sans-semibold', size: 6.4, color: COLOR.faint };
  const textWidth = LIST_WIDTH - NUMBER_COLUMN;
  let section: string | null = null;
  content.stories.forEach((story, storyIndex) => {
    const headline = set.lines([{ text: story.headline, style: headlineStyle }], { width: textWidth });
    // Dek and byline share the lines under the headline, the byline in small sans capitals.
    const dekRuns = [
      ...(story.dek ? [{ text: story.dek, style: dekStyle }] : []),
      ...(story.dek && story.byline ? [{ text: '  ', style: dekStyle }] : []),
      ...(story.byline ? [{ text: story.byline.toUpperCase(), style: bylineStyle }] : []),
    ];
    const dek = dekRuns.length ? set.lines(dekRuns, { width: textWidth }) : [];
    const entryHeight = headline.length * 14.5 + dek.length * 11.5 + 4;
    if (story.sectionName !== section) {
      section = story.sectionName;
      list.space(10);
      list.ensure(20 + entryHeight);
      doc.rect(list.frame.x, list.y, LIST_WIDTH, 1.4).fill(COLOR.ink);
      set.label(section.toUpperCase(), sectionStyle, { x: list.frame.x, y: list.y + 14, tracking: 1.5 });
      list.y += 20;
    } else {
      list.ensure(entryHeight);
    }
    const top = list.y;
    const x = list.frame.x + NUMBER_COLUMN;
    let y = set.drawBlock(headline, { x, top, leading: 14.5 });
    if (dek.length) y = set.drawBlock(dek, { x, top: y + 1, leading: 11.5 });
    slots.push({
      storyIndex,
      page: list.frame.page,
      numberRight: list.frame.x + NUMBER_COLUMN - 10,
      numberBaseline: top + 14.5 * 0.76 + 1,
      link: { x: list.frame.x, y: top, width: LIST_WIDTH, height: y - top },
    });
    list.y = y + 4;
    // A hairline between entries of one section.
    const nextStory = content.stories[storyIndex + 1];
    if (nextStory && nextStory.sectionName === section) {
      doc.rect(x, list.y + 1, textWidth, 0.4).fill(COLOR.rule);
      list.y += 6;
    }
  });

  // The sidebar: the cover picture, then the editor's introduction.
  const side = new Flow({ first: sideFrame(0), next: (f) => sideFrame(indexOf(f) + 1), enter });
  doc.rect(side.frame.x - GUTTER / 2, side.frame.top, 0.5, side.frame.bottom - side.frame.top).fill(COLOR.rule);
  const cover = content.stories.find((s) => s.articleId === content.coverStoryId);
  if (opts.coverPicture) {
    const width = side.frame.width;
    const height = Math.min(width * (opts.coverPicture.height / opts.coverPicture.width), 150);
    side.y += 4;
    set.label('On the cover'.toUpperCase(), sectionStyle, { x: side.frame.x, y: side.y + 6, tracking: 1.5 });
    side.y += 14;
    drawPicture(doc, opts.coverPicture, { x: side.frame.x, y: side.y, width, height });
    side.y += height + 4;
    const caption = captionLines(set, { caption: cover ? cover.headline : content.title, credit: content.coverImage?.credit ?? '' }, width);
    side.y = set.drawBlock(caption, { x: side.frame.x, top: side.y, leading: 9.6 });
    side.y += 18;
  }
  if (content.intro.trim()) {
    side.ensure(60);
    doc.rect(side.frame.x, side.y, side.frame.width, 1.4).fill(COLOR.ink);
    set.label('From the editor'.toUpperCase(), sectionStyle, { x: side.frame.x, y: side.y + 14, tracking: 1.5 });
    side.y += 24;
    renderBody({ set, flow: side, blocks: parseMarkdown(content.intro), pictureFor: () => undefined, size: 9.4, leading: 13, align: 'left' });
  }
  return slots;
}

function drawHeader(set: Typesetter, content: EditionContent, page: number): void {
  const { doc } = set;
  doc.switchToPage(page);
  const x = TEXT_AREA.x;
  const top = TEXT_AREA.top;
  set.label('Contents', { font: 'serif-semibold', size: 46, color: COLOR.ink }, { x, y: top + 44 });
  const meta: RunStyle = { font: 'sans-bold', size: 7.6, color: COLOR.accent };
  set.label(`No. ${content.number} · ${content.dateLine}`.toUpperCase(), meta, { x, y: top + 24, tracking: 1.4, align: 'right', width: TEXT_AREA.width });
  set.label(content.title, { font: 'serif-italic', size: 14, color: COLOR.muted }, { x, y: top + 44, align: 'right', width: TEXT_AREA.width });
  doc.rect(x, top + 58, TEXT_AREA.width, 2.4).fill(COLOR.ink);
  doc.rect(x, top + 62.5, TEXT_AREA.width, 0.5).fill(COLOR.ink);
}

/** Writes each story's page number into its slot and makes the whole entry a link to it. */
export function numberContents(opts: { set: Typesetter; slots: ContentsSlot[]; destinationOf: (storyIndex: number) => string; folioOf: (storyIndex: number) => number }): void {
  const { set, slots } = opts;
  for (const slot of slots) {
    set.doc.switchToPage(slot.page);
    const text = String(opts.folioOf(slot.storyIndex));
    set.label(text, NUMBER_STYLE, { x: slot.numberRight - 60, y: slot.numberBaseline + 2, align: 'right', width: 60 });
    set.doc.goTo(slot.link.x, slot.link.y, slot.link.width, slot.link.height, opts.destinationOf(slot.storyIndex));
  }
}
