// The billing domain's plain data: plans, offers, coupons, subscriptions and what payment
// providers (Stripe, or the built-in demo provider) tell us. Pure types, no I/O.

export type Entitlement = 'web' | 'daily' | 'weekly';
export const ENTITLEMENTS: Entitlement[] = ['web', 'daily', 'weekly'];
export type Interval = 'month' | 'year';

export interface Plan {
  id: number;
  slug: string;
  name: string;
  description: string;
  /** Price per interval in the currency's minor unit (cents). */
  priceCents: number;
  currency: string;
  interval: Interval;
  entitlements: Entitlement[];
  isActive: boolean;
}

/** A way to buy a plan: an introductory price for the first months, a free trial, or neither. */
export interface Offer {
  id: number;
  slug: string;
  planId: number;
  /** "$15 for your first 6 months" */
  headline: string;
  /** Total charged for the introductory months (e.g. 1500 for "$15 for 6 months"); null → none. */
  introTotalCents: number | null;
  introMonths: number | null;
  trialDays: number | null;
  isActive: boolean;
}

export interface Coupon {
  code: string;
  percentOff: number | null;
  amountOffCents: number | null;
  duration: 'once' | 'repeating' | 'forever';
  durationMonths: number | null;
  maxRedemptions: number | null;
  redeemedCount: number;
  expiresAt: number | null;
  isActive: boolean;
}

/**
 * Our record of a subscription. `canceled` keeps access until the period ends; `ended` has
 * none. `past_due` keeps access through a grace period after the failed renewal.
 */
export type SubscriptionStatus = 'incomplete' | 'trialing' | 'active' | 'past_due' | 'canceled' | 'ended';

export interface Subscription {
  id: number;
  readerId: number;
  planId: number;
  /** Who bills it: a payment provider, or nobody for a complimentary subscription. */
  provider: SubscriptionProvider;
  providerSubscriptionId: string;
  providerCustomerId: string;
  status: SubscriptionStatus;
  currentPeriodStart: number;
  currentPeriodEnd: number;
  cancelAtPeriodEnd: boolean;
  trialEnd: number | null;
  /** When the provider first reported the renewal failure (for the grace period). */
  pastDueSince: number | null;
  endedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export type ProviderName = 'demo' | 'stripe';

/**
 * `comp`: a complimentary subscription the newsroom granted (billing/complimentary.ts): no
 * provider, no charge, no renewal; it ends on its own at the period end.
 */
export type SubscriptionProvider = ProviderName | 'comp';

/** The provider's statuses (Stripe's vocabulary; the demo provider speaks it too). */
export type ProviderStatus = 'incomplete' | 'incomplete_expired' | 'trialing' | 'active' | 'past_due' | 'canceled' | 'unpaid' | 'paused';

/** A subscription as the provider reports it now: the truth we converge on. */
export interface ProviderSubscription {
  id: string;
  customerId: string;
  status: ProviderStatus;
  /** The provider's price id for the plan (Stripe price id, or the demo provider's plan key). */
  priceId: string;
  currentPeriodStart: number;
  currentPeriodEnd: number;
  cancelAtPeriodEnd: boolean;
  trialEnd: number | null;
  endedAt: number | null;
  /** Set at checkout: which reader and plan this is for. */
  metadata: Record<string, string>;
}

/** A provider event, verified and reduced to what we act on. */
export type ProviderEvent =
  | { id: string; created: number; kind: 'checkout.completed'; checkoutId: string; subscriptionId: string | null; customerId: string; metadata: Record<string, string>; amountCents: number; currency: string; paymentIntentId: string | null }
  | { id: string; created: number; kind: 'subscription.changed'; subscriptionId: string }
  | { id: string; created: number; kind: 'invoice.paid'; invoiceId: string; subscriptionId: string | null; amountCents: number; currency: string }
  | { id: string; created: number; kind: 'invoice.payment_failed'; invoiceId: string; subscriptionId: string | null; amountCents: number; currency: string }
  | { id: string; created: number; kind: 'ignored'; type: string };

export interface CheckoutRequest {
  reader: { id: number; email: string; customerId: string | null };
  plan: Plan;
  /** The provider's price id for the plan. */
  priceId: string;
  offer: Offer | null;
  coupon: Coupon | null;
  successUrl: string;
  cancelUrl: string;
  /** Extra keys carried to the subscription and events (reader id, plan slug, offer). */
  metadata: Record<string, string>;
}

/** A one-off payment (gift subscriptions). */
export interface PaymentRequest {
  email: string;
  amountCents: number;
  currency: string;
  description: string;
  successUrl: string;
  cancelUrl: string;
  metadata: Record<string, string>;
}

export class SignatureError extends Error {}

/** What the billing code needs from a payment provider; Stripe and the demo provider implement it. */
export interface PaymentProvider {
  readonly name: ProviderName;
  /** Makes sure the provider knows the plan's price; returns its price id. */
  ensurePrice(plan: Plan): Promise<string>;
  createCheckout(req: CheckoutRequest): Promise<{ url: string; checkoutId: string }>;
  createPaymentCheckout(req: PaymentRequest): Promise<{ url: string; checkoutId: string }>;
  retrieveSubscription(subscriptionId: string): Promise<ProviderSubscription>;
  setCancelAtPeriodEnd(subscriptionId: string, cancel: boolean): Promise<ProviderSubscription>;
  switchPrice(subscriptionId: string, priceId: string): Promise<ProviderSubscription>;
  cancelNow(subscriptionId: string): Promise<ProviderSubscription>;
  /** Where the reader updates their card. */
  createPortalSession(customerId: string, returnUrl: string): Promise<{ url: string }>;
  /** Verifies the signature over the raw body and decodes the event; throws SignatureError. */
  verifyWebhook(rawBody: string, signatureHeader: string | null, now: number): ProviderEvent;
}
