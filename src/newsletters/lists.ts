// Newsletter lists as the domain sees them: rows parsed once at the edge.
import { z } from 'zod';
import type { Db, Tx } from '../db/database.ts';
import type { NewsletterListsTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';
import type { ListSchedule, NewsletterList } from './types.ts';

export const scheduleSchema = z.object({
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM'),
});

export function parseSchedule(json: string | null): ListSchedule | null {
  if (json === null) return null;
  try {
    const parsed = scheduleSchema.safeParse(JSON.parse(json));
    return parsed.success ? { days: [...new Set(parsed.data.days)].sort(), time: parsed.data.time } : null;
  } catch {
    return null;
  }
}

export function toList(row: Selectable<NewsletterListsTable>): NewsletterList {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    entitlement: row.entitlement,
    isOpenToSignups: row.is_open_to_signups === 1,
    isAutomatic: row.is_automatic === 1,
    schedule: parseSchedule(row.schedule),
    isActive: row.is_active === 1,
    position: row.position,
  };
}

/** Every list, in the order readers see them. */
export async function loadLists(db: Db | Tx, opts: { activeOnly?: boolean } = {}): Promise<NewsletterList[]> {
  let q = db.selectFrom('newsletter_lists').selectAll().orderBy('position').orderBy('id');
  if (opts.activeOnly) q = q.where('is_active', '=', 1);
  return (await q.execute()).map(toList);
}

export async function getList(db: Db | Tx, by: { id: number } | { slug: string }): Promise<NewsletterList | null> {
  const q = db.selectFrom('newsletter_lists').selectAll();
  const row = await ('id' in by ? q.where('id', '=', by.id) : q.where('slug', '=', by.slug)).executeTakeFirst();
  return row ? toList(row) : null;
}
