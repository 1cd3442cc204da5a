// Masthead's own SMTP client for newsletters: a small pool of long-lived sessions that hand
// over pre-composed bytes (raw-message.ts) with the envelope pipelined. nodemailer's pooled
// sendMail, which transactional mail uses, builds a MIME tree per message and streams the
// body byte by byte; that was too slow for the Daily (see CONTEXT.md).
import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import { oneLine } from './raw-message.ts';

export interface RawEnvelope {
  /** Bare address for MAIL FROM. */
  from: string;
  /** Bare address for RCPT TO. */
  to: string;
}

/** SMTP_URL read once, for both roads (nodemailer's and ours). */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (smtps://); otherwise STARTTLS when the server offers it. */
  isSecure: boolean;
  /** ?ignoreTLS=true: never STARTTLS, and the operator accepts credentials in cleartext. */
  isIgnoreTls: boolean;
  /** ?requireTLS=true: fail when the server offers no STARTTLS. */
  isRequireTls: boolean;
  tls: tls.ConnectionOptions;
  auth: { user: string; pass: string } | null;
  /**
   * May the password cross the wire unencrypted? Only when the URL says so (?ignoreTLS=true)
   * or the server is this machine (a loopback host), where no one sits in between.
   */
  canAuthInCleartext: boolean;
}

export function smtpSettings(smtpUrl: string): SmtpSettings {
  const o = parseConnectionUrl(smtpUrl);
  const host = o.host ?? 'localhost';
  const isIgnoreTls = o.ignoreTLS === true || o.ignoreTLS === 'true';
  return {
    host,
    port: o.port ?? (o.secure ? 465 : 587),
    isSecure: o.secure === true,
    isIgnoreTls,
    isRequireTls: o.requireTLS === true || o.requireTLS === 'true',
    tls: (o.tls ?? {}) as tls.ConnectionOptions,
    auth: o.auth?.user ? { user: o.auth.user, pass: o.auth.pass ?? '' } : null,
    canAuthInCleartext: isIgnoreTls || isLoopbackHost(host),
  };
}

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** localhost, 127.0.0.0/8, ::1 (also as an IPv4-mapped address). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const family = net.isIP(h);
  return family === 4 ? LOOPBACK.check(h, 'ipv4') : family === 6 ? LOOPBACK.check(h, 'ipv6') : false;
}

export function transportClosedError(): Error {
  return new Error('mail transport is closed');
}

/**
 * Plain SMTP connections for pre-composed messages: each carries one message at a time, and
 * callers beyond the pool's size wait for a free one. A connection that saw any error is
 * dropped (its session state is unknown) and a fresh one is opened for the next message.
 */
export class RawSmtpPool {
  private readonly idle: SmtpSession[] = [];
  private readonly waiting: ((c: SmtpSession | null) => void)[] = [];
  private open = 0;
  private isClosed = false;

  constructor(private readonly settings: SmtpSettings, private readonly size: number) {}

  private async take(): Promise<SmtpSession> {
    for (;;) {
      // Checked on every turn: callers woken by close() must not open new connections.
      if (this.isClosed) throw transportClosedError();
      const ready = this.idle.pop();
      if (ready && !ready.isBroken) return ready;
      if (ready) {
        // Closed by the server while idle (a timeout, a 421): its slot is ours to reopen.
        this.open -= 1;
        ready.destroy();
      }
      if (this.open < this.size) {
        this.open += 1;
        let conn: SmtpSession;
        try {
          conn = await SmtpSession.open(this.settings);
        } catch (err) {
          this.open -= 1;
          this.wakeOne();
          throw err;
        }
        if (!this.isClosed) return conn;
        this.open -= 1;
        conn.quit();
        throw transportClosedError();
      }
      const conn = await new Promise<SmtpSession | null>((resolve) => this.waiting.push(resolve));
      if (conn) return conn;
    }
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
    const conn = await this.take();
    try {
      await conn.send(envelope, raw);
    } catch (err) {
      this.drop(conn);
      throw err;
    }
    this.give(conn);
  }

  /** Idle sessions quit now, waiting callers are refused; one in the middle of a message finishes it first. */
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

/** An SMTP refusal with the fields isPermanentFailure reads. */
function smtpError(command: string, reply: SmtpReply): Error {
  return Object.assign(new Error(`${command} refused: ${reply.text}`), { responseCode: reply.code, command });
}

/**
 * The connection cannot be trusted with the password or the messages: the operator's to fix.
 * `command` says where the session stopped, before any message was written.
 */
function tlsError(command: 'STARTTLS' | 'AUTH', message: string): Error {
  return Object.assign(new Error(message), { code: 'ETLS', command });
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
export class SmtpSession {
  private buffer = '';
  private lines: string[] = [];
  private readonly replies: { resolve: (r: SmtpReply) => void; reject: (e: Error) => void }[] = [];
  private broken: Error | null = null;
  private isEncrypted = false;
  private capabilities = new Set<string>();
  private authMethods: string[] = [];

  private constructor(private socket: net.Socket) {
    this.attach(socket);
  }

  static async open(o: SmtpSettings): Promise<SmtpSession> {
    const socket = o.isSecure ? tls.connect({ host: o.host, port: o.port, servername: net.isIP(o.host) ? undefined : o.host, ...o.tls }) : net.connect(o.port, o.host);
    socket.setTimeout(120_000);
    const session = new SmtpSession(socket);
    session.isEncrypted = o.isSecure;
    try {
      await session.expect('greeting', session.reply(), [220]);
      await session.hello();
      if (!o.isSecure && !o.isIgnoreTls && session.capabilities.has('STARTTLS')) {
        await session.expect('STARTTLS', session.command('STARTTLS'), [220]);
        await session.upgrade(o);
        await session.hello();
      } else if (!o.isSecure && o.isRequireTls) {
        throw tlsError('STARTTLS', 'the SMTP server offers no STARTTLS, and TLS is required');
      }
      if (o.auth) {
        if (!session.isEncrypted && !o.canAuthInCleartext) {
          throw tlsError('AUTH', 'the SMTP server offers no STARTTLS: the password is not sent unencrypted (add ?ignoreTLS=true to SMTP_URL to allow it)');
        }
        await session.login(o.auth);
      }
      return session;
    } catch (err) {
      session.destroy();
      const e = err as Error & { code?: string; responseCode?: number };
      // A server refusing to talk (greeting, EHLO, STARTTLS) is no answer about any recipient.
      if (e.code !== 'EAUTH' && e.responseCode !== undefined) throw Object.assign(new Error(e.message), { code: 'ECONNECTION' });
      throw err;
    }
  }

  get isBroken(): boolean {
    return this.broken !== null;
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
      const waiter = this.replies.shift();
      // Every command waits for its reply before it is written, so a reply nobody waits for
      // is out of step (or injected): nothing after it can be matched to its command.
      if (!waiter) return this.fail(new Error('the SMTP server sent a reply to no command'));
      waiter.resolve(reply);
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

  private async upgrade(o: SmtpSettings): Promise<void> {
    // RFC 3207 §4.2: nothing the server sent before TLS may be read as if it came over TLS. A
    // server sends nothing after its 220 on its own, so anything here was put in by someone
    // in between: refuse the connection rather than quietly drop it.
    if (this.broken || this.buffer !== '' || this.lines.length > 0) {
      throw tlsError('STARTTLS', 'the SMTP server sent more than its reply to STARTTLS before TLS began');
    }
    this.buffer = '';
    this.lines = [];
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
    this.isEncrypted = true;
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
