// What a staff member may do to a story, what each intent does to its publication, and what
// the audit log says about it: pure decisions over plain data, with reasons, not booleans.
import { displayDate, displayDateTime, displayTime } from '../../content/dates.ts';
import type { AccessClass, ArticleStatus, StaffRole } from '../../db/schema.ts';
import type { AuditAction } from '../audit.ts';
import { can, canEditStory } from '../permissions.ts';
import { INTENTS, type Intent } from './story-form.ts';

/** The facts about a stored story that decisions need. */
export interface StoryState {
  createdBy: number | null;
  status: ArticleStatus;
  publishedAt: number | null;
  submittedAt: number | null;
}

type Staff = { id: number; role: StaffRole };

export type IntentRefusal =
  | 'not-staff' // no newsroom role
  | 'not-yours' // a writer, someone else's story
  | 'not-a-draft' // a writer, a story that is out
  | 'needs-editor' // publish, schedule, unpublish
  | 'not-live' // unpublish a draft
  | 'already-live'; // submit a story that is out; schedule a published one

export type IntentDecision = { allowed: true } | { allowed: false; reason: IntentRefusal };

const EDITOR_INTENTS: ReadonlySet<Intent> = new Set(['publish', 'schedule', 'unpublish']);

/** May `staff` apply `intent` to `story` (null: a story not yet written)? */
export function authorizeIntent(staff: Staff | null, story: StoryState | null, intent: Intent): IntentDecision {
  if (!can(staff, 'stories:write')) return { allowed: false, reason: 'not-staff' };
  if (story) {
    const edit = canEditStory(staff, story);
    if (!edit.allowed) return edit;
  }
  if (EDITOR_INTENTS.has(intent) && !can(staff, 'stories:publish')) return { allowed: false, reason: 'needs-editor' };
  if (intent === 'submit' && story && story.status !== 'draft') return { allowed: false, reason: 'already-live' };
  // Scheduling a live story would take it off the site until then, under another date, with
  // no 'unpublish' in the log: an editor who wants that unpublishes first, visibly.
  if (intent === 'schedule' && story?.status === 'published') return { allowed: false, reason: 'already-live' };
  if (intent === 'unpublish' && (!story || story.status === 'draft')) return { allowed: false, reason: 'not-live' };
  return { allowed: true };
}

/** Refusals about who you are are 403; those about the story's state are 409. */
export function refusalStatus(reason: IntentRefusal): 403 | 409 {
  return reason === 'not-live' || reason === 'already-live' ? 409 : 403;
}

export function refusalMessage(reason: IntentRefusal, intent?: Intent): string {
  switch (reason) {
    case 'not-staff':
      return 'This needs a newsroom role.';
    case 'not-yours':
      return 'Writers can change only the drafts they started. Ask an editor to make this change.';
    case 'not-a-draft':
      return 'This story is out (published or scheduled); only an editor can change it now.';
    case 'needs-editor':
      return 'Only an editor can publish, schedule or unpublish a story. Hand it in instead.';
    case 'not-live':
      return 'This story is not published or scheduled, so there is nothing to unpublish.';
    case 'already-live':
      return intent === 'schedule'
        ? 'This story is already published, so it cannot be scheduled. To move it to a later time, unpublish it first, then schedule it.'
        : 'This story is already out; there is nothing to hand in.';
  }
}

/**
 * Why a save is refused when the story was saved again after the page was opened: the
 * writer's text is kept (in the form, or in the browser for an autosave), never applied over
 * the newer version.
 */
export function staleMessage(opts: { savedAt: number; now: number; timeZone: string; mode: 'form' | 'autosave' }): string {
  const { savedAt, now, timeZone } = opts;
  const isToday = displayDate(savedAt, timeZone) === displayDate(now, timeZone);
  const when = isToday ? `at ${displayTime(savedAt, timeZone)}` : `on ${displayDate(savedAt, timeZone)} at ${displayTime(savedAt, timeZone)}`;
  return opts.mode === 'form'
    ? `Someone else saved this story ${when} since you opened it: your text is below; copy what you need, then reload.`
    : `Not saved: someone else saved this story ${when} since you opened it. Your text is kept in this browser; copy what you need, then reload.`;
}

/**
 * The submit buttons the editor page shows: what the role allows, and what makes sense for
 * the story's state (writers hand in once; a published story is updated, not re-published).
 */
export function offeredIntents(staff: Staff, story: StoryState | null): Intent[] {
  return INTENTS.filter((intent) => {
    if (!authorizeIntent(staff, story, intent).allowed) return false;
    switch (intent) {
      case 'submit':
        return !can(staff, 'stories:publish') && (story === null || story.submittedAt === null);
      case 'publish':
        return story === null || story.status !== 'published';
      default:
        return true;
    }
  });
}

/** What the save writes about publication: when it is (or will be) out, and whether it waits for an editor. */
export interface PublicationPlan {
  /** null: a draft; in the future: scheduled; otherwise published (saveArticle derives the status). */
  publishedAt: number | null;
  submittedAt: number | null;
}

export function planPublication(story: StoryState | null, intent: Intent, opts: { now: number; publishAt: number | null }): PublicationPlan {
  switch (intent) {
    case 'save':
      // A save changes the words, never whether or when the story is out.
      return { publishedAt: story?.publishedAt ?? null, submittedAt: story?.submittedAt ?? null };
    case 'submit':
      return { publishedAt: null, submittedAt: opts.now };
    case 'publish':
      // Updating a published story keeps its date (and so its URL).
      return { publishedAt: story?.status === 'published' && story.publishedAt !== null ? story.publishedAt : opts.now, submittedAt: null };
    case 'schedule':
      if (opts.publishAt === null) throw new Error('schedule needs a time');
      return { publishedAt: opts.publishAt, submittedAt: null };
    case 'unpublish':
      return { publishedAt: null, submittedAt: null };
  }
}

/**
 * The access class to save: editors choose (empty = the section's default); a writer's
 * story keeps what it has, and a new one takes the section's default.
 */
export function chooseAccess(opts: { staff: Staff; stored: AccessClass | null; typed: AccessClass | null; sectionDefault: AccessClass }): AccessClass {
  if (can(opts.staff, 'stories:publish')) return opts.typed ?? opts.sectionDefault;
  return opts.stored ?? opts.sectionDefault;
}

export interface AuditFacts {
  before: { status: ArticleStatus; access: AccessClass; urlPath: string | null; publishedAt: number | null } | null;
  after: { status: ArticleStatus; access: AccessClass; urlPath: string | null; publishedAt: number | null; headline: string };
  intent: Intent;
  correction: string | null;
  timeZone: string;
}

/** The audit log's lines for one save, in the order they happened. */
export function auditTrail(f: AuditFacts): { action: AuditAction; detail: string }[] {
  const out: { action: AuditAction; detail: string }[] = [];
  const { before, after } = f;
  const when = (ms: number | null) => (ms === null ? '' : displayDateTime(ms, f.timeZone));
  if (!before) out.push({ action: 'create', detail: after.headline });
  if (f.intent === 'submit') out.push({ action: 'submit', detail: 'handed in for editing' });
  if (after.status === 'published' && before?.status !== 'published') out.push({ action: 'publish', detail: after.urlPath ?? '' });
  if (f.intent === 'schedule' && after.status === 'scheduled') out.push({ action: 'schedule', detail: `for ${when(after.publishedAt)}` });
  if (f.intent === 'unpublish' && before && before.status !== 'draft') {
    out.push({
      action: 'unpublish',
      detail: before.status === 'published' ? `${before.urlPath ?? ''} now answers 410 Gone` : `no longer scheduled for ${when(before.publishedAt)}`,
    });
  }
  if (before && before.access !== after.access) out.push({ action: 'access', detail: `${before.access} → ${after.access}` });
  if (before?.status === 'published' && after.status === 'published' && before.urlPath && after.urlPath && before.urlPath !== after.urlPath) {
    out.push({ action: 'url', detail: `${before.urlPath} → ${after.urlPath}` });
  }
  if (f.correction) out.push({ action: 'correct', detail: f.correction.length > 200 ? `${f.correction.slice(0, 199)}…` : f.correction });
  return out;
}
