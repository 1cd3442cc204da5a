// Serving a built edition file over HTTP: the readers' downloads (site/edition-routes.tsx) and
// the newsroom's previews (admin/routes/editions.tsx) answer with the same headers.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import type { EditionFiles } from './edition-files.ts';
import type { EditionContent } from './types.ts';

export const EDITION_FORMATS = { pdf: 'application/pdf', epub: 'application/epub+zip' } as const;
export type EditionFormat = keyof typeof EDITION_FORMATS;

/** "The Test Courier" → "the-test-courier": the start of a download's file name. */
export function fileStem(publicationName: string): string {
  const stem = publicationName.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return stem || 'masthead';
}

/**
 * Answers with a built edition file, streamed from disk. The file is opened before answering:
 * a newer build may remove it a moment later, and an open file stays readable.
 */
export async function sendEditionFile(c: Context, o: { files: EditionFiles; content: EditionContent; format: EditionFormat; fileName: string }): Promise<Response> {
  let handle: fs.promises.FileHandle | null = null;
  for (let attempt = 0; attempt < 2 && !handle; attempt++) {
    const built = await o.files.file(o.content, o.format);
    try {
      handle = await fs.promises.open(built.path, 'r');
    } catch (err) {
      // Removed by a newer build between the two steps: ask again (it is built now).
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 1) throw err;
    }
  }
  const { size } = await handle!.stat();
  const headers = {
    'content-type': EDITION_FORMATS[o.format],
    'content-length': String(size),
    'content-disposition': `attachment; filename="${o.fileName.replace(/["\\\r\n]/g, '')}"`,
    'cache-control': 'private, no-store',
    vary: 'Cookie',
    'x-content-type-options': 'nosniff',
  };
  if (c.req.method === 'HEAD') {
    await handle!.close();
    return c.body(null, 200, headers);
  }
  const stream = Readable.toWeb(handle!.createReadStream()) as unknown as ReadableStream<Uint8Array>;
  return c.body(stream, 200, headers);
}
