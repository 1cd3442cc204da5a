// Who in the newsroom may do what: one table, asked in one place (requireStaff) by every
// newsroom route. Writers write; editors also edit anything, publish, curate and send the
// newsletters; admins also run the business (staff, sections, plans and offers, the paywall,
// letters, newsletter lists, settings, readers' accounts).
import type { StaffRole } from '../db/schema.ts';

export type Permission =
  | 'stories:write' // start stories, edit their own drafts, submit them
  | 'stories:edit-any' // edit any story, whoever started it and whatever its status
  | 'stories:publish' // publish, schedule, unpublish, change access, restore revisions
  | 'front:curate' // the home page's lead and top stories
  | 'authors:manage'
  | 'sections:manage'
  | 'staff:manage'
  | 'readers:manage'
  | 'plans:manage'
  | 'paywall:manage'
  | 'letters:manage'
  | 'settings:manage'
  | 'newsletters:send' // arrange, schedule, send and cancel issues of the newsletters
  | 'newsletters:manage' // create lists and change who receives them and when
  | 'editions:publish'; // arrange, correct and publish the Weekly's editions

const WRITER: Permission[] = ['stories:write'];
const EDITOR: Permission[] = [...WRITER, 'stories:edit-any', 'stories:publish', 'front:curate', 'authors:manage', 'newsletters:send', 'editions:publish'];
const ADMIN: Permission[] = [...EDITOR, 'sections:manage', 'staff:manage', 'readers:manage', 'plans:manage', 'paywall:manage', 'letters:manage', 'settings:manage', 'newsletters:manage'];

export const GRANTS: Record<StaffRole, ReadonlySet<Permission>> = {
  writer: new Set(WRITER),
  editor: new Set(EDITOR),
  admin: new Set(ADMIN),
};

export function can(staff: { role: StaffRole } | null, permission: Permission): boolean {
  return staff !== null && GRANTS[staff.role].has(permission);
}

export type EditRefusal = 'not-staff' | 'not-yours' | 'not-a-draft';

/**
 * Whether this staff member may change this story's words: editors and admins any story;
 * a writer only a draft they started (a submitted draft stays theirs until an editor
 * publishes it).
 */
export function canEditStory(
  staff: { id: number; role: StaffRole } | null,
  story: { createdBy: number | null; status: 'draft' | 'scheduled' | 'published' },
): { allowed: true } | { allowed: false; reason: EditRefusal } {
  if (!staff) return { allowed: false, reason: 'not-staff' };
  if (can(staff, 'stories:edit-any')) return { allowed: true };
  if (!can(staff, 'stories:write')) return { allowed: false, reason: 'not-staff' };
  if (story.createdBy !== staff.id) return { allowed: false, reason: 'not-yours' };
  if (story.status !== 'draft') return { allowed: false, reason: 'not-a-draft' };
  return { allowed: true };
}
