import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auditTrail, authorizeIntent, chooseAccess, offeredIntents, planPublication, refusalMessage, refusalStatus, type StoryState } from './story-policy.ts';
import { INTENTS, type Intent } from './story-form.ts';

const NOW = Date.parse('2026-11-20T15:00:00Z');
const writer = { id: 7, role: 'writer' as const };
const editor = { id: 2, role: 'editor' as const };
const admin = { id: 1, role: 'admin' as const };

const draft = (over: Partial<StoryState> = {}): StoryState => ({ createdBy: 7, status: 'draft', publishedAt: null, submittedAt: null, ...over });
const published = draft({ status: 'published', publishedAt: NOW - 3_600_000 });
const scheduled = draft({ status: 'scheduled', publishedAt: NOW + 3_600_000 });

const allowed = (staff: typeof writer | typeof editor | typeof admin, story: StoryState | null) =>
  INTENTS.filter((i) => authorizeIntent(staff, story, i).allowed);

describe('story policy', () => {
  it('lets writers save and hand in their own drafts, and nothing else', () => {
    assert.deepEqual(allowed(writer, null), ['save', 'submit']);
    assert.deepEqual(allowed(writer, draft()), ['save', 'submit']);
    const refusals: [StoryState, Intent, string][] = [
      [draft(), 'publish', 'needs-editor'],
      [draft(), 'schedule', 'needs-editor'],
      [draft(), 'unpublish', 'needs-editor'],
      [draft({ createdBy: 8 }), 'save', 'not-yours'],
      [draft({ createdBy: null }), 'save', 'not-yours'],
      [published, 'save', 'not-a-draft'],
      [published, 'unpublish', 'not-a-draft'],
      [scheduled, 'save', 'not-a-draft'],
    ];
    for (const [story, intent, reason] of refusals) {
      const d = authorizeIntent(writer, story, intent);
      assert.deepEqual(d, { allowed: false, reason }, `${story.status} ${intent}`);
      assert.equal(refusalStatus(reason as never), 403);
    }
  });

  it('lets editors and admins do anything that makes sense for the state', () => {
    for (const staff of [editor, admin]) {
      assert.deepEqual(allowed(staff, null), ['save', 'submit', 'publish', 'schedule']);
      assert.deepEqual(allowed(staff, draft({ createdBy: 99 })), ['save', 'submit', 'publish', 'schedule']);
      assert.deepEqual(allowed(staff, published), ['save', 'publish', 'unpublish']);
      assert.deepEqual(allowed(staff, scheduled), ['save', 'publish', 'schedule', 'unpublish'], 'a scheduled story may be rescheduled');
    }
    assert.deepEqual(authorizeIntent(editor, draft(), 'unpublish'), { allowed: false, reason: 'not-live' });
    assert.deepEqual(authorizeIntent(editor, published, 'submit'), { allowed: false, reason: 'already-live' });
    // Scheduling a live story would take it off the site with no unpublish in the log.
    assert.deepEqual(authorizeIntent(admin, published, 'schedule'), { allowed: false, reason: 'already-live' });
    assert.equal(refusalStatus('already-live'), 409);
    assert.match(refusalMessage('already-live', 'schedule'), /already published.*unpublish it first/);
    assert.match(refusalMessage('already-live', 'submit'), /nothing to hand in/);
    assert.equal(refusalStatus('not-live'), 409);
    assert.equal(authorizeIntent(null, null, 'save').allowed, false);
  });

  it('offers the buttons that fit the role and the story', () => {
    assert.deepEqual(offeredIntents(writer, null), ['save', 'submit']);
    assert.deepEqual(offeredIntents(writer, draft({ submittedAt: NOW })), ['save'], 'handed in once');
    assert.deepEqual(offeredIntents(writer, published), []);
    assert.deepEqual(offeredIntents(editor, draft()), ['save', 'publish', 'schedule']);
    assert.deepEqual(offeredIntents(editor, scheduled), ['save', 'publish', 'schedule', 'unpublish']);
    assert.deepEqual(offeredIntents(editor, published), ['save', 'unpublish']);
  });

  it('plans when a story is out for each intent', () => {
    const at = NOW + 86_400_000;
    assert.deepEqual(planPublication(null, 'save', { now: NOW, publishAt: null }), { publishedAt: null, submittedAt: null });
    assert.deepEqual(planPublication(draft(), 'submit', { now: NOW, publishAt: null }), { publishedAt: null, submittedAt: NOW });
    assert.deepEqual(planPublication(draft({ submittedAt: 5 }), 'save', { now: NOW, publishAt: null }), { publishedAt: null, submittedAt: 5 });
    assert.deepEqual(planPublication(draft({ submittedAt: 5 }), 'publish', { now: NOW, publishAt: null }), { publishedAt: NOW, submittedAt: null });
    assert.deepEqual(planPublication(published, 'save', { now: NOW, publishAt: null }).publishedAt, published.publishedAt, 'the date, and so the URL, stays');
    assert.deepEqual(planPublication(published, 'publish', { now: NOW, publishAt: null }).publishedAt, published.publishedAt);
    assert.deepEqual(planPublication(scheduled, 'save', { now: NOW, publishAt: null }).publishedAt, scheduled.publishedAt);
    assert.deepEqual(planPublication(scheduled, 'publish', { now: NOW, publishAt: null }).publishedAt, NOW);
    assert.deepEqual(planPublication(draft(), 'schedule', { now: NOW, publishAt: at }), { publishedAt: at, submittedAt: null });
    assert.deepEqual(planPublication(published, 'unpublish', { now: NOW, publishAt: null }), { publishedAt: null, submittedAt: null });
  });

  it('lets editors choose access; writers keep what the story has', () => {
    assert.equal(chooseAccess({ staff: editor, stored: 'metered', typed: 'subscriber', sectionDefault: 'free' }), 'subscriber');
    assert.equal(chooseAccess({ staff: editor, stored: 'metered', typed: null, sectionDefault: 'free' }), 'free');
    assert.equal(chooseAccess({ staff: writer, stored: 'metered', typed: 'free', sectionDefault: 'subscriber' }), 'metered');
    assert.equal(chooseAccess({ staff: writer, stored: null, typed: 'free', sectionDefault: 'subscriber' }), 'subscriber');
  });

  it('writes the audit trail of a save', () => {
    const tz = 'America/New_York';
    const before = { status: 'published' as const, access: 'metered' as const, urlPath: '/World/2026/1120/Old', publishedAt: NOW };
    assert.deepEqual(
      auditTrail({ before: null, after: { status: 'draft', access: 'metered', urlPath: null, publishedAt: null, headline: 'Hi' }, intent: 'submit', correction: null, timeZone: tz }).map((e) => e.action),
      ['create', 'submit'],
    );
    assert.deepEqual(
      auditTrail({ before, after: { ...before, access: 'subscriber', urlPath: '/World/2026/1120/New', headline: 'Hi' }, intent: 'save', correction: 'Fixed a name.', timeZone: tz }),
      [
        { action: 'access', detail: 'metered → subscriber' },
        { action: 'url', detail: '/World/2026/1120/Old → /World/2026/1120/New' },
        { action: 'correct', detail: 'Fixed a name.' },
      ],
    );
    const sched = auditTrail({ before: { ...before, status: 'draft', urlPath: null, publishedAt: null }, after: { status: 'scheduled', access: 'metered', urlPath: '/x', publishedAt: Date.parse('2026-12-01T11:00:00Z'), headline: 'Hi' }, intent: 'schedule', correction: null, timeZone: tz });
    assert.deepEqual(sched.map((e) => e.action), ['schedule']);
    assert.match(sched[0].detail, /December 1, 2026.*6:00/);
    const pub = auditTrail({ before: { ...before, status: 'draft', urlPath: null }, after: { status: 'published', access: 'metered', urlPath: '/World/2026/1120/New', publishedAt: NOW, headline: 'Hi' }, intent: 'publish', correction: null, timeZone: tz });
    assert.deepEqual(pub, [{ action: 'publish', detail: '/World/2026/1120/New' }]);
    const un = auditTrail({ before, after: { status: 'draft', access: 'metered', urlPath: null, publishedAt: null, headline: 'Hi' }, intent: 'unpublish', correction: null, timeZone: tz });
    assert.deepEqual(un.map((e) => e.action), ['unpublish']);
    assert.match(un[0].detail, /410/);
  });
});
