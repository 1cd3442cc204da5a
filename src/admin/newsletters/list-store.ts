// The newsroom's changes to newsletter lists, and the overview the lists page shows: each
// list with its members by status and its latest issue. A change and its audit row are one
// transaction.
import type { Db } from '../../db/database.ts';
import type { IssueStatus, ListMemberStatus } from '../../db/schema.ts';
import { getList, loadLists } from '../../newsletters/lists.ts';
import type { NewsletterList } from '../../newsletters/types.ts';
import { recordAudit, type Actor } from '../audit.ts';
import type { FieldErrors } from '../form-result.ts';
import { describeSchedule, listChanges, listFormValues, parseListForm, type ListInput } from './list-form.ts';

export type MemberCounts = Record<ListMemberStatus, number>;

export interface ListOverview {
  list: NewsletterList;
  members: MemberCounts;
  issues: number;
  latest: { id: number; slug: string; status: IssueStatus; sendAt: number | null; finishedAt: number | null } | null;
}

export async function listOverview(db: Db): Promise<ListOverview[]> {
  const [lists, counts, issueCounts, latest] = await Promise.all([
    loadLists(db),
    db.selectFrom('list_members').select((eb) => ['list_id', 'status', eb.fn.countAll<number>().as('n')]).groupBy(['list_id', 'status']).execute(),
    db.selectFrom('newsletter_issues').select((eb) => ['list_id', eb.fn.countAll<number>().as('n'), eb.fn.max('id').as('latest')]).groupBy('list_id').execute(),
    db
      .selectFrom('newsletter_issues')
      .select(['id', 'list_id', 'slug', 'status', 'send_at', 'finished_at'])
      .where('id', 'in', (eb) => eb.selectFrom('newsletter_issues').select((e) => e.fn.max('id').as('id')).groupBy('list_id'))
      .execute(),
  ]);
  return lists.map((list) => {
    const members: MemberCounts = { active: 0, pending: 0, unsubscribed: 0 };
    for (const c of counts) if (c.list_id === list.id && c.status in members) members[c.status] = Number(c.n);
    const row = latest.find((r) => r.list_id === list.id);
    return {
      list,
      members,
      issues: Number(issueCounts.find((c) => c.list_id === list.id)?.n ?? 0),
      latest: row ? { id: row.id, slug: row.slug, status: row.status, sendAt: row.send_at === null ? null : Number(row.send_at), finishedAt: row.finished_at === null ? null : Number(row.finished_at) } : null,
    };
  });
}

export async function memberCounts(db: Db, listId: number): Promise<MemberCounts> {
  const rows = await db.selectFrom('list_members').select((eb) => ['status', eb.fn.countAll<number>().as('n')]).where('list_id', '=', listId).groupBy('status').execute();
  const out: MemberCounts = { active: 0, pending: 0, unsubscribed: 0 };
  for (const r of rows) if (r.status in out) out[r.status] = Number(r.n);
  return out;
}

export type ListSaveResult = { ok: true; list: NewsletterList } | { ok: false; reason: 'not-found' } | { ok: false; reason: 'invalid'; errors: FieldErrors };

function columns(input: ListInput) {
  return {
    name: input.name,
    description: input.description,
    entitlement: input.entitlement,
    is_open_to_signups: input.isOpenToSignups ? 1 : 0,
    is_automatic: input.isAutomatic ? 1 : 0,
    schedule: input.schedule ? JSON.stringify(input.schedule) : null,
    is_active: input.isActive ? 1 : 0,
    position: input.position,
  };
}

const slugTaken = (slug: string): ListSaveResult => ({ ok: false, reason: 'invalid', errors: { slug: `A list already has the address /newsletters/${slug}` } });

export async function createList(db: Db, opts: { input: ListInput; actor: Actor; now: number }): Promise<ListSaveResult> {
  const { input } = opts;
  try {
    const id = await db.transaction().execute(async (tx) => {
      const existing = await tx.selectFrom('newsletter_lists').select('id').where('slug', '=', input.slug).executeTakeFirst();
      if (existing) return null;
      const row = await tx.insertInto('newsletter_lists').values({ slug: input.slug, created_at: opts.now, ...columns(input) }).returning('id').executeTakeFirstOrThrow();
      await recordAudit(tx, { actor: opts.actor, action: 'newsletter', detail: `created the list “${input.name}” (/newsletters/${input.slug}, ${describeSchedule(input.schedule)})`, at: opts.now });
      return row.id;
    });
    if (id === null) return slugTaken(input.slug);
    return { ok: true, list: (await getList(db, { id }))! };
  } catch (err) {
    // Another admin created the same address in between: the unique slug refused this one.
    if (await db.selectFrom('newsletter_lists').select('id').where('slug', '=', input.slug).executeTakeFirst()) return slugTaken(input.slug);
    throw err;
  }
}

/** Everything but the slug, which is the archive's address and stays. */
export async function updateList(db: Db, opts: { id: number; input: ListInput; actor: Actor; now: number }): Promise<ListSaveResult> {
  return db.transaction().execute(async (tx): Promise<ListSaveResult> => {
    const current = await getList(tx, { id: opts.id });
    if (!current) return { ok: false, reason: 'not-found' };
    const before = parseListForm(formOf(current), { isNew: false, slug: current.slug });
    await tx.updateTable('newsletter_lists').set(columns(opts.input)).where('id', '=', opts.id).execute();
    const changes = before.ok ? listChanges(before.value, opts.input) : 'settings changed';
    if (changes) await recordAudit(tx, { actor: opts.actor, action: 'newsletter', detail: `list “${opts.input.name}”: ${changes}`, at: opts.now });
    return { ok: true, list: (await getList(tx, { id: opts.id }))! };
  });
}

/** The list as its form would post it, so "before" and "after" are compared alike. */
function formOf(list: NewsletterList): Record<string, unknown> {
  const v = listFormValues(list);
  return {
    name: v.name,
    description: v.description,
    entitlement: v.entitlement,
    days: v.days,
    time: v.time,
    position: v.position,
    ...(v.isOpenToSignups ? { isOpenToSignups: 'on' } : {}),
    ...(v.isAutomatic ? { isAutomatic: 'on' } : {}),
    ...(v.isActive ? { isActive: 'on' } : {}),
  };
}
