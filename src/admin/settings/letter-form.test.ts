import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Letter } from '../../letters/types.ts';
import { ctaUrlProblem, describeLetterChange, letterField, letterFormValues, parseLetterForm, variantField, withBlankRows } from './letter-form.ts';

const valid = {
  title: 'Dear Reader,',
  bodyMd: 'We are paid for by readers.',
  signature: 'Ruth Abernathy\nEditor',
  ctaLabel: 'Subscribe',
  ctaUrl: '/subscribe',
  audience: ['anonymous', 'lapsed'],
  minRead: '2',
  sections: 'World, USA/Politics ,',
  frequencyDays: '3',
  placement: 'both',
  isActive: 'on',
  position: '0',
};

const letter: Letter = {
  id: 7, slug: 'dear-reader', title: 'Dear Reader,', bodyMd: 'Body', signature: 'Ed', ctaLabel: 'Subscribe', ctaUrl: '/subscribe',
  audience: ['anonymous'], minRead: null, sections: [], frequencyDays: 7, placement: 'both', isActive: true, position: 0, createdAt: 0,
  variants: [
    { id: 11, letterId: 7, name: 'A', title: 'Hello', bodyMd: null, ctaLabel: null, weight: 50 },
    { id: 12, letterId: 7, name: 'B', title: null, bodyMd: 'Other body', ctaLabel: 'Join', weight: 50 },
  ],
};

describe('parseLetterForm', () => {
  it('reads a letter with no variants; blank rows are ignored', () => {
    const r = parseLetterForm({ ...valid, 'variants.0.name': '', 'variants.0.weight': '1', 'variants.1.name': '', 'variants.1.weight': '1' });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
    assert.deepEqual(r.value, {
      title: 'Dear Reader,', bodyMd: 'We are paid for by readers.', signature: 'Ruth Abernathy\nEditor', ctaLabel: 'Subscribe', ctaUrl: '/subscribe',
      audience: ['anonymous', 'lapsed'], minRead: 2, sections: ['World', 'USA/Politics'], frequencyDays: 3, placement: 'both', isActive: true, position: 0, variants: [],
    });
  });

  it('reads variants from filled rows, skipping blank and removed ones, defaulting the weight to 1', () => {
    const r = parseLetterForm({
      ...valid,
      'variants.0.name': 'A', 'variants.0.title': 'Hello', 'variants.0.weight': '70',
      'variants.1.name': '', 'variants.1.weight': '1',
      'variants.2.name': 'B', 'variants.2.ctaLabel': 'Join us', 'variants.2.weight': '',
      'variants.3.id': '12', 'variants.3.name': 'C', 'variants.3.weight': '5', 'variants.3.remove': 'on',
    }, { id: 7 });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
    assert.equal(r.value.id, 7);
    assert.deepEqual(r.value.variants, [
      { name: 'A', title: 'Hello', bodyMd: '', ctaLabel: '', weight: 70 },
      { name: 'B', title: '', bodyMd: '', ctaLabel: 'Join us', weight: 1 },
    ]);
    assert.equal(r.values.variants.length, 4, 'every posted row comes back');
    assert.equal(r.values.variants[3].isRemoved, true);
  });

  it('is unchecked when the active box is not sent; blank minimum means from the first story', () => {
    const { isActive: _, ...rest } = valid;
    const r = parseLetterForm({ ...rest, minRead: '' });
    assert.ok(r.ok);
    assert.equal(r.value.isActive, false);
    assert.equal(r.value.minRead, null);
  });

  const bad: [string, Record<string, unknown>, string, RegExp][] = [
    ['no title', { title: ' ' }, 'title', /title is required/],
    ['no body', { bodyMd: '' }, 'bodyMd', /body is required/],
    ['no signature', { signature: '' }, 'signature', /signature is required/],
    ['no button label', { ctaLabel: '' }, 'ctaLabel', /button label is required/],
    ['an http link', { ctaUrl: 'http://example.com/x' }, 'ctaUrl', /https/],
    ['a script link', { ctaUrl: 'javascript:alert(1)' }, 'ctaUrl', /path on this site/],
    ['a protocol-relative link', { ctaUrl: '//evil.example' }, 'ctaUrl', /path on this site/],
    ['no link', { ctaUrl: '' }, 'ctaUrl', /needs a link/],
    ['no audience', { audience: undefined }, 'audience', /at least one audience/],
    ['an unknown audience', { audience: ['everyone'] }, 'audience', /anonymous, registered/],
    ['a bad minimum', { minRead: 'two' }, 'minRead', /whole number/],
    ['a negative cap', { frequencyDays: '-1' }, 'frequencyDays', /at least 0/],
    ['a missing cap', { frequencyDays: '' }, 'frequencyDays', /required/],
    ['a bad section', { sections: 'World, ../etc' }, 'sections', /section paths/],
    ['an unknown placement', { placement: 'popup' }, 'placement', /where on the page/],
    ['a bad position', { position: '1.5' }, 'position', /whole number/],
  ];
  for (const [name, overrides, field, re] of bad) {
    it(`refuses ${name}`, () => {
      const posted = Object.fromEntries(Object.entries({ ...valid, ...overrides }).filter(([, v]) => v !== undefined));
      const r = parseLetterForm(posted);
      assert.equal(r.ok, false);
      assert.match((!r.ok && r.errors[field]) || '', re, JSON.stringify(!r.ok && r.errors));
    });
  }

  it('puts variant messages on the row they came from', () => {
    const r = parseLetterForm({
      ...valid,
      'variants.0.name': '', 'variants.0.weight': '1',
      'variants.1.name': 'A', 'variants.1.weight': '-3',
      'variants.2.name': '', 'variants.2.title': 'A heading without a name', 'variants.2.weight': '1',
      'variants.3.name': 'A', 'variants.3.weight': '1',
    });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.match(r.errors[variantField(1, 'weight')], /at least 0/);
    assert.match(r.errors[variantField(2, 'name')], /variant name is required/);
    assert.match(r.errors[variantField(3, 'name')], /two variants are named "A"/);
    assert.equal(r.errors[variantField(0, 'name')], undefined);
  });
});

describe('letterField', () => {
  it('maps the domain’s paths to form fields', () => {
    assert.equal(letterField('variants.1.weight', [0, 4]), 'variants.4.weight');
    assert.equal(letterField('variants'), 'variants.0.name');
    assert.equal(letterField('sections.3'), 'sections');
    assert.equal(letterField('audience.0'), 'audience');
    assert.equal(letterField('slug'), 'title');
    assert.equal(letterField('ctaUrl'), 'ctaUrl');
  });
});

describe('ctaUrlProblem', () => {
  for (const ok of ['/subscribe', '/subscribe?offer=intro-15', 'https://shop.example.com/x']) it(`accepts ${ok}`, () => assert.equal(ctaUrlProblem(ok), null));
  for (const bad of ['http://example.com', 'mailto:a@b.c', '#top', 'subscribe', '/\\evil.example']) it(`refuses ${bad}`, () => assert.notEqual(ctaUrlProblem(bad), null));
});

describe('form values', () => {
  it('shows a stored letter with its variants and blank rows to add more', () => {
    const v = letterFormValues(letter);
    assert.equal(v.variants.length, 4);
    assert.deepEqual(v.variants.slice(0, 2).map((r) => [r.id, r.name, r.title, r.bodyMd, r.ctaLabel, r.weight]), [[11, 'A', 'Hello', '', '', '50'], [12, 'B', '', 'Other body', 'Join', '50']]);
    assert.deepEqual(v.variants.slice(2).map((r) => [r.id, r.name]), [[null, ''], [null, '']]);
    assert.equal(v.minRead, '');
  });
  it('offers at least three rows and never more than ten', () => {
    assert.equal(withBlankRows([]).length, 3);
    assert.equal(withBlankRows(Array.from({ length: 10 }, () => withBlankRows([])[0])).length, 10);
  });
});

describe('describeLetterChange', () => {
  it('says what was created and what changed', () => {
    assert.equal(describeLetterChange(null, letter), 'created “Dear Reader,” (2 variants)');
    const after: Letter = { ...letter, audience: ['anonymous', 'lapsed'], isActive: false, variants: [{ ...letter.variants[0], weight: 80 }, { id: 13, letterId: 7, name: 'C', title: 'New', bodyMd: null, ctaLabel: null, weight: 20 }] };
    assert.equal(describeLetterChange(letter, after), 'updated “Dear Reader,”: audience, deactivated, variants (A weight 50 → 80; C added; B removed)');
    assert.equal(describeLetterChange(letter, letter), 'updated “Dear Reader,”: no change');
  });
});
