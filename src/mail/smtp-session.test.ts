import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerOptions } from 'smtp-server';
import { composeRawMessage } from './raw-message.ts';
import { RawSmtpPool, smtpSettings } from './smtp-session.ts';

const ENVELOPE = { from: 'news@planet.example.com', to: 'lois@example.com' };
const RAW = composeRawMessage({ from: { name: 'Planet', address: ENVELOPE.from }, to: ENVELOPE.to, subject: 'Raw', text: 'Hello', html: '<p>Hello</p>', headers: [], messageId: '<raw@planet.example.com>', date: new Date('2026-03-04T05:06:07Z') });

/** An SMTP server that offers STARTTLS (smtp-server's built-in localhost certificate) and counts what it sees. */
async function startServer(hooks: Pick<SMTPServerOptions, 'onConnect' | 'onData' | 'disabledCommands'> = {}) {
  const seen = { connections: 0, logins: 0, messages: [] as { isSecure: boolean; user: string | undefined }[] };
  const server = new SMTPServer({
    authOptional: true,
    logger: false,
    onConnect(_session, callback) {
      seen.connections += 1;
      callback();
    },
    onAuth(auth, _session, callback) {
      seen.logins += 1;
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        seen.messages.push({ isSecure: session.secure, user: session.user });
        callback();
      });
    },
    ...hooks,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    seen,
    close: () => new Promise<void>((resolve) => server.close(resolve)),
  };
}

/**
 * A man in the middle: passes bytes both ways, and right behind the server's 220 reply to
 * STARTTLS (in the same write) puts `injected` plaintext, before TLS begins.
 */
async function startInjectingProxy(serverPort: number, injected: string) {
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const server = net.connect(serverPort, '127.0.0.1');
    sockets.add(client).add(server);
    let isStartTlsAsked = false;
    let isInjected = false;
    client.on('data', (chunk) => {
      if (/^STARTTLS\r\n/m.test(chunk.toString('latin1'))) isStartTlsAsked = true;
      server.write(chunk);
    });
    server.on('data', (chunk) => {
      if (isStartTlsAsked && !isInjected && chunk.toString('latin1').startsWith('220 ')) {
        isInjected = true;
        client.write(Buffer.concat([chunk, Buffer.from(injected, 'latin1')]));
        return;
      }
      client.write(chunk);
    });
    for (const [a, b] of [[client, server], [server, client]]) {
      a.on('close', () => b.destroy());
      a.on('error', () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

describe('STARTTLS', () => {
  const url = (port: number) => `smtp://mailer:secret@127.0.0.1:${port}?tls.rejectUnauthorized=false`;

  it('upgrades before logging in and sending when the server offers it', async () => {
    const server = await startServer();
    const proxy = await startInjectingProxy(server.port, '');
    const pool = new RawSmtpPool(smtpSettings(url(proxy.port)), 1);
    try {
      await pool.send(ENVELOPE, RAW);
      assert.deepEqual(server.seen.messages, [{ isSecure: true, user: 'mailer' }]);
    } finally {
      pool.close();
      await proxy.close();
      await server.close();
    }
  });

  // Plaintext behind the 220 would otherwise be read as the first words said over TLS.
  for (const [name, injected] of [
    ['a whole reply', '250 injected\r\n'],
    ['the start of a multi-line reply', '250-AUTH PLAIN\r\n'],
    ['part of a line', '5'],
  ]) {
    it(`refuses the connection when ${name} follows the 220 in plaintext`, async () => {
      const server = await startServer();
      const proxy = await startInjectingProxy(server.port, injected);
      const pool = new RawSmtpPool(smtpSettings(url(proxy.port)), 1);
      try {
        await assert.rejects(pool.send(ENVELOPE, RAW), (err: Error & { code?: string }) => {
          assert.equal(err.code, 'ETLS');
          assert.match(err.message, /STARTTLS/);
          return true;
        });
        assert.equal(server.seen.logins, 0, 'no password sent');
        assert.equal(server.seen.messages.length, 0);
      } finally {
        pool.close();
        await proxy.close();
        await server.close();
      }
    });
  }
});

describe('RawSmtpPool.close', () => {
  it('refuses callers still waiting for a connection and opens no new one', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let isDataStarted = () => {};
    const dataStarted = new Promise<void>((resolve) => (isDataStarted = resolve));
    let accepted = 0;
    const server = await startServer({
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        isDataStarted();
        stream.resume();
        stream.on('end', () => void held.then(() => {
          accepted += 1;
          callback();
        }));
      },
    });
    const pool = new RawSmtpPool(smtpSettings(`smtp://127.0.0.1:${server.port}`), 1);
    try {
      const first = pool.send(ENVELOPE, RAW);
      await dataStarted;
      const waiting = pool.send(ENVELOPE, RAW);
      pool.close();
      await assert.rejects(waiting, /closed/);
      await assert.rejects(pool.send(ENVELOPE, RAW), /closed/);
      // The message in the middle of being sent finishes.
      release();
      await first;
      assert.equal(accepted, 1);
      assert.equal(server.seen.connections, 1);
    } finally {
      release();
      await server.close();
    }
  });

  it('quits a connection that finished opening after close, without sending on it', async () => {
    let greet = () => {};
    let isConnecting = () => {};
    const connecting = new Promise<void>((resolve) => (isConnecting = resolve));
    const server = await startServer({
      disabledCommands: ['STARTTLS'],
      onConnect(_session, callback) {
        greet = () => callback();
        isConnecting();
      },
    });
    const pool = new RawSmtpPool(smtpSettings(`smtp://127.0.0.1:${server.port}`), 2);
    try {
      const sending = pool.send(ENVELOPE, RAW);
      await connecting;
      pool.close();
      greet();
      await assert.rejects(sending, /closed/);
      assert.equal(server.seen.messages.length, 0);
    } finally {
      await server.close();
    }
  });
});

describe('smtpSettings', () => {
  const cases: [string, string, boolean][] = [
    ['a server elsewhere', 'smtp://u:p@mail.example.com:587', false],
    ['a server elsewhere, cleartext allowed by the URL', 'smtp://u:p@mail.example.com:587?ignoreTLS=true', true],
    ['127.0.0.1', 'smtp://u:p@127.0.0.1:25', true],
    ['another 127/8 address', 'smtp://u:p@127.0.0.2:25', true],
    ['localhost', 'smtp://u:p@localhost:25', true],
    ['::1', 'smtp://u:p@[::1]:25', true],
    ['an IPv4-mapped loopback', 'smtp://u:p@[::ffff:127.0.0.1]:25', true],
    ['a private address', 'smtp://u:p@10.0.0.5:25', false],
    ['a host named like loopback', 'smtp://u:p@127.0.0.1.example.com:25', false],
  ];
  for (const [name, url, expected] of cases) {
    it(`may send the password unencrypted: ${name} → ${expected}`, () => assert.equal(smtpSettings(url).canAuthInCleartext, expected));
  }

  it('reads credentials, port and TLS from the URL', () => {
    const s = smtpSettings(`smtps://mailer:${encodeURIComponent('p@ss:word')}@mail.example.com?tls.rejectUnauthorized=false`);
    assert.deepEqual({ host: s.host, port: s.port, isSecure: s.isSecure, auth: s.auth, tls: s.tls }, {
      host: 'mail.example.com', port: 465, isSecure: true, auth: { user: 'mailer', pass: 'p@ss:word' }, tls: { rejectUnauthorized: false },
    });
    assert.equal(smtpSettings('smtp://mail.example.com').port, 587);
    assert.equal(smtpSettings('smtp://mail.example.com').auth, null);
  });
});
