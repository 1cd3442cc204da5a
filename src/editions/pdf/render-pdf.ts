// The Weekly as a PDF magazine: cover, contents, then every story, with an outline (sections →
// stories), links from the contents, running heads and folios, embedded subset fonts and
// metadata. A pure function of the EditionContent and the picture files it names: the creation
// date comes from the content and PDFKit's file id from the metadata, so the same content gives
// the same bytes.
import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import type { EditionContent } from '../types.ts';
import { layoutContents, numberContents } from './contents-pages.ts';
import { renderCover } from './cover-page.ts';
import { registerFonts } from './fonts.ts';
import { createHyphenator } from './hyphenation.ts';
import { PageBook, folioOf } from './page-book.ts';
import { drawPageFurniture } from './page-furniture.ts';
import { openPictures } from './pictures.ts';
import { renderStory } from './story-pages.ts';
import { Typesetter } from './typesetter.ts';

/** Builds the whole PDF in memory. */
export async function renderEditionPdf(content: EditionContent): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await buildInto(content, (doc) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    return new Promise<void>((resolve, reject) => {
      doc.on('end', resolve);
      doc.on('error', reject);
    });
  });
  return Buffer.concat(chunks);
}

/** Builds the PDF straight into a file (for the edition store), without holding it in memory. */
export async function writeEditionPdf(opts: { content: EditionContent; file: string }): Promise<void> {
  const out = fs.createWriteStream(opts.file);
  try {
    await buildInto(opts.content, (doc) => {
      doc.pipe(out);
      return new Promise<void>((resolve, reject) => {
        out.on('finish', resolve);
        out.on('error', reject);
        doc.on('error', reject);
      });
    });
  } catch (err) {
    // A layout error leaves the document unfinished: close the file rather than leak it.
    out.destroy();
    throw err;
  }
}

/** Anchor name of a story's first page, for the contents' links. */
export function storyDestination(articleId: number): string {
  return `story-${articleId}`;
}

export function pdfMetadata(content: EditionContent): PDFKit.DocumentInfo {
  const sections = [...new Set(content.stories.map((s) => s.sectionName))];
  return {
    Title: `${content.publicationName} — ${content.title}, No. ${content.number}`,
    Author: content.publicationName,
    Subject: `The Weekly, No. ${content.number}, ${content.dateLine}${content.tagline ? ` — ${content.tagline}` : ''}`,
    Keywords: [content.publicationName, 'The Weekly', content.week, ...sections].join(', '),
    Creator: `${content.publicationName} (Masthead)`,
    Producer: 'Masthead',
    CreationDate: creationDate(content),
  };
}

/** The newest story's publication time, else the edition's last day: fixed by the content. */
function creationDate(content: EditionContent): Date {
  const newest = Math.max(0, ...content.stories.map((s) => s.publishedAt));
  return new Date(newest > 0 ? newest : Date.parse(`${content.to}T12:00:00Z`));
}

async function buildInto(content: EditionContent, attach: (doc: PDFKit.PDFDocument) => Promise<void>): Promise<void> {
  const doc = new PDFDocument({ autoFirstPage: false, bufferPages: true, margin: 0, info: pdfMetadata(content), displayTitle: true, lang: 'en-US', pdfVersion: '1.7' });
  const done = attach(doc);
  // Settled below once the document ends; a layout error first leaves it to the caller.
  done.catch(() => {});
  registerFonts(doc);
  const set = new Typesetter({ doc, hyphenate: createHyphenator() });
  const book = new PageBook(doc);

  const files = [content.coverImage?.file, ...content.stories.flatMap((s) => [s.image?.file, ...Object.values(s.inlineImages)])].filter((f): f is string => Boolean(f));
  const pictures = await openPictures(doc, files);

  book.add({ kind: 'cover' });
  renderCover({ set, content, picture: content.coverImage ? pictures.get(content.coverImage.file) : undefined });
  const slots = layoutContents({ set, book, content, coverPicture: content.coverImage ? pictures.get(content.coverImage.file) : undefined });

  const dateFormat = new Intl.DateTimeFormat('en-US', { month: 'long', day: 'numeric', timeZone: content.timeZone });
  const firstPages: number[] = [];
  const sectionItems = new Map<string, PDFKit.PDFOutline>();
  let currentSection = '';
  for (const story of content.stories) {
    const placed = renderStory({ set, book, story, destination: storyDestination(story.articleId), dateText: dateFormat.format(story.publishedAt), pictures });
    firstPages.push(placed.firstPage);
    // The outline points at each story's opening page: sections, then their stories.
    doc.switchToPage(placed.firstPage);
    if (currentSection !== story.sectionName || !sectionItems.has(story.sectionName)) {
      currentSection = story.sectionName;
      sectionItems.set(currentSection, doc.outline.addItem(currentSection, { expanded: true }));
    }
    sectionItems.get(currentSection)!.addItem(story.headline);
  }

  numberContents({ set, slots, destinationOf: (i) => storyDestination(content.stories[i].articleId), folioOf: (i) => folioOf(firstPages[i]) });
  drawPageFurniture({ set, pages: book.pages, content });
  doc.end();
  await done;
}
