// Pictures inside a story's body. The editor inserts `![Alt](image:<id> "Caption | Credit")`
// for a picture in the library (the `images` table); a story that came in by import keeps
// the file names its figures were written with, resolved from what the story already holds.
// A figure that names neither is an error the writer must see, never a silently empty spot.
import type { Block, ImageRef } from '../../content/blocks.ts';
import type { Db } from '../../db/database.ts';
import { imageIdFromSrc } from '../preview/image-library.ts';
import { imagesById } from '../../content/queries.ts';

export type InlineImagesResult =
  | { ok: true; blocks: Block[] }
  /** `blocks` has every figure that could be resolved filled in, for previews that render anyway. */
  | { ok: false; blocks: Block[]; unknown: string[]; message: string };

/** The pictures a stored body's figures already point at, by the src they were written with. */
export function knownImages(blocks: readonly Block[]): Map<string, ImageRef> {
  const known = new Map<string, ImageRef>();
  for (const b of blocks) if (b.type === 'image' && b.image) known.set(b.src, b.image);
  return known;
}

/**
 * Fills in `image` on every figure of `blocks`: `image:<id>` from the library, anything else
 * from `known` (see knownImages). One query, whatever the number of figures.
 */
export async function resolveInlineImages(db: Db, blocks: Block[], opts: { known?: ReadonlyMap<string, ImageRef> } = {}): Promise<InlineImagesResult> {
  const ids = blocks.flatMap((b) => (b.type === 'image' ? [imageIdFromSrc(b.src)] : [])).filter((id): id is string => id !== null);
  const library = await imagesById(db, ids);
  const unknown: string[] = [];
  const resolved = blocks.map((block): Block => {
    if (block.type !== 'image') return block;
    const id = imageIdFromSrc(block.src);
    const image = id ? library.get(id) : opts.known?.get(block.src);
    if (!image) {
      if (!unknown.includes(block.src)) unknown.push(block.src);
      return { ...block, image: null };
    }
    return { ...block, image };
  });
  if (unknown.length === 0) return { ok: true, blocks: resolved };
  return { ok: false, blocks: resolved, unknown, message: unknownMessage(unknown) };
}

function unknownMessage(unknown: string[]): string {
  const named = unknown.map((src) => `“${src || '(empty)'}”`).join(', ');
  const one = unknown.length === 1;
  return `${one ? 'A picture in the body is' : 'Pictures in the body are'} not in the library: ${named}. Use “Insert picture” to upload ${one ? 'it' : 'them'} again, or remove the figure.`;
}
