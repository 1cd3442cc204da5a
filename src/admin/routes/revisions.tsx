/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// A story's history and the audit log:
//   GET  /admin/stories/:id/revisions                          the revisions, newest first
//   GET  /admin/stories/:id/revisions/:revisionId[?compare=current]  what one changed
//   POST /admin/stories/:id/revisions/:revisionId/restore      its words back, as a new revision
//   GET  /admin/audit[?action=&article=&page=]                 who did what (stories:publish)
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { rowId } from '../row-id.ts';
import { displayDateTime } from '../../content/dates.ts';
import { html } from '../../site/reader-routes.tsx';
import { listAudit, type AuditAction } from '../audit.ts';
import type { NewsroomDeps } from '../deps.ts';
import { requireStaff } from '../guard.tsx';
import type { AdminFrame } from '../layout.tsx';
import { Forbidden } from '../views.tsx';
import { compareSnapshots, summarizeChanges } from '../revisions/compare.ts';
import { canRestore, canSeeHistory, restoreRefusalMessage, restoreScope } from '../revisions/restore-policy.ts';
import { planRestore, picturesNeeded, restorableSnapshot } from '../revisions/restore-input.ts';
import { isSameContent, restoreRevision } from '../revisions/restore.ts';
import { countRevisions, currentSnapshot, getRevision, listRevisions, loadStoryHead, sectionExists, storyHeadlines, type StoryHead } from '../revisions/revision-store.ts';
import { collapseUnchanged } from '../revisions/word-diff.ts';
import { AUDIT_ACTIONS, AUDIT_PAGE_SIZE, AuditPage } from '../views/audit.tsx';
import { HISTORY_PAGE_SIZE, HistoryPage, RevisionPage, StoryNotFound, type RestoreOffer, type RevisionPageProps } from '../views/revisions.tsx';
import { imagesById } from '../../content/queries.ts';

// Row ids: digits only, within a 32-bit integer column.
const pageNumber = z.string().regex(/^\d{1,6}$/).transform(Number).pipe(z.number().int().min(1));
const auditAction = z.enum(AUDIT_ACTIONS as [AuditAction, ...AuditAction[]]);

const parsePage = (raw: string | undefined) => {
  if (raw === undefined || raw === '') return 1;
  const r = pageNumber.safeParse(raw);
  return r.success ? r.data : null;
};

export function revisionsRoutes(deps: NewsroomDeps): Hono {
  const app = new Hono();
  const { db } = deps;
  const timeZone = (frame: AdminFrame) => frame.site.publication.timeZone;

  const notFound = async (c: Context, frame: AdminFrame, what: 'story' | 'revision' = 'story', storyId?: number) =>
    c.html(await html(<StoryNotFound frame={frame} what={what} storyId={storyId} />), 404);
  const forbidden = async (c: Context, frame: AdminFrame, message: string) => c.html(await html(<Forbidden frame={frame} message={message} />), 403);

  /** The story a history route names, and whether this staff member may read its history. */
  const storyFor = async (c: Context, frame: AdminFrame): Promise<StoryHead | Response> => {
    const id = rowId(c.req.param('id'));
    const story = id === null ? null : await loadStoryHead(db, id);
    if (!story) return notFound(c, frame);
    const may = canSeeHistory(frame.staff, story);
    if (!may.allowed) return forbidden(c, frame, restoreRefusalMessage(may.reason, 'history'));
    return story;
  };

  app.get('/admin/stories/:id/revisions', async (c) => {
    const frame = await requireStaff(c, deps, 'stories:write');
    if (frame instanceof Response) return frame;
    const story = await storyFor(c, frame);
    if (story instanceof Response) return story;
    const page = parsePage(c.req.query('page'));
    if (page === null) return notFound(c, frame);
    const [total, list] = await Promise.all([countRevisions(db, story.id), listRevisions(db, story.id, { limit: HISTORY_PAGE_SIZE, offset: (page - 1) * HISTORY_PAGE_SIZE })]);
    if (page > 1 && list.items.length === 0) return notFound(c, frame);
    const formatTime = (ms: number) => displayDateTime(ms, timeZone(frame));
    const rows = list.items.map(({ revision, previous }, i) => ({
      revision,
      summary: previous ? summarizeChanges(compareSnapshots(previous.snapshot, revision.snapshot, { formatTime })) : 'first revision',
      isLatest: page === 1 && i === 0,
    }));
    return c.html(await html(<HistoryPage frame={frame} story={story} rows={rows} total={total} page={page} hasMore={list.hasMore} />));
  });

  /** The revision page, also drawn again when a restore could not be saved. */
  const revisionPage = async (c: Context, frame: AdminFrame, story: StoryHead, opts: { compare: boolean; notice?: RevisionPageProps['notice']; status?: 200 | 409 }) => {
    const revisionId = rowId(c.req.param('revisionId'));
    const found = revisionId === null ? null : await getRevision(db, story.id, revisionId);
    if (!found) return notFound(c, frame, 'revision', story.id);
    const tz = timeZone(frame);
    const formatTime = (ms: number) => displayDateTime(ms, tz);
    const current = await currentSnapshot(db, story.id);
    const { revision, previous } = found;

    let against: RevisionPageProps['against'];
    let comparison = null;
    if (opts.compare && current) {
      against = { kind: 'current' };
      comparison = compareSnapshots(revision.snapshot, current, { formatTime });
    } else if (previous) {
      against = { kind: 'previous', revision: previous };
      comparison = compareSnapshots(previous.snapshot, revision.snapshot, { formatTime });
    } else {
      against = { kind: 'first' };
    }

    let restore: RestoreOffer;
    const may = canRestore(frame.staff, story);
    const scope = restoreScope(frame.staff);
    if (!may.allowed) restore = { kind: 'refused', message: restoreRefusalMessage(may.reason, 'restore') };
    else if (current && isSameContent(restorableSnapshot(revision.snapshot, story, scope), current, tz)) restore = { kind: 'same' };
    else {
      const [images, isSectionKnown] = await Promise.all([imagesById(db, picturesNeeded(revision.snapshot)), sectionExists(db, revision.snapshot.section)]);
      const plan = planRestore({ snapshot: revision.snapshot, current: story, scope, images, isSectionKnown });
      restore = { kind: 'allowed', scope, missingPictures: plan.missingPictures };
    }

    const body = comparison ? collapseUnchanged(comparison.body.items) : [];
    return c.html(
      await html(<RevisionPage frame={frame} story={story} revision={revision} against={against} comparison={comparison} body={body} restore={restore} notice={opts.notice} />),
      opts.status ?? 200,
    );
  };

  app.get('/admin/stories/:id/revisions/:revisionId', async (c) => {
    const frame = await requireStaff(c, deps, 'stories:write');
    if (frame instanceof Response) return frame;
    const story = await storyFor(c, frame);
    if (story instanceof Response) return story;
    const notice = c.req.query('unchanged') === '1' ? { kind: 'warn' as const, text: 'Nothing was restored: the story already holds this revision’s words.' } : undefined;
    return revisionPage(c, frame, story, { compare: c.req.query('compare') === 'current', notice });
  });

  app.post('/admin/stories/:id/revisions/:revisionId/restore', async (c) => {
    const frame = await requireStaff(c, deps, 'stories:write');
    if (frame instanceof Response) return frame;
    const articleId = rowId(c.req.param('id'));
    const revisionId = rowId(c.req.param('revisionId'));
    if (articleId === null) return notFound(c, frame);
    if (revisionId === null) return notFound(c, frame, 'revision', articleId);
    const staff = frame.staff;
    const result = await restoreRevision(
      { db, dialect: deps.dialect },
      { articleId, revisionId, staff: { id: staff.id, role: staff.role, email: staff.email }, now: deps.now(), timeZone: timeZone(frame) },
    );
    if (result.ok) {
      if (!result.isChanged) return c.redirect(`/admin/stories/${articleId}/revisions/${revisionId}?compare=current&unchanged=1`, 303);
      await deps.state.refresh(); // this process's pages show the restored words at once
      deps.logger.info({ articleId, revisionId, staffId: staff.id }, 'revision restored');
      return c.redirect(`/admin/stories/${articleId}/edit?done=restored`, 303);
    }
    switch (result.reason) {
      case 'not-found': {
        const story = await loadStoryHead(db, articleId);
        return story ? notFound(c, frame, 'revision', articleId) : notFound(c, frame);
      }
      case 'invalid': {
        const story = await loadStoryHead(db, articleId);
        if (!story) return notFound(c, frame);
        return revisionPage(c, frame, story, { compare: true, status: 409, notice: { kind: 'error', text: `This revision could not be restored: ${result.message}.` } });
      }
      default:
        return forbidden(c, frame, restoreRefusalMessage(result.reason, 'restore'));
    }
  });

  app.get('/admin/audit', async (c) => {
    const frame = await requireStaff(c, deps, 'stories:publish');
    if (frame instanceof Response) return frame;
    const page = parsePage(c.req.query('page')) ?? 1;
    const parsedAction = auditAction.safeParse(c.req.query('action'));
    const action = parsedAction.success ? parsedAction.data : null;
    const articleId = rowId(c.req.query('article'));
    const rows = await listAudit(db, {
      articleId: articleId ?? undefined,
      action: action ?? undefined,
      limit: AUDIT_PAGE_SIZE + 1, // one more tells whether there is another page
      offset: (page - 1) * AUDIT_PAGE_SIZE,
    });
    const article = articleId === null ? null : { id: articleId, headline: (await storyHeadlines(db, [articleId])).get(articleId) ?? null };
    return c.html(
      await html(<AuditPage frame={frame} rows={rows.slice(0, AUDIT_PAGE_SIZE)} hasMore={rows.length > AUDIT_PAGE_SIZE} filter={{ action, article, page }} />),
    );
  });

  return app;
}
