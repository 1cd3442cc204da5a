// Bounce and complaint reports posted by the mail service to /webhooks/mail: the signature
// check and the body's shape. Pure; the route records what passes (see suppression.ts).
//
// Signature header: `masthead-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`,
// keyed with the mail webhook secret. The timestamp is signed too, so an old report cannot
// be replayed later than the tolerance.
import crypto from 'node:crypto';
import { z } from 'zod';
import type { FeedbackEvent } from './suppression.ts';

/** Where the mail service posts its reports (the newsroom shows it to admins with the secret). */
export const MAIL_WEBHOOK_PATH = '/webhooks/mail';
export const SIGNATURE_HEADER = 'masthead-signature';
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;
const MAX_EVENTS = 1_000;

/** MAIL_WEBHOOK_SECRET, or one derived from the site's secret when it is not set. */
export function mailWebhookSecret(configured: string | null, secret: string): string {
  return configured ?? crypto.createHmac('sha256', secret).update('mail-webhook').digest('hex');
}

export function signFeedback(body: string, opts: { secret: string; now: number }): string {
  const t = Math.floor(opts.now / 1000);
  return `t=${t},v1=${crypto.createHmac('sha256', opts.secret).update(`${t}.${body}`).digest('hex')}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'too-old' | 'mismatch' };

export function checkSignature(header: string | undefined | null, body: string, opts: { secret: string; now: number }): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  let t: number | null = null;
  const given: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) given.push(value.toLowerCase());
  }
  if (t === null || given.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(opts.now - t * 1000) > SIGNATURE_TOLERANCE_MS) return { ok: false, reason: 'too-old' };
  const expected = Buffer.from(crypto.createHmac('sha256', opts.secret).update(`${t}.${body}`).digest('hex'));
  // Several v1 values let the service sign with an old and a new secret during a rotation.
  const isMatch = given.some((g) => crypto.timingSafeEqual(Buffer.from(g), expected));
  return isMatch ? { ok: true } : { ok: false, reason: 'mismatch' };
}

const reportSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.enum(['bounce', 'complaint']),
  bounceType: z.enum(['hard', 'soft']).optional(),
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  // Seconds or milliseconds since the epoch, or an ISO 8601 time.
  timestamp: z.union([z.number().nonnegative().finite(), z.iso.datetime({ offset: true })]),
});

const bodySchema = z.union([reportSchema, z.array(reportSchema).min(1).max(MAX_EVENTS)]);

export type FeedbackParse = { ok: true; events: FeedbackEvent[] } | { ok: false; reason: 'invalid-json' | 'invalid-report'; detail: string };

/** The reports in a (verified) body; all of them or none. */
export function parseFeedback(body: string): FeedbackParse {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'invalid-json', detail: 'the body is not JSON' };
  }
  const parsed = bodySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: 'invalid-report', detail: issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid report' };
  }
  const reports = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  return {
    ok: true,
    events: reports.map((r) => ({
      id: r.id,
      kind: r.type,
      ...(r.bounceType ? { bounceType: r.bounceType } : {}),
      email: r.email,
      at: typeof r.timestamp === 'string' ? Date.parse(r.timestamp) : r.timestamp < 1e11 ? r.timestamp * 1000 : r.timestamp,
    })),
  };
}
