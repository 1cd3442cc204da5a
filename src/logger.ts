// Structured logs. Secrets and full e-mail addresses never reach them: known fields are
// redacted here, and callers log masked addresses (see maskEmail).
import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['password', '*.password', 'token', '*.token', 'secret', '*.secret', 'req.headers.cookie', 'req.headers.authorization'], censor: '[redacted]' },
  });
}

/** "jo***@example.com": enough to tell readers apart in a log, not enough to contact them. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${local.slice(0, 2)}***@${domain ?? ''}`;
}
