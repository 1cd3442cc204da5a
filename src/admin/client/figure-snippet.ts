// The Markdown for a picture placed in the body, and where it goes: its own paragraph at the
// cursor, with the alt text selected so the writer types over it. Pure: tested without a DOM.

export const ALT_PLACEHOLDER = 'Describe the picture';

export function figureMarkdown(id: string, opts: { caption?: string; credit?: string } = {}): string {
  const title = `${opts.caption ?? 'Caption'} | ${opts.credit ?? 'Credit'}`.replace(/"/g, '”');
  return `![${ALT_PLACEHOLDER}](image:${id} "${title}")`;
}

export interface FigureInsertion {
  /** Replace value[start, end) with text. */
  start: number;
  end: number;
  text: string;
  /** Then select this range (the alt text) in the new value. */
  selectStart: number;
  selectEnd: number;
}

/** Where and what to insert so the figure is a paragraph of its own, replacing any selection. */
export function insertFigure(value: string, selectionStart: number, selectionEnd: number, id: string): FigureInsertion {
  const start = clamp(Math.min(selectionStart, selectionEnd), value.length);
  const end = clamp(Math.max(selectionStart, selectionEnd), value.length);
  const before = value.slice(0, start);
  const after = value.slice(end);
  const lead = before === '' || /\n\s*\n$/.test(before) ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  const trail = /^\n\s*\n/.test(after) ? '' : after.startsWith('\n') ? '\n' : '\n\n';
  const figure = figureMarkdown(id);
  const selectStart = start + lead.length + 2; // past "!["
  return { start, end, text: lead + figure + trail, selectStart, selectEnd: selectStart + ALT_PLACEHOLDER.length };
}

function clamp(n: number, max: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.min(n, max)) : max;
}
