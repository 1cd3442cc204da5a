// The Daily to 100,000 recipients: every copy personalised (gate and click links, unsubscribe
// token, Message-ID), composed and handed over SMTP to a local sink in another process (pinned
// to its own core), with rows claimed and marked in the database as in production. Prints
// messages a second, peak RSS (and RSS after the first 10% — flat memory means the two are
// close), beside the sink's own ceiling measured in the same run: a minimal pipelined SMTP
// client sending one pre-built copy over as many connections.
// BENCH_RECIPIENTS sets the count; BENCH_DATABASE_URL runs it on PostgreSQL.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { LOAD_CORE, ROOT, SERVER_CORE, fmt, hasCommand, startPinned, stop } from './lib.ts';

const SINK_FLAG = '--daily-sink';

/** The sink: smtp-server accepting everything, counting messages and bytes. */
async function runSink(): Promise<void> {
  const { SMTPServer } = await import('smtp-server');
  let messages = 0;
  let bytes = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      stream.on('data', (c: Buffer) => (bytes += c.length));
      stream.on('end', () => {
        messages += 1;
        callback();
      });
    },
  });
  server.on('error', () => {});
  server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${(server.server.address() as net.AddressInfo).port}\n`));
  process.on('SIGTERM', () => {
    process.stdout.write(`received ${messages} ${bytes}\n`);
    process.exit(0);
  });
}

async function startSink(): Promise<{ port: number; stop: () => Promise<{ messages: number; bytes: number }> }> {
  const child = startPinned(LOAD_CORE, process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/daily.ts'), SINK_FLAG]);
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error('the SMTP sink exited')));
  });
  return {
    port,
    async stop() {
      await stop(child);
      const m = /received (\d+) (\d+)/.exec(out);
      return { messages: Number(m?.[1] ?? 0), bytes: Number(m?.[2] ?? 0) };
    },
  };
}

/** The ceiling: MAIL FROM, RCPT TO and DATA pipelined, then one pre-built copy, per connection. */
async function pipelinedCeiling(port: number, message: Buffer, opts: { count: number; connections: number }): Promise<number> {
  const body = Buffer.concat([Buffer.from(message.toString('latin1').replace(/\r\n\./g, '\r\n..'), 'latin1'), Buffer.from('\r\n.\r\n')]);
  let next = 0;
  const connection = () =>
    new Promise<void>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      let buffer = '';
      let want = 1;
      let stage: 'greeting' | 'ehlo' | 'envelope' | 'data' | 'quit' = 'greeting';
      socket.on('error', reject);
      socket.on('data', (d) => {
        buffer += d.toString('latin1');
        for (;;) {
          const end = buffer.indexOf('\r\n');
          if (end < 0) return;
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (line[3] === '-') continue;
          if (!/^[23]/.test(line)) return reject(new Error(`sink said: ${line}`));
          if (--want > 0) continue;
          if (stage === 'quit') return;
          if (stage === 'greeting') {
            stage = 'ehlo';
            want = 1;
            socket.write('EHLO bench\r\n');
          } else if (stage === 'envelope') {
            stage = 'data';
            want = 1;
            socket.write(body);
          } else if (next >= opts.count) {
            stage = 'quit';
            socket.end('QUIT\r\n');
            resolve();
          } else {
            const k = next++;
            stage = 'envelope';
            want = 3;
            socket.write(`MAIL FROM:<news@bench.example>\r\nRCPT TO:<ceiling${k}@example.com>\r\nDATA\r\n`);
          }
        }
      });
    });
  const started = performance.now();
  await Promise.all(Array.from({ length: opts.connections }, connection));
  return opts.count / ((performance.now() - started) / 1000);
}

export async function benchDaily(opts: { recipients: number; concurrency: number }): Promise<void> {
  const { buildApp } = await import('../src/app.ts');
  const { loadConfig } = await import('../src/config/config.ts');
  const { createLogger } = await import('../src/logger.ts');
  const { saveArticle } = await import('../src/content/article-store.ts');
  const { parseMarkdown } = await import('../src/content/markdown.ts');
  const { getList } = await import('../src/newsletters/lists.ts');
  const { ensureDailyIssue, updateDraft, queueIssue, frozenContent, getIssue } = await import('../src/newsletters/issue-store.ts');
  const { prepareIssueEmail } = await import('../src/newsletters/digest-email.ts');
  const { composeRawMessage } = await import('../src/mail/raw-message.ts');

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-bench-daily-'));
  const sink = await startSink();
  // The sender (this process) on one core, the sink on the other, as a mail server elsewhere would be.
  const canPin = hasCommand('taskset') && os.availableParallelism() > 1;
  if (canPin) spawnSync('taskset', ['-cp', SERVER_CORE, String(process.pid)]);
  try {
    const config = loadConfig({
      MASTHEAD_DATA: dataDir,
      ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
      PUBLIC_URL: 'https://news.bench.example',
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      MAIL_CONCURRENCY: String(opts.concurrency),
      MASTHEAD_DEMO: '0',
      MASTHEAD_SECRET: 'bench-secret-bench-secret-bench-secret-00',
      LOG_LEVEL: 'warn',
    });
    const app = await buildApp({ config, logger: createLogger('warn') });
    const db = app.database.db;
    const now = Date.now();

    // Twelve stories of every access class, and the recipients: a tenth of them subscribers' copies.
    const storyIds: number[] = [];
    for (let i = 0; i < 12; i++) {
      const body = `Paragraph one of story ${i}, with some words about the harbor and the city.\n\nParagraph two.`;
      const res = await saveArticle(app.database, {
        headline: `Story ${i}: the council votes on the harbor’s future, and what comes next`,
        dek: `A dek of about two lines for story ${i}, saying what happened and why it matters to readers.`,
        sectionPath: i % 2 ? 'World/Europe' : 'City',
        authors: ['Ann Lee', 'Tom Ruiz'],
        dateline: 'BERGEN, Norway',
        publishedAt: now - (i + 1) * 600_000,
        access: i % 3 === 0 ? 'free' : i % 3 === 1 ? 'metered' : 'subscriber',
        tags: ['Harbor'],
        bodyMarkdown: body,
        blocks: parseMarkdown(body),
        leadImage: null,
      }, { source: 'bench', now, timeZone: 'America/New_York' });
      storyIds.push(res.id);
    }
    const daily = (await getList(db, { slug: 'daily' }))!;
    const setupStart = performance.now();
    for (let i = 0; i < opts.recipients; i += 500) {
      const rows = [];
      for (let k = i; k < Math.min(opts.recipients, i + 500); k++) {
        rows.push({ list_id: daily.id, email: `reader${k}@example.com`, reader_id: null, status: 'active' as const, confirm_token_hash: null, confirm_expires_at: null, source: 'bench', created_at: now, confirmed_at: now, unsubscribed_at: null });
      }
      await db.insertInto('list_members').values(rows).execute();
    }
    const issue = await ensureDailyIssue(db, { list: daily, issueDate: '2030-01-07', sendAt: now, now });
    await updateDraft(db, issue.id, { storyIds, intro: 'Good morning. **Three things** to know today.' }, { now, userId: null });
    const queueStart = performance.now();
    const queued = await queueIssue({ db, publicUrl: config.publicUrl }, issue.id, { now });
    if (!queued.ok) throw new Error(`queueing failed: ${queued.reason}`);
    const queueSeconds = (performance.now() - queueStart) / 1000;
    const memberSeconds = (queueStart - setupStart) / 1000;

    // One real copy for the ceiling and for the size figure.
    const content = frozenContent((await getIssue(db, issue.id))!)!;
    const copy = prepareIssueEmail(content).personalise({ isEntitled: false, storyUrl: (s) => s.url, unsubscribeUrl: `${config.publicUrl}/newsletters/unsubscribe?t=x` });
    const sample = composeRawMessage({ from: { name: content.publicationName, address: 'news@news.bench.example' }, to: 'reader@example.com', subject: copy.subject, text: copy.text, html: copy.html, headers: [], messageId: '<bench@news.bench.example>', date: new Date() });

    global.gc?.();
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    let rssAtTenth = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const sendStart = performance.now();
    const report = await app.newsletters.sender.sendDue({
      issueId: issue.id,
      onProgress: (p) => {
        if (!rssAtTenth && p.report.sent >= opts.recipients / 10) rssAtTenth = process.memoryUsage().rss;
      },
    });
    const sendSeconds = (performance.now() - sendStart) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    await app.close();

    const ceilingCount = Math.min(opts.recipients, 30_000);
    const ceiling = await pipelinedCeiling(sink.port, sample, { count: ceilingCount, connections: opts.concurrency });
    const received = await sink.stop();

    const rate = report!.sent / sendSeconds;
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
    console.log(`\n== The Daily: ${fmt(opts.recipients)} personalised copies over SMTP (${app.database.dialect}, ${opts.concurrency} connections) ==`);
    console.log(`copy size                 ${(sample.length / 1024).toFixed(1)} KB (12 stories, text + HTML, quoted-printable)`);
    console.log(`members written           ${memberSeconds.toFixed(1)} s; queued (content frozen, ${fmt(queued.queued)} send rows) in ${queueSeconds.toFixed(1)} s`);
    console.log(`sent                      ${fmt(report!.sent)} in ${sendSeconds.toFixed(1)} s → ${fmt(Math.round(rate))} msg/s (goal ≥ 1,500)`);
    console.log(`sink ceiling (pipelined)  ${fmt(Math.round(ceiling))} msg/s, pre-built copy, ${fmt(ceilingCount)} messages → sender at ${(rate / ceiling).toFixed(2)}× the ceiling`);
    console.log(`RSS                       before ${mb(baseRss)}, after 10% sent ${mb(rssAtTenth)}, peak ${mb(peakRss)}`);
    console.log(`sink received             ${fmt(received.messages)} messages, ${(received.bytes / 1024 / 1024).toFixed(0)} MB`);
  } finally {
    if (canPin) spawnSync('taskset', ['-cp', `0-${os.availableParallelism() - 1}`, String(process.pid)]);
    await sink.stop().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv.includes(SINK_FLAG)) await runSink();
else if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, 'bench/daily.ts')) {
  await benchDaily({ recipients: Number(process.env.BENCH_RECIPIENTS ?? 100_000), concurrency: Number(process.env.MAIL_CONCURRENCY ?? 10) });
}
