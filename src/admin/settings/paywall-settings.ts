// Saving the paywall policy from the newsroom: the store validates it and bumps the content
// version (pages keep the policy they were built with) with the audit row in the same
// transaction, and this process re-reads at once so the next reader's view follows it.
import type { Db } from '../../db/database.ts';
import type { MeterPolicy } from '../../paywall/meter-policy.ts';
import { getPolicy, savePolicy } from '../../paywall/policy-store.ts';
import type { SiteState } from '../../site/site-state.ts';
import { recordAudit } from '../audit.ts';
import { describePolicyChange } from './paywall-form.ts';
import type { Actor } from '../audit.ts';

export async function updatePolicy(deps: { db: Db; state: SiteState; now: () => number }, actor: Actor, policy: MeterPolicy): Promise<MeterPolicy> {
  const before = await getPolicy(deps.db);
  const after = await savePolicy(deps.db, policy, {
    within: (tx, saved) => recordAudit(tx, { actor, action: 'paywall', detail: describePolicyChange(before, saved), at: deps.now() }),
  });
  await deps.state.refresh();
  return after;
}
