// A real SMTP server for tests: accepts every message on a loopback port and keeps the raw
// bytes, or answers with a chosen 4xx/5xx for chosen recipients (a few times, or always).
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface ReceivedMessage {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface Refusal {
  code: number;
  message: string;
  /** Refuse this many times, then accept; forever when absent. */
  times?: number;
}

export interface SmtpSink {
  url: string;
  port: number;
  messages: ReceivedMessage[];
  /** Recipient (lower-cased) → the reply their RCPT TO gets. */
  refuse: Map<string, Refusal>;
  /** Called for each accepted message, after it is stored (the crash test kills its sender here). */
  onMessage: ((m: ReceivedMessage, count: number) => void) | null;
  /** Resolves once at least `count` messages are in, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Messages per recipient (lower-cased). */
  countsByRecipient(): Map<string, number>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMessage[] = [];
  const refuse = new Map<string, Refusal>();
  const waiters: { count: number; resolve: () => void }[] = [];
  const sink: SmtpSink = {
    url: '',
    port: 0,
    messages,
    refuse,
    onMessage: null,
    waitFor(count, timeoutMs = 30_000) {
      if (messages.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`SMTP sink: ${messages.length} of ${count} messages after ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ count, resolve: () => { clearTimeout(timer); resolve(); } });
      });
    },
    countsByRecipient() {
      const counts = new Map<string, number>();
      for (const m of messages) for (const to of m.to) counts.set(to, (counts.get(to) ?? 0) + 1);
      return counts;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const rule = refuse.get(address.address.toLowerCase());
      if (rule && (rule.times === undefined || rule.times > 0)) {
        if (rule.times !== undefined) rule.times -= 1;
        const err = new Error(rule.message) as Error & { responseCode: number };
        err.responseCode = rule.code;
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const m: ReceivedMessage = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw: Buffer.concat(chunks),
        };
        messages.push(m);
        callback();
        sink.onMessage?.(m, messages.length);
        for (let i = waiters.length - 1; i >= 0; i--) {
          if (messages.length >= waiters[i].count) {
            waiters[i].resolve();
            waiters.splice(i, 1);
          }
        }
      });
    },
  });
  // A client killed mid-message resets its connection: that is the crash test, not a failure.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  sink.port = port;
  sink.url = `smtp://127.0.0.1:${port}`;
  return sink;
}

export function parseMessage(m: ReceivedMessage): Promise<ParsedMail> {
  return simpleParser(m.raw);
}
