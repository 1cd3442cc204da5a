/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Reader account pages: sign in by e-mailed link, and the account page.
import type { SiteContext } from '../site-context.ts';
import type { Viewer } from '../viewer.ts';
import type { ReaderRow } from '../../db/schema.ts';
import type { Plan, Subscription } from '../../billing/types.ts';
import type { Entitlements } from '../../billing/entitlements.ts';
import { describeSubscription, isComplimentary } from '../../billing/complimentary.ts';
import { ENTITLEMENT_LABELS, formatMoney } from '../../billing/catalog.ts';
import type { ReaderListState } from '../../newsletters/members.ts';
import { displayDate } from '../../content/dates.ts';
import { Layout } from './layout.tsx';
import { Csrf, Notice } from './forms.tsx';

export function LoginPage(props: { site: SiteContext; viewer: Viewer; returnTo: string; email?: string; error?: string }) {
  return (
    <Layout site={props.site} meta={{ title: 'Sign in', description: `Sign in to ${props.site.publication.name}, or create a free account.`, isNoindex: true }}>
      <div class="narrow">
        <h1 class="page-title">Sign in or create an account</h1>
        <p class="page-intro">Enter your e-mail address and we will send you a link to sign in. New here? The same link creates your free account. No password needed.</p>
        {props.error ? <Notice>{props.error}</Notice> : null}
        <form class="form" method="post" action="/login">
          <Csrf viewer={props.viewer} />
          <input type="hidden" name="return" value={props.returnTo} />
          <label>E-mail address<input type="email" name="email" required autocomplete="email" value={props.email ?? ''} /></label>
          <button class="btn" type="submit">E-mail me a sign-in link</button>
        </form>
        <p class="hint">Newsroom staff sign in at <a href="/admin/login">/admin/login</a>.</p>
      </div>
    </Layout>
  );
}

export function CheckInboxPage(props: { site: SiteContext; email: string }) {
  return (
    <Layout site={props.site} meta={{ title: 'Check your inbox', description: 'We sent you a sign-in link.', isNoindex: true }}>
      <div class="narrow">
        <h1 class="page-title">Check your inbox</h1>
        <p>If <strong>{props.email}</strong> can receive mail, a sign-in link is on its way. It works once and expires in 15 minutes.</p>
        <p class="hint">Nothing arrived? Check your spam folder, or <a href="/login">ask for a new link</a>.</p>
      </div>
    </Layout>
  );
}

export function ConfirmPage(props: { site: SiteContext; viewer: Viewer; action: string; token: string; email: string; title: string; button: string }) {
  return (
    <Layout site={props.site} meta={{ title: props.title, description: props.title, isNoindex: true }}>
      <div class="narrow">
        <h1 class="page-title">{props.title}</h1>
        <p>For <strong>{props.email}</strong>.</p>
        <form class="form" method="post" action={props.action}>
          <Csrf viewer={props.viewer} />
          <input type="hidden" name="token" value={props.token} />
          <button class="btn" type="submit">{props.button}</button>
        </form>
      </div>
    </Layout>
  );
}

export function InvalidLinkPage(props: { site: SiteContext }) {
  return (
    <Layout site={props.site} meta={{ title: 'This link has expired', description: 'The link is no longer valid.', isNoindex: true }}>
      <div class="narrow">
        <h1 class="page-title">This link is no longer valid</h1>
        <p>Links work once and expire after 15 minutes. <a href="/login">Ask for a new one</a>.</p>
      </div>
    </Layout>
  );
}

export interface AccountData {
  reader: ReaderRow;
  subscriptions: { sub: Subscription; plan: Plan | null }[];
  plans: Plan[];
  entitlements: Entitlements;
  payments: { amount_cents: number; currency: string; status: string; created_at: number; kind: string }[];
  gifts: { ends_at: number | null; months: number; purchaser_name: string }[];
  /** The lists the reader may choose, and whether they receive each. */
  newsletters: ReaderListState[];
  message?: string;
}

export function AccountPage(props: { site: SiteContext; viewer: Viewer; data: AccountData }) {
  const { site, viewer, data } = props;
  const tz = site.publication.timeZone;
  const date = (ms: number | null) => (ms === null ? '' : displayDate(ms, tz));
  const current = data.subscriptions.filter(({ sub }) => sub.status !== 'ended');
  const access = (Object.entries(data.entitlements) as [keyof typeof ENTITLEMENT_LABELS, unknown][]).filter(([, v]) => v);
  return (
    <Layout site={site} meta={{ title: 'Your account', description: 'Your account', isNoindex: true }}>
      <div class="narrow">
        <h1 class="page-title">Your account</h1>
        {data.message ? <Notice kind="ok">{data.message}</Notice> : null}

        <section class="account-section" id="subscription" aria-labelledby="sub-h">
          <h2 id="sub-h">Subscription</h2>
          {current.length === 0 ? (
            <p>You have no subscription. <a href="/subscribe">See our offers</a>.</p>
          ) : (
            current.map(({ sub, plan }) => {
              const d = describeSubscription(sub, site.now());
              const isComp = isComplimentary(sub);
              const when = d.kind === 'renews' ? `renews on ${date(d.date)}` : d.kind === 'ends' ? `ends on ${date(d.date)}` : d.kind === 'trial-ends' ? `trial ends on ${date(d.date)}` : d.kind === 'grace-ends' ? `access until ${date(d.date)} while we retry` : '';
              return (
                <div data-subscription={String(sub.id)}>
                  <dl class="kv">
                    <dt>Plan</dt><dd data-plan>{plan?.name ?? 'Unknown plan'}{isComp ? ' — complimentary' : plan ? ` — ${formatMoney(plan.priceCents, plan.currency)} a ${plan.interval}` : ''}</dd>
                    <dt>Status</dt><dd data-status={sub.status}>{d.label}{when ? ` — ${when}` : ''}</dd>
                  </dl>
                  {isComp ? <p class="hint" data-complimentary>Given to you by {site.publication.name}: nothing to pay, and it ends on its own.</p> : (
                  <div class="actions">
                    {sub.status === 'canceled' ? (
                      <form method="post" action={`/account/subscription/${sub.id}/resume`} class="inline-form"><Csrf viewer={viewer} /><button class="btn" type="submit">Resume subscription</button></form>
                    ) : sub.status === 'active' || sub.status === 'trialing' || sub.status === 'past_due' ? (
                      <form method="post" action={`/account/subscription/${sub.id}/cancel`} class="inline-form"><Csrf viewer={viewer} /><button class="btn btn-quiet" type="submit">Cancel subscription</button></form>
                    ) : null}
                    <form method="post" action="/account/billing" class="inline-form"><Csrf viewer={viewer} /><button class="btn btn-quiet" type="submit">Update card</button></form>
                  </div>
                  )}
                  {!isComp && (sub.status === 'active' || sub.status === 'trialing') ? (
                    <form class="form" method="post" action={`/account/subscription/${sub.id}/switch`}>
                      <Csrf viewer={viewer} />
                      <label>Switch plan
                        <select name="plan">
                          {data.plans.filter((p) => p.id !== sub.planId).map((p) => <option value={String(p.id)}>{p.name} — {formatMoney(p.priceCents, p.currency)} a {p.interval}</option>)}
                        </select>
                      </label>
                      <button class="btn btn-quiet" type="submit">Switch</button>
                    </form>
                  ) : null}
                </div>
              );
            })
          )}
          {access.length > 0 ? (
            <>
              <p class="hint">Your access:</p>
              <ul class="cards">{access.map(([k]) => <li>{ENTITLEMENT_LABELS[k]}</li>)}</ul>
            </>
          ) : null}
          {data.gifts.filter((g) => g.ends_at).map((g) => <p class="hint">A gift from {g.purchaser_name || 'a friend'}: {g.months} months, until {date(g.ends_at)}.</p>)}
        </section>

        {data.payments.length > 0 ? (
          <section class="account-section" id="billing" aria-labelledby="pay-h">
            <h2 id="pay-h">Payments</h2>
            <table class="plain">
              <thead><tr><th scope="col">Date</th><th scope="col">Amount</th><th scope="col">Status</th></tr></thead>
              <tbody>{data.payments.map((p) => <tr><td>{date(p.created_at)}</td><td>{formatMoney(p.amount_cents, p.currency)}</td><td>{p.status}</td></tr>)}</tbody>
            </table>
          </section>
        ) : null}

        <section class="account-section" aria-labelledby="profile-h">
          <h2 id="profile-h">Profile</h2>
          <form class="form" method="post" action="/account/name">
            <Csrf viewer={viewer} />
            <label>Name<input type="text" name="name" value={data.reader.name} maxlength={120} autocomplete="name" /></label>
            <button class="btn btn-quiet" type="submit">Save name</button>
          </form>
          <form class="form" method="post" action="/account/email">
            <Csrf viewer={viewer} />
            <label>E-mail address<input type="email" name="email" value={data.reader.email} required autocomplete="email" /></label>
            <p class="hint">We will send a confirmation link to the new address; the change takes effect when you open it.</p>
            <button class="btn btn-quiet" type="submit">Change e-mail</button>
          </form>
        </section>

        <section class="account-section" id="newsletters" aria-labelledby="news-h">
          <h2 id="news-h">Newsletters</h2>
          {data.newsletters.length === 0 ? <p>There are no newsletters at the moment.</p> : (
            <form class="form" method="post" action="/account/newsletters">
              <Csrf viewer={viewer} />
              {data.newsletters.map(({ list, isReceiving, via }) => (
                <label class="check" data-list={list.slug} data-via={via ?? 'none'}>
                  <input type="checkbox" name="newsletters" value={list.slug} checked={isReceiving} /> {list.name}{list.description ? `: ${list.description}` : ''}{via === 'entitlement' ? ' (included with your subscription)' : ''}
                </label>
              ))}
              <p class="hint">Sent to {data.reader.email}. Every issue also has a one-click unsubscribe link.</p>
              <button class="btn btn-quiet" type="submit">Save choices</button>
            </form>
          )}
        </section>

        <section class="account-section" aria-labelledby="data-h">
          <h2 id="data-h">Your data</h2>
          <p><a href="/account/export">Download everything we hold about you</a> (JSON).</p>
          <div class="actions">
            <form method="post" action="/logout" class="inline-form"><Csrf viewer={viewer} /><button class="btn btn-quiet" type="submit">Sign out</button></form>
            <form method="post" action="/account/logout-everywhere" class="inline-form"><Csrf viewer={viewer} /><button class="btn btn-quiet" type="submit">Sign out everywhere</button></form>
          </div>
          <form class="form" method="post" action="/account/delete">
            <Csrf viewer={viewer} />
            <label>To delete your account, type your e-mail address<input type="email" name="confirm" required autocomplete="off" /></label>
            <p class="hint">Any subscription is canceled at once. Payment records are kept, without your name, for our accounts.</p>
            <button class="btn btn-danger" type="submit">Delete my account</button>
          </form>
        </section>
      </div>
    </Layout>
  );
}
