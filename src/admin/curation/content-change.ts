// One transaction per curation change: the change, its audit row and the content-version bump
// (which makes every app process drop its cached pages) commit together or not at all.
import type { Db, Tx } from '../../db/database.ts';
import { bumpContentVersion } from '../../content/article-store.ts';

export type Outcome<T, F> = { ok: true; value: T } | { ok: false; failure: F };

class Refused<F> extends Error {
  constructor(readonly failure: F) {
    super('refused');
  }
}

/**
 * Runs `work` in a transaction that bumps the content version first. On PostgreSQL that
 * update holds the version row's lock until commit, so two editors saving at once are taken
 * one after the other and each sees what the other saved. A refusal rolls everything back.
 */
export async function changeContent<T, F>(db: Db, work: (tx: Tx) => Promise<Outcome<T, F>>): Promise<Outcome<T, F>> {
  try {
    return await db.transaction().execute(async (tx) => {
      await bumpContentVersion(tx);
      const outcome = await work(tx);
      if (!outcome.ok) throw new Refused(outcome.failure);
      return outcome;
    });
  } catch (err) {
    if (err instanceof Refused) return { ok: false, failure: err.failure as F };
    throw err;
  }
}

export const done = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const refuse = <F>(failure: F): { ok: false; failure: F } => ({ ok: false, failure });
