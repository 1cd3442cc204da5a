// Who is reading an article, as the paywall needs it: signed in or not, entitled to the web
// or not, staff or not. Entitlements are remembered for a few seconds per session, so a
// subscriber's page views do not each query their subscriptions.
import type { Db } from '../db/database.ts';
import { findSession } from '../accounts/sessions.ts';
import { loadEntitlements } from '../billing/billing-service.ts';
import type { ReaderFacts } from '../paywall/meter-policy.ts';

const TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

export type ArticleReader = ReaderFacts & { readerId: number | null; /** Had a subscription that has ended. */ isLapsed: boolean };

export const ANONYMOUS: ArticleReader = { kind: 'anonymous', hasWebAccess: false, isStaff: false, isVerifiedCrawler: false, gateToken: null, readerId: null, isLapsed: false };

export class ReaderFactsResolver {
  private cache = new Map<string, { facts: ArticleReader; until: number }>();

  constructor(private readonly deps: { db: Db; secret: string; now: () => number }) {}

  async resolve(sessionCookie: string | undefined): Promise<ArticleReader> {
    if (!sessionCookie) return ANONYMOUS;
    const clock = Date.now();
    const hit = this.cache.get(sessionCookie);
    if (hit && hit.until > clock) return hit.facts;
    const now = this.deps.now();
    const session = await findSession(this.deps.db, sessionCookie, { now, secret: this.deps.secret });
    let facts = ANONYMOUS;
    if (session?.userId) facts = { ...ANONYMOUS, kind: 'registered', isStaff: true, hasWebAccess: true };
    else if (session?.readerId) {
      const [entitlements, ended] = await Promise.all([
        loadEntitlements(this.deps.db, { id: session.readerId }, { isStaff: false, now }),
        this.deps.db.selectFrom('subscriptions').select('id').where('reader_id', '=', session.readerId).where('status', '=', 'ended').executeTakeFirst(),
      ]);
      facts = { ...ANONYMOUS, kind: 'registered', readerId: session.readerId, hasWebAccess: entitlements.web !== null, isLapsed: ended !== undefined && entitlements.web === null };
    }
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(sessionCookie, { facts, until: clock + TTL_MS });
    return facts;
  }

  /** Forget what is remembered (after a sign-out or a subscription change in this process). */
  clear(): void {
    this.cache.clear();
  }
}
