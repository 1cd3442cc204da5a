// Sends the due rows of the issues being sent. Rows are claimed in batches with a lease,
// each copy is rendered from the issue's frozen content and handed to the mail server, and a
// row is marked sent only after the server accepted it (in small batches: a crash re-sends
// at most those accepted but not yet marked, which is what "in flight" means here).
// Several senders (app instances, the CLI) may run at once: a row is claimed by one only.
import type { Logger } from 'pino';
import type { Db, Dialect } from '../db/database.ts';
import type { MailTransport } from '../mail/transport.ts';
import { composeRawMessage, isPermanentFailure } from '../mail/transport.ts';
import { newsletterToken } from '../paywall/gate-links.ts';
import { clickUrl, unsubscribeUrls } from './links.ts';
import { prepareIssueEmail, type PreparedIssueEmail } from './digest-email.ts';
import { frozenContent, getIssue, issueReport, type IssueReport } from './issue-store.ts';
import { claimSends, extendLeases, finishIfDone, markFailures, markSent, markSuppressed, sendingIssueIds, type ClaimedSend, type SendFailure } from './send-queue.ts';
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
  /** Accepted messages marked sent together (default 20). */
  markEvery?: number;
}

const PROGRESS_EVERY_MS = 200;
const MARK_AFTER_MS = 250;

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

  constructor(private readonly deps: NewsletterSenderDeps) {
    this.rate = new RateLimit(deps.ratePerSecond);
  }

  /** Finishes the batch in hand, marks what was accepted, then returns. */
  stop(): void {
    this.isStopped = true;
  }

  /**
   * Sends every due row of sending issues until none is left (or `stop()`), claiming rows in
   * batches with row locks on PostgreSQL (FOR UPDATE SKIP LOCKED) and the single writer on
   * SQLite; marks an issue sent when it has no queued/sending rows. Returns the report of
   * `issueId` (or of the last issue worked on), null when there was none.
   */
  async sendDue(opts: { issueId?: number; onProgress?: (p: SendProgress) => void } = {}): Promise<IssueReport | null> {
    this.isStopped = false;
    let last: IssueReport | null = null;
    for (const issueId of await sendingIssueIds(this.deps.db, opts.issueId)) {
      if (this.isStopped) break;
      last = await this.sendIssue(issueId, opts.onProgress);
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
    const ready = { content, prepared: prepareIssueEmail(content), host, sender: `news@${host}`, paths };
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
    const unsubscribe = unsubscribeUrls({ listId: content.listId, email: row.email }, { publicUrl, secret });
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
    const markEvery = this.deps.markEvery ?? 20;
    const issue = await this.forSending(issueId);
    if (!issue) {
      logger?.error({ issueId }, 'issue has no frozen content; not sending');
      return issueReport(db, issueId);
    }

    const report = await issueReport(db, issueId);
    const queue: ClaimedSend[] = [];
    /** Claimed by this sender and not yet marked: their leases are renewed while we work. */
    const held = new Set<number>();
    let isExhausted = false;
    let claiming: Promise<void> | null = null;
    let accepted: number[] = [];
    let failures: SendFailure[] = [];
    let lastMark = performance.now();
    let lastProgress = 0;
    let writes: Promise<void> = Promise.resolve();
    let writeError: unknown = null;

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
      });
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
        if (sentIds.length) await markSent(db, sentIds, now);
        let outcome = { failed: 0, retried: 0 };
        if (failed.length) outcome = await markFailures(db, failed, now);
        for (const id of sentIds) held.delete(id);
        for (const f of failed) held.delete(f.id);
        report.sending -= sentIds.length + failed.length;
        report.sent += sentIds.length;
        report.failed += outcome.failed;
        report.queued += outcome.retried;
        progress();
      });
    };

    const refill = () => {
      claiming ??= (async () => {
        try {
          const rows = await claimSends(db, dialect, { issueId, now: this.deps.now(), leaseMs, limit: claimSize });
          if (rows.length === 0) {
            isExhausted = true;
            return;
          }
          for (const r of rows) held.add(r.id);
          // An address suppressed (bounce, complaint) since the issue was queued is skipped.
          const suppressed = await suppressedAmong(db, rows.map((r) => r.email));
          const skipped = rows.filter((r) => suppressed.has(r.email));
          if (skipped.length) {
            await write(() => markSuppressed(db, skipped.map((r) => r.id)));
            for (const r of skipped) held.delete(r.id);
          }
          for (const r of rows) {
            if (r.wasInFlight) report.sending -= 1;
            else report.queued -= 1;
            if (suppressed.has(r.email)) report.suppressed += 1;
            else {
              report.sending += 1;
              queue.push(r);
            }
          }
        } finally {
          claiming = null;
        }
      })();
      return claiming;
    };

    const heartbeat = setInterval(() => {
      if (held.size === 0) return;
      void write(() => extendLeases(db, [...held], this.deps.now() + leaseMs));
    }, Math.max(1000, Math.floor(leaseMs / 3)));
    heartbeat.unref();

    let isServerDown = false;
    const worker = async () => {
      for (;;) {
        if (this.isStopped || writeError || isServerDown) return;
        if (queue.length < claimSize / 2 && !isExhausted) {
          const pending = refill();
          if (queue.length === 0) await pending;
        }
        const row = queue.shift();
        if (!row) {
          if (isExhausted) return;
          if (claiming) await claiming;
          continue;
        }
        await this.rate.take();
        const now = this.deps.now();
        try {
          await transport.sendRaw({ from: issue.sender, to: row.email }, this.render(issue, row, now));
          accepted.push(row.id);
        } catch (err) {
          const isPermanent = isPermanentFailure(err);
          // Anything but a refusal of this recipient or message (no connection, refused login
          // or sender): the server is the trouble, not this address. Stop the pass instead of
          // failing every claimed row the same way.
          const command = (err as { command?: unknown }).command;
          if (command !== 'RCPT TO' && command !== 'DATA') isServerDown = true;
          failures.push({ id: row.id, attempts: row.attempts, isPermanent, error: err instanceof Error ? err.message : String(err) });
          logger?.warn({ issueId, sendId: row.id, isPermanent, code: (err as { responseCode?: number }).responseCode }, 'newsletter copy not accepted');
        }
        if (accepted.length >= markEvery || failures.length > 0 || performance.now() - lastMark > MARK_AFTER_MS) void flush();
      }
    };

    try {
      await Promise.all(Array.from({ length: Math.max(1, this.deps.concurrency) }, worker));
      await claiming;
    } finally {
      clearInterval(heartbeat);
      await flush();
      // Rows claimed but never tried (stopped, server down): back to the queue, the claim undone.
      if (queue.length) {
        const ids = queue.splice(0).map((r) => r.id);
        await write(async () => {
          await db
            .updateTable('newsletter_sends')
            .set((eb) => ({ status: 'queued', lease_until: null, attempts: eb('attempts', '-', 1) }))
            .where('id', 'in', ids)
            .where('status', '=', 'sending')
            .execute();
        });
      }
      await writes;
    }
    if (writeError) throw writeError;
    if (isServerDown) logger?.warn({ issueId }, 'mail server unreachable; the issue goes on at the next pass');
    if (await finishIfDone(db, issueId, this.deps.now())) {
      logger?.info({ issueId }, 'newsletter issue sent');
      this.prepared.delete(issueId);
    }
    const final = await issueReport(db, issueId);
    onProgress?.({ issueId, report: final });
    return final;
  }
}
