/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The Weekly in the newsroom (editions:publish — editors and admins):
//   GET  /admin/editions                       the editions, and "Prepare an edition" for a week
//   POST /admin/editions                       prepare (or open) the edition of a week
//   GET|POST /admin/editions/:id               the edition editor (drafts, and corrections to published ones)
//   POST /admin/editions/:id/publish           publish and announce it (audited)
//   GET  /admin/editions/:id/preview.pdf|epub  the files as they stand, for staff
// Handlers parse, call one use case, then redirect (303) or send the form back as typed (422,
// or 409 when someone else saved the edition first).
import { Hono, type Context } from 'hono';
import { displayDateTime } from '../../content/dates.ts';
import type { NewsroomDeps } from '../deps.ts';
import { requireStaff } from '../guard.tsx';
import type { AdminFrame } from '../layout.tsx';
import { actorOf, recordAudit } from '../audit.ts';
import { rowId } from '../row-id.ts';
import type { FieldErrors } from '../form-result.ts';
import { html } from '../../site/reader-routes.tsx';
import { fileStem, sendEditionFile } from '../../editions/edition-download.ts';
import { formBody } from './settings/render.ts';
import { EditionOrderError, editionStoryIds, ensureEdition, getEdition, listEditions, publishEdition, updateEdition, type EditionRow } from '../../editions/edition-store.ts';
import { editionContent, storyChoicesForEdition } from '../../editions/edition-content.ts';
import type { EditionFiles } from '../../editions/edition-files.ts';
import { isoWeekOf, lastCompleteWeek, parseWeek, weekDateLine, weekRange } from '../../editions/week.ts';
import { editionFormValues, parseEditionForm, type EditionFormValues } from '../editions/edition-form.ts';
import { EditionEditorPage, EditionNotFound, EditionsPage, type EditionListing, type EditionStoryInfo, type Notice } from '../views/editions.tsx';

const EDITIONS_PER_PAGE = 20;
const CHOICES = 20;

const SAVED: Record<string, Notice> = {
  saved: { kind: 'ok', text: 'Edition saved.' },
  corrected: { kind: 'ok', text: 'Correction saved: the files readers download are rebuilt with it.' },
  published: { kind: 'ok', text: 'Published: the edition is on the site, and its announcement is queued for the readers holding the Weekly.' },
};

export interface EditionRouteDeps extends NewsroomDeps {
  /** The build cache the site's downloads use too. */
  editionFiles: EditionFiles;
  /** Wakes the background sender after the announcement is queued. */
  kickSender?: () => void;
}

async function page(c: Context, node: unknown, status: 200 | 404 | 409 | 422 = 200): Promise<Response> {
  return c.html(await html(node), status);
}

export function newsroomEditionRoutes(deps: EditionRouteDeps): Hono {
  const app = new Hono();
  const { db } = deps;
  const tzOf = (frame: AdminFrame) => frame.site.publication.timeZone;
  const noticeOf = (c: Context): Notice | undefined => {
    const key = c.req.query('saved') ?? '';
    return Object.hasOwn(SAVED, key) ? SAVED[key] : undefined;
  };
  const editionParam = async (c: Context): Promise<EditionRow | null> => {
    const id = rowId(c.req.param('id'));
    return id === null ? null : getEdition(db, { id });
  };
  const notFound = (c: Context, frame: AdminFrame) => page(c, <EditionNotFound frame={frame} />, 404);

  async function listPage(c: Context, frame: AdminFrame, opts: { prepareWeek?: string; errors?: FieldErrors; status?: 200 | 422 } = {}) {
    const pageNo = Math.min(Math.max(Number.parseInt(c.req.query('page') ?? '1', 10) || 1, 1), 10_000);
    const rows = await listEditions(db, { publishedOnly: false, limit: EDITIONS_PER_PAGE + 1, offset: (pageNo - 1) * EDITIONS_PER_PAGE });
    const tz = tzOf(frame);
    const editions: EditionListing[] = await Promise.all(rows.slice(0, EDITIONS_PER_PAGE).map(async (edition) => ({
      edition,
      dateLine: weekDateLine(edition.week),
      storyCount: (await editionStoryIds(db, { edition, timeZone: tz })).ids.length,
    })));
    const prepareWeek = opts.prepareWeek ?? lastCompleteWeek(deps.now(), tz);
    return page(c, <EditionsPage frame={frame} editions={editions} page={pageNo} hasMore={rows.length > EDITIONS_PER_PAGE} prepareWeek={prepareWeek} errors={opts.errors ?? {}} notice={noticeOf(c)} />, opts.status);
  }

  /** Headline and section of published stories, for the editor's list and the cover choice. */
  async function storyInfo(ids: number[]): Promise<Map<number, EditionStoryInfo>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select(['articles.id', 'articles.headline', 'articles.url_path', 'sections.name as sectionName'])
      .where('articles.id', 'in', ids)
      .where('articles.status', '=', 'published')
      .execute();
    return new Map(rows.map((r) => [r.id, { id: r.id, headline: r.headline, sectionName: r.sectionName, url: r.url_path ?? '' }]));
  }

  async function editorPage(
    c: Context,
    frame: AdminFrame,
    edition: EditionRow,
    opts: { values?: EditionFormValues; errors?: FieldErrors; notice?: Notice; status?: 200 | 409 | 422; isStale?: boolean } = {},
  ): Promise<Response> {
    let values = opts.values;
    if (!values) {
      const { ids } = await editionStoryIds(db, { edition, timeZone: tzOf(frame) });
      values = { ...editionFormValues(edition, ids), q: (c.req.query('q') ?? '').slice(0, 100) };
    }
    const [stories, choices] = await Promise.all([
      storyInfo(values.order),
      storyChoicesForEdition(db, { query: values.q, limit: CHOICES }),
    ]);
    const choiceInfo = await storyInfo(choices.map((s) => s.id));
    return page(c, (
      <EditionEditorPage
        frame={frame} edition={edition} dateLine={weekDateLine(edition.week)} values={values} stories={stories}
        choices={choices.map((s) => choiceInfo.get(s.id) ?? { id: s.id, headline: s.headline, sectionName: s.sectionName, url: '' })}
        errors={opts.errors ?? {}} notice={opts.notice} isStale={opts.isStale}
      />
    ), opts.status ?? 200);
  }

  app.get('/admin/editions', async (c) => {
    const frame = await requireStaff(c, deps, 'editions:publish');
    if (frame instanceof Response) return frame;
    return listPage(c, frame);
  });

  app.post('/admin/editions', async (c) => {
    const frame = await requireStaff(c, deps, 'editions:publish');
    if (frame instanceof Response) return frame;
    const typed = String((await formBody(c)).week ?? '').trim().slice(0, 40);
    const week = parseWeek(typed);
    const tz = tzOf(frame);
    const now = deps.now();
    if (!week) return listPage(c, frame, { prepareWeek: typed, errors: { week: 'Give an ISO week such as 2026-W47.' }, status: 422 });
    if (weekRange(week, tz).startsAt > now) return listPage(c, frame, { prepareWeek: typed, errors: { week: `That week has not begun: the latest is ${isoWeekOf(now, tz)}.` }, status: 422 });
    try {
      const edition = await ensureEdition(db, { week, timeZone: tz, now });
      return c.redirect(`/admin/editions/${edition.id}`, 303);
    } catch (err) {
      // A week before an edition already published cannot be slotted in (numbers are in week order).
      if (err instanceof EditionOrderError) return listPage(c, frame, { prepareWeek: typed, errors: { week: err.message }, status: 422 });
      throw err;
    }
  });

  app.get('/admin/editions/:id{[0-9]+}', async (c) => {
    const frame = await requireStaff(c, deps, 'editions:publish');
    if (frame instanceof Response) return frame;
    const edition = await editionParam(c);
    if (!edition) return notFound(c, frame);
    return editorPage(c, frame, edition, { notice: noticeOf(c) });
  });

  app.post('/admin/editions/:id{[0-9]+}', async (c) => {
    const frame = await requireStaff(c, deps, 'editions:publish');
    if (frame instanceof Response) return frame;
    const edition = await editionParam(c);
    if (!edition) return notFound(c, frame);
    const form = parseEditionForm(await formBody(c));
    if (!form.ok) return editorPage(c, frame, edition, { values: form.values, errors: form.errors, status: 422 });
    const edit = form.value;
    const now = deps.now();
    const saved = await updateEdition(db, edition.id, {
      title: edit.title, intro: edit.intro, coverStoryId: edit.coverStoryId, coverLines: edit.coverLines, ...(edit.storyIds !== undefined ? { storyIds: edit.storyIds } : {}),
    }, { now, userId: frame.staff.id, expectUpdatedAt: edit.expectUpdatedAt });
    if (!saved.ok) {
      switch (saved.reason) {
        case 'not-found':
          return notFound(c, frame);
        case 'stale': {
          // The form keeps its old basis: sending it again is refused again rather than applied over the newer version.
          const current = (await getEdition(db, { id: edition.id })) ?? edition;
          deps.logger.info({ staffId: frame.staff.id, editionId: edition.id }, 'edition save refused: saved by someone else since the page was opened');
          const notice: Notice = {
            kind: 'error',
            text: `Not saved: someone else saved this edition at ${displayDateTime(Number(current.updated_at), tzOf(frame))} since you opened it. Your text is below; copy what you need, then reload.`,
            link: { href: `/admin/editions/${edition.id}`, label: 'Reload the edition' },
          };
          return editorPage(c, frame, current, { values: form.values, notice, status: 409, isStale: true });
        }
        case 'unknown-story':
          return editorPage(c, frame, edition, { values: form.values, errors: { stories: 'A story in the list (or the cover story) is no longer published: remove it, then save again.' }, status: 422 });
      }
    }
    if (edition.status === 'published') {
      await recordAudit(db, { actor: actorOf(frame), action: 'edition', detail: `Weekly No. ${edition.number} (${edition.week}): corrected after publication`, at: now });
    }
    const q = edit.q ? `&q=${encodeURIComponent(edit.q)}` : '';
    const anchor = edit.op.kind === 'search' || edit.op.kind === 'add' ? '#add-story' : '';
    return c.redirect(`/admin/editions/${edition.id}?saved=${edition.status === 'published' ? 'corrected' : 'saved'}${q}${anchor}`, 303);
  });

  app.post('/admin/editions/:id{[0-9]+}/publish', async (c) => {
    const frame = await requireStaff(c, deps, 'editions:publish');
    if (frame instanceof Response) return frame;
    const edition = await editionParam(c);
    if (!edition) return notFound(c, frame);
    const basis = String((await formBody(c)).basis ?? '');
    if (edition.status === 'draft' && basis !== String(edition.updated_at)) {
      return editorPage(c, frame, edition, { status: 409, notice: { kind: 'error', text: 'Not published: the edition changed since you opened it. Check it below, then publish again.' } });
    }
    const now = deps.now();
    const result = await publishEdition({ db, publicUrl: deps.state.publicUrl(), now }, edition.id);
    if (!result.ok) {
      const current = await getEdition(db, { id: edition.id });
      if (result.reason === 'not-found' || !current) return notFound(c, frame);
      if (result.reason === 'no-stories') return editorPage(c, frame, current, { status: 422, errors: { stories: 'Not published: the edition has no stories. Add at least one, or use the automatic selection.' } });
      return editorPage(c, frame, current, { status: 409, notice: { kind: 'warn', text: 'This edition was already published.' } });
    }
    const announced = result.announcedIssueId === null ? 'no announcement' : `announcement issue ${result.announcedIssueId} queued`;
    await recordAudit(db, { actor: actorOf(frame), action: 'edition', detail: `Weekly No. ${edition.number} (${edition.week}): published; ${announced}`, at: now });
    deps.logger.info({ editionId: edition.id, announcedIssueId: result.announcedIssueId }, 'edition published from the newsroom');
    deps.kickSender?.();
    return c.redirect(`/admin/editions/${edition.id}?saved=published`, 303);
  });

  app.get('/admin/editions/:id{[0-9]+}/:file{preview\\.(?:pdf|epub)}', async (c) => {
    const frame = await requireStaff(c, deps, 'editions:publish');
    if (frame instanceof Response) return frame;
    const edition = await editionParam(c);
    if (!edition) return notFound(c, frame);
    const format = c.req.param('file').endsWith('.pdf') ? 'pdf' : 'epub';
    const pub = frame.site.publication;
    const content = await editionContent(db, { edition, mediaDir: deps.mediaDir, publicUrl: deps.state.publicUrl(), timeZone: pub.timeZone, publication: { name: pub.name, tagline: pub.tagline } });
    return sendEditionFile(c, { files: deps.editionFiles, content, format, fileName: `${fileStem(pub.name)}-weekly-${edition.week}-preview.${format}` });
  });

  return app;
}
