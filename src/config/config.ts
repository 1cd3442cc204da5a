// Environment → one typed, validated Config. Every bad value is reported on its own line,
// all at once, so an operator fixes the environment in one go.
import { z } from 'zod';
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** Base of absolute links; PUBLIC_URL, else the listening address. */
  publicUrl: string;
  /** PUBLIC_URL was set: it wins over the publication setting. */
  publicUrlFromEnv: boolean;
  dataDir: string;
  /** Unset → SQLite at `${dataDir}/masthead.db`. */
  databaseUrl: string | null;
  /** Unset → generated once into the data dir (see secret.ts). */
  secret: string | null;
  smtpUrl: string | null;
  /** Sender of newsletters and transactional mail (MAIL_FROM); default news@<PUBLIC_URL host>. */
  mailFrom: string;
  stripeSecretKey: string | null;
  stripeWebhookSecret: string | null;
  trustProxy: string | null;
  /** Newsletter sending: messages handed to the transport at once, and at most this many a second (0: no cap). */
  mailConcurrency: number;
  mailRatePerSecond: number;
  /** DKIM signing of outgoing mail; null unless all three DKIM_ variables are set. */
  dkim: { domainName: string; keySelector: string; privateKeyFile: string } | null;
  /** Signs bounce and complaint reports posted to /webhooks/mail; unset → derived from the secret. */
  mailWebhookSecret: string | null;
  /** Seed the demo publication into an empty database. */
  isDemo: boolean;
  logLevel: string;
}

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? null : v.trim()));

const schema = z.object({
  PORT: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? 3000 : Number(v)))
    .pipe(z.number().int('must be a whole number').min(0, 'must be 0–65535').max(65535, 'must be 0–65535')),
  HOST: z.string().optional().transform((v) => v || '127.0.0.1'),
  PUBLIC_URL: optionalString.refine((v) => v === null || isHttpUrl(v), 'must be an http(s) URL such as https://news.example.com'),
  MASTHEAD_DATA: z.string().optional().transform((v) => path.resolve(v || './data')),
  DATABASE_URL: optionalString.refine(
    (v) => v === null || /^postgres(ql)?:\/\//.test(v),
    'must be a postgres:// URL (leave unset for SQLite)',
  ),
  MASTHEAD_SECRET: optionalString.refine((v) => v === null || v.length >= 32, 'must be at least 32 characters'),
  SMTP_URL: optionalString.refine((v) => v === null || /^smtps?:\/\//.test(v), 'must be an smtp:// or smtps:// URL'),
  MAIL_FROM: optionalString.refine((v) => v === null || z.string().email().safeParse(v).success, 'must be an e-mail address such as news@example.com'),
  STRIPE_SECRET_KEY: optionalString.refine((v) => v === null || /^(sk|rk)_/.test(v), 'must start with sk_ or rk_'),
  STRIPE_WEBHOOK_SECRET: optionalString.refine((v) => v === null || v.startsWith('whsec_'), 'must start with whsec_'),
  TRUST_PROXY: optionalString,
  MAIL_CONCURRENCY: wholeNumber(10, 1, 200),
  MAIL_RATE: wholeNumber(0, 0, 100_000),
  DKIM_DOMAIN: optionalString,
  DKIM_SELECTOR: optionalString,
  DKIM_PRIVATE_KEY_FILE: optionalString,
  MAIL_WEBHOOK_SECRET: optionalString.refine((v) => v === null || v.length >= 16, 'must be at least 16 characters'),
  MASTHEAD_DEMO: z
    .string()
    .optional()
    .refine((v) => v === undefined || ['0', '1', 'true', 'false', ''].includes(v), 'must be 0 or 1'),
  LOG_LEVEL: z
    .string()
    .optional()
    .refine((v) => !v || ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(v), 'must be a pino level such as info or warn'),
});

function wholeNumber(fallback: number, min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? fallback : Number(v)))
    .pipe(z.number().int('must be a whole number').min(min, `must be ${min}–${max}`).max(max, `must be ${min}–${max}`));
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Reads and validates the environment; throws ConfigError listing one line per bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const name = String(i.path[0]);
      const shown = env[name] === undefined ? '' : ` (got "${truncate(env[name]!)}")`;
      return `${name} ${i.message}${shown}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  if (e.STRIPE_SECRET_KEY && !e.STRIPE_WEBHOOK_SECRET) throw new ConfigError(['STRIPE_WEBHOOK_SECRET must be set when STRIPE_SECRET_KEY is (webhooks cannot be verified without it)']);
  const dkimParts = [e.DKIM_DOMAIN, e.DKIM_SELECTOR, e.DKIM_PRIVATE_KEY_FILE];
  if (dkimParts.some((v) => v !== null) && dkimParts.some((v) => v === null)) throw new ConfigError(['DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE must be set together (or none of them)']);
  const displayHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? '127.0.0.1' : e.HOST;
  const publicUrl = (e.PUBLIC_URL ?? `http://${displayHost}:${e.PORT}`).replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    publicUrlFromEnv: e.PUBLIC_URL !== null,
    dataDir: e.MASTHEAD_DATA,
    databaseUrl: e.DATABASE_URL,
    secret: e.MASTHEAD_SECRET,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? `news@${new URL(publicUrl).hostname}`,
    stripeSecretKey: e.STRIPE_SECRET_KEY,
    stripeWebhookSecret: e.STRIPE_WEBHOOK_SECRET,
    trustProxy: e.TRUST_PROXY,
    mailConcurrency: e.MAIL_CONCURRENCY,
    mailRatePerSecond: e.MAIL_RATE,
    dkim: e.DKIM_DOMAIN && e.DKIM_SELECTOR && e.DKIM_PRIVATE_KEY_FILE ? { domainName: e.DKIM_DOMAIN, keySelector: e.DKIM_SELECTOR, privateKeyFile: path.resolve(e.DKIM_PRIVATE_KEY_FILE) } : null,
    mailWebhookSecret: e.MAIL_WEBHOOK_SECRET,
    isDemo: !(e.MASTHEAD_DEMO === '0' || e.MASTHEAD_DEMO === 'false'),
    logLevel: e.LOG_LEVEL || 'info',
  };
}

function truncate(v: string): string {
  // Never echo a secret-looking value in full.
  return v.length > 12 ? `${v.slice(0, 4)}…` : v;
}
