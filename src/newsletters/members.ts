// Who is on a list: free sign-ups (double opt-in), signed-in readers who ticked a list on
// their account page, and readers who receive a list through an entitlement unless they
// opted out. Unsubscribing works from a signed link alone and is idempotent.
import type { Db, Tx } from '../db/database.ts';
import type { ListMembersTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';
import { emailSchema } from '../accounts/magic-links.ts';
import { hitRateLimit, type RateRule } from '../accounts/rate-limit.ts';
import { hashToken, newToken } from '../accounts/tokens.ts';
import { loadEntitlements } from '../billing/billing-service.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { newsletterConfirmEmail } from '../mail/templates.ts';
import { getList, loadLists } from './lists.ts';
import type { UnsubscribeTarget } from './links.ts';
import { isSuppressed, unsuppress } from './suppression.ts';
import type { NewsletterList } from './types.ts';

type MemberRow = Selectable<ListMembersTable>;

export const CONFIRM_TTL_MS = 7 * 86_400_000;

/** A sign-up form is a way to mail anyone: limit it per client and per address. */
export const SIGNUP_LIMITS: { perAddress: RateRule; perClient: RateRule } = {
  perAddress: { limit: 3, windowMs: 3_600_000 },
  perClient: { limit: 20, windowMs: 3_600_000 },
};

export interface SignupMailContext {
  publicationName: string;
  publicUrl: string;
  timeZone: string;
}

export interface SignupRequest {
  listId: number;
  /** As typed: validated and lower-cased here. */
  email: string;
  /** The client's address, for the per-client limit. */
  clientKey: string;
  mail: SignupMailContext;
  /** Where the form was: 'site' unless told. */
  source?: string;
}

export type SignupResult = { ok: true; state: 'confirmation-sent' | 'already-active' | 'suppressed' } | { ok: false; reason: 'invalid-email' | 'list-closed' | 'rate-limited' };

/**
 * Starts a sign-up: the address becomes a pending member and gets the confirmation message.
 * A pending or unsubscribed address starts over with a new link; an active one is left as it
 * is; a suppressed address is left as it is and sent nothing. Callers show the same page for
 * every ok result, so the form never tells a stranger whether an address is on the list.
 */
export async function signUp(db: Db, req: SignupRequest, now: number): Promise<SignupResult> {
  const parsed = emailSchema.safeParse(req.email);
  if (!parsed.success) return { ok: false, reason: 'invalid-email' };
  const email = parsed.data;
  const list = await getList(db, { id: req.listId });
  if (!list || !list.isActive || !list.isOpenToSignups) return { ok: false, reason: 'list-closed' };
  const [byAddress, byClient] = await Promise.all([
    hitRateLimit(db, `newsletter-signup:addr:${hashToken(email)}`, SIGNUP_LIMITS.perAddress, now),
    hitRateLimit(db, `newsletter-signup:ip:${req.clientKey}`, SIGNUP_LIMITS.perClient, now),
  ]);
  if (!byAddress.allowed || !byClient.allowed) return { ok: false, reason: 'rate-limited' };

  const token = newToken();
  const tokenHash = hashToken(token);
  return db.transaction().execute(async (tx) => {
    // A suppressed address (it bounced for good, or its owner complained) is sent nothing, not
    // even this, and nothing changes: a link sent before the suppression still works.
    if (await isSuppressed(tx, email)) return { ok: true, state: 'suppressed' } as const;
    const reader = await tx.selectFrom('readers').select('id').where('email', '=', email).executeTakeFirst();
    const written = await tx
      .insertInto('list_members')
      .values({
        list_id: list.id, email, reader_id: reader?.id ?? null, status: 'pending', confirm_token_hash: tokenHash,
        confirm_expires_at: now + CONFIRM_TTL_MS, source: req.source ?? 'site', created_at: now, confirmed_at: null, unsubscribed_at: null,
      })
      .onConflict((oc) =>
        oc.columns(['list_id', 'email'])
          .doUpdateSet({ status: 'pending', confirm_token_hash: tokenHash, confirm_expires_at: now + CONFIRM_TTL_MS })
          // An active member stays active: a stranger typing their address changes nothing.
          .where('list_members.status', '<>', 'active'),
      )
      .executeTakeFirst();
    if (Number(written.numInsertedOrUpdatedRows ?? 0n) !== 1) return { ok: true, state: 'already-active' } as const;
    const link = `${req.mail.publicUrl}/newsletters/confirm?t=${encodeURIComponent(token)}`;
    const built = newsletterConfirmEmail({ ...req.mail, listName: list.name, listDescription: list.description, link, expiresDays: CONFIRM_TTL_MS / 86_400_000 });
    await enqueueMail(tx, { ...built, to: email, dedupeKey: `newsletter-confirm:${tokenHash}` }, now);
    return { ok: true, state: 'confirmation-sent' } as const;
  });
}

export type ConfirmCheck = { ok: true; list: NewsletterList; email: string; row: MemberRow } | { ok: false; reason: 'invalid' | 'expired' };

async function checkToken(db: Db | Tx, token: string, now: number): Promise<ConfirmCheck> {
  if (!token || token.length > 200) return { ok: false, reason: 'invalid' };
  const row = await db.selectFrom('list_members').selectAll().where('confirm_token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!row || row.status !== 'pending') return { ok: false, reason: 'invalid' };
  if (row.confirm_expires_at === null || row.confirm_expires_at <= now) return { ok: false, reason: 'expired' };
  const list = await getList(db, { id: row.list_id });
  if (!list) return { ok: false, reason: 'invalid' };
  return { ok: true, list, email: row.email, row };
}

/** What a confirmation link is for, without spending it (the GET page shows a button). */
export async function peekSignup(db: Db, token: string, now: number): Promise<{ ok: true; list: NewsletterList; email: string } | { ok: false; reason: 'invalid' | 'expired' }> {
  const check = await checkToken(db, token, now);
  return check.ok ? { ok: true, list: check.list, email: check.email } : check;
}

/**
 * Confirms a pending sign-up. Clicking the link proves the mailbox works and its owner wants
 * the list, so an earlier bounce or complaint no longer suppresses the address.
 */
export async function confirmSignup(db: Db, token: string, now: number): Promise<{ ok: true; list: NewsletterList } | { ok: false; reason: 'invalid' | 'expired' }> {
  return db.transaction().execute(async (tx) => {
    const check = await checkToken(tx, token, now);
    if (!check.ok) return check;
    const done = await tx
      .updateTable('list_members')
      .set({ status: 'active', confirmed_at: now, confirm_token_hash: null, confirm_expires_at: null, unsubscribed_at: null })
      .where('id', '=', check.row.id)
      .where('status', '=', 'pending')
      .where('confirm_token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) return { ok: false, reason: 'invalid' } as const;
    await unsuppress(tx, check.email);
    return { ok: true, list: check.list } as const;
  });
}

/**
 * The address an unsubscribe link acts on: the reader's current one when the copy went to a
 * reader account that still exists (they may have changed it since the issue went out), else
 * the address the link names.
 */
export async function currentAddress(db: Db | Tx, target: UnsubscribeTarget): Promise<string> {
  if (target.readerId) {
    const reader = await db.selectFrom('readers').select('email').where('id', '=', target.readerId).executeTakeFirst();
    if (reader) return reader.email.toLowerCase();
  }
  return target.email.toLowerCase();
}

/**
 * Takes the address off the list, whether it was a member or receives the list through an
 * entitlement (then an `unsubscribed` row records the opt-out). Saying it twice is the same
 * as saying it once; `wasMember` tells whether this call stopped anything.
 */
export async function unsubscribe(db: Db, target: UnsubscribeTarget, now: number): Promise<{ ok: true; list: NewsletterList; wasMember: boolean } | { ok: false; reason: 'unknown-list' }> {
  return db.transaction().execute(async (tx) => {
    const email = await currentAddress(tx, target);
    const list = await getList(tx, { id: target.listId });
    if (!list) return { ok: false, reason: 'unknown-list' } as const;
    const stopped = await tx
      .updateTable('list_members')
      .set({ status: 'unsubscribed', unsubscribed_at: now, confirm_token_hash: null, confirm_expires_at: null })
      .where('list_id', '=', list.id)
      .where('email', '=', email)
      .where('status', '<>', 'unsubscribed')
      .executeTakeFirst();
    if (Number(stopped.numUpdatedRows) > 0) return { ok: true, list, wasMember: true } as const;
    const reader = await tx.selectFrom('readers').select('id').where('email', '=', email).executeTakeFirst();
    await tx
      .insertInto('list_members')
      .values({
        list_id: list.id, email, reader_id: reader?.id ?? null, status: 'unsubscribed', confirm_token_hash: null, confirm_expires_at: null,
        source: 'unsubscribe', created_at: now, confirmed_at: null, unsubscribed_at: now,
      })
      .onConflict((oc) => oc.columns(['list_id', 'email']).doNothing())
      .execute();
    return { ok: true, list, wasMember: false } as const;
  });
}

/**
 * Undoes an unsubscribe from the same signed link (the "changed my mind" button). An opt-out
 * of an entitlement is simply removed, so the list follows the entitlement again; a former
 * member is active again without a new opt-in, the link having proved the address.
 */
export async function resubscribe(db: Db, target: UnsubscribeTarget, now: number): Promise<{ ok: true; list: NewsletterList } | { ok: false; reason: 'unknown-list' | 'list-closed' }> {
  return db.transaction().execute(async (tx) => {
    const email = await currentAddress(tx, target);
    const list = await getList(tx, { id: target.listId });
    if (!list) return { ok: false, reason: 'unknown-list' } as const;
    if (!list.isActive) return { ok: false, reason: 'list-closed' } as const;
    const row = await tx.selectFrom('list_members').selectAll().where('list_id', '=', list.id).where('email', '=', email).executeTakeFirst();
    if (row?.source === 'unsubscribe') {
      await tx.deleteFrom('list_members').where('id', '=', row.id).where('status', '=', 'unsubscribed').execute();
      return { ok: true, list } as const;
    }
    if (!row && !list.isOpenToSignups) return { ok: false, reason: 'list-closed' } as const;
    if (row) {
      await tx.updateTable('list_members')
        .set({ status: 'active', unsubscribed_at: null, confirm_token_hash: null, confirm_expires_at: null, confirmed_at: row.confirmed_at ?? now })
        .where('id', '=', row.id)
        .execute();
    } else {
      await tx.insertInto('list_members')
        .values({ list_id: list.id, email, reader_id: null, status: 'active', confirm_token_hash: null, confirm_expires_at: null, source: 'unsubscribe-page', created_at: now, confirmed_at: now, unsubscribed_at: null })
        .onConflict((oc) => oc.columns(['list_id', 'email']).doUpdateSet({ status: 'active', unsubscribed_at: null }))
        .execute();
    }
    return { ok: true, list } as const;
  });
}

export interface ReaderListState {
  list: NewsletterList;
  isReceiving: boolean;
  via: 'member' | 'entitlement' | null;
}

/** How a reader's membership of one list stands: pure, for the account page and tests. */
export function listState(list: NewsletterList, row: Pick<MemberRow, 'status'> | undefined, hasEntitlement: boolean): ReaderListState {
  if (row?.status === 'active') return { list, isReceiving: true, via: 'member' };
  if (hasEntitlement && row?.status !== 'unsubscribed') return { list, isReceiving: true, via: 'entitlement' };
  return { list, isReceiving: false, via: null };
}

/** Whether a reader may change this list from their account: open lists, their entitlements' lists, and any list they receive. */
function isChoosable(state: ReaderListState, hasEntitlement: boolean): boolean {
  return state.list.isOpenToSignups || hasEntitlement || state.isReceiving;
}

async function readerStates(db: Db, reader: { id: number; email: string }, now: number): Promise<{ state: ReaderListState; row: MemberRow | undefined; hasEntitlement: boolean }[]> {
  const email = reader.email.toLowerCase();
  const [lists, rows, entitlements] = await Promise.all([
    loadLists(db, { activeOnly: true }),
    db.selectFrom('list_members').selectAll().where('email', '=', email).execute(),
    loadEntitlements(db, { id: reader.id }, { isStaff: false, now }),
  ]);
  const held = entitlements as Record<string, unknown>;
  return lists
    .map((list) => {
      const row = rows.find((r) => r.list_id === list.id);
      const hasEntitlement = list.entitlement !== null && held[list.entitlement] != null;
      return { state: listState(list, row, hasEntitlement), row, hasEntitlement };
    })
    .filter((s) => isChoosable(s.state, s.hasEntitlement));
}

/** The active lists a signed-in reader may choose, each with whether they receive it and why. */
export async function readerLists(db: Db, reader: { id: number; email: string }, now: number): Promise<ReaderListState[]> {
  return (await readerStates(db, reader, now)).map((s) => s.state);
}

/**
 * Saves the account page's choices: `listIds` are the lists ticked. Only what changed is
 * written. The reader's address is proven by their sign-in, so no opt-in message is sent; a
 * pending sign-up left unticked stays pending (the form showed it unticked).
 */
export async function setReaderLists(db: Db, reader: { id: number; email: string }, listIds: number[], now: number): Promise<void> {
  const email = reader.email.toLowerCase();
  const states = await readerStates(db, reader, now);
  await db.transaction().execute(async (tx) => {
    for (const { state, row, hasEntitlement } of states) {
      const isWanted = listIds.includes(state.list.id);
      if (isWanted === state.isReceiving) continue;
      if (isWanted && hasEntitlement && row?.status === 'unsubscribed' && row.source === 'unsubscribe') {
        // Back to receiving through the entitlement, as if never opted out.
        await tx.deleteFrom('list_members').where('id', '=', row.id).execute();
      } else if (isWanted) {
        if (!state.list.isOpenToSignups && !hasEntitlement) continue;
        await tx.insertInto('list_members')
          .values({ list_id: state.list.id, email, reader_id: reader.id, status: 'active', confirm_token_hash: null, confirm_expires_at: null, source: 'account', created_at: now, confirmed_at: now, unsubscribed_at: null })
          .onConflict((oc) => oc.columns(['list_id', 'email']).doUpdateSet({ status: 'active', reader_id: reader.id, confirm_token_hash: null, confirm_expires_at: null, confirmed_at: now, unsubscribed_at: null }))
          .execute();
      } else {
        await tx.insertInto('list_members')
          .values({ list_id: state.list.id, email, reader_id: reader.id, status: 'unsubscribed', confirm_token_hash: null, confirm_expires_at: null, source: hasEntitlement ? 'unsubscribe' : 'account', created_at: now, confirmed_at: null, unsubscribed_at: now })
          .onConflict((oc) => oc.columns(['list_id', 'email']).doUpdateSet({ status: 'unsubscribed', reader_id: reader.id, confirm_token_hash: null, confirm_expires_at: null, unsubscribed_at: now }))
          .execute();
      }
    }
  });
}

/**
 * After a reader changes their e-mail address their lists follow it: rows under the old
 * address move to the new one, unless the new address already has its own row on that list.
 * Runs in the transaction that changes the address (accounts/readers.ts confirmEmailChange),
 * so the lists never stay behind under an address the reader no longer has.
 */
export async function moveReaderMemberships(tx: Tx, reader: { id: number; email: string }): Promise<void> {
  const email = reader.email.toLowerCase();
  const rows = await tx.selectFrom('list_members').select(['id', 'list_id', 'email']).where('reader_id', '=', reader.id).where('email', '<>', email).execute();
  for (const row of rows) {
    const taken = await tx.selectFrom('list_members').select('id').where('list_id', '=', row.list_id).where('email', '=', email).executeTakeFirst();
    if (taken) await tx.deleteFrom('list_members').where('id', '=', row.id).execute();
    else await tx.updateTable('list_members').set({ email }).where('id', '=', row.id).execute();
  }
}

export interface MemberCounts {
  active: number;
  pending: number;
  unsubscribed: number;
}

/** Members of each list by status, for the newsroom. */
export async function memberCounts(db: Db): Promise<Map<number, MemberCounts>> {
  const rows = await db
    .selectFrom('list_members')
    .select((eb) => ['list_id', 'status', eb.fn.countAll<number>().as('n')])
    .groupBy(['list_id', 'status'])
    .execute();
  const counts = new Map<number, MemberCounts>();
  for (const r of rows) {
    const c = counts.get(r.list_id) ?? { active: 0, pending: 0, unsubscribed: 0 };
    c[r.status] = Number(r.n);
    counts.set(r.list_id, c);
  }
  return counts;
}
