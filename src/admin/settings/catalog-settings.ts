// Plans, offers and coupons from the newsroom: each save is one transaction holding the
// change and its audit row. The subscribe page reads the catalog on every request, so an
// edit shows there at once; no cached page carries it.
import type { Db } from '../../db/database.ts';
import type { Coupon } from '../../billing/types.ts';
import {
  couponByCode,
  createCoupon,
  createOffer,
  createPlan,
  listPlansForAdmin,
  updateCoupon,
  updateOffer,
  updatePlan,
  type AdminOffer,
  type AdminPlan,
  type CouponFields,
  type NewPlan,
  type OfferFields,
} from '../../billing/catalog-admin.ts';
import { recordAudit } from '../audit.ts';
import type { FieldErrors } from './form.ts';
import { describeCouponChange, describeOfferChange, describePlanChange } from './catalog-form.ts';
import type { Actor } from '../audit.ts';

export type SaveOutcome<K> = { ok: true; key: K } | { ok: false; errors: FieldErrors };

interface Deps {
  db: Db;
  now: () => number;
}

export async function savePlan(deps: Deps, actor: Actor, existing: AdminPlan | null, input: NewPlan): Promise<SaveOutcome<number>> {
  return deps.db.transaction().execute(async (tx): Promise<SaveOutcome<number>> => {
    let id: number;
    if (existing) {
      await updatePlan(tx, existing.id, input);
      id = existing.id;
    } else {
      const clash = await tx.selectFrom('plans').select('id').where('slug', '=', input.slug).executeTakeFirst();
      if (clash) return { ok: false, errors: { slug: 'another plan already uses this slug' } };
      id = await createPlan(tx, input);
    }
    await recordAudit(tx, { actor, action: 'plan', detail: describePlanChange(existing, input), at: deps.now() });
    return { ok: true, key: id };
  });
}

export async function saveOffer(deps: Deps, actor: Actor, existing: AdminOffer | null, input: OfferFields & { slug: string }): Promise<SaveOutcome<number>> {
  return deps.db.transaction().execute(async (tx): Promise<SaveOutcome<number>> => {
    let id: number;
    if (existing) {
      await updateOffer(tx, existing.id, input);
      id = existing.id;
    } else {
      const clash = await tx.selectFrom('offers').select('id').where('slug', '=', input.slug).executeTakeFirst();
      if (clash) return { ok: false, errors: { slug: 'another offer already uses this slug' } };
      id = await createOffer(tx, input);
    }
    const plans = await listPlansForAdmin(tx);
    await recordAudit(tx, { actor, action: 'offer', detail: describeOfferChange(existing, input, plans), at: deps.now() });
    return { ok: true, key: id };
  });
}

export async function saveCoupon(deps: Deps & { timeZone: string }, actor: Actor, existing: Coupon | null, input: CouponFields & { code: string }): Promise<SaveOutcome<string>> {
  return deps.db.transaction().execute(async (tx): Promise<SaveOutcome<string>> => {
    if (existing) {
      await updateCoupon(tx, existing.code, input);
    } else {
      if (await couponByCode(tx, input.code)) return { ok: false, errors: { code: 'a coupon with this code exists already' } };
      await createCoupon(tx, input);
    }
    await recordAudit(tx, { actor, action: 'coupon', detail: describeCouponChange(existing, input, deps.timeZone), at: deps.now() });
    return { ok: true, key: input.code };
  });
}
