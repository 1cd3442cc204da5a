import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCancelForm, parseComplimentaryForm, parseReaderSearch } from './reader-forms.ts';
import type { Plan } from '../../billing/types.ts';

const plan = (id: number, isActive = true): Plan => ({ id, slug: `p${id}`, name: `Plan ${id}`, description: '', priceCents: 800, currency: 'usd', interval: 'month', entitlements: ['web'], isActive });
const PLANS = [plan(1), plan(2, false)];

describe('readers: the list query', () => {
  it('keeps a good query and falls back to the defaults for anything malformed', () => {
    assert.deepEqual(parseReaderSearch({ q: '  ada@ ', state: 'lapsed', page: '3' }), { q: 'ada@', state: 'lapsed', page: 3 });
    assert.deepEqual(parseReaderSearch({}), { q: '', state: 'all', page: 1 });
    for (const page of ['0', '-2', 'x', '1.5', '9999999']) assert.equal(parseReaderSearch({ page }).page, 1, page);
    assert.equal(parseReaderSearch({ state: 'vip' }).state, 'all');
    assert.equal(parseReaderSearch({ q: 'x'.repeat(201) }).q, '');
  });
});

describe('readers: the complimentary subscription form', () => {
  it('accepts an active plan and 1 to 24 months', () => {
    for (const months of ['1', '12', '24', ' 6 ']) {
      const r = parseComplimentaryForm({ plan: '1', months }, PLANS);
      assert.ok(r.ok, months);
      assert.equal(r.value.plan.id, 1);
      assert.equal(r.value.months, Number(months));
    }
  });

  it('says what is wrong next to each field and keeps what was typed', () => {
    const cases: [Record<string, unknown>, Record<string, string>][] = [
      [{ plan: '1', months: '0' }, { months: 'Choose between 1 and 24 months.' }],
      [{ plan: '1', months: '25' }, { months: 'Choose between 1 and 24 months.' }],
      [{ plan: '1', months: '2.5' }, { months: 'Choose between 1 and 24 months.' }],
      [{ plan: '1', months: '' }, { months: 'Choose between 1 and 24 months.' }],
      [{ plan: '', months: '3' }, { plan: 'Choose a plan.' }],
      [{ plan: '99', months: '3' }, { plan: 'That plan does not exist.' }],
      [{ plan: '2', months: '3' }, { plan: 'That plan is no longer offered; choose an active plan.' }],
      [{ plan: 'x', months: 'many' }, { plan: 'Choose a plan.', months: 'Choose between 1 and 24 months.' }],
      [{}, { plan: 'Choose a plan.', months: 'Choose between 1 and 24 months.' }],
    ];
    for (const [form, errors] of cases) {
      const r = parseComplimentaryForm(form, PLANS);
      assert.equal(r.ok, false, JSON.stringify(form));
      if (r.ok) continue;
      assert.deepEqual(r.errors, errors, JSON.stringify(form));
      assert.deepEqual(r.values, { plan: String(form.plan ?? ''), months: String(form.months ?? '') });
    }
  });

  it('reads only the two cancel choices', () => {
    assert.equal(parseCancelForm({ when: 'now' }), 'now');
    assert.equal(parseCancelForm({ when: 'period-end' }), 'period-end');
    for (const when of [undefined, '', 'later', ['now']]) assert.equal(parseCancelForm({ when }), null);
  });
});
