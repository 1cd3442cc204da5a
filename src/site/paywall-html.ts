// The per-reader pieces of an article page: the meter notice and the locked page's offer.
// Small strings joined to the cached parts of the page (see article-parts.ts).
import { escapeAttr, escapeHtml } from '../content/escape.ts';
import type { Decision, MeterPolicy } from '../paywall/meter-policy.ts';

export const ACCESS_MARK = '__MH_ACCESS__';
export const NOTICE_MARK = '<!--mh:notice-->';
export const CUT_MARK = '<!--mh:cut-->';
export const END_MARK = '<!--mh:end-->';

function windowWords(policy: MeterPolicy): string {
  return policy.window.kind === 'calendar-month' ? 'this month' : `in the last ${policy.window.days} days`;
}

/** The data-access marker value for a decision. */
export function accessValue(decision: Decision, articleAccess: string): 'open' | 'metered' | 'locked' | 'subscriber' {
  if (decision.access === 'locked') return 'locked';
  if (decision.access === 'metered') return 'metered';
  return decision.reason === 'subscriber' && articleAccess !== 'free' ? 'subscriber' : 'open';
}

export function meterNotice(decision: Decision, policy: MeterPolicy): string {
  if (decision.access !== 'metered') return '';
  const words = windowWords(policy);
  const attrs = `data-meter-used="${decision.used}" data-meter-limit="${decision.limit}"`;
  if (decision.isLastFree) {
    return `<p class="meter-notice meter-last" role="status" ${attrs}>This is your last free article ${words}: you've read ${decision.used} of ${decision.limit}. <a href="/subscribe">Subscribe</a> for unlimited access.</p>`;
  }
  return `<p class="meter-notice" role="status" ${attrs}>You've read ${decision.used} of ${decision.limit} free articles ${words}. <a href="/subscribe">Subscribe</a> for unlimited access.</p>`;
}

/** The offer that ends a locked page, in place of the rest of the story. */
export function lockedOffer(decision: Decision, policy: MeterPolicy, articlePath: string): string {
  if (decision.access !== 'locked') return '';
  const back = escapeAttr(`/login?return=${encodeURIComponent(articlePath)}`);
  if (decision.reason === 'subscribers-only') {
    return `<section class="paywall-offer" aria-labelledby="offer-h"><h2 id="offer-h">This story is for subscribers</h2><p>Subscribe for unlimited access to every story, the Daily e-mail and the Weekly magazine.</p><p class="actions"><a class="btn" href="/subscribe">See subscription offers</a> <a class="btn btn-quiet" href="${back}">Sign in</a></p></section>`;
  }
  const words = windowWords(policy);
  const attrs = `data-meter-used="${decision.used}" data-meter-limit="${decision.limit}"`;
  const heading = `You've read ${decision.used} of ${decision.limit} free articles ${words}`;
  if (decision.wall === 'registration') {
    const more = policy.registeredLimit - policy.anonymousLimit;
    return `<section class="paywall-offer" aria-labelledby="offer-h" ${attrs}><h2 id="offer-h">${escapeHtml(heading)}</h2><p>Create a free account to read ${more} more, or subscribe for unlimited access.</p><p class="actions"><a class="btn" href="${back}">Create a free account</a> <a class="btn btn-quiet" href="/subscribe">Subscribe</a></p></section>`;
  }
  return `<section class="paywall-offer" aria-labelledby="offer-h" ${attrs}><h2 id="offer-h">${escapeHtml(heading)}</h2><p>Subscribe to continue reading: unlimited access to every story, the Daily e-mail and the Weekly magazine.</p><p class="actions"><a class="btn" href="/subscribe">Subscribe</a> <a class="btn btn-quiet" href="${back}">Sign in</a></p></section>`;
}

/** For subscribers: share this story with anyone, free, for 14 days. */
export function giftThis(articleId: number): string {
  return `<p class="gift-this"><a href="/gift-link?article=${articleId}">Gift this article</a>: anyone with the link can read it free for 14 days.</p>`;
}

/** The event an access decision is recorded as. */
export function eventKind(decision: Decision): string {
  if (decision.access === 'metered') return decision.counts ? 'counted' : 'reread';
  if (decision.access === 'locked') return 'locked';
  return decision.reason === 'free-article' ? 'free' : decision.reason;
}
