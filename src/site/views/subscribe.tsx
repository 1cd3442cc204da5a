/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Selling: the subscribe page with its offers spelled out, gifts, and the demo provider's
// checkout and card pages (clearly marked as a test).
import type { SiteContext } from '../site-context.ts';
import type { Viewer } from '../viewer.ts';
import type { Offer, Plan } from '../../billing/types.ts';
import { ENTITLEMENT_LABELS, GIFT_MONTHS, formatMoney, giftPriceCents } from '../../billing/catalog.ts';
import { DEMO_CARDS } from '../../billing/providers/demo.ts';
import { Layout } from './layout.tsx';
import { Csrf, Notice } from './forms.tsx';

export function SubscribePage(props: { site: SiteContext; viewer: Viewer; offers: { offer: Offer; plan: Plan }[]; error?: string }) {
  const { site, viewer } = props;
  const signedIn = Boolean(viewer.reader);
  return (
    <Layout site={site} meta={{ title: 'Subscribe', description: `Subscribe to ${site.publication.name}: unlimited access to the site, the Daily e-mail and the Weekly magazine.`, canonical: site.absolute('/subscribe') }}>
      <h1 class="page-title">Subscribe to {site.publication.name}</h1>
      <p class="page-intro">Independent journalism is paid for by its readers. Choose the subscription that suits you; cancel whenever you like.</p>
      {props.error ? <Notice>{props.error}</Notice> : null}
      {!signedIn ? <Notice>First <a href="/login?return=/subscribe">sign in or create your free account</a> — it takes one e-mail — then choose your offer.</Notice> : null}
      <div class="offers">
        {props.offers.map(({ offer, plan }, i) => (
          <section class={i === 0 ? 'offer offer-featured' : 'offer'} aria-labelledby={`offer-${offer.slug}`}>
            <h2 id={`offer-${offer.slug}`}>{plan.name}</h2>
            <p class="price">{offer.headline}</p>
            <p class="hint">{plan.description}</p>
            <ul>{plan.entitlements.map((e) => <li>{ENTITLEMENT_LABELS[e]}</li>)}</ul>
            <p class="hint">Then {formatMoney(plan.priceCents, plan.currency)} a {plan.interval}. Cancel any time.</p>
            {signedIn ? (
              <form method="post" action="/subscribe/checkout">
                <Csrf viewer={viewer} />
                <input type="hidden" name="offer" value={offer.slug} />
                {offer.introTotalCents === null ? <label class="hint">Coupon code (optional)<input type="text" name="coupon" maxlength={40} autocomplete="off" aria-label={`Coupon code for ${plan.name}`} /></label> : null}
                <button class="btn" type="submit" data-offer={offer.slug}>Subscribe</button>
              </form>
            ) : (
              <a class="btn" href={`/login?return=${encodeURIComponent('/subscribe')}`}>Sign in to subscribe</a>
            )}
          </section>
        ))}
      </div>
      <p>Buying for someone else? <a href="/gift">Give a subscription</a>.</p>
    </Layout>
  );
}

export function GiftPage(props: { site: SiteContext; viewer: Viewer; plans: Plan[]; error?: string }) {
  const { site, viewer } = props;
  return (
    <Layout site={site} meta={{ title: 'Give a subscription', description: `Give ${site.publication.name} to someone for 3, 6 or 12 months.`, canonical: site.absolute('/gift') }}>
      <div class="narrow">
        <h1 class="page-title">Give a subscription</h1>
        <p class="page-intro">A gift of 3, 6 or 12 months, paid once. We e-mail your recipient a link to redeem it; it never renews.</p>
        {props.error ? <Notice>{props.error}</Notice> : null}
        <form class="form" method="post" action="/gift">
          <Csrf viewer={viewer} />
          <label>Subscription
            <select name="plan">{props.plans.map((p) => <option value={p.slug}>{p.name}</option>)}</select>
          </label>
          <label>Length
            <select name="months">{GIFT_MONTHS.map((m) => <option value={String(m)}>{m} months{props.plans[0] ? ` — from ${formatMoney(giftPriceCents(props.plans[0], m), props.plans[0].currency)}` : ''}</option>)}</select>
          </label>
          <label>Your name<input type="text" name="from_name" maxlength={120} required autocomplete="name" /></label>
          <label>Your e-mail (for the receipt)<input type="email" name="from_email" required autocomplete="email" value={viewer.reader?.email ?? ''} /></label>
          <label>Their e-mail<input type="email" name="to_email" required autocomplete="off" /></label>
          <label>A message (optional)<textarea name="message" maxlength={500}></textarea></label>
          <button class="btn" type="submit">Continue to payment</button>
        </form>
      </div>
    </Layout>
  );
}

export function DemoCheckoutPage(props: { site: SiteContext; viewer: Viewer; checkoutId: string; email: string; description: string; amountCents: number; currency: string; isTrial: boolean; error?: string }) {
  const { site, viewer } = props;
  return (
    <Layout site={site} meta={{ title: 'Test checkout', description: 'Demo payment provider: no real money moves.', isNoindex: true }}>
      <div class="narrow">
        <p class="test-banner" role="note">TEST MODE — this is the demo payment provider. No real card is charged and no money moves. Use a test card number below.</p>
        <h1 class="page-title">Checkout</h1>
        <dl class="kv">
          <dt>For</dt><dd>{props.email}</dd>
          <dt>Buying</dt><dd>{props.description}</dd>
          <dt>Due today</dt><dd data-amount>{props.isTrial ? `${formatMoney(0, props.currency)} (free trial)` : formatMoney(props.amountCents, props.currency)}</dd>
        </dl>
        {props.error ? <Notice>{props.error}</Notice> : null}
        <form class="form" method="post" action={`/billing/demo/checkout/${props.checkoutId}`}>
          <Csrf viewer={viewer} />
          <label>Test card number<input type="text" name="card" inputmode="numeric" autocomplete="off" required placeholder="4242 4242 4242 4242" /></label>
          <button class="btn" type="submit">Pay (test)</button>
        </form>
        <p class="hint">Test cards:</p>
        <ul class="cards">
          {Object.entries(DEMO_CARDS).map(([n, c]) => <li><code>{n.replace(/(\d{4})(?=\d)/g, '$1 ')}</code> {c.label}</li>)}
        </ul>
      </div>
    </Layout>
  );
}

export function DemoPortalPage(props: { site: SiteContext; viewer: Viewer; token: string; returnUrl: string; last4: string; error?: string }) {
  const { site, viewer } = props;
  return (
    <Layout site={site} meta={{ title: 'Update your card (test)', description: 'Demo payment provider.', isNoindex: true }}>
      <div class="narrow">
        <p class="test-banner" role="note">TEST MODE — the demo payment provider's billing portal.</p>
        <h1 class="page-title">Your card</h1>
        <p>Card on file ends in <strong>{props.last4}</strong>.</p>
        {props.error ? <Notice>{props.error}</Notice> : null}
        <form class="form" method="post" action={`/billing/demo/portal/${props.token}`}>
          <Csrf viewer={viewer} />
          <input type="hidden" name="return" value={props.returnUrl} />
          <label>New test card number<input type="text" name="card" inputmode="numeric" autocomplete="off" required /></label>
          <button class="btn" type="submit">Update card</button>
        </form>
        <p><a href={props.returnUrl}>Back to your account</a></p>
      </div>
    </Layout>
  );
}
