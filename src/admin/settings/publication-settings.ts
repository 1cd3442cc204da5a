// Saving the publication's settings from the newsroom: the store validates and bumps the
// content version (every cached page shows the name) and writes the audit row in the same
// transaction, and this process re-reads the site at once.
import type { Db } from '../../db/database.ts';
import { getPublication, savePublication, type Publication } from '../../content/publication.ts';
import type { SiteState } from '../../site/site-state.ts';
import { recordAudit, type Actor } from '../audit.ts';
import { describePublicationChange, type PublicationChange } from './publication-form.ts';

export async function updatePublication(deps: { db: Db; state: SiteState; now: () => number }, actor: Actor, change: PublicationChange): Promise<Publication> {
  const before = await getPublication(deps.db);
  // The audit row is written in savePublication's transaction: the change and its record commit together.
  const after = await savePublication(deps.db, change, {
    within: (tx, saved) => recordAudit(tx, { actor, action: 'settings', detail: describePublicationChange(before, saved), at: deps.now() }),
  });
  await deps.state.refresh();
  return after;
}
