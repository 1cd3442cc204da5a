import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatLocalDateTime, isDerivedSlug, numberedSlug, parseIntent, parseLocalDateTime, parseStoryForm, readingMinutes, splitList,
  type StoryFormContext,
} from './story-form.ts';

const NOW = Date.parse('2026-11-20T15:00:00Z');
const TZ = 'America/New_York';

const ctx = (over: Partial<StoryFormContext> = {}): StoryFormContext => ({
  intent: 'save',
  mode: 'form',
  sectionPaths: ['World', 'World/Europe', 'Opinion'],
  timeZone: TZ,
  now: NOW,
  hasLeadImage: false,
  isLive: false,
  fallbackByline: 'Wanda Writer',
  ...over,
});

const complete = {
  headline: 'Harbor reopens after the storm',
  dek: 'Ferries run again.',
  section: 'World/Europe',
  authors: 'Ada Reporter, Ben Photographer',
  tags: 'Harbors, Storms',
  dateline: 'BERGEN, Norway',
  access: '',
  slug: '',
  publish_at: '',
  lead_image_id: '',
  lead_caption: '',
  lead_credit: '',
  lead_alt: '',
  body: 'The harbor reopened on Tuesday.\r\n\r\nSecond paragraph.',
  correction: '',
};

describe('story form', () => {
  it('turns a complete form into a typed draft', () => {
    const r = parseStoryForm(complete, ctx());
    assert.ok(r.ok);
    assert.equal(r.draft.headline, 'Harbor reopens after the storm');
    assert.equal(r.draft.sectionPath, 'World/Europe');
    assert.deepEqual(r.draft.authors, ['Ada Reporter', 'Ben Photographer']);
    assert.deepEqual(r.draft.tags, ['Harbors', 'Storms']);
    assert.equal(r.draft.access, null, 'empty access means the section default');
    assert.equal(r.draft.slug, null, 'empty slug means one made from the headline');
    assert.equal(r.draft.body, 'The harbor reopened on Tuesday.\n\nSecond paragraph.', 'line endings normalised');
    assert.equal(r.draft.correction, null);
  });

  it('reports every problem next to its field and keeps what was typed', () => {
    const raw = {
      ...complete,
      headline: '   ',
      dek: 'd'.repeat(401),
      section: 'Nowhere',
      authors: ' , ',
      access: 'premium',
      slug: 'Not a slug!',
      tags: Array.from({ length: 21 }, (_, i) => `tag${i}`).join(','),
      dateline: 'x'.repeat(121),
    };
    const r = parseStoryForm(raw, ctx());
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(Object.keys(r.errors).sort(), ['access', 'authors', 'dateline', 'dek', 'headline', 'section', 'slug', 'tags']);
    assert.match(r.errors.headline!, /headline/i);
    assert.match(r.errors.dek!, /400/);
    assert.match(r.errors.section!, /Nowhere/);
    assert.equal(r.values.dek, raw.dek, 'the typed text comes back');
    assert.equal(r.values.body, 'The harbor reopened on Tuesday.\n\nSecond paragraph.');
  });

  it('limits the headline to 200 characters', () => {
    assert.equal(parseStoryForm({ ...complete, headline: 'h'.repeat(200) }, ctx()).ok, true);
    const r = parseStoryForm({ ...complete, headline: 'h'.repeat(201) }, ctx());
    assert.ok(!r.ok && /200/.test(r.errors.headline!));
  });

  it('needs a byline with letters, and a headline a URL can be made from', () => {
    const r = parseStoryForm({ ...complete, authors: '!!!', headline: '???' }, ctx());
    assert.ok(!r.ok);
    assert.match(r.errors.authors!, /not a name/);
    assert.match(r.errors.slug!, /type a slug/);
    assert.ok(parseStoryForm({ ...complete, headline: '???', slug: 'Questions' }, ctx()).ok);
  });

  it('lets an autosave keep a draft without headline or byline', () => {
    const r = parseStoryForm({ ...complete, headline: '', authors: '' }, ctx({ mode: 'autosave' }));
    assert.ok(r.ok);
    assert.equal(r.draft.headline, 'Untitled draft');
    assert.deepEqual(r.draft.authors, ['Wanda Writer']);
    // …but never one with a section that does not exist.
    assert.equal(parseStoryForm({ ...complete, section: '' }, ctx({ mode: 'autosave' })).ok, false);
  });

  it('asks for caption, credit and alt text of a lead picture only before publishing', () => {
    const withPicture = { ...complete, lead_image_id: 'a'.repeat(24) };
    assert.ok(parseStoryForm(withPicture, ctx({ hasLeadImage: true })).ok, 'a draft may be incomplete');
    for (const intent of ['publish', 'schedule'] as const) {
      const r = parseStoryForm({ ...withPicture, publish_at: '2026-12-01T06:00' }, ctx({ intent, hasLeadImage: true }));
      assert.ok(!r.ok, intent);
      assert.deepEqual(Object.keys(r.errors).sort(), ['lead_alt', 'lead_caption', 'lead_credit']);
      assert.match(r.errors.lead_caption!, /required before publishing/);
    }
    // A save of a story that is out goes to readers too.
    assert.equal(parseStoryForm(withPicture, ctx({ isLive: true, hasLeadImage: true })).ok, false);
    const filled = { ...withPicture, lead_caption: 'Ferries return.', lead_credit: 'Ada Reporter/The Courier', lead_alt: 'A ferry at the quay' };
    assert.ok(parseStoryForm(filled, ctx({ intent: 'publish', hasLeadImage: true })).ok);
    assert.ok(parseStoryForm(complete, ctx({ intent: 'publish' })).ok, 'no picture, nothing to describe');
    const empty = parseStoryForm({ ...complete, body: '  ' }, ctx({ intent: 'publish' }));
    assert.ok(!empty.ok && /required before publishing/.test(empty.errors.body!));
  });

  it('drops the picture when "remove" is ticked', () => {
    const r = parseStoryForm({ ...complete, lead_image_id: 'b'.repeat(24), lead_remove: '1' }, ctx());
    assert.ok(r.ok);
    assert.equal(r.draft.leadImageId, null);
    const bad = parseStoryForm({ ...complete, lead_image_id: '../../etc/passwd' }, ctx());
    assert.ok(!bad.ok && bad.errors.lead_image);
  });

  it('schedules only for a real time in the future, read in the publication time zone', () => {
    const r = parseStoryForm({ ...complete, publish_at: '2026-12-01T06:00' }, ctx({ intent: 'schedule' }));
    assert.ok(r.ok);
    assert.equal(r.draft.publishAt, Date.parse('2026-12-01T11:00:00Z'));
    const cases: [string, RegExp][] = [
      ['', /Choose the date/],
      ['tomorrow', /date and time/],
      ['2026-02-30T10:00', /date and time/],
      ['2026-11-20T09:59', /future/], // 14:59 UTC, a minute before now
      ['2027-03-14T02:30', /^2:30 a\.m\. does not exist on March 14 in New York: clocks go forward at 2 a\.m\. Choose another time\.$/],
    ];
    for (const [publishAt, message] of cases) {
      const bad = parseStoryForm({ ...complete, publish_at: publishAt }, ctx({ intent: 'schedule' }));
      assert.ok(!bad.ok && message.test(bad.errors.publish_at!), publishAt);
    }
    const lordHowe = parseStoryForm({ ...complete, publish_at: '2027-10-03T02:15' }, ctx({ intent: 'schedule', timeZone: 'Australia/Lord_Howe' }));
    assert.equal(!lordHowe.ok && lordHowe.errors.publish_at, '2:15 a.m. does not exist on October 3 in Lord Howe: clocks go forward at 2 a.m. Choose another time.');
    const santiago = parseStoryForm({ ...complete, publish_at: '2027-09-05T00:30' }, ctx({ intent: 'schedule', timeZone: 'America/Santiago' }));
    assert.equal(!santiago.ok && santiago.errors.publish_at, '12:30 a.m. does not exist on September 5 in Santiago: clocks go forward at midnight. Choose another time.');
    // Other intents ignore the field.
    assert.ok(parseStoryForm({ ...complete, publish_at: 'garbage' }, ctx()).ok);
  });

  it('keeps a correction only when one is typed', () => {
    const r = parseStoryForm({ ...complete, correction: '  An earlier version misspelled the ferry’s name.  ' }, ctx({ isLive: true }));
    assert.ok(r.ok);
    assert.equal(r.draft.correction, 'An earlier version misspelled the ferry’s name.');
    const long = parseStoryForm({ ...complete, correction: 'c'.repeat(2001) }, ctx());
    assert.ok(!long.ok && long.errors.correction);
  });

  it('reads files and missing fields as empty text', () => {
    const r = parseStoryForm({ headline: 'Only a headline', section: 'World', authors: 'A. Writer', body: new File(['x'], 'x.txt') }, ctx());
    assert.ok(r.ok);
    assert.equal(r.draft.body, '');
    assert.equal(r.draft.dek, '');
  });
});

describe('story form helpers', () => {
  it('knows the intents', () => {
    assert.equal(parseIntent(undefined), 'save');
    assert.equal(parseIntent('publish'), 'publish');
    assert.equal(parseIntent('destroy'), null);
  });

  it('splits comma lists, dropping blanks and repeats', () => {
    assert.deepEqual(splitList(' Ada ,  ada, Ben  Smith,,\nCy '), ['Ada', 'Ben Smith', 'Cy']);
  });

  it('converts datetime-local values to and from the publication time zone, across DST', () => {
    assert.deepEqual(parseLocalDateTime('2026-07-01T08:30', TZ), { ok: true, at: Date.parse('2026-07-01T12:30:00Z') });
    assert.deepEqual(parseLocalDateTime('2026-01-15 08:30', TZ), { ok: true, at: Date.parse('2026-01-15T13:30:00Z') });
    assert.deepEqual(parseLocalDateTime('2026-11-01T12:00', TZ), { ok: true, at: Date.parse('2026-11-01T17:00:00Z') }, 'the day DST ends');
    assert.deepEqual(parseLocalDateTime('2026-11-01T01:30', TZ), { ok: true, at: Date.parse('2026-11-01T05:30:00Z') }, 'the repeated hour: its first occurrence');
    assert.deepEqual(parseLocalDateTime('2026-03-08T02:30', TZ), {
      ok: false,
      reason: 'skipped',
      local: { year: 2026, month: 3, day: 8, hour: 2, minute: 30 },
      gapStart: { year: 2026, month: 3, day: 8, hour: 2, minute: 0 },
      next: Date.parse('2026-03-08T07:00:00Z'),
    }, 'never 06:30Z, an hour early');
    assert.deepEqual(parseLocalDateTime('2026-13-01T00:00', TZ), { ok: false, reason: 'invalid' });
    assert.deepEqual(parseLocalDateTime('2026-01-01T24:00', TZ), { ok: false, reason: 'invalid' });
    assert.equal(formatLocalDateTime(Date.parse('2026-12-01T11:00:00Z'), TZ), '2026-12-01T06:00');
    assert.equal(formatLocalDateTime(Date.parse('2026-12-01T11:00:00Z'), 'Asia/Tokyo'), '2026-12-01T20:00');
  });

  it('recognises slugs made from the headline, numbered ones included', () => {
    assert.equal(isDerivedSlug('Harbor-reopens', 'Harbor reopens'), true);
    assert.equal(isDerivedSlug(numberedSlug('Harbor-reopens', 3), 'Harbor reopens'), true);
    assert.equal(isDerivedSlug('Harbor-reopens-3', 'Harbor reopens 3'), true);
    assert.equal(isDerivedSlug('Harbor', 'Harbor reopens'), false);
    assert.equal(isDerivedSlug('Untitled-draft-2', 'Harbor reopens'), false);
    const long = 'Word-'.repeat(30).slice(0, 89);
    assert.ok(numberedSlug(long, 12).length <= 90);
  });

  it('reads 230 words a minute', () => {
    assert.equal(readingMinutes(0), 0);
    assert.equal(readingMinutes(1), 1);
    assert.equal(readingMinutes(230), 1);
    assert.equal(readingMinutes(344), 1);
    assert.equal(readingMinutes(345), 2);
  });
});
