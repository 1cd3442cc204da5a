// The billing e-mails, addressed and filled in: receipts, failed payments, ending-soon
// notices and gifts. Rendering lives in mail/templates.ts; this binds it to the publication.
import { complimentaryEmail, endingSoonEmail, giftEmail, giftReceiptEmail, paymentFailedEmail, receiptEmail } from '../mail/templates.ts';
import type { Plan } from './types.ts';
import type { EndingSoonReason } from './complimentary.ts';

export interface MailContext {
  publicationName: string;
  publicUrl: string;
  timeZone: string;
}

export interface AddressedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface BillingMail {
  receipt(o: { to: string; plan: Plan; amountCents: number; currency: string; paidAt: number; periodEnd: number }): AddressedMail;
  paymentFailed(o: { to: string; plan: Plan; amountCents: number; currency: string; graceEndsAt: number }): AddressedMail;
  endingSoon(o: { to: string; plan: Plan; endsAt: number; reason: EndingSoonReason }): AddressedMail;
  gift(o: { to: string; fromName: string; message: string; months: number; plan: Plan; token: string }): AddressedMail;
  giftReceipt(o: { to: string; recipientEmail: string; months: number; plan: Plan; amountCents: number; currency: string }): AddressedMail;
  complimentary(o: { to: string; plan: Plan; months: number; endsAt: number; isExtension: boolean }): AddressedMail;
}

export function createBillingMail(ctx: MailContext): BillingMail {
  const base = { publicationName: ctx.publicationName, publicUrl: ctx.publicUrl, timeZone: ctx.timeZone };
  const account = `${ctx.publicUrl}/account`;
  return {
    receipt: (o) => ({ to: o.to, ...receiptEmail({ ...base, planName: o.plan.name, amountCents: o.amountCents, currency: o.currency, paidAt: o.paidAt, periodEnd: o.periodEnd, accountUrl: account }) }),
    paymentFailed: (o) => ({ to: o.to, ...paymentFailedEmail({ ...base, planName: o.plan.name, amountCents: o.amountCents, currency: o.currency, graceEndsAt: o.graceEndsAt, portalUrl: `${account}#billing` }) }),
    endingSoon: (o) => ({ to: o.to, ...endingSoonEmail({ ...base, planName: o.plan.name, endsAt: o.endsAt, resumeUrl: `${account}#subscription`, reason: o.reason }) }),
    gift: (o) => ({ to: o.to, ...giftEmail({ ...base, fromName: o.fromName, message: o.message, months: o.months, planName: o.plan.name, redeemUrl: `${ctx.publicUrl}/gift/redeem/${o.token}` }) }),
    giftReceipt: (o) => ({ to: o.to, ...giftReceiptEmail({ ...base, recipientEmail: o.recipientEmail, months: o.months, planName: o.plan.name, amountCents: o.amountCents, currency: o.currency }) }),
    complimentary: (o) => ({ to: o.to, ...complimentaryEmail({ ...base, planName: o.plan.name, months: o.months, endsAt: o.endsAt, isExtension: o.isExtension, accountUrl: account }) }),
  };
}
