import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Block } from '../../content/blocks.ts';
import type { StoredImage } from '../../content/image-store.ts';
import { picturesNeeded, planRestore, uploadedImageId, type CurrentStory } from './restore-input.ts';
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
const current = (over: Partial<CurrentStory> = {}): CurrentStory => ({ id: 4, sectionPath: 'World', status: 'published', publishedAt: 1000, blocks: currentBlocks, ...over });

describe('planRestore', () => {
  it('knows which pictures to look up', () => {
    assert.deepEqual(picturesNeeded(snapshot).sort(), [lead.id, uploaded.id].sort());
    assert.equal(uploadedImageId('image:abc123'), 'abc123');
    assert.equal(uploadedImageId('photos/a.jpg'), null);
  });

  it('restores the words and pictures, keeps the status and publish time', () => {
    const images = new Map([[lead.id, lead], [uploaded.id, uploaded]]);
    const { input, missingPictures } = planRestore({ snapshot, current: current(), images, isSectionKnown: true });
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
    const { input } = planRestore({ snapshot, current: current({ status: 'draft', publishedAt: 1000 }), images: new Map(), isSectionKnown: true });
    assert.equal(input.publishedAt, null);
  });

  it('keeps the story in its section when the revision’s section is gone, and reports missing pictures', () => {
    const { input, missingPictures } = planRestore({ snapshot, current: current(), images: new Map(), isSectionKnown: false });
    assert.equal(input.sectionPath, 'World');
    assert.equal(input.leadImage, null);
    assert.deepEqual(missingPictures.sort(), [`image:${uploaded.id}`, `lead image ${lead.id}`, 'photos/gone.jpg'].sort());
  });
});
