// "Insert picture": the button opens the hidden file picker; the chosen picture goes to the
// library and its figure is written into the body as a paragraph of its own at the cursor,
// with the alt text selected so the writer types it straight away.
import { insertFigure } from './figure-snippet.ts';
import { announceChange } from './form-fields.ts';
import { say } from './lead-image.ts';
import { csrfOf, uploadPicture } from './upload.ts';

export function enhanceInlineImage(form: HTMLFormElement, editor: HTMLTextAreaElement, trigger: HTMLButtonElement, picker: HTMLInputElement): void {
  let selection = { start: editor.value.length, end: editor.value.length };
  const status = document.createElement('span');
  status.className = 'upload-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  status.dataset.inlineImageStatus = '';
  trigger.after(status);

  // The cursor as it was in the body: choosing a file moves focus away from it.
  const remember = () => {
    selection = { start: editor.selectionStart, end: editor.selectionEnd };
  };
  editor.addEventListener('select', remember);
  editor.addEventListener('keyup', remember);
  editor.addEventListener('mouseup', remember);
  editor.addEventListener('blur', remember);

  trigger.addEventListener('click', () => {
    if (document.activeElement === editor) remember();
    picker.click();
  });

  picker.addEventListener('change', async () => {
    const file = picker.files?.[0];
    if (!file) return;
    trigger.disabled = true;
    say(status, 'busy', `Uploading “${file.name}”…`);
    try {
      const picture = await uploadPicture(file, csrfOf(form), (fraction) => say(status, 'busy', `Uploading “${file.name}”: ${Math.round(fraction * 100)}%`));
      const place = insertFigure(editor.value, selection.start, selection.end, picture.id);
      editor.focus();
      editor.setRangeText(place.text, place.start, place.end, 'end');
      editor.setSelectionRange(place.selectStart, place.selectEnd);
      remember();
      say(status, 'done', 'Picture inserted: type its description (alt text), then replace Caption and Credit.');
      announceChange(editor);
    } catch (err) {
      say(status, 'error', (err as Error).message);
    } finally {
      picker.value = '';
      trigger.disabled = false;
    }
  });
}
