// The lead picture: drop a file on the lead area or choose one with its file input (the way
// for keyboard users), and it goes to the library at once; the thumbnail shows, the hidden
// lead_image_id takes the picture and the file input is emptied so the save does not send
// the file again. Without this script the file input is submitted with the form.
import { announceChange } from './form-fields.ts';
import { csrfOf, uploadPicture } from './upload.ts';

export function enhanceLeadImage(form: HTMLFormElement, drop: HTMLElement): void {
  const fileInput = drop.querySelector<HTMLInputElement>('input[type="file"][name="lead_image"]') ?? form.querySelector<HTMLInputElement>('input[type="file"][name="lead_image"]');
  const idInput = drop.querySelector<HTMLInputElement>('input[name="lead_image_id"]') ?? form.querySelector<HTMLInputElement>('input[name="lead_image_id"]');
  if (!idInput) return;
  const status = statusLine(drop);
  let isBusy = false;

  async function take(file: File | undefined): Promise<void> {
    if (!file || isBusy) return;
    isBusy = true;
    drop.setAttribute('aria-busy', 'true');
    say(status, 'busy', `Uploading “${file.name}”…`);
    try {
      const picture = await uploadPicture(file, csrfOf(form), (fraction) => say(status, 'busy', `Uploading “${file.name}”: ${Math.round(fraction * 100)}%`));
      idInput!.value = picture.id;
      // A new picture replaces the old one: "Remove the picture" no longer applies.
      const remove = form.elements.namedItem('lead_remove');
      if (remove instanceof HTMLInputElement && remove.type === 'checkbox') remove.checked = false;
      showThumbnail(drop, picture.thumb, picture.width, picture.height);
      if (fileInput) fileInput.value = '';
      say(status, 'done', `Lead picture uploaded (${picture.width} × ${picture.height} pixels). Describe it in the alt text.`);
      announceChange(idInput!);
    } catch (err) {
      say(status, 'error', (err as Error).message);
      // The save would send the same refused file and fail the same way: choose another.
      if (fileInput) fileInput.value = '';
    } finally {
      isBusy = false;
      drop.removeAttribute('aria-busy');
    }
  }

  fileInput?.addEventListener('change', () => void take(fileInput.files?.[0]));
  const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');
  drop.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    drop.classList.add('is-dragover');
  });
  drop.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    drop.classList.add('is-dragover');
  });
  drop.addEventListener('dragleave', (event) => {
    if (!drop.contains(event.relatedTarget as Node | null)) drop.classList.remove('is-dragover');
  });
  drop.addEventListener('drop', (event) => {
    drop.classList.remove('is-dragover');
    if (!hasFiles(event)) return;
    event.preventDefault();
    void take(event.dataTransfer?.files[0]);
  });
}

function showThumbnail(drop: HTMLElement, src: string, width: number, height: number): void {
  let img = drop.querySelector<HTMLImageElement>('img[data-lead-preview]');
  if (!img) {
    img = document.createElement('img');
    img.dataset.leadPreview = '';
    img.alt = 'The lead picture as chosen';
    drop.prepend(img);
  }
  img.src = src;
  // The thumbnail's own size keeps the aspect ratio while it loads.
  const thumbWidth = Math.min(400, width);
  img.width = thumbWidth;
  img.height = Math.max(1, Math.round((height * thumbWidth) / width));
}

/** The line that tells how an upload goes, announced politely. */
export function statusLine(near: HTMLElement, hook = 'uploadStatus'): HTMLElement {
  const attr = `data-${hook.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  let line = near.querySelector<HTMLElement>(`[${attr}]`);
  if (!line) {
    line = document.createElement('p');
    line.className = 'upload-status';
    line.setAttribute('role', 'status');
    line.setAttribute('aria-live', 'polite');
    line.setAttribute(attr, '');
    near.append(line);
  }
  return line;
}

export function say(line: HTMLElement, state: 'busy' | 'done' | 'error', text: string): void {
  line.dataset.state = state;
  line.textContent = text;
}
