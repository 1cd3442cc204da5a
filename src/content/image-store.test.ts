import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { ImageError, mediaFile, storeImage } from './image-store.ts';

let dir: string;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-media-'));
});

after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A horizontal gradient, so resizing and encoding work on real image content. */
function gradient(width: number, height: number): Sharp {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = Math.round((x / width) * 255);
      data[i + 1] = Math.round((y / height) * 255);
      data[i + 2] = 128;
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } });
}

function rejectsWith(code: string) {
  return (err: unknown) => {
    assert.ok(err instanceof ImageError, `expected ImageError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.ok(err.message.length > 0);
    return true;
  };
}

describe('storeImage', () => {
  test('a large JPEG yields every variant width in WebP and JPEG', async () => {
    const input = await gradient(2000, 1000).jpeg({ quality: 90 }).toBuffer();
    const stored = await storeImage({ dir, input });

    assert.match(stored.id, /^[0-9a-f]{24}$/);
    assert.deepEqual(stored, { id: stored.id, width: 2000, height: 1000, widths: [400, 800, 1200, 1600], format: 'jpeg' });
    for (const w of stored.widths) {
      const webp = await sharp(path.join(dir, stored.id, `${w}.webp`)).metadata();
      assert.deepEqual([webp.format, webp.width, webp.height], ['webp', w, w / 2]);
      const jpg = await sharp(path.join(dir, stored.id, `${w}.jpg`)).metadata();
      assert.deepEqual([jpg.format, jpg.width, jpg.height, jpg.isProgressive], ['jpeg', w, w / 2, true]);
    }
    const meta = JSON.parse(fs.readFileSync(path.join(dir, stored.id, 'meta.json'), 'utf8'));
    assert.deepEqual(meta, stored);
    // Only the finished files remain: no temporaries left behind.
    assert.deepEqual(fs.readdirSync(path.join(dir, stored.id)).sort(), [
      '1200.jpg', '1200.webp', '1600.jpg', '1600.webp', '400.jpg', '400.webp', '800.jpg', '800.webp', 'meta.json',
    ]);
  });

  test('storing the same bytes again returns the stored image without re-encoding', async () => {
    const input = await gradient(900, 600).png().toBuffer();
    const first = await storeImage({ dir, input });
    const variant = path.join(dir, first.id, '800.webp');
    const before = fs.statSync(variant).mtimeMs;
    fs.utimesSync(variant, new Date(0), new Date(0));

    const second = await storeImage({ dir, input });
    assert.deepEqual(second, first);
    assert.equal(fs.statSync(variant).mtimeMs, 0, 'variant was rewritten');
    assert.ok(before > 0);
  });

  test('concurrent stores of the same bytes agree', async () => {
    const input = await gradient(1300, 500).webp().toBuffer();
    const [a, b] = await Promise.all([storeImage({ dir, input }), storeImage({ dir, input })]);
    assert.deepEqual(a, b);
    assert.deepEqual(a.widths, [400, 800, 1200]);
  });

  test('a folder without meta.json is rebuilt', async () => {
    const input = await gradient(500, 300).png().toBuffer();
    const first = await storeImage({ dir, input });
    fs.rmSync(path.join(dir, first.id, 'meta.json'));
    fs.rmSync(path.join(dir, first.id, '400.jpg'));
    const again = await storeImage({ dir, input });
    assert.deepEqual(again, first);
    assert.ok(fs.existsSync(path.join(dir, first.id, '400.jpg')));
  });

  test('a picture narrower than 400 px gets one variant at its own width', async () => {
    const input = await gradient(300, 200).png().toBuffer();
    const stored = await storeImage({ dir, input });
    assert.deepEqual(stored, { id: stored.id, width: 300, height: 200, widths: [300], format: 'png' });
    for (const ext of ['webp', 'jpg']) {
      const m = await sharp(path.join(dir, stored.id, `300.${ext}`)).metadata();
      assert.deepEqual([m.width, m.height], [300, 200]);
    }
  });

  test('transparent PNGs keep alpha in WebP and are flattened onto white in JPEG', async () => {
    const input = await sharp({ create: { width: 420, height: 210, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    const stored = await storeImage({ dir, input });
    const webp = await sharp(path.join(dir, stored.id, '400.webp')).metadata();
    assert.equal(webp.hasAlpha, true);
    const { data } = await sharp(path.join(dir, stored.id, '400.jpg')).raw().toBuffer({ resolveWithObject: true });
    assert.ok(data[0] > 250 && data[1] > 250 && data[2] > 250, 'transparent pixels should be white');
  });

  test('EXIF orientation is applied and metadata is stripped', async () => {
    // Left half red, right half blue, stored sideways with "rotate 90° clockwise to display".
    const input = await sharp({ create: { width: 900, height: 450, channels: 3, background: '#ff0000' } })
      .composite([{ input: { create: { width: 450, height: 450, channels: 3, background: '#0000ff' } }, left: 450, top: 0 }])
      .jpeg()
      .withMetadata({ orientation: 6, exif: { IFD0: { Copyright: 'Someone', Artist: 'Someone' } } })
      .toBuffer();
    assert.equal((await sharp(input).metadata()).orientation, 6);

    const stored = await storeImage({ dir, input });
    assert.deepEqual([stored.width, stored.height, stored.widths], [450, 900, [400]]);

    for (const ext of ['webp', 'jpg']) {
      const file = path.join(dir, stored.id, `400.${ext}`);
      const m = await sharp(file).metadata();
      assert.deepEqual([m.width, m.height], [400, 800]);
      assert.equal(m.orientation, undefined);
      assert.equal(m.exif, undefined);
      assert.equal(m.icc, undefined);
      // After rotation the left (red) half of the stored pixels is the top of the picture.
      const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
      const px = (x: number, y: number) => Array.from(data.subarray((y * 400 + x) * info.channels, (y * 400 + x) * info.channels + 3));
      const [tr, , tb] = px(200, 100);
      const [br, , bb] = px(200, 700);
      assert.ok(tr > 200 && tb < 60, `top should be red, got ${px(200, 100)}`);
      assert.ok(br < 60 && bb > 200, `bottom should be blue, got ${px(200, 700)}`);
    }
  });

  test('SVG is refused even though sharp could render it', async () => {
    const input = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><script>alert(document.cookie)</script><rect width="800" height="600" fill="red"/></svg>',
    );
    await assert.rejects(storeImage({ dir, input }), rejectsWith('image-unsupported'));
  });

  test('other formats sharp reads (TIFF) are refused', async () => {
    const input = await gradient(500, 400).tiff().toBuffer();
    await assert.rejects(storeImage({ dir, input }), rejectsWith('image-unsupported'));
  });

  test('HTML named like a picture is invalid', async () => {
    const input = Buffer.from('<!doctype html><html><head><title>x</title></head><body><img src=x onerror=alert(1)></body></html>');
    await assert.rejects(storeImage({ dir, input }), rejectsWith('image-invalid'));
    await assert.rejects(storeImage({ dir, input: Buffer.alloc(0) }), rejectsWith('image-invalid'));
  });

  test('a truncated JPEG is invalid and leaves nothing behind', async () => {
    const whole = await gradient(1000, 800).jpeg().toBuffer();
    const input = whole.subarray(0, Math.floor(whole.length / 2));
    const entries = fs.readdirSync(dir).length;
    await assert.rejects(storeImage({ dir, input }), rejectsWith('image-invalid'));
    assert.equal(fs.readdirSync(dir).length, entries);
  });

  test('a 20000×20000 picture is refused from its header', async () => {
    // A solid colour compresses to about a megabyte; decoding it would need 1.2 GB.
    const input = await sharp({
      create: { width: 20000, height: 20000, channels: 3, background: '#2a6f97' },
      limitInputPixels: false,
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    await assert.rejects(storeImage({ dir, input }), rejectsWith('image-too-large'));
    // The limit is configurable.
    const small = await gradient(400, 300).png().toBuffer();
    await assert.rejects(storeImage({ dir, input: small, maxPixels: 100_000 }), rejectsWith('image-too-large'));
  });

  test('an animated GIF is refused', async () => {
    // Three 60×40 frames of different colours stacked vertically; identical frames would be merged.
    const frames = Buffer.alloc(60 * 120 * 3);
    for (let i = 0; i < frames.length; i += 3) frames[Math.floor(i / (60 * 40 * 3)) + i] = 255;
    const input = await sharp(frames, { raw: { width: 60, height: 120, channels: 3, pageHeight: 40 } }).gif().toBuffer();
    assert.equal((await sharp(input).metadata()).pages, 3);
    await assert.rejects(storeImage({ dir, input }), rejectsWith('image-animated'));
  });

  test('an animated PNG is refused', async () => {
    const png = await gradient(64, 64).png().toBuffer();
    // Insert an acTL chunk (2 frames) right after IHDR, as APNG encoders do.
    const body = Buffer.alloc(8);
    body.writeUInt32BE(2, 0);
    body.writeUInt32BE(0, 4);
    const type = Buffer.from('acTL', 'latin1');
    const chunk = Buffer.alloc(12 + body.length);
    chunk.writeUInt32BE(body.length, 0);
    type.copy(chunk, 4);
    body.copy(chunk, 8);
    chunk.writeUInt32BE(zlib.crc32(Buffer.concat([type, body])), 8 + body.length);
    const ihdrEnd = 8 + 12 + png.readUInt32BE(8);
    const input = Buffer.concat([png.subarray(0, ihdrEnd), chunk, png.subarray(ihdrEnd)]);
    await assert.rejects(storeImage({ dir, input }), rejectsWith('image-animated'));
  });
});

describe('mediaFile', () => {
  const id = '0123456789abcdef01234567';

  test('resolves a well-formed request inside the media directory', () => {
    assert.equal(mediaFile(dir, id, '800.webp'), path.join(dir, id, '800.webp'));
    assert.equal(mediaFile(dir, id, '1600.jpg'), path.join(dir, id, '1600.jpg'));
    assert.equal(mediaFile('relative/media', id, '400.jpg'), path.resolve('relative/media', id, '400.jpg'));
  });

  test('refuses anything else', () => {
    const bad: [string, string][] = [
      ['..', '800.webp'],
      [`../${id}`, '800.webp'],
      [id, '../800.webp'],
      [id, '..%2f800.webp'],
      [`${id}%2f..`, '800.webp'],
      [id, '800.webp\0.png'],
      [`${id}\0`, '800.webp'],
      [id.toUpperCase(), '800.webp'],
      [id.slice(1), '800.webp'],
      [`${id}0`, '800.webp'],
      [id, '800.png'],
      [id, '800.jpeg'],
      [id, '800.WEBP'],
      [id, 'meta.json'],
      [id, '8.webp'],
      [id, '16000.webp'],
      [id, '800.webp\n'],
      [id, '800.jpg.tmp'],
      [id, ''],
    ];
    for (const [i, f] of bad) assert.equal(mediaFile(dir, i, f), null, JSON.stringify([i, f]));
  });
});
