/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The newsletter pages readers meet: the lists and the sign-up form, "check your inbox",
// the double opt-in button, and the unsubscribe page (which works without signing in).
import type { SiteContext } from '../site-context.ts';
import type { Viewer } from '../viewer.ts';
import type { NewsletterList } from '../../newsletters/types.ts';
import type { ReaderListState } from '../../newsletters/members.ts';
import { Layout } from './layout.tsx';
import { Csrf, Notice } from './forms.tsx';

/** "a•••@example.com": enough for the owner to recognise, too little to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  const local = email.slice(0, at);
  // A fixed run of dots: the length of the name is not shown either.
  return `${local[0]}•••${email.slice(at)}`;
}

function Page(props: { site: SiteContext; title: string; description?: string; children?: unknown }) {
  return (
    <Layout site={props.site} meta={{ title: props.title, description: props.description ?? props.title, isNoindex: true }}>
      <div class="narrow">{props.children}</div>
    </Layout>
  );
}

export interface NewslettersPageProps {
  site: SiteContext;
  viewer: Viewer;
  /** Lists anyone may sign up to. */
  open: NewsletterList[];
  /** Lists that come with a subscription only. */
  forSubscribers: NewsletterList[];
  /** A signed-in reader's lists, when signed in. */
  mine: ReaderListState[] | null;
  email?: string;
  selectedListId?: number;
  error?: string;
}

export function NewslettersPage(props: NewslettersPageProps) {
  const { site, viewer, open, forSubscribers, mine } = props;
  const selected = props.selectedListId ?? open[0]?.id;
  const email = props.email ?? viewer.reader?.email ?? '';
  return (
    <Layout site={site} meta={{ title: 'Newsletters', description: `Newsletters from ${site.publication.name}, free in your inbox.`, canonical: site.absolute('/newsletters') }}>
      <div class="narrow">
        <h1 class="page-title">Newsletters</h1>
        <p class="page-intro">The best of {site.publication.name}, in your inbox. Every message has a one-click unsubscribe link.</p>
        {props.error ? <Notice>{props.error}</Notice> : null}
        {mine ? (
          <p class="hint" data-signed-in>
            You are signed in as <strong>{viewer.reader?.email}</strong>: you receive {mine.filter((s) => s.isReceiving).map((s) => s.list.name).join(', ') || 'no newsletters'}. <a href="/account#newsletters">Choose your newsletters on your account page</a>.
          </p>
        ) : null}
        {open.length === 0 ? <p>There are no newsletters to sign up to at the moment.</p> : (
          <form class="form" method="post" action="/newsletters/signup" data-newsletter-signup>
            <Csrf viewer={viewer} />
            {open.length === 1 ? (
              <>
                <input type="hidden" name="list" value={String(open[0].id)} />
                <div>
                  <h2 class="newsletter-name"><a href={`/newsletters/${open[0].slug}`}>{open[0].name}</a></h2>
                  {open[0].description ? <p>{open[0].description}</p> : null}
                </div>
              </>
            ) : (
              <fieldset class="newsletter-choices">
                <legend>Choose a newsletter</legend>
                {open.map((l) => (
                  <label class="check"><input type="radio" name="list" value={String(l.id)} checked={l.id === selected} required /> <span><strong>{l.name}</strong>{l.description ? ` — ${l.description}` : ''} <a href={`/newsletters/${l.slug}`}>Past issues</a></span></label>
                ))}
              </fieldset>
            )}
            <label>E-mail address<input type="email" name="email" required autocomplete="email" maxlength={254} value={email} /></label>
            <button class="btn" type="submit">Sign up</button>
            <p class="hint">We will send a link to confirm the address; nothing else arrives until you open it.</p>
          </form>
        )}
        {forSubscribers.length > 0 ? (
          <section aria-labelledby="subscriber-lists">
            <h2 id="subscriber-lists">For subscribers</h2>
            <ul class="cards">
              {forSubscribers.map((l) => <li><strong><a href={`/newsletters/${l.slug}`}>{l.name}</a></strong>{l.description ? `: ${l.description}` : ''}</li>)}
            </ul>
            <p><a href="/subscribe">Subscribe</a> to receive them.</p>
          </section>
        ) : null}
      </div>
    </Layout>
  );
}

export function SignupSentPage(props: { site: SiteContext; email: string; list: NewsletterList }) {
  return (
    <Page site={props.site} title="Check your inbox">
      <h1 class="page-title">Check your inbox</h1>
      <p data-signup-sent>If <strong>{props.email}</strong> is not on {props.list.name} yet, a link to confirm the sign-up is on its way. It works for seven days.</p>
      <p class="hint">Nothing arrived? Check your spam folder, or <a href="/newsletters">try again</a>.</p>
    </Page>
  );
}

export function ConfirmSignupPage(props: { site: SiteContext; viewer: Viewer; token: string; email: string; list: NewsletterList }) {
  return (
    <Page site={props.site} title={`Confirm your sign-up to ${props.list.name}`}>
      <h1 class="page-title">Confirm your sign-up to {props.list.name}</h1>
      <p>For <strong>{maskEmail(props.email)}</strong>.</p>
      <form class="form" method="post" action="/newsletters/confirm">
        <Csrf viewer={props.viewer} />
        <input type="hidden" name="t" value={props.token} />
        <button class="btn" type="submit">Confirm sign-up</button>
      </form>
    </Page>
  );
}

export function SignupConfirmedPage(props: { site: SiteContext; list: NewsletterList }) {
  return (
    <Page site={props.site} title="You are signed up">
      <h1 class="page-title">You are signed up</h1>
      <p data-signup-confirmed>{props.list.name} will arrive in your inbox. Every issue has a link to unsubscribe.</p>
      <p><a href={`/newsletters/${props.list.slug}`}>Read past issues</a> or <a href="/">go to the front page</a>.</p>
    </Page>
  );
}

export function NewsletterLinkProblemPage(props: { site: SiteContext; reason: 'invalid' | 'expired' | 'unknown-list' }) {
  const text = props.reason === 'expired'
    ? 'This confirmation link has expired: links work for seven days.'
    : props.reason === 'unknown-list'
      ? 'That newsletter no longer exists, so there is nothing to unsubscribe from.'
      : 'This link is not valid, or it has already been used.';
  return (
    <Page site={props.site} title="This link does not work">
      <h1 class="page-title">This link does not work</h1>
      <p data-link-problem={props.reason}>{text}</p>
      <p><a href="/newsletters">See our newsletters</a></p>
    </Page>
  );
}

export function UnsubscribePage(props: { site: SiteContext; token: string; email: string; list: NewsletterList }) {
  return (
    <Page site={props.site} title={`Unsubscribe from ${props.list.name}`}>
      <h1 class="page-title">Unsubscribe from {props.list.name}?</h1>
      <p>Stop sending {props.list.name} to <strong data-masked-email>{maskEmail(props.email)}</strong>.</p>
      {/* The signed token in the address is the authority: no sign-in, no form token. */}
      <form class="form" method="post" action={`/newsletters/unsubscribe?t=${encodeURIComponent(props.token)}`}>
        <button class="btn" type="submit">Unsubscribe</button>
      </form>
    </Page>
  );
}

export function UnsubscribedPage(props: { site: SiteContext; viewer: Viewer; token: string; email: string; list: NewsletterList }) {
  return (
    <Page site={props.site} title="You are unsubscribed">
      <h1 class="page-title">You are unsubscribed</h1>
      <p data-unsubscribed>{props.list.name} will no longer be sent to <strong>{maskEmail(props.email)}</strong>. An issue already on its way may still arrive.</p>
      <form class="form" method="post" action={`/newsletters/resubscribe?t=${encodeURIComponent(props.token)}`}>
        <Csrf viewer={props.viewer} />
        <button class="btn btn-quiet" type="submit">Unsubscribed by mistake? Sign up again</button>
      </form>
    </Page>
  );
}

export function ResubscribedPage(props: { site: SiteContext; list: NewsletterList }) {
  return (
    <Page site={props.site} title="Welcome back">
      <h1 class="page-title">Welcome back</h1>
      <p data-resubscribed>{props.list.name} will arrive in your inbox again.</p>
      <p><a href="/">Go to the front page</a></p>
    </Page>
  );
}
