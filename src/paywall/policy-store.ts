// The paywall policy as staff set it: one row in `settings`, validated on the way in and out.
import { z } from 'zod';
import type { Db, Tx } from '../db/database.ts';
import { DEFAULT_POLICY, type MeterPolicy } from './meter-policy.ts';
import { loadPageSetting, savePageSetting } from '../content/page-settings.ts';
import { SECTION_PATH_PATTERN } from '../content/slug.ts';

const policySchema = z.object({
  window: z.union([z.object({ kind: z.literal('calendar-month') }), z.object({ kind: z.literal('rolling'), days: z.number().int().min(1).max(366) })]),
  anonymousLimit: z.number().int().min(0).max(1000),
  registeredLimit: z.number().int().min(0).max(1000),
  teaserParagraphs: z.number().int().min(0).max(20),
  sectionDefaults: z.record(z.string().regex(SECTION_PATH_PATTERN), z.enum(['metered', 'free', 'subscriber'])),
  defaultAccess: z.enum(['metered', 'free', 'subscriber']),
});

export async function getPolicy(db: Db): Promise<MeterPolicy> {
  return loadPageSetting(db, 'paywall', policySchema, DEFAULT_POLICY);
}

/** Teasers are cut from cached pages, so a saved policy rebuilds them. */
export function savePolicy(
  db: Db,
  input: Partial<MeterPolicy>,
  opts: {
    /** Runs inside the save's transaction: records that must commit or roll back with it (the newsroom's audit log). */
    within?: (tx: Tx, saved: MeterPolicy) => Promise<void>;
  } = {},
): Promise<MeterPolicy> {
  return savePageSetting(db, 'paywall', policySchema, DEFAULT_POLICY, input, opts);
}
