// Letters to readers on both databases: saving and loading letters with their variants,
// validation, impressions, and the whole choose → render → record → cap cycle.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, NOW, type TestApp } from './support/app.ts';
import type { Db } from '../src/db/database.ts';
import { contentVersion } from '../src/content/article-store.ts';
import { lastShown, letterById, letterBySlug, listLetters, loadActiveLetters, recordShown, saveLetter, type LetterInput } from '../src/letters/letter-store.ts';
import { LetterError } from '../src/letters/errors.ts';
import { chooseLetter, chooseVariant, DAY_MS } from '../src/letters/targeting.ts';
import { renderLetter } from '../src/letters/render.ts';
import { letterFor } from '../src/letters/letters.ts';
import { createLetterViews } from '../src/letters/letter-views.ts';
import { DEMO_LETTER, DEMO_LETTER_SLUG, seedDemoLetters } from '../src/letters/demo.ts';

function input(overrides: Partial<LetterInput> = {}): LetterInput {
  return {
    title: 'Dear Reader,',
    bodyMd: 'Our reporters went to see for themselves.\n\nPlease [subscribe](/subscribe).',
    signature: 'Ruth Abernathy\nEditor',
    audience: ['anonymous', 'registered'],
    ...overrides,
  };
}

async function rejects(promise: Promise<unknown>, code: string, paths: string[] = []): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof LetterError, `expected a LetterError, got ${String(err)}`);
    assert.equal(err.code, code);
    for (const p of paths) assert.ok(err.issues.some((i) => i.path === p), `no issue at ${p}: ${JSON.stringify(err.issues)}`);
    return true;
  });
}

for (const dialect of DIALECTS) {
  describe(`letters (${dialect})`, () => {
    let t: TestApp;
    let db: Db;

    before(async () => {
      t = await startTestApp(dialect);
      db = t.app.database.db;
    });
    after(() => t.close());

    it('saves a letter with variants and loads it back as plain data', async () => {
      const versionBefore = await contentVersion(db);
      const saved = await saveLetter(
        db,
        input({
          slug: 'spring-appeal',
          ctaLabel: 'Join us',
          ctaUrl: 'https://shop.example.org/join?from=letter',
          audience: ['lapsed', 'anonymous', 'lapsed'],
          minRead: 3,
          sections: ['/World/', 'USA/Foreign-Policy', 'World'],
          frequencyDays: 5,
          placement: 'locked',
          position: 2,
          variants: [
            { name: 'A', title: 'Dear Reader,', weight: 30 },
            { name: 'B', title: 'A note from the editor', bodyMd: 'Shorter.', ctaLabel: 'Support us', weight: 70 },
          ],
        }),
        { now: NOW },
      );
      assert.ok(saved.id > 0);
      assert.deepEqual(
        { ...saved, variants: saved.variants.map(({ id, letterId, ...v }) => v) },
        {
          id: saved.id,
          slug: 'spring-appeal',
          title: 'Dear Reader,',
          bodyMd: 'Our reporters went to see for themselves.\n\nPlease [subscribe](/subscribe).',
          signature: 'Ruth Abernathy\nEditor',
          ctaLabel: 'Join us',
          ctaUrl: 'https://shop.example.org/join?from=letter',
          audience: ['anonymous', 'lapsed'],
          minRead: 3,
          sections: ['World', 'USA/Foreign-Policy'],
          frequencyDays: 5,
          placement: 'locked',
          isActive: true,
          position: 2,
          createdAt: NOW,
          variants: [
            { name: 'A', title: 'Dear Reader,', bodyMd: null, ctaLabel: null, weight: 30 },
            { name: 'B', title: 'A note from the editor', bodyMd: 'Shorter.', ctaLabel: 'Support us', weight: 70 },
          ],
        },
      );
      assert.ok(saved.variants.every((v) => v.letterId === saved.id));
      assert.ok((await contentVersion(db)) > versionBefore, 'saving a letter tells other processes to reload');
      assert.deepEqual(await letterBySlug(db, 'spring-appeal'), saved);
    });

    it('fills defaults, derives the slug from the title, and loads only active letters in position order', async () => {
      const first = await saveLetter(db, input({ title: 'Before you go: a word from us', position: -1 }), { now: NOW });
      assert.equal(first.slug, 'before-you-go-a-word-from-us');
      assert.deepEqual(
        { ctaLabel: first.ctaLabel, ctaUrl: first.ctaUrl, minRead: first.minRead, sections: first.sections, frequencyDays: first.frequencyDays, placement: first.placement, isActive: first.isActive, variants: first.variants },
        { ctaLabel: 'Subscribe', ctaUrl: '/subscribe', minRead: null, sections: [], frequencyDays: 7, placement: 'both', isActive: true, variants: [] },
      );
      const paused = await saveLetter(db, input({ slug: 'paused', isActive: false, position: -5 }), { now: NOW });
      const active = await loadActiveLetters(db);
      assert.deepEqual(active.map((l) => l.slug), ['before-you-go-a-word-from-us', 'spring-appeal']);
      assert.ok((await listLetters(db)).some((l) => l.id === paused.id));
      assert.equal(active[1].variants.length, 2);
    });

    it('updates a letter in place: variants matched by name keep their ids, missing ones go', async () => {
      const before = (await letterBySlug(db, 'spring-appeal'))!;
      const [a, b] = before.variants;
      const after = await saveLetter(
        db,
        input({
          id: before.id,
          title: 'Dear Reader, again',
          audience: ['registered'],
          variants: [
            { name: 'B', title: 'B, reworded', weight: 10 },
            { name: 'C', ctaLabel: 'Read on, subscribe', weight: 0 },
          ],
        }),
        { now: NOW + DAY_MS },
      );
      assert.equal(after.id, before.id);
      assert.equal(after.slug, 'spring-appeal', 'an update without a slug keeps the old one');
      assert.equal(after.createdAt, NOW);
      assert.equal(after.title, 'Dear Reader, again');
      assert.deepEqual(after.audience, ['registered']);
      assert.deepEqual(after.variants.map((v) => [v.name, v.title, v.weight]), [['B', 'B, reworded', 10], ['C', null, 0]]);
      assert.equal(after.variants[0].id, b.id);
      assert.notEqual(after.variants[1].id, a.id);
      assert.equal(await db.selectFrom('letter_variants').select('id').where('id', '=', a.id).executeTakeFirst(), undefined);
    });

    it('refuses invalid letters with every problem named', async () => {
      await rejects(saveLetter(db, input({ title: '  ', bodyMd: '', signature: '' }), { now: NOW }), 'invalid-letter', ['title', 'bodyMd', 'signature']);
      await rejects(saveLetter(db, { bodyMd: 'x', signature: 'y', audience: ['anonymous'] } as LetterInput, { now: NOW }), 'invalid-letter', ['title']);
      await rejects(saveLetter(db, input({ audience: [] }), { now: NOW }), 'invalid-letter', ['audience']);
      await rejects(saveLetter(db, input({ audience: ['everyone' as 'anonymous'] }), { now: NOW }), 'invalid-letter', ['audience.0']);
      for (const ctaUrl of ['javascript:alert(1)', '//evil.example/x', 'subscribe', '#top', 'mailto:editor@example.org', 'ftp://example.org/x']) {
        await rejects(saveLetter(db, input({ ctaUrl }), { now: NOW }), 'invalid-letter', ['ctaUrl']);
      }
      await rejects(saveLetter(db, input({ variants: [{ name: 'A', weight: -1 }] }), { now: NOW }), 'invalid-letter', ['variants.0.weight']);
      await rejects(saveLetter(db, input({ variants: [{ name: 'A', weight: 1.5 }] }), { now: NOW }), 'invalid-letter', ['variants.0.weight']);
      await rejects(saveLetter(db, input({ variants: [{ name: 'A', weight: 1 }, { name: 'A', weight: 1 }] }), { now: NOW }), 'invalid-letter', ['variants.1.name']);
      await rejects(saveLetter(db, input({ sections: ['World Europe'] }), { now: NOW }), 'invalid-letter', ['sections.0']);
      await rejects(saveLetter(db, input({ frequencyDays: -1, minRead: -2 }), { now: NOW }), 'invalid-letter', ['frequencyDays', 'minRead']);
      await rejects(saveLetter(db, input({ slug: 'Not a slug!' }), { now: NOW }), 'invalid-letter', ['slug']);
      await rejects(saveLetter(db, input({ slug: 'spring-appeal' }), { now: NOW }), 'slug-taken', ['slug']);
      await rejects(saveLetter(db, input({ id: 999_999 }), { now: NOW }), 'letter-not-found');
      const err = await saveLetter(db, input({ title: '' }), { now: NOW }).catch((e: unknown) => e);
      assert.match((err as Error).message, /^The letter was not saved: title: a title is required/);
    });

    it('the database itself refuses bad placements and negative weights', async () => {
      const letter = (await letterBySlug(db, 'spring-appeal'))!;
      await assert.rejects(db.updateTable('letters').set({ placement: 'sidebar' as 'both' }).where('id', '=', letter.id).execute());
      await assert.rejects(db.insertInto('letter_variants').values({ letter_id: letter.id, name: 'Z', title: null, body_md: null, cta_label: null, weight: -1 }).execute());
    });

    it('records impressions per reader and letter, and reads them back', async () => {
      const a = (await letterBySlug(db, 'spring-appeal'))!;
      const b = (await letterBySlug(db, 'before-you-go-a-word-from-us'))!;
      assert.deepEqual(await lastShown(db, 'a:round-trip'), new Map());
      await recordShown(db, 'a:round-trip', a.id, NOW);
      await recordShown(db, 'a:round-trip', b.id, NOW + 1000);
      await recordShown(db, 'a:round-trip', a.id, NOW + 5000);
      await recordShown(db, 'r:someone-else', a.id, NOW + 9000);
      assert.deepEqual(await lastShown(db, 'a:round-trip'), new Map([[a.id, NOW + 5000], [b.id, NOW + 1000]]));
      assert.deepEqual(await lastShown(db, 'r:someone-else'), new Map([[a.id, NOW + 9000]]));
      const row = await db.selectFrom('letter_views').selectAll().where('reader_key', '=', 'a:round-trip').where('letter_id', '=', a.id).executeTakeFirstOrThrow();
      assert.equal(Number(row.shows), 2);
      await Promise.all(Array.from({ length: 10 }, (_, i) => recordShown(db, 'a:concurrent', a.id, NOW + i)));
      const concurrent = await db.selectFrom('letter_views').select('shows').where('reader_key', '=', 'a:concurrent').executeTakeFirstOrThrow();
      assert.equal(Number(concurrent.shows), 10);
    });

    it('deleting a letter removes its variants and impressions', async () => {
      const doomed = await saveLetter(db, input({ slug: 'doomed', isActive: false, variants: [{ name: 'A', weight: 1 }] }), { now: NOW });
      await recordShown(db, 'a:doomed-reader', doomed.id, NOW);
      await db.deleteFrom('letters').where('id', '=', doomed.id).execute();
      assert.equal(await letterById(db, doomed.id), null);
      assert.equal((await db.selectFrom('letter_variants').select('id').where('letter_id', '=', doomed.id).execute()).length, 0);
      assert.deepEqual(await lastShown(db, 'a:doomed-reader'), new Map());
    });
  });

  describe(`letters: choose → render → record → cap (${dialect})`, () => {
    let t: TestApp;
    let db: Db;
    let demoId: number;

    before(async () => {
      t = await startTestApp(dialect);
      db = t.app.database.db;
      demoId = (await seedDemoLetters(db, { now: NOW })).id;
    });
    after(() => t.close());

    // The page's store (raw statements on SQLite's side connection) against the query builder's reads.
    const page = async (readerKey: string, overrides: Partial<Parameters<typeof letterFor>[1]> = {}) =>
      letterFor(createLetterViews(t.app.database), { readerKey, audience: 'anonymous', used: 2, sectionPath: 'World/Europe', placement: 'after-body', now: NOW, letters: await loadActiveLetters(db), ...overrides });

    it('seeds the demo letter once: an editor\'s appeal with two 50/50 variants', async () => {
      const again = await seedDemoLetters(db, { now: NOW + DAY_MS });
      assert.equal(again.id, demoId);
      const letter = (await letterBySlug(db, DEMO_LETTER_SLUG))!;
      assert.deepEqual(letter.audience, ['anonymous', 'registered', 'lapsed']);
      assert.equal(letter.minRead, 2);
      assert.equal(letter.frequencyDays, 3);
      assert.equal(letter.placement, 'both');
      assert.deepEqual(letter.variants.map((v) => [v.name, v.weight]), [['A', 50], ['B', 50]]);
      assert.notEqual(letter.variants[0].title, letter.variants[1].title);
      assert.notEqual(letter.variants[0].ctaLabel, letter.variants[1].ctaLabel);
      assert.match(letter.signature, /The Northfield Courier/);
      const words = DEMO_LETTER.bodyMd.split(/\s+/).filter((w) => /\w/.test(w)).length;
      assert.ok(words >= 120 && words <= 180, `${words} words`);
    });

    it('runs the cycle with the pure functions and the store', async () => {
      const reader = 'a:cycle-reader';
      const ctx = { audience: 'anonymous' as const, used: 2, sectionPath: 'World/Europe', placement: 'after-body' as const };
      const letters = await loadActiveLetters(db);

      // Choose: never shown before.
      let choice = chooseLetter(letters, { ...ctx, lastShown: await lastShown(db, reader) }, NOW);
      assert.deepEqual(choice, { letterId: demoId, reason: 'first-impression' });
      const letter = letters.find((l) => l.id === choice.letterId)!;
      const variantId = chooseVariant(letter.variants, `${reader}:${letter.id}`);
      const variant = letter.variants.find((v) => v.id === variantId)!;
      assert.ok(variant, 'a weighted variant is chosen');

      // Render.
      const html = renderLetter(letter, variant, { ctaHref: letter.ctaUrl, offerHeadline: '$15 for your first 6 months' });
      assert.match(html, new RegExp(`<aside class="letter" data-letter="${letter.id}" data-variant="${variant.id}"`));
      assert.ok(html.includes(`>${variant.title}</h2>`));
      assert.ok(html.includes(`>${variant.ctaLabel}</span>`));
      assert.match(html, /letter-cta-offer">\$15 for your first 6 months</);

      // Record, then the cap holds for three days and lifts on the third.
      await recordShown(db, reader, letter.id, NOW);
      const shown = await lastShown(db, reader);
      assert.deepEqual(chooseLetter(letters, { ...ctx, lastShown: shown }, NOW + 3 * DAY_MS - 1), { letterId: null, reason: 'frequency-cap' });
      choice = chooseLetter(letters, { ...ctx, lastShown: shown }, NOW + 3 * DAY_MS);
      assert.deepEqual(choice, { letterId: demoId, reason: 'cap-elapsed' });
      assert.equal(chooseVariant(letter.variants, `${reader}:${letter.id}`), variantId, 'the same reader keeps the same variant');
    });

    it('letterFor shows, records and then caps', async () => {
      const reader = 'a:letterfor-reader';
      const first = await page(reader);
      assert.ok(first);
      assert.equal(first.letterId, demoId);
      assert.ok(first.variantId !== null);
      assert.match(first.html, new RegExp(`data-letter="${demoId}" data-variant="${first.variantId}"`));
      assert.deepEqual(await lastShown(db, reader), new Map([[demoId, NOW]]));

      assert.equal(await page(reader, { now: NOW + DAY_MS }), null, 'capped the next day');
      assert.equal(await page(reader, { now: NOW + 3 * DAY_MS - 1, placement: 'locked' }), null, 'capped on a locked page too');
      const later = await page(reader, { now: NOW + 3 * DAY_MS });
      assert.ok(later);
      assert.equal(later.variantId, first.variantId);
      const row = await db.selectFrom('letter_views').selectAll().where('reader_key', '=', reader).executeTakeFirstOrThrow();
      assert.deepEqual([Number(row.shows), Number(row.last_shown_at)], [2, NOW + 3 * DAY_MS]);
    });

    it('letterFor shows nothing, and writes nothing, to readers it is not aimed at', async () => {
      assert.equal(await page('a:first-article', { used: 1 }), null);
      assert.equal(await page('r:subscriber', { audience: 'subscriber', used: 9 }), null);
      const written = await db.selectFrom('letter_views').select('reader_key').where('reader_key', 'in', ['a:first-article', 'r:subscriber']).execute();
      assert.deepEqual(written, []);
      assert.ok(await page('r:registered', { audience: 'registered', used: 4, placement: 'locked', sectionPath: 'Science/Space' }));
      assert.ok(await page('r:lapsed', { audience: 'lapsed', used: 2 }));
    });

    it('letterFor splits readers across the variants and passes the offer and button link through', async () => {
      const letters = await loadActiveLetters(db);
      const seen = new Map<number | null, number>();
      for (let i = 0; i < 40; i++) {
        const shown = await page(`a:split-${i}`, { letters, offerHeadline: '$80 a year', ctaHref: ({ letterId, variantId, ctaUrl }) => `${ctaUrl}?letter=${letterId}&variant=${variantId}` });
        assert.ok(shown);
        assert.ok(shown.html.includes(`href="/subscribe?letter=${demoId}&amp;variant=${shown.variantId}"`));
        assert.match(shown.html, /letter-cta-offer">\$80 a year</);
        seen.set(shown.variantId, (seen.get(shown.variantId) ?? 0) + 1);
      }
      assert.deepEqual([...seen.keys()].sort(), letters[0].variants.map((v) => v.id).sort());
    });

    it('a paused letter is never shown', async () => {
      const letter = (await letterBySlug(db, DEMO_LETTER_SLUG))!;
      await saveLetter(db, { ...DEMO_LETTER, id: letter.id, isActive: false }, { now: NOW });
      assert.equal(await page('a:after-pause'), null);
      await saveLetter(db, { ...DEMO_LETTER, id: letter.id, isActive: true }, { now: NOW });
      assert.ok(await page('a:after-pause'));
    });

    it('remembers a reader\'s impressions for a minute, its own at once, another process\'s after', async () => {
      let clock = 1_000_000;
      const here = createLetterViews(t.app.database, { clock: () => clock });
      const elsewhere = createLetterViews(t.app.database, { clock: () => clock });
      const reader = 'a:remembered';
      assert.deepEqual(await here.lastShown(reader), new Map());
      await here.recordShown(reader, demoId, NOW);
      assert.deepEqual(await here.lastShown(reader), new Map([[demoId, NOW]]), 'its own impression at once');
      await elsewhere.recordShown(reader, demoId, NOW + 5);
      assert.deepEqual(await here.lastShown(reader), new Map([[demoId, NOW]]), 'another process\'s within the minute is not seen');
      clock += 60_000;
      assert.deepEqual(await here.lastShown(reader), new Map([[demoId, NOW + 5]]), 'and is seen after it');
      assert.deepEqual(await lastShown(db, reader), new Map([[demoId, NOW + 5]]));
    });
  });
}
