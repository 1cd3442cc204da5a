// Word count and reading time beside the body, live, counted as the server counts on save.
// The page words the line ("<span data-word-count>812</span> words · about
// <span data-reading-time>4</span> min to read"); this script fills in the numbers.
import { countMarkdownWords, readingMinutes } from './word-count.ts';

export function enhanceBodyStats(editor: HTMLTextAreaElement, words: HTMLElement | null, reading: HTMLElement | null): void {
  if (!words && !reading) return;
  let frame = 0;
  const update = () => {
    frame = 0;
    const n = countMarkdownWords(editor.value);
    if (words) words.textContent = n.toLocaleString('en-US');
    if (reading) reading.textContent = String(readingMinutes(n));
  };
  editor.addEventListener('input', () => {
    frame ||= window.requestAnimationFrame(update);
  });
  update();
}
