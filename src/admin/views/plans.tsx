/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Plans and offers: what readers can buy (plans: a price per month or year and what it
// includes), how it is sold on /subscribe (offers: a headline and introductory terms), and
// the coupon codes readers may type. Forms for each.
import type { AdminOffer, AdminPlan } from '../../billing/catalog-admin.ts';
import type { Coupon } from '../../billing/types.ts';
import { ENTITLEMENTS } from '../../billing/types.ts';
import { displayDate } from '../../content/dates.ts';
import { AdminCsrf, AdminLayout, type AdminFrame } from '../layout.tsx';
import type { FieldErrors } from '../settings/form.ts';
import {
  ENTITLEMENT_NAMES,
  couponTermsText,
  offerTermsText,
  type CouponFormValues,
  type OfferFormValues,
  type PlanFormValues,
} from '../settings/catalog-form.ts';
import { displayMoney, minorDigits } from '../settings/money.ts';
import { Checkbox, ChoiceGroup, ErrorSummary, SavedNotice, SelectField, TextField } from './settings-fields.tsx';

const every = (interval: string) => (interval === 'year' ? 'a year' : 'a month');

export function PlansPage(props: {
  frame: AdminFrame;
  plans: AdminPlan[];
  offers: AdminOffer[];
  coupons: Coupon[];
  subscribers: Map<number, number>;
  saved: string | null;
}) {
  const { frame, plans, offers, coupons } = props;
  const tz = frame.site.publication.timeZone;
  const planById = new Map(plans.map((p) => [p.id, p]));
  const now = frame.site.now();
  return (
    <AdminLayout frame={frame} title="Plans & offers">
      <div class="page-head"><h1>Plans &amp; offers</h1></div>
      <SavedNotice isShown={props.saved !== null}>{props.saved === 'plan' ? 'Plan saved.' : props.saved === 'coupon' ? 'Coupon saved.' : 'Offer saved. The subscribe page shows it now.'}</SavedNotice>

      <section aria-labelledby="plans-h">
        <div class="page-head">
          <h2 id="plans-h">Plans</h2>
          <a class="btn btn-small" href="/admin/plans/new" data-action="new-plan">New plan</a>
        </div>
        <p class="hint">What a subscription costs and what it includes. A changed price applies to new subscribers (and to readers who switch to the plan); current subscribers keep the price they signed up at.</p>
        {plans.length === 0 ? <p class="muted">No plans yet: readers cannot subscribe until there is one, with an offer.</p> : (
          <table class="list settings-table" data-plans>
            <thead><tr><th scope="col">Plan</th><th scope="col">Slug</th><th scope="col">Price</th><th scope="col">Includes</th><th scope="col">Subscribers</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {plans.map((p) => (
                <tr data-plan={p.slug}>
                  <th scope="row"><a href={`/admin/plans/${p.id}`}>{p.name}</a></th>
                  <td><code>{p.slug}</code></td>
                  <td data-price={p.priceCents}>{displayMoney(p.priceCents, p.currency)} {every(p.interval)}</td>
                  <td>{p.entitlements.map((e) => ENTITLEMENT_NAMES[e]).join('; ')}</td>
                  <td>{(props.subscribers.get(p.id) ?? 0).toLocaleString('en-US')}</td>
                  <td>{p.isActive ? <span class="status status-published">on sale</span> : <span class="status status-draft">not on sale</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="offers-h">
        <div class="page-head">
          <h2 id="offers-h">Offers</h2>
          {plans.length ? <a class="btn btn-small" href="/admin/plans/offers/new" data-action="new-offer">New offer</a> : null}
        </div>
        <p class="hint">Each active offer of a plan on sale is a box on <a href="/subscribe">the subscribe page</a>, in position order; the first is featured.</p>
        {offers.length === 0 ? <p class="muted">No offers yet.</p> : (
          <table class="list settings-table" data-offers>
            <thead><tr><th scope="col">Headline</th><th scope="col">Slug</th><th scope="col">Plan</th><th scope="col">Terms</th><th scope="col">Position</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {offers.map((o) => {
                const plan = planById.get(o.planId);
                const isShown = o.isActive && plan?.isActive;
                return (
                  <tr data-offer={o.slug}>
                    <th scope="row"><a href={`/admin/plans/offers/${o.id}`}>{o.headline}</a></th>
                    <td><code>{o.slug}</code></td>
                    <td>{plan ? plan.name : '(missing plan)'}</td>
                    <td>{offerTermsText(o, plan?.currency ?? 'usd')}{plan ? `, then ${displayMoney(plan.priceCents, plan.currency)} ${every(plan.interval)}` : ''}</td>
                    <td>{o.position}</td>
                    <td>{isShown ? <span class="status status-published">on /subscribe</span> : <span class="status status-draft">{o.isActive ? 'plan not on sale' : 'inactive'}</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="coupons-h">
        <div class="page-head">
          <h2 id="coupons-h">Coupons</h2>
          <a class="btn btn-small" href="/admin/plans/coupons/new" data-action="new-coupon">New coupon</a>
        </div>
        <p class="hint">Codes readers type on the subscribe page; they apply to full-price offers, not introductory ones.</p>
        {coupons.length === 0 ? <p class="muted">No coupons yet.</p> : (
          <table class="list settings-table" data-coupons>
            <thead><tr><th scope="col">Code</th><th scope="col">Discount</th><th scope="col">Good through</th><th scope="col">Used</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {coupons.map((c) => {
                const isExpired = c.expiresAt !== null && c.expiresAt <= now;
                const isUsedUp = c.maxRedemptions !== null && c.redeemedCount >= c.maxRedemptions;
                return (
                  <tr data-coupon={c.code}>
                    <th scope="row"><a href={`/admin/plans/coupons/${encodeURIComponent(c.code)}`}><code>{c.code}</code></a></th>
                    <td>{couponTermsText(c)}</td>
                    <td>{c.expiresAt === null ? 'no end' : displayDate(c.expiresAt - 1, tz)}</td>
                    <td>{c.redeemedCount.toLocaleString('en-US')}{c.maxRedemptions === null ? '' : ` of ${c.maxRedemptions.toLocaleString('en-US')}`}</td>
                    <td>{!c.isActive ? <span class="status status-draft">inactive</span> : isExpired ? <span class="status status-draft">expired</span> : isUsedUp ? <span class="status status-draft">used up</span> : <span class="status status-published">usable</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </AdminLayout>
  );
}

export function PlanFormPage(props: { frame: AdminFrame; plan: AdminPlan | null; values: PlanFormValues; errors: FieldErrors; subscribers: number }) {
  const { frame, plan, values, errors } = props;
  const title = plan ? `Plan: ${plan.name}` : 'New plan';
  const digits = minorDigits(values.currency || 'usd');
  return (
    <AdminLayout frame={frame} title={title}>
      <div class="page-head"><h1>{title}</h1></div>
      <p><a href="/admin/plans">Plans &amp; offers</a></p>
      <ErrorSummary errors={errors} />
      <form class="form settings-form" method="post" action={plan ? `/admin/plans/${plan.id}` : '/admin/plans/new'} data-form="plan" novalidate>
        <AdminCsrf frame={frame} />
        {plan ? (
          <dl class="kv" data-plan-fixed>
            <dt>Slug</dt><dd><code>{plan.slug}</code></dd>
            <dt>Billed</dt><dd>{plan.interval === 'year' ? 'yearly' : 'monthly'}, in {plan.currency.toUpperCase()}</dd>
            <dt>Subscribers</dt><dd>{props.subscribers.toLocaleString('en-US')}</dd>
          </dl>
        ) : (
          <>
            <TextField name="slug" label="Slug" value={values.slug} errors={errors} isRequired maxLength={60} hint="A short name for links and the payment provider, such as digital-annual. It cannot be changed later." />
            <div class="grid-2">
              <TextField name="currency" label="Currency" value={values.currency.toUpperCase()} errors={errors} size="small" maxLength={3} hint="A three-letter code such as USD or EUR. Fixed once created." />
              <SelectField name="interval" label="Billed" value={values.interval} errors={errors} options={[{ value: 'month', label: 'Monthly' }, { value: 'year', label: 'Yearly' }]} hint="Fixed once created." />
            </div>
          </>
        )}
        <TextField name="name" label="Name" value={values.name} errors={errors} isRequired maxLength={80} hint="What readers see, such as “Digital”." />
        <TextField name="description" label="Description" value={values.description} errors={errors} maxLength={300} hint="One line under the name on the subscribe page." />
        <TextField
          name="amount"
          label={`Price per ${plan ? plan.interval : 'interval'} (${(values.currency || 'usd').toUpperCase()})`}
          value={values.amount}
          errors={errors}
          inputMode="decimal"
          size="small"
          placeholder={digits ? '15.00' : '1500'}
          hint={plan ? 'A new price applies to new subscribers and to readers who switch to this plan; the payment provider gets a new price for it. Current subscribers keep what they pay.' : digits ? 'Such as 15.00.' : 'A whole amount.'}
        />
        <ChoiceGroup type="checkbox" name="entitlements" label="Includes" values={values.entitlements} errors={errors} options={ENTITLEMENTS.map((e) => ({ value: e, label: ENTITLEMENT_NAMES[e] }))} hint="Changing this changes what current subscribers of the plan get, at once." />
        <div class="grid-2">
          <TextField name="position" label="Position" type="number" inputMode="numeric" value={values.position} errors={errors} size="small" hint="Lower comes first." />
          <Checkbox name="isActive" label="On sale: its offers appear on the subscribe page" isChecked={values.isActive} hint="Taking a plan off sale leaves current subscriptions as they are." />
        </div>
        <div class="actions"><button class="btn" type="submit" data-action="save-plan">{plan ? 'Save plan' : 'Create plan'}</button></div>
      </form>
    </AdminLayout>
  );
}

export function OfferFormPage(props: { frame: AdminFrame; offer: AdminOffer | null; plans: AdminPlan[]; values: OfferFormValues; errors: FieldErrors }) {
  const { frame, offer, values, errors } = props;
  const title = offer ? `Offer: ${offer.slug}` : 'New offer';
  return (
    <AdminLayout frame={frame} title={title}>
      <div class="page-head"><h1>{title}</h1></div>
      <p><a href="/admin/plans">Plans &amp; offers</a></p>
      <ErrorSummary errors={errors} />
      <form class="form settings-form" method="post" action={offer ? `/admin/plans/offers/${offer.id}` : '/admin/plans/offers/new'} data-form="offer" novalidate>
        <AdminCsrf frame={frame} />
        {offer ? (
          <dl class="kv"><dt>Slug</dt><dd><code>{offer.slug}</code></dd></dl>
        ) : (
          <TextField name="slug" label="Slug" value={values.slug} errors={errors} isRequired maxLength={60} hint="A short name for links and reports, such as intro-15. It cannot be changed later." />
        )}
        <SelectField
          name="planId"
          label="Plan"
          value={values.planId}
          errors={errors}
          options={props.plans.map((p) => ({ value: String(p.id), label: `${p.name} — ${displayMoney(p.priceCents, p.currency)} ${every(p.interval)}${p.isActive ? '' : ' (not on sale)'}` }))}
        />
        <TextField name="headline" label="Headline" value={values.headline} errors={errors} isRequired maxLength={200} hint="The offer in one line, as readers see it: “$15 gets you the Weekly magazine, the Daily e-mail and unlimited access to the site”." />
        <ChoiceGroup
          type="radio"
          name="terms"
          label="Terms"
          values={[values.terms]}
          errors={errors}
          options={[
            { value: 'full', label: 'Full price from the first payment (coupons may apply)' },
            { value: 'intro', label: 'An introductory price for the first months' },
            { value: 'trial', label: 'A free trial, then full price' },
          ]}
        />
        <div class="grid-2">
          <TextField name="introTotal" label="Introductory price, in all" value={values.introTotal} errors={errors} inputMode="decimal" size="small" placeholder="15.00" hint="The total for the introductory months, in the plan's currency." />
          <TextField name="introMonths" label="Introductory months" type="number" inputMode="numeric" min={1} max={36} value={values.introMonths} errors={errors} size="small" hint="1 to 36; whole years for a yearly plan." />
        </div>
        <TextField name="trialDays" label="Free trial days" type="number" inputMode="numeric" min={1} max={90} value={values.trialDays} errors={errors} size="small" hint="1 to 90; used only with a free trial." />
        <div class="grid-2">
          <TextField name="position" label="Position" type="number" inputMode="numeric" value={values.position} errors={errors} size="small" hint="Lower comes first on the subscribe page; the first is featured." />
          <Checkbox name="isActive" label="Active: shown on the subscribe page" isChecked={values.isActive} />
        </div>
        <div class="actions"><button class="btn" type="submit" data-action="save-offer">{offer ? 'Save offer' : 'Create offer'}</button></div>
      </form>
    </AdminLayout>
  );
}

export function CouponFormPage(props: { frame: AdminFrame; coupon: Coupon | null; values: CouponFormValues; errors: FieldErrors }) {
  const { frame, coupon, values, errors } = props;
  const title = coupon ? `Coupon: ${coupon.code}` : 'New coupon';
  return (
    <AdminLayout frame={frame} title={title}>
      <div class="page-head"><h1>{title}</h1></div>
      <p><a href="/admin/plans">Plans &amp; offers</a></p>
      <ErrorSummary errors={errors} />
      <form class="form settings-form" method="post" action={coupon ? `/admin/plans/coupons/${encodeURIComponent(coupon.code)}` : '/admin/plans/coupons/new'} data-form="coupon" novalidate>
        <AdminCsrf frame={frame} />
        {coupon ? (
          <dl class="kv"><dt>Code</dt><dd><code>{coupon.code}</code></dd><dt>Used</dt><dd>{coupon.redeemedCount.toLocaleString('en-US')} times</dd></dl>
        ) : (
          <TextField name="code" label="Code" value={values.code} errors={errors} isRequired maxLength={40} hint="What readers type, such as SPRING25; letters are kept in capitals. It cannot be changed later." />
        )}
        <TextField name="percentOff" label="Percent off" type="number" inputMode="numeric" min={1} max={100} value={values.percentOff} errors={errors} size="small" />
        <ChoiceGroup
          type="radio"
          name="duration"
          label="For"
          values={[values.duration]}
          errors={errors}
          options={[
            { value: 'once', label: 'The first payment' },
            { value: 'repeating', label: 'A number of months' },
            { value: 'forever', label: 'Every payment, for as long as the subscription lasts' },
          ]}
        />
        <TextField name="durationMonths" label="Months" type="number" inputMode="numeric" min={1} max={36} value={values.durationMonths} errors={errors} size="small" hint="1 to 36; used only for a number of months." />
        <div class="grid-2">
          <TextField name="expires" label="Last day it can be used" type="date" value={values.expires} errors={errors} size="small" hint={`Empty = no end. The day ends at midnight, ${frame.site.publication.timeZone} time.`} />
          <TextField name="maxRedemptions" label="Most uses" type="number" inputMode="numeric" min={1} value={values.maxRedemptions} errors={errors} size="small" hint="Empty = no limit." />
        </div>
        <Checkbox name="isActive" label="Active: readers can use it" isChecked={values.isActive} />
        <div class="actions"><button class="btn" type="submit" data-action="save-coupon">{coupon ? 'Save coupon' : 'Create coupon'}</button></div>
      </form>
    </AdminLayout>
  );
}
