// Reading readers for the newsroom: the searchable, filtered list and one reader's whole
// record (subscriptions, payments, gifts, newsletters, recent activity). Read-only.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { ACCOUNT_KEYS } from '../../db/migrations/007-events-by-reader.ts';
import type { Db } from '../../db/database.ts';
import type { Database, ReaderRow } from '../../db/schema.ts';
import { listPlans } from '../../billing/catalog.ts';
import { loadEntitlements } from '../../billing/billing-service.ts';
import type { Entitlements } from '../../billing/entitlements.ts';
import { readerSubscriptions, toSubscription } from '../../billing/subscription-store.ts';
import { GRACE_DAYS, PERIOD_LEEWAY_MS } from '../../billing/subscription.ts';
import type { Plan, Subscription } from '../../billing/types.ts';
import type { ListMemberStatus } from '../../db/schema.ts';
import { loadLists } from '../../newsletters/lists.ts';
import { listState } from '../../newsletters/members.ts';
import type { NewsletterList } from '../../newsletters/types.ts';
import { containsText } from '../../shared/like-pattern.ts';
import { READERS_PER_PAGE, type ReaderSearch } from './reader-forms.ts';
import { summarizeReader, type ReaderSummary } from './reader-standing.ts';

const GRACE_MS = GRACE_DAYS * 86_400_000;

type ReadersEb = ExpressionBuilder<Database, 'readers'>;

// The SQL twins of readerStanding (reader-standing.ts): access() and the gift window.
function hasLiveSubscription(eb: ReadersEb, now: number): Expression<SqlBool> {
  return eb.exists(
    eb.selectFrom('subscriptions as s').select('s.id').whereRef('s.reader_id', '=', 'readers.id').where((e) =>
      e.or([
        e.and([e('s.status', 'in', ['trialing', 'active', 'canceled']), e('s.current_period_end', '>', now - PERIOD_LEEWAY_MS)]),
        e.and([e('s.status', '=', 'past_due'), e(e.fn.coalesce('s.past_due_since', 's.current_period_end'), '>', now - GRACE_MS)]),
      ]),
    ),
  );
}
function hasLiveGift(eb: ReadersEb, now: number): Expression<SqlBool> {
  return eb.exists(eb.selectFrom('gifts as g').select('g.id').whereRef('g.redeemed_by', '=', 'readers.id').where('g.status', '=', 'redeemed').where('g.starts_at', '<=', now).where('g.ends_at', '>', now));
}
function hasEverSubscribed(eb: ReadersEb): Expression<SqlBool> {
  return eb.or([
    eb.exists(eb.selectFrom('subscriptions as s').select('s.id').whereRef('s.reader_id', '=', 'readers.id').where('s.status', '<>', 'incomplete')),
    eb.exists(eb.selectFrom('gifts as g').select('g.id').whereRef('g.redeemed_by', '=', 'readers.id').where('g.status', '=', 'redeemed')),
  ]);
}

export interface ReaderListRow extends ReaderSummary {
  id: number;
  email: string;
  name: string;
  createdAt: number;
}

export interface ReaderList {
  rows: ReaderListRow[];
  total: number;
  /** The page shown: the one asked for, or the last when it asked past the end. */
  page: number;
  pages: number;
}

export async function searchReaders(db: Db, search: ReaderSearch, now: number): Promise<ReaderList> {
  const where = (eb: ReadersEb): Expression<SqlBool> => {
    const conds: Expression<SqlBool>[] = [];
    if (search.q) conds.push(eb.or([containsText('readers.email', search.q), containsText('readers.name', search.q)]));
    const live = () => eb.or([hasLiveSubscription(eb, now), hasLiveGift(eb, now)]);
    if (search.state === 'subscribers') conds.push(live());
    if (search.state === 'lapsed') conds.push(eb.and([hasEverSubscribed(eb), eb.not(live())]));
    if (search.state === 'free') conds.push(eb.not(hasEverSubscribed(eb)));
    return eb.and(conds);
  };
  // Counted first, so that a page past the end (an old link, a list that shrank) shows the last one.
  const countRow = await db.selectFrom('readers').select((eb) => eb.fn.countAll().as('n')).where(where).executeTakeFirstOrThrow();
  const total = Number(countRow.n);
  const pages = Math.max(1, Math.ceil(total / READERS_PER_PAGE));
  const page = Math.min(search.page, pages);
  const readers = await db
    .selectFrom('readers')
    .select(['id', 'email', 'name', 'created_at'])
    .where(where)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(READERS_PER_PAGE)
    .offset((page - 1) * READERS_PER_PAGE)
    .execute();
  const ids = readers.map((r) => r.id);
  const [subRows, giftRows, plans] = ids.length === 0
    ? [[], [], [] as Plan[]]
    : await Promise.all([
      db.selectFrom('subscriptions').selectAll().where('reader_id', 'in', ids).execute(),
      db.selectFrom('gifts').select(['redeemed_by', 'status', 'starts_at', 'ends_at', 'plan_id']).where('redeemed_by', 'in', ids).execute(),
      listPlans(db),
    ]);
  const planMap = new Map(plans.map((p) => [p.id, p]));
  const rows = readers.map((r) => {
    const subs = subRows.filter((s) => s.reader_id === r.id).map(toSubscription);
    const gifts = giftRows.filter((g) => g.redeemed_by === r.id).map((g) => ({ status: g.status, startsAt: g.starts_at, endsAt: g.ends_at, planId: g.plan_id }));
    return { id: r.id, email: r.email, name: r.name, createdAt: r.created_at, ...summarizeReader(subs, gifts, planMap, now) };
  });
  return { rows, total, page, pages };
}

export interface ReaderEvent {
  id: number;
  kind: string;
  at: number;
  articleId: number | null;
  headline: string | null;
  urlPath: string | null;
  detail: string;
}

/** A list the reader receives, or has a membership row on (pending, unsubscribed). */
export interface ReaderNewsletter {
  list: NewsletterList;
  isReceiving: boolean;
  via: 'member' | 'entitlement' | null;
  status: ListMemberStatus | null;
  source: string | null;
}

export interface ReaderDetail {
  reader: ReaderRow;
  newsletters: ReaderNewsletter[];
  subscriptions: Subscription[];
  plans: Plan[];
  entitlements: Entitlements;
  payments: { id: number; kind: string; amountCents: number; currency: string; status: string; provider: string; at: number }[];
  giftsReceived: { id: number; planId: number; months: number; from: string; startsAt: number | null; endsAt: number | null }[];
  giftsBought: { id: number; planId: number; months: number; recipient: string; status: string; at: number }[];
  events: ReaderEvent[];
  /** Sessions that are still valid (devices signed in). */
  activeSessions: number;
}

export const READER_EVENTS_SHOWN = 100;

export async function loadReaderDetail(db: Db, readerId: number, now: number): Promise<ReaderDetail | null> {
  const reader = await db.selectFrom('readers').selectAll().where('id', '=', readerId).executeTakeFirst();
  if (!reader) return null;
  const [subscriptions, plans, entitlements, payments, received, bought, events, sessions, lists, memberships] = await Promise.all([
    readerSubscriptions(db, readerId),
    listPlans(db),
    loadEntitlements(db, { id: readerId }, { isStaff: false, now }),
    db.selectFrom('payments').select(['id', 'kind', 'amount_cents', 'currency', 'status', 'provider', 'created_at']).where('reader_id', '=', readerId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(100).execute(),
    db.selectFrom('gifts').select(['id', 'plan_id', 'months', 'purchaser_name', 'purchaser_email', 'starts_at', 'ends_at']).where('redeemed_by', '=', readerId).orderBy('id', 'desc').execute(),
    db.selectFrom('gifts').select(['id', 'plan_id', 'months', 'recipient_email', 'status', 'created_at']).where(sql<SqlBool>`lower(purchaser_email) = ${reader.email.toLowerCase()}`).orderBy('id', 'desc').execute(),
    db
      .selectFrom('events')
      .leftJoin('articles', 'articles.id', 'events.article_id')
      .select(['events.id', 'events.kind', 'events.created_at', 'events.article_id', 'events.detail', 'articles.headline', 'articles.url_path'])
      .where('events.reader_key', '=', `r:${readerId}`)
      // The partial index's own range, so the planner may use it (see migration 007).
      .where('events.reader_key', '>=', ACCOUNT_KEYS.from)
      .where('events.reader_key', '<', ACCOUNT_KEYS.to)
      .orderBy('events.created_at', 'desc')
      .orderBy('events.id', 'desc')
      .limit(READER_EVENTS_SHOWN)
      .execute(),
    db.selectFrom('sessions').select((eb) => eb.fn.countAll().as('n')).where('reader_id', '=', readerId).where('revoked_at', 'is', null).where('expires_at', '>', now).executeTakeFirstOrThrow(),
    loadLists(db),
    db.selectFrom('list_members').select(['list_id', 'status', 'source']).where('email', '=', reader.email.toLowerCase()).execute(),
  ]);
  const held = entitlements as Record<string, unknown>;
  const newsletters: ReaderNewsletter[] = lists.flatMap((list) => {
    const row = memberships.find((m) => m.list_id === list.id);
    const state = listState(list, row, list.entitlement !== null && held[list.entitlement] != null);
    return row || state.isReceiving ? [{ ...state, status: row?.status ?? null, source: row?.source ?? null }] : [];
  });
  return {
    reader,
    newsletters,
    subscriptions,
    plans,
    entitlements,
    payments: payments.map((p) => ({ id: p.id, kind: p.kind, amountCents: p.amount_cents, currency: p.currency, status: p.status, provider: p.provider, at: p.created_at })),
    giftsReceived: received.map((g) => ({ id: g.id, planId: g.plan_id, months: g.months, from: g.purchaser_name || g.purchaser_email, startsAt: g.starts_at, endsAt: g.ends_at })),
    giftsBought: bought.map((g) => ({ id: g.id, planId: g.plan_id, months: g.months, recipient: g.recipient_email, status: g.status, at: g.created_at })),
    events: events.map((e) => ({ id: Number(e.id), kind: e.kind, at: Number(e.created_at), articleId: e.article_id, headline: e.headline, urlPath: e.url_path, detail: e.detail })),
    activeSessions: Number(sessions.n),
  };
}
