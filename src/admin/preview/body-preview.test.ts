import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Block, ImageRef } from '../../content/blocks.ts';
import { parseMarkdown } from '../../content/markdown.ts';
import { renderBlocks } from '../../content/render-html.ts';
import { ARTICLE_BODY_SIZES, renderBodyPreview } from './body-preview.ts';
import { imageIdFromSrc } from './image-library.ts';

const ID = '0123456789abcdef01234567';
const REF: ImageRef = { id: ID, width: 1600, height: 900, widths: [400, 800, 1200, 1600] };

function resolved(md: string, library: Record<string, ImageRef>): Block[] {
  return parseMarkdown(md).map((b) => (b.type === 'image' ? { ...b, image: library[imageIdFromSrc(b.src) ?? ''] ?? null } : b));
}

describe('body preview', () => {
  it('is exactly the reader renderer when every picture is known', () => {
    const md = `## The ice\n\nFirst paragraph.\n\n![Ships](image:${ID} "At dawn | Jane Doe")\n\n> [!PULLQUOTE]\n> Open by Friday.\n> — The mayor\n\nLast paragraph.`;
    const blocks = resolved(md, { [ID]: REF });
    const expected = renderBlocks(blocks, { mediaBase: '/media', dateline: 'BERGEN, Norway', imageSizes: ARTICLE_BODY_SIZES });
    assert.equal(renderBodyPreview(blocks, { dateline: 'BERGEN, Norway' }), expected);
    assert.match(expected, /<span class="dateline">BERGEN, Norway<\/span> — First paragraph/);
  });

  it('shows a placeholder, with the caption, where a picture is missing, and keeps the dateline on the first paragraph', () => {
    const md = `![Gone](image:ffffffffffffffffffffffff "Lost ships | Nobody")\n\nFirst paragraph.\n\n![Old](photos/old.jpg)\n\nSecond paragraph.`;
    const html = renderBodyPreview(resolved(md, {}), { dateline: 'OSLO' });
    assert.equal((html.match(/class="figure figure-missing"/g) ?? []).length, 2);
    assert.match(html, /data-missing-image="image:ffffffffffffffffffffffff"[\s\S]*Picture missing[\s\S]*<figcaption>Lost ships <span class="credit">Nobody<\/span><\/figcaption>/);
    assert.match(html, /data-missing-image="photos\/old.jpg"[^>]*><p class="figure-missing-note"><strong>Picture missing.<\/strong> This figure points at “photos\/old.jpg”/);
    assert.match(html, /<p><span class="dateline">OSLO<\/span> — First paragraph.<\/p>/);
    assert.equal((html.match(/dateline/g) ?? []).length, 1);
    assert.match(html, /<p>Second paragraph.<\/p>/);
  });

  it('escapes what the writer typed in a missing figure', () => {
    const blocks: Block[] = [{ type: 'image', image: null, src: '"><script>x</script>', alt: '', caption: '<b>cap</b>' }];
    const html = renderBodyPreview(blocks);
    assert.doesNotMatch(html, /<script>|<b>/);
    assert.match(html, /&lt;b&gt;cap&lt;\/b&gt;/);
  });

  it('renders an empty body as nothing', () => {
    assert.equal(renderBodyPreview([]), '');
  });
});
