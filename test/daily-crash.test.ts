// The sender killed mid-send: `masthead daily send` runs as a child process against a real
// SMTP server, gets SIGKILL once 40% of the copies have arrived, and is started again. Every
// recipient must end up with the issue; copies received twice can only be ones that were in
// flight at the kill, and the database counts those. On both databases.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DIALECTS } from './support/databases.ts';
import { startTestApp, PUBLIC_URL, type TestApp } from './support/app.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp.ts';
import { openDatabase } from '../src/db/database.ts';
import { getList } from '../src/newsletters/lists.ts';
import { ensureDailyIssue, issueReport, updateDraft } from '../src/newsletters/issue-store.ts';
import { inFlightResends } from '../src/newsletters/send-queue.ts';
import { DEFAULT_MARK_EVERY } from '../src/newsletters/sender.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const RECIPIENTS = 400;
const DATE = '2026-11-20';
const CONCURRENCY = 4;
/**
 * What a crash may send twice: the copies handed to the server (one per connection) plus those
 * marked as handed over and not yet marked sent (the sender keeps them under markEvery); the
 * rest of a claim batch, never handed over, is not counted.
 */
const IN_FLIGHT_BOUND = CONCURRENCY + DEFAULT_MARK_EVERY;

function runCli(env: Record<string, string>, onSpawn?: (kill: () => void) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/masthead.js'), 'daily', 'send', '--date', DATE], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    onSpawn?.(() => child.kill('SIGKILL'));
    child.on('exit', (code, signal) => resolve({ code, signal, out, err }));
  });
}

for (const dialect of DIALECTS) {
  describe(`the Daily's sender killed at 40% (${dialect})`, () => {
    let t: TestApp;
    let sink: SmtpSink;
    let env: Record<string, string>;
    let issueId: number;

    before(async () => {
      sink = await startSmtpSink();
      t = await startTestApp(dialect);
      const db = t.app.database.db;
      const daily = (await getList(db, { slug: 'daily' }))!;
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) ids.push((await t.article({ access: i === 1 ? 'subscriber' : 'metered' })).id);
      const rows = Array.from({ length: RECIPIENTS }, (_, i) => ({ list_id: daily.id, email: `reader${i}@example.com`, reader_id: null, status: 'active' as const, confirm_token_hash: null, confirm_expires_at: null, source: 'site', created_at: t.clock.now, confirmed_at: t.clock.now, unsubscribed_at: null }));
      for (let i = 0; i < rows.length; i += 100) await db.insertInto('list_members').values(rows.slice(i, i + 100)).execute();
      const issue = await ensureDailyIssue(db, { list: daily, issueDate: DATE, sendAt: t.clock.now, now: t.clock.now });
      assert.ok((await updateDraft(db, issue.id, { storyIds: ids }, { now: t.clock.now, userId: null })).ok);
      issueId = issue.id;
      // The CLI is the only writer from here on.
      await t.app.close();
      env = {
        MASTHEAD_DATA: t.database.dataDir,
        ...(t.database.databaseUrl ? { DATABASE_URL: t.database.databaseUrl } : {}),
        SMTP_URL: sink.url,
        PUBLIC_URL,
        MASTHEAD_SECRET: 'test-secret-test-secret-test-secret-0123',
        MASTHEAD_DEMO: '0',
        MAIL_RATE: '150',
        MAIL_CONCURRENCY: String(CONCURRENCY),
        LOG_LEVEL: 'error',
      };
    });

    after(async () => {
      await sink?.close();
      await t?.database.drop();
    });

    it('after a restart every recipient has the issue, and only copies in flight came twice, counted', { timeout: 120_000 }, async (ctx) => {
      let killedAt = 0;
      const killed = await runCli(env, (kill) => {
        sink.onMessage = (_m, count) => {
          if (killedAt === 0 && count >= RECIPIENTS * 0.4) {
            killedAt = count;
            kill();
          }
        };
      });
      sink.onMessage = null;
      assert.equal(killed.signal, 'SIGKILL', `the first run was killed (exit ${killed.code}): ${killed.err}`);
      const afterKill = sink.messages.length;
      assert.ok(afterKill < RECIPIENTS, `killed before the end (${afterKill} of ${RECIPIENTS} received)`);

      const rerun = await runCli(env);
      assert.equal(rerun.code, 0, `the second run finished: ${rerun.err}`);
      assert.match(rerun.out, new RegExp(`Queued ${RECIPIENTS}, sent ${RECIPIENTS}, failed 0, suppressed 0`));

      const counts = sink.countsByRecipient();
      for (let i = 0; i < RECIPIENTS; i++) assert.ok((counts.get(`reader${i}@example.com`) ?? 0) >= 1, `reader${i} received the issue`);
      const duplicates = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);

      const handle = openDatabase({ databaseUrl: t.database.databaseUrl, dataDir: t.database.dataDir });
      try {
        const report = await issueReport(handle.db, issueId);
        assert.deepEqual(report, { total: RECIPIENTS, queued: 0, sending: 0, sent: RECIPIENTS, failed: 0, suppressed: 0 });
        const inFlight = await inFlightResends(handle.db, issueId);
        ctx.diagnostic(`killed after ${killedAt} received; ${inFlight} in flight re-sent; ${duplicates} received twice`);
        assert.ok(duplicates <= inFlight, `${duplicates} copies came twice, all among the ${inFlight} counted as in flight`);
        assert.ok(inFlight <= IN_FLIGHT_BOUND, `in flight at the kill: ${inFlight} ≤ ${IN_FLIGHT_BOUND}`);
        const issue = await handle.db.selectFrom('newsletter_issues').select('status').where('id', '=', issueId).executeTakeFirstOrThrow();
        assert.equal(issue.status, 'sent');
        if (inFlight > 0) assert.match(rerun.out, new RegExp(`${inFlight} were in flight`));
      } finally {
        await handle.close();
      }
      assert.equal(sink.messages.length, RECIPIENTS + duplicates);
    });
  });
}
