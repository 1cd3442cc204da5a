// Outgoing mail. With SMTP_URL set, messages go through a pooled SMTP connection; without it,
// each message is written as an .eml file under the outbox folder, so development and the demo
// need no mail server and every message can be opened in a mail client.
// Newsletters take a faster road (sendRaw): the message is composed once into bytes by
// composeRawMessage and handed to lean SMTP sessions of our own (pipelined envelope, native
// dot-stuffing), skipping nodemailer's per-message MIME tree and byte-by-byte data stream,
// which measured at a quarter and two thirds of the rate needed for the Daily.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import DKIM from 'nodemailer/lib/dkim';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import { encodeWords } from 'nodemailer/lib/mime-funcs';
import type { MailMessage } from './message.ts';

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

export interface RawEnvelope {
  /** Bare address for MAIL FROM. */
  from: string;
  /** Bare address for RCPT TO. */
  to: string;
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
  // A refused login or sender is the operator's to fix, not a verdict on the recipient: calling
  // it permanent would fail (and possibly suppress) every reader of a send.
  if (code === 'EAUTH' || code === 'ENOAUTH' || command === 'MAIL FROM') return false;
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

function closedError(): Error {
  return new Error('mail transport is closed');
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
  // Settings in the URL's query (e.g. ?maxConnections=10) win over these defaults.
  const pool = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 5,
    // Content is always given as strings; never let nodemailer read files or fetch URLs for it.
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(dkim ? { dkim: dkim.options } : {}),
  });
  const raw = new RawSmtpPool(smtpUrl, rawConnections);
  let isClosed = false;
  return {
    async send(msg) {
      if (isClosed) throw closedError();
      // nodemailer's error goes out untouched: callers read its responseCode.
      const info = await pool.sendMail(toNodemailer(msg, defaultFrom, now()));
      return { messageId: info.messageId };
    },
    async sendRaw(envelope, bytes) {
      if (isClosed) throw closedError();
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

/**
 * Plain SMTP connections for pre-composed messages: each carries one message at a time, and
 * callers beyond the pool's size wait for a free one. A connection that saw any error is
 * dropped (its session state is unknown) and a fresh one is opened for the next message.
 */
class RawSmtpPool {
  private readonly idle: SmtpSession[] = [];
  private readonly waiting: ((c: SmtpSession | null) => void)[] = [];
  private open = 0;
  private isClosed = false;
  private readonly options: ReturnType<typeof parseConnectionUrl>;


  constructor(smtpUrl: string, private readonly size: number) {
    this.options = parseConnectionUrl(smtpUrl);
  }

  private connect(): Promise<SmtpSession> {
    const o = this.options;
    return SmtpSession.open({
      host: o.host ?? 'localhost',
      port: o.port ?? (o.secure ? 465 : 587),
      isSecure: o.secure === true,
      ignoreTls: o.ignoreTLS === true || o.ignoreTLS === 'true',
      requireTls: o.requireTLS === true || o.requireTLS === 'true',
      tls: (o.tls ?? {}) as tls.ConnectionOptions,
      auth: o.auth ?? null,
    });
  }

  private async take(): Promise<SmtpSession> {
    const ready = this.idle.pop();
    if (ready) return ready;
    if (this.open < this.size) {
      this.open += 1;
      try {
        return await this.connect();
      } catch (err) {
        this.open -= 1;
        this.wakeOne();
        throw err;
      }
    }
    const conn = await new Promise<SmtpSession | null>((resolve) => this.waiting.push(resolve));
    return conn ?? this.take();
  }

  /** Someone waiting gets the connection, or a chance to open one (null) when it was dropped. */
  private wakeOne(conn: SmtpSession | null = null): boolean {
    const next = this.waiting.shift();
    if (!next) return false;
    next(conn);
    return true;
  }

  private give(conn: SmtpSession): void {
    if (this.isClosed) {
      conn.quit();
      return;
    }
    if (!this.wakeOne(conn)) this.idle.push(conn);
  }

  private drop(conn: SmtpSession): void {
    this.open -= 1;
    conn.destroy();
    this.wakeOne();
  }

  async send(envelope: RawEnvelope, raw: Buffer): Promise<void> {
    if (this.isClosed) throw closedError();
    const conn = await this.take();
    try {
      await conn.send(envelope, raw);
    } catch (err) {
      this.drop(conn);
      throw err;
    }
    this.give(conn);
  }

  close(): void {
    this.isClosed = true;
    for (const conn of this.idle.splice(0)) conn.quit();
    for (const w of this.waiting.splice(0)) w(null);
  }
}

interface SmtpReply {
  code: number;
  text: string;
}

interface SmtpSessionOptions {
  host: string;
  port: number;
  /** TLS from the first byte (smtps://); otherwise STARTTLS when the server offers it. */
  isSecure: boolean;
  ignoreTls: boolean;
  requireTls: boolean;
  tls: tls.ConnectionOptions;
  auth: { user: string; pass: string } | null;
}

/** An SMTP refusal with the fields isPermanentFailure reads. */
function smtpError(command: string, reply: SmtpReply): Error {
  return Object.assign(new Error(`${command} refused: ${reply.text}`), { responseCode: reply.code, command });
}

const DOT = Buffer.from('.');
const CRLF_DOT_CRLF = Buffer.from('\r\n.\r\n');
const DOT_CRLF = Buffer.from('.\r\n');

/** RFC 5321 §4.5.2: a line starting with "." gets another, found with native searches. */
function dotStuffed(data: Buffer): Buffer {
  let at = data.indexOf('\n.');
  if (at < 0 && data[0] !== 0x2e) return data;
  const parts: Buffer[] = data[0] === 0x2e ? [DOT] : [];
  let from = 0;
  while (at >= 0) {
    parts.push(data.subarray(from, at + 1), DOT);
    from = at + 1;
    at = data.indexOf('\n.', from);
  }
  parts.push(data.subarray(from));
  return Buffer.concat(parts);
}

/**
 * One SMTP session for bulk sending: EHLO, STARTTLS and AUTH (PLAIN or LOGIN) once, then
 * messages one after another with the envelope pipelined when the server allows it (RFC 2920).
 * Any error leaves it broken; the pool drops it.
 */
class SmtpSession {
  private buffer = '';
  private lines: string[] = [];
  private readonly replies: { resolve: (r: SmtpReply) => void; reject: (e: Error) => void }[] = [];
  private broken: Error | null = null;
  private capabilities = new Set<string>();
  private authMethods: string[] = [];

  private constructor(private socket: net.Socket) {
    this.attach(socket);
  }

  static async open(o: SmtpSessionOptions): Promise<SmtpSession> {
    const socket = o.isSecure ? tls.connect({ host: o.host, port: o.port, servername: net.isIP(o.host) ? undefined : o.host, ...o.tls }) : net.connect(o.port, o.host);
    socket.setTimeout(120_000);
    const session = new SmtpSession(socket);
    try {
      await session.expect('greeting', session.reply(), [220]);
      await session.hello();
      if (!o.isSecure && !o.ignoreTls && session.capabilities.has('STARTTLS')) {
        await session.expect('STARTTLS', session.command('STARTTLS'), [220]);
        await session.upgrade(o);
        await session.hello();
      } else if (!o.isSecure && o.requireTls) {
        throw new Error('the SMTP server offers no STARTTLS, and TLS is required');
      }
      if (o.auth?.user) await session.login(o.auth);
      return session;
    } catch (err) {
      session.destroy();
      const e = err as Error & { code?: string; responseCode?: number };
      // A server refusing to talk (greeting, EHLO, STARTTLS) is no answer about any recipient.
      if (e.code !== 'EAUTH' && e.responseCode !== undefined) throw Object.assign(new Error(e.message), { code: 'ECONNECTION' });
      throw err;
    }
  }

  private attach(socket: net.Socket): void {
    // Commands are small and answered one by one: send each at once.
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (err: Error) => this.fail(err);
    socket.on('error', fail);
    socket.on('timeout', () => {
      this.fail(new Error('the SMTP server stopped answering'));
      socket.destroy();
    });
    socket.on('close', () => this.fail(new Error('the SMTP connection closed')));
  }

  private onData(chunk: Buffer): void {
    this.buffer += chunk.toString('latin1');
    for (;;) {
      const end = this.buffer.indexOf('\n');
      if (end < 0) return;
      const line = this.buffer.slice(0, end).replace(/\r$/, '');
      this.buffer = this.buffer.slice(end + 1);
      this.lines.push(line);
      if (line[3] === '-') continue;
      const reply = { code: Number(line.slice(0, 3)) || 0, text: this.lines.join(' | ') };
      this.lines = [];
      this.replies.shift()?.resolve(reply);
    }
  }

  private fail(err: Error): void {
    this.broken ??= err;
    for (const r of this.replies.splice(0)) r.reject(err);
  }

  private reply(): Promise<SmtpReply> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => this.replies.push({ resolve, reject }));
  }

  private command(line: string): Promise<SmtpReply> {
    const answer = this.reply();
    this.socket.write(`${line}\r\n`);
    return answer;
  }

  private async expect(what: string, answer: Promise<SmtpReply>, codes: number[]): Promise<SmtpReply> {
    const reply = await answer;
    if (!codes.includes(reply.code)) throw smtpError(what, reply);
    return reply;
  }

  private async hello(): Promise<void> {
    const reply = await this.expect('EHLO', this.command(`EHLO ${os.hostname() || 'localhost'}`), [250]);
    const lines = reply.text.split(' | ').map((l) => l.slice(4).trim().toUpperCase());
    this.capabilities = new Set(lines.map((l) => l.split(/[ =]/)[0]));
    this.authMethods = lines.find((l) => l.startsWith('AUTH'))?.split(/[ =]/).slice(1) ?? [];
  }

  private async upgrade(o: SmtpSessionOptions): Promise<void> {
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('close');
    this.socket.removeAllListeners('error');
    this.socket.removeAllListeners('timeout');
    const secure = tls.connect({ socket: this.socket, servername: net.isIP(o.host) ? undefined : o.host, ...o.tls });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    secure.setTimeout(120_000);
    this.socket = secure;
    this.attach(secure);
  }

  private async login(auth: { user: string; pass: string }): Promise<void> {
    try {
      if (this.authMethods.includes('PLAIN') || !this.authMethods.includes('LOGIN')) {
        const token = Buffer.from(`\u0000${auth.user}\u0000${auth.pass}`).toString('base64');
        await this.expect('AUTH', this.command(`AUTH PLAIN ${token}`), [235]);
        return;
      }
      await this.expect('AUTH', this.command('AUTH LOGIN'), [334]);
      await this.expect('AUTH', this.command(Buffer.from(auth.user).toString('base64')), [334]);
      await this.expect('AUTH', this.command(Buffer.from(auth.pass).toString('base64')), [235]);
    } catch (err) {
      // The operator's to fix, never a verdict on a recipient (see isPermanentFailure).
      throw Object.assign(err as Error, { code: 'EAUTH' });
    }
  }

  async send(envelope: RawEnvelope, raw: Buffer): Promise<void> {
    if (this.broken) throw this.broken;
    const from = `MAIL FROM:<${oneLine(envelope.from)}>`;
    const to = `RCPT TO:<${oneLine(envelope.to)}>`;
    let answers: Promise<SmtpReply>[];
    if (this.capabilities.has('PIPELINING')) {
      answers = [this.reply(), this.reply(), this.reply()];
      this.socket.write(`${from}\r\n${to}\r\nDATA\r\n`);
    } else {
      answers = [this.command(from)];
      await this.expect('MAIL FROM', answers[0], [250]);
      answers.push(this.command(to));
      await this.expect('RCPT TO', answers[1], [250, 251]);
      answers.push(this.command('DATA'));
    }
    // Every answer is awaited in order, so none is left unhandled when one refuses.
    const settled = await Promise.allSettled(answers);
    const [mail, rcpt, data] = settled.map((s) => {
      if (s.status === 'rejected') throw s.reason;
      return s.value;
    });
    if (mail.code !== 250) throw smtpError('MAIL FROM', mail);
    if (rcpt.code !== 250 && rcpt.code !== 251) throw smtpError('RCPT TO', rcpt);
    if (data.code !== 354) throw smtpError('DATA', data);
    const done = this.reply();
    const body = dotStuffed(raw);
    // One segment train: a lone ".\r\n" behind the body would wait on Nagle and delayed ACKs.
    this.socket.cork();
    this.socket.write(body);
    this.socket.write(body.length >= 2 && body[body.length - 2] === 13 && body[body.length - 1] === 10 ? DOT_CRLF : CRLF_DOT_CRLF);
    this.socket.uncork();
    const final = await done;
    if (final.code !== 250) throw smtpError('DATA', final);
  }

  quit(): void {
    if (this.broken) return this.destroy();
    this.broken = new Error('the SMTP session is closed');
    this.socket.end('QUIT\r\n');
  }

  destroy(): void {
    this.broken ??= new Error('the SMTP session is closed');
    this.socket.destroy();
  }
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
      if (isClosed) throw closedError();
      const date = now();
      const info = await composer.sendMail(toNodemailer(msg, defaultFrom, date));
      if (!Buffer.isBuffer(info.message)) throw new Error('mail composer returned a stream, expected a buffer');
      // Sortable by time, unique by the random part; no ':' so the names work on every filesystem.
      await writeFileAtomically(outboxDir, fileName(date), info.message);
      return { messageId: info.messageId };
    },
    async sendRaw(_envelope, bytes) {
      if (isClosed) throw closedError();
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

// ---- composing a message once, as bytes -----------------------------------------------------

export interface RawMessage {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Further headers in order, e.g. List-Unsubscribe. Values are ASCII (URLs, ids). */
  headers: [string, string][];
  /** With its angle brackets: `<issue-7.42@news.example.com>`. */
  messageId: string;
  date: Date;
}

/** Header values never carry a line break: one in a URL or a subject would start a new header. */
const oneLine = (v: string) => v.replace(/[\r\n]+/g, ' ');

/** Bytes quoted-printable copies as they are: printable ASCII but "=". */
const QP_PLAIN = new Uint8Array(256);
for (let b = 33; b <= 126; b++) if (b !== 61) QP_PLAIN[b] = 1;
const HEX = Buffer.from('0123456789ABCDEF');

/**
 * Quoted-printable (RFC 2045) of UTF-8 text, lines at most 76 characters, line breaks as CRLF.
 * One pass over the bytes into one buffer: it runs for every copy of a newsletter.
 */
export function quotedPrintable(text: string): Buffer {
  const src = Buffer.from(text, 'utf8');
  const n = src.length;
  const out = Buffer.allocUnsafe(n * 3 + (n >> 3) + 16);
  let o = 0;
  let line = 0;
  for (let i = 0; i < n; i++) {
    const b = src[i];
    // Printable ASCII but "=" as it is; so are spaces and tabs, unless they end a line
    // (transports strip those).
    if (QP_PLAIN[b] === 1 || ((b === 32 || b === 9) && i + 1 < n && src[i + 1] !== 10 && src[i + 1] !== 13)) {
      if (line === 75) {
        out[o++] = 61;
        out[o++] = 13;
        out[o++] = 10;
        line = 0;
      }
      out[o++] = b;
      line += 1;
    } else if (b === 10 || (b === 13 && src[i + 1] === 10)) {
      if (b === 13) i++;
      out[o++] = 13;
      out[o++] = 10;
      line = 0;
    } else {
      if (line > 72) {
        out[o++] = 61;
        out[o++] = 13;
        out[o++] = 10;
        line = 0;
      }
      out[o++] = 61;
      out[o++] = HEX[b >> 4];
      out[o++] = HEX[b & 15];
      line += 3;
    }
  }
  return out.subarray(0, o);
}

/** A header line folded at spaces to about 78 characters (RFC 5322 §2.2.3). */
function headerLine(name: string, value: string): string {
  const words = oneLine(value).split(' ');
  let out = `${name}:`;
  let lineLength = out.length;
  for (const word of words) {
    if (lineLength + 1 + word.length > 78 && lineLength > name.length + 1) {
      out += '\r\n';
      lineLength = 0;
    }
    out += ` ${word}`;
    lineLength += 1 + word.length;
  }
  return `${out}\r\n`;
}

function displayName(name: string): string {
  const clean = oneLine(name).trim();
  if (!clean) return '';
  // eslint-disable-next-line no-control-regex
  if (/^[\x20-\x7e]*$/.test(clean)) return `"${clean.replace(/(["\\])/g, '\\$1')}" `;
  return `${encodeWords(clean, 'B', 0, true)} `;
}

/**
 * The whole message as the server receives it: headers, then text and HTML as
 * multipart/alternative, both quoted-printable UTF-8. The boundary cannot occur in the parts
 * (quoted-printable lines never hold the random 24 characters after "--=_").
 */
export function composeRawMessage(m: RawMessage): Buffer {
  const boundary = `=_${randomBytes(12).toString('hex')}`;
  let head = '';
  head += headerLine('From', `${displayName(m.from.name)}<${oneLine(m.from.address)}>`);
  head += headerLine('To', `<${oneLine(m.to)}>`);
  head += headerLine('Subject', encodeWords(oneLine(m.subject), 'Q', 52));
  head += headerLine('Date', m.date.toUTCString().replace('GMT', '+0000'));
  head += headerLine('Message-ID', m.messageId);
  for (const [name, value] of m.headers) head += headerLine(name, value);
  head += 'MIME-Version: 1.0\r\n';
  head += `Content-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n`;
  const partHead = (type: string) => Buffer.from(`--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`);
  return Buffer.concat([
    Buffer.from(head),
    partHead('text/plain'),
    quotedPrintable(m.text),
    Buffer.from('\r\n'),
    partHead('text/html'),
    quotedPrintable(m.html),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}
