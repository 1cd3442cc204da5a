import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';
import { composeRawMessage, quotedPrintable } from './raw-message.ts';

const FIXED = new Date('2026-03-04T05:06:07.089Z');

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address ?? ''));
}

describe('quotedPrintable', () => {
  const samples: [string, string][] = [
    ['empty', ''],
    ['a long plain line', 'x'.repeat(300)],
    ['spaces and tabs ending lines', 'trailing space \nnext\t\nend '],
    ['equals signs at the wrap', `${'a'.repeat(74)}=${'b'.repeat(80)}`],
    ['accents, dashes and emoji across wraps', 'é ü — 😀 '.repeat(40)],
    ['CRLF, LF and a lone CR', 'one\r\ntwo\nthree\rfour\n\n'],
    ['lines starting with a dot', '.leading dot\n.\n..two'],
  ];
  for (const [name, text] of samples) {
    it(`${name}: short ASCII lines that decode to the same text`, async () => {
      const encoded = quotedPrintable(text).toString('latin1');
      for (const line of encoded.split('\r\n')) assert.ok(line.length <= 76, `line of ${line.length}: ${line}`);
      assert.doesNotMatch(encoded, /[^\x20-\x7e\r\n\t]/);
      assert.doesNotMatch(encoded, /[ \t]\r\n/, 'no space or tab left at a line end');
      assert.doesNotMatch(encoded.replace(/\r\n/g, ''), /[\r\n]/, 'no bare CR or LF');
      const raw = composeRawMessage({ from: { name: 'P', address: 'p@example.com' }, to: 'r@example.com', subject: 's', text: `${text}|`, html: `<p>${text}|</p>`, headers: [], messageId: '<m@example.com>', date: FIXED });
      const mail = await simpleParser(raw);
      assert.equal(mail.text, `${text}|`.replace(/\r\n/g, '\n'));
      assert.equal(mail.html, `<p>${text}|</p>`.replace(/\r\n/g, '\n'));
    });
  }
});

describe('composeRawMessage', () => {
  it('headers a mail client reads back: encoded subject and name, the given Message-ID and list headers, no header injection', async () => {
    const raw = composeRawMessage({
      from: { name: 'The "Daily" Planet', address: 'news@planet.example.com' },
      to: 'lois@example.com',
      subject: 'Morning — ünïcode news\r\nBcc: evil@example.com',
      text: 'Text part',
      html: '<p>HTML part</p>',
      headers: [['List-Unsubscribe', '<https://planet.example.com/newsletters/unsubscribe?t=abc>, <mailto:unsubscribe@planet.example.com?subject=unsubscribe%20abc>'], ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click']],
      messageId: '<issue-7.42@planet.example.com>',
      date: FIXED,
    });
    const mail = await simpleParser(raw);
    assert.equal(mail.subject, 'Morning — ünïcode news Bcc: evil@example.com');
    assert.equal(mail.bcc, undefined);
    assert.equal(mail.messageId, '<issue-7.42@planet.example.com>');
    assert.deepEqual(addresses(mail.from), ['news@planet.example.com']);
    assert.equal((mail.from as AddressObject).value[0].name, 'The "Daily" Planet');
    assert.deepEqual(addresses(mail.to), ['lois@example.com']);
    assert.equal(mail.date?.toISOString(), '2026-03-04T05:06:07.000Z');
    assert.equal(mail.text?.trim(), 'Text part');
    assert.equal(mail.html, '<p>HTML part</p>');
    const text = raw.toString('latin1');
    assert.match(text, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    for (const line of text.split('\r\n')) assert.ok(line.length <= 998);
  });
});
