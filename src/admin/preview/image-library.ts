// The newsroom's picture library as the editor uses it: an uploaded picture becomes a row in
// `images` at once (the same row saveArticle would write), so a body can point at it as
// `image:<id>` and be previewed before the story is ever saved. Figures are resolved
// against it by stories/inline-images.ts, for saving and previewing alike.
import type { Db } from '../../db/database.ts';
import type { StoredImage } from '../../content/image-store.ts';

/** How a body names a picture from the library: `![Alt](image:<id> "Caption | Credit")`. */
export const IMAGE_SCHEME = 'image:';
const IMAGE_SRC = /^image:([0-9a-f]{24})$/;

/** The library id a figure's src names, or null when it names something else. */
export function imageIdFromSrc(src: string): string | null {
  return IMAGE_SRC.exec(src.trim())?.[1] ?? null;
}

/** Records a stored picture in the library; storing the same picture twice is harmless. */
export async function rememberImage(db: Db, image: StoredImage, now: number): Promise<void> {
  await db
    .insertInto('images')
    .values({ id: image.id, width: image.width, height: image.height, format: image.format, widths: JSON.stringify(image.widths), created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}
