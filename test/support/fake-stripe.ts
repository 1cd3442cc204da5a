// A local stand-in for the Stripe API, reached through the real SDK (`host`/`port`/`protocol`).
// It answers the endpoints StripeProvider uses in Stripe's JSON shapes, keeps its objects in
// memory, records every request, and lets a test play the customer and the passing of time,
// returning the events Stripe would send. Each test builds its own instance.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/** What the SDK's form encoding decodes to: strings, nested objects and indexed arrays. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export interface RecordedRequest {
  method: string;
  /** Without the query string. */
  path: string;
  /** The decoded query (GET, DELETE) or body (POST). */
  params: FormObject;
  idempotencyKey: string | null;
}

export type JsonObject = { [key: string]: unknown };

export interface FakeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: JsonObject; previous_attributes?: JsonObject };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface FakeStripeOptions {
  /** The fake's clock in ms; periods, `created` and signatures follow it. */
  now?: () => number;
  /**
   * 'legacy' renders objects as API versions before 2025-03-31 did: the period on the
   * subscription rather than its items, and `invoice.subscription` rather than `invoice.parent`.
   */
  shapes?: 'current' | 'legacy';
}

/** Decodes `a[b][0][c]=v&…` as the SDK encodes it (qs indexed style) into nested values. */
export function decodeForm(encoded: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(encoded)) {
    const match = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
    if (!match) throw new Error(`undecodable form key ${rawKey}`);
    const segments = [match[1], ...[...match[2].matchAll(/\[([^\]]*)\]/g)].map((m) => m[1])];
    let cursor: { [key: string]: FormValue } = root;
    segments.forEach((segment, i) => {
      const key = segment === '' ? String(Object.keys(cursor).length) : segment;
      if (i === segments.length - 1) {
        cursor[key] = value;
        return;
      }
      const next = cursor[key];
      if (next === undefined || typeof next === 'string' || Array.isArray(next)) cursor[key] = {};
      cursor = cursor[key] as { [key: string]: FormValue };
    });
  }
  return arrayify(root) as FormObject;
}

// Objects keyed 0, 1, … were arrays on the client.
function arrayify(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted: FormObject = {};
  for (const key of keys) converted[key] = arrayify(value[key]);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => converted[k]);
  }
  return converted;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly param?: string,
    readonly type = 'invalid_request_error',
  ) {
    super(message);
  }
}

const missing = (what: string, id: string, param?: string) =>
  new ApiError(404, `No such ${what}: '${id}'`, 'resource_missing', param);

// Typed reads of decoded form values; a malformed request is the provider's bug, so it is a 400.
function str(v: FormValue | undefined, param: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ApiError(400, `Invalid string: ${param}`, 'parameter_invalid_string', param);
  return v;
}
function reqStr(v: FormValue | undefined, param: string): string {
  const s = str(v, param);
  if (s === undefined || s === '') throw new ApiError(400, `Missing required param: ${param}.`, 'parameter_missing', param);
  return s;
}
function int(v: FormValue | undefined, param: string): number | undefined {
  const s = str(v, param);
  if (s === undefined) return undefined;
  if (!/^-?\d+$/.test(s)) throw new ApiError(400, `Invalid integer: ${s}`, 'parameter_invalid_integer', param);
  return Number(s);
}
function num(v: FormValue | undefined, param: string): number | undefined {
  const s = str(v, param);
  if (s === undefined) return undefined;
  if (!Number.isFinite(Number(s)) || s === '') throw new ApiError(400, `Invalid decimal: ${s}`, 'parameter_invalid_decimal', param);
  return Number(s);
}
function bool(v: FormValue | undefined, param: string): boolean | undefined {
  const s = str(v, param);
  if (s === undefined) return undefined;
  if (s !== 'true' && s !== 'false') throw new ApiError(400, `Invalid boolean: ${s}`, 'parameter_invalid_boolean', param);
  return s === 'true';
}
function obj(v: FormValue | undefined, param: string): FormObject | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' || Array.isArray(v)) throw new ApiError(400, `Invalid object: ${param}`, 'parameter_invalid_object', param);
  return v;
}
function list(v: FormValue | undefined, param: string): FormValue[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ApiError(400, `Invalid array: ${param}`, 'parameter_invalid_array', param);
  return v;
}
function metadata(v: FormValue | undefined, param = 'metadata'): Record<string, string> {
  const o = obj(v, param) ?? {};
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(o)) out[k] = str(value, `${param}[${k}]`) ?? '';
  return out;
}
// Stripe merges metadata on update; an empty value removes the key.
function mergeMetadata(current: Record<string, string>, patch: Record<string, string>): Record<string, string> {
  const out = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === '') delete out[k];
    else out[k] = v;
  }
  return out;
}

type Interval = 'day' | 'week' | 'month' | 'year';

function addInterval(seconds: number, interval: Interval, count: number): number {
  if (interval === 'day') return seconds + count * 86_400;
  if (interval === 'week') return seconds + count * 7 * 86_400;
  const months = interval === 'year' ? 12 * count : count;
  const d = new Date(seconds * 1000);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()));
  // Stripe keeps the anchor's day of month, clamped to the month's length (Jan 31 → Feb 28).
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return Math.floor(target.getTime() / 1000);
}

interface ProductRec { id: string; name: string; metadata: Record<string, string>; created: number }
interface PriceRec {
  id: string;
  product: string;
  currency: string;
  unitAmount: number;
  recurring: { interval: Interval; intervalCount: number } | null;
  lookupKey: string | null;
  active: boolean;
  metadata: Record<string, string>;
  created: number;
}
interface CouponRec {
  id: string;
  name: string | null;
  amountOff: number | null;
  percentOff: number | null;
  currency: string | null;
  duration: 'once' | 'repeating' | 'forever';
  durationInMonths: number | null;
  metadata: Record<string, string>;
  created: number;
}
interface CustomerRec { id: string; email: string | null; metadata: Record<string, string>; created: number }
type LineItem = { price: string; quantity: number } | { priceData: { currency: string; unitAmount: number; name: string }; quantity: number };
interface SessionRec {
  id: string;
  mode: 'subscription' | 'payment';
  status: 'open' | 'complete';
  paymentStatus: 'unpaid' | 'paid' | 'no_payment_required';
  customer: string | null;
  customerEmail: string | null;
  clientReferenceId: string | null;
  metadata: Record<string, string>;
  successUrl: string;
  cancelUrl: string | null;
  lineItems: LineItem[];
  subscriptionMetadata: Record<string, string>;
  trialDays: number | null;
  paymentIntentMetadata: Record<string, string>;
  coupon: string | null;
  subscription: string | null;
  paymentIntent: string | null;
  amountTotal: number;
  currency: string;
  created: number;
}
interface SubscriptionRec {
  id: string;
  customer: string;
  status: 'trialing' | 'active' | 'past_due' | 'canceled' | 'unpaid' | 'paused' | 'incomplete';
  itemId: string;
  price: string;
  /** Regular periods are counted from the anchor, so months keep the anchor's day. */
  anchor: number;
  cycle: number;
  periodStart: number;
  periodEnd: number;
  cancelAtPeriodEnd: boolean;
  canceledAt: number | null;
  endedAt: number | null;
  trialStart: number | null;
  trialEnd: number | null;
  metadata: Record<string, string>;
  coupon: string | null;
  discountStart: number | null;
  latestInvoice: string | null;
  created: number;
}
interface PortalSessionRec { id: string; customer: string; returnUrl: string | null; created: number }

export interface CheckoutOutcome {
  /** What Stripe would deliver, in a plausible order; empty when the card was declined. */
  events: FakeEvent[];
  customerId: string | null;
  subscriptionId: string | null;
  invoiceId: string | null;
  paymentIntentId: string | null;
}

export class FakeStripe {
  readonly requests: RecordedRequest[] = [];
  /** Every event the fake produced, in order (also those caused by API calls). */
  readonly events: FakeEvent[] = [];
  readonly products = new Map<string, ProductRec>();
  readonly prices = new Map<string, PriceRec>();
  readonly coupons = new Map<string, CouponRec>();
  readonly customers = new Map<string, CustomerRec>();
  readonly sessions = new Map<string, SessionRec>();
  readonly subscriptions = new Map<string, SubscriptionRec>();
  readonly invoices = new Map<string, JsonObject>();
  readonly portalSessions = new Map<string, PortalSessionRec>();
  readonly #idempotent = new Map<string, { status: number; body: string }>();
  readonly #server: http.Server;
  readonly #now: () => number;
  readonly #shapes: 'current' | 'legacy';
  #port = 0;

  private constructor(options: FakeStripeOptions) {
    this.#now = options.now ?? (() => Date.now());
    this.#shapes = options.shapes ?? 'current';
    this.#server = http.createServer((req, res) => void this.#handle(req, res));
  }

  static async start(options: FakeStripeOptions = {}): Promise<FakeStripe> {
    const fake = new FakeStripe(options);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', () => resolve()));
    fake.#port = (fake.#server.address() as AddressInfo).port;
    return fake;
  }

  /** For `new StripeProvider({ …, api })`. */
  get api(): { host: string; port: number; protocol: 'http' } {
    return { host: '127.0.0.1', port: this.#port, protocol: 'http' };
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      // The SDK keeps connections alive; without this close() would wait for them to idle out.
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
  }

  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  // ---- test controls -------------------------------------------------------------------

  /** The customer pays on the Checkout page. A declined card leaves the session open, as Stripe does. */
  completeCheckout(sessionId: string, { card = 'ok' }: { card?: 'ok' | 'declined' } = {}): CheckoutOutcome {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no checkout session ${sessionId}`);
    if (session.status !== 'open') throw new Error(`checkout session ${sessionId} is ${session.status}`);
    const none: CheckoutOutcome = { events: [], customerId: null, subscriptionId: null, invoiceId: null, paymentIntentId: null };
    if (card === 'declined') return none;
    const now = this.#seconds();

    if (session.mode === 'payment') {
      session.status = 'complete';
      session.paymentStatus = 'paid';
      session.paymentIntent = this.#id('pi');
      const completed = this.#event('checkout.session.completed', this.#sessionJson(session));
      return { ...none, events: [completed], customerId: session.customer, paymentIntentId: session.paymentIntent };
    }

    const customer = session.customer ?? this.#createCustomer(session.customerEmail, {}).id;
    const line = session.lineItems[0];
    if (!line || !('price' in line)) throw new Error('subscription session without a price');
    const price = this.prices.get(line.price)!;
    const interval = price.recurring!.interval;
    const trialEnd = session.trialDays ? now + session.trialDays * 86_400 : null;
    const sub: SubscriptionRec = {
      id: this.#id('sub'),
      customer,
      status: trialEnd ? 'trialing' : 'active',
      itemId: this.#id('si'),
      price: price.id,
      anchor: trialEnd ?? now,
      cycle: trialEnd ? -1 : 0,
      periodStart: now,
      periodEnd: trialEnd ?? addInterval(now, interval, price.recurring!.intervalCount),
      cancelAtPeriodEnd: false,
      canceledAt: null,
      endedAt: null,
      trialStart: trialEnd ? now : null,
      trialEnd,
      metadata: { ...session.subscriptionMetadata },
      coupon: session.coupon,
      discountStart: session.coupon ? now : null,
      latestInvoice: null,
      created: now,
    };
    this.subscriptions.set(sub.id, sub);
    const invoice = this.#invoice(sub, { paid: true, reason: 'subscription_create', isFirst: true });

    session.status = 'complete';
    session.customer = customer;
    session.subscription = sub.id;
    session.paymentStatus = trialEnd ? 'no_payment_required' : 'paid';
    const events = [
      this.#event('checkout.session.completed', this.#sessionJson(session)),
      this.#event('customer.subscription.created', this.#subscriptionJson(sub)),
      this.#event('invoice.paid', invoice),
    ];
    return { events, customerId: customer, subscriptionId: sub.id, invoiceId: String(invoice.id), paymentIntentId: null };
  }

  /**
   * The period ends: a renewal invoice is paid or fails (→ past_due). A subscription set to
   * cancel at the period's end ends instead.
   */
  advance(subscriptionId: string, { outcome }: { outcome: 'paid' | 'failed' }): { events: FakeEvent[]; invoiceId: string | null } {
    const sub = this.#subscription(subscriptionId);
    if (sub.status === 'canceled') throw new Error(`subscription ${subscriptionId} has ended`);
    const before = this.#subscriptionJson(sub);
    if (sub.cancelAtPeriodEnd) {
      sub.status = 'canceled';
      sub.endedAt = sub.periodEnd;
      sub.canceledAt ??= this.#seconds();
      return { events: [this.#event('customer.subscription.deleted', this.#subscriptionJson(sub))], invoiceId: null };
    }
    const price = this.prices.get(sub.price)!;
    sub.cycle += 1;
    sub.periodStart = addInterval(sub.anchor, price.recurring!.interval, sub.cycle * price.recurring!.intervalCount);
    sub.periodEnd = addInterval(sub.anchor, price.recurring!.interval, (sub.cycle + 1) * price.recurring!.intervalCount);
    sub.status = outcome === 'paid' ? 'active' : 'past_due';
    const invoice = this.#invoice(sub, { paid: outcome === 'paid', reason: 'subscription_cycle', isFirst: false });
    const invoiceEvent = this.#event(outcome === 'paid' ? 'invoice.paid' : 'invoice.payment_failed', invoice);
    const updated = this.#event('customer.subscription.updated', this.#subscriptionJson(sub), changedFields(before, this.#subscriptionJson(sub)));
    return { events: [invoiceEvent, updated], invoiceId: String(invoice.id) };
  }

  /** A change made elsewhere (the dashboard, the customer portal). */
  update(subscriptionId: string, patch: { status?: SubscriptionRec['status']; cancelAtPeriodEnd?: boolean; priceId?: string; metadata?: Record<string, string> }): FakeEvent {
    const sub = this.#subscription(subscriptionId);
    const before = this.#subscriptionJson(sub);
    if (patch.status) sub.status = patch.status;
    if (patch.cancelAtPeriodEnd !== undefined) this.#setCancelAtPeriodEnd(sub, patch.cancelAtPeriodEnd);
    if (patch.priceId) this.#switchPrice(sub, patch.priceId);
    if (patch.metadata) sub.metadata = mergeMetadata(sub.metadata, patch.metadata);
    const after = this.#subscriptionJson(sub);
    return this.#event('customer.subscription.updated', after, changedFields(before, after));
  }

  /** Canceled elsewhere, effective now. */
  cancel(subscriptionId: string): FakeEvent {
    const sub = this.#subscription(subscriptionId);
    this.#cancelNow(sub);
    return this.#event('customer.subscription.deleted', this.#subscriptionJson(sub));
  }

  /** Any event, for types the controls above do not produce. */
  makeEvent(type: string, object: JsonObject, previousAttributes?: JsonObject): FakeEvent {
    return this.#event(type, object, previousAttributes);
  }

  subscriptionJson(subscriptionId: string): JsonObject {
    return this.#subscriptionJson(this.#subscription(subscriptionId));
  }

  /**
   * The body and Stripe-Signature header of a delivery, as Stripe sends them (pretty-printed
   * JSON). `timestamp` is in seconds, like the header's `t=`; it defaults to the fake's clock.
   */
  signedDelivery(event: FakeEvent, { secret, timestamp }: { secret: string; timestamp?: number }): { body: string; signature: string } {
    const body = JSON.stringify(event, null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: timestamp ?? this.#seconds() });
    return { body, signature };
  }

  // ---- HTTP ----------------------------------------------------------------------------

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    let status = 200;
    let body: string;
    try {
      const params = decodeForm(method === 'POST' ? Buffer.concat(chunks).toString('utf8') : url.search.slice(1));
      this.requests.push({ method, path: url.pathname, params, idempotencyKey });
      const replay = idempotencyKey ? this.#idempotent.get(idempotencyKey) : undefined;
      if (replay) {
        ({ status, body } = replay);
      } else {
        if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) {
          throw new ApiError(401, 'You did not provide an API key.', undefined, undefined, 'invalid_request_error');
        }
        body = JSON.stringify(this.#route(method, url.pathname, params), null, 2);
      }
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(500, err instanceof Error ? err.message : String(err), undefined, undefined, 'api_error');
      status = e.status;
      body = JSON.stringify({ error: { type: e.type, message: e.message, ...(e.code ? { code: e.code } : {}), ...(e.param ? { param: e.param } : {}) } }, null, 2);
    }
    // Stripe replays the first answer to a repeated idempotency key (the SDK's retries rely on it).
    if (idempotencyKey && method === 'POST' && status < 500) this.#idempotent.set(idempotencyKey, { status, body });
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': this.#id('req') });
    res.end(body);
  }

  #route(method: string, path: string, p: FormObject): JsonObject {
    const routes: Array<[string, RegExp, (id: string) => JsonObject]> = [
      ['POST', /^\/v1\/products$/, () => this.#productJson(this.#createProduct(p))],
      ['GET', /^\/v1\/prices$/, () => this.#listPrices(p)],
      ['POST', /^\/v1\/prices$/, () => this.#priceJson(this.#createPrice(p))],
      ['GET', /^\/v1\/prices\/([^/]+)$/, (id) => this.#priceJson(this.prices.get(id) ?? throwError(missing('price', id)))],
      ['GET', /^\/v1\/coupons\/([^/]+)$/, (id) => this.#couponJson(this.coupons.get(id) ?? throwError(missing('coupon', id)))],
      ['POST', /^\/v1\/coupons$/, () => this.#couponJson(this.#createCoupon(p))],
      ['DELETE', /^\/v1\/coupons\/([^/]+)$/, (id) => {
        if (!this.coupons.delete(id)) throw missing('coupon', id);
        return { id, object: 'coupon', deleted: true };
      }],
      ['POST', /^\/v1\/customers$/, () => this.#customerJson(this.#createCustomer(str(p.email, 'email') ?? null, metadata(p.metadata)))],
      ['GET', /^\/v1\/customers\/([^/]+)$/, (id) => this.#customerJson(this.customers.get(id) ?? throwError(missing('customer', id)))],
      ['POST', /^\/v1\/checkout\/sessions$/, () => this.#sessionJson(this.#createSession(p))],
      ['GET', /^\/v1\/checkout\/sessions\/([^/]+)$/, (id) => this.#sessionJson(this.sessions.get(id) ?? throwError(missing('checkout.session', id)))],
      ['GET', /^\/v1\/subscriptions\/([^/]+)$/, (id) => this.#subscriptionJson(this.#subscription(id, true))],
      ['POST', /^\/v1\/subscriptions\/([^/]+)$/, (id) => this.#updateSubscription(this.#subscription(id, true), p)],
      ['DELETE', /^\/v1\/subscriptions\/([^/]+)$/, (id) => {
        const sub = this.#subscription(id, true);
        if (sub.status === 'canceled') throw new ApiError(400, `A canceled subscription can't be canceled again: ${id}`);
        this.#cancelNow(sub);
        const json = this.#subscriptionJson(sub);
        this.#event('customer.subscription.deleted', json);
        return json;
      }],
      ['POST', /^\/v1\/billing_portal\/sessions$/, () => this.#createPortalSession(p)],
    ];
    for (const [m, pattern, handler] of routes) {
      const match = m === method ? pattern.exec(path) : null;
      if (match) return handler(decodeURIComponent(match[1] ?? ''));
    }
    throw new ApiError(404, `Unrecognized request URL (${method}: ${path}).`);
  }

  // ---- resources -----------------------------------------------------------------------

  #createProduct(p: FormObject): ProductRec {
    const product = { id: this.#id('prod'), name: reqStr(p.name, 'name'), metadata: metadata(p.metadata), created: this.#seconds() };
    this.products.set(product.id, product);
    return product;
  }

  #createPrice(p: FormObject): PriceRec {
    const product = reqStr(p.product, 'product');
    if (!this.products.has(product)) throw missing('product', product, 'product');
    const unitAmount = int(p.unit_amount, 'unit_amount');
    if (unitAmount === undefined || unitAmount < 0) throw new ApiError(400, 'Missing required param: unit_amount.', 'parameter_missing', 'unit_amount');
    const recurring = obj(p.recurring, 'recurring');
    const interval = recurring ? reqStr(recurring.interval, 'recurring[interval]') : null;
    if (interval && !['day', 'week', 'month', 'year'].includes(interval)) throw new ApiError(400, `Invalid recurring[interval]: ${interval}`, 'parameter_invalid', 'recurring[interval]');
    const lookupKey = str(p.lookup_key, 'lookup_key') ?? null;
    if (lookupKey) {
      const holder = [...this.prices.values()].find((x) => x.lookupKey === lookupKey);
      if (holder && !bool(p.transfer_lookup_key, 'transfer_lookup_key')) {
        throw new ApiError(400, `A price (\`${holder.id}\`) already uses that lookup key.`, undefined, 'lookup_key');
      }
      if (holder) holder.lookupKey = null;
    }
    const price: PriceRec = {
      id: this.#id('price'),
      product,
      currency: reqStr(p.currency, 'currency'),
      unitAmount,
      recurring: interval ? { interval: interval as Interval, intervalCount: int(recurring?.interval_count, 'recurring[interval_count]') ?? 1 } : null,
      lookupKey,
      active: true,
      metadata: metadata(p.metadata),
      created: this.#seconds(),
    };
    this.prices.set(price.id, price);
    return price;
  }

  #listPrices(p: FormObject): JsonObject {
    const keys = list(p.lookup_keys, 'lookup_keys').map((k, i) => reqStr(k, `lookup_keys[${i}]`));
    const active = bool(p.active, 'active');
    const limit = int(p.limit, 'limit') ?? 10;
    const matching = [...this.prices.values()]
      .filter((x) => (keys.length === 0 || (x.lookupKey !== null && keys.includes(x.lookupKey))) && (active === undefined || x.active === active))
      .reverse(); // newest first, as Stripe lists
    return this.#list('/v1/prices', matching.slice(0, limit).map((x) => this.#priceJson(x)), matching.length > limit);
  }

  #createCoupon(p: FormObject): CouponRec {
    const id = str(p.id, 'id') ?? this.#id('co').slice(3);
    if (this.coupons.has(id)) throw new ApiError(400, 'Coupon already exists.', 'resource_already_exists', 'id');
    const amountOff = int(p.amount_off, 'amount_off') ?? null;
    const percentOff = num(p.percent_off, 'percent_off') ?? null;
    if ((amountOff === null) === (percentOff === null)) {
      throw new ApiError(400, 'You must pass exactly one of amount_off or percent_off.', 'parameter_invalid', 'amount_off');
    }
    const currency = str(p.currency, 'currency') ?? null;
    if (amountOff !== null && !currency) throw new ApiError(400, 'You must pass currency when passing amount_off.', 'parameter_missing', 'currency');
    const duration = str(p.duration, 'duration') ?? 'once';
    if (duration !== 'once' && duration !== 'repeating' && duration !== 'forever') throw new ApiError(400, `Invalid duration: ${duration}`, 'parameter_invalid', 'duration');
    const durationInMonths = int(p.duration_in_months, 'duration_in_months') ?? null;
    if (duration === 'repeating' && !durationInMonths) throw new ApiError(400, 'duration_in_months is required when duration is repeating', 'parameter_missing', 'duration_in_months');
    const coupon: CouponRec = {
      id,
      name: str(p.name, 'name') ?? null,
      amountOff,
      percentOff,
      currency,
      duration,
      durationInMonths: duration === 'repeating' ? durationInMonths : null,
      metadata: metadata(p.metadata),
      created: this.#seconds(),
    };
    this.coupons.set(id, coupon);
    return coupon;
  }

  #createCustomer(email: string | null, meta: Record<string, string>): CustomerRec {
    const customer = { id: this.#id('cus'), email, metadata: meta, created: this.#seconds() };
    this.customers.set(customer.id, customer);
    return customer;
  }

  /** A test stands in for an earlier checkout that left the reader with a Stripe customer. */
  createCustomer(email: string): string {
    return this.#createCustomer(email, {}).id;
  }

  #createSession(p: FormObject): SessionRec {
    const mode = reqStr(p.mode, 'mode');
    if (mode !== 'subscription' && mode !== 'payment') throw new ApiError(400, `Invalid mode: ${mode}`, 'parameter_invalid', 'mode');
    const customer = str(p.customer, 'customer') ?? null;
    const customerEmail = str(p.customer_email, 'customer_email') ?? null;
    if (customer && customerEmail) throw new ApiError(400, 'You may only specify one of these parameters: customer, customer_email.', 'parameter_invalid', 'customer_email');
    if (customer && !this.customers.has(customer)) throw missing('customer', customer, 'customer');
    const lineItems: LineItem[] = list(p.line_items, 'line_items').map((raw, i) => {
      const item = obj(raw, `line_items[${i}]`)!;
      const quantity = int(item.quantity, `line_items[${i}][quantity]`) ?? 1;
      const priceId = str(item.price, `line_items[${i}][price]`);
      if (priceId) {
        const price = this.prices.get(priceId);
        if (!price) throw missing('price', priceId, `line_items[${i}][price]`);
        if (mode === 'subscription' && !price.recurring) throw new ApiError(400, 'You must provide at least one recurring price in `subscription` mode.', undefined, 'line_items');
        return { price: priceId, quantity };
      }
      const data = obj(item.price_data, `line_items[${i}][price_data]`);
      if (!data) throw new ApiError(400, `Missing required param: line_items[${i}][price].`, 'parameter_missing', `line_items[${i}][price]`);
      if (mode === 'subscription') throw new ApiError(400, 'This fake only takes existing prices in subscription mode.', undefined, 'line_items');
      const unitAmount = int(data.unit_amount, `line_items[${i}][price_data][unit_amount]`);
      if (unitAmount === undefined) throw new ApiError(400, 'Missing required param: unit_amount.', 'parameter_missing', `line_items[${i}][price_data][unit_amount]`);
      const product = obj(data.product_data, `line_items[${i}][price_data][product_data]`);
      return {
        priceData: {
          currency: reqStr(data.currency, `line_items[${i}][price_data][currency]`),
          unitAmount,
          name: reqStr(product?.name, `line_items[${i}][price_data][product_data][name]`),
        },
        quantity,
      };
    });
    if (lineItems.length === 0) throw new ApiError(400, 'Missing required param: line_items.', 'parameter_missing', 'line_items');
    const discounts = list(p.discounts, 'discounts');
    if (discounts.length > 1) throw new ApiError(400, 'You may only specify one discount.', undefined, 'discounts');
    const coupon = discounts[0] ? reqStr(obj(discounts[0], 'discounts[0]')!.coupon, 'discounts[0][coupon]') : null;
    if (coupon && !this.coupons.has(coupon)) throw missing('coupon', coupon, 'discounts[0][coupon]');
    const subscriptionData = obj(p.subscription_data, 'subscription_data') ?? {};
    const trialDays = int(subscriptionData.trial_period_days, 'subscription_data[trial_period_days]') ?? null;
    if (trialDays !== null && trialDays < 1) throw new ApiError(400, 'trial_period_days must be at least 1', 'parameter_invalid', 'subscription_data[trial_period_days]');
    if (mode === 'payment' && p.subscription_data) throw new ApiError(400, 'subscription_data can only be used in subscription mode.', undefined, 'subscription_data');
    if (mode === 'subscription' && p.payment_intent_data) throw new ApiError(400, 'payment_intent_data can only be used in payment mode.', undefined, 'payment_intent_data');

    const amounts = lineItems.map((l) => {
      if ('price' in l) {
        const price = this.prices.get(l.price)!;
        return { amount: price.unitAmount * l.quantity, currency: price.currency };
      }
      return { amount: l.priceData.unitAmount * l.quantity, currency: l.priceData.currency };
    });
    const subtotal = amounts.reduce((sum, a) => sum + a.amount, 0);
    const session: SessionRec = {
      id: `cs_test_${randomBytes(12).toString('hex')}`,
      mode,
      status: 'open',
      paymentStatus: 'unpaid',
      customer,
      customerEmail,
      clientReferenceId: str(p.client_reference_id, 'client_reference_id') ?? null,
      metadata: metadata(p.metadata),
      successUrl: reqStr(p.success_url, 'success_url'),
      cancelUrl: str(p.cancel_url, 'cancel_url') ?? null,
      lineItems,
      subscriptionMetadata: metadata(subscriptionData.metadata, 'subscription_data[metadata]'),
      trialDays,
      paymentIntentMetadata: metadata(obj(p.payment_intent_data, 'payment_intent_data')?.metadata, 'payment_intent_data[metadata]'),
      coupon,
      subscription: null,
      paymentIntent: null,
      amountTotal: trialDays ? 0 : subtotal - this.#discountOn(subtotal, coupon),
      currency: amounts[0].currency,
      created: this.#seconds(),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  #updateSubscription(sub: SubscriptionRec, p: FormObject): JsonObject {
    const before = this.#subscriptionJson(sub);
    const patchMeta = metadata(p.metadata);
    const onlyMetadata = Object.keys(p).every((k) => k === 'metadata' || k === 'expand');
    if (sub.status === 'canceled' && !onlyMetadata) {
      throw new ApiError(400, 'A canceled subscription can only update its cancellation_details and metadata.');
    }
    const cancel = bool(p.cancel_at_period_end, 'cancel_at_period_end');
    if (cancel !== undefined) this.#setCancelAtPeriodEnd(sub, cancel);
    const items = list(p.items, 'items');
    if (items.length > 0) {
      const behavior = str(p.proration_behavior, 'proration_behavior') ?? 'create_prorations';
      if (!['create_prorations', 'none', 'always_invoice'].includes(behavior)) throw new ApiError(400, `Invalid proration_behavior: ${behavior}`, 'parameter_invalid', 'proration_behavior');
      items.forEach((raw, i) => {
        const item = obj(raw, `items[${i}]`)!;
        const itemId = str(item.id, `items[${i}][id]`);
        const price = reqStr(item.price, `items[${i}][price]`);
        // Without the item id Stripe adds a second item; this fake keeps one and says so.
        if (itemId !== sub.itemId) throw new ApiError(400, `items[${i}][id] must name the subscription's item ${sub.itemId}`, 'parameter_invalid', `items[${i}][id]`);
        this.#switchPrice(sub, price);
      });
    }
    sub.metadata = mergeMetadata(sub.metadata, patchMeta);
    const after = this.#subscriptionJson(sub);
    const changed = changedFields(before, after);
    if (Object.keys(changed).length > 0) this.#event('customer.subscription.updated', after, changed);
    return after;
  }

  #setCancelAtPeriodEnd(sub: SubscriptionRec, cancel: boolean): void {
    sub.cancelAtPeriodEnd = cancel;
    sub.canceledAt = cancel ? this.#seconds() : null;
  }

  #switchPrice(sub: SubscriptionRec, priceId: string): void {
    const next = this.prices.get(priceId);
    if (!next) throw missing('price', priceId, 'items[0][price]');
    if (!next.recurring) throw new ApiError(400, 'The price must be recurring.', undefined, 'items[0][price]');
    const current = this.prices.get(sub.price)!;
    sub.price = priceId;
    // A change of interval restarts the billing cycle now, as Stripe does; otherwise the period stays.
    if (current.recurring!.interval !== next.recurring.interval && sub.status !== 'trialing') {
      const now = this.#seconds();
      sub.anchor = now;
      sub.cycle = 0;
      sub.periodStart = now;
      sub.periodEnd = addInterval(now, next.recurring.interval, next.recurring.intervalCount);
    }
  }

  #cancelNow(sub: SubscriptionRec): void {
    const now = this.#seconds();
    sub.status = 'canceled';
    sub.canceledAt = now;
    sub.endedAt = now;
  }

  #createPortalSession(p: FormObject): JsonObject {
    const customer = reqStr(p.customer, 'customer');
    if (!this.customers.has(customer)) throw missing('customer', customer, 'customer');
    const rec: PortalSessionRec = { id: this.#id('bps'), customer, returnUrl: str(p.return_url, 'return_url') ?? null, created: this.#seconds() };
    this.portalSessions.set(rec.id, rec);
    return {
      id: rec.id,
      object: 'billing_portal.session',
      configuration: 'bpc_fake',
      created: rec.created,
      customer,
      flow: null,
      livemode: false,
      locale: null,
      on_behalf_of: null,
      return_url: rec.returnUrl,
      url: `${this.url}/p/session/${rec.id}`,
    };
  }

  #subscription(id: string, api = false): SubscriptionRec {
    const sub = this.subscriptions.get(id);
    if (!sub) {
      if (api) throw missing('subscription', id);
      throw new Error(`no subscription ${id}`);
    }
    return sub;
  }

  #discountOn(amount: number, couponId: string | null): number {
    const coupon = couponId ? this.coupons.get(couponId) : undefined;
    if (!coupon) return 0;
    const off = coupon.amountOff ?? Math.round((amount * (coupon.percentOff ?? 0)) / 100);
    return Math.min(off, amount);
  }

  /** Creates the invoice for the subscription's current period, paid or failed. */
  #invoice(sub: SubscriptionRec, { paid, reason, isFirst }: { paid: boolean; reason: string; isFirst: boolean }): JsonObject {
    const price = this.prices.get(sub.price)!;
    const coupon = sub.coupon ? this.coupons.get(sub.coupon) : undefined;
    const discountApplies = !!coupon && (
      coupon.duration === 'forever'
      || (coupon.duration === 'once' && isFirst)
      || (coupon.duration === 'repeating' && sub.discountStart !== null
        && sub.periodStart < addInterval(sub.discountStart, 'month', coupon.durationInMonths ?? 0))
    );
    const inTrial = sub.status === 'trialing';
    const subtotal = inTrial ? 0 : price.unitAmount;
    const total = subtotal - (discountApplies ? this.#discountOn(subtotal, sub.coupon) : 0);
    const id = this.#id('in');
    const customer = this.customers.get(sub.customer);
    const invoice: JsonObject = {
      id,
      object: 'invoice',
      account_country: 'US',
      amount_due: total,
      amount_paid: paid ? total : 0,
      amount_remaining: paid ? 0 : total,
      attempt_count: 1,
      attempted: true,
      billing_reason: reason,
      collection_method: 'charge_automatically',
      created: this.#seconds(),
      currency: price.currency,
      customer: sub.customer,
      customer_email: customer?.email ?? null,
      discounts: [],
      lines: this.#list(`/v1/invoices/${id}/lines`, [{
        id: this.#id('il'),
        object: 'line_item',
        amount: subtotal,
        currency: price.currency,
        description: `1 × ${this.products.get(price.product)?.name ?? 'plan'}`,
        period: { start: sub.periodStart, end: sub.periodEnd },
        pricing: { type: 'price_details', price_details: { price: price.id, product: price.product }, unit_amount_decimal: String(price.unitAmount) },
        quantity: 1,
      }], false),
      livemode: false,
      metadata: {},
      next_payment_attempt: paid ? null : this.#seconds() + 3 * 86_400,
      period_start: sub.periodStart,
      period_end: sub.periodEnd,
      status: paid ? 'paid' : 'open',
      subtotal,
      total,
      ...(this.#shapes === 'legacy'
        ? { subscription: sub.id }
        : { parent: { type: 'subscription_details', quote_details: null, subscription_details: { metadata: { ...sub.metadata }, subscription: sub.id } } }),
    };
    this.invoices.set(id, invoice);
    sub.latestInvoice = id;
    return invoice;
  }

  // ---- JSON shapes ---------------------------------------------------------------------

  #list(url: string, data: JsonObject[], hasMore: boolean): JsonObject {
    return { object: 'list', data, has_more: hasMore, url };
  }

  #productJson(x: ProductRec): JsonObject {
    return { id: x.id, object: 'product', active: true, created: x.created, description: null, images: [], livemode: false, metadata: { ...x.metadata }, name: x.name, type: 'service', updated: x.created };
  }

  #priceJson(x: PriceRec): JsonObject {
    return {
      id: x.id,
      object: 'price',
      active: x.active,
      billing_scheme: 'per_unit',
      created: x.created,
      currency: x.currency,
      livemode: false,
      lookup_key: x.lookupKey,
      metadata: { ...x.metadata },
      nickname: null,
      product: x.product,
      recurring: x.recurring ? { interval: x.recurring.interval, interval_count: x.recurring.intervalCount, meter: null, usage_type: 'licensed' } : null,
      tax_behavior: 'unspecified',
      tiers_mode: null,
      transform_quantity: null,
      type: x.recurring ? 'recurring' : 'one_time',
      unit_amount: x.unitAmount,
      unit_amount_decimal: String(x.unitAmount),
    };
  }

  #planJson(x: PriceRec): JsonObject {
    return {
      id: x.id, object: 'plan', active: x.active, amount: x.unitAmount, amount_decimal: String(x.unitAmount), billing_scheme: 'per_unit',
      created: x.created, currency: x.currency, interval: x.recurring?.interval ?? 'month', interval_count: x.recurring?.intervalCount ?? 1,
      livemode: false, metadata: {}, nickname: null, product: x.product, usage_type: 'licensed',
    };
  }

  #couponJson(x: CouponRec): JsonObject {
    return {
      id: x.id, object: 'coupon', amount_off: x.amountOff, created: x.created, currency: x.currency, duration: x.duration,
      duration_in_months: x.durationInMonths, livemode: false, max_redemptions: null, metadata: { ...x.metadata }, name: x.name,
      percent_off: x.percentOff, redeem_by: null, times_redeemed: 0, valid: true,
    };
  }

  #customerJson(x: CustomerRec): JsonObject {
    return { id: x.id, object: 'customer', created: x.created, email: x.email, livemode: false, metadata: { ...x.metadata }, name: null };
  }

  #sessionJson(x: SessionRec): JsonObject {
    return {
      id: x.id,
      object: 'checkout.session',
      amount_subtotal: x.amountTotal,
      amount_total: x.amountTotal,
      cancel_url: x.cancelUrl,
      client_reference_id: x.clientReferenceId,
      created: x.created,
      currency: x.currency,
      customer: x.customer,
      customer_details: x.status === 'complete' ? { email: x.customerEmail ?? this.customers.get(x.customer ?? '')?.email ?? null } : null,
      customer_email: x.customerEmail,
      discounts: x.coupon ? [{ coupon: x.coupon, promotion_code: null }] : [],
      expires_at: x.created + 86_400,
      livemode: false,
      metadata: { ...x.metadata },
      mode: x.mode,
      payment_intent: x.paymentIntent,
      payment_status: x.paymentStatus,
      status: x.status,
      subscription: x.subscription,
      success_url: x.successUrl,
      // Stripe clears the URL once the session is complete.
      url: x.status === 'open' ? `${this.url}/c/pay/${x.id}` : null,
    };
  }

  #subscriptionJson(x: SubscriptionRec): JsonObject {
    const price = this.prices.get(x.price)!;
    const period = { current_period_start: x.periodStart, current_period_end: x.periodEnd };
    const legacy = this.#shapes === 'legacy';
    return {
      id: x.id,
      object: 'subscription',
      billing_cycle_anchor: x.anchor,
      cancel_at: x.cancelAtPeriodEnd ? x.periodEnd : null,
      cancel_at_period_end: x.cancelAtPeriodEnd,
      canceled_at: x.canceledAt,
      collection_method: 'charge_automatically',
      created: x.created,
      currency: price.currency,
      customer: x.customer,
      discounts: x.coupon ? [`di_${x.id.slice(4)}`] : [],
      ended_at: x.endedAt,
      items: this.#list(`/v1/subscription_items?subscription=${x.id}`, [{
        id: x.itemId,
        object: 'subscription_item',
        created: x.created,
        ...(legacy ? {} : period),
        discounts: [],
        metadata: {},
        plan: this.#planJson(price),
        price: this.#priceJson(price),
        quantity: 1,
        subscription: x.id,
        tax_rates: [],
      }], false),
      latest_invoice: x.latestInvoice,
      livemode: false,
      metadata: { ...x.metadata },
      pause_collection: null,
      start_date: x.created,
      status: x.status,
      trial_end: x.trialEnd,
      trial_start: x.trialStart,
      ...(legacy ? period : {}),
    };
  }

  // ---- plumbing ------------------------------------------------------------------------

  #event(type: string, object: JsonObject, previousAttributes?: JsonObject): FakeEvent {
    const event: FakeEvent = {
      id: this.#id('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: this.#seconds(),
      // A snapshot: later changes to the object must not rewrite what was sent.
      data: { object: structuredClone(object), ...(previousAttributes ? { previous_attributes: structuredClone(previousAttributes) } : {}) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
    this.events.push(event);
    return event;
  }

  #seconds(): number {
    return Math.floor(this.#now() / 1000);
  }

  #id(prefix: string): string {
    return `${prefix}_${randomBytes(10).toString('hex')}`;
  }
}

function throwError(err: Error): never {
  throw err;
}

/** Stripe's `previous_attributes`: the old values of the top-level fields that changed. */
function changedFields(before: JsonObject, after: JsonObject): JsonObject {
  const changed: JsonObject = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed[key] = before[key];
  }
  return changed;
}
