import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeSchedule, listChanges, parseListForm, RESERVED_LIST_SLUGS, slugFromName } from './list-form.ts';
import { newsletterSiteRoutes, type NewsletterRouteDeps } from '../../site/newsletter-routes.tsx';

const base = { name: 'Weekend reads', slug: '', description: 'Long stories for the weekend.', entitlement: '', isOpenToSignups: 'on', isActive: 'on', position: '2', time: '06:00' };

describe('newsletter list form', () => {
  it('makes the address from the name when none is typed, and reads every field', () => {
    const r = parseListForm({ ...base, isAutomatic: 'on', days: ['7', '6'], time: '08:30', entitlement: 'daily' }, { isNew: true });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
    assert.deepEqual(r.value, {
      name: 'Weekend reads', slug: 'weekend-reads', description: 'Long stories for the weekend.', entitlement: 'daily',
      isOpenToSignups: true, isAutomatic: true, schedule: { days: [6, 7], time: '08:30' }, isActive: true, position: 2,
    });
  });

  it('reserves every path the site’s newsletter routes answer under /newsletters/', () => {
    const routes = newsletterSiteRoutes({} as NewsletterRouteDeps).routes.map((r) => r.path);
    const fixed = [...new Set(routes.filter((p) => p.startsWith('/newsletters/')).map((p) => p.split('/')[2]))];
    assert.ok(fixed.includes('resubscribe'));
    for (const slug of fixed) assert.ok(RESERVED_LIST_SLUGS.includes(slug), `/newsletters/${slug} is not reserved`);
  });

  it('refuses reserved, malformed and empty addresses, keeping what was typed', () => {
    for (const slug of RESERVED_LIST_SLUGS) {
      const r = parseListForm({ ...base, slug }, { isNew: true });
      assert.ok(!r.ok);
      assert.match(r.errors.slug, /reserved address/);
      assert.equal(r.values.slug, slug);
    }
    const cases: [string, string, RegExp][] = [
      ['Weekend Reads', 'x', /lower-case letters/],
      ['a--b', 'x', /single dashes/],
      ['', '!!!', /Give the list an address/],
      ['x', 'ok', /at least 2/],
    ];
    for (const [slug, name, message] of cases) {
      const r = parseListForm({ ...base, name, slug }, { isNew: true });
      assert.ok(!r.ok, slug);
      assert.match(r.errors.slug ?? '', message, slug);
    }
  });

  it('keeps an existing list’s address whatever is posted', () => {
    const r = parseListForm({ ...base, slug: 'click' }, { isNew: false, slug: 'weekend' });
    assert.ok(r.ok);
    assert.equal(r.value.slug, 'weekend');
  });

  it('needs weekdays and a time for an automatic list, and keeps no schedule for one sent by hand', () => {
    let r = parseListForm({ ...base, isAutomatic: 'on', time: '6am' }, { isNew: true });
    assert.ok(!r.ok);
    assert.match(r.errors.days, /at least one weekday/);
    assert.match(r.errors.time, /HH:MM/);
    r = parseListForm({ ...base, days: ['1', '2'] }, { isNew: true });
    assert.ok(r.ok);
    assert.equal(r.value.schedule, null);
    assert.equal(r.value.isAutomatic, false);
  });

  it('refuses unknown entitlements, weekdays, long names and positions out of range', () => {
    const r = parseListForm({ ...base, name: 'n'.repeat(81), entitlement: 'gold', isAutomatic: 'on', days: ['8'], position: '-1' }, { isNew: true });
    assert.ok(!r.ok);
    assert.deepEqual(Object.keys(r.errors).sort(), ['days', 'entitlement', 'name', 'position']);
  });

  it('describes schedules and changes in words', () => {
    assert.equal(describeSchedule({ days: [1, 2, 3, 4, 5], time: '06:00' }), 'Mon–Fri 06:00');
    assert.equal(describeSchedule({ days: [6, 7], time: '08:30' }), 'Sat, Sun 08:30');
    assert.equal(describeSchedule({ days: [1, 2, 3, 4, 5, 6, 7], time: '07:00' }), 'Every day 07:00');
    assert.equal(describeSchedule(null), 'by hand');
    const a = { name: 'A', slug: 'a', description: '', entitlement: null, isOpenToSignups: true, isAutomatic: false, schedule: null, isActive: true, position: 0 };
    assert.equal(listChanges(a, a), '');
    assert.equal(listChanges(a, { ...a, isAutomatic: true, schedule: { days: [1], time: '06:00' }, isActive: false }), 'automatic no → yes; schedule by hand → Mon 06:00; deactivated');
  });

  it('makes addresses from names', () => {
    assert.equal(slugFromName('Breaking News!'), 'breaking-news');
    assert.equal(slugFromName('Café  crème — du jour'), 'cafe-creme-du-jour');
    assert.equal(slugFromName('***'), '');
  });
});
