import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { AddressObject, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerOptions } from 'smtp-server';
import type { MailMessage } from './message.ts';
import { composeRawMessage } from './raw-message.ts';
import { createMailTransport, isPermanentFailure } from './transport.ts';
import { generateKeyPairSync } from 'node:crypto';

const FROM = '"The Daily Planet" <news@planet.example.com>';
const FIXED = new Date('2026-03-04T05:06:07.089Z');

function aMessage(overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    to: 'lois@example.com',
    subject: 'Your sign-in link — ünïcode',
    text: 'Open https://planet.example.com/login/abc to sign in.',
    html: '<p>Open <a href="https://planet.example.com/login/abc">this link</a> to sign in.</p>',
    ...overrides,
  };
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address ?? ''));
}

describe('outbox transport (no SMTP_URL)', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'masthead-outbox-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes one parseable .eml per message, creating the folder', async () => {
    const outboxDir = path.join(root, 'a', 'outbox');
    const transport = createMailTransport({ smtpUrl: null, outboxDir, from: FROM, now: () => FIXED });
    const first = await transport.send(aMessage({ replyTo: 'desk@planet.example.com', headers: { 'X-Masthead-Send': 'daily-42' } }));
    const second = await transport.send(aMessage({ to: 'clark@example.com', from: 'perry@planet.example.com', subject: 'Second', html: undefined }));
    await transport.close();

    const names = (await readdir(outboxDir)).sort();
    assert.equal(names.length, 2, `only the two messages, no temp files: ${names.join(', ')}`);
    for (const name of names) assert.match(name, /^2026-03-04T05-06-07-089Z-[0-9a-f]{12}\.eml$/);

    const parsed = new Map<string, { mail: ParsedMail; raw: Buffer }>();
    for (const name of names) {
      const raw = await readFile(path.join(outboxDir, name));
      const mail = await simpleParser(raw);
      parsed.set(mail.messageId ?? '', { mail, raw });
    }
    const a = parsed.get(first.messageId);
    const b = parsed.get(second.messageId);
    assert.ok(a && b, 'each returned Message-ID names one file');
    assert.match(first.messageId, /^<[^@<>]+@planet\.example\.com>$/);

    assert.equal(a.mail.subject, 'Your sign-in link — ünïcode');
    assert.deepEqual(addresses(a.mail.to), ['lois@example.com']);
    assert.deepEqual(addresses(a.mail.from), ['news@planet.example.com']);
    assert.equal(a.mail.from?.value[0].name, 'The Daily Planet');
    assert.deepEqual(addresses(a.mail.replyTo), ['desk@planet.example.com']);
    assert.equal(a.mail.text?.trim(), 'Open https://planet.example.com/login/abc to sign in.');
    assert.match(String(a.mail.html), /<a href="https:\/\/planet\.example\.com\/login\/abc">this link<\/a>/);
    assert.equal(a.mail.headers.get('x-masthead-send'), 'daily-42');
    assert.equal(a.mail.date?.toISOString(), '2026-03-04T05:06:07.000Z');
    // RFC 5322 line ends: every LF is part of a CRLF.
    assert.doesNotMatch(a.raw.toString('latin1'), /[^\r]\n/);

    assert.equal(b.mail.subject, 'Second');
    assert.deepEqual(addresses(b.mail.to), ['clark@example.com']);
    assert.deepEqual(addresses(b.mail.from), ['perry@planet.example.com']);
    assert.equal(b.mail.html, false, 'no HTML part when none was given');
  });

  it('keeps a Message-ID the caller chose', async () => {
    const outboxDir = path.join(root, 'b');
    const transport = createMailTransport({ smtpUrl: null, outboxDir, from: FROM });
    const sent = await transport.send(aMessage({ messageId: '<send-7.reader-9@planet.example.com>' }));
    assert.equal(sent.messageId, '<send-7.reader-9@planet.example.com>');
    const [name] = await readdir(outboxDir);
    const mail = await simpleParser(await readFile(path.join(outboxDir, name)));
    assert.equal(mail.messageId, '<send-7.reader-9@planet.example.com>');
  });

  it('rejects and writes nothing when the folder cannot be created', async () => {
    const blocker = path.join(root, 'not-a-dir');
    await writeFile(blocker, 'x');
    const transport = createMailTransport({ smtpUrl: null, outboxDir: path.join(blocker, 'outbox'), from: FROM });
    await assert.rejects(transport.send(aMessage()), { code: 'ENOTDIR' });
    const asFolder = createMailTransport({ smtpUrl: null, outboxDir: blocker, from: FROM });
    await assert.rejects(asFolder.send(aMessage()));
    assert.equal(await readFile(blocker, 'utf8'), 'x');
  });

  it('rejects and leaves no partial file in a folder it may not write', { skip: process.getuid?.() === 0 ? 'root ignores permissions' : false }, async () => {
    const outboxDir = path.join(root, 'read-only');
    const transport = createMailTransport({ smtpUrl: null, outboxDir, from: FROM });
    await transport.send(aMessage());
    await chmod(outboxDir, 0o500);
    try {
      await assert.rejects(transport.send(aMessage()), { code: 'EACCES' });
      assert.equal((await readdir(outboxDir)).length, 1);
    } finally {
      await chmod(outboxDir, 0o700);
    }
  });

  it('refuses to send once closed', async () => {
    const transport = createMailTransport({ smtpUrl: null, outboxDir: path.join(root, 'c'), from: FROM });
    await transport.close();
    await assert.rejects(transport.send(aMessage()), /closed/);
  });
});

interface Received {
  mail: ParsedMail;
  raw: string;
  user: string | undefined;
  rcptTo: string[];
}

async function startSmtpServer(hooks: Pick<SMTPServerOptions, 'onRcptTo' | 'onData'> = {}, listenOn = '127.0.0.1') {
  const received: Received[] = [];
  let logins = 0;
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      logins += 1;
      if (auth.username === 'mailer' && auth.password === 'p@ss:word') return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then((mail) => {
          received.push({ mail, raw: raw.toString('utf8'), user: session.user, rcptTo: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        }, callback);
      });
    },
    ...hooks,
  });
  await new Promise<void>((resolve) => server.listen(0, listenOn, resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    /** AUTH commands the server saw: a password sent, whether accepted or not. */
    logins: () => logins,
    close: () => new Promise<void>((resolve) => server.close(resolve)),
  };
}

function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

describe('SMTP transport', () => {
  it('sends both parts and custom headers to a real SMTP server, without auth', async () => {
    const server = await startSmtpServer();
    const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${server.port}`, outboxDir: '/nonexistent', from: FROM });
    try {
      const sent = await transport.send(aMessage({
        headers: {
          'List-Unsubscribe': '<https://planet.example.com/unsubscribe/t0k3n>',
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'X-Masthead-Send': 'daily-42',
        },
      }));
      assert.equal(server.received.length, 1);
      const [{ mail, raw, user, rcptTo }] = server.received;
      assert.equal(user, undefined);
      assert.deepEqual(rcptTo, ['lois@example.com']);
      assert.equal(mail.messageId, sent.messageId);
      assert.equal(mail.subject, 'Your sign-in link — ünïcode');
      assert.deepEqual(addresses(mail.to), ['lois@example.com']);
      assert.deepEqual(addresses(mail.from), ['news@planet.example.com']);
      assert.equal(mail.text?.trim(), 'Open https://planet.example.com/login/abc to sign in.');
      assert.match(String(mail.html), /this link<\/a>/);
      assert.match(raw, /^List-Unsubscribe: <https:\/\/planet\.example\.com\/unsubscribe\/t0k3n>\r$/m);
      // mailparser folds List-* headers into one structured value; the raw lines are what
      // mailbox providers read for one-click unsubscribe.
      assert.match(raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
      assert.equal(mail.headers.get('x-masthead-send'), 'daily-42');
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it('authenticates with the credentials in the URL and delivers concurrent sends through the pool', async () => {
    const server = await startSmtpServer();
    const transport = createMailTransport({ smtpUrl: `smtp://mailer:${encodeURIComponent('p@ss:word')}@127.0.0.1:${server.port}`, outboxDir: '/nonexistent', from: FROM });
    try {
      const sent = await Promise.all(Array.from({ length: 12 }, (_, i) => transport.send(aMessage({ to: `reader${i}@example.com`, subject: `Issue ${i}` }))));
      assert.equal(server.received.length, 12);
      assert.ok(server.received.every((r) => r.user === 'mailer'));
      assert.deepEqual(new Set(server.received.map((r) => r.mail.messageId)), new Set(sent.map((s) => s.messageId)));
      assert.deepEqual(server.received.map((r) => r.rcptTo[0]).sort(), Array.from({ length: 12 }, (_, i) => `reader${i}@example.com`).sort());
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it('tells temporary from permanent refusals by the reply code', async () => {
    const server = await startSmtpServer({
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('busy')) return callback(smtpError(451, 'Try again later'));
        if (address.address.startsWith('gone')) return callback(smtpError(550, 'No such user'));
        callback();
      },
    });
    const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${server.port}`, outboxDir: '/nonexistent', from: FROM });
    try {
      const busy = await transport.send(aMessage({ to: 'busy@example.com' })).then(() => null, (e: unknown) => e);
      assert.equal((busy as { responseCode?: number }).responseCode, 451);
      assert.equal(isPermanentFailure(busy), false);

      const gone = await transport.send(aMessage({ to: 'gone@example.com' })).then(() => null, (e: unknown) => e);
      assert.equal((gone as { responseCode?: number }).responseCode, 550);
      assert.equal(isPermanentFailure(gone), true);

      // The pool stays usable after refusals.
      await transport.send(aMessage());
      assert.equal(server.received.length, 1);
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it('treats a message refused after DATA as permanent', async () => {
    const server = await startSmtpServer({
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(smtpError(554, 'Message rejected as spam')));
      },
    });
    const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${server.port}`, outboxDir: '/nonexistent', from: FROM });
    try {
      const err = await transport.send(aMessage()).then(() => null, (e: unknown) => e);
      assert.equal((err as { responseCode?: number }).responseCode, 554);
      assert.equal(isPermanentFailure(err), true);
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it('does not call a refused login or an unreachable server permanent', async () => {
    const server = await startSmtpServer();
    const wrongPassword = createMailTransport({ smtpUrl: `smtp://mailer:wrong@127.0.0.1:${server.port}`, outboxDir: '/nonexistent', from: FROM });
    try {
      const err = await wrongPassword.send(aMessage()).then(() => null, (e: unknown) => e);
      assert.equal((err as { code?: string }).code, 'EAUTH');
      assert.equal((err as { responseCode?: number }).responseCode, 535);
      assert.equal(isPermanentFailure(err), false);
    } finally {
      await wrongPassword.close();
      await server.close();
    }
    // The server is gone: its port now refuses connections.
    const unreachable = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${server.port}`, outboxDir: '/nonexistent', from: FROM });
    try {
      const err = await unreachable.send(aMessage()).then(() => null, (e: unknown) => e);
      assert.ok(err instanceof Error);
      assert.equal(isPermanentFailure(err), false);
    } finally {
      await unreachable.close();
    }
  });

  // A non-loopback address of this machine: the server is "elsewhere" as far as the URL says.
  const remoteAddress = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

  it('never sends the password unencrypted to a server elsewhere that offers no STARTTLS, unless the URL allows it', { skip: remoteAddress ? false : 'no non-loopback address' }, async () => {
    const server = await startSmtpServer({}, '0.0.0.0');
    const url = `smtp://mailer:${encodeURIComponent('p@ss:word')}@${remoteAddress}:${server.port}`;
    const raw = composeRawMessage({ from: { name: 'Planet', address: 'news@planet.example.com' }, to: 'lois@example.com', subject: 'Raw', text: 'x', html: '<p>x</p>', headers: [], messageId: '<raw@planet.example.com>', date: FIXED });
    const refusing = createMailTransport({ smtpUrl: url, outboxDir: '/nonexistent', from: FROM });
    const allowing = createMailTransport({ smtpUrl: `${url}?ignoreTLS=true`, outboxDir: '/nonexistent', from: FROM });
    try {
      await assert.rejects(refusing.sendRaw({ from: 'news@planet.example.com', to: 'lois@example.com' }, raw), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'ETLS');
        assert.match(err.message, /ignoreTLS/);
        assert.equal(isPermanentFailure(err), false);
        return true;
      });
      // Transactional mail too (nodemailer, told to require TLS).
      await assert.rejects(refusing.send(aMessage()), (err: unknown) => isPermanentFailure(err) === false);
      assert.equal(server.logins(), 0, 'no AUTH was sent');
      assert.equal(server.received.length, 0);

      await allowing.sendRaw({ from: 'news@planet.example.com', to: 'lois@example.com' }, raw);
      await allowing.send(aMessage());
      assert.equal(server.received.length, 2);
      assert.ok(server.received.every((r) => r.user === 'mailer'));
    } finally {
      await refusing.close();
      await allowing.close();
      await server.close();
    }
  });

  it('refuses a URL of another scheme without repeating it', () => {
    assert.throws(() => createMailTransport({ smtpUrl: 'http://user:secret@example.com', outboxDir: '/x', from: FROM }), (err: Error) => {
      assert.doesNotMatch(err.message, /secret/);
      return true;
    });
    assert.throws(() => createMailTransport({ smtpUrl: 'not a url secret', outboxDir: '/x', from: FROM }), (err: Error) => {
      assert.doesNotMatch(err.message + JSON.stringify(err), /secret/);
      return true;
    });
  });
});

describe('isPermanentFailure', () => {
  const cases: [string, unknown, boolean][] = [
    ['550 at RCPT TO', { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }, true],
    ['552 at DATA', { code: 'EMESSAGE', responseCode: 552, command: 'DATA' }, true],
    ['451 at RCPT TO', { code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO' }, false],
    ['421 service closing', { code: 'EPROTOCOL', responseCode: 421 }, false],
    ['503 bad sequence', { code: 'EPROTOCOL', responseCode: 503 }, false],
    ['535 login refused', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }, false],
    ['550 sender refused', { code: 'EENVELOPE', responseCode: 550, command: 'MAIL FROM' }, false],
    ['500 to STARTTLS (TLS required)', { code: 'ETLS', responseCode: 500, command: 'STARTTLS' }, false],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }), false],
    ['a code as a string', { responseCode: '550' }, false],
    ['null', null, false],
    ['a string', '550 no such user', false],
  ];
  for (const [name, err, expected] of cases) it(name, () => assert.equal(isPermanentFailure(err), expected));
});

describe('sendRaw', () => {
  const composed = (text: string) => composeRawMessage({ from: { name: 'Planet', address: 'news@planet.example.com' }, to: 'lois@example.com', subject: 'Raw', text, html: `<p>${text}</p>`, headers: [], messageId: '<raw@planet.example.com>', date: FIXED });

  it('delivers pre-composed bytes over SMTP (login, dot-stuffing) and reports refusals as the server gave them', async () => {
    const server = await startSmtpServer({
      onRcptTo(address, _session, callback) {
        if (address.address === 'nobody@example.com') return callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
        if (address.address === 'busy@example.com') return callback(Object.assign(new Error('Try later'), { responseCode: 451 }));
        callback();
      },
    });
    const transport = createMailTransport({ smtpUrl: `smtp://mailer:${encodeURIComponent('p@ss:word')}@127.0.0.1:${server.port}`, outboxDir: '/nonexistent', from: FROM, rawConnections: 2 });
    try {
      const text = 'First line\n.a line starting with a dot\n.\nlast';
      await Promise.all(['lois@example.com', 'clark@example.com', 'jimmy@example.com'].map((to) => transport.sendRaw({ from: 'news@planet.example.com', to }, composed(text))));
      assert.equal(server.received.length, 3);
      assert.deepEqual(server.received.map((r) => r.rcptTo[0]).sort(), ['clark@example.com', 'jimmy@example.com', 'lois@example.com']);
      for (const r of server.received) {
        assert.equal(r.user, 'mailer');
        assert.equal(r.mail.text?.trim(), text);
        assert.equal(r.mail.messageId, '<raw@planet.example.com>');
      }
      await assert.rejects(transport.sendRaw({ from: 'news@planet.example.com', to: 'nobody@example.com' }, composed('x')), (err: unknown) => {
        assert.equal((err as { responseCode: number }).responseCode, 550);
        assert.equal(isPermanentFailure(err), true);
        return true;
      });
      await assert.rejects(transport.sendRaw({ from: 'news@planet.example.com', to: 'busy@example.com' }, composed('x')), (err: unknown) => {
        assert.equal((err as { responseCode: number }).responseCode, 451);
        assert.equal(isPermanentFailure(err), false);
        return true;
      });
      // The pool recovers from the refusals: a fresh session takes the next message.
      await transport.sendRaw({ from: 'news@planet.example.com', to: 'perry@example.com' }, composed('after'));
      assert.equal(server.received.length, 4);
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it('a refused login is never a permanent failure of the recipient', async () => {
    const server = await startSmtpServer();
    const transport = createMailTransport({ smtpUrl: `smtp://mailer:wrong@127.0.0.1:${server.port}`, outboxDir: '/nonexistent', from: FROM });
    try {
      await assert.rejects(transport.sendRaw({ from: 'news@planet.example.com', to: 'lois@example.com' }, composed('x')), (err: unknown) => {
        assert.equal(isPermanentFailure(err), false);
        return true;
      });
      assert.equal(server.received.length, 0);
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it('writes the bytes to the file outbox without SMTP, DKIM-signed when configured', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'masthead-raw-'));
    try {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const keyFile = path.join(root, 'dkim.pem');
      await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const outboxDir = path.join(root, 'outbox');
      const transport = createMailTransport({ smtpUrl: null, outboxDir, from: FROM, dkim: { domainName: 'planet.example.com', keySelector: 'mh1', privateKeyFile: keyFile } });
      await transport.sendRaw({ from: 'news@planet.example.com', to: 'lois@example.com' }, composed('signed'));
      await transport.close();
      const [name] = await readdir(outboxDir);
      const raw = await readFile(path.join(outboxDir, name), 'utf8');
      assert.match(raw, /^DKIM-Signature: .*d=planet\.example\.com;.*s=mh1;/ms);
      assert.equal((await simpleParser(raw)).text?.trim(), 'signed');
      assert.throws(() => createMailTransport({ smtpUrl: null, outboxDir, from: FROM, dkim: { domainName: 'd', keySelector: 's', privateKeyFile: path.join(root, 'missing.pem') } }), /DKIM_PRIVATE_KEY_FILE/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
