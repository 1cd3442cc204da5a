// Transactional e-mails: sign-in links, address changes, receipts, payment problems, gifts.
// Mail clients are not browsers: Outlook renders with Word, Gmail drops much of <head>, many
// clients block links or images. So the layout is nested tables with every style inline,
// no images, no fonts to fetch, and a plain-text part that says everything the HTML says.
// The look, shared with the newsletters, is email-style.ts's.
import { displayDate } from '../content/dates.ts';
import { escapeAttr, escapeHtml } from '../content/escape.ts';
import { BODY_INK, CARD, EMAIL_DOCUMENT_END, emailDocumentStart, INK, LINK_STYLE, MUTED_INK, RULE, SANS, SERIF } from './email-style.ts';

export interface RenderEmailOptions {
  publicationName: string;
  publicUrl: string;
  /** The preview line inboxes show after the subject; hidden in the message itself. */
  preheader?: string;
  heading: string;
  paragraphs: string[];
  /** A reader's own words, such as a gift message, set apart from ours. */
  quote?: { text: string; attribution?: string };
  /** Label/value rows, such as a receipt's plan and amount. */
  details?: { label: string; value: string }[];
  button?: { label: string; url: string };
  footnote?: string;
}

export interface RenderedEmail {
  html: string;
  text: string;
}

export interface BuiltEmail extends RenderedEmail {
  subject: string;
}

/** What every builder needs to know about the publication. */
export interface EmailContext {
  publicationName: string;
  publicUrl: string;
  /** IANA zone dates are printed in: the publication's. UTC when not given. */
  timeZone?: string;
}

/** Epoch milliseconds, as stored throughout Masthead, or a Date. */
export type EmailDate = number | Date;

/** Only web links: a javascript: or data: URL in a message is a bug, never what was meant. */
function checkedUrl(url: string): string {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new Error('e-mail link is not an absolute URL');
  }
  if (protocol !== 'https:' && protocol !== 'http:') throw new Error('e-mail link must be http(s)');
  return url;
}

/** Escaped text with its line breaks kept. */
function multiline(text: string): string {
  return text.split(/\r\n|\r|\n/).map(escapeHtml).join('<br>');
}

function paragraphHtml(text: string): string {
  return `<p class="m-ink" style="margin:0 0 16px;font-family:${SANS};font-size:16px;line-height:1.6;color:${BODY_INK};">${multiline(text)}</p>`;
}

function footnoteHtml(text: string): string {
  return `<p class="m-muted" style="margin:24px 0 0;font-family:${SANS};font-size:14px;line-height:1.5;color:${MUTED_INK};">${multiline(text)}</p>`;
}

function quoteHtml(quote: NonNullable<RenderEmailOptions['quote']>): string {
  const attribution = quote.attribution
    ? `\n<p class="m-muted" style="margin:8px 0 0;font-family:${SANS};font-size:14px;line-height:1.5;font-style:normal;color:${MUTED_INK};">&mdash; ${escapeHtml(quote.attribution)}</p>`
    : '';
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;">
<tr><td class="m-quote m-ink" style="border-left:4px solid ${INK};padding:4px 0 4px 16px;font-family:${SERIF};font-size:18px;line-height:1.5;font-style:italic;color:${INK};">${multiline(quote.text)}${attribution}</td></tr>
</table>`;
}

function detailsHtml(rows: NonNullable<RenderEmailOptions['details']>): string {
  const cell = `padding:10px 0;border-bottom:1px solid ${RULE};font-family:${SANS};font-size:15px;line-height:1.4;`;
  const body = rows
    .map((r) => `<tr><th scope="row" align="left" class="m-muted m-rule" style="${cell}font-weight:normal;text-align:left;color:${MUTED_INK};">${escapeHtml(r.label)}</th>`
      + `<td align="right" class="m-ink m-rule" style="${cell}font-weight:bold;text-align:right;color:${INK};">${escapeHtml(r.value)}</td></tr>`)
    .join('\n');
  return `<table width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;border-collapse:collapse;border-top:1px solid ${RULE};" class="m-rule">\n${body}\n</table>`;
}

function buttonHtml(button: NonNullable<RenderEmailOptions['button']>, url: string): string {
  // A table cell carries the colour and a padded link the click area: the "bulletproof" button,
  // which needs no images or VML. Word ignores padding on links, so the cell pads for Outlook.
  const href = escapeAttr(url);
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px;">
<tr><td class="m-button" align="center" bgcolor="${INK}" style="border-radius:4px;background-color:${INK};mso-padding-alt:14px 28px;">
<a class="m-button-text" href="${href}" target="_blank" style="display:inline-block;padding:14px 28px;border:1px solid ${INK};border-radius:4px;font-family:${SANS};font-size:16px;line-height:20px;font-weight:bold;color:#ffffff;text-decoration:none;mso-padding-alt:0;">${escapeHtml(button.label)}</a>
</td></tr>
</table>
<p class="m-muted" style="margin:0 0 16px;font-family:${SANS};font-size:14px;line-height:1.5;color:${MUTED_INK};">If the button does not work, copy this address into your browser:<br>
<a class="m-link" href="${href}" style="${LINK_STYLE}word-break:break-all;overflow-wrap:anywhere;">${escapeHtml(url)}</a></p>`;
}

export function renderEmail(opts: RenderEmailOptions): RenderedEmail {
  const publicUrl = checkedUrl(opts.publicUrl);
  const buttonUrl = opts.button ? checkedUrl(opts.button.url) : null;
  const name = escapeHtml(opts.publicationName);
  const heading = escapeHtml(opts.heading);

  const blocks: string[] = [
    `<h1 class="m-ink" style="margin:0 0 20px;font-family:${SERIF};font-size:28px;line-height:1.25;font-weight:bold;color:${INK};">${heading}</h1>`,
    ...opts.paragraphs.map(paragraphHtml),
  ];
  if (opts.quote && opts.quote.text.trim()) blocks.push(quoteHtml(opts.quote));
  if (opts.details?.length) blocks.push(detailsHtml(opts.details));
  if (opts.button && buttonUrl) blocks.push(buttonHtml(opts.button, buttonUrl));
  if (opts.footnote) blocks.push(footnoteHtml(opts.footnote));

  const html = `${emailDocumentStart({ title: opts.heading, preheader: opts.preheader, padding: '24px 12px' })}<tr><td align="center" style="padding:0 8px 16px;font-family:${SERIF};font-size:24px;line-height:1.2;font-weight:bold;">
<a class="m-ink" href="${escapeAttr(publicUrl)}" style="color:${INK};text-decoration:none;">${name}</a>
</td></tr>
<tr><td class="m-card" bgcolor="${CARD}" style="background-color:${CARD};border-top:4px solid ${INK};padding:32px 28px 28px;">
${blocks.join('\n')}
</td></tr>
<tr><td align="center" class="m-muted" style="padding:20px 8px 0;font-family:${SANS};font-size:13px;line-height:1.5;color:${MUTED_INK};">
<a class="m-link" href="${escapeAttr(publicUrl)}" style="${LINK_STYLE}">${name}</a>
</td></tr>
${EMAIL_DOCUMENT_END}`;

  return { html, text: renderText(opts, publicUrl, buttonUrl) };
}

// Paragraphs are left unwrapped: hard-wrapping at 72 columns breaks up on phones, and every
// client wraps plain text itself. URLs stand on lines of their own so they stay clickable.
function renderText(opts: RenderEmailOptions, publicUrl: string, buttonUrl: string | null): string {
  const parts: string[] = [opts.publicationName.toUpperCase(), opts.heading, ...opts.paragraphs];
  if (opts.quote && opts.quote.text.trim()) {
    const quoted = opts.quote.text.split(/\r\n|\r|\n/).map((line) => `> ${line}`.trimEnd()).join('\n');
    parts.push(opts.quote.attribution ? `${quoted}\n— ${opts.quote.attribution}` : quoted);
  }
  if (opts.details?.length) parts.push(opts.details.map((r) => `${r.label}: ${r.value}`).join('\n'));
  if (opts.button && buttonUrl) parts.push(`${opts.button.label}:\n${buttonUrl}`);
  if (opts.footnote) parts.push(opts.footnote);
  // "-- " (with the space) is the signature separator that mail clients recognise.
  parts.push(`-- \n${opts.publicationName}\n${publicUrl}`);
  return `${parts.join('\n\n')}\n`;
}

// ---- formatting ---------------------------------------------------------------------------

/** "$15.00", "€9.99", "¥1,500": amounts are in the currency's minor unit, as payment providers give them. */
export function formatMoney(amountCents: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() });
  // Not every currency has cents: the yen has no minor unit, the dinar three.
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountCents / 10 ** digits);
}

function formatDate(at: EmailDate, timeZone: string | undefined): string {
  return displayDate(typeof at === 'number' ? at : at.getTime(), timeZone ?? 'UTC');
}

function minutes(n: number): string {
  if (n >= 60 && n % 60 === 0) return n === 60 ? '1 hour' : `${n / 60} hours`;
  return n === 1 ? '1 minute' : `${n} minutes`;
}

function monthsOf(n: number): string {
  return n === 1 ? '1 month' : `${n} months`;
}

/** Subjects carry readers' input (a gift giver's name): one line, and short enough to read. */
function oneLine(text: string, max = 60): string {
  const line = text.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

function built(subject: string, rendered: RenderedEmail): BuiltEmail {
  return { subject: oneLine(subject, 200), ...rendered };
}

function base(ctx: EmailContext): Pick<RenderEmailOptions, 'publicationName' | 'publicUrl'> {
  return { publicationName: ctx.publicationName, publicUrl: ctx.publicUrl };
}

// ---- the messages ---------------------------------------------------------------------------

export function magicLinkEmail(o: EmailContext & { link: string; isNewReader: boolean; expiresMinutes: number }): BuiltEmail {
  const validity = `The link works once and expires in ${minutes(o.expiresMinutes)}.`;
  if (o.isNewReader) {
    return built('Confirm your e-mail to finish signing up', renderEmail({
      ...base(o),
      preheader: `One click to finish signing up for ${o.publicationName}. ${validity}`,
      heading: 'Confirm your e-mail address',
      paragraphs: [`Thanks for signing up for ${o.publicationName}. Confirm that this address is yours to finish creating your account.`, validity],
      button: { label: 'Confirm and sign in', url: o.link },
      footnote: 'If you did not ask to sign up, you can ignore this e-mail: no account is created without the link.',
    }));
  }
  return built('Your sign-in link', renderEmail({
    ...base(o),
    preheader: `Sign in to ${o.publicationName}. ${validity}`,
    heading: `Sign in to ${o.publicationName}`,
    paragraphs: ['Use the link below to sign in. There is no password to remember.', validity],
    button: { label: 'Sign in', url: o.link },
    footnote: 'If you did not ask to sign in, you can ignore this e-mail: nobody can sign in without the link.',
  }));
}

export function emailChangeEmail(o: EmailContext & { link: string; newEmail: string; expiresMinutes?: number }): BuiltEmail {
  const validity = o.expiresMinutes
    ? `The link works once and expires in ${minutes(o.expiresMinutes)}.`
    : 'The link works once.';
  return built('Confirm your new e-mail address', renderEmail({
    ...base(o),
    preheader: `Confirm the change to use this address with ${o.publicationName}.`,
    heading: 'Confirm your new e-mail address',
    paragraphs: [
      `You asked to change the e-mail address of your ${o.publicationName} account to ${o.newEmail}. Confirm the change to start signing in with this address.`,
      validity,
    ],
    button: { label: 'Confirm new address', url: o.link },
    footnote: 'If you did not ask for this change, you can ignore this e-mail: your account keeps its current address.',
  }));
}

export function receiptEmail(o: EmailContext & {
  planName: string; amountCents: number; currency: string; paidAt: EmailDate; periodEnd: EmailDate; accountUrl: string;
}): BuiltEmail {
  const amount = formatMoney(o.amountCents, o.currency);
  const paidOn = formatDate(o.paidAt, o.timeZone);
  const paidThrough = formatDate(o.periodEnd, o.timeZone);
  return built(`Receipt for your subscription to ${o.publicationName}`, renderEmail({
    ...base(o),
    preheader: `${amount} for ${o.planName}, paid ${paidOn}.`,
    heading: 'Thank you for your payment',
    paragraphs: [
      `Thank you for supporting ${o.publicationName}. This is your receipt for ${o.planName}.`,
      `Your subscription is paid through ${paidThrough}.`,
    ],
    details: [
      { label: 'Plan', value: o.planName },
      { label: 'Amount paid', value: amount },
      { label: 'Paid on', value: paidOn },
      { label: 'Paid through', value: paidThrough },
    ],
    button: { label: 'Manage your subscription', url: o.accountUrl },
    footnote: 'Keep this e-mail for your records. You can change or cancel your subscription at any time from your account.',
  }));
}

export function paymentFailedEmail(o: EmailContext & {
  planName: string; amountCents: number; currency: string; graceEndsAt: EmailDate; portalUrl: string;
}): BuiltEmail {
  const amount = formatMoney(o.amountCents, o.currency);
  const graceEnds = formatDate(o.graceEndsAt, o.timeZone);
  return built('Your payment did not go through', renderEmail({
    ...base(o),
    preheader: `Update your payment details by ${graceEnds} to keep reading ${o.publicationName}.`,
    heading: 'We could not take your payment',
    paragraphs: [
      `We tried to charge ${amount} for your ${o.planName} subscription to ${o.publicationName}, but the payment did not go through. This often happens when a card expires or is replaced.`,
      `Your access continues until ${graceEnds}. Update your payment details before then to keep reading without interruption.`,
    ],
    button: { label: 'Update payment details', url: o.portalUrl },
    footnote: 'If you have already updated your payment details, you can ignore this e-mail.',
  }));
}

export function endingSoonEmail(o: EmailContext & {
  planName: string; endsAt: EmailDate; resumeUrl: string; reason: 'canceled' | 'trial' | 'complimentary';
}): BuiltEmail {
  const ends = formatDate(o.endsAt, o.timeZone);
  if (o.reason === 'complimentary') {
    // Given by the newsroom: the reader canceled nothing and has nothing to resume.
    return built(`Your complimentary subscription ends on ${ends}`, renderEmail({
      ...base(o),
      preheader: `You can keep reading ${o.publicationName} until ${ends}.`,
      heading: 'Your complimentary subscription is ending',
      paragraphs: [
        `Your complimentary ${o.planName} subscription to ${o.publicationName} ends on ${ends}. Until then you can keep reading everything.`,
        'It does not renew and nothing will be charged. To keep reading after it ends, choose a subscription.',
      ],
      button: { label: 'See subscriptions', url: `${o.publicUrl}/subscribe` },
      footnote: 'If you would rather not subscribe, there is nothing you need to do.',
    }));
  }
  if (o.reason === 'trial') {
    return built(`Your free trial ends on ${ends}`, renderEmail({
      ...base(o),
      preheader: `Subscribe before ${ends} to keep reading ${o.publicationName}.`,
      heading: 'Your free trial is ending',
      paragraphs: [
        `Your free trial of ${o.planName} at ${o.publicationName} ends on ${ends}.`,
        'Subscribe before then to keep reading without interruption.',
      ],
      button: { label: 'Subscribe', url: o.resumeUrl },
      footnote: 'If you would rather not subscribe, there is nothing you need to do.',
    }));
  }
  return built(`Your subscription ends on ${ends}`, renderEmail({
    ...base(o),
    preheader: `You can keep reading ${o.publicationName} until ${ends}.`,
    heading: 'Your subscription is ending',
    paragraphs: [
      `You canceled your ${o.planName} subscription to ${o.publicationName}. You can keep reading everything until ${ends}.`,
      'If you change your mind, resume your subscription before then and keep your current plan.',
    ],
    button: { label: 'Resume subscription', url: o.resumeUrl },
    footnote: 'If you meant to cancel, there is nothing you need to do.',
  }));
}

/** To a reader the newsroom has given (or extended) a complimentary subscription. */
export function complimentaryEmail(o: EmailContext & { planName: string; months: number; endsAt: EmailDate; isExtension: boolean; accountUrl: string }): BuiltEmail {
  const ends = formatDate(o.endsAt, o.timeZone);
  const what = `${monthsOf(o.months)} of ${o.planName}`;
  return built(
    o.isExtension ? `${o.publicationName} has extended your complimentary subscription` : `A complimentary subscription to ${o.publicationName}`,
    renderEmail({
      ...base(o),
      preheader: `${what}, with our compliments, until ${ends}.`,
      heading: o.isExtension ? 'Your complimentary subscription is extended' : 'A complimentary subscription for you',
      paragraphs: [
        o.isExtension
          ? `${o.publicationName} has added ${what} to your complimentary subscription. You can read everything until ${ends}.`
          : `${o.publicationName} has given you ${what}, with our compliments. You can read everything until ${ends}.`,
        'There is nothing to pay and nothing to cancel: it ends on its own, and we will write a few days before it does.',
      ],
      button: { label: 'See your account', url: o.accountUrl },
      footnote: 'Sign in with this e-mail address to read.',
    }),
  );
}

/** To the person receiving the gift. */
export function giftEmail(o: EmailContext & {
  fromName: string; message: string; months: number; planName: string; redeemUrl: string;
}): BuiltEmail {
  const giver = oneLine(o.fromName);
  const what = `${monthsOf(o.months)} of ${o.planName}`;
  return built(
    giver ? `${giver} sent you a gift subscription to ${o.publicationName}` : `A gift subscription to ${o.publicationName}`,
    renderEmail({
      ...base(o),
      preheader: `${what} at ${o.publicationName}, already paid for.`,
      heading: 'A gift subscription for you',
      paragraphs: [
        `${giver || 'Someone'} has given you ${what} at ${o.publicationName}.`,
        'It is already paid for: redeem it with the link below to start reading.',
      ],
      quote: o.message.trim() ? { text: o.message.trim(), attribution: giver || undefined } : undefined,
      button: { label: 'Redeem your gift', url: o.redeemUrl },
      footnote: 'The redeem link is meant for you alone, so please do not forward this e-mail.',
    }),
  );
}

/** To the person who bought the gift. */
export function giftReceiptEmail(o: EmailContext & {
  recipientEmail: string; months: number; planName: string; amountCents: number; currency: string; paidAt?: EmailDate;
}): BuiltEmail {
  const amount = formatMoney(o.amountCents, o.currency);
  const what = `${monthsOf(o.months)} of ${o.planName}`;
  const details = [
    { label: 'Gift', value: what },
    { label: 'Recipient', value: o.recipientEmail },
    { label: 'Amount paid', value: amount },
  ];
  if (o.paidAt !== undefined) details.push({ label: 'Paid on', value: formatDate(o.paidAt, o.timeZone) });
  return built(`Receipt for your gift subscription to ${o.publicationName}`, renderEmail({
    ...base(o),
    preheader: `${amount} for ${what}. Thank you.`,
    heading: 'Thank you for your gift',
    paragraphs: [
      `Your gift of ${what} at ${o.publicationName} for ${o.recipientEmail} is paid for.`,
      'They will receive an e-mail with a link to redeem it.',
    ],
    details,
    footnote: 'Keep this e-mail for your records.',
  }));
}

/** The double opt-in message of a newsletter sign-up: nothing is sent to the address until it is confirmed. */
export function newsletterConfirmEmail(o: EmailContext & { listName: string; listDescription: string; link: string; expiresDays: number }): BuiltEmail {
  const validity = `The link works for ${o.expiresDays === 1 ? '1 day' : `${o.expiresDays} days`}.`;
  return built(`Confirm your sign-up to ${o.listName}`, renderEmail({
    ...base(o),
    preheader: `One click to start receiving ${o.listName} from ${o.publicationName}.`,
    heading: `Confirm your sign-up to ${o.listName}`,
    paragraphs: [
      `Someone, we hope you, asked to receive ${o.listName} from ${o.publicationName} at this address.`,
      ...(o.listDescription.trim() ? [o.listDescription.trim()] : []),
      `Confirm to start receiving it. ${validity}`,
    ],
    button: { label: 'Confirm sign-up', url: o.link },
    footnote: 'If you did not sign up, you can ignore this e-mail: nothing will be sent to you without the link. Every newsletter has an unsubscribe link.',
  }));
}
