/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The newsroom's door: staff sign in with a password at /admin/login (locked for a while
// after repeated failures, rate-limited per address and per client), the start page, the
// bundled assets, and the areas mounted behind it. Every newsroom route asks requireStaff
// (guard.tsx) for its permission on the server.
import { privatePage } from '../site/private-page.ts';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import type { Logger } from 'pino';
import { checkStaffLogin } from '../accounts/staff-login.ts';
import { createSession, revokeSession } from '../accounts/sessions.ts';
import { hitRateLimit } from '../accounts/rate-limit.ts';
import { hashToken } from '../accounts/tokens.ts';
import { safeReturnTo } from '../accounts/magic-links.ts';
import type { SiteState } from '../site/site-state.ts';
import { clientAddress } from '../site/client-address.ts';
import { SESSION_COOKIE, clearSessionCookie, cookieOptions, resolveViewer, type ViewerDeps } from '../site/viewer.ts';
import { AdminHome, AdminLogin } from './views.tsx';
import { adminAssets } from './assets.ts';
import { requireStaff } from './guard.tsx';
import { html } from '../site/reader-routes.tsx';

export interface AdminDeps extends ViewerDeps {
  state: SiteState;
  logger: Logger;
  trustProxy: string | null;
  /** The newsroom's areas (stories, front page, settings…), each its own route table, built in app.ts. */
  areas?: Hono[];
}

export function adminRoutes(deps: AdminDeps): Hono {
  const { db } = deps;
  const app = new Hono();
  const page = privatePage;
  const site = async () => (await deps.state.current()).site;

  app.get('/admin/login', async (c) => {
    const viewer = await resolveViewer(c, deps);
    if (viewer.staff) return c.redirect('/admin', 303);
    return page(c, <AdminLogin site={await site()} viewer={viewer} returnTo={safeReturnTo(c.req.query('return'), '/admin')} />);
  });

  app.post('/admin/login', async (c) => {
    const viewer = await resolveViewer(c, deps);
    const form = await c.req.parseBody();
    const email = String(form.email ?? '').trim().toLowerCase().slice(0, 254);
    const password = String(form.password ?? '').slice(0, 200);
    const returnTo = safeReturnTo(String(form.return ?? ''), '/admin');
    const s = await site();
    const now = deps.now();
    const [byAddress, byClient] = await Promise.all([
      hitRateLimit(db, `staff:addr:${hashToken(email)}`, { limit: 10, windowMs: 15 * 60_000 }, now),
      hitRateLimit(db, `staff:ip:${clientAddress(c, deps.trustProxy)}`, { limit: 50, windowMs: 15 * 60_000 }, now),
    ]);
    if (!byAddress.allowed || !byClient.allowed) {
      return page(c, <AdminLogin site={s} viewer={viewer} returnTo={returnTo} email={email} error="Too many attempts. Please wait a few minutes and try again." />, 429);
    }
    const result = await checkStaffLogin(db, { email, password, now });
    if (!result.ok) {
      deps.logger.warn({ reason: result.reason }, 'staff sign-in refused');
      const error = result.reason === 'locked' ? 'This account is locked after too many failed attempts. Try again in 15 minutes.' : 'That e-mail and password do not match.';
      return page(c, <AdminLogin site={s} viewer={viewer} returnTo={returnTo} email={email} error={error} />, result.reason === 'locked' ? 423 : 401);
    }
    const session = await createSession(db, { userId: result.userId }, { now, secret: deps.secret });
    setCookie(c, SESSION_COOKIE, session.cookieValue, cookieOptions(deps, Math.floor((session.expiresAt - now) / 1000)));
    return c.redirect(returnTo, 303);
  });

  app.post('/admin/logout', async (c) => {
    const viewer = await resolveViewer(c, deps);
    if (viewer.sessionId) await revokeSession(db, viewer.sessionId, deps.now());
    clearSessionCookie(c);
    return c.redirect('/admin/login', 303);
  });

  app.get('/admin/assets/:file', async (c) => {
    const assets = await adminAssets();
    const asset = [assets.script, assets.style].find((a) => a.path === c.req.path);
    if (!asset) return c.text('Not found', 404);
    return c.body(new Uint8Array(asset.body), 200, { 'content-type': asset.contentType, 'cache-control': 'public, max-age=31536000, immutable' });
  });

  app.get('/admin', async (c) => {
    const frame = await requireStaff(c, deps, 'stories:write');
    if (frame instanceof Response) return frame;
    const stories = await db
      .selectFrom('articles')
      .select((eb) => [
        eb.fn.countAll<number>().as('all'),
        eb.fn.sum<number>(eb.case().when(eb.and([eb('status', '=', 'draft'), eb('submitted_at', 'is', null)])).then(1).else(0).end()).as('drafts'),
        eb.fn.sum<number>(eb.case().when(eb.and([eb('status', '=', 'draft'), eb('submitted_at', 'is not', null)])).then(1).else(0).end()).as('submitted'),
        eb.fn.sum<number>(eb.case().when('status', '=', 'scheduled').then(1).else(0).end()).as('scheduled'),
      ])
      .executeTakeFirstOrThrow();
    const [readers, subscribers] = await Promise.all([
      db.selectFrom('readers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      db.selectFrom('subscriptions').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['active', 'trialing', 'past_due', 'canceled']).executeTakeFirstOrThrow(),
    ]);
    const counts = {
      articles: Number(stories.all),
      drafts: Number(stories.drafts ?? 0),
      submitted: Number(stories.submitted ?? 0),
      scheduled: Number(stories.scheduled ?? 0),
      readers: Number(readers.n),
      subscribers: Number(subscribers.n),
    };
    return c.html(await html(<AdminHome frame={frame} counts={counts} />));
  });

  for (const area of deps.areas ?? []) app.route('/', area);

  return app;
}
