// The paywall decision a preview shows for each kind of reader, made by the same pure policy
// functions the reader site uses: only the reader and the meter's count are imagined.
import type { AccessClass } from '../../db/schema.ts';
import { decideBeforeMeter, decideMetered, limitFor, type Decision, type MeterPolicy, type ReaderFacts } from '../../paywall/meter-policy.ts';

export const PREVIEW_KINDS = ['anonymous', 'metered', 'locked', 'subscriber'] as const;
export type PreviewKind = (typeof PREVIEW_KINDS)[number];

export const PREVIEW_LABELS: Record<PreviewKind, string> = {
  anonymous: 'First-time reader',
  metered: 'Within the meter',
  locked: 'Meter used up',
  subscriber: 'Subscriber',
};

const FIRST_TIME: ReaderFacts = { kind: 'anonymous', hasWebAccess: false, isStaff: false, isVerifiedCrawler: false, gateToken: null };
/** How far into the meter the "within the meter" view is: the third story, or the last free one if fewer. */
const METERED_POSITION = 3;

export function previewDecision(kind: PreviewKind, policy: MeterPolicy, access: AccessClass): Decision {
  if (kind === 'subscriber') return decideBeforeMeter(policy, { access }, { ...FIRST_TIME, kind: 'registered', hasWebAccess: true })!;
  const before = decideBeforeMeter(policy, { access }, FIRST_TIME);
  if (before) return before;
  const limit = limitFor(policy, 'anonymous');
  const position = kind === 'anonymous' ? 1 : kind === 'metered' ? Math.max(1, Math.min(METERED_POSITION, limit)) : limit + 1;
  return decideMetered(policy, { kind: 'anonymous' }, { isCounted: false, position, used: Math.min(position, limit) });
}

/** One line for the preview bar: what this reader sees and why. */
export function describePreview(kind: PreviewKind, decision: Decision, access: AccessClass): string {
  if (access === 'free') return 'A free story: every reader sees all of it and it never counts against the meter.';
  if (decision.access === 'open') return kind === 'subscriber' ? 'A subscriber sees the whole story.' : 'This reader sees the whole story.';
  if (decision.access === 'metered') {
    return `A reader who has opened ${decision.used} of ${decision.limit} free stories in the meter's window sees the whole story with the meter notice.`;
  }
  if (decision.reason === 'subscribers-only') return 'A subscriber-only story: readers without a subscription see the teaser and the offer.';
  return `A reader past the meter (${decision.used} of ${decision.limit} used) sees the teaser and the offer.`;
}
