/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Newsletters on the site: the lists and sign-up form, the double opt-in, the unsubscribe
// page and its one-click POST (RFC 8058), the click-counting redirect, and the mail
// service's bounce and complaint webhook. Fixed paths only: the archive (/newsletters/:list)
// is mounted after these.
import { Hono, type Context } from 'hono';
import type { Logger } from 'pino';
import type { EventLog } from '../analytics/events.ts';
import { hashToken } from '../accounts/tokens.ts';
import { confirmSignup, currentAddress, peekSignup, readerLists, resubscribe, signUp, unsubscribe } from '../newsletters/members.ts';
import { clickEventDetail, readClick, readUnsubscribeToken } from '../newsletters/links.ts';
import { getList, loadLists } from '../newsletters/lists.ts';
import { recordFeedback } from '../newsletters/suppression.ts';
import { MAIL_WEBHOOK_PATH, SIGNATURE_HEADER, checkSignature, parseFeedback } from '../newsletters/feedback-webhook.ts';
import { readGateToken } from '../paywall/gate-links.ts';
import { clientAddress } from './client-address.ts';
import { privatePage } from './private-page.ts';
import { errorPage } from './reader-routes.tsx';
import { mailContext } from './account-routes.tsx';
import type { SiteState } from './site-state.ts';
import { resolveViewer, type ViewerDeps } from './viewer.ts';
import {
  ConfirmSignupPage, NewsletterLinkProblemPage, NewslettersPage, ResubscribedPage, SignupConfirmedPage, SignupSentPage, UnsubscribePage, UnsubscribedPage,
  type NewslettersPageProps,
} from './views/newsletters.tsx';

export interface NewsletterRouteDeps extends ViewerDeps {
  state: SiteState;
  logger: Logger;
  trustProxy: string | null;
  events: EventLog;
  /** Asks the mail flusher to run soon (after a confirmation message was queued). */
  kickMail: () => void;
  /** Key of the bounce and complaint webhook's signatures. */
  mailWebhookSecret: string;
}

/** The one POST that needs no form token: a mail client's one-click unsubscribe carries none. */
export const ONE_CLICK_UNSUBSCRIBE_PATH = '/newsletters/unsubscribe';

export function newsletterSiteRoutes(deps: NewsletterRouteDeps): Hono {
  const { db } = deps;
  const app = new Hono();
  const site = async () => (await deps.state.current()).site;

  const listsPage = async (c: Context, extra: Partial<NewslettersPageProps> = {}, status = 200) => {
    const viewer = await resolveViewer(c, deps);
    const lists = await loadLists(db, { activeOnly: true });
    const mine = viewer.reader ? await readerLists(db, viewer.reader, deps.now()) : null;
    return privatePage(c, (
      <NewslettersPage
        site={await site()}
        viewer={viewer}
        open={lists.filter((l) => l.isOpenToSignups)}
        forSubscribers={lists.filter((l) => !l.isOpenToSignups && l.entitlement !== null)}
        mine={mine}
        {...extra}
      />
    ), status);
  };

  app.get('/newsletters', async (c) => {
    const email = (c.req.query('email') ?? '').trim().slice(0, 254);
    const slug = c.req.query('list');
    const list = slug ? await getList(db, { slug }) : null;
    return listsPage(c, { ...(email ? { email } : {}), ...(list ? { selectedListId: list.id } : {}) });
  });

  app.post('/newsletters/signup', async (c) => {
    const form = await c.req.parseBody();
    const typed = String(form.email ?? '').slice(0, 254);
    const listId = Number(form.list);
    const now = deps.now();
    const s = await site();
    const result = await signUp(db, { listId: Number.isSafeInteger(listId) ? listId : 0, email: typed, clientKey: clientAddress(c, deps.trustProxy), mail: mailContext(s) }, now);
    const kept = { email: typed, ...(Number.isSafeInteger(listId) ? { selectedListId: listId } : {}) };
    if (!result.ok) {
      if (result.reason === 'invalid-email') return listsPage(c, { ...kept, error: 'Please enter a valid e-mail address.' }, 400);
      if (result.reason === 'list-closed') return listsPage(c, { ...kept, error: 'That newsletter is not open to sign-ups. Please choose another.' }, 400);
      c.header('retry-after', '3600');
      return listsPage(c, { ...kept, error: 'Too many sign-ups from here or for this address. Please try again in an hour.' }, 429);
    }
    if (result.state === 'confirmation-sent') deps.kickMail();
    deps.logger.info({ listId, address: hashToken(typed.trim().toLowerCase()).slice(0, 12) }, 'newsletter sign-up');
    const list = (await getList(db, { id: listId }))!;
    // The same page whether the address was new, pending or already on the list.
    return privatePage(c, <SignupSentPage site={s} email={typed.trim().toLowerCase()} list={list} />);
  });

  // A GET only shows the button: mail scanners that open links must not confirm sign-ups.
  app.get('/newsletters/confirm', async (c) => {
    const token = c.req.query('t') ?? '';
    const peek = await peekSignup(db, token, deps.now());
    const s = await site();
    if (!peek.ok) return privatePage(c, <NewsletterLinkProblemPage site={s} reason={peek.reason} />, peek.reason === 'expired' ? 410 : 400);
    return privatePage(c, <ConfirmSignupPage site={s} viewer={await resolveViewer(c, deps)} token={token} email={peek.email} list={peek.list} />);
  });

  app.post('/newsletters/confirm', async (c) => {
    const form = await c.req.parseBody();
    const token = String(form.t ?? c.req.query('t') ?? '');
    const result = await confirmSignup(db, token, deps.now());
    const s = await site();
    if (!result.ok) return privatePage(c, <NewsletterLinkProblemPage site={s} reason={result.reason} />, result.reason === 'expired' ? 410 : 400);
    deps.logger.info({ listId: result.list.id }, 'newsletter sign-up confirmed');
    return privatePage(c, <SignupConfirmedPage site={s} list={result.list} />);
  });

  // What an unsubscribe link leads to; a GET changes nothing. A reader's copy acts on (and
  // shows) the reader's current address, which may have changed since the issue went out.
  const readTarget = async (c: Context) => {
    const token = c.req.query('t') ?? '';
    const read = readUnsubscribeToken(token, deps.secret);
    if (!read) return { token, target: null, list: null } as const;
    const target = { ...read, email: await currentAddress(db, read) };
    return { token, target, list: await getList(db, { id: target.listId }) } as const;
  };

  app.get('/newsletters/unsubscribe', async (c) => {
    const { token, target, list } = await readTarget(c);
    const s = await site();
    if (!target) return privatePage(c, <NewsletterLinkProblemPage site={s} reason="invalid" />, 400);
    if (!list) return privatePage(c, <NewsletterLinkProblemPage site={s} reason="unknown-list" />, 404);
    return privatePage(c, <UnsubscribePage site={s} token={token} email={target.email} list={list} />);
  });

  // The page's button and a mail client's one-click POST (body "List-Unsubscribe=One-Click",
  // no cookies, no form token): the signed token in the address is the authority.
  app.post(ONE_CLICK_UNSUBSCRIBE_PATH, async (c) => {
    const { token, target } = await readTarget(c);
    const s = await site();
    if (!target) return privatePage(c, <NewsletterLinkProblemPage site={s} reason="invalid" />, 400);
    const result = await unsubscribe(db, target, deps.now());
    if (!result.ok) return privatePage(c, <NewsletterLinkProblemPage site={s} reason="unknown-list" />, 404);
    if (result.wasMember || result.list.entitlement) deps.logger.info({ listId: result.list.id, wasMember: result.wasMember }, 'newsletter unsubscribe');
    return privatePage(c, <UnsubscribedPage site={s} viewer={await resolveViewer(c, deps)} token={token} email={target.email} list={result.list} />);
  });

  app.post('/newsletters/resubscribe', async (c) => {
    const { target } = await readTarget(c);
    const s = await site();
    if (!target) return privatePage(c, <NewsletterLinkProblemPage site={s} reason="invalid" />, 400);
    const result = await resubscribe(db, target, deps.now());
    if (!result.ok) return privatePage(c, <NewsletterLinkProblemPage site={s} reason="unknown-list" />, result.reason === 'unknown-list' ? 404 : 400);
    return privatePage(c, <ResubscribedPage site={s} list={result.list} />);
  });

  // Counts the click, then leads to the story on this site (never anywhere else).
  app.get('/newsletters/click', async (c) => {
    const click = readClick({ s: c.req.query('s'), u: c.req.query('u'), m: c.req.query('m') }, deps.secret);
    if (!click) return errorPage(c, await site(), 400);
    const articleId = await articleOf(click.path);
    deps.events.record({ kind: 'newsletter-click', articleId, detail: clickEventDetail(click.sendId), at: deps.now() });
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    return c.redirect(click.path, 302);
  });

  const articleOf = async (path: string): Promise<number | null> => {
    const url = new URL(path, 'http://masthead.invalid');
    const gate = readGateToken(url.searchParams.get('access'), deps.secret);
    if (gate) return gate.a;
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(url.pathname);
    } catch {
      return null;
    }
    const row = await db.selectFrom('articles').select('id').where('url_path', '=', urlPath).executeTakeFirst();
    return row?.id ?? null;
  };

  // Bounces and complaints from the mail service: signed, each report recorded once.
  app.post(MAIL_WEBHOOK_PATH, async (c) => {
    const body = await c.req.text();
    const now = deps.now();
    const signature = checkSignature(c.req.header(SIGNATURE_HEADER), body, { secret: deps.mailWebhookSecret, now });
    if (!signature.ok) {
      deps.logger.warn({ reason: signature.reason }, 'mail webhook refused');
      return c.json({ error: 'invalid signature', reason: signature.reason }, 400);
    }
    const parsed = parseFeedback(body);
    if (!parsed.ok) return c.json({ error: parsed.reason, detail: parsed.detail }, 400);
    let recorded = 0;
    let suppressed = 0;
    for (const event of parsed.events) {
      const r = await recordFeedback(db, event, now);
      if (r.recorded) recorded += 1;
      if (r.suppressed) suppressed += 1;
    }
    if (suppressed > 0) deps.logger.info({ suppressed }, 'addresses suppressed by mail feedback');
    return c.json({ received: parsed.events.length, recorded, suppressed });
  });

  return app;
}
