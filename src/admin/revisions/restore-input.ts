// Turns an old revision back into what saveArticle takes, keeping what a restore must not
// change: the story's status and publish time, its corrections (a public record, never rolled
// back), and, when a writer restores, its access class and slug (see RestoreScope). Pure: the
// pictures and sections it needs are looked up by the caller.
import type { Block, ImageRef } from '../../content/blocks.ts';
import type { ArticleInput } from '../../content/article-store.ts';
import { parseMarkdown } from '../../content/markdown.ts';
import type { StoredImage } from '../../content/image-store.ts';
import type { AccessClass, ArticleStatus } from '../../db/schema.ts';
import { imageIdFromSrc } from '../preview/image-library.ts';
import type { RestoreScope } from './restore-policy.ts';
import type { RevisionSnapshot } from './snapshot.ts';

export interface CurrentStory {
  id: number;
  sectionPath: string;
  status: ArticleStatus;
  publishedAt: number | null;
  access: AccessClass;
  slug: string;
  /** The stored blocks: imported figures carry their picture here, found again by src. */
  blocks: Block[];
}

/**
 * The revision as this restorer may put it back: what they may not change (access class,
 * slug) is the story's current value. Compared with the story, it also tells whether the
 * restore would change anything at all.
 */
export function restorableSnapshot(snapshot: RevisionSnapshot, current: Pick<CurrentStory, 'access' | 'slug'>, scope: RestoreScope): RevisionSnapshot {
  return {
    ...snapshot,
    access: scope.canRestoreAccess ? snapshot.access : current.access,
    slug: scope.canRestoreSlug ? snapshot.slug : current.slug,
  };
}

/** Picture ids the restore must look up: the lead image and uploaded figures. */
export function picturesNeeded(snapshot: RevisionSnapshot): string[] {
  const ids = new Set<string>();
  if (snapshot.image) ids.add(snapshot.image.id);
  for (const block of parseMarkdown(snapshot.body)) {
    const id = block.type === 'image' ? imageIdFromSrc(block.src) : null;
    if (id) ids.add(id);
  }
  return [...ids];
}

export interface RestorePlan {
  input: ArticleInput;
  /** Pictures of the revision that are stored no more (or were never resolved): left out. */
  missingPictures: string[];
}

export function planRestore(args: {
  snapshot: RevisionSnapshot;
  current: CurrentStory;
  /** What this staff member's restore puts back (restore-policy.ts restoreScope). */
  scope: RestoreScope;
  images: ReadonlyMap<string, StoredImage>;
  /** Whether the revision's section still exists; if not, the story stays where it is. */
  isSectionKnown: boolean;
}): RestorePlan {
  const { current, images } = args;
  const snapshot = restorableSnapshot(args.snapshot, current, args.scope);
  const missing = new Set<string>();
  const bySrc = new Map<string, ImageRef>();
  for (const b of current.blocks) if (b.type === 'image' && b.image) bySrc.set(b.src, b.image);

  const blocks = parseMarkdown(snapshot.body);
  for (const block of blocks) {
    if (block.type !== 'image') continue;
    const id = imageIdFromSrc(block.src);
    const found = id ? images.get(id) : bySrc.get(block.src);
    if (found) block.image = { id: found.id, width: found.width, height: found.height, widths: found.widths };
    else missing.add(block.src);
  }

  let leadImage: ArticleInput['leadImage'] = null;
  if (snapshot.image) {
    const image = images.get(snapshot.image.id);
    if (image) leadImage = { image, caption: snapshot.image.caption, credit: snapshot.image.credit, alt: snapshot.image.alt };
    else missing.add(`lead image ${snapshot.image.id}`);
  }

  const input: ArticleInput = {
    id: current.id,
    headline: snapshot.headline,
    dek: snapshot.dek,
    sectionPath: args.isSectionKnown && snapshot.section ? snapshot.section : current.sectionPath,
    authors: snapshot.authors,
    dateline: snapshot.dateline,
    // A restore never publishes nor unpublishes: a draft stays a draft, a live story keeps its time.
    publishedAt: current.status === 'draft' ? null : current.publishedAt,
    access: snapshot.access,
    tags: snapshot.tags,
    bodyMarkdown: snapshot.body,
    blocks,
    leadImage,
    slug: snapshot.slug || undefined,
  };
  return { input, missingPictures: [...missing] };
}
