// EditionContent → what epub-gen-memory needs: metadata, chapters in reading order, and the
// contents tree (sections → stories). Pure: pictures, fonts and the cover arrive already
// resolved, so the plan can be tested without building a book.
import type { Chapter, Options } from 'epub-gen-memory';
import { parseMarkdown } from '../../content/markdown.ts';
import type { EditionContent } from '../types.ts';
import { editionBookId } from './book-id.ts';
import { chapterTemplate, navTemplate, ncxTemplate, packageTemplate } from './epub-templates.ts';
import { BOOK_CSS, type BookFont } from './epub-stylesheet.ts';
import { blocksPlainText, introXhtml, storyXhtml, type PictureSrc } from './story-xhtml.ts';

export interface NavEntry {
  id: string;
  label: string;
  href: string;
  /** NCX reading order: 1, 2, 3 … in document order. */
  playOrder: number;
  children: NavEntry[];
}

export interface BookMeta {
  identifier: string;
  author: string;
  /** The edition's last day, YYYY-MM-DD. */
  date: string;
  /** dcterms:modified, CCYY-MM-DDThh:mm:ssZ, taken from the content so rebuilds agree. */
  modified: string;
  source: string;
  subjects: string[];
  series: string;
  number: number;
  dateLine: string;
  editionTitle: string;
  landmarks: { type: string; href: string; label: string }[];
}

/** Fields our templates read besides the builder's own; the builder passes unknown ones through. */
export type BookOptions = Options & { book: BookMeta; nav: NavEntry[] };
export type BookChapter = Chapter & { id: string; filename: string; bodyClass?: string; coverFile?: string; coverAlt?: string };

export const INTRO_HEADING = 'From the Editor';
const COVER_PAGE = 'cover.xhtml';
const DESCRIPTION_MAX = 600;

export function bookTitle(content: EditionContent): string {
  return `${content.publicationName} — ${content.title}, No. ${content.number}`;
}

export function storyFilename(index: number): string {
  return `story-${String(index + 1).padStart(2, '0')}.xhtml`;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function description(content: EditionContent, introText: string): string {
  const head = `${content.publicationName}, No. ${content.number}, ${content.dateLine}: ${content.title}.`;
  const lines = content.coverLines.length ? ` Inside: ${content.coverLines.join('; ')}.` : '';
  const full = `${head}${lines}${introText ? ` ${introText}` : ''}`;
  return full.length <= DESCRIPTION_MAX ? full : `${full.slice(0, DESCRIPTION_MAX - 1).replace(/\s+\S*$/, '')}…`;
}

/** Sections are runs of the same sectionName in reading order, each holding its stories. */
export function contentsTree({ content, hasIntro }: { content: EditionContent; hasIntro: boolean }): NavEntry[] {
  const entries: NavEntry[] = [];
  let order = 0;
  if (hasIntro) entries.push({ id: 'nav-intro', label: INTRO_HEADING, href: 'intro.xhtml', playOrder: ++order, children: [] });
  let section: NavEntry | null = null;
  content.stories.forEach((story, i) => {
    const file = storyFilename(i);
    if (!section || section.label !== story.sectionName) {
      // A section is a heading in the contents; where a reader needs it to be a target (the
      // NCX), it is its first story's page, which shares that story's place in reading order.
      section = { id: `nav-section-${entries.length + 1}`, label: story.sectionName, href: file, playOrder: ++order, children: [] };
      entries.push(section);
      section.children.push({ id: `nav-story-${i + 1}`, label: story.headline, href: file, playOrder: order, children: [] });
      return;
    }
    section.children.push({ id: `nav-story-${i + 1}`, label: story.headline, href: file, playOrder: ++order, children: [] });
  });
  return entries;
}

export function planEditionBook({ content, pictureSrc, cover, fonts }: {
  content: EditionContent;
  pictureSrc: PictureSrc;
  /** The cover picture, or null for a book without one. */
  cover: File | null;
  fonts: BookFont[];
}): { options: BookOptions; chapters: BookChapter[] } {
  const base = content.publicUrl.replace(/\/+$/, '') + '/';
  const introBlocks = content.intro.trim() ? parseMarkdown(content.intro) : [];
  const hasIntro = introBlocks.length > 0;
  const title = bookTitle(content);

  const chapters: BookChapter[] = [];
  if (cover) {
    chapters.push({
      id: 'cover', filename: COVER_PAGE, title, content: '', beforeToc: true, excludeFromToc: true,
      bodyClass: 'cover-page', coverFile: cover.name, coverAlt: `Cover: ${title}`,
    });
  }
  if (hasIntro) {
    chapters.push({ id: 'intro', filename: 'intro.xhtml', title: INTRO_HEADING, content: introXhtml({ heading: INTRO_HEADING, blocks: introBlocks, base, pictureSrc }) });
  }
  content.stories.forEach((story, i) => {
    chapters.push({ id: `story-${i + 1}`, filename: storyFilename(i), title: story.headline, content: storyXhtml({ story, pictureSrc }), bodyClass: 'story-page' });
  });

  const latest = content.stories.reduce((max, s) => Math.max(max, s.publishedAt), 0);
  const firstReading = chapters.find((c) => !c.beforeToc);
  const landmarks = [
    ...(cover ? [{ type: 'cover', href: COVER_PAGE, label: 'Cover' }] : []),
    { type: 'toc', href: 'toc.xhtml', label: 'Contents' },
    ...(firstReading ? [{ type: 'bodymatter', href: firstReading.filename, label: firstReading.title ?? 'Start' }] : []),
  ];
  const book: BookMeta = {
    identifier: editionBookId({ publicUrl: content.publicUrl, editionId: content.editionId }),
    author: content.publicationName,
    date: content.to,
    modified: latest > 0 ? isoSeconds(latest) : `${content.to}T00:00:00Z`,
    source: base.replace(/\/$/, ''),
    subjects: [...new Set(content.stories.map((s) => s.sectionName))],
    series: `${content.publicationName} Weekly`,
    number: content.number,
    dateLine: content.dateLine,
    editionTitle: content.title,
    landmarks,
  };

  const options: BookOptions = {
    title,
    author: content.publicationName,
    publisher: content.publicationName,
    description: description(content, blocksPlainText(introBlocks)),
    lang: 'en',
    date: `${content.to}T00:00:00Z`,
    tocTitle: 'Contents',
    prependChapterTitles: false,
    numberChaptersInTOC: false,
    css: BOOK_CSS,
    fonts,
    ...(cover ? { cover } : {}),
    version: 3,
    contentOPF: packageTemplate,
    tocXHTML: navTemplate,
    tocNCX: ncxTemplate,
    chapterXHTML: chapterTemplate,
    // Pictures and fonts are local files; a failure is a broken edition, not something to retry.
    retryTimes: 1,
    ignoreFailedDownloads: false,
    verbose: false,
    book,
    nav: contentsTree({ content, hasIntro }),
  };
  return { options, chapters };
}
