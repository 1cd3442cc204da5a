/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The stories area: the list, the editor, its saves and autosaves. Handlers are thin: ask
// requireStaff, parse, call saveStory (stories/story-actions.ts), render or redirect.
//
//   GET  /admin/stories                  stories:write   the list (filters, search, pages)
//   GET  /admin/stories/new              stories:write   the editor, blank
//   POST /admin/stories                  stories:write   create (multipart; intent = save|submit|publish|schedule)
//   POST /admin/stories/autosave         stories:write   create a draft, answer JSON
//   GET  /admin/stories/:id/edit         + canEditStory  the editor
//   POST /admin/stories/:id              + canEditStory  save (intent = save|submit|publish|schedule|unpublish)
//   POST /admin/stories/:id/autosave     + canEditStory  save a draft, answer JSON (409 for a live story)
//
// The editor's form carries base_updated_at, the story's updated_at when the page was
// rendered (and, after each autosave, the one it answered). A save or autosave whose base is
// not the stored story's updated_at (someone saved since) is refused with 409, the writer's
// text kept: in the form sent back, or in the browser for an autosave.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { displayDateTime } from '../../content/dates.ts';
import type { StoredImage } from '../../content/image-store.ts';
import { listSections } from '../../content/queries.ts';
import { defaultAccessFor } from '../../paywall/meter-policy.ts';
import { getPolicy } from '../../paywall/policy-store.ts';
import { html } from '../../site/reader-routes.tsx';
import type { NewsroomDeps } from '../deps.ts';
import { requireStaff } from '../guard.tsx';
import type { AdminFrame } from '../layout.tsx';
import { can, canEditStory } from '../permissions.ts';
import { saveStory, type StoryContext, type StoryOutcome } from '../stories/story-actions.ts';
import { formValuesOf, loadStory, type StoryRecord } from '../stories/story-record.ts';
import { formValues, parseIntent, type FieldErrors, type Intent, type StoryFormValues } from '../stories/story-form.ts';
import { listBylineAuthors, listStories, parseListFilters } from '../stories/story-list.ts';
import { offeredIntents, refusalMessage, staleMessage } from '../stories/story-policy.ts';
import { Forbidden } from '../views.tsx';
import { rowId } from '../row-id.ts';
import { NoSuchStory, StoryEditorPage, StoryListPage, type PageNotice } from '../views/stories.tsx';
import { getImage } from '../../content/queries.ts';


/** What the page says after a save redirected back to the editor (`?done=`). */
const DONE: Record<string, string> = {
  created: 'Saved as a draft.',
  saved: 'Saved.',
  submitted: 'Handed in: the editors can see it waiting in the list.',
  published: 'Published.',
  scheduled: 'Scheduled.',
  unpublished: 'Unpublished: the story is a draft again and its old address answers “gone” (410).',
  restored: 'Restored: the revision’s words are the story’s words again, saved as a new revision.',
};

export function storiesRoutes(deps: NewsroomDeps): Hono {
  const app = new Hono();

  const storyContext = async (): Promise<StoryContext> => {
    const { site } = await deps.state.current();
    return { db: deps.db, dialect: deps.dialect, mediaDir: deps.mediaDir, now: deps.now, timeZone: site.publication.timeZone };
  };

  app.get('/admin/stories', async (c) => {
    const frame = await requireStaff(c, deps, 'stories:write');
    if (frame instanceof Response) return frame;
    const filters = parseListFilters(c.req.query());
    const [list, sections, authors] = await Promise.all([
      listStories(deps.db, filters, { staffId: frame.staff.id }),
      listSections(deps.db),
      listBylineAuthors(deps.db),
    ]);
    return c.html(await html(<StoryListPage frame={frame} list={list} filters={filters} sections={sections} authors={authors} />));
  });

  app.get('/admin/stories/new', async (c) => {
    const frame = await requireStaff(c, deps, 'stories:write');
    if (frame instanceof Response) return frame;
    const values = formValues({ authors: frame.staff.name, section: c.req.query('section') ?? '' });
    return renderEditor(c, frame, { story: null, values, errors: {}, leadImage: null });
  });

  app.get('/admin/stories/:id{[0-9]+}/edit', async (c) => {
    const frame = await requireStaff(c, deps, 'stories:write');
    if (frame instanceof Response) return frame;
    const id = rowId(c.req.param('id'));
    const story = id === null ? null : await loadStory(deps.db, id);
    if (!story) return notFound(c, frame);
    const edit = canEditStory(frame.staff, story);
    if (!edit.allowed) return c.html(await html(<Forbidden frame={frame} message={refusalMessage(edit.reason)} />), 403);
    const tz = (await deps.state.current()).site.publication.timeZone;
    const done = c.req.query('done');
    const notice = done && DONE[done] ? doneNotice(done, story, tz) : null;
    return renderEditor(c, frame, { story, values: formValuesOf(story, tz), errors: {}, leadImage: story.leadImage, notice });
  });

  // A new story: created by its first save (or first autosave).
  app.post('/admin/stories', (c) => submitForm(c, null));
  app.post('/admin/stories/autosave', (c) => autosave(c, null));
  app.post('/admin/stories/:id{[0-9]+}', (c) => submitForm(c, c.req.param('id')));
  app.post('/admin/stories/:id{[0-9]+}/autosave', (c) => autosave(c, c.req.param('id')));

  async function submitForm(c: Context, rawId: string | null): Promise<Response> {
    const frame = await requireStaff(c, deps, 'stories:write');
    if (frame instanceof Response) return frame;
    const id = rawId === null ? null : rowId(rawId);
    if (rawId !== null && id === null) return notFound(c, frame);
    const fields = await c.req.parseBody();
    const intent = parseIntent(fields.intent);
    if (!intent) return c.text('Unknown action.', 400);
    const outcome = await saveStory(await storyContext(), { staff: frame.staff, storyId: id, intent, mode: 'form', fields });
    if (outcome.ok) {
      await deps.state.refresh();
      const done = outcome.isNew && intent === 'save' ? 'created' : DONE_FOR[intent];
      return c.redirect(`/admin/stories/${outcome.id}/edit?done=${done}`, 303);
    }
    return failedForm(c, frame, outcome, { intent, id, typed: formValues(fields) });
  }

  async function failedForm(
    c: Context,
    frame: AdminFrame,
    outcome: Exclude<StoryOutcome, { ok: true }>,
    { intent, id, typed }: { intent: Intent; id: number | null; typed: StoryFormValues },
  ): Promise<Response> {
    switch (outcome.reason) {
      case 'not-found':
        return notFound(c, frame);
      case 'live-story':
        // Only autosaves are refused this way; a form never gets here.
        return c.text('This story is out; save it from the editor.', 409);
      case 'refused': {
        deps.logger.info({ staffId: frame.staff.id, storyId: id, intent, refusal: outcome.refusal }, 'story action refused');
        if (outcome.status === 403) return c.html(await html(<Forbidden frame={frame} message={outcome.message} />), 403);
        // A request that makes no sense for the story's state: the editor again, as typed.
        const story = id === null ? null : await loadStory(deps.db, id);
        if (!story) return notFound(c, frame);
        return renderEditor(c, frame, { story, values: typed, errors: {}, leadImage: await leadFromValues(typed), notice: { kind: 'error', text: outcome.message } }, 409);
      }
      case 'invalid':
        return renderEditor(c, frame, { story: outcome.story, values: outcome.values, errors: outcome.errors, leadImage: outcome.leadImage ?? (await leadFromValues(outcome.values)) }, 422);
      case 'stale': {
        deps.logger.info({ staffId: frame.staff.id, storyId: id, intent }, 'story save refused: saved by someone else since the page was opened');
        // The story as it now stands around the writer's own text; the form keeps its old base,
        // so sending it again is refused again rather than applied over the newer version.
        const text = staleMessage({ savedAt: outcome.savedAt, now: deps.now(), timeZone: await timeZone(), mode: 'form' });
        const notice: PageNotice = { kind: 'error', text, link: { href: `/admin/stories/${outcome.story.id}/edit`, label: 'Reload the story' } };
        return renderEditor(c, frame, { story: outcome.story, values: outcome.values, errors: {}, leadImage: outcome.leadImage ?? (await leadFromValues(outcome.values)), notice, isStale: true }, 409);
      }
    }
  }

  async function timeZone(): Promise<string> {
    return (await deps.state.current()).site.publication.timeZone;
  }

  async function autosave(c: Context, rawId: string | null): Promise<Response> {
    const frame = await requireStaff(c, deps, 'stories:write');
    if (frame instanceof Response) return frame;
    const id = rawId === null ? null : rowId(rawId);
    if (rawId !== null && id === null) return c.json({ ok: false, reason: 'not-found' }, 404);
    const fields = await c.req.parseBody();
    const outcome = await saveStory(await storyContext(), { staff: frame.staff, storyId: id, intent: 'save', mode: 'autosave', fields });
    if (outcome.ok) {
      if (outcome.isChanged) await deps.state.refresh();
      return c.json({
        ok: true,
        id: outcome.id,
        savedAt: new Date(outcome.savedAt).toISOString(),
        editUrl: `/admin/stories/${outcome.id}/edit`,
        autosaveUrl: `/admin/stories/${outcome.id}/autosave`,
        // Where the form posts from now on: a new story must not be created twice.
        saveUrl: `/admin/stories/${outcome.id}`,
        wordCount: outcome.wordCount,
        // The form's new base_updated_at: the writer's own autosaves never conflict with their next save.
        updatedAt: outcome.savedAt,
      });
    }
    switch (outcome.reason) {
      case 'not-found':
        return c.json({ ok: false, reason: 'not-found' }, 404);
      case 'live-story':
        return c.json({ ok: false, reason: 'live-story', message: 'This story is out; autosave is off. Save it with the buttons.' }, 409);
      case 'refused':
        return c.json({ ok: false, reason: outcome.refusal, message: outcome.message }, outcome.status);
      case 'invalid':
        return c.json({ ok: false, errors: outcome.errors }, 422);
      case 'stale': {
        const message = staleMessage({ savedAt: outcome.savedAt, now: deps.now(), timeZone: await timeZone(), mode: 'autosave' });
        return c.json({ ok: false, reason: 'stale', message, savedAt: new Date(outcome.savedAt).toISOString() }, 409);
      }
    }
  }

  async function renderEditor(
    c: Context,
    frame: AdminFrame,
    page: { story: StoryRecord | null; values: StoryFormValues; errors: FieldErrors; leadImage: StoredImage | null; notice?: PageNotice | null; isStale?: boolean },
    status: 200 | 409 | 422 = 200,
  ): Promise<Response> {
    const [sections, policy] = await Promise.all([listSections(deps.db), getPolicy(deps.db)]);
    const values = { ...page.values };
    if (!page.story && !values.section && sections[0]) values.section = sections[0].path;
    const { story } = page;
    const isPublisher = can(frame.staff, 'stories:publish');
    return c.html(
      await html(
        <StoryEditorPage
          frame={frame}
          story={story}
          values={values}
          errors={page.errors}
          leadImage={page.leadImage}
          sections={sections}
          intents={offeredIntents(frame.staff, story)}
          canSetAccess={isPublisher}
          canSchedule={isPublisher && story?.status !== 'published'}
          canCorrect={isPublisher && story?.status === 'published'}
          sectionDefaultAccess={defaultAccessFor(policy, values.section || story?.sectionPath || '')}
          wordCount={story?.wordCount ?? 0}
          now={deps.now()}
          notice={page.notice}
          isStale={page.isStale}
        />,
      ),
      status,
    );
  }

  /** A refused form still shows the picture it named, if the library has it. */
  async function leadFromValues(values: StoryFormValues): Promise<StoredImage | null> {
    const id = values.lead_image_id.trim();
    return !values.lead_remove && /^[0-9a-f]{24}$/.test(id) ? getImage(deps.db, id) : null;
  }

  return app;
}

const DONE_FOR: Record<Intent, string> = { save: 'saved', submit: 'submitted', publish: 'published', schedule: 'scheduled', unpublish: 'unpublished' };

function doneNotice(done: string, story: StoryRecord, timeZone: string): PageNotice {
  const text = DONE[done];
  if (done === 'scheduled' && story.status === 'scheduled' && story.publishedAt !== null) return { kind: 'ok', text: `Scheduled for ${displayDateTime(story.publishedAt, timeZone)}.` };
  if (done === 'published' && story.status === 'published' && story.urlPath) return { kind: 'ok', text, link: { href: story.urlPath, label: 'See it on the site' } };
  return { kind: 'ok', text };
}

async function notFound(c: Context, frame: AdminFrame): Promise<Response> {
  return c.html(await html(<NoSuchStory frame={frame} />), 404);
}
