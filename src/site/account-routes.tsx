/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Reader accounts: sign in by e-mailed link, sign out (here or everywhere), the account page
// and its forms. Every POST has passed the CSRF check in app.ts; handlers parse, call one use
// case, then render or redirect.
import { privatePage } from './private-page.ts';
import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { Logger } from 'pino';
import { emailSchema, issueEmailChangeToken, issueLoginToken, peekToken, redeemLoginToken, safeReturnTo } from '../accounts/magic-links.ts';
import { createSession, revokeReaderSessions, revokeSession } from '../accounts/sessions.ts';
import { hitRateLimit } from '../accounts/rate-limit.ts';
import { loginLinkMail, emailChangeMail } from '../accounts/account-mail.ts';
import { confirmEmailChange, deleteReader, exportReaderData, setReaderName } from '../accounts/readers.ts';
import { readerLists, setReaderLists } from '../newsletters/members.ts';
import { hashToken } from '../accounts/tokens.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { listPlans } from '../billing/catalog.ts';
import { readerSubscriptions } from '../billing/subscription-store.ts';
import { BillingError, loadEntitlements, type BillingService } from '../billing/billing-service.ts';
import type { SiteState } from './site-state.ts';
import { clientAddress } from './client-address.ts';
import { SESSION_COOKIE, clearSessionCookie, cookieOptions, resolveViewer, setPrivate, type ViewerDeps } from './viewer.ts';
import { AccountPage, CheckInboxPage, ConfirmPage, InvalidLinkPage, LoginPage } from './views/account.tsx';
import { MessagePage } from './views/forms.tsx';
import type { SiteContext } from './site-context.ts';
import type { MeterStore } from '../paywall/meter-store.ts';
import { getPolicy } from '../paywall/policy-store.ts';
import { issueGiftLink } from '../paywall/gate-links.ts';
import { getArticleById } from '../content/queries.ts';
import { meterWindow } from '../paywall/meter-policy.ts';

export interface AccountDeps extends ViewerDeps {
  state: SiteState;
  billing: BillingService;
  trustProxy: string | null;
  logger: Logger;
  /** Asks the mail flusher to run soon (after a message was queued). */
  kickMail: () => void;
  meter: MeterStore;
}

export const LOGIN_LIMITS = {
  perAddress: { limit: 5, windowMs: 3_600_000 },
  perClient: { limit: 30, windowMs: 3_600_000 },
};

export function mailContext(site: SiteContext) {
  return { publicationName: site.publication.name, publicUrl: site.publicUrl, timeZone: site.publication.timeZone };
}

export function accountRoutes(deps: AccountDeps): Hono {
  const { db } = deps;
  const app = new Hono();

  const page = privatePage;
  const site = async () => (await deps.state.current()).site;

  app.get('/login', async (c) => {
    const viewer = await resolveViewer(c, deps);
    const returnTo = safeReturnTo(c.req.query('return'));
    if (viewer.reader) return c.redirect(returnTo, 303);
    return page(c, <LoginPage site={await site()} viewer={viewer} returnTo={returnTo} />);
  });

  app.post('/login', async (c) => {
    const viewer = await resolveViewer(c, deps);
    const form = await c.req.parseBody();
    const returnTo = safeReturnTo(String(form.return ?? ''));
    const parsed = emailSchema.safeParse(String(form.email ?? ''));
    const s = await site();
    if (!parsed.success) return page(c, <LoginPage site={s} viewer={viewer} returnTo={returnTo} email={String(form.email ?? '').slice(0, 254)} error="Please enter a valid e-mail address." />, 400);
    const email = parsed.data;
    const now = deps.now();
    const [byAddress, byClient] = await Promise.all([
      hitRateLimit(db, `login:addr:${hashToken(email)}`, LOGIN_LIMITS.perAddress, now),
      hitRateLimit(db, `login:ip:${clientAddress(c, deps.trustProxy)}`, LOGIN_LIMITS.perClient, now),
    ]);
    if (!byAddress.allowed || !byClient.allowed) {
      const retry = Math.ceil(Math.max(byAddress.allowed ? 0 : byAddress.retryAfterMs, byClient.allowed ? 0 : byClient.retryAfterMs) / 60_000);
      c.header('retry-after', String(retry * 60));
      return page(c, <LoginPage site={s} viewer={viewer} returnTo={returnTo} email={email} error={`Too many sign-in requests. Please try again in ${retry} minutes.`} />, 429);
    }
    // Known and unknown addresses take the same path and get the same page.
    const { token, isNewReader } = await issueLoginToken(db, { email, returnTo, now });
    await enqueueMail(db, { ...loginLinkMail(mailContext(s), { to: email, token, isNewReader }), dedupeKey: `login:${hashToken(token)}` }, now);
    deps.kickMail();
    return page(c, <CheckInboxPage site={s} email={email} />);
  });

  // A GET only shows the button: mail scanners that open links do not spend them.
  app.get('/login/confirm', async (c) => {
    const viewer = await resolveViewer(c, deps);
    const token = c.req.query('token') ?? '';
    const peek = await peekToken(db, token, 'login', deps.now());
    const s = await site();
    if (!peek.ok) return page(c, <InvalidLinkPage site={s} />, 400);
    return page(c, <ConfirmPage site={s} viewer={viewer} action="/login/confirm" token={token} email={peek.email} title="Continue signing in" button="Sign in" />);
  });

  app.post('/login/confirm', async (c) => {
    const form = await c.req.parseBody();
    const now = deps.now();
    const result = await redeemLoginToken(db, String(form.token ?? ''), now);
    if (!result.ok) return page(c, <InvalidLinkPage site={await site()} />, 400);
    // Signing in as someone (else) ends the session this browser had.
    const previous = await resolveViewer(c, deps);
    if (previous.sessionId) await revokeSession(db, previous.sessionId, now);
    // What this browser read before signing in now counts on the account.
    const window = meterWindow(await getPolicy(db), now, (await site()).publication.timeZone);
    await deps.meter.merge(`a:${previous.browserId}`, `r:${result.readerId}`, window.key, window.since);
    const session = await createSession(db, { readerId: result.readerId }, { now, secret: deps.secret });
    setCookie(c, SESSION_COOKIE, session.cookieValue, cookieOptions(deps, Math.floor((session.expiresAt - now) / 1000)));
    deps.logger.info({ readerId: result.readerId, isNew: result.isNewReader }, 'reader signed in');
    return c.redirect(safeReturnTo(result.returnTo), 303);
  });

  app.post('/logout', async (c) => {
    const viewer = await resolveViewer(c, deps);
    if (viewer.sessionId) await revokeSession(db, viewer.sessionId, deps.now());
    clearSessionCookie(c);
    return c.redirect('/', 303);
  });

  // Everything below needs a signed-in reader.
  const requireReader = async (c: Context) => {
    const viewer = await resolveViewer(c, deps);
    return viewer.reader ? viewer : null;
  };
  const toLogin = (c: Context) => c.redirect(`/login?return=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303);

  app.get('/account', async (c) => {
    const viewer = await requireReader(c);
    if (!viewer) return toLogin(c);
    const reader = viewer.reader!;
    const now = deps.now();
    const [subs, plans, entitlements, payments, gifts, newsletters] = await Promise.all([
      readerSubscriptions(db, reader.id),
      listPlans(db),
      loadEntitlements(db, reader, { isStaff: false, now }),
      db.selectFrom('payments').select(['amount_cents', 'currency', 'status', 'created_at', 'kind']).where('reader_id', '=', reader.id).orderBy('created_at', 'desc').limit(24).execute(),
      db.selectFrom('gifts').select(['ends_at', 'months', 'purchaser_name']).where('redeemed_by', '=', reader.id).execute(),
      readerLists(db, reader, now),
    ]);
    const planById = new Map(plans.map((p) => [p.id, p]));
    const message = MESSAGES[c.req.query('done') ?? ''];
    return page(c, <AccountPage site={await site()} viewer={viewer} data={{ reader, subscriptions: subs.map((sub) => ({ sub, plan: planById.get(sub.planId) ?? null })), plans: plans.filter((p) => p.isActive), entitlements, payments, gifts, newsletters, message }} />);
  });

  app.post('/account/name', async (c) => {
    const viewer = await requireReader(c);
    if (!viewer) return toLogin(c);
    await setReaderName(db, viewer.reader!.id, String((await c.req.parseBody()).name ?? ''));
    return c.redirect('/account?done=name', 303);
  });

  app.post('/account/email', async (c) => {
    const viewer = await requireReader(c);
    if (!viewer) return toLogin(c);
    const parsed = emailSchema.safeParse(String((await c.req.parseBody()).email ?? ''));
    const s = await site();
    if (!parsed.success) return page(c, <MessagePage site={s} title="That e-mail address is not valid"><p><a href="/account">Back to your account</a></p></MessagePage>, 400);
    const now = deps.now();
    const limited = await hitRateLimit(db, `email-change:${viewer.reader!.id}`, LOGIN_LIMITS.perAddress, now);
    if (!limited.allowed) return page(c, <MessagePage site={s} title="Too many requests"><p>Please try again later.</p></MessagePage>, 429);
    if (parsed.data === viewer.reader!.email) return c.redirect('/account', 303);
    const token = await issueEmailChangeToken(db, { readerId: viewer.reader!.id, newEmail: parsed.data, now });
    await enqueueMail(db, { ...emailChangeMail(mailContext(s), { to: parsed.data, token }), dedupeKey: `email-change:${hashToken(token)}` }, now);
    deps.kickMail();
    return c.redirect('/account?done=email-sent', 303);
  });

  app.get('/account/email/confirm', async (c) => {
    const viewer = await resolveViewer(c, deps);
    const token = c.req.query('token') ?? '';
    const peek = await peekToken(db, token, 'email-change', deps.now());
    const s = await site();
    if (!peek.ok) return page(c, <InvalidLinkPage site={s} />, 400);
    return page(c, <ConfirmPage site={s} viewer={viewer} action="/account/email/confirm" token={token} email={peek.email} title="Confirm your new e-mail address" button="Confirm" />);
  });

  app.post('/account/email/confirm', async (c) => {
    // The address and the newsletter memberships change in one transaction.
    const result = await confirmEmailChange(db, String((await c.req.parseBody()).token ?? ''), deps.now());
    const s = await site();
    if (!result.ok) {
      if (result.reason === 'email-taken') return page(c, <MessagePage site={s} title="That address belongs to another account"><p>Sign in with it instead, or choose another.</p></MessagePage>, 409);
      return page(c, <InvalidLinkPage site={s} />, 400);
    }
    return c.redirect('/account?done=email', 303);
  });

  app.post('/account/newsletters', async (c) => {
    const viewer = await requireReader(c);
    if (!viewer) return toLogin(c);
    const form = await c.req.parseBody({ all: true });
    const chosen = form.newsletters === undefined ? [] : ([] as unknown[]).concat(form.newsletters).map(String);
    // Ticked lists by slug; unknown or closed ones are ignored by setReaderLists.
    const now = deps.now();
    const offered = await readerLists(db, viewer.reader!, now);
    await setReaderLists(db, viewer.reader!, offered.filter((s) => chosen.includes(s.list.slug)).map((s) => s.list.id), now);
    return c.redirect('/account?done=newsletters', 303);
  });

  app.get('/account/export', async (c) => {
    const viewer = await requireReader(c);
    if (!viewer) return toLogin(c);
    setPrivate(c);
    c.header('content-disposition', 'attachment; filename="my-data.json"');
    return c.json(await exportReaderData(db, viewer.reader!.id, deps.now()));
  });

  app.post('/account/logout-everywhere', async (c) => {
    const viewer = await requireReader(c);
    if (!viewer) return toLogin(c);
    await revokeReaderSessions(db, viewer.reader!.id, deps.now());
    clearSessionCookie(c);
    return c.redirect('/login', 303);
  });

  app.post('/account/delete', async (c) => {
    const viewer = await requireReader(c);
    if (!viewer) return toLogin(c);
    const reader = viewer.reader!;
    const confirm = String((await c.req.parseBody()).confirm ?? '').trim().toLowerCase();
    const s = await site();
    if (confirm !== reader.email) return page(c, <MessagePage site={s} title="Your account was not deleted"><p>The address you typed did not match your account's. <a href="/account">Back to your account</a></p></MessagePage>, 400);
    await deps.billing.cancelAllNow(reader.id);
    await deleteReader(db, reader.id);
    clearSessionCookie(c);
    deps.logger.info({ readerId: reader.id }, 'reader deleted their account');
    return page(c, <MessagePage site={s} title="Your account has been deleted"><p>Thank you for reading. <a href="/">Back to the front page</a></p></MessagePage>);
  });

  const subscriptionAction = (action: 'cancel' | 'resume' | 'switch') =>
    async (c: Context) => {
      const viewer = await requireReader(c);
      if (!viewer) return toLogin(c);
      const id = Number(c.req.param('id'));
      try {
        if (action === 'switch') await deps.billing.switchPlan(viewer.reader!.id, id, Number((await c.req.parseBody()).plan));
        else await deps.billing.setCanceled(viewer.reader!.id, id, action === 'cancel');
      } catch (err) {
        if (err instanceof BillingError) return page(c, <MessagePage site={await site()} title="That did not work"><p>{err.message} <a href="/account">Back to your account</a></p></MessagePage>, 400);
        throw err;
      }
      return c.redirect(`/account?done=${action}`, 303);
    };
  app.post('/account/subscription/:id{[0-9]+}/cancel', subscriptionAction('cancel'));
  app.post('/account/subscription/:id{[0-9]+}/resume', subscriptionAction('resume'));
  app.post('/account/subscription/:id{[0-9]+}/switch', subscriptionAction('switch'));

  // Subscribers share a story: a gift link anyone can open, free, for 14 days.
  const giftLinkPage = async (c: Context, result?: { url?: string; error?: string; remaining?: number }) => {
    const viewer = await requireReader(c);
    if (!viewer) return toLogin(c);
    const s = await site();
    const articleId = Number(c.req.query('article') ?? (await c.req.parseBody()).article);
    const article = Number.isInteger(articleId) && articleId > 0 ? await getArticleById(db, articleId) : null;
    if (!article) return page(c, <MessagePage site={s} title="That article was not found" />, 404);
    const entitlements = await loadEntitlements(db, viewer.reader!, { isStaff: false, now: deps.now() });
    if (!entitlements.web) return page(c, <MessagePage site={s} title="Gift links are for subscribers"><p><a href="/subscribe">Subscribe</a> to share stories with anyone.</p></MessagePage>, 403);
    return page(c, (
      <MessagePage site={s} title="Gift this article" kicker="For subscribers">
        <p><strong>{article.headline}</strong></p>
        {result?.url ? (
          <>
            <p>Send this link to anyone: they can read the story in full, free, for 14 days.</p>
            <p><input class="gift-url" type="text" readonly value={result.url} aria-label="Gift link" /></p>
            <p class="hint">{result.remaining} gift links left this month.</p>
          </>
        ) : result?.error ? <p class="notice">{result.error}</p> : null}
        {!result?.url ? (
          <form class="form" method="post" action={`/gift-link?article=${article.id}`}>
            <input type="hidden" name="_csrf" value={viewer.csrfToken} />
            <input type="hidden" name="article" value={String(article.id)} />
            <button class="btn" type="submit">Create a gift link</button>
          </form>
        ) : null}
        <p><a href={article.urlPath}>Back to the article</a></p>
      </MessagePage>
    ));
  };
  app.get('/gift-link', (c) => giftLinkPage(c));
  app.post('/gift-link', async (c) => {
    const viewer = await requireReader(c);
    if (!viewer) return toLogin(c);
    const articleId = Number((await c.req.parseBody()).article);
    const article = Number.isInteger(articleId) && articleId > 0 ? await getArticleById(db, articleId) : null;
    const entitlements = await loadEntitlements(db, viewer.reader!, { isStaff: false, now: deps.now() });
    if (!article || !entitlements.web) return giftLinkPage(c);
    const issued = await issueGiftLink(db, { readerId: viewer.reader!.id, articleId, now: deps.now(), secret: deps.secret });
    if (!issued.ok) return giftLinkPage(c, { error: 'You have used all your gift links for this month.' });
    const s = await site();
    return giftLinkPage(c, { url: `${s.absolute(article.urlPath)}?access=${issued.token}`, remaining: issued.remaining });
  });

  app.post('/account/billing', async (c) => {
    const viewer = await requireReader(c);
    if (!viewer) return toLogin(c);
    const s = await site();
    try {
      return c.redirect(await deps.billing.portalUrl({ customerId: viewer.reader!.provider_customer_id }, `${s.publicUrl}/account`), 303);
    } catch (err) {
      if (err instanceof BillingError) return page(c, <MessagePage site={s} title="No card on file"><p>{err.message} <a href="/account">Back to your account</a></p></MessagePage>, 400);
      throw err;
    }
  });

  return app;
}

const MESSAGES: Record<string, string> = {
  name: 'Your name has been saved.',
  'email-sent': 'We sent a confirmation link to your new address. Open it to finish the change.',
  email: 'Your e-mail address has been changed.',
  newsletters: 'Your newsletter choices have been saved.',
  cancel: 'Your subscription is canceled. You keep access until the end of the period you paid for.',
  resume: 'Welcome back: your subscription will renew as before.',
  switch: 'Your plan has been changed.',
};
