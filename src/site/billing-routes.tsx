/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Subscribing and paying: the offers, checkout (Stripe Checkout or the demo provider's test
// page), gifts, and the provider webhooks. Webhooks read the raw body (signatures cover the
// exact bytes) and answer 400 to anything unsigned, stale or tampered, having changed nothing.
import { privatePage } from './private-page.ts';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Logger } from 'pino';
import { listOffers, listPlans, GIFT_MONTHS } from '../billing/catalog.ts';
import { BillingError, type BillingService } from '../billing/billing-service.ts';
import { processProviderEvent } from '../billing/webhooks.ts';
import { createBillingMail } from '../billing/billing-mail.ts';
import { SignatureError } from '../billing/types.ts';
import { DemoProvider } from '../billing/providers/demo.ts';
import { emailSchema, safeReturnTo } from '../accounts/magic-links.ts';
import type { SiteState } from './site-state.ts';
import { resolveViewer, type ViewerDeps } from './viewer.ts';
import { mailContext } from './account-routes.tsx';
import { DemoCheckoutPage, DemoPortalPage, GiftPage, SubscribePage } from './views/subscribe.tsx';
import { MessagePage } from './views/forms.tsx';
import { hitRateLimit } from '../accounts/rate-limit.ts';
import { clientAddress } from './client-address.ts';

export interface BillingDeps extends ViewerDeps {
  state: SiteState;
  billing: BillingService;
  logger: Logger;
  trustProxy: string | null;
  /** Runs queued provider deliveries and mail now (the demo provider delivers in-process). */
  runBillingJobs: () => Promise<void>;
}

const MAX_WEBHOOK_BYTES = 512 * 1024;

export function billingRoutes(deps: BillingDeps): Hono {
  const { db } = deps;
  const provider = deps.billing.provider;
  const app = new Hono();
  const site = async () => (await deps.state.current()).site;
  const page = privatePage;

  async function offersWithPlans() {
    const [offers, plans] = await Promise.all([listOffers(db), listPlans(db, { activeOnly: true })]);
    const byId = new Map(plans.map((p) => [p.id, p]));
    return offers.filter((o) => byId.has(o.planId)).map((offer) => ({ offer, plan: byId.get(offer.planId)! }));
  }

  app.get('/subscribe', async (c) => {
    const viewer = await resolveViewer(c, deps);
    return page(c, <SubscribePage site={await site()} viewer={viewer} offers={await offersWithPlans()} />);
  });

  app.post('/subscribe/checkout', async (c) => {
    const viewer = await resolveViewer(c, deps);
    if (!viewer.reader) return c.redirect('/login?return=/subscribe', 303);
    const form = await c.req.parseBody();
    const s = await site();
    try {
      const { url } = await deps.billing.startCheckout({
        reader: { id: viewer.reader.id, email: viewer.reader.email, customerId: viewer.reader.provider_customer_id },
        offerSlug: String(form.offer ?? ''),
        couponCode: String(form.coupon ?? '').trim() || null,
        publicUrl: s.publicUrl,
      });
      return c.redirect(url, 303);
    } catch (err) {
      if (err instanceof BillingError) {
        if (err.code === 'already-subscribed') return c.redirect('/account', 303);
        return page(c, <SubscribePage site={s} viewer={viewer} offers={await offersWithPlans()} error={err.message} />, 400);
      }
      throw err;
    }
  });

  app.get('/subscribe/thanks', async (c) => {
    const s = await site();
    return page(c, <MessagePage site={s} title="Thank you for subscribing" kicker="Welcome"><p>Your payment went through. Your subscription appears on <a href="/account">your account page</a> as soon as the payment provider confirms it, usually within seconds.</p></MessagePage>);
  });

  app.get('/gift', async (c) => {
    const viewer = await resolveViewer(c, deps);
    return page(c, <GiftPage site={await site()} viewer={viewer} plans={await listPlans(db, { activeOnly: true })} />);
  });

  const giftSchema = z.object({
    plan: z.string().min(1),
    months: z.coerce.number().refine((m) => (GIFT_MONTHS as readonly number[]).includes(m), 'choose 3, 6 or 12 months'),
    from_name: z.string().trim().min(1, 'your name is required').max(120),
    from_email: emailSchema,
    to_email: emailSchema,
    message: z.string().trim().max(500).default(''),
  });

  app.post('/gift', async (c) => {
    const viewer = await resolveViewer(c, deps);
    const s = await site();
    const plans = await listPlans(db, { activeOnly: true });
    const parsed = giftSchema.safeParse(await c.req.parseBody());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return page(c, <GiftPage site={s} viewer={viewer} plans={plans} error={`Please check the form: ${String(issue.path[0]).replace('_', ' ')} — ${issue.message}.`} />, 400);
    }
    const limited = await hitRateLimit(db, `gift:ip:${clientAddress(c, deps.trustProxy)}`, { limit: 20, windowMs: 3_600_000 }, deps.now());
    if (!limited.allowed) return page(c, <GiftPage site={s} viewer={viewer} plans={plans} error="Too many requests; please try again later." />, 429);
    const g = parsed.data;
    try {
      const { url } = await deps.billing.buyGift({ planSlug: g.plan, months: g.months, purchaserEmail: g.from_email, purchaserName: g.from_name, recipientEmail: g.to_email, message: g.message, publicUrl: s.publicUrl });
      return c.redirect(url, 303);
    } catch (err) {
      if (err instanceof BillingError) return page(c, <GiftPage site={s} viewer={viewer} plans={plans} error={err.message} />, 400);
      throw err;
    }
  });

  app.get('/gift/thanks', async (c) => page(c, <MessagePage site={await site()} title="Your gift is on its way"><p>We have e-mailed your recipient a link to redeem it, and sent you a receipt.</p></MessagePage>));

  app.get('/gift/redeem/:token', async (c) => {
    const viewer = await resolveViewer(c, deps);
    const token = c.req.param('token');
    const gift = await deps.billing.giftByToken(token);
    const s = await site();
    if (!gift) return page(c, <MessagePage site={s} title="This gift link is not valid"><p>Check that the whole link was copied from the e-mail.</p></MessagePage>, 404);
    if (gift.status === 'redeemed') return page(c, <MessagePage site={s} title="This gift has been redeemed"><p><a href="/account">Go to your account</a></p></MessagePage>, 410);
    const here = `/gift/redeem/${encodeURIComponent(token)}`;
    return page(c, (
      <MessagePage site={s} title={`${gift.fromName} gave you ${gift.months} months of ${gift.plan.name}`} kicker="A gift">
        {viewer.reader ? (
          <form class="form" method="post" action={here}>
            <input type="hidden" name="_csrf" value={viewer.csrfToken} />
            <button class="btn" type="submit">Start my gift subscription</button>
          </form>
        ) : (
          <p><a class="btn" href={`/login?return=${encodeURIComponent(safeReturnTo(here))}`}>Sign in or create your account to redeem it</a></p>
        )}
      </MessagePage>
    ));
  });

  app.post('/gift/redeem/:token', async (c) => {
    const viewer = await resolveViewer(c, deps);
    const token = c.req.param('token');
    if (!viewer.reader) return c.redirect(`/login?return=${encodeURIComponent(`/gift/redeem/${token}`)}`, 303);
    try {
      await deps.billing.redeemGift(token, viewer.reader.id);
      return c.redirect('/account?done=gift', 303);
    } catch (err) {
      if (err instanceof BillingError) return page(c, <MessagePage site={await site()} title="That gift could not be redeemed"><p>{err.message}</p></MessagePage>, 400);
      throw err;
    }
  });

  // The provider's webhook endpoint.
  app.post(`/webhooks/${provider.name}`, async (c) => {
    const length = Number(c.req.header('content-length') ?? 0);
    if (length > MAX_WEBHOOK_BYTES) return c.json({ error: 'payload too large' }, 413);
    const raw = await c.req.text();
    const signature = c.req.header(provider.name === 'stripe' ? 'stripe-signature' : 'demo-signature') ?? null;
    let event;
    try {
      event = provider.verifyWebhook(raw, signature, deps.now());
    } catch (err) {
      if (err instanceof SignatureError || err instanceof SyntaxError) {
        deps.logger.warn({ reason: err.message }, 'webhook rejected');
        return c.json({ error: 'invalid signature' }, 400);
      }
      throw err;
    }
    const s = await site();
    const outcome = await processProviderEvent({ db, provider, mail: createBillingMail(mailContext(s)), now: deps.now, logger: deps.logger }, event);
    deps.logger.debug({ eventId: event.id, kind: event.kind, status: outcome.status }, 'webhook processed');
    return c.json({ received: true, status: outcome.status });
  });

  if (provider instanceof DemoProvider) {
    const demo = provider;
    app.get('/billing/demo/checkout/:id', async (c) => {
      const viewer = await resolveViewer(c, deps);
      const checkout = await demo.checkout(c.req.param('id'));
      const s = await site();
      if (!checkout || checkout.status !== 'open') return page(c, <MessagePage site={s} title="This checkout is closed"><p><a href="/account">Go to your account</a></p></MessagePage>, 404);
      return page(c, <DemoCheckoutPage site={s} viewer={viewer} checkoutId={checkout.id} email={checkout.email} description={checkout.description} amountCents={checkout.amountCents} currency={checkout.currency} isTrial={Boolean(checkout.trialDays)} />);
    });

    app.post('/billing/demo/checkout/:id', async (c) => {
      const viewer = await resolveViewer(c, deps);
      const checkout = await demo.checkout(c.req.param('id'));
      const s = await site();
      if (!checkout) return page(c, <MessagePage site={s} title="This checkout is closed" />, 404);
      const card = String((await c.req.parseBody()).card ?? '');
      const result = await demo.pay(checkout.id, card);
      if (!result.ok) {
        if (result.reason === 'checkout-closed') return c.redirect(checkout.successUrl.replace('{CHECKOUT_SESSION_ID}', checkout.id), 303);
        if (result.reason === 'already-subscribed') return c.redirect('/account', 303);
        const error = result.reason === 'card-declined' ? 'Your card was declined. Try another test card.' : 'That is not one of the test card numbers listed below.';
        return page(c, <DemoCheckoutPage site={s} viewer={viewer} checkoutId={checkout.id} email={checkout.email} description={checkout.description} amountCents={checkout.amountCents} currency={checkout.currency} isTrial={Boolean(checkout.trialDays)} error={error} />, 402);
      }
      // As Stripe would, the provider now sends its events to our webhook.
      await deps.runBillingJobs();
      return c.redirect(result.redirectTo, 303);
    });

    app.get('/billing/demo/portal/:token', async (c) => {
      const viewer = await resolveViewer(c, deps);
      const customer = await demo.portalCustomer(c.req.param('token'));
      const s = await site();
      if (!customer) return page(c, <MessagePage site={s} title="This link is not valid" />, 404);
      const returnUrl = sameSiteUrl(c.req.query('return'), s.publicUrl);
      return page(c, <DemoPortalPage site={s} viewer={viewer} token={c.req.param('token')} returnUrl={returnUrl} last4={customer.last4} />);
    });

    app.post('/billing/demo/portal/:token', async (c) => {
      const viewer = await resolveViewer(c, deps);
      const token = c.req.param('token');
      const customer = await demo.portalCustomer(token);
      const s = await site();
      if (!customer) return page(c, <MessagePage site={s} title="This link is not valid" />, 404);
      const form = await c.req.parseBody();
      const returnUrl = sameSiteUrl(String(form.return ?? ''), s.publicUrl);
      const result = await demo.updateCard(customer.id, String(form.card ?? ''));
      if (!result.ok) return page(c, <DemoPortalPage site={s} viewer={viewer} token={token} returnUrl={returnUrl} last4={customer.last4} error={result.reason === 'card-declined' ? 'That card was declined.' : 'That is not a test card number.'} />, 402);
      await deps.runBillingJobs();
      return c.redirect(returnUrl, 303);
    });
  }

  return app;
}

/** An absolute URL on this site, or the account page. */
function sameSiteUrl(value: string | undefined, publicUrl: string): string {
  if (value && value.startsWith(publicUrl + '/')) return publicUrl + safeReturnTo(value.slice(publicUrl.length));
  return `${publicUrl}/account`;
}
