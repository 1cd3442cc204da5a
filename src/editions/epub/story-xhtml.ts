// Block tree → the XHTML body of an EPUB chapter. Pure: pictures arrive as a function from a
// file on disk to the src the book builder reads, so nothing here touches the disk or network.
// Everything an author wrote is escaped here even though the book builder re-parses the
// markup: the builder's parser is lenient and would happily keep a stray <script>.
import { inlineText, type Block, type Inline } from '../../content/blocks.ts';
import { escapeAttr, escapeHtml } from '../../content/escape.ts';
import { safeHref } from '../../content/markdown.ts';
import { renderInlines } from '../../content/render-html.ts';
import type { EditionImage, EditionStory } from '../types.ts';

/** Where the book builder finds a picture file (a file:// URL, so it is read from disk). */
export type PictureSrc = (file: string) => string;

/**
 * The href to write in a book, or null for text only. E-readers open links in a browser, so
 * only http(s) leaves the book; site-relative links are made absolute against `base`.
 */
export function bookHref(href: string, base: string): string | null {
  const safe = safeHref(href);
  if (safe === null) return null;
  let url: URL;
  try {
    url = new URL(safe, base);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

/** Inline runs as XHTML: the site's renderer, with the book's link rule (bookHref). */
function inlinesXhtml(inlines: Inline[], base: string): string {
  return renderInlines(inlines, base, { isXhtml: true, linkHref: (href) => bookHref(href, base) });
}

function figureXhtml({ src, alt, caption, credit, className }: { src: string; alt: string; caption: string; credit: string; className: string }): string {
  const parts = [caption ? escapeHtml(caption) : '', credit ? `<span class="credit">${escapeHtml(credit)}</span>` : ''].filter(Boolean);
  // The builder swaps an empty alt for a placeholder word; the caption says more than that.
  const altText = alt || caption || 'Photograph';
  return (
    `<figure class="${className}"><img src="${escapeAttr(src)}" alt="${escapeAttr(altText)}"/>` +
    (parts.length ? `<figcaption>${parts.join(' ')}</figcaption>` : '') +
    `</figure>`
  );
}

function blockXhtml({ block, base, prefix, inlineImages, pictureSrc }: {
  block: Block;
  base: string;
  prefix: string;
  inlineImages: Record<string, string>;
  pictureSrc: PictureSrc;
}): string {
  switch (block.type) {
    case 'paragraph':
      return `<p>${prefix}${inlinesXhtml(block.c, base)}</p>`;
    case 'heading':
      // The chapter's headline is h1, so body subheads start one level below it, as on the site.
      return `<h${block.level}>${inlinesXhtml(block.c, base)}</h${block.level}>`;
    case 'quote':
      return `<blockquote>${block.paragraphs.map((p) => `<p>${inlinesXhtml(p, base)}</p>`).join('')}</blockquote>`;
    case 'pullquote': {
      const by = block.attribution ? `<p class="pullquote-by">— ${escapeHtml(block.attribution)}</p>` : '';
      return `<aside class="pullquote" epub:type="pullquote"><p>${inlinesXhtml(block.c, base)}</p>${by}</aside>`;
    }
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      return `<${tag}>${block.items.map((item) => `<li>${inlinesXhtml(item, base)}</li>`).join('')}</${tag}>`;
    }
    case 'image': {
      const file = block.image ? inlineImages[block.image.id] : undefined;
      if (!file) return ''; // the edition left this picture out
      return figureXhtml({ src: pictureSrc(file), alt: block.alt, caption: block.caption ?? '', credit: block.credit ?? '', className: 'figure' });
    }
    case 'embed': {
      // A book cannot play an embed; point at it instead.
      const href = bookHref(block.url, base);
      if (href === null) return '';
      return `<p class="embed"><a href="${escapeAttr(href)}">${escapeHtml(new URL(href).hostname)}</a></p>`;
    }
    case 'divider':
      return '<hr/>';
  }
}

/** A body's blocks, the dateline opening the first paragraph ("BERGEN, Norway —"). */
export function blocksXhtml({ blocks, base, dateline = '', inlineImages = {}, pictureSrc }: {
  blocks: Block[];
  /** Absolute URL relative links resolve against (the story's own URL). */
  base: string;
  dateline?: string;
  inlineImages?: Record<string, string>;
  pictureSrc: PictureSrc;
}): string {
  const datelineAt = dateline ? blocks.findIndex((b) => b.type === 'paragraph') : -1;
  const parts: string[] = [];
  blocks.forEach((block, i) => {
    const prefix = i === datelineAt ? `<span class="dateline">${escapeHtml(dateline)}</span> — ` : '';
    const html = blockXhtml({ block, base, prefix, inlineImages, pictureSrc });
    if (html) parts.push(html);
  });
  return parts.join('\n');
}

function leadFigure(image: EditionImage | null, pictureSrc: PictureSrc): string {
  if (!image) return '';
  return figureXhtml({ src: pictureSrc(image.file), alt: image.alt, caption: image.caption, credit: image.credit, className: 'lead' });
}

/** One story as a chapter: section label, headline, dek, byline, lead picture, body, source. */
export function storyXhtml({ story, pictureSrc }: { story: EditionStory; pictureSrc: PictureSrc }): string {
  const header = [
    `<p class="section">${escapeHtml(story.sectionName)}</p>`,
    `<h1 class="headline">${escapeHtml(story.headline)}</h1>`,
    story.dek ? `<p class="dek">${escapeHtml(story.dek)}</p>` : '',
    story.byline ? `<p class="byline">${escapeHtml(story.byline)}</p>` : '',
  ].filter(Boolean);
  const source = bookHref(story.url, story.url);
  return [
    `<article class="story" epub:type="chapter">`,
    `<header>${header.join('')}</header>`,
    leadFigure(story.image, pictureSrc),
    `<div class="body">`,
    blocksXhtml({ blocks: story.blocks, base: story.url, dateline: story.dateline, inlineImages: story.inlineImages, pictureSrc }),
    `</div>`,
    source ? `<p class="source">Online: <a href="${escapeAttr(source)}">${escapeHtml(source)}</a></p>` : '',
    `</article>`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** The editor's introduction (already parsed from Markdown) as the book's first chapter. */
export function introXhtml({ heading, blocks, base, pictureSrc }: { heading: string; blocks: Block[]; base: string; pictureSrc: PictureSrc }): string {
  return [
    `<section class="intro" epub:type="preface">`,
    `<h1 class="intro-heading">${escapeHtml(heading)}</h1>`,
    blocksXhtml({ blocks, base, pictureSrc }),
    `</section>`,
  ].join('\n');
}

/** Plain text of Markdown-derived blocks, for the book's description. */
export function blocksPlainText(blocks: Block[]): string {
  return blocks
    .filter((b) => b.type === 'paragraph' || b.type === 'quote' || b.type === 'list')
    .map((b) => (b.type === 'paragraph' ? inlineText(b.c) : b.type === 'quote' ? b.paragraphs.map(inlineText).join(' ') : b.items.map(inlineText).join('; ')))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
