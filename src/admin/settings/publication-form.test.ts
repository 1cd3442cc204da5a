import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PUBLICATION, type Publication } from '../../content/publication.ts';
import { describePublicationChange, parsePublicationForm, parsePublicUrl, publicationFormValues, timeZoneChoices } from './publication-form.ts';

const current: Publication = { ...DEFAULT_PUBLICATION, name: 'The Courier', publicUrl: 'https://old.example.com' };
const zones = timeZoneChoices(current.timeZone);
const valid = { name: 'The Harbor Courier', tagline: 'News of the bay', timeZone: 'Europe/Oslo', publicUrl: 'https://news.example.com/', contactEmail: 'Letters@Example.com' };

describe('timeZoneChoices', () => {
  it('offers what Intl supports, plus UTC and the stored zone, sorted', () => {
    assert.ok(zones.includes('America/New_York'));
    assert.ok(zones.includes('UTC'));
    assert.ok(timeZoneChoices('Etc/GMT+5').includes('Etc/GMT+5'));
    assert.deepEqual(timeZoneChoices('', ['b/x', 'a/y']), ['a/y', 'b/x', 'UTC']);
  });
});

describe('parsePublicUrl', () => {
  const cases: [string, string | null | RegExp][] = [
    ['', null],
    ['https://news.example.com', 'https://news.example.com'],
    ['https://news.example.com/', 'https://news.example.com'],
    ['https://News.Example.com:8443', 'https://news.example.com:8443'],
    ['http://news.example.com', /must start with https/],
    ['news.example.com', /full address/],
    ['https://news.example.com/paper', /no path/],
    ['https://news.example.com/?a=1', /no path/],
    ['https://user:pw@news.example.com', /user name/],
    ['javascript:alert(1)', /must start with https/],
  ];
  for (const [input, expected] of cases) {
    it(JSON.stringify(input), () => {
      const r = parsePublicUrl(input);
      if (expected instanceof RegExp) assert.match('error' in r ? r.error : '', expected);
      else assert.deepEqual(r, { url: expected });
    });
  }
});

describe('parsePublicationForm', () => {
  it('reads a valid form, trimming and lower-casing the address', () => {
    const r = parsePublicationForm({ ...valid, name: '  The Harbor Courier ' }, { current, timeZones: zones, isPublicUrlLocked: false });
    assert.ok(r.ok);
    assert.deepEqual(r.value, { name: 'The Harbor Courier', tagline: 'News of the bay', timeZone: 'Europe/Oslo', publicUrl: 'https://news.example.com', contactEmail: 'letters@example.com' });
  });

  it('turns empty optional fields into null', () => {
    const r = parsePublicationForm({ ...valid, publicUrl: '', contactEmail: ' ', tagline: '' }, { current, timeZones: zones, isPublicUrlLocked: false });
    assert.ok(r.ok);
    assert.equal(r.value.publicUrl, null);
    assert.equal(r.value.contactEmail, null);
    assert.equal(r.value.tagline, '');
  });

  it('ignores a posted address while PUBLIC_URL decides it', () => {
    const r = parsePublicationForm({ ...valid, publicUrl: 'not a url' }, { current, timeZones: zones, isPublicUrlLocked: true });
    assert.ok(r.ok);
    assert.equal(r.value.publicUrl, 'https://old.example.com');
  });

  const bad: [string, Record<string, string>, string, RegExp][] = [
    ['no name', { name: '  ' }, 'name', /needs a name/],
    ['a long name', { name: 'x'.repeat(121) }, 'name', /longer than 120/],
    ['a long tagline', { tagline: 'x'.repeat(201) }, 'tagline', /longer than 200/],
    ['an unknown zone', { timeZone: 'Mars/Olympus' }, 'timeZone', /from the list/],
    ['an empty zone', { timeZone: '' }, 'timeZone', /from the list/],
    ['an http address', { publicUrl: 'http://news.example.com' }, 'publicUrl', /https/],
    ['a bad e-mail', { contactEmail: 'letters at example' }, 'contactEmail', /e-mail address/],
  ];
  for (const [name, overrides, field, re] of bad) {
    it(`refuses ${name}, keeping what was typed`, () => {
      const r = parsePublicationForm({ ...valid, ...overrides }, { current, timeZones: zones, isPublicUrlLocked: false });
      assert.equal(r.ok, false);
      assert.match((!r.ok && r.errors[field]) || '', re);
      assert.equal(r.values[field as keyof typeof r.values], { ...valid, ...overrides }[field]);
    });
  }
});

describe('describePublicationChange', () => {
  it('names each changed field', () => {
    const after = { ...current, name: 'The Harbor Courier', contactEmail: 'a@example.com' };
    assert.equal(describePublicationChange(current, after), 'name: The Courier → The Harbor Courier; contact e-mail: (none) → a@example.com');
    assert.equal(describePublicationChange(current, current), 'no change');
  });
  it('gives the form the stored values as text', () => {
    assert.deepEqual(publicationFormValues(current), { name: 'The Courier', tagline: current.tagline, timeZone: current.timeZone, publicUrl: 'https://old.example.com', contactEmail: '' });
  });
});
