// An issue as an e-mail. Everything that is the same in every copy (the layout, the
// escaped headlines and deks, the intro's Markdown) is rendered once per issue by
// prepareIssueEmail, into templates with holes where a recipient's own links go; a copy is
// then a join of strings, fast enough for thousands of recipients a second.
// Mail clients are not browsers: nested tables, every style inline, images sized with alt
// text, no fonts or scripts, and a plain-text part that says everything the HTML says.
// The look is the one all Masthead's e-mail shares (mail/email-style.ts).
import sanitizeHtml from 'sanitize-html';
import type { Block } from '../content/blocks.ts';
import { escapeAttr, escapeHtml } from '../content/escape.ts';
import { parseMarkdown, safeHref } from '../content/markdown.ts';
import { renderInlines, renderPlainText } from '../content/render-html.ts';
import {
  BADGE_INK, BODY_INK, CARD, EMAIL_DOCUMENT_END, emailDocumentStart, INK, LINK_STYLE, MUTED_INK, RULE, SANS, SERIF,
} from '../mail/email-style.ts';
import { defaultSubject } from './issue-content.ts';
import type { IssueContent, IssueStory, RecipientLinks } from './types.ts';

export interface PersonalisedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface PreparedIssueEmail {
  personalise(links: RecipientLinks): PersonalisedEmail;
}

const SUBSCRIBER_LABEL = 'For subscribers';

// ---- templates with holes -------------------------------------------------------------------

/** A hole is a story's index, or UNSUBSCRIBE. */
const UNSUBSCRIBE = -1;

/** Fixed text with holes for a recipient's links: parts.length === holes.length + 1. */
class Template {
  private readonly parts: string[] = [''];
  private readonly holes: number[] = [];

  add(text: string): this {
    this.parts[this.parts.length - 1] += text;
    return this;
  }

  hole(which: number): this {
    this.holes.push(which);
    this.parts.push('');
    return this;
  }

  fill(values: { stories: string[]; unsubscribe: string }): string {
    const { parts, holes } = this;
    let out = parts[0];
    for (let i = 0; i < holes.length; i++) {
      const h = holes[i];
      out += (h === UNSUBSCRIBE ? values.unsubscribe : values.stories[h]) + parts[i + 1];
    }
    return out;
  }
}

// ---- preparing an issue ---------------------------------------------------------------------

interface Variant {
  html: Template;
  text: Template;
}

export function prepareIssueEmail(content: IssueContent): PreparedIssueEmail {
  for (const url of [content.publicUrl, content.archiveUrl, content.subscribeUrl]) webUrl(url);
  for (const story of content.stories) if (story.image) webUrl(story.image.src);
  // composeIssueContent fills an empty subject in; this catches one that is only control characters.
  const subject = oneLine(content.subject, 200) || oneLine(defaultSubject(content.listName, content.issueDate), 200);
  const introBlocks = content.intro.trim() ? parseMarkdown(content.intro) : [];
  const intro = {
    html: introHtml(introBlocks, content.publicUrl),
    text: renderPlainText(introBlocks, { absoluteLinksBase: `${content.publicUrl}/` }).trim(),
  };
  const variants = {
    free: buildVariant(content, subject, intro, false),
    entitled: buildVariant(content, subject, intro, true),
  };
  const count = content.stories.length;

  return {
    personalise(links: RecipientLinks): PersonalisedEmail {
      const raw = new Array<string>(count);
      const escaped = new Array<string>(count);
      for (let i = 0; i < count; i++) {
        const url = webUrl(links.storyUrl(content.stories[i]));
        raw[i] = url;
        escaped[i] = escapeAttr(url);
      }
      const unsubscribe = webUrl(links.unsubscribeUrl);
      const v = links.isEntitled ? variants.entitled : variants.free;
      return {
        subject,
        html: v.html.fill({ stories: escaped, unsubscribe: escapeAttr(unsubscribe) }),
        text: v.text.fill({ stories: raw, unsubscribe }),
      };
    },
  };
}

/** Only web links: a javascript: or data: URL in a message is a bug, never what was meant. */
function webUrl(url: string): string {
  if (!/^https?:\/\/[^\s"'<>]+$/i.test(url)) throw new Error('a newsletter link must be an absolute http(s) URL');
  return url;
}

function isLockedFor(story: IssueStory, isEntitled: boolean): boolean {
  return story.access === 'subscriber' && !isEntitled;
}

function buildVariant(c: IssueContent, subject: string, intro: { html: string; text: string }, isEntitled: boolean): Variant {
  return { html: buildHtml(c, subject, intro.html, isEntitled), text: buildText(c, intro.text, isEntitled) };
}

function buildHtml(c: IssueContent, subject: string, intro: string, isEntitled: boolean): Template {
  const t = new Template();
  const name = escapeHtml(c.publicationName);
  const home = escapeAttr(c.publicUrl);
  const archive = escapeAttr(c.archiveUrl);
  const dateLabel = escapeHtml(issueDateLabel(c.issueDate));

  t.add(`${emailDocumentStart({ title: subject, preheader: oneLine(previewText(c), 150), padding: '16px 8px 24px' })}<tr><td align="right" class="m-muted" style="padding:0 4px 12px;font-family:${SANS};font-size:12px;line-height:1.4;color:${MUTED_INK};"><a class="m-link" href="${archive}" style="${LINK_STYLE}">View in your browser</a></td></tr>
<tr><td align="center" style="padding:0 8px 4px;font-family:${SERIF};font-size:26px;line-height:1.2;font-weight:bold;"><a class="m-ink" href="${home}" style="color:${INK};text-decoration:none;">${name}</a></td></tr>
<tr><td align="center" class="m-muted" style="padding:0 8px 16px;font-family:${SANS};font-size:14px;line-height:1.4;color:${MUTED_INK};">${escapeHtml(c.listName)} &middot; ${dateLabel}</td></tr>
<tr><td class="m-card" bgcolor="${CARD}" style="background-color:${CARD};border-top:4px solid ${INK};">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
`);
  if (intro) {
    t.add(`<tr><td class="m-pad" style="padding:28px 28px 8px;">${intro}</td></tr>\n`);
  }
  if (c.stories.length === 0) {
    t.add(`<tr><td class="m-pad m-muted" style="padding:28px;font-family:${SANS};font-size:16px;line-height:1.6;color:${MUTED_INK};">There are no stories in this issue.</td></tr>\n`);
  }
  c.stories.forEach((story, i) => storyHtml(t, story, i, isLockedFor(story, isEntitled), i > 0 || intro !== ''));
  if (!isEntitled) {
    t.add(`<tr><td class="m-pad m-rule" style="padding:24px 28px 28px;border-top:1px solid ${RULE};">
<h2 class="m-ink" style="margin:0 0 8px;font-family:${SERIF};font-size:20px;line-height:1.3;font-weight:bold;color:${INK};">Read everything ${name} publishes</h2>
<p class="m-ink" style="margin:0 0 16px;font-family:${SANS};font-size:15px;line-height:1.6;color:${BODY_INK};">Subscribers read every story in full, including those marked &ldquo;${SUBSCRIBER_LABEL}&rdquo;, and keep independent reporting going.</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td class="m-button" align="center" bgcolor="${INK}" style="border-radius:4px;background-color:${INK};mso-padding-alt:12px 24px;">
<a class="m-button-text" href="${escapeAttr(c.subscribeUrl)}" style="display:inline-block;padding:12px 24px;border:1px solid ${INK};border-radius:4px;font-family:${SANS};font-size:16px;line-height:20px;font-weight:bold;color:#ffffff;text-decoration:none;mso-padding-alt:0;">Subscribe</a>
</td></tr></table>
</td></tr>
`);
  }
  t.add(`</table>
</td></tr>
<tr><td align="center" class="m-muted" style="padding:20px 8px 0;font-family:${SANS};font-size:13px;line-height:1.6;color:${MUTED_INK};">
You receive ${escapeHtml(c.listName)} from ${name}.<br>
<a class="m-link" href="`).hole(UNSUBSCRIBE).add(`" style="${LINK_STYLE}">Unsubscribe</a> &middot; <a class="m-link" href="${archive}" style="${LINK_STYLE}">View in your browser</a> &middot; <a class="m-link" href="${home}" style="${LINK_STYLE}">${name}</a>
</td></tr>
${EMAIL_DOCUMENT_END}`);
  return t;
}

function storyHtml(t: Template, story: IssueStory, index: number, isLocked: boolean, hasRuleAbove: boolean): void {
  const isLead = index === 0;
  const rule = hasRuleAbove ? `border-top:1px solid ${RULE};` : '';
  t.add(`<tr><td class="m-pad${hasRuleAbove ? ' m-rule' : ''}" style="padding:24px 28px;${rule}">\n`);
  if (story.image) {
    const img = story.image;
    t.add(`<a href="`).hole(index).add(`" style="text-decoration:none;"><img src="${escapeAttr(img.src)}" width="${img.width}" height="${img.height}" alt="${escapeAttr(img.alt)}" style="display:block;width:100%;max-width:${img.width}px;height:auto;border:0;outline:none;text-decoration:none;"></a>\n`);
    if (img.credit) {
      t.add(`<p class="m-muted" style="margin:4px 0 0;font-family:${SANS};font-size:11px;line-height:1.4;color:${MUTED_INK};text-align:right;">${escapeHtml(img.credit)}</p>\n`);
    }
  }
  const kicker = [
    story.sectionName ? escapeHtml(story.sectionName) : '',
    isLocked ? `<span class="m-badge" style="color:${BADGE_INK};">${SUBSCRIBER_LABEL}</span>` : '',
  ].filter(Boolean).join(' &middot; ');
  if (kicker) {
    t.add(`<p class="m-muted" style="margin:${story.image ? '14px' : '0'} 0 6px;font-family:${SANS};font-size:12px;line-height:1.4;font-weight:bold;letter-spacing:0.06em;text-transform:uppercase;color:${MUTED_INK};">${kicker}</p>\n`);
  }
  const size = isLead ? 28 : 21;
  t.add(`<h2 class="m-ink${isLead ? ' m-lead' : ''}" style="margin:0 0 8px;font-family:${SERIF};font-size:${size}px;line-height:1.25;font-weight:bold;color:${INK};"><a class="m-ink" href="`)
    .hole(index)
    .add(`" style="color:${INK};text-decoration:none;">${escapeHtml(story.headline)}</a></h2>\n`);
  if (story.dek) {
    t.add(`<p class="m-ink" style="margin:0 0 8px;font-family:${SERIF};font-size:17px;line-height:1.5;color:${BODY_INK};">${escapeHtml(story.dek)}</p>\n`);
  }
  if (story.byline) {
    t.add(`<p class="m-muted" style="margin:0;font-family:${SANS};font-size:13px;line-height:1.5;color:${MUTED_INK};">${escapeHtml(story.byline)}</p>\n`);
  }
  t.add(`</td></tr>\n`);
}

function buildText(c: IssueContent, intro: string, isEntitled: boolean): Template {
  const t = new Template();
  t.add(`${c.publicationName.toUpperCase()}\n${c.listName} — ${issueDateLabel(c.issueDate)}\n\nView in your browser:\n${c.archiveUrl}\n\n`);
  if (intro) t.add(`${intro}\n\n`);
  if (c.stories.length === 0) t.add('There are no stories in this issue.\n\n');
  c.stories.forEach((story, i) => {
    const kicker = [story.sectionName.toUpperCase(), isLockedFor(story, isEntitled) ? SUBSCRIBER_LABEL.toUpperCase() : ''].filter(Boolean).join(' · ');
    const lines = [
      `${i + 1}. ${kicker ? `${kicker}\n` : ''}${oneLine(story.headline, 500)}`,
      story.dek ? oneLine(story.dek, 2000) : '',
      story.byline,
    ].filter(Boolean);
    t.add(`${lines.join('\n')}\n`).hole(i).add('\n\n');
  });
  if (!isEntitled) {
    t.add(`Read everything ${c.publicationName} publishes: subscribers read every story in full, including those marked "${SUBSCRIBER_LABEL}".\nSubscribe:\n${c.subscribeUrl}\n\n`);
  }
  // "-- " (with the space) is the signature separator mail clients recognise.
  t.add(`-- \nYou receive ${c.listName} from ${c.publicationName}.\nUnsubscribe:\n`).hole(UNSUBSCRIBE).add(`\n${c.publicUrl}\n`);
  return t;
}

// ---- the intro ------------------------------------------------------------------------------

const P_STYLE = `margin:0 0 16px;font-family:${SERIF};font-size:17px;line-height:1.6;color:${BODY_INK};`;

/** A mail client has no page to resolve a relative link against: only absolute web and mailto links. */
const ABSOLUTE_LINK = /^(https?:\/\/|mailto:)/i;

/**
 * The editor's Markdown as inline-styled HTML. markdown-it runs with raw HTML off; the inline
 * runs are the site's (renderInlines: every href through safeHref, site links made absolute
 * against the public URL). The result then passes sanitize-html with a short allowlist, which
 * also styles every link for mail clients that drop <style>, so a slip anywhere cannot put a
 * script, a javascript: link or a relative link into thousands of inboxes.
 */
export function introHtml(blocks: Block[], publicUrl: string): string {
  const html = blocks.map((b) => introBlock(b, `${publicUrl}/`)).filter(Boolean).join('\n');
  if (!html) return '';
  return sanitizeHtml(html, {
    allowedTags: ['p', 'h3', 'a', 'em', 'strong', 'code', 'br', 'ul', 'ol', 'li', 'table', 'tr', 'td'],
    allowedAttributes: { '*': ['style', 'class'], a: ['href', 'style', 'class'], table: ['role', 'width', 'cellpadding', 'cellspacing', 'border', 'style'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'escape',
    transformTags: {
      a: (tagName, attribs) => {
        const href = attribs.href ?? '';
        const style = { class: 'm-link', style: LINK_STYLE };
        return { tagName, attribs: ABSOLUTE_LINK.test(href) ? { href, ...style } : style };
      },
    },
  });
}

function introBlock(block: Block, base: string): string {
  switch (block.type) {
    case 'paragraph':
      return `<p class="m-ink" style="${P_STYLE}">${renderInlines(block.c, base)}</p>`;
    case 'heading':
      return `<h3 class="m-ink" style="margin:0 0 10px;font-family:${SERIF};font-size:19px;line-height:1.3;font-weight:bold;color:${INK};">${renderInlines(block.c, base)}</h3>`;
    case 'quote':
      return quoteTable(block.paragraphs.map((p) => renderInlines(p, base)).join('<br><br>'));
    case 'pullquote':
      return quoteTable(renderInlines(block.c, base));
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      const items = block.items.map((item) => `<li style="margin:0 0 6px;">${renderInlines(item, base)}</li>`).join('');
      return `<${tag} class="m-ink" style="margin:0 0 16px;padding:0 0 0 24px;font-family:${SERIF};font-size:17px;line-height:1.6;color:${BODY_INK};">${items}</${tag}>`;
    }
    case 'embed': {
      const href = safeHref(block.url);
      return href && /^https?:/.test(href) ? `<p class="m-ink" style="${P_STYLE}"><a href="${escapeAttr(href)}">${escapeHtml(href)}</a></p>` : '';
    }
    case 'divider':
      return `<p class="m-rule" style="margin:0 0 16px;border-top:1px solid ${RULE};font-size:1px;line-height:1px;">&nbsp;</p>`;
    case 'image':
      return ''; // pictures in the intro have no stored variant to point at; the stories carry pictures
  }
}

function quoteTable(inner: string): string {
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px;"><tr><td class="m-quote m-ink" style="border-left:4px solid ${INK};padding:2px 0 2px 14px;font-family:${SERIF};font-size:17px;line-height:1.6;font-style:italic;color:${INK};">${inner}</td></tr></table>`;
}

// ---- words ----------------------------------------------------------------------------------

/** "Monday, May 12, 2026" for a YYYY-MM-DD date (a calendar date: no time zone to apply). */
export function issueDateLabel(issueDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(issueDate);
  if (!m) return issueDate;
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }).format(at);
}

/** What the inbox shows after the subject: the intro's opening, else the lead story. */
function previewText(c: IssueContent): string {
  const introText = c.intro.trim() ? renderPlainText(parseMarkdown(c.intro)).split('\n\n')[0] ?? '' : '';
  if (introText.trim()) return introText;
  const lead = c.stories[0];
  return lead ? `${lead.headline}${lead.dek ? ` — ${lead.dek}` : ''}` : `${c.listName} from ${c.publicationName}`;
}

/** Subjects and preview lines are one line: editors' and authors' text may carry breaks. */
function oneLine(text: string, max: number): string {
  const line = text.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}
