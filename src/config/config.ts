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
  stripeSecretKey: string | null;
  stripeWebhookSecret: string | null;
  trustProxy: string | null;
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
  STRIPE_SECRET_KEY: optionalString.refine((v) => v === null || /^(sk|rk)_/.test(v), 'must start with sk_ or rk_'),
  STRIPE_WEBHOOK_SECRET: optionalString.refine((v) => v === null || v.startsWith('whsec_'), 'must start with whsec_'),
  TRUST_PROXY: optionalString,
  MASTHEAD_DEMO: z
    .string()
    .optional()
    .refine((v) => v === undefined || ['0', '1', 'true', 'false', ''].includes(v), 'must be 0 or 1'),
  LOG_LEVEL: z
    .string()
    .optional()
    .refine((v) => !v || ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(v), 'must be a pino level such as info or warn'),
});

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
  const displayHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? '127.0.0.1' : e.HOST;
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://${displayHost}:${e.PORT}`).replace(/\/+$/, ''),
    publicUrlFromEnv: e.PUBLIC_URL !== null,
    dataDir: e.MASTHEAD_DATA,
    databaseUrl: e.DATABASE_URL,
    secret: e.MASTHEAD_SECRET,
    smtpUrl: e.SMTP_URL,
    stripeSecretKey: e.STRIPE_SECRET_KEY,
    stripeWebhookSecret: e.STRIPE_WEBHOOK_SECRET,
    trustProxy: e.TRUST_PROXY,
    isDemo: !(e.MASTHEAD_DEMO === '0' || e.MASTHEAD_DEMO === 'false'),
    logLevel: e.LOG_LEVEL || 'info',
  };
}

function truncate(v: string): string {
  // Never echo a secret-looking value in full.
  return v.length > 12 ? `${v.slice(0, 4)}…` : v;
}
