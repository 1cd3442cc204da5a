// Settings that shape every rendered page (the publication, the paywall policy): one JSON
// row each in `settings`, validated on the way in and out. Saving bumps the content version
// so every app process drops its cached pages, and runs `within` in the same transaction
// (the newsroom's audit entry commits with the change).
import type { z } from 'zod';
import type { Db, Tx } from '../db/database.ts';
import { bumpContentVersion } from './article-store.ts';

/** The stored value over the defaults; the defaults when the row is missing or no longer valid. */
export async function loadPageSetting<T>(db: Db, key: string, schema: z.ZodType<T>, defaults: T): Promise<T> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (!row) return defaults;
  const parsed = schema.safeParse({ ...defaults, ...JSON.parse(row.value) });
  return parsed.success ? parsed.data : defaults;
}

/** Merges `input` over the stored value, validates the whole (throws on bad input, writing nothing) and saves it. */
export async function savePageSetting<T>(
  db: Db,
  key: string,
  schema: z.ZodType<T>,
  defaults: T,
  input: Partial<T>,
  opts: { within?: (tx: Tx, saved: T) => Promise<void> } = {},
): Promise<T> {
  const next = schema.parse({ ...(await loadPageSetting(db, key, schema, defaults)), ...input });
  const value = JSON.stringify(next);
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
    await bumpContentVersion(tx);
    if (opts.within) await opts.within(tx, next);
  });
  return next;
}
