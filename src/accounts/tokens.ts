// Secrets handed to readers (sign-in links, session cookies, gift links): 256 random bits,
// stored only as a SHA-256 hash so the database alone opens nothing.
import crypto from 'node:crypto';

export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** `value.signature` with HMAC-SHA256 (node:crypto: synchronous and fast on the hot path). */
export function sign(value: string, secret: string): string {
  return `${value}.${mac(value, secret)}`;
}

// The secret as a key object, made once: preparing a string key costs a sixth of each MAC.
const keys = new Map<string, crypto.KeyObject>();
function mac(value: string, secret: string): string {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size > 16) keys.clear();
    key = crypto.createSecretKey(Buffer.from(secret));
    keys.set(secret, key);
  }
  return crypto.createHmac('sha256', key).update(value).digest('base64url');
}

/** The value inside a signed string, or null when the signature is missing or wrong. */
export function unsign(signed: string | undefined | null, secret: string): string | null {
  if (!signed) return null;
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  const given = Buffer.from(signed.slice(dot + 1));
  const expected = Buffer.from(mac(value, secret));
  return given.length === expected.length && crypto.timingSafeEqual(given, expected) ? value : null;
}
