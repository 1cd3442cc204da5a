// The e-mail preview an editor opens from the issue editor: one copy rendered exactly as a
// recipient's would be, with inert links (plain article addresses: no access token, no click
// counted, no unsubscribe), served on its own page under a policy that runs nothing.
import { prepareIssueEmail } from '../../newsletters/digest-email.ts';
import type { IssueContent, RecipientLinks } from '../../newsletters/types.ts';

export type PreviewAs = 'free' | 'entitled';

export function previewAs(value: string | undefined): PreviewAs | null {
  if (value === undefined || value === '' || value === 'free') return 'free';
  return value === 'entitled' ? 'entitled' : null;
}

/** Links for a sample copy: the article's own address, and the newsletters page for "unsubscribe". */
export function sampleLinks(content: IssueContent, as: PreviewAs): RecipientLinks {
  return {
    isEntitled: as === 'entitled',
    storyUrl: (story) => story.url,
    unsubscribeUrl: `${content.publicUrl}/newsletters`,
  };
}

export function renderPreview(content: IssueContent, as: PreviewAs): { subject: string; html: string; text: string } {
  return prepareIssueEmail(content).personalise(sampleLinks(content, as));
}

/**
 * No script, no form, no plugin, no base: only inline styles and pictures from this site and
 * the public address. `sandbox` makes the page an opaque origin, so nothing in an e-mail could
 * act as the signed-in editor even if a headline slipped past escaping.
 */
export function previewPolicy(publicUrl: string): string {
  let origin = '';
  try {
    origin = new URL(publicUrl).origin;
  } catch {
    // A malformed address adds nothing to the list.
  }
  return [
    "default-src 'none'",
    `img-src 'self' ${origin} data:`.replace(/\s+/g, ' ').trim(),
    "style-src 'unsafe-inline'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
    'sandbox allow-popups allow-popups-to-escape-sandbox',
  ].join('; ');
}
