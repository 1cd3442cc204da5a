/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Plans & offers (plans:manage): GET /admin/plans lists plans, offers and coupons;
// GET/POST /admin/plans/new and /admin/plans/:id, /admin/plans/offers/new and
// /admin/plans/offers/:id, /admin/plans/coupons/new and /admin/plans/coupons/:code edit them.
import { Hono } from 'hono';
import type { NewsroomDeps } from '../../deps.ts';
import { requireStaff } from '../../guard.tsx';
import {
  couponByCode,
  listCoupons,
  listOffersForAdmin,
  listPlansForAdmin,
  offerForAdmin,
  planForAdmin,
  subscribersPerPlan,
} from '../../../billing/catalog-admin.ts';
import { couponFormValues, offerFormValues, parseCouponForm, parseOfferForm, parsePlanForm, planFormValues } from '../../settings/catalog-form.ts';
import { saveCoupon, saveOffer, savePlan } from '../../settings/catalog-settings.ts';
import { CouponFormPage, OfferFormPage, PlanFormPage, PlansPage } from '../../views/plans.tsx';
import { SettingsNotFound } from '../../views/settings.tsx';
import { actorOf } from '../../audit.ts';
import { rowId } from '../../row-id.ts';
import { formBody, page } from './render.ts';

const BACK = { href: '/admin/plans', label: 'Plans & offers' };

export function plansRoutes(deps: NewsroomDeps): Hono {
  const app = new Hono();
  const { db } = deps;
  const saved = (what: 'plan' | 'offer' | 'coupon') => `/admin/plans?saved=${what}`;

  app.get('/admin/plans', async (c) => {
    const frame = await requireStaff(c, deps, 'plans:manage');
    if (frame instanceof Response) return frame;
    const [plans, offers, coupons, subscribers] = await Promise.all([listPlansForAdmin(db), listOffersForAdmin(db), listCoupons(db), subscribersPerPlan(db)]);
    const flag = c.req.query('saved');
    return page(c, <PlansPage frame={frame} plans={plans} offers={offers} coupons={coupons} subscribers={subscribers} saved={flag === 'plan' || flag === 'offer' || flag === 'coupon' ? flag : null} />);
  });

  // ---- Plans

  app.get('/admin/plans/new', async (c) => {
    const frame = await requireStaff(c, deps, 'plans:manage');
    if (frame instanceof Response) return frame;
    return page(c, <PlanFormPage frame={frame} plan={null} values={planFormValues(null)} errors={{}} subscribers={0} />);
  });

  app.post('/admin/plans/new', async (c) => {
    const frame = await requireStaff(c, deps, 'plans:manage');
    if (frame instanceof Response) return frame;
    const form = parsePlanForm(await formBody(c), { existing: null });
    const result = form.ok ? await savePlan(deps, actorOf(frame), null, form.value) : { ok: false as const, errors: form.errors };
    if (result.ok) return c.redirect(saved('plan'), 303);
    return page(c, <PlanFormPage frame={frame} plan={null} values={form.values} errors={result.errors} subscribers={0} />, 422);
  });

  app.get('/admin/plans/:id{[0-9]+}', async (c) => {
    const frame = await requireStaff(c, deps, 'plans:manage');
    if (frame instanceof Response) return frame;
    const id = rowId(c.req.param('id'));
    const plan = id === null ? null : await planForAdmin(db, id);
    if (!plan) return page(c, <SettingsNotFound frame={frame} what="plan" back={BACK} />, 404);
    const subscribers = (await subscribersPerPlan(db)).get(plan.id) ?? 0;
    return page(c, <PlanFormPage frame={frame} plan={plan} values={planFormValues(plan)} errors={{}} subscribers={subscribers} />);
  });

  app.post('/admin/plans/:id{[0-9]+}', async (c) => {
    const frame = await requireStaff(c, deps, 'plans:manage');
    if (frame instanceof Response) return frame;
    const id = rowId(c.req.param('id'));
    const plan = id === null ? null : await planForAdmin(db, id);
    if (!plan) return page(c, <SettingsNotFound frame={frame} what="plan" back={BACK} />, 404);
    const form = parsePlanForm(await formBody(c), { existing: plan });
    const result = form.ok ? await savePlan(deps, actorOf(frame), plan, form.value) : { ok: false as const, errors: form.errors };
    if (result.ok) return c.redirect(saved('plan'), 303);
    const subscribers = (await subscribersPerPlan(db)).get(plan.id) ?? 0;
    return page(c, <PlanFormPage frame={frame} plan={plan} values={form.values} errors={result.errors} subscribers={subscribers} />, 422);
  });

  // ---- Offers

  app.get('/admin/plans/offers/new', async (c) => {
    const frame = await requireStaff(c, deps, 'plans:manage');
    if (frame instanceof Response) return frame;
    const plans = await listPlansForAdmin(db);
    return page(c, <OfferFormPage frame={frame} offer={null} plans={plans} values={offerFormValues(null, plans)} errors={{}} />);
  });

  app.post('/admin/plans/offers/new', async (c) => {
    const frame = await requireStaff(c, deps, 'plans:manage');
    if (frame instanceof Response) return frame;
    const plans = await listPlansForAdmin(db);
    const form = parseOfferForm(await formBody(c), { existing: null, plans });
    const result = form.ok ? await saveOffer(deps, actorOf(frame), null, form.value) : { ok: false as const, errors: form.errors };
    if (result.ok) return c.redirect(saved('offer'), 303);
    return page(c, <OfferFormPage frame={frame} offer={null} plans={plans} values={form.values} errors={result.errors} />, 422);
  });

  app.get('/admin/plans/offers/:id{[0-9]+}', async (c) => {
    const frame = await requireStaff(c, deps, 'plans:manage');
    if (frame instanceof Response) return frame;
    const id = rowId(c.req.param('id'));
    const [offer, plans] = await Promise.all([id === null ? null : offerForAdmin(db, id), listPlansForAdmin(db)]);
    if (!offer) return page(c, <SettingsNotFound frame={frame} what="offer" back={BACK} />, 404);
    return page(c, <OfferFormPage frame={frame} offer={offer} plans={plans} values={offerFormValues(offer, plans)} errors={{}} />);
  });

  app.post('/admin/plans/offers/:id{[0-9]+}', async (c) => {
    const frame = await requireStaff(c, deps, 'plans:manage');
    if (frame instanceof Response) return frame;
    const id = rowId(c.req.param('id'));
    const [offer, plans] = await Promise.all([id === null ? null : offerForAdmin(db, id), listPlansForAdmin(db)]);
    if (!offer) return page(c, <SettingsNotFound frame={frame} what="offer" back={BACK} />, 404);
    const form = parseOfferForm(await formBody(c), { existing: offer, plans });
    const result = form.ok ? await saveOffer(deps, actorOf(frame), offer, form.value) : { ok: false as const, errors: form.errors };
    if (result.ok) return c.redirect(saved('offer'), 303);
    return page(c, <OfferFormPage frame={frame} offer={offer} plans={plans} values={form.values} errors={result.errors} />, 422);
  });

  // ---- Coupons

  app.get('/admin/plans/coupons/new', async (c) => {
    const frame = await requireStaff(c, deps, 'plans:manage');
    if (frame instanceof Response) return frame;
    return page(c, <CouponFormPage frame={frame} coupon={null} values={couponFormValues(null, frame.site.publication.timeZone)} errors={{}} />);
  });

  app.post('/admin/plans/coupons/new', async (c) => {
    const frame = await requireStaff(c, deps, 'plans:manage');
    if (frame instanceof Response) return frame;
    const timeZone = frame.site.publication.timeZone;
    const form = parseCouponForm(await formBody(c), { existing: null, timeZone, now: deps.now() });
    const result = form.ok ? await saveCoupon({ ...deps, timeZone }, actorOf(frame), null, form.value) : { ok: false as const, errors: form.errors };
    if (result.ok) return c.redirect(saved('coupon'), 303);
    return page(c, <CouponFormPage frame={frame} coupon={null} values={form.values} errors={result.errors} />, 422);
  });

  app.get('/admin/plans/coupons/:code{[A-Z0-9_-]+}', async (c) => {
    const frame = await requireStaff(c, deps, 'plans:manage');
    if (frame instanceof Response) return frame;
    const coupon = await couponByCode(db, c.req.param('code'));
    if (!coupon) return page(c, <SettingsNotFound frame={frame} what="coupon" back={BACK} />, 404);
    return page(c, <CouponFormPage frame={frame} coupon={coupon} values={couponFormValues(coupon, frame.site.publication.timeZone)} errors={{}} />);
  });

  app.post('/admin/plans/coupons/:code{[A-Z0-9_-]+}', async (c) => {
    const frame = await requireStaff(c, deps, 'plans:manage');
    if (frame instanceof Response) return frame;
    const coupon = await couponByCode(db, c.req.param('code'));
    if (!coupon) return page(c, <SettingsNotFound frame={frame} what="coupon" back={BACK} />, 404);
    const timeZone = frame.site.publication.timeZone;
    const form = parseCouponForm(await formBody(c), { existing: coupon, timeZone, now: deps.now() });
    const result = form.ok ? await saveCoupon({ ...deps, timeZone }, actorOf(frame), coupon, form.value) : { ok: false as const, errors: form.errors };
    if (result.ok) return c.redirect(saved('coupon'), 303);
    return page(c, <CouponFormPage frame={frame} coupon={coupon} values={form.values} errors={result.errors} />, 422);
  });

  return app;
}
