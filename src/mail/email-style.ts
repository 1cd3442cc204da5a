// The look shared by every e-mail Masthead sends (transactional mail in templates.ts, the
// newsletters in newsletters/digest-email.ts): palette, dark mode, and the document around
// the 600 px column. Mail clients are not browsers: Outlook renders with Word, Gmail drops
// much of <head>. So every style is inline, the layout is nested tables, and <style> only
// adds what a client may ignore.
import { escapeAttr, escapeHtml } from '../content/escape.ts';

// Windows' fonts come first in each stack: old Outlook uses only the first family it is given.
export const SERIF = "Georgia, 'Times New Roman', Times, serif";
export const SANS = "'Segoe UI', -apple-system, BlinkMacSystemFont, Roboto, Helvetica, Arial, sans-serif";
export const INK = '#111111';
export const BODY_INK = '#333333';
export const MUTED_INK = '#4a4a4a';
export const LINK = '#0b4f9c';
export const PAPER = '#f4f1ea';
export const CARD = '#ffffff';
export const RULE = '#dddddd';
export const BADGE_INK = '#7a2e00';

export const LINK_STYLE = `color:${LINK};text-decoration:underline;`;

// Progressive enhancement only: clients that drop <style> still get the light design, whose
// colours all pass WCAG AAA contrast on their own; those that honour it get a dark page in
// dark mode and narrower margins on phones. The m-* classes name the colour a rule replaces.
export const DARK_MODE_CSS = `:root{color-scheme:light dark;supported-color-schemes:light dark}
@media (prefers-color-scheme: dark){
.m-paper{background-color:#121212 !important}
.m-card{background-color:#1c1c1c !important;border-color:#f2f2f2 !important}
.m-quote{border-color:#f2f2f2 !important}
.m-ink{color:#f2f2f2 !important}
.m-muted{color:#c8c8c8 !important}
.m-badge{color:#ffb68a !important}
.m-rule{border-color:#3a3a3a !important}
.m-link{color:#8ab4f8 !important}
.m-button{background-color:#f2f2f2 !important;border-color:#f2f2f2 !important}
.m-button-text{color:#111111 !important;border-color:#f2f2f2 !important}
}
@media only screen and (max-width:620px){
.m-pad{padding-left:16px !important;padding-right:16px !important}
.m-lead{font-size:24px !important}
}`;

// Inboxes fill the preview with whatever follows the preheader; these invisible characters
// keep the masthead and heading out of it.
const PREVIEW_FILLER = '&#847;&zwnj;&nbsp;'.repeat(40);

/**
 * Everything before a message's content: <head> with the dark-mode styles, the hidden
 * preheader (the preview line an inbox shows after the subject), and the paper around a
 * column at most 600 px wide. Close it with EMAIL_DOCUMENT_END.
 */
export function emailDocumentStart(o: { title: string; preheader?: string; padding: string }): string {
  const preheader = o.preheader
    ? `<div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;">${escapeHtml(o.preheader)}${PREVIEW_FILLER}</div>\n`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${escapeHtml(o.title)}</title>
<style>
${DARK_MODE_CSS}
</style>
</head>
<body class="m-paper" style="margin:0;padding:0;width:100%;background-color:${PAPER};">
<div role="article" aria-roledescription="email" aria-label="${escapeAttr(o.title)}" lang="en">
${preheader}<table role="presentation" class="m-paper" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="${PAPER}" style="background-color:${PAPER};">
<tr><td align="center" style="padding:${o.padding};">
<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;">
`;
}

export const EMAIL_DOCUMENT_END = `</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr>
</table>
</div>
</body>
</html>
`;
