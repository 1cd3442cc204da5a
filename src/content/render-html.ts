// Block tree → HTML for the web, print and feeds, plus a plain-text rendering for e-mail.
// Runs once per save, so it favours plain string building over cleverness. Every value that
// came from an author goes through escapeHtml/escapeAttr, and every href through safeHref
// again: stored trees may predate a rule change or be edited outside the parser.
// Class names are a contract with the stylesheet.

import type { Block, ImageRef, Inline } from './blocks.ts';
import { escapeAttr, escapeHtml } from './escape.ts';
import { safeHref } from './markdown.ts';

export interface RenderOptions {
  /** Where image variants live, e.g. '/media', or an absolute URL for feeds. */
  mediaBase: string;
  /** Printed before the first paragraph: `<span class="dateline">SOCHI, Russia</span> — `. */
  dateline?: string;
  /**
   * When set, site-relative hrefs are made absolute against it (feeds, e-mail). Pass the
   * article's own URL so `#fragment` links point into the article.
   */
  absoluteLinksBase?: string;
  /** `sizes` for body figures; defaults to DEFAULT_FIGURE_SIZES. */
  imageSizes?: string;
}

/** Full width on small screens, the text column beyond. Keep in step with the stylesheet's measure. */
export const DEFAULT_FIGURE_SIZES = '(min-width: 46rem) 42rem, 100vw';

/** A validated href, made absolute when a base is given; null when it must not be a link. */
function resolveHref(href: string, absoluteBase: string | undefined): string | null {
  const safe = safeHref(href);
  if (safe === null) return null;
  if (absoluteBase && (safe.startsWith('/') || safe.startsWith('#'))) return new URL(safe, absoluteBase).href;
  return safe;
}

// ---------------------------------------------------------------------------------------------
// HTML

/** How renderInlines writes for a medium other than the web page. */
export interface InlineFormat {
  /** XHTML (an EPUB's chapters): void elements closed, `<br/>`. */
  isXhtml?: boolean;
  /**
   * The medium's own link rule in place of the site's (safeHref, made absolute against
   * `base`): the href to write, or null to keep the words as text.
   */
  linkHref?: (href: string) => string | null;
}

/** Inline runs (text, emphasis, code, links) as HTML; site-relative hrefs made absolute against `base` when given. */
export function renderInlines(inlines: Inline[], base: string | undefined, format: InlineFormat = {}): string {
  const br = format.isXhtml ? '<br/>' : '<br>';
  const linkHref = format.linkHref ?? ((href: string) => resolveHref(href, base));
  const walk = (nodes: Inline[]): string => {
    let out = '';
    for (const node of nodes) {
      switch (node.t) {
        case 'text':
          out += escapeHtml(node.v);
          break;
        case 'code':
          // Code blocks arrive as one code inline; keep their line structure.
          out += `<code>${escapeHtml(node.v).replace(/\n/g, br)}</code>`;
          break;
        case 'em':
          out += `<em>${walk(node.c)}</em>`;
          break;
        case 'strong':
          out += `<strong>${walk(node.c)}</strong>`;
          break;
        case 'link': {
          const href = linkHref(node.href);
          const inner = walk(node.c);
          out += href === null ? inner : `<a href="${escapeAttr(href)}">${inner}</a>`;
          break;
        }
        case 'br':
          out += br;
          break;
      }
    }
    return out;
  };
  return walk(inlines);
}

function renderFigure(block: Extract<Block, { type: 'image' }>, opts: RenderOptions): string {
  if (!block.image) return ''; // not resolved by the importer: nothing we could point at
  const picture = renderPicture(block.image, {
    alt: block.alt,
    mediaBase: opts.mediaBase,
    sizes: opts.imageSizes ?? DEFAULT_FIGURE_SIZES,
  });
  if (!picture) return '';
  const caption = [
    block.caption ? escapeHtml(block.caption) : '',
    block.credit ? `<span class="credit">${escapeHtml(block.credit)}</span>` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `<figure class="figure">${picture}${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`;
}

/** Embeds point only at absolute http(s) URLs. */
function embedHref(url: string): string | null {
  const href = safeHref(url);
  return href !== null && /^https?:/.test(href) ? href : null;
}

function renderEmbed(url: string): string {
  const href = embedHref(url);
  if (href === null) return '';
  // The host shown is derived from the validated URL, never taken from the stored block,
  // so the visible text cannot claim a different destination than the link.
  const host = new URL(href).hostname;
  return (
    `<p class="embed"><a href="${escapeAttr(href)}" rel="nofollow noopener">` +
    `${escapeHtml(host)}<span class="embed-url">${escapeHtml(url)}</span></a></p>`
  );
}

function renderBlock(block: Block, opts: RenderOptions, prefix: string): string {
  const base = opts.absoluteLinksBase;
  switch (block.type) {
    case 'paragraph':
      return `<p>${prefix}${renderInlines(block.c, base)}</p>`;
    case 'heading':
      return `<h${block.level}>${renderInlines(block.c, base)}</h${block.level}>`;
    case 'quote':
      return `<blockquote>${block.paragraphs.map((p) => `<p>${renderInlines(p, base)}</p>`).join('')}</blockquote>`;
    case 'pullquote': {
      // Not aria-hidden although it repeats the body: role="note" lets readers skip it knowingly.
      const by = block.attribution ? `<p class="pullquote-by">— ${escapeHtml(block.attribution)}</p>` : '';
      return `<aside class="pullquote" role="note"><p>${renderInlines(block.c, base)}</p>${by}</aside>`;
    }
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      return `<${tag}>${block.items.map((item) => `<li>${renderInlines(item, base)}</li>`).join('')}</${tag}>`;
    }
    case 'image':
      return renderFigure(block, opts);
    case 'embed':
      return renderEmbed(block.url);
    case 'divider':
      return '<hr>';
  }
}

export function renderBlocks(blocks: Block[], opts: RenderOptions): string {
  const datelineAt = opts.dateline ? blocks.findIndex((b) => b.type === 'paragraph') : -1;
  const parts: string[] = [];
  blocks.forEach((block, i) => {
    const prefix = i === datelineAt ? `<span class="dateline">${escapeHtml(opts.dateline!)}</span> — ` : '';
    const html = renderBlock(block, opts, prefix);
    if (html) parts.push(html);
  });
  return parts.join('\n');
}

/**
 * Responsive `<picture>` for a stored image: WebP and JPEG variants at every stored width.
 * width/height carry the original aspect ratio at the largest variant so the browser can reserve
 * space before loading. The lead image loads eagerly at high priority; others lazily.
 * `className` goes on the `<img>`, the element stylesheets size. Returns '' when there are no variants.
 */
export function renderPicture(
  ref: ImageRef,
  opts: { alt: string; mediaBase: string; sizes: string; isLead?: boolean; className?: string },
): string {
  const widths = [...ref.widths].sort((a, b) => a - b);
  if (widths.length === 0 || !(ref.width > 0)) return '';
  const base = opts.mediaBase.replace(/\/+$/, '');
  const srcset = (ext: string) => widths.map((w) => `${base}/${ref.id}/${w}.${ext} ${w}w`).join(', ');
  const largest = widths[widths.length - 1];
  // Lower middle: a reasonable size for the rare browser that ignores srcset.
  const fallback = widths[Math.floor((widths.length - 1) / 2)];
  const height = Math.round((ref.height * largest) / ref.width);
  const sizes = escapeAttr(opts.sizes);
  const cls = opts.className ? ` class="${escapeAttr(opts.className)}"` : '';
  const loading = opts.isLead ? 'loading="eager" fetchpriority="high"' : 'loading="lazy"';
  return (
    `<picture><source type="image/webp" srcset="${escapeAttr(srcset('webp'))}" sizes="${sizes}">` +
    `<img${cls} src="${escapeAttr(`${base}/${ref.id}/${fallback}.jpg`)}" srcset="${escapeAttr(srcset('jpg'))}"` +
    ` sizes="${sizes}" width="${largest}" height="${height}" alt="${escapeAttr(opts.alt)}"` +
    ` decoding="async" ${loading}></picture>`
  );
}

// ---------------------------------------------------------------------------------------------
// Plain text

function plainInlines(inlines: Inline[], base: string | undefined): string {
  let out = '';
  for (const node of inlines) {
    switch (node.t) {
      case 'text':
      case 'code':
        out += node.v;
        break;
      case 'br':
        out += '\n';
        break;
      case 'em':
      case 'strong':
        out += plainInlines(node.c, base);
        break;
      case 'link': {
        const label = plainInlines(node.c, base);
        const href = resolveHref(node.href, base);
        out += href === null || sameTarget(label, href) ? label : `${label} (${href})`;
        break;
      }
    }
  }
  return out;
}

/** True when a link's text already is its URL (autolinks), so it is not printed twice. */
function sameTarget(label: string, href: string): boolean {
  const bare = (s: string) => s.trim().replace(/^mailto:/i, '').replace(/\/$/, '');
  return bare(label) === bare(href);
}

/** Prefix every line of `text`; continuation lines get `rest` (indentation under a marker). */
function prefixLines(text: string, first: string, rest: string): string {
  return text
    .split('\n')
    .map((line, n) => (n === 0 ? first : rest) + line)
    .join('\n');
}

function plainBlock(block: Block, base: string | undefined, prefix: string): string {
  switch (block.type) {
    case 'paragraph':
      return prefix + plainInlines(block.c, base);
    case 'heading':
      return plainInlines(block.c, base);
    case 'quote':
      return block.paragraphs.map((p) => prefixLines(plainInlines(p, base), '> ', '> ')).join('\n>\n');
    case 'list':
      return block.items
        .map((item, n) => {
          const marker = block.ordered ? `${n + 1}. ` : '- ';
          return prefixLines(plainInlines(item, base), marker, ' '.repeat(marker.length));
        })
        .join('\n');
    case 'embed':
      return embedHref(block.url) ?? '';
    case 'divider':
      return '* * *';
    case 'pullquote': // repeats the body
    case 'image': // nothing to see in a text part
      return '';
  }
}

/**
 * Plain text for e-mail text parts: blocks separated by blank lines, list items as "- ",
 * links as "text (url)". Pull quotes and images are left out.
 */
export function renderPlainText(
  blocks: Block[],
  opts: Pick<RenderOptions, 'dateline' | 'absoluteLinksBase'> = {},
): string {
  const datelineAt = opts.dateline ? blocks.findIndex((b) => b.type === 'paragraph') : -1;
  const parts: string[] = [];
  blocks.forEach((block, i) => {
    const text = plainBlock(block, opts.absoluteLinksBase, i === datelineAt ? `${opts.dateline} — ` : '');
    if (text.trim()) parts.push(text);
  });
  return parts.join('\n\n');
}
