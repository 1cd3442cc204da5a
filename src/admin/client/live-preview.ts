// The body's live preview: a moment after the writer stops typing, the server renders the
// Markdown exactly as the reader site will (POST /admin/stories/preview-body) and the
// fragment replaces the preview. Only the latest answer is shown.
import { csrfOf } from './upload.ts';

const PREVIEW_URL = '/admin/stories/preview-body';
const DEBOUNCE_MS = 400;

export function enhanceLivePreview(form: HTMLFormElement, editor: HTMLTextAreaElement, target: HTMLElement): void {
  let timer: number | undefined;
  let controller: AbortController | null = null;
  const dateline = form.elements.namedItem('dateline');

  async function render(): Promise<void> {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    const data = new FormData();
    data.set('_csrf', csrfOf(form));
    data.set('body', editor.value);
    if (dateline instanceof HTMLInputElement) data.set('dateline', dateline.value);
    // An imported story's figures name files the story already holds pictures for.
    if (form.dataset.storyId) data.set('story_id', form.dataset.storyId);
    target.setAttribute('aria-busy', 'true');
    try {
      const res = await fetch(PREVIEW_URL, { method: 'POST', body: data, credentials: 'same-origin', signal: mine.signal });
      const html = await res.text();
      if (controller !== mine) return;
      // Our own server's fragment, rendered from the block tree with every value escaped.
      if (res.ok || res.status === 422) target.innerHTML = html;
      else note(target, res.status === 403 ? 'The preview is unavailable: you may have been signed out.' : `The preview is unavailable (error ${res.status}).`);
    } catch (err) {
      if ((err as Error).name !== 'AbortError' && controller === mine) note(target, 'The preview is unavailable: the newsroom cannot be reached.');
    } finally {
      if (controller === mine) {
        target.removeAttribute('aria-busy');
        controller = null;
      }
    }
  }

  const later = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void render(), DEBOUNCE_MS);
  };
  editor.addEventListener('input', later);
  if (dateline instanceof HTMLInputElement) dateline.addEventListener('input', later);
  if (target.innerHTML.trim() === '' && editor.value.trim() !== '') void render();
}

function note(target: HTMLElement, text: string): void {
  const p = document.createElement('p');
  p.className = 'preview-note';
  p.textContent = text;
  target.replaceChildren(p);
}
