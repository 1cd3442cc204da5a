// The signed links a newsletter carries: a recipient's unsubscribe link (list, address and,
// for a reader's copy, the reader; no expiry: an old issue's link must still work), and the
// click-counting redirect that only ever leads back to this site.
import crypto from 'node:crypto';

function mac(purpose: string, body: string, secret: string): string {
  return crypto.createHmac('sha256', `${purpose}:${secret}`).update(body).digest('base64url').slice(0, 27);
}

function isSameMac(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export interface UnsubscribeTarget {
  listId: number;
  /** Lower-cased. */
  email: string;
  /**
   * The reader the copy was sent to, when it was sent to a reader account: unsubscribing then
   * applies to the reader's current address, so the link in an old issue still works after
   * they changed it. Null (or absent) for sign-ups without an account.
   */
  readerId?: number | null;
}

// Token bodies: "<list>:<address>" (every token written before reader ids, and copies sent to
// no account) or "<list>:r<reader>:<address>". An address never holds a colon (emailSchema),
// so the two cannot be confused; the MAC covers the body either way.
const WITH_READER = /^r([1-9]\d{0,14}):/;

export function unsubscribeToken(t: UnsubscribeTarget, secret: string): string {
  const reader = t.readerId ? `r${t.readerId}:` : '';
  const body = Buffer.from(`${t.listId}:${reader}${t.email.toLowerCase()}`).toString('base64url');
  return `${body}.${mac('unsubscribe', body, secret)}`;
}

/** The list, address and reader of a genuine unsubscribe token; null for anything altered. */
export function readUnsubscribeToken(token: string | undefined | null, secret: string): (UnsubscribeTarget & { readerId: number | null }) | null {
  if (!token || token.length > 600) return null;
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const body = token.slice(0, dot);
  if (!isSameMac(token.slice(dot + 1), mac('unsubscribe', body, secret))) return null;
  const text = Buffer.from(body, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  const listId = Number(text.slice(0, colon));
  let rest = text.slice(colon + 1);
  let readerId: number | null = null;
  const reader = WITH_READER.exec(rest);
  if (reader) {
    readerId = Number(reader[1]);
    rest = rest.slice(reader[0].length);
  }
  const email = rest;
  if (colon <= 0 || !Number.isSafeInteger(listId) || listId <= 0 || !email.includes('@')) return null;
  return { listId, email, readerId };
}

/** The https and mailto addresses for List-Unsubscribe, and the page the visible link opens. */
export function unsubscribeUrls(t: UnsubscribeTarget, opts: { publicUrl: string; secret: string }): { page: string; mailto: string } {
  const token = unsubscribeToken(t, opts.secret);
  const host = new URL(opts.publicUrl).hostname;
  return {
    page: `${opts.publicUrl}/newsletters/unsubscribe?t=${token}`,
    mailto: `mailto:unsubscribe@${host}?subject=${encodeURIComponent(`unsubscribe ${token}`)}`,
  };
}

export interface ClickTarget {
  /** A path on this site ("/World/2026/1120/…?access=…"). */
  path: string;
  /** The newsletter_sends row the link was written for. */
  sendId: number;
}

/** A first-party redirect that counts the click, then leads to `path` on this site. */
export function clickUrl(t: ClickTarget, opts: { publicUrl: string; secret: string }): string {
  const m = mac('click', `${t.sendId}|${t.path}`, opts.secret);
  return `${opts.publicUrl}/newsletters/click?s=${t.sendId}&u=${encodeURIComponent(t.path)}&m=${m}`;
}

/**
 * The target of a genuine click link, or null. Only site-relative paths are ever accepted
 * (never "//host" or a scheme), so the redirect cannot lead anywhere else.
 */
export function readClick(q: { s?: string | null; u?: string | null; m?: string | null }, secret: string): ClickTarget | null {
  const sendId = Number(q.s);
  const path = q.u ?? '';
  if (!Number.isSafeInteger(sendId) || sendId <= 0 || !q.m || path.length > 2000) return null;
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\') || /[\u0000-\u001f]/.test(path)) return null;
  if (!isSameMac(q.m, mac('click', `${sendId}|${path}`, secret))) return null;
  return { path, sendId };
}

/**
 * The `detail` of the newsletter-click event a click on a send's link records. One function
 * for the writer and for deleting a reader's account, which finds their clicks by it.
 */
export function clickEventDetail(sendId: number): string {
  return JSON.stringify({ send: sendId });
}
