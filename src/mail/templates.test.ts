import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  complimentaryEmail,
  emailChangeEmail,
  endingSoonEmail,
  formatMoney,
  giftEmail,
  giftReceiptEmail,
  magicLinkEmail,
  paymentFailedEmail,
  receiptEmail,
  renderEmail,
} from './templates.ts';
import type { BuiltEmail } from './templates.ts';

const HOSTILE = `<script>alert("x")</script> & 'quoted' "double"`;
const PUBLIC_URL = 'https://planet.example.com';
const ctx = { publicationName: 'The Daily Planet', publicUrl: PUBLIC_URL, timeZone: 'America/New_York' };
const hostileCtx = { ...ctx, publicationName: `The Daily ${HOSTILE}` };
// 03:00 UTC is still the previous evening in New York.
const JAN_5_0300Z = Date.parse('2026-01-05T03:00:00Z');
const FEB_5_0300Z = Date.parse('2026-02-05T03:00:00Z');

/** The checks every message must pass, whatever it says. */
function assertWellFormed(mail: BuiltEmail, opts: { hrefs: string[] }): void {
  const { html, text } = mail;
  assert.ok(Buffer.byteLength(html) < 100 * 1024, 'under Gmail\'s clipping size');
  assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
  assert.match(html, /max-width:600px/);
  assert.doesNotMatch(mail.subject, /[\r\n]/);
  // Every image, if one is ever added, must say what it shows.
  for (const img of html.match(/<img\b[^>]*>/gi) ?? []) assert.match(img, /\balt="/, img);
  // Nothing fetched from elsewhere: no sources, stylesheets, imports, background images or frames.
  assert.doesNotMatch(html, /\bsrc\s*=|<link\b|@import|url\(|\bbackground\s*=|<(script|iframe|object|embed|video|audio|form)\b/i);
  // The only links are the ones we were given.
  const hrefs = [...html.matchAll(/\bhref="([^"]*)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
  assert.deepEqual(new Set(hrefs), new Set([PUBLIC_URL, ...opts.hrefs]));
  // The text part stands alone: the publication and each link, on a line of its own.
  for (const href of opts.hrefs) assert.match(text, new RegExp(`^${escapeRegExp(href)}$`, 'm'));
  assert.ok(text.includes(`\n-- \n`), 'signature separator');
}

/** Hostile input shows up as text, never as markup. */
function assertEscaped(mail: BuiltEmail): void {
  assert.doesNotMatch(mail.html, /<script/i);
  assert.doesNotMatch(mail.html, /"double"|'quoted'/);
  assert.match(mail.html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &#39;quoted&#39; &quot;double&quot;/);
  // The plain-text part is not HTML: it keeps the input as typed.
  assert.ok(mail.text.includes(HOSTILE));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function bothParts(mail: BuiltEmail, needle: string): void {
  assert.ok(mail.html.includes(needle), `html has ${needle}`);
  assert.ok(mail.text.includes(needle), `text has ${needle}`);
}

describe('renderEmail', () => {
  const base = { publicationName: 'The Daily Planet', publicUrl: PUBLIC_URL, heading: 'Hello', paragraphs: ['One.', 'Two\nlines.'] };

  it('lays out a bulletproof button and prints its address for clients that block links', () => {
    const { html, text } = renderEmail({ ...base, button: { label: 'Go', url: 'https://planet.example.com/go?a=1&b=2' } });
    assert.match(html, /<td class="m-button" align="center" bgcolor="#111111"[^>]*>\s*<a class="m-button-text" href="https:\/\/planet\.example\.com\/go\?a=1&amp;b=2"[^>]*>Go<\/a>/);
    assert.match(html, /copy this address into your browser:<br>\s*<a [^>]*>https:\/\/planet\.example\.com\/go\?a=1&amp;b=2<\/a>/);
    assert.match(html, /<h1 [^>]*font-family:Georgia,[^>]*>Hello<\/h1>/);
    assert.match(html, />Two<br>lines\.<\/p>/);
    assert.match(text, /^Go:\nhttps:\/\/planet\.example\.com\/go\?a=1&b=2$/m);
  });

  it('hides the preheader in the message but puts it first', () => {
    const { html } = renderEmail({ ...base, preheader: 'Preview <line>' });
    assert.match(html, /<body[^>]*>\n<div role="article"[^>]*>\n<div style="display:none;[^"]*mso-hide:all;">Preview &lt;line&gt;/);
  });

  it('sets quotes and details apart, in both parts', () => {
    const { html, text } = renderEmail({ ...base, quote: { text: 'Enjoy!\nLove, P.', attribution: 'Perry' }, details: [{ label: 'Amount paid', value: '$15.00' }] });
    assert.match(html, /<th scope="row"[^>]*>Amount paid<\/th><td[^>]*>\$15\.00<\/td>/);
    assert.match(html, /Enjoy!<br>Love, P\./);
    assert.match(text, /^> Enjoy!\n> Love, P\.\n— Perry$/m);
    assert.match(text, /^Amount paid: \$15\.00$/m);
  });

  it('only links to web addresses', () => {
    assert.throws(() => renderEmail({ ...base, button: { label: 'x', url: 'javascript:alert(1)' } }), /http/);
    assert.throws(() => renderEmail({ ...base, button: { label: 'x', url: '/relative' } }), /absolute/);
    assert.throws(() => renderEmail({ ...base, publicUrl: 'data:text/html,hi' }), /http/);
  });
});

describe('formatMoney', () => {
  const cases: [number, string, string][] = [
    [1500, 'usd', '$15.00'],
    [999, 'EUR', '€9.99'],
    [1500, 'jpy', '¥1,500'],
    [12345, 'kwd', 'KWD\u00a012.345'],
    [123456789, 'usd', '$1,234,567.89'],
  ];
  for (const [cents, currency, expected] of cases) it(`${cents} ${currency}`, () => assert.equal(formatMoney(cents, currency), expected));
});

describe('magicLinkEmail', () => {
  const link = 'https://planet.example.com/login/confirm?token=abc123';

  it('signs a returning reader in', () => {
    const mail = magicLinkEmail({ ...ctx, link, isNewReader: false, expiresMinutes: 15 });
    assert.equal(mail.subject, 'Your sign-in link');
    bothParts(mail, link);
    bothParts(mail, 'The link works once and expires in 15 minutes.');
    bothParts(mail, 'If you did not ask to sign in, you can ignore this e-mail');
    assertWellFormed(mail, { hrefs: [link] });
  });

  it('asks a new reader to confirm', () => {
    const mail = magicLinkEmail({ ...ctx, link, isNewReader: true, expiresMinutes: 15 });
    assert.equal(mail.subject, 'Confirm your e-mail to finish signing up');
    bothParts(mail, 'The link works once and expires in 15 minutes.');
    bothParts(mail, 'If you did not ask to sign up, you can ignore this e-mail');
    assertWellFormed(mail, { hrefs: [link] });
  });

  it('escapes what it is given', () => {
    assertEscaped(magicLinkEmail({ ...hostileCtx, link, isNewReader: true, expiresMinutes: 60 }));
    assert.match(magicLinkEmail({ ...ctx, link, isNewReader: false, expiresMinutes: 60 }).text, /expires in 1 hour\./);
  });
});

describe('emailChangeEmail', () => {
  const link = 'https://planet.example.com/account/email/confirm?token=xyz';

  it('names the new address and says the link works once', () => {
    const mail = emailChangeEmail({ ...ctx, link, newEmail: 'lois@example.com', expiresMinutes: 15 });
    assert.equal(mail.subject, 'Confirm your new e-mail address');
    bothParts(mail, 'lois@example.com');
    bothParts(mail, link);
    bothParts(mail, 'The link works once and expires in 15 minutes.');
    assertWellFormed(mail, { hrefs: [link] });
  });

  it('escapes what it is given', () => {
    const mail = emailChangeEmail({ ...hostileCtx, link, newEmail: `"lo<b>is"@example.com` });
    assertEscaped(mail);
    assert.ok(mail.html.includes('&quot;lo&lt;b&gt;is&quot;@example.com'));
  });
});

describe('receiptEmail', () => {
  const accountUrl = 'https://planet.example.com/account';
  const input = { planName: 'Digital', amountCents: 1500, currency: 'usd', paidAt: JAN_5_0300Z, periodEnd: FEB_5_0300Z, accountUrl };

  it('states the amount, plan and dates in the publication\'s time zone', () => {
    const mail = receiptEmail({ ...ctx, ...input });
    assert.equal(mail.subject, 'Receipt for your subscription to The Daily Planet');
    bothParts(mail, '$15.00');
    bothParts(mail, 'Digital');
    bothParts(mail, 'January 4, 2026');
    bothParts(mail, 'February 4, 2026');
    assertWellFormed(mail, { hrefs: [accountUrl] });
  });

  it('takes Date objects, and UTC when no time zone is given', () => {
    const mail = receiptEmail({ publicationName: 'P', publicUrl: PUBLIC_URL, ...input, paidAt: new Date(JAN_5_0300Z) });
    bothParts(mail, 'January 5, 2026');
  });

  it('escapes what it is given', () => {
    assertEscaped(receiptEmail({ ...hostileCtx, ...input, planName: HOSTILE }));
  });
});

describe('paymentFailedEmail', () => {
  const portalUrl = 'https://billing.example.com/p/session_123';
  const input = { planName: 'Digital', amountCents: 2599, currency: 'eur', graceEndsAt: FEB_5_0300Z, portalUrl };

  it('says what failed, until when access lasts, and where to fix it', () => {
    const mail = paymentFailedEmail({ ...ctx, ...input });
    assert.equal(mail.subject, 'Your payment did not go through');
    bothParts(mail, '€25.99');
    bothParts(mail, 'February 4, 2026');
    bothParts(mail, portalUrl);
    assertWellFormed(mail, { hrefs: [portalUrl] });
  });

  it('escapes what it is given', () => {
    assertEscaped(paymentFailedEmail({ ...hostileCtx, ...input, planName: HOSTILE }));
  });
});

describe('endingSoonEmail', () => {
  const resumeUrl = 'https://planet.example.com/account#subscription';

  it('after a cancellation, offers to resume', () => {
    const mail = endingSoonEmail({ ...ctx, planName: 'Digital', endsAt: FEB_5_0300Z, resumeUrl, reason: 'canceled' });
    assert.equal(mail.subject, 'Your subscription ends on February 4, 2026');
    bothParts(mail, 'You canceled your Digital subscription');
    bothParts(mail, resumeUrl);
    assert.ok(mail.html.includes('>Resume subscription</a>'));
    assertWellFormed(mail, { hrefs: [resumeUrl] });
  });

  it('at the end of a trial, offers to subscribe', () => {
    const mail = endingSoonEmail({ ...ctx, planName: 'Digital', endsAt: FEB_5_0300Z, resumeUrl, reason: 'trial' });
    assert.equal(mail.subject, 'Your free trial ends on February 4, 2026');
    bothParts(mail, 'Your free trial of Digital');
    assertWellFormed(mail, { hrefs: [resumeUrl] });
  });

  it('escapes what it is given', () => {
    for (const reason of ['canceled', 'trial', 'complimentary'] as const) assertEscaped(endingSoonEmail({ ...hostileCtx, planName: HOSTILE, endsAt: FEB_5_0300Z, resumeUrl, reason }));
  });
});

describe('complimentaryEmail', () => {
  const accountUrl = 'https://planet.example.com/account';

  it('says what was given, until when, and that nothing is owed', () => {
    const mail = complimentaryEmail({ ...ctx, planName: 'Digital', months: 3, endsAt: FEB_5_0300Z, isExtension: false, accountUrl });
    assert.equal(mail.subject, 'A complimentary subscription to The Daily Planet');
    bothParts(mail, 'The Daily Planet has given you 3 months of Digital, with our compliments. You can read everything until February 4, 2026.');
    bothParts(mail, 'nothing to pay and nothing to cancel');
    assertWellFormed(mail, { hrefs: [accountUrl] });
    const longer = complimentaryEmail({ ...ctx, planName: 'Digital', months: 1, endsAt: FEB_5_0300Z, isExtension: true, accountUrl });
    assert.equal(longer.subject, 'The Daily Planet has extended your complimentary subscription');
    bothParts(longer, 'has added 1 month of Digital to your complimentary subscription');
  });

  it('escapes what it is given', () => {
    assertEscaped(complimentaryEmail({ ...hostileCtx, planName: HOSTILE, months: 2, endsAt: FEB_5_0300Z, isExtension: false, accountUrl }));
  });
});

describe('giftEmail', () => {
  const redeemUrl = 'https://planet.example.com/gift/redeem/tok_abc';
  const input = { fromName: 'Perry White', message: 'Happy birthday!\nRead it every day.', months: 12, planName: 'Digital', redeemUrl };

  it('tells the recipient who sent what, with their message', () => {
    const mail = giftEmail({ ...ctx, ...input });
    assert.equal(mail.subject, 'Perry White sent you a gift subscription to The Daily Planet');
    bothParts(mail, 'Perry White has given you 12 months of Digital at The Daily Planet.');
    bothParts(mail, redeemUrl);
    assert.ok(mail.html.includes('Happy birthday!<br>Read it every day.'));
    assert.match(mail.text, /^> Happy birthday!\n> Read it every day\.\n— Perry White$/m);
    assertWellFormed(mail, { hrefs: [redeemUrl] });
  });

  it('keeps the subject on one short line and copes without a name or message', () => {
    const long = giftEmail({ ...ctx, ...input, fromName: `Perry\r\nBcc: x@example.com ${'a'.repeat(200)}` });
    assert.doesNotMatch(long.subject, /[\r\n]/);
    assert.ok(long.subject.startsWith('Perry Bcc: x@example.com aaa'));
    assert.ok(long.subject.length < 140);
    const bare = giftEmail({ ...ctx, ...input, fromName: ' ', message: '  ', months: 1 });
    assert.equal(bare.subject, 'A gift subscription to The Daily Planet');
    bothParts(bare, 'Someone has given you 1 month of Digital');
    assert.doesNotMatch(bare.text, /^> /m);
  });

  it('escapes what it is given', () => {
    const mail = giftEmail({ ...hostileCtx, ...input, fromName: HOSTILE, message: HOSTILE, planName: HOSTILE });
    assertEscaped(mail);
    assertWellFormed(mail, { hrefs: [redeemUrl] });
  });
});

describe('giftReceiptEmail', () => {
  const input = { recipientEmail: 'jimmy@example.com', months: 6, planName: 'Digital', amountCents: 4500, currency: 'usd' };

  it('confirms the purchase to the giver', () => {
    const mail = giftReceiptEmail({ ...ctx, ...input, paidAt: JAN_5_0300Z });
    assert.equal(mail.subject, 'Receipt for your gift subscription to The Daily Planet');
    bothParts(mail, '$45.00');
    bothParts(mail, 'jimmy@example.com');
    bothParts(mail, '6 months of Digital');
    bothParts(mail, 'January 4, 2026');
    assertWellFormed(mail, { hrefs: [] });
  });

  it('escapes what it is given', () => {
    assertEscaped(giftReceiptEmail({ ...hostileCtx, ...input, planName: HOSTILE, recipientEmail: HOSTILE }));
  });
});
