import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { displayMoney, formatMinor, isKnownCurrency, minorDigits, parseMoney } from './money.ts';

describe('parseMoney', () => {
  const cases: [string, string, number | RegExp][] = [
    ['15.00', 'usd', 1500],
    ['15', 'usd', 1500],
    ['15.5', 'usd', 1550],
    ['0.99', 'usd', 99],
    [' 8.10 ', 'usd', 810],
    ['$15', 'usd', 1500],
    ['US$ 15.00', 'usd', 1500],
    ['1,200.00', 'usd', 120000],
    ['15.000', 'usd', 1500],
    ['1500', 'jpy', 1500],
    ['€9.99', 'eur', 999],
    ['15.005', 'usd', /at most 2 decimal/],
    ['15.5', 'jpy', /no decimals/],
    ['-5', 'usd', /digits/],
    ['abc', 'usd', /digits/],
    ['1,00', 'usd', /digits/],
    ['', 'usd', /enter an amount/],
    ['0', 'usd', /more than zero/],
    ['2000000', 'usd', /too large/],
  ];
  for (const [input, currency, expected] of cases) {
    it(`${JSON.stringify(input)} ${currency}`, () => {
      const r = parseMoney(input, currency);
      if (expected instanceof RegExp) assert.match('error' in r ? r.error : '', expected);
      else assert.deepEqual(r, { minor: expected });
    });
  }
  it('takes zero when asked (a free introductory period)', () => assert.deepEqual(parseMoney('0.00', 'usd', { allowZero: true }), { minor: 0 }));
});

describe('formatting', () => {
  it('shows minor units as the form types them', () => {
    assert.equal(formatMinor(1500, 'usd'), '15.00');
    assert.equal(formatMinor(5, 'usd'), '0.05');
    assert.equal(formatMinor(1500, 'jpy'), '1500');
  });
  it('shows money for people', () => {
    assert.equal(displayMoney(1500, 'usd'), '$15');
    assert.equal(displayMoney(1550, 'usd'), '$15.50');
    assert.equal(displayMoney(1500, 'jpy'), '¥1,500');
  });
  it('knows currencies and their minor units', () => {
    assert.equal(minorDigits('usd'), 2);
    assert.equal(minorDigits('JPY'), 0);
    assert.equal(isKnownCurrency('eur'), true);
    assert.equal(isKnownCurrency('xyz1'), false);
    assert.equal(isKnownCurrency('zzz'), false);
  });
});
