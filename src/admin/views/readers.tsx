/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The readers' pages: the searchable list, and one reader's record with the newsroom's
// actions (complimentary subscription, cancel, sign out everywhere).
import { AdminCsrf, AdminLayout, Flash, type AdminFrame } from '../layout.tsx';
import { displayDate, displayDateTime } from '../../content/dates.ts';
import { ENTITLEMENT_LABELS, formatMoney } from '../../billing/catalog.ts';
import { COMP_MONTHS, describeSubscription, isComplimentary } from '../../billing/complimentary.ts';
import { ENTITLEMENTS, type Plan, type Subscription } from '../../billing/types.ts';
import { READER_FILTERS, READER_FILTER_LABELS, type CompField, type ReaderSearch } from '../readers/reader-forms.ts';
import type { ReaderDetail, ReaderList, ReaderNewsletter } from '../readers/reader-queries.ts';
import type { FieldErrors } from '../form-result.ts';

const PROVIDER_LABELS: Record<string, string> = { comp: 'Complimentary', demo: 'Demo provider', stripe: 'Stripe' };
const providerLabel = (p: string) => PROVIDER_LABELS[p] ?? p;

function newsletterStanding(n: ReaderNewsletter): string {
  if (n.via === 'member') return 'signed up';
  if (n.via === 'entitlement') return 'with their subscription';
  if (n.status === 'pending') return 'awaiting confirmation';
  if (n.status === 'unsubscribed') return 'unsubscribed';
  return 'not receiving';
}

function listHref(search: ReaderSearch, page: number): string {
  const params = new URLSearchParams();
  if (search.q) params.set('q', search.q);
  if (search.state !== 'all') params.set('state', search.state);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return `/admin/readers${qs ? `?${qs}` : ''}`;
}

export function ReadersListPage(props: { frame: AdminFrame; search: ReaderSearch; list: ReaderList }) {
  const { frame, search, list } = props;
  const tz = frame.site.publication.timeZone;
  const n = (x: number) => x.toLocaleString('en-US');
  return (
    <AdminLayout frame={frame} title="Readers">
      <div class="page-head">
        <h1>Readers</h1>
        <p class="muted" data-reader-total={String(list.total)}>{n(list.total)} {list.total === 1 ? 'reader' : 'readers'}</p>
      </div>
      <form class="filters" method="get" action="/admin/readers" role="search" data-reader-search>
        <label>E-mail or name
          <input type="search" name="q" value={search.q} maxlength={200} autocomplete="off" />
        </label>
        <label>Show
          <select name="state">
            {READER_FILTERS.map((f) => <option value={f} selected={search.state === f}>{READER_FILTER_LABELS[f]}</option>)}
          </select>
        </label>
        <button class="btn" type="submit">Search</button>
      </form>
      {list.rows.length === 0 ? (
        <p class="muted" data-empty>No readers match{search.q ? ` “${search.q}”` : ''}.</p>
      ) : (
        <table class="list readers-list">
          <caption class="visually-hidden">Readers, newest first</caption>
          <thead>
            <tr><th scope="col">E-mail</th><th scope="col">Name</th><th scope="col">Joined</th><th scope="col">Subscription</th><th scope="col">Plan</th></tr>
          </thead>
          <tbody>
            {list.rows.map((r) => (
              <tr data-reader-row data-reader-id={String(r.id)} data-standing={r.standing}>
                <td><a href={`/admin/readers/${r.id}`}>{r.email}</a></td>
                <td>{r.name || <span class="muted">—</span>}</td>
                <td>{displayDate(r.createdAt, tz)}</td>
                <td><span class={`status status-reader-${r.standing}`} data-status={r.statusCode ?? ''}>{r.status}</span></td>
                <td>{r.plan}{r.isComplimentary ? <span class="muted"> (complimentary)</span> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.pages > 1 ? (
        <nav class="pager" aria-label="Pages of readers">
          {list.page > 1 ? <a href={listHref(search, list.page - 1)} rel="prev">← Newer</a> : null}
          <span>Page {list.page} of {list.pages}</span>
          {list.page < list.pages ? <a href={listHref(search, list.page + 1)} rel="next">Older →</a> : null}
        </nav>
      ) : null}
    </AdminLayout>
  );
}

export interface CompFormState {
  values: Record<CompField, string>;
  errors: FieldErrors;
}

export interface ReaderPageNotice {
  kind: 'ok' | 'error';
  text: string;
}

function FieldError(props: { id: string; message?: string }) {
  return props.message ? <span class="field-error" id={props.id}>{props.message}</span> : null;
}

function SubscriptionActions(props: { frame: AdminFrame; readerId: number; sub: Subscription; planName: string }) {
  const { frame, readerId, sub, planName } = props;
  if (sub.status === 'ended') return <span class="muted">—</span>;
  const action = `/admin/readers/${readerId}/subscriptions/${sub.id}/cancel`;
  const button = (when: 'period-end' | 'now', label: string, confirm: string, cls: string) => (
    <form method="post" action={action} class="inline-form">
      <AdminCsrf frame={frame} />
      <input type="hidden" name="when" value={when} />
      <button class={`btn btn-small ${cls}`} type="submit" data-action={`cancel-${when}`} data-confirm={confirm}>{label}</button>
    </form>
  );
  if (isComplimentary(sub)) return <div class="actions">{button('now', 'End now', `End this complimentary ${planName} subscription now? The reader loses access at once.`, 'btn-danger')}</div>;
  return (
    <div class="actions">
      {sub.status !== 'canceled' ? button('period-end', 'Cancel at period end', `Cancel this ${planName} subscription at the end of its period? The reader keeps access until then and is not charged again.`, 'btn-quiet') : null}
      {button('now', 'Cancel now', `Cancel this ${planName} subscription now? The reader loses access at once.`, 'btn-danger')}
    </div>
  );
}

export function ReaderDetailPage(props: { frame: AdminFrame; detail: ReaderDetail; notice?: ReaderPageNotice; compForm?: CompFormState }) {
  const { frame, detail, notice } = props;
  const { reader } = detail;
  const tz = frame.site.publication.timeZone;
  const now = frame.site.now();
  const date = (ms: number | null) => (ms === null ? '—' : displayDate(ms, tz));
  const dateTime = (ms: number | null) => (ms === null ? '—' : displayDateTime(ms, tz));
  const plans = new Map(detail.plans.map((p) => [p.id, p]));
  const planName = (id: number) => plans.get(id)?.name ?? 'Unknown plan';
  const activePlans: Plan[] = detail.plans.filter((p) => p.isActive);
  const access = ENTITLEMENTS.filter((e) => detail.entitlements[e] !== null);
  const comp = props.compForm ?? { values: { plan: '', months: '3' }, errors: {} };
  return (
    <AdminLayout frame={frame} title={reader.email}>
      <p><a href="/admin/readers">← All readers</a></p>
      <div class="page-head">
        <h1 data-reader-id={String(reader.id)}>{reader.email}</h1>
      </div>
      {notice ? <Flash kind={notice.kind}><span data-result>{notice.text}</span></Flash> : null}

      <section aria-labelledby="reader-account-h" class="reader-section">
        <h2 id="reader-account-h">Account</h2>
        <dl class="kv">
          <dt>Name</dt><dd>{reader.name || '—'}</dd>
          <dt>Joined</dt><dd>{date(reader.created_at)}</dd>
          <dt>Last sign-in</dt><dd>{dateTime(reader.last_login_at)}</dd>
          <dt>Newsletters</dt>
          <dd data-newsletters={detail.newsletters.filter((n) => n.isReceiving).map((n) => n.list.slug).join(' ')}>
            {detail.newsletters.length === 0 ? 'None' : detail.newsletters.map((n, i) => (
              <>{i > 0 ? '; ' : ''}<span data-list={n.list.slug} data-list-status={n.isReceiving ? 'receiving' : n.status ?? 'none'}>{n.list.name} ({newsletterStanding(n)})</span></>
            ))}
          </dd>
          <dt>Access now</dt><dd data-entitlements={access.join(' ')}>{access.length === 0 ? 'Metered, like any free account' : access.map((e) => ENTITLEMENT_LABELS[e]).join('; ')}</dd>
          <dt>Payment customer</dt><dd>{reader.provider_customer_id ?? '—'}</dd>
          <dt>Signed in on</dt><dd data-active-sessions={String(detail.activeSessions)}>{detail.activeSessions} {detail.activeSessions === 1 ? 'device' : 'devices'}</dd>
        </dl>
        <form method="post" action={`/admin/readers/${reader.id}/sign-out`} class="reader-action">
          <AdminCsrf frame={frame} />
          <button class="btn btn-quiet" type="submit" data-action="sign-out" data-confirm={`Sign ${reader.email} out on every device?`}>Sign out everywhere</button>
        </form>
      </section>

      <section aria-labelledby="reader-subs-h" class="reader-section">
        <h2 id="reader-subs-h">Subscriptions</h2>
        {detail.subscriptions.length === 0 ? <p class="muted">No subscriptions.</p> : (
          <table class="list">
            <thead>
              <tr><th scope="col">Plan</th><th scope="col">Status</th><th scope="col">Period end</th><th scope="col">Cancels at period end</th><th scope="col">Provider</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {detail.subscriptions.map((sub) => (
                <tr data-subscription={String(sub.id)} data-provider={sub.provider} data-status={sub.status} data-cancel-at-period-end={sub.cancelAtPeriodEnd ? 'yes' : 'no'}>
                  <td>{planName(sub.planId)}</td>
                  <td>{describeSubscription(sub, now).label}</td>
                  <td>{date(sub.currentPeriodEnd)}</td>
                  <td>{isComplimentary(sub) ? 'Does not renew' : sub.cancelAtPeriodEnd ? 'Yes' : 'No'}</td>
                  <td>{providerLabel(sub.provider)}</td>
                  <td><SubscriptionActions frame={frame} readerId={reader.id} sub={sub} planName={planName(sub.planId)} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="reader-comp-h" class="reader-section">
        <h2 id="reader-comp-h">Grant a complimentary subscription</h2>
        <p class="muted">The plan's access for the months chosen, free: nothing is charged, it does not renew, and it ends on its own. A live complimentary subscription to the same plan is extended.</p>
        {activePlans.length === 0 ? <p class="muted">There are no active plans to grant.</p> : (
          <form class="form grid-2" method="post" action={`/admin/readers/${reader.id}/complimentary`} data-form="complimentary" novalidate>
            <AdminCsrf frame={frame} />
            <label>Plan
              <select name="plan" aria-invalid={comp.errors.plan ? 'true' : undefined} aria-describedby={comp.errors.plan ? 'comp-plan-error' : undefined}>
                <option value="" selected={comp.values.plan === ''}>Choose a plan</option>
                {activePlans.map((p) => <option value={String(p.id)} selected={comp.values.plan === String(p.id)}>{p.name} — {formatMoney(p.priceCents, p.currency)} a {p.interval}</option>)}
              </select>
              <FieldError id="comp-plan-error" message={comp.errors.plan} />
            </label>
            <label>Months
              <input type="number" name="months" min={COMP_MONTHS.min} max={COMP_MONTHS.max} step={1} value={comp.values.months} required
                aria-invalid={comp.errors.months ? 'true' : undefined} aria-describedby={comp.errors.months ? 'comp-months-error' : 'comp-months-hint'} />
              {comp.errors.months ? <FieldError id="comp-months-error" message={comp.errors.months} /> : <span class="hint" id="comp-months-hint">{COMP_MONTHS.min} to {COMP_MONTHS.max}.</span>}
            </label>
            <div>
              <button class="btn" type="submit" data-action="grant-complimentary" data-confirm={`Give ${reader.email} a complimentary subscription?`}>Grant</button>
            </div>
          </form>
        )}
      </section>

      <section aria-labelledby="reader-payments-h" class="reader-section">
        <h2 id="reader-payments-h">Payments</h2>
        {detail.payments.length === 0 ? <p class="muted">No payments.</p> : (
          <table class="list">
            <thead><tr><th scope="col">Date</th><th scope="col">What</th><th scope="col">Amount</th><th scope="col">Status</th><th scope="col">Provider</th></tr></thead>
            <tbody>
              {detail.payments.map((p) => (
                <tr data-payment={String(p.id)}><td>{date(p.at)}</td><td>{p.kind}</td><td>{formatMoney(p.amountCents, p.currency)}</td><td>{p.status}</td><td>{providerLabel(p.provider)}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="reader-gifts-h" class="reader-section">
        <h2 id="reader-gifts-h">Gifts</h2>
        {detail.giftsReceived.length === 0 && detail.giftsBought.length === 0 ? <p class="muted">No gifts given or received.</p> : (
          <ul>
            {detail.giftsReceived.map((g) => <li data-gift-received={String(g.id)}>Received {planName(g.planId)} for {g.months} months from {g.from}: {date(g.startsAt)} to {date(g.endsAt)}</li>)}
            {detail.giftsBought.map((g) => <li data-gift-bought={String(g.id)}>Bought {planName(g.planId)} for {g.months} months for {g.recipient} on {date(g.at)} ({g.status})</li>)}
          </ul>
        )}
      </section>

      <section aria-labelledby="reader-events-h" class="reader-section">
        <h2 id="reader-events-h">Recent activity</h2>
        {detail.events.length === 0 ? <p class="muted">No activity recorded while signed in.</p> : (
          <table class="list">
            <caption class="visually-hidden">The latest {detail.events.length} events, newest first</caption>
            <thead><tr><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Story</th></tr></thead>
            <tbody>
              {detail.events.map((e) => (
                <tr data-event={e.kind}>
                  <td>{dateTime(e.at)}</td>
                  <td>{e.kind}{e.detail ? <span class="muted"> · {e.detail}</span> : null}</td>
                  <td>{e.headline ? (e.urlPath ? <a href={e.urlPath}>{e.headline}</a> : e.headline) : <span class="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </AdminLayout>
  );
}

export function ReaderNotFoundPage(props: { frame: AdminFrame }) {
  return (
    <AdminLayout frame={props.frame} title="Reader not found">
      <h1>Reader not found</h1>
      <p>There is no reader with that number; the account may have been deleted.</p>
      <p><a href="/admin/readers">All readers</a></p>
    </AdminLayout>
  );
}
