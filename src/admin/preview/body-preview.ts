// The body as the reader site renders it, for the editor's live preview: the same renderer
// with the same options as the article page, plus one thing readers never see — a visible
// placeholder where a figure names a picture the library does not have (the reader page
// silently leaves such a figure out, which is exactly what a writer needs to be told).
import type { Block } from '../../content/blocks.ts';
import { escapeAttr, escapeHtml } from '../../content/escape.ts';
import { renderBlocks, type RenderOptions } from '../../content/render-html.ts';
import { imageIdFromSrc } from './image-library.ts';

/** `sizes` of body figures on the article page; keep in step with site/article-parts.tsx. */
export const ARTICLE_BODY_SIZES = '(min-width: 42rem) 42rem, 100vw';

export function articleBodyOptions(dateline: string | undefined): RenderOptions {
  return { mediaBase: '/media', dateline: dateline || undefined, imageSizes: ARTICLE_BODY_SIZES };
}

type Figure = Extract<Block, { type: 'image' }>;

/** Renders resolved blocks (see resolveFigures) as the article page would, with placeholders for missing pictures. */
export function renderBodyPreview(blocks: Block[], opts: { dateline?: string } = {}): string {
  const options = articleBodyOptions(opts.dateline);
  // The dateline opens the body's first paragraph, wherever the runs between placeholders fall.
  const firstParagraph = blocks.findIndex((b) => b.type === 'paragraph');
  const parts: string[] = [];
  let run: Block[] = [];
  let runStart = 0;
  const flush = () => {
    if (run.length === 0) return;
    const hasDateline = firstParagraph >= runStart && firstParagraph < runStart + run.length;
    const html = renderBlocks(run, { ...options, dateline: hasDateline ? options.dateline : undefined });
    if (html) parts.push(html);
    run = [];
  };
  blocks.forEach((block, i) => {
    if (block.type === 'image' && !block.image) {
      flush();
      parts.push(missingFigure(block));
      runStart = i + 1;
      return;
    }
    if (run.length === 0) runStart = i;
    run.push(block);
  });
  flush();
  return parts.join('\n');
}

function missingFigure(block: Figure): string {
  const id = imageIdFromSrc(block.src);
  const why = id
    ? `The picture ${block.src} is not in the picture library. Upload it again with “Insert picture”.`
    : block.src
      ? `This figure points at “${block.src}”, which is not a picture from the library. Use “Insert picture” to add one.`
      : 'This figure names no picture. Use “Insert picture” to add one.';
  const caption = [block.caption ? escapeHtml(block.caption) : '', block.credit ? `<span class="credit">${escapeHtml(block.credit)}</span>` : '']
    .filter(Boolean)
    .join(' ');
  return (
    `<figure class="figure figure-missing" data-missing-image="${escapeAttr(block.src)}">` +
    `<p class="figure-missing-note"><strong>Picture missing.</strong> ${escapeHtml(why)}</p>` +
    (caption ? `<figcaption>${caption}</figcaption>` : '') +
    `</figure>`
  );
}
