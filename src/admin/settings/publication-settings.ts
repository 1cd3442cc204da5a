// Saving the publication's settings from the newsroom: the store validates and bumps the
// content version (every cached page shows the name), this process re-reads the site at
// once, and the change is written to the audit log.
import type { Db } from '../../db/database.ts';
import { getPublication, savePublication, type Publication } from '../../content/publication.ts';
import type { SiteState } from '../../site/site-state.ts';
import { recordAudit } from '../audit.ts';
import { describePublicationChange, type PublicationChange } from './publication-form.ts';

export interface Actor {
  id: number;
  email: string;
}

export async function updatePublication(deps: { db: Db; state: SiteState; now: () => number }, actor: Actor, change: PublicationChange): Promise<Publication> {
  const before = await getPublication(deps.db);
  // savePublication runs its own transaction (and the version bump); the audit row follows it.
  const after = await savePublication(deps.db, change);
  await recordAudit(deps.db, { actor, action: 'settings', detail: describePublicationChange(before, after), at: deps.now() });
  await deps.state.refresh();
  return after;
}
