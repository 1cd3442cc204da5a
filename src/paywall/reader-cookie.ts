// The anonymous reader's first-party cookie: a random id, signed, plus — until the database
// knows this reader — the one article they opened first. A one-time visitor costs no write:
// their first view lives in the cookie; from the second view on the database counts, and the
// cookie's article is added to it then. A tampered or unsigned cookie is ignored.
import crypto from 'node:crypto';
import { sign, unsign } from '../accounts/tokens.ts';

export const READER_COOKIE = 'mh_rid';
/** Long enough to span any meter window. */
export const READER_COOKIE_SECONDS = 400 * 86_400;
const ID = /^[A-Za-z0-9_-]{22}$/;

export interface ReaderCookie {
  id: string;
  /** The first article opened, in which window, before any database row existed. */
  first: { windowKey: string; articleId: number } | null;
}

// Random bytes drawn 4 KB at a time: one system call per 256 new readers, not one each.
let pool = Buffer.alloc(0);
let offset = 0;
export function newReaderId(): string {
  if (offset + 16 > pool.length) {
    pool = crypto.randomBytes(4096);
    offset = 0;
  }
  const id = pool.subarray(offset, offset + 16).toString('base64url');
  offset += 16;
  return id;
}

export function encodeReaderCookie(c: ReaderCookie, secret: string): string {
  return sign(c.first ? `${c.id}~${c.first.windowKey}~${c.first.articleId}` : c.id, secret);
}

export function decodeReaderCookie(value: string | undefined | null, secret: string): ReaderCookie | null {
  const raw = unsign(value, secret);
  if (!raw) return null;
  const [id, windowKey, article] = raw.split('~');
  if (!ID.test(id)) return null;
  if (windowKey === undefined) return { id, first: null };
  const articleId = Number(article);
  if (!/^[a-z0-9-]{4,20}$/.test(windowKey) || !Number.isInteger(articleId) || articleId <= 0) return { id, first: null };
  return { id, first: { windowKey, articleId } };
}
