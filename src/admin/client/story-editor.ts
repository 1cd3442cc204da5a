// The story editor's enhancements, found by their data-* hooks (the editor page's DOM
// contract): live preview, word count and reading time, autosave, the lead picture, inline
// pictures, Ctrl/Cmd+S. Each part does nothing when its elements are absent.
import { enhanceAutosave } from './autosave.ts';
import { enhanceBodyStats } from './body-stats.ts';
import { enhanceInlineImage } from './inline-image.ts';
import { enhanceLeadImage } from './lead-image.ts';
import { enhanceLivePreview } from './live-preview.ts';
import { enhanceSaveShortcut } from './save-shortcut.ts';

export function enhanceStoryEditor(): void {
  const form = document.querySelector<HTMLFormElement>('form[data-story-form]');
  if (!form) return;
  const editor = form.querySelector<HTMLTextAreaElement>('textarea[data-body-editor]');
  const preview = document.querySelector<HTMLElement>('[data-body-preview]');
  if (editor && preview) enhanceLivePreview(form, editor, preview);
  if (editor) enhanceBodyStats(editor, document.querySelector<HTMLElement>('[data-word-count]'), document.querySelector<HTMLElement>('[data-reading-time]'));
  const drop = form.querySelector<HTMLElement>('[data-lead-drop]');
  if (drop) enhanceLeadImage(form, drop);
  const trigger = form.querySelector<HTMLButtonElement>('[data-insert-image]');
  const picker = form.querySelector<HTMLInputElement>('input[type="file"][data-inline-image-input]') ?? document.querySelector<HTMLInputElement>('input[type="file"][data-inline-image-input]');
  if (editor && trigger && picker) enhanceInlineImage(form, editor, trigger, picker);
  if (form.dataset.autosaveUrl !== undefined) enhanceAutosave(form);
  enhanceSaveShortcut(form);
  // A picture dropped beside the drop area must not make the browser leave the editor.
  for (const type of ['dragover', 'drop'] as const) {
    document.addEventListener(type, (event) => {
      if (Array.from(event.dataTransfer?.types ?? []).includes('Files') && !(event.target as Element | null)?.closest?.('[data-lead-drop]')) event.preventDefault();
    });
  }
}
