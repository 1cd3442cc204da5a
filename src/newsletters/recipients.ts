// Who receives a list's issue: its active members, and the readers who hold the list's
// entitlement and did not opt out. Read in batches (a list may have hundreds of thousands of
// recipients; memory stays flat), each address once, lower-cased.
import type { Db, Tx } from '../db/database.ts';
import { toSubscription } from '../billing/subscription-store.ts';
import { listPlans } from '../billing/catalog.ts';
import { entitlementsFor, type Entitlements, type GiftGrant } from '../billing/entitlements.ts';
import { ENTITLEMENTS, type Entitlement, type Plan } from '../billing/types.ts';
import type { NewsletterList } from './types.ts';

export interface Recipient {
  /** Lower-cased. */
  email: string;
  readerId: number | null;
  /**
   * Holds `web` (a subscriber who may read subscriber-only stories on the site): only then does
   * the copy carry access tokens for them. Holding the list's entitlement alone (a Weekly-only
   * plan holds `daily`) brings the list, not the site's subscriber-only stories.
   */
  isEntitled: boolean;
}

export const RECIPIENT_BATCH = 500;

function asEntitlement(name: string | null): Entitlement | null {
  return name !== null && (ENTITLEMENTS as string[]).includes(name) ? (name as Entitlement) : null;
}

/** Entitlements of a batch of readers at `now`: three queries for the whole batch. */
async function entitlementsOf(db: Db | Tx, readerIds: number[], plans: Map<number, Plan>, now: number): Promise<Map<number, Entitlements>> {
  const result = new Map<number, Entitlements>();
  if (readerIds.length === 0) return result;
  const [subRows, giftRows] = await Promise.all([
    db.selectFrom('subscriptions').selectAll().where('reader_id', 'in', readerIds).execute(),
    db.selectFrom('gifts').select(['id', 'plan_id', 'starts_at', 'ends_at', 'redeemed_by']).where('redeemed_by', 'in', readerIds).where('status', '=', 'redeemed').execute(),
  ]);
  const subs = new Map<number, ReturnType<typeof toSubscription>[]>();
  for (const row of subRows) {
    const list = subs.get(row.reader_id) ?? [];
    list.push(toSubscription(row));
    subs.set(row.reader_id, list);
  }
  const gifts = new Map<number, GiftGrant[]>();
  for (const g of giftRows) {
    if (g.starts_at === null || g.ends_at === null || g.redeemed_by === null) continue;
    const list = gifts.get(g.redeemed_by) ?? [];
    list.push({ id: g.id, startsAt: g.starts_at, endsAt: g.ends_at, entitlements: plans.get(g.plan_id)?.entitlements ?? [] });
    gifts.set(g.redeemed_by, list);
  }
  for (const id of readerIds) {
    result.set(id, entitlementsFor({ subscriptions: subs.get(id) ?? [], plans, gifts: gifts.get(id) ?? [], isStaff: false }, now));
  }
  return result;
}

/**
 * The list's recipients in batches of at most `batchSize`. Two disjoint passes, so no address
 * comes twice without remembering the ones seen: first the readers holding the list's
 * entitlement (minus those who unsubscribed), then the active members who do not hold it.
 */
export async function* recipientBatches(db: Db | Tx, list: NewsletterList, opts: { now: number; batchSize?: number }): AsyncGenerator<Recipient[]> {
  const size = opts.batchSize ?? RECIPIENT_BATCH;
  const listEntitlement = asEntitlement(list.entitlement);
  const plans = new Map((await listPlans(db as Db)).map((p) => [p.id, p]));

  if (listEntitlement) {
    let after = 0;
    for (;;) {
      // Only readers with a subscription or a redeemed gift can hold an entitlement.
      const readers = await db
        .selectFrom('readers')
        .select(['id', 'email'])
        .where('id', '>', after)
        .where((eb) => eb.or([
          eb.exists(eb.selectFrom('subscriptions').select('subscriptions.id').whereRef('subscriptions.reader_id', '=', 'readers.id')),
          eb.exists(eb.selectFrom('gifts').select('gifts.id').whereRef('gifts.redeemed_by', '=', 'readers.id').where('gifts.status', '=', 'redeemed')),
        ]))
        .orderBy('id')
        .limit(size)
        .execute();
      if (readers.length === 0) break;
      after = readers[readers.length - 1].id;
      const rights = await entitlementsOf(db, readers.map((r) => r.id), plans, opts.now);
      const holders = readers.filter((r) => rights.get(r.id)?.[listEntitlement] != null);
      if (holders.length === 0) continue;
      const emails = holders.map((r) => r.email.toLowerCase());
      const optedOut = new Set(
        (await db.selectFrom('list_members').select('email').where('list_id', '=', list.id).where('status', '=', 'unsubscribed').where('email', 'in', emails).execute()).map((m) => m.email),
      );
      const batch = holders.filter((r) => !optedOut.has(r.email.toLowerCase())).map((r) => ({ email: r.email.toLowerCase(), readerId: r.id, isEntitled: rights.get(r.id)?.web != null }));
      if (batch.length > 0) yield batch;
    }
  }

  let after = 0;
  for (;;) {
    const members = await db
      .selectFrom('list_members')
      .select(['id', 'email', 'reader_id'])
      .where('list_id', '=', list.id)
      .where('status', '=', 'active')
      .where('id', '>', after)
      .orderBy('id')
      .limit(size)
      .execute();
    if (members.length === 0) break;
    after = members[members.length - 1].id;
    const emails = members.map((m) => m.email.toLowerCase());
    const readers = await db.selectFrom('readers').select(['id', 'email']).where('email', 'in', emails).execute();
    const readerByEmail = new Map(readers.map((r) => [r.email.toLowerCase(), r.id]));
    const rights = await entitlementsOf(db, readers.map((r) => r.id), plans, opts.now);
    const batch: Recipient[] = [];
    for (const m of members) {
      const email = m.email.toLowerCase();
      const readerId = readerByEmail.get(email) ?? m.reader_id;
      const held = readerId === null ? undefined : rights.get(readerId);
      // Holders of the list's entitlement came in the first pass.
      if (listEntitlement && held?.[listEntitlement] != null) continue;
      batch.push({ email, readerId, isEntitled: held?.web != null });
    }
    if (batch.length > 0) yield batch;
  }
}
