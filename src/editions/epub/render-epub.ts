// The Weekly as an EPUB 3 file. The I/O lives here: which picture files exist, the cover art,
// and the builder run. epub-gen-memory fetches every picture and font it is given by URL; we
// give it file:// URLs only and refuse to build if anything else slipped in, so a build never
// reaches the network.
import fs from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { EPub } from 'epub-gen-memory';
import type { EditionContent, EditionStory } from '../types.ts';
import { renderCoverJpeg } from './cover-image.ts';
import { planEditionBook } from './edition-book.ts';
import { bookFonts } from './epub-stylesheet.ts';

/** The builder's bookkeeping of what it is about to fetch (not in its public types). */
interface BuilderInternals {
  images: { url: string }[];
  options: { fonts: { url: string }[] };
}

async function isReadable(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The edition with pictures whose files are missing left out, as the edition already does for
 * pictures it could not resolve: one lost file should not stop the whole issue.
 */
async function withExistingPictures(content: EditionContent): Promise<EditionContent> {
  const files = new Set<string>();
  for (const story of content.stories) {
    if (story.image) files.add(story.image.file);
    for (const file of Object.values(story.inlineImages)) files.add(file);
  }
  if (content.coverImage) files.add(content.coverImage.file);
  const present = new Set<string>();
  await Promise.all([...files].map(async (f) => (await isReadable(f)) && present.add(f)));
  if (present.size === files.size) return content;

  const stories = content.stories.map((story): EditionStory => ({
    ...story,
    image: story.image && present.has(story.image.file) ? story.image : null,
    inlineImages: Object.fromEntries(Object.entries(story.inlineImages).filter(([, f]) => present.has(f))),
  }));
  const coverImage = content.coverImage && present.has(content.coverImage.file) ? content.coverImage : null;
  return { ...content, stories, coverImage };
}

function assertLocalOnly(builder: EPub): void {
  const inner = builder as unknown as BuilderInternals;
  const urls = [...inner.images.map((i) => i.url), ...inner.options.fonts.map((f) => f.url)];
  const remote = urls.find((u) => !u.startsWith('file://'));
  if (remote !== undefined) throw new Error(`EPUB build refused: a resource is not a local file (${remote})`);
}

export async function renderEditionEpub(content: EditionContent): Promise<Buffer> {
  const edition = await withExistingPictures(content);
  const coverJpeg = await renderCoverJpeg(edition);
  // The builder names the stored cover after this file name (cover.jpeg); the cover page uses it.
  const cover = new File([new Uint8Array(coverJpeg)], 'cover.jpeg', { type: 'image/jpeg' });
  const { options, chapters } = planEditionBook({
    content: edition,
    pictureSrc: (file) => pathToFileURL(file).href,
    cover,
    fonts: bookFonts(),
  });
  const builder = new EPub(options, chapters);
  assertLocalOnly(builder);
  return builder.genEpub();
}
