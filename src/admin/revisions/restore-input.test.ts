import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Block } from '../../content/blocks.ts';
import type { StoredImage } from '../../content/image-store.ts';
import { picturesNeeded, planRestore, restorableSnapshot, type CurrentStory } from './restore-input.ts';
import type { RestoreScope } from './restore-policy.ts';
import type { RevisionSnapshot } from './snapshot.ts';

const uploaded: StoredImage = { id: 'b'.repeat(24), width: 1600, height: 900, widths: [400, 800, 1600], format: 'jpeg' };
const imported = { id: 'c'.repeat(24), width: 1200, height: 800, widths: [400, 1200] };
const lead: StoredImage = { id: 'a'.repeat(24), width: 2000, height: 1000, widths: [800, 2000], format: 'webp' };

const snapshot: RevisionSnapshot = {
  headline: 'Old headline',
  dek: 'Old dek.',
  section: 'World/Europe',
  slug: 'Old-headline',
  authors: ['Ada Lind'],
  dateline: 'BERGEN',
  published: 1,
  access: 'subscriber',
  tags: ['Harbors'],
  body: `Opening.\n\n![A quay](image:${uploaded.id} "Quay | Ada")\n\n![Ships](photos/ships.jpg)\n\n![Gone](photos/gone.jpg)`,
  image: { id: lead.id, caption: 'Cap', credit: 'Cred', alt: 'Alt' },
  corrections: null,
};

const currentBlocks: Block[] = [{ type: 'image', image: imported, src: 'photos/ships.jpg', alt: 'Ships' }];
const current = (over: Partial<CurrentStory> = {}): CurrentStory => ({
  id: 4, sectionPath: 'World', status: 'published', publishedAt: 1000, access: 'metered', slug: 'New-headline', blocks: currentBlocks, ...over,
});
const editor: RestoreScope = { canRestoreAccess: true, canRestoreSlug: true };
const writer: RestoreScope = { canRestoreAccess: false, canRestoreSlug: false };

describe('planRestore', () => {
  it('knows which pictures to look up', () => {
    assert.deepEqual(picturesNeeded(snapshot).sort(), [lead.id, uploaded.id].sort());
  });

  it('takes as uploaded pictures only the ids the library hands out', () => {
    // Anything else named `image:` is no library picture: it is looked up by its src instead.
    const bad = { ...snapshot, image: null, body: '![A](image:abc123)\n\n![B](image:' + 'B'.repeat(24) + ')\n\n![C](image:' + 'z'.repeat(24) + ')' };
    assert.deepEqual(picturesNeeded(bad), []);
  });

  it('restores the words and pictures, keeps the status and publish time', () => {
    const images = new Map([[lead.id, lead], [uploaded.id, uploaded]]);
    const { input, missingPictures } = planRestore({ snapshot, current: current(), scope: editor, images, isSectionKnown: true });
    assert.equal(input.id, 4);
    assert.equal(input.headline, 'Old headline');
    assert.equal(input.sectionPath, 'World/Europe');
    assert.equal(input.slug, 'Old-headline');
    assert.equal(input.publishedAt, 1000, 'the current publish time, not the revision’s');
    assert.equal(input.access, 'subscriber');
    assert.equal(input.corrections, undefined, 'corrections are left as they are');
    assert.deepEqual(input.leadImage, { image: lead, caption: 'Cap', credit: 'Cred', alt: 'Alt' });
    const figures = input.blocks.filter((b) => b.type === 'image');
    assert.deepEqual(figures.map((f) => f.type === 'image' && f.image?.id), [uploaded.id, imported.id, undefined]);
    assert.deepEqual(missingPictures, ['photos/gone.jpg']);
  });

  it('keeps a draft a draft', () => {
    const { input } = planRestore({ snapshot, current: current({ status: 'draft', publishedAt: 1000 }), scope: editor, images: new Map(), isSectionKnown: true });
    assert.equal(input.publishedAt, null);
  });

  it('keeps the story in its section when the revision’s section is gone, and reports missing pictures', () => {
    const { input, missingPictures } = planRestore({ snapshot, current: current(), scope: editor, images: new Map(), isSectionKnown: false });
    assert.equal(input.sectionPath, 'World');
    assert.equal(input.leadImage, null);
    assert.deepEqual(missingPictures.sort(), [`image:${uploaded.id}`, `lead image ${lead.id}`, 'photos/gone.jpg'].sort());
  });

  it('lets a writer restore the words only: the access class and slug stay the story’s', () => {
    const draft = current({ status: 'draft', publishedAt: null, access: 'subscriber', slug: 'Current-slug' });
    const { input } = planRestore({ snapshot: { ...snapshot, access: 'metered' }, current: draft, scope: writer, images: new Map(), isSectionKnown: true });
    assert.equal(input.access, 'subscriber');
    assert.equal(input.slug, 'Current-slug');
    assert.equal(input.headline, 'Old headline', 'the words are the revision’s');
    assert.equal(input.sectionPath, 'World/Europe');
    const asEditor = planRestore({ snapshot: { ...snapshot, access: 'metered' }, current: draft, scope: editor, images: new Map(), isSectionKnown: true });
    assert.equal(asEditor.input.access, 'metered');
    assert.equal(asEditor.input.slug, 'Old-headline');
  });

  it('shows a writer’s restore the revision with the story’s own access class and slug', () => {
    const kept = restorableSnapshot(snapshot, { access: 'free', slug: 'Kept' }, writer);
    assert.deepEqual(kept, { ...snapshot, access: 'free', slug: 'Kept' });
    assert.deepEqual(restorableSnapshot(snapshot, { access: 'free', slug: 'Kept' }, editor), snapshot);
  });
});
