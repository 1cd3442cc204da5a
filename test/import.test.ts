// `masthead articles import` as a use case, on both databases: good files land with their
// pictures and revisions; each bad file is reported with its reason and leaves nothing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { importArticleFiles, type ImportOutcome } from '../src/content/article-import.ts';

const GOOD = `---
headline: "No breakthrough between US and Russia as Kerry, Putin meet"
dek: "The result appeared to be to the liking of Moscow."
section: USA/Foreign-Policy
authors: ["Associated Press"]
dateline: "SOCHI, Russia"
published: "2015-05-12T18:30:00-04:00"
access: metered
tags: [Russia, Ukraine]
image: kerry-putin.jpg
image_caption: "US Secretary of State John Kerry, left, is welcomed."
image_credit: "Joshua Roberts/AP"
image_alt: "Two men shake hands in a hall."
---
Secretary of State John Kerry met the Russian president.

![A map of the region](map.png "The region | Courier graphics")

The talks lasted four hours.
`;

function withFrontMatter(replace: Record<string, string | null>, body = 'Body text.'): string {
  const lines = GOOD.split('---\n')[1].split('\n').filter(Boolean);
  const out = lines.filter((l) => !(l.split(':')[0] in replace));
  for (const [k, v] of Object.entries(replace)) if (v !== null) out.push(`${k}: ${v}`);
  return `---\n${out.join('\n')}\n---\n${body}\n`;
}

for (const dialect of DIALECTS) {
  describe(`article import (${dialect})`, () => {
    let t: TestApp;
    let dir: string;
    const run = (files: string[]) =>
      importArticleFiles(t.app.database, files.map((f) => path.join(dir, f)), { mediaDir: t.app.mediaDir, timeZone: 'America/New_York', now: () => t.clock.now, source: 'import' });
    const count = async () => Number((await t.app.database.db.selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    before(async () => {
      t = await startTestApp(dialect);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-import-'));
      await sharp({ create: { width: 1800, height: 1200, channels: 3, background: '#336699' } }).jpeg().toFile(path.join(dir, 'kerry-putin.jpg'));
      await sharp({ create: { width: 900, height: 600, channels: 3, background: '#aa8844' } }).png().toFile(path.join(dir, 'map.png'));
      fs.writeFileSync(path.join(dir, 'fake.jpg'), '<html><script>alert(1)</script></html>');
      fs.writeFileSync(path.join(dir, 'good.md'), GOOD);
    });
    after(async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      await t.close();
    });

    it('imports a file with its pictures, then updates it on re-import with a new revision', async () => {
      const [first] = await run(['good.md']);
      assert.ok(first.ok, JSON.stringify(first));
      assert.equal(first.urlPath, '/USA/Foreign-Policy/2015/0512/No-breakthrough-between-US-and-Russia-as-Kerry-Putin-meet');
      assert.equal(first.isNew, true);
      const row = await t.app.database.db.selectFrom('articles').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
      assert.equal(row.lead_credit, 'Joshua Roberts/AP');
      assert.ok(fs.existsSync(path.join(t.app.mediaDir, row.lead_image_id!, '1600.webp')));
      const blocks = JSON.parse(row.blocks);
      const figure = blocks.find((b: { type: string }) => b.type === 'image');
      assert.equal(figure.caption, 'The region');
      assert.equal(figure.credit, 'Courier graphics');
      assert.ok(figure.image.id);

      fs.writeFileSync(path.join(dir, 'good.md'), GOOD.replace('four hours', 'five hours'));
      const [second] = await run(['good.md']);
      assert.ok(second.ok);
      assert.equal(second.id, first.id);
      assert.equal(second.isNew, false);
      const revisions = await t.app.database.db.selectFrom('revisions').select('snapshot').where('article_id', '=', first.id).orderBy('id').execute();
      assert.equal(revisions.length, 2);
      assert.match(JSON.parse(revisions[1].snapshot).body, /five hours/);
      const page = await (await t.get(first.urlPath!)).text();
      assert.match(page, /five hours/);
      assert.match(page, /<picture>/);
    });

    it('reports each bad file with its reason and writes nothing of it', async () => {
      const bad: Record<string, [string, RegExp]> = {
        'no-front-matter.md': ['Just text.\n', /no front matter/],
        'bad-yaml.md': ['---\nheadline: "unclosed\nsection: [\n---\nBody\n', /not valid YAML/],
        'unknown-field.md': [withFrontMatter({ headlin: '"Typo"' }), /unknown field\(s\): headlin/],
        'no-headline.md': [withFrontMatter({ headline: null }), /headline/],
        'bad-section.md': [withFrontMatter({ section: '"USA/../admin"' }), /section must be a section path/],
        'reserved-section.md': [withFrontMatter({ section: 'admin', slug: 'Reserved' }), /not a valid section path/],
        'bad-date.md': [withFrontMatter({ published: '"2015-13-45T10:00:00-04:00"' }), /not a real date|ISO 8601/],
        'impossible-date.md': [withFrontMatter({ published: '"2015-02-30T10:00:00-04:00"' }), /not a real date/],
        'no-offset.md': [withFrontMatter({ published: '"2015-05-12 18:30"' }), /UTC offset/],
        'bad-access.md': [withFrontMatter({ access: 'premium' }), /access/],
        'missing-image.md': [withFrontMatter({ image: 'nope.jpg', slug: 'Missing-image' }), /image "nope\.jpg" cannot be read/],
        'html-image.md': [withFrontMatter({ image: 'fake.jpg', slug: 'Html-image' }), /image "fake\.jpg"/],
        'url-image.md': [withFrontMatter({ image: '"http://169.254.169.254/latest.jpg"', slug: 'Url-image' }), /not URLs/],
        'no-alt.md': [withFrontMatter({ image_alt: null, slug: 'No-alt' }), /image_alt is required/],
        'empty-body.md': [withFrontMatter({}, ''), /body is empty/],
      };
      for (const [name, [content]] of Object.entries(bad)) fs.writeFileSync(path.join(dir, name), content);
      fs.writeFileSync(path.join(dir, 'latin1.md'), Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xe9, 0xe8, 0x0a]));
      const before = await count();
      const outcomes = await run([...Object.keys(bad), 'latin1.md', 'does-not-exist.md']);
      const byName = new Map<string, ImportOutcome>(outcomes.map((o) => [path.basename(o.file), o]));
      for (const [name, [, reason]] of Object.entries(bad)) {
        const o = byName.get(name)!;
        assert.equal(o.ok, false, name);
        if (!o.ok) assert.match(o.problems.join('; '), reason, name);
      }
      const latin = byName.get('latin1.md')!;
      assert.ok(!latin.ok && /UTF-8/.test(latin.problems[0]));
      const missing = byName.get('does-not-exist.md')!;
      assert.ok(!missing.ok && /cannot read/.test(missing.problems[0]));
      assert.equal(await count(), before);
    });

    it('imports a draft and a scheduled story without a live URL', async () => {
      fs.writeFileSync(path.join(dir, 'draft.md'), withFrontMatter({ published: null, headline: '"A draft story"', image: null, image_alt: null }));
      fs.writeFileSync(path.join(dir, 'later.md'), withFrontMatter({ published: '"2030-01-01T08:00:00-05:00"', headline: '"A later story"', image: null, image_alt: null }));
      const [draft, later] = await run(['draft.md', 'later.md']);
      assert.ok(draft.ok && later.ok);
      assert.equal(draft.status, 'draft');
      assert.equal(draft.urlPath, null);
      assert.equal(later.status, 'scheduled');
      assert.equal((await t.get(later.urlPath!)).status, 404);
    });

    it('gives a file without an access class its section\'s default', async () => {
      fs.writeFileSync(path.join(dir, 'no-access.md'), withFrontMatter({ access: null, headline: '"An opinion without a class"', section: 'Opinion/Letters', image: null, image_alt: null }));
      const [out] = await importArticleFiles(t.app.database, [path.join(dir, 'no-access.md')], {
        mediaDir: t.app.mediaDir, timeZone: 'America/New_York', now: () => t.clock.now, source: 'import',
        defaultAccess: (section) => (section.startsWith('Opinion') ? 'free' : 'metered'),
      });
      assert.ok(out.ok);
      const row = await t.app.database.db.selectFrom('articles').select('access').where('id', '=', out.ok ? out.id : -1).executeTakeFirstOrThrow();
      assert.equal(row.access, 'free');
    });
  });
}
