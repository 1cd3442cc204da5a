// Who may read a story's history and who may put an old revision back. Reasons, not
// booleans: the page says why a button is missing, the 403 page why a request was refused.
import type { StaffRole } from '../../db/schema.ts';
import { can, canEditStory, type EditRefusal } from '../permissions.ts';

export interface StoryAccess {
  createdBy: number | null;
  status: 'draft' | 'scheduled' | 'published';
}

type Staff = { id: number; role: StaffRole };

export type HistoryDecision = { allowed: true } | { allowed: false; reason: EditRefusal };

/** The history is for those who may edit the story (editors may edit any). */
export function canSeeHistory(staff: Staff | null, story: StoryAccess): HistoryDecision {
  return canEditStory(staff, story);
}

export type RestoreRefusal = EditRefusal | 'needs-publish';

/**
 * A restore changes the story's words, so it needs the right to edit them; on a scheduled or
 * published story it changes what readers see (or will), which only those who may publish do.
 */
export function canRestore(staff: Staff | null, story: StoryAccess): { allowed: true } | { allowed: false; reason: RestoreRefusal } {
  const edit = canEditStory(staff, story);
  if (!edit.allowed) return edit;
  if (story.status !== 'draft' && !can(staff, 'stories:publish')) return { allowed: false, reason: 'needs-publish' };
  return { allowed: true };
}

/**
 * What a restore puts back. Writers restore words only: in the editor they can never change a
 * story's access class (stories/story-policy.ts chooseAccess keeps the stored one), so a restore
 * must not do it for them either; nor its slug, the story's address, which is the editors'.
 * Editors restore access and slug too.
 */
export interface RestoreScope {
  canRestoreAccess: boolean;
  canRestoreSlug: boolean;
}

export function restoreScope(staff: Staff | null): RestoreScope {
  const isEditor = can(staff, 'stories:publish');
  return { canRestoreAccess: isEditor, canRestoreSlug: isEditor };
}

export function restoreRefusalMessage(reason: RestoreRefusal, what: 'history' | 'restore'): string {
  switch (reason) {
    case 'not-staff':
      return 'This needs a newsroom role.';
    case 'not-yours':
      return what === 'history' ? 'You may see the history of stories you started only.' : 'You may restore revisions of your own drafts only.';
    case 'not-a-draft':
      return what === 'history'
        ? 'This story is no longer a draft: its history is for editors now.'
        : 'This story is no longer a draft: restoring a revision of it needs an editor.';
    case 'needs-publish':
      return 'Restoring a revision of a scheduled or published story needs an editor.';
  }
}
