// Sign-in and e-mail-change messages, addressed and filled in.
import { emailChangeEmail, magicLinkEmail } from '../mail/templates.ts';
import type { AddressedMail, MailContext } from '../billing/billing-mail.ts';
import { LINK_TTL_MS } from './magic-links.ts';

export function loginLinkMail(ctx: MailContext, o: { to: string; token: string; isNewReader: boolean }): AddressedMail {
  const link = `${ctx.publicUrl}/login/confirm?token=${encodeURIComponent(o.token)}`;
  return { to: o.to, ...magicLinkEmail({ publicationName: ctx.publicationName, publicUrl: ctx.publicUrl, timeZone: ctx.timeZone, link, isNewReader: o.isNewReader, expiresMinutes: LINK_TTL_MS / 60_000 }) };
}

export function emailChangeMail(ctx: MailContext, o: { to: string; token: string }): AddressedMail {
  const link = `${ctx.publicUrl}/account/email/confirm?token=${encodeURIComponent(o.token)}`;
  return { to: o.to, ...emailChangeEmail({ publicationName: ctx.publicationName, publicUrl: ctx.publicUrl, timeZone: ctx.timeZone, link, newEmail: o.to, expiresMinutes: LINK_TTL_MS / 60_000 }) };
}
