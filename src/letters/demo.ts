// The demo publication's letter: the editor of The Northfield Courier asks a returning
// reader to subscribe, in two versions (A/B: heading and button) shown half and half.
import type { Db } from '../db/database.ts';
import { letterBySlug, saveLetter, type LetterInput } from './letter-store.ts';
import type { Letter } from './types.ts';

export const DEMO_LETTER_SLUG = 'from-the-editor';

const BODY = `You have come back to the Courier more than once lately, so I hope you will forgive a short note from the editor's desk.

Every story you read here began with a reporter who went to see for themselves — a border crossing at first light, a courtroom in Chicago, a harbor in Singapore the morning after a storm — and with an editor who asked *how do we know?* before a word was published. That work is slow, and it is not cheap.

The Courier has no owner with a cause to push and no algorithm deciding what matters. We are paid for by our readers. When you subscribe, you keep our correspondents where the news is happening, and you tell us that careful reporting is still worth something.

If our journalism has earned a place in your week, please join the readers who make it possible.

With thanks,`;

export const DEMO_LETTER: LetterInput = {
  slug: DEMO_LETTER_SLUG,
  title: 'Dear Reader,',
  bodyMd: BODY,
  signature: 'Ruth Abernathy\nEditor, The Northfield Courier',
  ctaLabel: 'Subscribe',
  ctaUrl: '/subscribe',
  audience: ['anonymous', 'registered', 'lapsed'],
  minRead: 2,
  sections: [],
  frequencyDays: 3,
  placement: 'both',
  isActive: true,
  position: 0,
  variants: [
    { name: 'A', title: 'Dear Reader,', ctaLabel: 'Subscribe to the Courier', weight: 50 },
    { name: 'B', title: 'A note from the editor', ctaLabel: 'Support our reporting', weight: 50 },
  ],
};

/** Seeds the demo letter once; a second call leaves the stored one (and any edits) alone. */
export async function seedDemoLetters(db: Db, opts: { now: number }): Promise<Letter> {
  return (await letterBySlug(db, DEMO_LETTER_SLUG)) ?? saveLetter(db, DEMO_LETTER, { now: opts.now });
}
