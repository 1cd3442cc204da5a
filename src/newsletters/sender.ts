// Sends the due rows of the issues being sent. Rows are claimed in batches with a lease and a
// token of this pass; each copy is rendered from the issue's frozen content and handed to the
// mail server, and a row is marked sent only after the server accepted it. Rows are marked as
// handed over in small batches just before they go, and at most `concurrency + markEvery` of
// them are ever handed over and not yet marked: a crash re-sends at most those (the copies
// "in flight"), and the database counts them. Several senders (app instances, the CLI) may
// run at once: a row is claimed by one only, and only its claimer may mark it.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db, Dialect } from '../db/database.ts';
import type { MailTransport } from '../mail/transport.ts';
import { isPermanentFailure } from '../mail/transport.ts';
import { composeRawMessage } from '../mail/raw-message.ts';
import { newsletterToken } from '../paywall/gate-links.ts';
import { clickUrl, unsubscribeUrls } from './links.ts';
import { prepareIssueEmail, type PreparedIssueEmail } from './digest-email.ts';
import { frozenContent, getIssue, issueReport, type IssueReport } from './issue-store.ts';
import { claimSends, extendLeases, finishIfDone, markFailures, markHanded, markSent, markSuppressed, releaseClaims, sendingIssueIds, type ClaimedSend, type SendFailure } from './send-queue.ts';
import { suppressedAmong } from './suppression.ts';
import type { IssueContent, IssueStory, RecipientLinks } from './types.ts';

export interface SendProgress {
  issueId: number;
  report: IssueReport;
}

export interface NewsletterSenderDeps {
  db: Db;
  dialect: Dialect;
  transport: MailTransport;
  /** The newsletters' sender address (MAIL_FROM). */
  from: string;
  secret: string;
  now: () => number;
  /** Messages handed to the transport at once. */
  concurrency: number;
  /** At most this many messages a second; 0: no cap. */
  ratePerSecond: number;
  logger?: Logger;
  /** Rows claimed at a time (default 100). */
  claimSize?: number;
  /** How long a claim holds while its sender is silent (default 15 s); renewed while working. */
  leaseMs?: number;
  /** Bounds the copies handed over and not yet marked, beyond those at the server (default 20). */
  markEvery?: number;
}

export const DEFAULT_MARK_EVERY = 20;
const PROGRESS_EVERY_MS = 200;
const MARK_AFTER_MS = 250;
/** After a pass that found the mail server down: wait 10 s, 20 s, 40 s … at most 5 minutes. */
const SERVER_DOWN_FIRST_WAIT_MS = 10_000;
const SERVER_DOWN_MAX_WAIT_MS = 5 * 60_000;

/** Errors met before any message was written to the server: that copy certainly did not go out. */
const BEFORE_MESSAGE_COMMANDS = new Set(['EHLO', 'HELO', 'STARTTLS', 'AUTH', 'AUTH PLAIN', 'AUTH LOGIN', 'MAIL FROM', 'RCPT TO']);
const NO_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNECTION', 'EAUTH', 'ENOAUTH', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** The server refused this recipient or this message (a reply at RCPT TO or DATA): the address's affair. */
function isAddressRefusal(err: unknown): boolean {
  const { command, responseCode } = (err ?? {}) as { command?: unknown; responseCode?: unknown };
  return typeof responseCode === 'number' && (command === 'RCPT TO' || command === 'DATA');
}

/** Server trouble that may have struck after the message was written (a reset awaiting the final reply). */
function mayHaveGoneOut(err: unknown): boolean {
  const { command, code, responseCode } = (err ?? {}) as { command?: unknown; code?: unknown; responseCode?: unknown };
  if (typeof responseCode === 'number') return false;
  if (typeof command === 'string' && BEFORE_MESSAGE_COMMANDS.has(command)) return false;
  return !(typeof code === 'string' && NO_CONNECTION_CODES.has(code));
}

/** Spaces messages out to at most `perSecond` (0: no cap), in real time whatever the app clock. */
class RateLimit {
  private nextAt = 0;
  constructor(private readonly perSecond: number) {}

  async take(): Promise<void> {
    if (this.perSecond <= 0) return;
    const now = performance.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + 1000 / this.perSecond;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }
}

/** An issue ready to be rendered for any recipient: the expensive work done once. */
interface IssueForSending {
  content: IssueContent;
  prepared: PreparedIssueEmail;
  host: string;
  sender: string;
  /** Each story's site path (and query) without any token. */
  paths: Map<number, string>;
}

export class NewsletterSender {
  private isStopped = false;
  private readonly rate: RateLimit;
  private readonly prepared = new Map<number, IssueForSending>();
  /** Set by a pass that could not reach the mail server; passes wait until `retryAt`. */
  private serverDown: { error: string; passes: number; retryAt: number } | null = null;

  constructor(private readonly deps: NewsletterSenderDeps) {
    this.rate = new RateLimit(deps.ratePerSecond);
  }

  /**
   * Finishes the copies at the server, marks what was accepted, gives the rest back, then
   * returns; for good: later sendDue calls send nothing (the app is closing).
   */
  stop(): void {
    this.isStopped = true;
  }

  private isPausedForServer(): boolean {
    return this.serverDown !== null && this.deps.now() < this.serverDown.retryAt;
  }

  /** Why the last pass stopped early, while the mail server is unreachable; null otherwise. */
  get serverTrouble(): { error: string; retryAt: number } | null {
    return this.serverDown && { error: this.serverDown.error, retryAt: this.serverDown.retryAt };
  }

  /**
   * Sends every due row of sending issues until none is left (or `stop()`), claiming rows in
   * batches with row locks on PostgreSQL (FOR UPDATE SKIP LOCKED) and the single writer on
   * SQLite; marks an issue sent when it has no queued/sending rows. Returns the report of
   * `issueId` (or of the last issue worked on), null when there was none.
   */
  async sendDue(opts: { issueId?: number; onProgress?: (p: SendProgress) => void } = {}): Promise<IssueReport | null> {
    let last: IssueReport | null = null;
    // While the mail server is down, passes wait out the back-off instead of trying every row.
    if (!this.isStopped && !this.isPausedForServer()) {
      for (const issueId of await sendingIssueIds(this.deps.db, opts.issueId)) {
        if (this.isStopped || this.isPausedForServer()) break;
        last = await this.sendIssue(issueId, opts.onProgress);
      }
    }
    if (opts.issueId !== undefined && last === null) {
      return (await getIssue(this.deps.db, opts.issueId)) ? issueReport(this.deps.db, opts.issueId) : null;
    }
    return last;
  }

  private async forSending(issueId: number): Promise<IssueForSending | null> {
    const cached = this.prepared.get(issueId);
    if (cached) return cached;
    const issue = await getIssue(this.deps.db, issueId);
    const content = issue && frozenContent(issue);
    if (!content) return null;
    const host = new URL(content.publicUrl).hostname;
    const paths = new Map<number, string>();
    for (const s of content.stories) {
      const u = new URL(s.url);
      paths.set(s.articleId, u.pathname + u.search);
    }
    const ready = { content, prepared: prepareIssueEmail(content), host, sender: this.deps.from, paths };
    // Only the issues of this run are kept: a long-lived sender must not hold every issue ever sent.
    if (this.prepared.size > 8) this.prepared.clear();
    this.prepared.set(issueId, ready);
    return ready;
  }

  /** One copy of the issue, as bytes, for one row. */
  private render(issue: IssueForSending, row: ClaimedSend, now: number): Buffer {
    const { content, host } = issue;
    const { secret } = this.deps;
    const publicUrl = content.publicUrl;
    const links = new Map<number, string>();
    const unsubscribe = unsubscribeUrls({ listId: content.listId, email: row.email, readerId: row.readerId }, { publicUrl, secret });
    const recipient: RecipientLinks = {
      isEntitled: row.isEntitled,
      unsubscribeUrl: unsubscribe.page,
      storyUrl: (story: IssueStory) => {
        let link = links.get(story.articleId);
        if (link !== undefined) return link;
        let path = issue.paths.get(story.articleId) ?? new URL(story.url).pathname;
        // A metered story opens for everyone it is sent to; a subscriber-only one only for
        // subscribers (free copies lead to the offer). Free stories need no token.
        if (story.access === 'metered' || (story.access === 'subscriber' && row.isEntitled)) {
          const token = newsletterToken({ recipientKey: `s:${row.id}`, articleId: story.articleId, now, secret });
          path += `${path.includes('?') ? '&' : '?'}access=${token}`;
        }
        link = clickUrl({ path, sendId: row.id }, { publicUrl, secret });
        links.set(story.articleId, link);
        return link;
      },
    };
    const copy = issue.prepared.personalise(recipient);
    return composeRawMessage({
      from: { name: content.publicationName, address: issue.sender },
      to: row.email,
      subject: copy.subject,
      text: copy.text,
      html: copy.html,
      headers: [
        ['List-Unsubscribe', `<${unsubscribe.page}>, <${unsubscribe.mailto}>`],
        ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
        ['List-Id', `<${content.listSlug}.${host}>`],
      ],
      messageId: `<issue-${content.issueId}.${row.id}@${host}>`,
      date: new Date(now),
    });
  }

  private async sendIssue(issueId: number, onProgress?: (p: SendProgress) => void): Promise<IssueReport> {
    const { db, dialect, transport, logger } = this.deps;
    const claimSize = this.deps.claimSize ?? 100;
    const leaseMs = this.deps.leaseMs ?? 15_000;
    const markEvery = Math.max(2, this.deps.markEvery ?? DEFAULT_MARK_EVERY);
    const concurrency = Math.max(1, this.deps.concurrency);
    /** Rows handed over (or about to be) and not yet marked: the most a crash can send twice. */
    const inFlightLimit = concurrency + markEvery;
    /** Handed-over marks are written, and accepted rows marked, this many at a time. */
    const step = Math.floor(markEvery / 2);
    const issue = await this.forSending(issueId);
    if (!issue) {
      logger?.error({ issueId }, 'issue has no frozen content; not sending');
      return issueReport(db, issueId);
    }

    // This pass's claims: another sender that takes a row over after our lease ran out gets
    // its own token, and our late updates of that row then touch nothing.
    const token = randomBytes(12).toString('base64url');
    const report = await issueReport(db, issueId);
    /** Claimed, not yet marked as handed over. */
    const queue: ClaimedSend[] = [];
    /** Marked as handed over, waiting for a worker. */
    const ready: ClaimedSend[] = [];
    /** Claimed by this pass and not yet marked: their leases are renewed while we work. */
    const held = new Set<number>();
    /** Marked (or being marked) as handed over and not yet marked sent, failed or given back. */
    let inFlight = 0;
    let isExhausted = false;
    let claiming: Promise<void> | null = null;
    let isHanding = false;
    let accepted: number[] = [];
    let failures: SendFailure[] = [];
    /** Rows the server-down error struck: given back at the end, their attempt not spent. */
    const notTried: { row: ClaimedSend; mayHaveGoneOut: boolean }[] = [];
    let lastMark = performance.now();
    let lastProgress = 0;
    let writes: Promise<void> = Promise.resolve();
    let writeError: unknown = null;
    let serverError: string | null = null;
    let waiters: (() => void)[] = [];
    const changed = () => new Promise<void>((resolve) => waiters.push(resolve));
    const notify = () => {
      const w = waiters;
      waiters = [];
      for (const resolve of w) resolve();
    };

    const progress = (force = false) => {
      if (!onProgress) return;
      const t = performance.now();
      if (!force && t - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = t;
      onProgress({ issueId, report: { ...report } });
    };

    // Database writes one after another, in the order they were asked for.
    const write = (fn: () => Promise<void>) => {
      writes = writes.then(fn).catch((err) => {
        writeError ??= err;
      }).finally(notify);
      return writes;
    };

    const flush = () => {
      lastMark = performance.now();
      const sentIds = accepted;
      const failed = failures;
      accepted = [];
      failures = [];
      if (sentIds.length === 0 && failed.length === 0) return writes;
      return write(async () => {
        const now = this.deps.now();
        const sent = sentIds.length ? await markSent(db, sentIds, now, token) : 0;
        let outcome = { failed: 0, retried: 0 };
        if (failed.length) outcome = await markFailures(db, failed, now, token);
        for (const id of sentIds) held.delete(id);
        for (const f of failed) held.delete(f.id);
        inFlight -= sentIds.length + failed.length;
        report.sending -= sentIds.length + failed.length;
        report.sent += sent;
        report.failed += outcome.failed;
        report.queued += outcome.retried;
        progress();
      });
    };

    const refill = () => {
      claiming ??= (async () => {
        try {
          const rows = await claimSends(db, dialect, { issueId, now: this.deps.now(), leaseMs, limit: claimSize, token });
          if (rows.length === 0) {
            isExhausted = true;
            return;
          }
          for (const r of rows) held.add(r.id);
          // An address suppressed (bounce, complaint) since the issue was queued is skipped.
          const suppressed = await suppressedAmong(db, rows.map((r) => r.email));
          const skipped = rows.filter((r) => suppressed.has(r.email));
          if (skipped.length) {
            await write(async () => {
              await markSuppressed(db, skipped.map((r) => r.id), token);
            });
            for (const r of skipped) held.delete(r.id);
          }
          for (const r of rows) {
            if (r.wasLeaseExpired) report.sending -= 1;
            else report.queued -= 1;
            if (suppressed.has(r.email)) report.suppressed += 1;
            else {
              report.sending += 1;
              queue.push(r);
            }
          }
        } finally {
          claiming = null;
          notify();
        }
      })();
      return claiming;
    };

    /** Marks the next few rows as handed over, keeping the in-flight bound. */
    const handOver = () => {
      if (isHanding || ready.length >= concurrency) return;
      const n = Math.min(step, queue.length, inFlightLimit - inFlight);
      if (n <= 0) return;
      const rows = queue.splice(0, n);
      inFlight += n;
      isHanding = true;
      void write(async () => {
        try {
          const kept = new Set(await markHanded(db, rows.map((r) => r.id), this.deps.now(), token));
          for (const r of rows) {
            if (kept.has(r.id)) ready.push(r);
            else {
              // Taken over by another sender after our lease ran out: theirs to send.
              held.delete(r.id);
              inFlight -= 1;
              report.sending -= 1;
            }
          }
        } catch (err) {
          // Not marked: not sent by us either; given back at the end.
          queue.unshift(...rows);
          inFlight -= n;
          throw err;
        } finally {
          isHanding = false;
        }
      });
    };

    const heartbeat = setInterval(() => {
      if (held.size === 0) return;
      void write(async () => {
        await extendLeases(db, [...held], this.deps.now() + leaseMs, token);
      });
    }, Math.max(1000, Math.floor(leaseMs / 3)));
    heartbeat.unref();

    const worker = async () => {
      for (;;) {
        if (this.isStopped || writeError || serverError !== null) return;
        if (queue.length + ready.length < claimSize / 2 && !isExhausted) void refill();
        handOver();
        const row = ready.shift();
        if (!row) {
          if (isExhausted && queue.length === 0 && !claiming && !isHanding && inFlight === 0) return;
          if (accepted.length || failures.length) void flush();
          await changed();
          continue;
        }
        await this.rate.take();
        if (this.isStopped || serverError !== null) {
          notTried.push({ row, mayHaveGoneOut: false });
          return;
        }
        const now = this.deps.now();
        try {
          await transport.sendRaw({ from: issue.sender, to: row.email }, this.render(issue, row, now));
          accepted.push(row.id);
          this.serverDown = null;
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          if (isAddressRefusal(err)) {
            const isPermanent = isPermanentFailure(err);
            failures.push({ id: row.id, attempts: row.attempts, isPermanent, error });
            logger?.warn({ issueId, sendId: row.id, isPermanent, code: (err as { responseCode?: number }).responseCode }, 'newsletter copy not accepted');
          } else {
            // No connection, a refused login or sender, a timeout: the server is the trouble,
            // not this address. The row goes back without spending an attempt, and the pass
            // stops instead of trying every claimed row the same way.
            serverError ??= error;
            notTried.push({ row, mayHaveGoneOut: mayHaveGoneOut(err) });
          }
        }
        if (accepted.length >= step || failures.length > 0 || performance.now() - lastMark > MARK_AFTER_MS) void flush();
        notify();
      }
    };

    try {
      await Promise.all(Array.from({ length: concurrency }, worker));
      await claiming;
    } finally {
      clearInterval(heartbeat);
      notify();
      await flush();
      await writes;
      // Rows claimed but not finished (stopped, server down): back to the queue, the claim undone.
      const untried = [...queue.splice(0), ...ready.splice(0)].map((r) => r.id);
      const maybeOut = notTried.filter((n) => n.mayHaveGoneOut).map((n) => n.row.id);
      const surelyNot = [...untried, ...notTried.filter((n) => !n.mayHaveGoneOut).map((n) => n.row.id)];
      if (surelyNot.length || maybeOut.length) {
        await write(async () => {
          const back = (await releaseClaims(db, surelyNot, token, { mayHaveGoneOut: false })) + (await releaseClaims(db, maybeOut, token, { mayHaveGoneOut: true }));
          report.sending -= surelyNot.length + maybeOut.length;
          report.queued += back;
        });
      }
      await writes;
    }
    if (writeError) throw writeError;
    if (serverError !== null) {
      const passes = (this.serverDown?.passes ?? 0) + 1;
      const waitMs = Math.min(SERVER_DOWN_MAX_WAIT_MS, SERVER_DOWN_FIRST_WAIT_MS * 2 ** (passes - 1));
      this.serverDown = { error: serverError, passes, retryAt: this.deps.now() + waitMs };
      logger?.warn({ issueId, err: serverError, retryInMs: waitMs }, 'mail server unreachable; the issue goes on after a pause');
    }
    if (await finishIfDone(db, issueId, this.deps.now())) {
      logger?.info({ issueId }, 'newsletter issue sent');
      this.prepared.delete(issueId);
    }
    const final = await issueReport(db, issueId);
    onProgress?.({ issueId, report: final });
    return final;
  }
}
