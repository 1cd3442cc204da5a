// The largest picture file the newsroom takes, wherever one is sent: the library (and so the
// editor's inline and lead pictures), a story form's lead picture, an author's photo, and the
// browser's check before it sends anything. A full-resolution press photo fits; a video chosen
// by mistake does not. (The app's request-body limit for these routes sits a little above it.)
// Shared by the server and the bundled client script, so it imports nothing.

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

const LIMIT = `${MAX_UPLOAD_BYTES / 1024 / 1024} MB`;

/** The message for a file over the limit: "The file is larger than 20 MB: export a smaller copy of the picture." */
export function tooBigMessage(what = 'The file'): string {
  return `${what} is larger than ${LIMIT}: export a smaller copy of the picture.`;
}

export function isTooBig(file: { size: number }): boolean {
  return file.size > MAX_UPLOAD_BYTES;
}
