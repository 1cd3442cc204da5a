// The signed links a newsletter carries: a recipient's unsubscribe link (list and address,
// no expiry: an old issue's link must still work), and the click-counting redirect that
// only ever leads back to this site.
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
}

export function unsubscribeToken(t: UnsubscribeTarget, secret: string): string {
  const body = Buffer.from(`${t.listId}:${t.email.toLowerCase()}`).toString('base64url');
  return `${body}.${mac('unsubscribe', body, secret)}`;
}

/** The list and address of a genuine unsubscribe token; null for anything altered. */
export function readUnsubscribeToken(token: string | undefined | null, secret: string): UnsubscribeTarget | null {
  if (!token || token.length > 600) return null;
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const body = token.slice(0, dot);
  if (!isSameMac(token.slice(dot + 1), mac('unsubscribe', body, secret))) return null;
  const text = Buffer.from(body, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  const listId = Number(text.slice(0, colon));
  const email = text.slice(colon + 1);
  if (colon <= 0 || !Number.isSafeInteger(listId) || listId <= 0 || !email.includes('@')) return null;
  return { listId, email };
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
