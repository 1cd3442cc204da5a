// Sends a picture to the library (POST /admin/images) with the form's CSRF token, reporting
// progress. XMLHttpRequest, because fetch cannot report an upload's progress.
import { isTooBig, tooBigMessage } from '../uploads.ts';

export interface UploadedPicture {
  id: string;
  width: number;
  height: number;
  src: string;
  thumb: string;
}

export function uploadPicture(file: File, csrf: string, onProgress: (fraction: number) => void): Promise<UploadedPicture> {
  if (file.type && !file.type.startsWith('image/')) return Promise.reject(new Error(`“${file.name}” is not a picture: choose a JPEG, PNG, WebP or GIF.`));
  if (isTooBig(file)) return Promise.reject(new Error(tooBigMessage(`“${file.name}”`)));
  return new Promise((resolve, reject) => {
    const data = new FormData();
    data.set('_csrf', csrf);
    data.set('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/admin/images');
    xhr.responseType = 'json';
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      const body = xhr.response as (Partial<UploadedPicture> & { ok?: boolean; error?: string }) | null;
      if (xhr.status === 200 && body?.ok && typeof body.id === 'string') {
        resolve({ id: body.id, width: Number(body.width), height: Number(body.height), src: String(body.src), thumb: String(body.thumb) });
      } else if (body?.error) {
        reject(new Error(body.error));
      } else if (xhr.status === 403) {
        reject(new Error('The upload was refused: you may have been signed out. Sign in again in another tab, then retry.'));
      } else {
        reject(new Error(`The upload failed (error ${xhr.status}). Try again.`));
      }
    });
    xhr.addEventListener('error', () => reject(new Error('The upload failed: the newsroom could not be reached. Check the connection and try again.')));
    xhr.addEventListener('abort', () => reject(new Error('The upload was cancelled.')));
    xhr.send(data);
  });
}

/** The CSRF token of a form. */
export function csrfOf(form: HTMLFormElement): string {
  return (form.elements.namedItem('_csrf') as HTMLInputElement | null)?.value ?? '';
}
