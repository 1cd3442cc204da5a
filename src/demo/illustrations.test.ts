import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { PALETTES, SCENES, illustrationSvg, renderIllustration } from './illustrations.ts';

describe('renderIllustration', () => {
  for (const scene of SCENES) {
    test(`${scene} renders a JPEG of the requested size`, async () => {
      const jpg = await renderIllustration({ scene, palette: 'dusk', seed: `test-${scene}`, width: 800, height: 500 });
      const meta = await sharp(jpg).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 800, 500]);
    });
  }

  test('defaults to 1600×1000', async () => {
    const meta = await sharp(await renderIllustration({ scene: 'harbor', palette: 'day', seed: 'default' })).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 1600, 1000]);
  });

  test('every palette works with every scene, at odd sizes too', () => {
    // The SVG is what varies with palette; rasterising each would only repeat the test above.
    for (const scene of SCENES) {
      for (const palette of PALETTES) {
        const svg = illustrationSvg({ scene, palette, seed: 'grid', width: 333, height: 517 });
        assert.match(svg, /^<svg [^>]*width="333" height="517"/);
        assert.doesNotMatch(svg, /NaN|undefined|Infinity/, `${scene}/${palette}`);
      }
    }
  });

  test('the same seed gives identical bytes', async () => {
    const opts = { scene: 'city', palette: 'night', seed: 'front-page-42', width: 640, height: 400 } as const;
    const a = await renderIllustration(opts);
    const b = await renderIllustration(opts);
    assert.ok(a.equals(b));
  });

  test('a different seed gives a different picture', async () => {
    const base = { scene: 'mountains', palette: 'dawn', width: 640, height: 400 } as const;
    const a = await renderIllustration({ ...base, seed: 'one' });
    const b = await renderIllustration({ ...base, seed: 'two' });
    assert.ok(!a.equals(b));
  });

  test('rejects impossible sizes', () => {
    assert.throws(() => illustrationSvg({ scene: 'sea', palette: 'day', seed: 'x', width: 0 }), RangeError);
    assert.throws(() => illustrationSvg({ scene: 'sea', palette: 'day', seed: 'x', height: 1.5 }), RangeError);
  });
});
