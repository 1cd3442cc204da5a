// The newsletters' periodic jobs on both databases: the Daily's draft appears early on a
// scheduled day, is queued at its time (rows written later, by the sender loop) and sent by
// runJobs; days off, late starts and empty issues are each handled once; interrupted queueing
// is finished, and never adds rows to an issue another process moved on.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { DIALECTS } from '../../test/support/databases.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { runNewsletterJobs, LATE_SEND_GRACE_MS } from './newsletter-jobs.ts';
import { getList } from './lists.ts';
import { createIssue, getIssue, resumeQueueing, updateDraft } from './issue-store.ts';
import { writeIssueSends } from './send-queue.ts';
import type { NewsletterList } from './types.ts';

// Friday 20 November 2026 in New York (UTC−5): the Daily goes at 06:00 = 11:00Z.
const FRIDAY_5AM = Date.parse('2026-11-20T10:00:00Z');
const FRIDAY_SEND = Date.parse('2026-11-20T11:00:00Z');

for (const dialect of DIALECTS) {
  describe(`newsletter jobs (${dialect})`, () => {
    let t: TestApp;
    let daily: NewsletterList;
    const db = () => t.app.database.db;
    const jobs = () => runNewsletterJobs({ db: db(), publicUrl: t.app.site.publicUrl(), now: t.clock.now });

    before(async () => {
      t = await startTestApp(dialect);
      daily = (await getList(db(), { slug: 'daily' }))!;
      await db().insertInto('list_members').values({ list_id: daily.id, email: 'early@example.com', reader_id: null, status: 'active', confirm_token_hash: null, confirm_expires_at: null, source: 'site', created_at: FRIDAY_5AM, confirmed_at: FRIDAY_5AM, unsubscribed_at: null }).execute();
      // Inside Friday's story window (Thursday 06:00 to Friday 06:00, New York).
      await t.article({ headline: 'Overnight harbor story', publishedAt: Date.parse('2026-11-20T08:00:00Z') });
    });
    after(() => t.close());

    it('drafts the day\'s issue before its time, queues it at its time, and runJobs sends it', async () => {
      t.clock.now = FRIDAY_5AM;
      const early = await jobs();
      assert.equal(early.drafted.length, 1);
      assert.deepEqual(early.queued, []);
      const draft = (await getIssue(db(), early.drafted[0]))!;
      assert.equal(draft.slug, '2026-11-20');
      assert.equal(draft.status, 'draft');
      assert.equal(draft.send_at, FRIDAY_SEND);
      assert.deepEqual((await jobs()).drafted, [], 'one draft a day');

      t.clock.now = FRIDAY_SEND + 30_000;
      const due = await jobs();
      assert.deepEqual(due.queued, [draft.id]);
      assert.equal((await getIssue(db(), draft.id))!.status, 'queued', 'the tick only moves it on');
      const written = await db().selectFrom('newsletter_sends').select('id').where('issue_id', '=', draft.id).execute();
      assert.deepEqual(written, [], 'no send row is written in the tick');
      await t.app.runJobs();
      assert.equal((await getIssue(db(), draft.id))!.status, 'sent');
      const files = fs.readdirSync(t.app.outboxDir).filter((f) => f.endsWith('.eml'));
      assert.ok(files.some((f) => fs.readFileSync(`${t.app.outboxDir}/${f}`, 'utf8').includes('Overnight harbor story')), 'the copy is in the file outbox');
    });

    it('makes no issue on a day off or when started hours after the send time', async () => {
      t.clock.now = Date.parse('2026-11-21T10:00:00Z');
      assert.deepEqual((await jobs()).drafted, [], 'Saturday is not on the schedule');
      t.clock.now = Date.parse('2026-11-23T11:00:00Z') + LATE_SEND_GRACE_MS + 60_000;
      assert.deepEqual((await jobs()).drafted, [], 'Monday, more than the grace after 06:00');
      const monday = await db().selectFrom('newsletter_issues').select('id').where('list_id', '=', daily.id).where('slug', '=', '2026-11-23').executeTakeFirst();
      assert.equal(monday, undefined);
    });

    it('takes empty or missed scheduled issues off the schedule instead of sending them', async () => {
      const now = t.clock.now;
      const empty = await createIssue(db(), { list: daily, issueDate: '2026-11-23', now, userId: null });
      await updateDraft(db(), empty.id, { storyIds: [], sendAt: now - 60_000 }, { now, userId: null });
      const missed = await createIssue(db(), { list: daily, issueDate: '2026-11-23', now, userId: null });
      await updateDraft(db(), missed.id, { sendAt: now - LATE_SEND_GRACE_MS - 60_000 }, { now, userId: null });
      const result = await jobs();
      assert.deepEqual(result.unscheduled.sort(), [empty.id, missed.id].sort());
      assert.deepEqual(result.queued, []);
      for (const id of [empty.id, missed.id]) {
        const issue = (await getIssue(db(), id))!;
        assert.equal(issue.status, 'draft');
        assert.equal(issue.send_at, null);
      }
    });

    it('finishes queueing that a stopped process left half done', async () => {
      const now = t.clock.now;
      const issue = await createIssue(db(), { list: daily, issueDate: '2026-11-24', now, userId: null });
      await db().updateTable('newsletter_issues').set({ status: 'queued', content: '{}', queued_at: now - 10 * 60_000 }).where('id', '=', issue.id).execute();
      await db().insertInto('newsletter_sends').values({ issue_id: issue.id, email: 'early@example.com', reader_id: null, is_entitled: 0, status: 'queued', attempts: 0, next_attempt_at: now, lease_until: null, last_error: null, sent_at: null }).execute();
      assert.deepEqual(await resumeQueueing(db(), { now, staleMs: 60 * 60_000 }), [], 'rows written and not stale: someone is at it');
      assert.deepEqual(await resumeQueueing(db(), { now }), [issue.id]);
      assert.equal((await getIssue(db(), issue.id))!.status, 'sending');
      const rows = await db().selectFrom('newsletter_sends').select('email').where('issue_id', '=', issue.id).execute();
      assert.deepEqual(rows.map((r) => r.email), ['early@example.com']);
    });

    it('a second process finishing the same queueing adds no row once the issue moved on', async () => {
      const now = t.clock.now;
      const issue = await createIssue(db(), { list: daily, issueDate: '2026-11-25', now, userId: null });
      await db().updateTable('newsletter_issues').set({ status: 'queued', content: '{}', queued_at: now }).where('id', '=', issue.id).execute();
      // The first process finished: the issue went to sending and its copies were sent.
      assert.deepEqual(await resumeQueueing(db(), { now, staleMs: 0, issueId: issue.id }), [issue.id]);
      await db().updateTable('newsletter_sends').set({ status: 'sent', sent_at: now }).where('issue_id', '=', issue.id).execute();
      await db().updateTable('newsletter_issues').set({ status: 'sent', finished_at: now }).where('id', '=', issue.id).execute();
      await db().insertInto('list_members').values({ list_id: daily.id, email: 'late@example.com', reader_id: null, status: 'active', confirm_token_hash: null, confirm_expires_at: null, source: 'site', created_at: now, confirmed_at: now, unsubscribed_at: null }).execute();
      // The second, which read the issue while it was still queued, writes its batch now.
      const written = await writeIssueSends(db(), { issueId: issue.id, list: daily, now });
      assert.equal(written, null, 'it sees the issue moved on');
      const rows = await db().selectFrom('newsletter_sends').select(['email', 'status']).where('issue_id', '=', issue.id).orderBy('email').execute();
      assert.deepEqual(rows, [{ email: 'early@example.com', status: 'sent' }], 'no queued row left in a sent issue');
    });
  });
}
