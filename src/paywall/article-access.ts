// One decision per article view, used by every representation of an article (page, print
// view, and what comes later): who is reading, what the policy says, and — for a metered
// story — where this view stands on the reader's meter.
import type { AccessClass } from '../db/schema.ts';
import { decideBeforeMeter, decideMetered, meterWindow, type Decision, type MeterFacts, type MeterPolicy, type ReaderFacts } from './meter-policy.ts';
import type { MeterStore } from './meter-store.ts';
import { decodeReaderCookie, encodeReaderCookie, newReaderId } from './reader-cookie.ts';

export interface AccessInput {
  policy: MeterPolicy;
  timeZone: string;
  now: number;
  secret: string;
  article: { id: number; access: AccessClass };
  reader: ReaderFacts & { readerId: number | null };
  /** The anonymous reader cookie as received. */
  readerCookie: string | undefined;
  /** The meter window now, when the caller keeps it (see WindowCache). */
  window?: { key: string; since: number };
}

/**
 * Working out the month in a time zone (Intl) costs more than the rest of a view: a
 * calendar-month window is kept for a minute, the finest step its boundary needs here.
 */
export class WindowCache {
  private last: { minute: number; policy: MeterPolicy; timeZone: string; window: { key: string; since: number } } | null = null;

  get(policy: MeterPolicy, now: number, timeZone: string): { key: string; since: number } {
    if (policy.window.kind === 'rolling') return meterWindow(policy, now, timeZone);
    const minute = Math.floor(now / 60_000);
    const last = this.last;
    if (last && last.minute === minute && last.policy === policy && last.timeZone === timeZone) return last.window;
    const window = meterWindow(policy, now, timeZone);
    this.last = { minute, policy, timeZone, window };
    return window;
  }
}

export interface AccessOutcome {
  decision: Decision;
  /** A new value for the reader cookie, when it must change. */
  setReaderCookie: string | null;
  /** Whom the meter counts: "r:<reader id>", "a:<browser id>", or null when no meter was needed. */
  readerKey: string | null;
}

export async function decideArticleAccess(meter: MeterStore, input: AccessInput): Promise<AccessOutcome> {
  const { policy, article, reader } = input;
  const early = decideBeforeMeter(policy, article, reader);
  if (early) return { decision: early, setReaderCookie: null, readerKey: reader.readerId !== null ? `r:${reader.readerId}` : null };

  const window = input.window ?? meterWindow(policy, input.now, input.timeZone);
  let facts: MeterFacts;
  let setReaderCookie: string | null = null;
  let readerKey: string;
  if (reader.readerId !== null) {
    readerKey = `r:${reader.readerId}`;
    facts = await meter.record({ readerKey, windowKey: window.key, since: window.since, articleId: article.id, now: input.now });
  } else {
    const cookie = decodeReaderCookie(input.readerCookie, input.secret);
    if (!cookie) {
      // A first-time reader: the view lives in their new cookie; the database is not touched.
      facts = { isCounted: false, position: 1, used: 1 };
      const id = newReaderId();
      readerKey = `a:${id}`;
      setReaderCookie = encodeReaderCookie({ id, first: { windowKey: window.key, articleId: article.id } }, input.secret);
    } else {
      const backfill = cookie.first && cookie.first.windowKey === window.key ? [cookie.first.articleId] : [];
      readerKey = `a:${cookie.id}`;
      facts = await meter.record({ readerKey, windowKey: window.key, since: window.since, articleId: article.id, now: input.now, backfill });
      // The database has the first article now: the cookie need not carry it any more.
      if (cookie.first) setReaderCookie = encodeReaderCookie({ id: cookie.id, first: null }, input.secret);
    }
  }
  return { decision: decideMetered(policy, reader, facts), setReaderCookie, readerKey };
}
