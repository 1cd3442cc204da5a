// The body's length as the writer types, counted the way the server counts it on save
// (content/blocks.ts: the prose of the block tree, without figures, pull quotes, bare-URL
// embeds or link destinations), but straight from the Markdown so it costs nothing per key.
// Pure: no DOM, so it is tested beside the server's own count.

/** The same word pattern as the server's countWords. */
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;
export const WORDS_PER_MINUTE = 230;

const HEADING_LINE = /^ {0,3}#{1,6}(?:\s|$)/;
const FIGURE = /^!\[[^\]]*\]\([^)]*\)$/;
const EMBED = /^<?https?:\/\/\S+?>?$/i;
const PULLQUOTE = /^ {0,3}>\s*\[!pullquote\]/i;
const FENCE = /^\s*(?:```|~~~)/;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*\S+.*$/;
const BLOCK_MARKERS = /^\s*(?:>\s?|[-*+]\s+|\d{1,9}[.)]\s+|#{1,6}\s+)*/;

export function countWords(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

/** Minutes to read at 230 words a minute, as the article page shows it; 0 for an empty body. */
export function readingMinutes(words: number): number {
  return words <= 0 ? 0 : Math.max(1, Math.round(words / WORDS_PER_MINUTE));
}

/** The prose a reader reads in a Markdown body: what the server's word count sees. */
export function proseOfMarkdown(markdown: string): string {
  const out: string[] = [];
  for (const chunk of chunks(markdown)) {
    const whole = chunk.join('\n').trim();
    // Blocks the server leaves out of the count: figures, pull quotes (they repeat the body), embeds.
    if (FIGURE.test(whole) || EMBED.test(whole) || PULLQUOTE.test(chunk[0])) continue;
    for (const line of chunk) out.push(proseOfLine(line));
  }
  return out.join('\n');
}

export function countMarkdownWords(markdown: string): number {
  return countWords(proseOfMarkdown(markdown));
}

/** Blocks as Markdown sees them, roughly: runs of lines between blank lines; a heading line stands alone. */
function chunks(markdown: string): string[][] {
  const result: string[][] = [];
  let current: string[] = [];
  const close = () => {
    if (current.length) result.push(current);
    current = [];
  };
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') close();
    else if (HEADING_LINE.test(line)) {
      close();
      result.push([line]);
    } else current.push(line);
  }
  close();
  return result;
}

function proseOfLine(line: string): string {
  if (FENCE.test(line) || REFERENCE_DEFINITION.test(line)) return '';
  return line
    .replace(BLOCK_MARKERS, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1') // an image inside running text keeps its alt text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // a link keeps its words, not its destination
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/&(?:[a-z]+|#\d+|#x[0-9a-f]+);/gi, ' ');
}
