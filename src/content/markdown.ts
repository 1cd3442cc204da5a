// Markdown → block tree. Runs once per save; renderers only ever see the Block[] it returns.
// Conventions are documented for authors in demo/FORMAT.md.

import MarkdownIt from 'markdown-it';
import type { MarkdownIt as Parser, Token } from 'markdown-it';
import { inlineText } from './blocks.ts';
import type { Block, Inline } from './blocks.ts';

const md = createParser();

function createParser(): Parser {
  // html: false — raw HTML is never passed through; markdown-it leaves it as literal text.
  const parser = new MarkdownIt({ html: false, linkify: true, typographer: true });
  // Let every destination parse as a link so that unsafe ones can be reduced to their text
  // (markdown-it's own check would leave the raw `[x](javascript:…)` syntax in the prose).
  // safeHref() is the real gate, applied to every link below and again at render time.
  parser.validateLink = () => true;
  // Only link URLs that carry a scheme: brand names such as "Booking.com" in running text
  // must not turn into outbound links. Fuzzy e-mail addresses stay linked.
  parser.linkify.set({ fuzzyLink: false });
  return parser;
}

// ---------------------------------------------------------------------------------------------
// Link safety

// Dummy origin used to resolve site-relative hrefs; anything that resolves elsewhere is not
// site-relative (e.g. `//host`, `/\host`, `/\t/host`).
const PROBE_ORIGIN = 'https://masthead.invalid';
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * The href to emit for a link, or null when it must not be a link. Allows absolute http:,
 * https: and mailto: URLs and site-relative `/…` and `#…` hrefs; everything else (javascript:,
 * data:, vbscript:, protocol-relative `//host`, relative paths) is refused. Tabs, newlines and
 * leading/trailing controls are removed first, as browsers do, so `java\tscript:` cannot slip by.
 */
export function safeHref(href: string): string | null {
  // WHATWG URL parsing drops these before looking at the scheme; do the same before our checks.
  const cleaned = href.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (cleaned === '') return null;

  if (cleaned.startsWith('/') || cleaned.startsWith('#')) {
    let resolved: URL;
    try {
      resolved = new URL(cleaned, PROBE_ORIGIN + '/');
    } catch {
      return null;
    }
    return resolved.origin === PROBE_ORIGIN ? cleaned : null;
  }

  let url: URL;
  try {
    url = new URL(cleaned); // no base: only absolute URLs parse
  } catch {
    return null;
  }
  if (!SAFE_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol !== 'mailto:' && url.hostname === '') return null;
  // Serialised form, so what we store is exactly what the URL parser (and a browser) sees.
  return url.href;
}

// ---------------------------------------------------------------------------------------------
// Inline tokens

function text(v: string): Inline {
  return { t: 'text', v };
}

/** Merge adjacent text nodes and drop empty ones, so the stored tree stays small and comparable. */
function tidy(inlines: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const node of inlines) {
    if (node.t === 'text') {
      if (node.v === '') continue;
      const prev = out[out.length - 1];
      if (prev?.t === 'text') {
        out[out.length - 1] = text(prev.v + node.v);
        continue;
      }
    }
    out.push(node);
  }
  return out;
}

function isBlank(inlines: Inline[]): boolean {
  return inlines.every((n) => n.t === 'text' && n.v.trim() === '');
}

interface Frame {
  /** What the collected children become when the frame closes; null = splice in as-is. */
  wrap: ((c: Inline[]) => Inline) | null;
  c: Inline[];
}

/** Map markdown-it inline tokens (an `inline` token's children) to Inline nodes. */
function mapInlines(tokens: Token[]): Inline[] {
  const stack: Frame[] = [{ wrap: null, c: [] }];
  const top = () => stack[stack.length - 1];

  for (const tok of tokens) {
    switch (tok.type) {
      case 'text':
      case 'text_special':
        top().c.push(text(tok.content));
        break;
      case 'code_inline':
        top().c.push({ t: 'code', v: tok.content });
        break;
      case 'softbreak':
        top().c.push(text(' '));
        break;
      case 'hardbreak':
        top().c.push({ t: 'br' });
        break;
      case 'image':
        // An image inside running text cannot be placed in the layout: keep what it says.
        top().c.push(text(imageAlt(tok)));
        break;
      case 'em_open':
        stack.push({ wrap: (c) => ({ t: 'em', c }), c: [] });
        break;
      case 'strong_open':
        stack.push({ wrap: (c) => ({ t: 'strong', c }), c: [] });
        break;
      case 'link_open': {
        const href = safeHref(String(tok.attrGet('href') ?? ''));
        stack.push({ wrap: href === null ? null : (c) => ({ t: 'link', href, c }), c: [] });
        break;
      }
      default:
        if (tok.nesting === 1) {
          // Markup we have no node for (e.g. ~~strikethrough~~): keep its content only.
          stack.push({ wrap: null, c: [] });
        } else if (tok.nesting === -1 && stack.length > 1) {
          const frame = stack.pop()!;
          const children = tidy(frame.c);
          if (!frame.wrap) top().c.push(...children);
          // A wrapper with nothing visible inside (e.g. `[](url)`) is dropped.
          else if (!isBlank(children)) top().c.push(frame.wrap(children));
        }
      // Other leaf tokens carry nothing (html_inline cannot occur with html: false).
    }
  }
  // markdown-it balances its tokens; unwind defensively anyway so no content is lost.
  while (stack.length > 1) {
    const frame = stack.pop()!;
    top().c.push(...frame.c);
  }
  return tidy(stack[0].c);
}

function imageAlt(tok: Token): string {
  return tok.children ? inlineText(mapInlines(tok.children)).trim() : tok.content;
}

/** Split inline tokens into lines at top-level soft/hard breaks; `hard` marks a hard break before the line. */
function splitLines(tokens: Token[]): { tokens: Token[]; hard: boolean }[] {
  const lines: { tokens: Token[]; hard: boolean }[] = [{ tokens: [], hard: false }];
  let depth = 0;
  for (const tok of tokens) {
    if (depth === 0 && (tok.type === 'softbreak' || tok.type === 'hardbreak')) {
      lines.push({ tokens: [], hard: tok.type === 'hardbreak' });
      continue;
    }
    depth += tok.nesting;
    lines[lines.length - 1].tokens.push(tok);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Block tokens

/** Index of the token closing the block opened at `open` (block tokens carry their nesting level). */
function findClose(tokens: Token[], open: number): number {
  const level = tokens[open].level;
  for (let i = open + 1; i < tokens.length; i++) {
    if (tokens[i].nesting === -1 && tokens[i].level === level) return i;
  }
  return tokens.length - 1;
}

/** Last index of the block starting at `i`: its closing token, or itself for a leaf. */
function endOf(tokens: Token[], i: number): number {
  return tokens[i].nesting === 1 ? findClose(tokens, i) : i;
}

function headingLevel(tag: string): 2 | 3 | 4 {
  if (tag === 'h1' || tag === 'h2') return 2;
  return tag === 'h3' ? 3 : 4;
}

/** Parse the block tokens in [from, to) — a balanced run — into blocks. */
function parseRange(tokens: Token[], from: number, to: number): Block[] {
  const out: Block[] = [];
  let i = from;
  while (i < to) {
    const tok = tokens[i];
    switch (tok.type) {
      case 'paragraph_open': {
        const block = paragraphBlock(tokens[i + 1]);
        if (block) out.push(block);
        i = findClose(tokens, i) + 1;
        break;
      }
      case 'heading_open': {
        const c = mapInlines(tokens[i + 1].children ?? []);
        if (!isBlank(c)) out.push({ type: 'heading', level: headingLevel(tok.tag), c });
        i = findClose(tokens, i) + 1;
        break;
      }
      case 'blockquote_open': {
        const close = findClose(tokens, i);
        const block = quoteBlock(tokens, i + 1, close);
        if (block) out.push(block);
        i = close + 1;
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const close = findClose(tokens, i);
        const items = listItems(tokens, i + 1, close);
        if (items.length) out.push({ type: 'list', ordered: tok.type === 'ordered_list_open', items });
        i = close + 1;
        break;
      }
      case 'table_open': {
        const close = findClose(tokens, i);
        out.push(...tableParagraphs(tokens, i + 1, close));
        i = close + 1;
        break;
      }
      case 'hr':
        out.push({ type: 'divider' });
        i++;
        break;
      case 'code_block':
      case 'fence': {
        const v = tok.content.replace(/\n$/, '');
        if (v.trim()) out.push({ type: 'paragraph', c: [{ t: 'code', v }] });
        i++;
        break;
      }
      default:
        // Unknown containers are skipped whole; unknown leaves (html_block is off) carry nothing.
        i = endOf(tokens, i) + 1;
    }
  }
  return out;
}

function paragraphBlock(inline: Token): Block | null {
  const children = (inline.children ?? []).filter((t) => !(t.type === 'text' && t.content.trim() === ''));

  // A paragraph holding only an image is a figure.
  if (children.length === 1 && children[0].type === 'image') {
    const img = children[0];
    const { caption, credit } = splitTitle(String(img.attrGet('title') ?? ''));
    const block: Block = {
      type: 'image',
      image: null, // the importer resolves `src` and fills this in
      // markdown-it percent-encodes destinations; authors wrote (and photos.yaml lists) plain names.
      src: md.normalizeLinkText(String(img.attrGet('src') ?? '')),
      alt: imageAlt(img),
    };
    if (caption) block.caption = caption;
    if (credit) block.credit = credit;
    return block;
  }

  const embed = embedBlock(inline, children);
  if (embed) return embed;

  const c = mapInlines(inline.children ?? []);
  return isBlank(c) ? null : { type: 'paragraph', c };
}

/** `"Caption | Credit"` → parts; the last ` | ` separates, since credits do not contain one. */
function splitTitle(title: string): { caption?: string; credit?: string } {
  const at = title.lastIndexOf(' | ');
  const caption = (at === -1 ? title : title.slice(0, at)).trim();
  const credit = at === -1 ? '' : title.slice(at + 3).trim();
  return { caption: caption || undefined, credit: credit || undefined };
}

/** A paragraph that is nothing but one bare http(s) URL (linkified or `<autolink>`). */
function embedBlock(inline: Token, children: Token[]): Block | null {
  if (!/^<?https?:\/\//i.test(inline.content.trim())) return null;
  if (children.length !== 3) return null;
  const [open, body, close] = children;
  if (open.type !== 'link_open' || body.type !== 'text' || close.type !== 'link_close') return null;
  if (open.info !== 'auto') return null; // `[text](url)` is a link the author wrote, not an embed
  const url = safeHref(String(open.attrGet('href') ?? ''));
  if (!url || !/^https?:/.test(url)) return null;
  return { type: 'embed', url, host: new URL(url).hostname };
}

const PULLQUOTE_MARKER = /^\s*\[!pullquote\]\s*/i;
const ATTRIBUTION_DASH = /^\s*(?:—|–|--)\s*/;

function quoteBlock(tokens: Token[], from: number, to: number): Block | null {
  const first = tokens[from];
  if (first?.type === 'paragraph_open') {
    const head = tokens[from + 1].children?.[0];
    if (head?.type === 'text' && PULLQUOTE_MARKER.test(head.content)) {
      return pullquoteBlock(tokens, from, to);
    }
  }
  const paragraphs = blocksToParagraphs(parseRange(tokens, from, to));
  return paragraphs.length ? { type: 'quote', paragraphs } : null;
}

/**
 * `> [!PULLQUOTE]` / `> text…` / `> — Name, role`. Works line by line, because the marker and
 * the attribution are lines of the same paragraph in the usual form.
 */
function pullquoteBlock(tokens: Token[], from: number, to: number): Block | null {
  // Every line of the quote, in order; `hard` = rendered with a line break before it.
  const lines: { c: Inline[]; hard: boolean }[] = [];
  for (let i = from; i < to; i = endOf(tokens, i) + 1) {
    if (tokens[i].type === 'paragraph_open') {
      splitLines(tokens[i + 1].children ?? []).forEach((line, n) => {
        lines.push({ c: mapInlines(line.tokens), hard: n === 0 || line.hard });
      });
    } else {
      // Anything else inside a pull quote (a list, say) is kept as plain lines.
      const nested = blocksToParagraphs(parseRange(tokens, i, endOf(tokens, i) + 1));
      for (const c of nested) lines.push({ c, hard: true });
    }
  }

  // Remove the marker; text after it on the same line is quote text.
  const head = lines[0].c[0];
  if (head?.t === 'text') lines[0].c = tidy([text(head.v.replace(PULLQUOTE_MARKER, '')), ...lines[0].c.slice(1)]);
  const body = lines.filter((l) => !isBlank(l.c));

  let attribution: string | undefined;
  const last = body[body.length - 1];
  if (body.length > 1 && ATTRIBUTION_DASH.test(inlineText(last.c))) {
    attribution = inlineText(last.c).replace(ATTRIBUTION_DASH, '').trim() || undefined;
    body.pop();
  }
  if (body.length === 0) return null; // a marker with nothing to quote is an authoring slip

  const c: Inline[] = [];
  body.forEach((line, n) => {
    if (n > 0) c.push(line.hard ? { t: 'br' } : text(' '));
    c.push(...line.c);
  });
  return attribution ? { type: 'pullquote', c: tidy(c), attribution } : { type: 'pullquote', c: tidy(c) };
}

function listItems(tokens: Token[], from: number, to: number): Inline[][] {
  const items: Inline[][] = [];
  for (let i = from; i < to; i = endOf(tokens, i) + 1) {
    if (tokens[i].type !== 'list_item_open') continue;
    const item = flattenItem(parseRange(tokens, i + 1, endOf(tokens, i)));
    if (!isBlank(item)) items.push(item);
  }
  return items;
}

/**
 * One list item's blocks as a single run of inline content: paragraphs joined by a space,
 * nested list items each on their own line with a bullet or number.
 */
function flattenItem(blocks: Block[]): Inline[] {
  const out: Inline[] = [];
  for (const block of blocks) {
    if (block.type === 'list') {
      block.items.forEach((item, n) => {
        if (out.length) out.push({ t: 'br' });
        out.push(text(block.ordered ? `${n + 1}. ` : '• '), ...item);
      });
      continue;
    }
    for (const p of blocksToParagraphs([block])) {
      if (out.length) out.push(text(' '));
      out.push(...p);
    }
  }
  return tidy(out);
}

/** Blocks nested where only paragraphs fit (quotes), reduced to their inline content. */
function blocksToParagraphs(blocks: Block[]): Inline[][] {
  const out: Inline[][] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'paragraph':
      case 'heading':
      case 'pullquote':
        out.push(block.c);
        break;
      case 'quote':
        out.push(...block.paragraphs);
        break;
      case 'list':
        out.push(flattenItem([block]));
        break;
      case 'image':
        if (block.alt) out.push([text(block.alt)]);
        break;
      case 'embed':
        out.push([{ t: 'link', href: block.url, c: [text(block.url)] }]);
        break;
      case 'divider':
        break;
    }
  }
  return out.filter((p) => !isBlank(p));
}

/** Each table row becomes a paragraph of its non-empty cells. */
function tableParagraphs(tokens: Token[], from: number, to: number): Block[] {
  const out: Block[] = [];
  let row: Inline[][] = [];
  for (let i = from; i < to; i++) {
    const tok = tokens[i];
    if (tok.type === 'inline') {
      const cell = mapInlines(tok.children ?? []);
      if (!isBlank(cell)) row.push(cell);
    } else if (tok.type === 'tr_close') {
      if (row.length) {
        const c: Inline[] = [];
        row.forEach((cell, n) => {
          if (n > 0) c.push(text(' · '));
          c.push(...cell);
        });
        out.push({ type: 'paragraph', c: tidy(c) });
      }
      row = [];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Public API

export function parseMarkdown(source: string): Block[] {
  const tokens = md.parse(source, {});
  return parseRange(tokens, 0, tokens.length);
}

/** Image paths referenced by figures, in order of first use, for the importer to resolve. */
export function collectImageSources(blocks: Block[]): string[] {
  const seen = new Set<string>();
  for (const block of blocks) if (block.type === 'image' && block.src) seen.add(block.src);
  return [...seen];
}
