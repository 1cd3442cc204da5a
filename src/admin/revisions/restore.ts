// Restoring a revision: its words become the story's again, saved as a new revision through
// the one save path (saveArticle), and written down in the audit log. The story's status and
// publish time stay as they are; a writer's restore also keeps its access class and slug.
import type { ContentContext } from '../../content/article-store.ts';
import { saveArticle } from '../../content/article-store.ts';
import { ContentError } from '../../content/errors.ts';
import { displayDateTime } from '../../content/dates.ts';
import type { StaffRole } from '../../db/schema.ts';
import { recordAudit } from '../audit.ts';
import { compareSnapshots } from './compare.ts';
import { canRestore, restoreScope, type RestoreRefusal } from './restore-policy.ts';
import { planRestore, picturesNeeded, restorableSnapshot } from './restore-input.ts';
import { currentSnapshot, getRevision, loadStoryHead, sectionExists } from './revision-store.ts';
import { imagesById } from '../../content/queries.ts';
import type { RevisionSnapshot } from './snapshot.ts';

export interface RestoreRequest {
  articleId: number;
  revisionId: number;
  staff: { id: number; role: StaffRole; email: string };
  now: number;
  timeZone: string;
}

export type RestoreResult =
  | { ok: true; isChanged: true; urlPath: string | null; missingPictures: string[] }
  | { ok: true; isChanged: false }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: RestoreRefusal }
  | { ok: false; reason: 'invalid'; message: string };

export async function restoreRevision(ctx: ContentContext, req: RestoreRequest): Promise<RestoreResult> {
  const { db } = ctx;
  const story = await loadStoryHead(db, req.articleId);
  if (!story) return { ok: false, reason: 'not-found' };
  const found = await getRevision(db, req.articleId, req.revisionId);
  if (!found) return { ok: false, reason: 'not-found' };
  const decision = canRestore(req.staff, story);
  if (!decision.allowed) return { ok: false, reason: decision.reason };

  const snapshot = found.revision.snapshot;
  const scope = restoreScope(req.staff);
  const current = await currentSnapshot(db, req.articleId);
  // Judged on what this restorer may put back: a writer's restore that would change only the access class changes nothing.
  if (current && isSameContent(restorableSnapshot(snapshot, story, scope), current, req.timeZone)) return { ok: true, isChanged: false };

  const [images, isSectionKnown] = await Promise.all([imagesById(db, picturesNeeded(snapshot)), sectionExists(db, snapshot.section)]);
  const plan = planRestore({ snapshot, current: story, scope, images, isSectionKnown });

  const actor = { id: req.staff.id, email: req.staff.email };
  let detail = `to revision of ${displayDateTime(found.revision.createdAt, req.timeZone)}`;
  if (plan.missingPictures.length) detail += `; pictures no longer stored, left out: ${plan.missingPictures.join(', ')}`;

  let saved;
  try {
    saved = await saveArticle(ctx, plan.input, {
      source: req.staff.email,
      now: req.now,
      timeZone: req.timeZone,
      // In the save's transaction: the audit row and the restored words commit together.
      within: async (tx, result) => {
        // saveArticle gives a draft no publish time; an unpublished story keeps the one it had.
        if (story.status === 'draft' && story.publishedAt !== null) {
          await tx.updateTable('articles').set({ published_at: story.publishedAt }).where('id', '=', story.id).where('status', '=', 'draft').execute();
        }
        await recordAudit(tx, { actor, action: 'restore', articleId: story.id, detail, at: req.now });
        if (plan.input.access !== story.access) {
          await recordAudit(tx, { actor, action: 'access', articleId: story.id, detail: `${story.access} → ${plan.input.access} (restore)`, at: req.now });
        }
        if (story.urlPath && result.urlPath && result.urlPath !== story.urlPath) {
          await recordAudit(tx, { actor, action: 'url', articleId: story.id, detail: `${story.urlPath} → ${result.urlPath} (restore)`, at: req.now });
        }
      },
    });
  } catch (err) {
    if (err instanceof ContentError) return { ok: false, reason: 'invalid', message: err.message };
    throw err;
  }
  return { ok: true, isChanged: true, urlPath: saved.urlPath, missingPictures: plan.missingPictures };
}

/** Whether restoring would change nothing a restore touches (publish time and corrections are not). */
export function isSameContent(revision: RevisionSnapshot, current: RevisionSnapshot, timeZone: string): boolean {
  const c = compareSnapshots(revision, current, { formatTime: (ms) => displayDateTime(ms, timeZone) });
  return !c.body.isChanged && c.fields.every((f) => f.field === 'published' || f.field === 'corrections');
}
