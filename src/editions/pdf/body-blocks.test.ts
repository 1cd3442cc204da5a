// Embeds in the PDF: the stored block's address is checked again before it becomes a link
// annotation, as inline links are (read back with `pdftohtml -xml`, which lists every link).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { editionFixture } from '../../../test/support/edition-fixture.ts';
import { renderEditionPdf } from './render-pdf.ts';

test('an embed links only to a safe http(s) address; anything else is printed, never linked', async () => {
  const { content, dir } = await editionFixture({ stories: 1 });
  try {
    // As a stored body could hold them: the parser never makes these, the renderer must not trust that.
    content.stories[0].blocks.unshift(
      { type: 'embed', url: 'https://video.example.com/watch?v=1', host: 'video.example.com' },
      { type: 'embed', url: 'javascript:alert(1)', host: '' },
      { type: 'embed', url: 'data:text/html,<b>x</b>', host: '' },
      { type: 'embed', url: '/local/page', host: '' },
    );
    const file = path.join(dir, 'embeds.pdf');
    fs.writeFileSync(file, await renderEditionPdf(content));
    const xml = execFileSync('pdftohtml', ['-xml', '-i', '-q', '-stdout', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const hrefs = [...xml.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
    assert.ok(hrefs.includes('https://video.example.com/watch?v=1'), 'the safe embed is a link');
    for (const bad of ['javascript:', 'data:', '/local/page']) {
      assert.ok(!hrefs.some((h) => h.startsWith(bad)), `no link to ${bad}`);
    }
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    assert.ok(text.includes('javascript:alert(1)'), 'the refused address is still printed');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
