/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Curation's route table: the front page (front:curate), sections (sections:manage) and
// authors (authors:manage). Each handler parses the form, calls one use case, then redirects
// (303) or sends the form back with its messages (422).
import { Hono, type Context } from 'hono';
import { ImageError, storeImage, type StoredImage } from '../../content/image-store.ts';
import { html } from '../../site/reader-routes.tsx';
import type { NewsroomDeps } from '../deps.ts';
import { requireStaff } from '../guard.tsx';
import type { AdminFrame } from '../layout.tsx';
import { actorOf } from '../audit.ts';
import { fieldErrors, type FieldErrors } from '../form-result.ts';
import { rowId } from '../row-id.ts';
import { getAuthor, listAuthors, saveAuthor } from '../curation/author-store.ts';
import { parseAuthorForm, photoProblem } from '../curation/authors.ts';
import { draftFromForm, draftOf, frontFormSchema, idsIn, liveOrder, type FrontDraft } from '../curation/front-page.ts';
import { findStories, listCandidates, loadFront, saveFrontPage } from '../curation/front-store.ts';
import { createSection, deleteSection, getSection, listSectionTree, moveSection, renameSection } from '../curation/section-store.ts';
import { newSectionSchema, sectionEditSchema } from '../curation/sections.ts';
import {
  AuthorFormPage, AuthorsPage, FrontPage, SectionEditPage, SectionsPage, type AuthorValues, type NewSectionValues, type Notice,
} from '../views/curation.tsx';

const SAVED: Record<string, Notice> = {
  front: { kind: 'ok', text: 'The front page is saved; the home page shows it now.' },
  created: { kind: 'ok', text: 'Section created.' },
  renamed: { kind: 'ok', text: 'Section saved.' },
  moved: { kind: 'ok', text: 'Section order saved.' },
  deleted: { kind: 'ok', text: 'Section deleted.' },
  author: { kind: 'ok', text: 'Author saved; bylines and the author page show it now.' },
};

const EMPTY_SECTION: NewSectionValues = { name: '', slug: '', parentId: '', description: '' };

export function curationRoutes(deps: NewsroomDeps): Hono {
  const app = new Hono();
  const { db } = deps;
  const render = async (c: Context, node: unknown, status = 200) => c.html(await html(node), status as 200);
  const noticeOf = (c: Context): Notice | undefined => {
    const key = c.req.query('saved') ?? '';
    return Object.hasOwn(SAVED, key) ? SAVED[key] : undefined;
  };
  /** Form text fields as strings (a file where text belongs reads as empty). */
  const text = (form: FormData, name: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const texts = (form: FormData, name: string) => form.getAll(name).map((v) => (typeof v === 'string' ? v : ''));
  const idParam = (c: Context): number | null => rowId(c.req.param('id'));

  // ---- Front page ---------------------------------------------------------------------------

  async function frontPage(c: Context, frame: AdminFrame, opts: { draft?: FrontDraft; errors?: FieldErrors; notice?: Notice; status?: number } = {}) {
    const [front, candidates] = await Promise.all([loadFront(db), listCandidates(db)]);
    const draft = opts.draft ?? draftOf(liveOrder(front));
    const others = await findStories(db, idsIn(draft).filter((id) => !candidates.some((s) => s.id === id)));
    return render(c, <FrontPage frame={frame} front={front} candidates={candidates} others={others} draft={draft} errors={opts.errors ?? {}} notice={opts.notice} />, opts.status);
  }

  app.get('/admin/front', async (c) => {
    const frame = await requireStaff(c, deps, 'front:curate');
    if (frame instanceof Response) return frame;
    return frontPage(c, frame, { notice: noticeOf(c) });
  });

  app.post('/admin/front', async (c) => {
    const frame = await requireStaff(c, deps, 'front:curate');
    if (frame instanceof Response) return frame;
    const form = await c.req.formData();
    const parsed = frontFormSchema.safeParse({ lead: text(form, 'lead'), top: texts(form, 'top'), pick: text(form, 'pick'), place: text(form, 'place') || undefined, basis: text(form, 'basis') });
    if (!parsed.success) return frontPage(c, frame, { errors: fieldErrors(parsed.error.issues), status: 422 });
    const { draft, errors } = draftFromForm(parsed.data);
    if (Object.keys(errors).length) return frontPage(c, frame, { draft, errors, status: 422 });
    const result = await saveFrontPage(db, { draft, basis: parsed.data.basis, actor: actorOf(frame), now: deps.now() });
    if (!result.ok) {
      if (result.failure.kind === 'stale') {
        return frontPage(c, frame, { status: 409, notice: { kind: 'warn', text: 'Another editor changed the front page while you were working. This is the front page now: make your change again.' } });
      }
      return frontPage(c, frame, { draft, errors: result.failure.errors, status: 422 });
    }
    await deps.state.refresh();
    return c.redirect('/admin/front?saved=front', 303);
  });

  // ---- Sections -----------------------------------------------------------------------------

  async function sectionsPage(c: Context, frame: AdminFrame, opts: { values?: NewSectionValues; errors?: FieldErrors; notice?: Notice; status?: number } = {}) {
    const tree = await listSectionTree(db);
    return render(c, <SectionsPage frame={frame} tree={tree} values={opts.values ?? EMPTY_SECTION} errors={opts.errors ?? {}} notice={opts.notice} />, opts.status);
  }

  app.get('/admin/sections', async (c) => {
    const frame = await requireStaff(c, deps, 'sections:manage');
    if (frame instanceof Response) return frame;
    return sectionsPage(c, frame, { notice: noticeOf(c) });
  });

  app.post('/admin/sections', async (c) => {
    const frame = await requireStaff(c, deps, 'sections:manage');
    if (frame instanceof Response) return frame;
    const form = await c.req.formData();
    const values: NewSectionValues = { name: text(form, 'name') ?? '', slug: text(form, 'slug') ?? '', parentId: text(form, 'parentId') ?? '', description: text(form, 'description') ?? '' };
    const parsed = newSectionSchema.safeParse(values);
    if (!parsed.success) return sectionsPage(c, frame, { values, errors: fieldErrors(parsed.error.issues), status: 422 });
    const result = await createSection(db, { section: parsed.data, actor: actorOf(frame), now: deps.now() });
    if (!result.ok) {
      const errors = result.failure.kind === 'invalid' ? result.failure.errors : { name: 'The section could not be created.' };
      return sectionsPage(c, frame, { values, errors, status: 422 });
    }
    await deps.state.refresh();
    return c.redirect('/admin/sections?saved=created', 303);
  });

  app.get('/admin/sections/:id', async (c) => {
    const frame = await requireStaff(c, deps, 'sections:manage');
    if (frame instanceof Response) return frame;
    const id = idParam(c);
    const section = id === null ? null : await getSection(db, id);
    if (!section) return c.notFound();
    return render(c, <SectionEditPage frame={frame} section={section} values={{ name: section.name, description: section.description }} errors={{}} notice={noticeOf(c)} />);
  });

  app.post('/admin/sections/:id', async (c) => {
    const frame = await requireStaff(c, deps, 'sections:manage');
    if (frame instanceof Response) return frame;
    const id = idParam(c);
    const section = id === null ? null : await getSection(db, id);
    if (!section) return c.notFound();
    const form = await c.req.formData();
    const values = { name: text(form, 'name') ?? '', description: text(form, 'description') ?? '' };
    const parsed = sectionEditSchema.safeParse(values);
    if (!parsed.success) return render(c, <SectionEditPage frame={frame} section={section} values={values} errors={fieldErrors(parsed.error.issues)} />, 422);
    const result = await renameSection(db, { id: section.id, ...parsed.data, actor: actorOf(frame), now: deps.now() });
    if (!result.ok) return c.notFound();
    await deps.state.refresh();
    return c.redirect(`/admin/sections/${section.id}?saved=renamed`, 303);
  });

  app.post('/admin/sections/:id/move', async (c) => {
    const frame = await requireStaff(c, deps, 'sections:manage');
    if (frame instanceof Response) return frame;
    const id = idParam(c);
    const direction = text(await c.req.formData(), 'direction');
    if (id === null) return c.notFound();
    if (direction !== 'up' && direction !== 'down') return sectionsPage(c, frame, { status: 422, notice: { kind: 'error', text: 'Choose to move the section up or down.' } });
    const result = await moveSection(db, { id, by: direction === 'up' ? -1 : 1, actor: actorOf(frame), now: deps.now() });
    if (!result.ok) return c.notFound();
    await deps.state.refresh();
    return c.redirect('/admin/sections?saved=moved', 303);
  });

  app.post('/admin/sections/:id/delete', async (c) => {
    const frame = await requireStaff(c, deps, 'sections:manage');
    if (frame instanceof Response) return frame;
    const id = idParam(c);
    if (id === null) return c.notFound();
    const result = await deleteSection(db, { id, actor: actorOf(frame), now: deps.now() });
    if (!result.ok) {
      if (result.failure.kind === 'refused') return sectionsPage(c, frame, { status: 409, notice: { kind: 'error', text: `The section was not deleted. ${result.failure.message}` } });
      return c.notFound();
    }
    await deps.state.refresh();
    return c.redirect('/admin/sections?saved=deleted', 303);
  });

  // ---- Authors ------------------------------------------------------------------------------

  app.get('/admin/authors', async (c) => {
    const frame = await requireStaff(c, deps, 'authors:manage');
    if (frame instanceof Response) return frame;
    return render(c, <AuthorsPage frame={frame} authors={await listAuthors(db)} notice={noticeOf(c)} />);
  });

  app.get('/admin/authors/new', async (c) => {
    const frame = await requireStaff(c, deps, 'authors:manage');
    if (frame instanceof Response) return frame;
    return render(c, <AuthorFormPage frame={frame} authorId={null} values={{ name: '', title: '', bio: '', slug: '', removePhoto: false }} photo={null} errors={{}} />);
  });

  app.get('/admin/authors/:id', async (c) => {
    const frame = await requireStaff(c, deps, 'authors:manage');
    if (frame instanceof Response) return frame;
    const id = idParam(c);
    const author = id === null ? null : await getAuthor(db, id);
    if (!author) return c.notFound();
    const values: AuthorValues = { name: author.name, title: author.title, bio: author.bio, slug: author.slug, removePhoto: false };
    return render(c, <AuthorFormPage frame={frame} authorId={author.id} values={values} photo={author.photo} errors={{}} notice={noticeOf(c)} />);
  });

  app.post('/admin/authors/new', (c) => postAuthor(c, null));
  app.post('/admin/authors/:id', (c) => {
    const id = idParam(c);
    return id === null ? c.notFound() : postAuthor(c, id);
  });

  async function postAuthor(c: Context, id: number | null): Promise<Response> {
    const frame = await requireStaff(c, deps, 'authors:manage');
    if (frame instanceof Response) return frame;
    const current = id === null ? null : await getAuthor(db, id);
    if (id !== null && !current) return c.notFound();
    const form = await c.req.formData();
    const values: AuthorValues = {
      name: text(form, 'name') ?? '',
      title: text(form, 'title') ?? '',
      bio: text(form, 'bio') ?? '',
      slug: text(form, 'slug') ?? '',
      removePhoto: text(form, 'removePhoto') !== undefined,
    };
    const upload = form.get('photo');
    const file = upload instanceof File && upload.size > 0 ? upload : null;
    const back = (errors: FieldErrors) =>
      render(c, <AuthorFormPage frame={frame} authorId={id} values={values} photo={current?.photo ?? null} errors={errors} isPhotoLost={file !== null && !errors.photo} />, 422);

    const parsed = parseAuthorForm(values);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    const tooBig = photoProblem(file);
    if (tooBig) errors.photo = tooBig;
    if (!parsed.ok || tooBig) return back(errors);

    let photo: StoredImage | null = null;
    if (file) {
      try {
        photo = await storeImage({ dir: deps.mediaDir, input: Buffer.from(await file.arrayBuffer()) });
      } catch (err) {
        if (err instanceof ImageError) return back({ photo: err.message });
        throw err;
      }
    }
    const result = await saveAuthor(db, { id: id ?? undefined, fields: parsed.value, photo, actor: actorOf(frame), now: deps.now() });
    if (!result.ok) return result.failure.kind === 'invalid' ? back(result.failure.errors) : c.notFound();
    await deps.state.refresh();
    return c.redirect(`/admin/authors/${result.value.id}?saved=author`, 303);
  }

  return app;
}
