// One article view, decided: who reads (session, reader cookie, gate link, crawler), what the
// paywall says, the cookie to set, the event to record. Shared by the route table and the
// node:http fast path, so both answer a view the same way.
import type { Db } from '../db/database.ts';
import type { ArticleFull } from '../content/queries.ts';
import type { Decision, MeterPolicy } from '../paywall/meter-policy.ts';
import type { MeterStore } from '../paywall/meter-store.ts';
import type { EventLog } from '../analytics/events.ts';
import { WindowCache, decideArticleAccess } from '../paywall/article-access.ts';
import { checkGate } from '../paywall/gate-links.ts';
import { claimedCrawler, type CrawlerVerifier } from '../paywall/crawler.ts';
import { decodeReaderCookie } from '../paywall/reader-cookie.ts';
import type { ArticleReader, ReaderFactsResolver } from './reader-facts.ts';
import { eventKind } from './paywall-html.ts';
import type { ArticleParts } from './article-parts.tsx';
import { letterFor, type Letter } from '../letters/letters.ts';
import { loadActiveLetters } from '../letters/letter-store.ts';
import { featuredOfferHeadline } from '../billing/catalog.ts';
import type { LetterViews } from '../letters/letter-views.ts';

export interface ArticleEntry {
  version: number;
  article: ArticleFull;
  parts: ArticleParts;
  policy: MeterPolicy;
}

export interface ViewRequest {
  sessionCookie: string | undefined;
  readerCookie: string | undefined;
  gateToken: string | null;
  userAgent: string | undefined;
  clientAddress: () => string;
  isPrint: boolean;
}

export interface ViewOutcome {
  decision: Decision;
  reader: ArticleReader;
  setReaderCookie: string | null;
  readerKey: string;
}

export class ArticleViews {
  /** Rendered parts per article path, at the content version they were built at. */
  readonly entries = new Map<string, ArticleEntry>();

  constructor(private readonly deps: { db: Db; secret: string; now: () => number; meter: MeterStore; readers: ReaderFactsResolver; crawlers: CrawlerVerifier; events: EventLog; letterViews: LetterViews }) {}

  /** The cached entry for a path if it was built at this version (no I/O: the fast path). */
  fresh(urlPath: string, version: number): ArticleEntry | undefined {
    const hit = this.entries.get(urlPath);
    return hit && hit.version === version ? hit : undefined;
  }

  remember(urlPath: string, entry: ArticleEntry): void {
    if (this.entries.size >= 2000) this.entries.clear();
    this.entries.set(urlPath, entry);
  }

  async decide(entry: ArticleEntry, timeZone: string, req: ViewRequest): Promise<ViewOutcome> {
    const { article, policy } = entry;
    const now = this.deps.now();
    let reader = await this.deps.readers.resolve(req.sessionCookie);
    if (req.gateToken) {
      const gate = await checkGate(this.deps.db, req.gateToken, { articleId: article.id, now, secret: this.deps.secret });
      if (gate) reader = { ...reader, gateToken: gate };
    }
    // A user agent alone opens nothing: the address must resolve to the crawler and back.
    if (claimedCrawler(req.userAgent)) {
      const verdict = await this.deps.crawlers.verify(req.clientAddress(), req.userAgent);
      if (verdict.verified) reader = { ...reader, isVerifiedCrawler: true };
    }
    const outcome = await decideArticleAccess(this.deps.meter, {
      policy, timeZone, now, secret: this.deps.secret, article: { id: article.id, access: article.access }, reader, readerCookie: req.readerCookie,
      window: this.windows.get(policy, now, timeZone),
    });
    // Views the meter never saw (free, staff, crawler, gate links) keep the browser's id if it has one.
    const readerKey = outcome.readerKey ?? `a:${decodeReaderCookie(req.readerCookie, this.deps.secret)?.id ?? 'unknown'}`;
    this.deps.events.record({ kind: eventKind(outcome.decision), articleId: article.id, readerKey, detail: req.isPrint ? 'print-view' : '', at: now });
    return { decision: outcome.decision, reader, setReaderCookie: outcome.setReaderCookie, readerKey };
  }

  /**
   * The editor's letter for this view, if one is aimed at this reader: after the story for
   * a reader within the meter, as the pitch on a locked page. Subscribers are not asked.
   */
  async letter(entry: ArticleEntry, view: ViewOutcome, version: number): Promise<string> {
    const { decision, reader } = view;
    if (decision.access === 'open' || reader.hasWebAccess) return '';
    if (this.letters?.version !== version) {
      const [list, offerHeadline] = await Promise.all([loadActiveLetters(this.deps.db), featuredOfferHeadline(this.deps.db)]);
      this.letters = { version, list, offerHeadline: offerHeadline ?? undefined };
    }
    if (this.letters.list.length === 0) return '';
    const now = this.deps.now();
    const shown = await letterFor(this.deps.letterViews, {
      readerKey: view.readerKey,
      audience: reader.isLapsed ? 'lapsed' : reader.kind,
      used: 'used' in decision ? decision.used : 0,
      sectionPath: entry.article.section.path,
      placement: decision.access === 'locked' ? 'locked' : 'after-body',
      now,
      letters: this.letters.list,
      offerHeadline: this.letters.offerHeadline,
      ctaHref: ({ letterId, variantId, ctaUrl }) => `/letters/click?l=${letterId}&v=${variantId ?? 0}&to=${encodeURIComponent(ctaUrl)}`,
    });
    if (!shown) return '';
    this.deps.events.record({ kind: 'letter-impression', articleId: entry.article.id, readerKey: view.readerKey, detail: `${shown.letterId}:${shown.variantId ?? 0}`, at: now });
    return shown.html;
  }

  private letters: { version: number; list: Letter[]; offerHeadline: string | undefined } | null = null;
  private readonly windows = new WindowCache();
}

/** A cookie's value from a Cookie header (as Hono's getCookie reads it). */
export function cookieFrom(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
