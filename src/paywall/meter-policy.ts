// The metered paywall's decision, as one pure function over plain data: which window a view
// falls in, and whether this reader may open this article now — with the reason, so the
// page, the log and the analytics all know what happened.
import { localParts } from '../content/dates.ts';
import type { AccessClass } from '../db/schema.ts';

export type MeterWindow = { kind: 'calendar-month' } | { kind: 'rolling'; days: number };

export interface MeterPolicy {
  window: MeterWindow;
  /** Free metered articles per window for a reader without an account. */
  anonymousLimit: number;
  /** …and with a free account (the registration wall raises the limit). */
  registeredLimit: number;
  /** Paragraphs a locked page shows before the offer. */
  teaserParagraphs: number;
  /** The access class a new story gets in a section (and its sub-sections) when none is given. */
  sectionDefaults: Record<string, AccessClass>;
  /** The access class a new story gets when no section default covers it. */
  defaultAccess: AccessClass;
}

export const DEFAULT_POLICY: MeterPolicy = {
  window: { kind: 'calendar-month' },
  anonymousLimit: 5,
  registeredLimit: 10,
  teaserParagraphs: 2,
  sectionDefaults: {},
  defaultAccess: 'metered',
};

/** The access class for a story in this section when none is given: the nearest section's default. */
export function defaultAccessFor(policy: Pick<MeterPolicy, 'sectionDefaults'> & { defaultAccess?: AccessClass }, sectionPath: string): AccessClass {
  const parts = sectionPath.split('/');
  for (let i = parts.length; i > 0; i--) {
    const found = policy.sectionDefaults[parts.slice(0, i).join('/')];
    if (found) return found;
  }
  return policy.defaultAccess ?? 'metered';
}

const DAY = 86_400_000;

/**
 * The window a moment falls in: a calendar month in the publication's time zone (key
 * "2026-11"), or the last N days (key "rolling-N", counted from `since`).
 */
export function meterWindow(policy: Pick<MeterPolicy, 'window'>, now: number, timeZone: string): { key: string; since: number } {
  if (policy.window.kind === 'rolling') return { key: `rolling-${policy.window.days}`, since: now - policy.window.days * DAY };
  const p = localParts(now, timeZone);
  return { key: `${p.year}-${String(p.month).padStart(2, '0')}`, since: monthStart(p.year, p.month, timeZone) };
}

/** The instant a month begins in a time zone (midnight local, whatever the DST offset). */
export function monthStart(year: number, month: number, timeZone: string): number {
  // Start from midnight UTC and correct by the zone's offset at that moment, twice, so a
  // DST change near midnight lands on the local midnight.
  let guess = Date.UTC(year, month - 1, 1);
  for (let i = 0; i < 2; i++) {
    const p = localParts(guess, timeZone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    guess -= asUtc - Date.UTC(year, month - 1, 1);
  }
  return guess;
}

export type ReaderKind = 'anonymous' | 'registered';

export interface ReaderFacts {
  kind: ReaderKind;
  /** Holds the `web` entitlement (subscription, gift) or is staff. */
  hasWebAccess: boolean;
  isStaff: boolean;
  /** A verified search crawler (reverse and forward DNS agree). */
  isVerifiedCrawler: boolean;
  /** Arrived through a valid gift, newsletter or print link for this article. */
  gateToken: 'gift' | 'newsletter' | 'print' | null;
}

export interface MeterFacts {
  /** This article was already counted in the window (a reread). */
  isCounted: boolean;
  /** Its position among the reader's counted articles in the window, once counted (1-based). */
  position: number | null;
  /** Counted articles in the window, this one included if counted. */
  used: number;
}

export type Decision =
  | { access: 'open'; reason: 'free-article' | 'subscriber' | 'staff' | 'crawler' | 'gift' | 'newsletter' | 'print'; counts: false }
  | { access: 'metered'; reason: 'within-limit'; counts: boolean; used: number; limit: number; isLastFree: boolean }
  | { access: 'locked'; reason: 'limit-reached'; wall: 'registration' | 'subscription'; used: number; limit: number }
  | { access: 'locked'; reason: 'subscribers-only'; wall: 'subscription' };

export function limitFor(policy: MeterPolicy, kind: ReaderKind): number {
  return kind === 'registered' ? policy.registeredLimit : policy.anonymousLimit;
}

/**
 * What happens before counting: does this view need the meter at all? Anything that opens
 * the article without counting is decided here, so it never touches the meter store.
 */
export function decideBeforeMeter(policy: MeterPolicy, article: { access: AccessClass }, reader: ReaderFacts): Decision | null {
  if (reader.isStaff) return { access: 'open', reason: 'staff', counts: false };
  if (reader.hasWebAccess) return { access: 'open', reason: 'subscriber', counts: false };
  if (reader.isVerifiedCrawler) return { access: 'open', reason: 'crawler', counts: false };
  if (article.access === 'free') return { access: 'open', reason: 'free-article', counts: false };
  if (reader.gateToken) return { access: 'open', reason: reader.gateToken, counts: false };
  if (article.access === 'subscriber') return { access: 'locked', reason: 'subscribers-only', wall: 'subscription' };
  return null;
}

/**
 * The decision for a metered article once the meter has answered: the first `limit`
 * articles a reader opens in the window are open, rereads of those stay open, everything
 * past the limit is locked. At the anonymous limit the wall asks for a free account (which
 * raises the limit); past the registered limit, a subscription.
 */
export function decideMetered(policy: MeterPolicy, reader: Pick<ReaderFacts, 'kind'>, meter: MeterFacts): Decision {
  const limit = limitFor(policy, reader.kind);
  if (meter.position !== null && meter.position <= limit) {
    return { access: 'metered', reason: 'within-limit', counts: !meter.isCounted, used: Math.min(meter.used, limit), limit, isLastFree: meter.position === limit };
  }
  const wall = reader.kind === 'anonymous' && policy.registeredLimit > policy.anonymousLimit ? 'registration' : 'subscription';
  return { access: 'locked', reason: 'limit-reached', wall, used: Math.min(meter.used, limit), limit };
}
