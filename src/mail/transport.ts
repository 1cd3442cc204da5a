// Outgoing mail: createMailTransport picks the road. With SMTP_URL set, transactional
// messages go through nodemailer's pooled SMTP connections and newsletters through
// Masthead's own pipelined sessions (smtp-session.ts, bytes from raw-message.ts), which
// measured several times faster for the Daily (see CONTEXT.md). Without SMTP_URL, each
// message is written as an .eml file under the outbox folder, so development and the demo
// need no mail server and every message can be opened in a mail client.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import DKIM from 'nodemailer/lib/dkim';
import type { MailMessage } from './message.ts';
import { RawSmtpPool, smtpSettings, transportClosedError, type RawEnvelope } from './smtp-session.ts';

export type { RawEnvelope } from './smtp-session.ts';

export interface MailTransport {
  /** Resolves once the far side (server or disk) has accepted the message. */
  send(msg: MailMessage): Promise<{ messageId: string }>;
  /**
   * Hands over a message already composed (composeRawMessage) to one envelope recipient.
   * Resolves once the far side accepted it; a refusal rejects with the server's responseCode.
   */
  sendRaw(envelope: RawEnvelope, raw: Buffer): Promise<void>;
  close(): Promise<void>;
}

export interface DkimOptions {
  domainName: string;
  keySelector: string;
  privateKeyFile: string;
}

export interface MailTransportOptions {
  smtpUrl: string | null;
  outboxDir: string;
  /** Sender for messages that name none, e.g. `"The Daily Planet" <news@example.com>`. */
  from: string;
  /** Clock for the Date header and the outbox file names; tests pass a fixed one. */
  now?: () => Date;
  /** Signs every message (both roads) when set. */
  dkim?: DkimOptions | null;
  /** SMTP connections kept for sendRaw (the newsletter's concurrency); default 5. */
  rawConnections?: number;
}

export function createMailTransport(opts: MailTransportOptions): MailTransport {
  const now = opts.now ?? (() => new Date());
  const dkim = opts.dkim ? readDkim(opts.dkim) : null;
  return opts.smtpUrl
    ? createSmtpTransport(opts.smtpUrl, opts.from, now, dkim, opts.rawConnections ?? 5)
    : createOutboxTransport(opts.outboxDir, opts.from, now, dkim);
}

interface Dkim {
  options: { domainName: string; keySelector: string; privateKey: string };
  signer: DKIM;
}

function readDkim(o: DkimOptions): Dkim {
  let privateKey: string;
  try {
    privateKey = fs.readFileSync(o.privateKeyFile, 'utf8');
  } catch {
    throw new Error(`DKIM_PRIVATE_KEY_FILE cannot be read: ${o.privateKeyFile}`);
  }
  if (!privateKey.includes('PRIVATE KEY')) throw new Error(`DKIM_PRIVATE_KEY_FILE is not a PEM private key: ${o.privateKeyFile}`);
  const options = { domainName: o.domainName, keySelector: o.keySelector, privateKey };
  return { options, signer: new DKIM(options) };
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

async function signRaw(dkim: Dkim | null, raw: Buffer): Promise<Buffer> {
  return dkim ? collect(dkim.signer.sign(raw)) : raw;
}

/**
 * True when the receiving server gave its final word on this message (an RFC 5321 5xx reply),
 * so retrying the same message will fail again. Temporary replies (4xx), network errors and
 * anything unknown are worth another try.
 */
export function isPermanentFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { responseCode, code, command } = err as { responseCode?: unknown; code?: unknown; command?: unknown };
  if (typeof responseCode !== 'number' || responseCode < 500 || responseCode > 599) return false;
  // A refused login, sender or TLS upgrade is the operator's to fix, not a verdict on the
  // recipient: calling it permanent would fail (and possibly suppress) every reader of a send.
  if (code === 'EAUTH' || code === 'ENOAUTH' || code === 'ETLS' || command === 'MAIL FROM') return false;
  // 503 means the session was out of step (bad command sequence); a fresh one can succeed.
  return responseCode !== 503;
}

function toNodemailer(msg: MailMessage, defaultFrom: string, date: Date): SendMailOptions {
  return {
    from: msg.from ?? defaultFrom,
    to: msg.to,
    replyTo: msg.replyTo,
    subject: msg.subject,
    text: msg.text,
    html: msg.html,
    headers: msg.headers,
    messageId: msg.messageId,
    date,
  };
}

function createSmtpTransport(smtpUrl: string, defaultFrom: string, now: () => Date, dkim: Dkim | null, rawConnections: number): MailTransport {
  // The URL carries credentials: errors name the problem, never the value (URL's own
  // TypeError keeps the input on the error, where a logger would print it).
  let protocol: string;
  try {
    protocol = new URL(smtpUrl).protocol;
  } catch {
    throw new Error('SMTP_URL is not a valid URL');
  }
  if (protocol !== 'smtp:' && protocol !== 'smtps:') throw new Error('SMTP_URL must be an smtp:// or smtps:// URL');
  const settings = smtpSettings(smtpUrl);
  // Settings in the URL's query (e.g. ?maxConnections=10) win over these defaults.
  const pool = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 5,
    // Content is always given as strings; never let nodemailer read files or fetch URLs for it.
    disableFileAccess: true,
    disableUrlAccess: true,
    // Both roads keep the password off an unencrypted connection unless the URL allows it
    // (smtp-session.ts's canAuthInCleartext): nodemailer would send AUTH in the clear when
    // the server offers no STARTTLS.
    ...(settings.auth && !settings.isSecure && !settings.canAuthInCleartext ? { requireTLS: true } : {}),
    ...(dkim ? { dkim: dkim.options } : {}),
  });
  const raw = new RawSmtpPool(settings, rawConnections);
  let isClosed = false;
  return {
    async send(msg) {
      if (isClosed) throw transportClosedError();
      // nodemailer's error goes out untouched: callers read its responseCode.
      const info = await pool.sendMail(toNodemailer(msg, defaultFrom, now()));
      return { messageId: info.messageId };
    },
    async sendRaw(envelope, bytes) {
      if (isClosed) throw transportClosedError();
      await raw.send(envelope, await signRaw(dkim, bytes));
    },
    async close() {
      isClosed = true;
      // Idle connections quit now; one in the middle of a message finishes it first.
      pool.close();
      raw.close();
    },
  };
}

function createOutboxTransport(outboxDir: string, defaultFrom: string, now: () => Date, dkim: Dkim | null): MailTransport {
  // The same composer as the SMTP path, so the file holds the bytes a server would receive
  // (CRLF line ends, as RFC 5322 has them).
  const composer = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(dkim ? { dkim: dkim.options } : {}),
  });
  let isClosed = false;
  const fileName = (date: Date) => `${date.toISOString().replace(/[:.]/g, '-')}-${randomBytes(6).toString('hex')}.eml`;
  return {
    async send(msg) {
      if (isClosed) throw transportClosedError();
      const date = now();
      const info = await composer.sendMail(toNodemailer(msg, defaultFrom, date));
      if (!Buffer.isBuffer(info.message)) throw new Error('mail composer returned a stream, expected a buffer');
      // Sortable by time, unique by the random part; no ':' so the names work on every filesystem.
      await writeFileAtomically(outboxDir, fileName(date), info.message);
      return { messageId: info.messageId };
    },
    async sendRaw(_envelope, bytes) {
      if (isClosed) throw transportClosedError();
      await writeFileAtomically(outboxDir, fileName(now()), await signRaw(dkim, bytes));
    },
    async close() {
      isClosed = true;
      composer.close();
    },
  };
}

/** Whoever watches the folder sees a complete message or none: the bytes go to a temp file first. */
async function writeFileAtomically(dir: string, name: string, bytes: Buffer): Promise<void> {
  await mkdir(dir, { recursive: true });
  // Hidden and not ending in .eml, so a reader of *.eml never picks up a half-written file.
  const tempPath = path.join(dir, `.${name}.tmp`);
  try {
    const file = await open(tempPath, 'wx');
    try {
      await file.writeFile(bytes);
      // On disk before it gets its real name, or a crash could leave an empty .eml behind.
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tempPath, path.join(dir, name));
  } catch (err) {
    await rm(tempPath, { force: true }).catch(() => {});
    throw err;
  }
}
