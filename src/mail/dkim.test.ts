// DKIM as a receiving server checks it: messages signed on each road (pre-composed bytes over
// our SMTP session, nodemailer's composer for transactional mail, the file outbox) are
// verified against the public key published for the selector, and fail once altered.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { startSmtpSink, type SmtpSink } from '../../test/support/smtp.ts';
import { composeRawMessage } from './raw-message.ts';
import { createMailTransport, type MailTransport } from './transport.ts';

const DOMAIN = 'planet.example.com';
const SELECTOR = 'mh1';
const FROM = `"The Daily Planet" <news@${DOMAIN}>`;

describe('DKIM signatures', () => {
  let root: string;
  let keyFile: string;
  let publicKey: string;
  let sink: SmtpSink;

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'masthead-dkim-'));
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keyFile = path.join(root, 'dkim.pem');
    await writeFile(keyFile, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    publicKey = (pair.publicKey.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64');
    sink = await startSmtpSink();
  });
  after(async () => {
    await sink.close();
    await rm(root, { recursive: true, force: true });
  });

  /** The DNS a receiver would ask: only our selector's TXT record exists. */
  const resolver = async (name: string, type: string) => {
    if (type === 'TXT' && name === `${SELECTOR}._domainkey.${DOMAIN}`) return [[`v=DKIM1; k=rsa; p=${publicKey}`]];
    throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
  };
  const verdict = async (raw: Buffer | string) => {
    const result = await dkimVerify(Buffer.from(raw), { resolver });
    return result.results.map((r) => `${r.status.result}:${r.signingDomain ?? ''}`);
  };
  const transport = (smtpUrl: string | null): MailTransport =>
    createMailTransport({ smtpUrl, outboxDir: path.join(root, 'outbox'), from: FROM, dkim: { domainName: DOMAIN, keySelector: SELECTOR, privateKeyFile: keyFile }, rawConnections: 1 });
  const newsletterCopy = () => composeRawMessage({
    from: { name: 'The Daily Planet', address: `news@${DOMAIN}` },
    to: 'lois@example.com',
    subject: 'The Daily — Friday, November 20',
    text: 'Today’s stories.\n.\nA line with a lone dot above, and café.',
    html: '<p>Today’s stories.</p>',
    headers: [['List-Unsubscribe', '<https://planet.example.com/newsletters/unsubscribe?t=x>'], ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click']],
    messageId: `<issue-1.1@${DOMAIN}>`,
    date: new Date('2026-11-20T11:00:00Z'),
  });

  it('signs a newsletter copy sent over SMTP so that a receiver verifies it, and an altered copy fails', async () => {
    const t = transport(sink.url);
    try {
      await t.sendRaw({ from: `news@${DOMAIN}`, to: 'lois@example.com' }, newsletterCopy());
    } finally {
      await t.close();
    }
    const raw = sink.messages.at(-1)!.raw;
    assert.deepEqual(await verdict(raw), [`pass:${DOMAIN}`]);
    const signed = raw.toString('utf8');
    assert.match(signed, /^DKIM-Signature:[\s\S]*h=[^;]*List-Unsubscribe/im, 'the unsubscribe headers are signed too');
    const altered = await verdict(signed.replace('Today=E2=80=99s stories', 'Todays stories'));
    assert.notEqual(signed.replace('Today=E2=80=99s stories', 'Todays stories'), signed, 'the test alters the body');
    assert.equal(altered.length, 1);
    assert.notEqual(altered[0], `pass:${DOMAIN}`, 'a changed body no longer verifies');
  });

  it('signs transactional mail composed by nodemailer, over SMTP and into the file outbox', async () => {
    const smtp = transport(sink.url);
    try {
      await smtp.send({ to: 'lois@example.com', subject: 'Your sign-in link', text: 'Follow the link.', html: '<p>Follow the link.</p>' });
    } finally {
      await smtp.close();
    }
    assert.deepEqual(await verdict(sink.messages.at(-1)!.raw), [`pass:${DOMAIN}`]);

    const file = transport(null);
    try {
      await file.send({ to: 'lois@example.com', subject: 'Your receipt', text: 'Thank you.' });
    } finally {
      await file.close();
    }
    const [name] = (await readdir(path.join(root, 'outbox'))).filter((f) => f.endsWith('.eml'));
    assert.deepEqual(await verdict(await readFile(path.join(root, 'outbox', name))), [`pass:${DOMAIN}`]);
  });
});
