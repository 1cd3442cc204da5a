// Who is asking: the signed-in reader or staff member behind the session cookie, and an
// anonymous browser id for forms (and, later, the meter). Built per request for the pages
// that need it; the cached article path never reads cookies.
import crypto from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { Db } from '../db/database.ts';
import type { ReaderRow, StaffRole } from '../db/schema.ts';
import { findSession } from '../accounts/sessions.ts';
import { decodeReaderCookie, encodeReaderCookie, newReaderId, READER_COOKIE } from '../paywall/reader-cookie.ts';

export const SESSION_COOKIE = 'mh_session';
export const BROWSER_COOKIE = READER_COOKIE;

export interface StaffViewer {
  id: number;
  email: string;
  name: string;
  role: StaffRole;
}

export interface Viewer {
  sessionId: number | null;
  reader: ReaderRow | null;
  staff: StaffViewer | null;
  /** The anonymous browser id (signed cookie), created on first need. */
  browserId: string;
  /** The token every state-changing form carries. */
  csrfToken: string;
}

export interface ViewerDeps {
  db: Db;
  secret: string;
  now: () => number;
  isHttps: boolean;
}

export function cookieOptions(deps: { isHttps: boolean }, maxAgeSeconds: number) {
  return { path: '/', httpOnly: true, sameSite: 'Lax' as const, secure: deps.isHttps, maxAge: maxAgeSeconds };
}

/** Reads (and if needed issues) the viewer for this request. */
export async function resolveViewer(c: Context, deps: ViewerDeps): Promise<Viewer> {
  const cached = c.get('viewer' as never) as Viewer | undefined;
  if (cached) return cached;
  const now = deps.now();
  const session = await findSession(deps.db, getCookie(c, SESSION_COOKIE), { now, secret: deps.secret });
  let reader: ReaderRow | null = null;
  let staff: StaffViewer | null = null;
  if (session?.readerId) reader = (await deps.db.selectFrom('readers').selectAll().where('id', '=', session.readerId).executeTakeFirst()) ?? null;
  if (session?.userId) {
    const user = await deps.db.selectFrom('users').select(['id', 'email', 'name', 'role']).where('id', '=', session.userId).executeTakeFirst();
    staff = user ?? null;
  }
  let browserId = decodeReaderCookie(getCookie(c, BROWSER_COOKIE), deps.secret)?.id;
  if (!browserId) {
    // A missing, tampered or unsigned id is replaced by a fresh one.
    browserId = newReaderId();
    setCookie(c, BROWSER_COOKIE, encodeReaderCookie({ id: browserId, first: null }, deps.secret), cookieOptions(deps, 400 * 86_400));
  }
  const csrfKey = session ? `s:${session.id}` : `b:${browserId}`;
  const viewer: Viewer = {
    sessionId: session?.id ?? null,
    reader,
    staff,
    browserId,
    csrfToken: crypto.createHmac('sha256', deps.secret).update(`csrf:${csrfKey}`).digest('base64url'),
  };
  c.set('viewer' as never, viewer as never);
  return viewer;
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

export function isValidCsrf(viewer: Viewer, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== viewer.csrfToken.length) return false;
  return crypto.timingSafeEqual(Buffer.from(given), Buffer.from(viewer.csrfToken));
}

/** Personalised pages must never be stored by a shared cache. */
export function setPrivate(c: Context): void {
  c.header('cache-control', 'private, no-store');
  c.header('vary', 'Cookie');
}
