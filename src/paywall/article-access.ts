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
}

export interface AccessOutcome {
  decision: Decision;
  /** A new value for the reader cookie, when it must change. */
  setReaderCookie: string | null;
}

export async function decideArticleAccess(meter: MeterStore, input: AccessInput): Promise<AccessOutcome> {
  const { policy, article, reader } = input;
  const early = decideBeforeMeter(policy, article, reader);
  if (early) return { decision: early, setReaderCookie: null };

  const window = meterWindow(policy, input.now, input.timeZone);
  let facts: MeterFacts;
  let setReaderCookie: string | null = null;
  if (reader.readerId !== null) {
    facts = await meter.record({ readerKey: `r:${reader.readerId}`, windowKey: window.key, since: window.since, articleId: article.id, now: input.now });
  } else {
    const cookie = decodeReaderCookie(input.readerCookie, input.secret);
    if (!cookie) {
      // A first-time reader: the view lives in their new cookie; the database is not touched.
      facts = { isCounted: false, position: 1, used: 1 };
      setReaderCookie = encodeReaderCookie({ id: newReaderId(), first: { windowKey: window.key, articleId: article.id } }, input.secret);
    } else {
      const backfill = cookie.first && cookie.first.windowKey === window.key ? [cookie.first.articleId] : [];
      facts = await meter.record({ readerKey: `a:${cookie.id}`, windowKey: window.key, since: window.since, articleId: article.id, now: input.now, backfill });
    }
  }
  return { decision: decideMetered(policy, reader, facts), setReaderCookie };
}
