/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Curation pages: the front page (lead and top stories), the section tree, and authors. Every
// action is a plain form (move up, move down, remove are small forms of their own), so all of
// it works without the bundled script.
import type { Child } from 'hono/jsx';
import { displayDateTime } from '../../content/dates.ts';
import type { ImageRef } from '../../content/blocks.ts';
import { AdminCsrf, AdminLayout, Flash, NoticeFlash, type AdminFrame, type PageNotice } from '../layout.tsx';
import type { FieldErrors } from '../form-result.ts';
import { liveOrder, MAX_TOP_STORIES, moveTop, removeLead, removeTop, signatureOf, type FrontDraft, type FrontOrder } from '../curation/front-page.ts';
import type { FrontStory, SavedFront } from '../curation/front-store.ts';
import type { SectionListing } from '../curation/section-store.ts';
import { MAX_SECTION_DEPTH, type TreeEntry } from '../curation/sections.ts';
import type { AuthorListing } from '../curation/author-store.ts';
import { MAX_PHOTO_BYTES } from '../curation/authors.ts';

export type Notice = PageNotice;

// ---------------------------------------------------------------------------------------------
// Form pieces

const errorId = (field: string) => `err-${field.replace(/[^A-Za-z0-9-]/g, '-')}`;

/** aria attributes tying a control to its message, when it has one. */
function invalid(errors: FieldErrors, field: string, hintId?: string) {
  const has = errors[field] !== undefined;
  const described = [has ? errorId(field) : '', hintId ?? ''].filter(Boolean).join(' ');
  return { 'aria-invalid': has ? 'true' : undefined, 'aria-describedby': described || undefined };
}

function FieldError(props: { errors: FieldErrors; field: string }) {
  const message = props.errors[props.field];
  return message ? <p class="field-error" id={errorId(props.field)}>{message}</p> : null;
}

function ErrorSummary(props: { errors: FieldErrors; lead: string }) {
  const messages = [...new Set(Object.values(props.errors))];
  if (messages.length === 0) return null;
  return (
    <Flash kind="error">
      <p>{props.lead}</p>
      <ul>{messages.map((m) => <li>{m}</li>)}</ul>
    </Flash>
  );
}

// ---------------------------------------------------------------------------------------------
// Front page

export interface FrontPageProps {
  frame: AdminFrame;
  front: SavedFront;
  /** The latest published stories, newest first. */
  candidates: FrontStory[];
  /** Stories named in `draft` that are not among the candidates (older, or not published). */
  others: Map<number, FrontStory>;
  /** What the arrangement form shows: the saved order, or what was sent when it failed. */
  draft: FrontDraft;
  errors: FieldErrors;
  notice?: Notice;
}

export function FrontPage(props: FrontPageProps) {
  const { frame, front, errors } = props;
  const tz = frame.site.publication.timeZone;
  const basis = signatureOf(front.saved);
  // The small forms send the arrangement without stories unpublished since: saving drops them.
  const live = liveOrder(front);
  const liveIndex = (id: number) => live.top.indexOf(id);
  const choices = [...props.candidates, ...[...props.others.values()].filter((s) => !props.candidates.some((c) => c.id === s.id))];
  const label = (s: FrontStory) => `${s.headline} — ${s.sectionName}${s.publishedAt !== null ? `, ${displayDateTime(s.publishedAt, tz)}` : ''}${s.status !== 'published' ? ` (${s.status})` : ''}`;
  const options = (selected: string, empty: string) => {
    const known = selected === '' || choices.some((s) => String(s.id) === selected);
    return (
      <>
        <option value="">{empty}</option>
        {choices.map((s) => <option value={String(s.id)} selected={String(s.id) === selected}>{label(s)}</option>)}
        {known ? null : <option value={selected} selected>{`Story ${selected} (not available)`}</option>}
      </>
    );
  };
  const slots = Math.max(MAX_TOP_STORIES, props.draft.top.length);

  const row = (story: FrontStory, place: Child, actions: Child, slot: string) => (
    <tr data-front-slot={slot} data-article-id={String(story.id)}>
      <th scope="row">{place}</th>
      <td>
        {story.urlPath && story.status === 'published' ? <a href={story.urlPath}>{story.headline}</a> : story.headline}
        {story.status !== 'published' ? <> <span class={`status status-${story.status}`}>{story.status}</span> <span class="muted">no longer published: skipped on the home page, dropped at the next save</span></> : null}
      </td>
      <td>{story.sectionName}</td>
      <td>{story.publishedAt !== null ? <time datetime={new Date(story.publishedAt).toISOString()}>{displayDateTime(story.publishedAt, tz)}</time> : <span class="muted">—</span>}</td>
      <td><div class="actions">{actions}</div></td>
    </tr>
  );

  return (
    <AdminLayout frame={frame} title="Front page">
      <div class="page-head">
        <h1>Front page</h1>
        <a class="btn btn-quiet" href="/" target="_blank" rel="noopener">View the home page ↗</a>
      </div>
      <NoticeFlash notice={props.notice} />
      <ErrorSummary errors={errors} lead="The front page was not saved:" />
      <p class="hint">The home page opens with the lead story, then the top stories in this order, then the latest stories. A story that is unpublished later leaves the home page by itself.</p>

      <section aria-labelledby="front-now-h">
        <h2 id="front-now-h">On the front page now</h2>
        <table class="list front-now" data-front-current>
          <thead>
            <tr><th scope="col">Place</th><th scope="col">Story</th><th scope="col">Section</th><th scope="col">Published</th><th scope="col">Actions</th></tr>
          </thead>
          <tbody>
            {front.lead
              ? row(front.lead, 'Lead', (
                  <SmallFrontForm frame={frame} basis={basis} order={removeLead(live)} hook="remove-lead">Remove<span class="visually-hidden"> “{front.lead.headline}” as the lead</span></SmallFrontForm>
                ), 'lead')
              : (
                <tr data-front-slot="lead"><th scope="row">Lead</th><td colspan={4} class="muted">None chosen: the newest story leads.</td></tr>
              )}
            {front.top.map((story, i) => {
              const at = liveIndex(story.id);
              const up = at >= 0 ? moveTop(live, at, -1) : null;
              const down = at >= 0 ? moveTop(live, at, 1) : null;
              return row(story, String(i + 1), (
                <>
                  {up ? <SmallFrontForm frame={frame} basis={basis} order={up} hook="move-up">Move up<span class="visually-hidden"> “{story.headline}”</span></SmallFrontForm> : null}
                  {down ? <SmallFrontForm frame={frame} basis={basis} order={down} hook="move-down">Move down<span class="visually-hidden"> “{story.headline}”</span></SmallFrontForm> : null}
                  <SmallFrontForm frame={frame} basis={basis} order={at >= 0 ? removeTop(live, at) : live} hook="remove" isDanger>Remove<span class="visually-hidden"> “{story.headline}”</span></SmallFrontForm>
                </>
              ), String(i + 1));
            })}
          </tbody>
        </table>
        {front.top.length === 0 ? <p class="muted">No top stories chosen: the latest stories follow the lead.</p> : null}
      </section>

      <section aria-labelledby="front-add-h">
        <h2 id="front-add-h">Place a story</h2>
        <form class="form front-add" method="post" action="/admin/front" data-front-add>
          <AdminCsrf frame={frame} />
          <input type="hidden" name="basis" value={basis} />
          <HiddenOrder order={live} />
          <label for="front-pick">
            Story
            <select id="front-pick" name="pick" {...invalid(errors, 'pick', 'front-pick-hint')}>
              <option value="">Choose a story…</option>
              {props.candidates.map((s) => <option value={String(s.id)}>{label(s)}</option>)}
            </select>
          </label>
          <p class="hint" id="front-pick-hint">The latest {String(props.candidates.length)} published stories, newest first. A new lead moves the previous one to the top of the list when there is room.</p>
          <FieldError errors={errors} field="pick" />
          <div class="actions">
            <button class="btn" type="submit" name="place" value="lead" data-front-place="lead">Make it the lead</button>
            <button class="btn btn-quiet" type="submit" name="place" value="top" data-front-place="top">Add to the top stories</button>
          </div>
        </form>
      </section>

      <section aria-labelledby="front-edit-h">
        <h2 id="front-edit-h">Arrange the whole front page</h2>
        <form class="form front-editor" method="post" action="/admin/front" data-front-editor>
          <AdminCsrf frame={frame} />
          <input type="hidden" name="basis" value={basis} />
          <label for="front-lead">
            Lead story
            <select id="front-lead" name="lead" {...invalid(errors, 'lead')} data-front-lead>
              {options(props.draft.lead, 'None: the newest story leads')}
            </select>
          </label>
          <FieldError errors={errors} field="lead" />
          <fieldset class="front-slots" {...(errors.top ? { 'aria-describedby': errorId('top') } : {})}>
            <legend>Top stories, in order (at most {String(MAX_TOP_STORIES)})</legend>
            <FieldError errors={errors} field="top" />
            <ol>
              {Array.from({ length: slots }, (_, i) => (
                <li>
                  <label for={`front-top-${i}`}>
                    <span class="visually-hidden">Top story {String(i + 1)}</span>
                    <select id={`front-top-${i}`} name="top" {...invalid(errors, `top.${i}`)} data-front-top={String(i + 1)}>
                      {options(props.draft.top[i] ?? '', 'Empty')}
                    </select>
                  </label>
                  <FieldError errors={errors} field={`top.${i}`} />
                </li>
              ))}
            </ol>
          </fieldset>
          <div class="actions"><button class="btn" type="submit" data-front-save>Save the front page</button></div>
        </form>
      </section>
    </AdminLayout>
  );
}

function HiddenOrder(props: { order: FrontOrder }) {
  return (
    <>
      {props.order.lead !== null ? <input type="hidden" name="lead" value={String(props.order.lead)} /> : null}
      {props.order.top.map((id) => <input type="hidden" name="top" value={String(id)} />)}
    </>
  );
}

function SmallFrontForm(props: { frame: AdminFrame; basis: string; order: FrontOrder; hook: string; isDanger?: boolean; children?: Child }) {
  return (
    <form method="post" action="/admin/front" class="inline-form">
      <AdminCsrf frame={props.frame} />
      <input type="hidden" name="basis" value={props.basis} />
      <HiddenOrder order={props.order} />
      <button class={`btn btn-small ${props.isDanger ? 'btn-danger' : 'btn-quiet'}`} type="submit" data-front-action={props.hook}>{props.children}</button>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// Sections

export interface NewSectionValues {
  name: string;
  slug: string;
  parentId: string;
  description: string;
}

export function SectionsPage(props: { frame: AdminFrame; tree: TreeEntry<SectionListing>[]; values: NewSectionValues; errors: FieldErrors; notice?: Notice }) {
  const { frame, tree, errors, values } = props;
  const siblingsOf = (s: SectionListing) => tree.filter((e) => e.section.parentId === s.parentId).map((e) => e.section.id);
  return (
    <AdminLayout frame={frame} title="Sections">
      <div class="page-head"><h1>Sections</h1></div>
      <NoticeFlash notice={props.notice} />
      <p class="hint">Top-level sections make the site’s navigation, in this order. A section front lists its own stories and those of its sub-sections.</p>
      {tree.length === 0 ? <p class="muted">No sections yet. Create the first one below.</p> : (
        <table class="list section-tree" data-sections>
          <thead>
            <tr><th scope="col">Section</th><th scope="col">Address</th><th scope="col">Stories</th><th scope="col">Order</th><th scope="col">Actions</th></tr>
          </thead>
          <tbody>
            {tree.map(({ section: s, depth }) => {
              const siblings = siblingsOf(s);
              const at = siblings.indexOf(s.id);
              return (
                <tr data-section-path={s.path} data-depth={String(depth)}>
                  <th scope="row"><span class={`section-name depth-${Math.min(depth, MAX_SECTION_DEPTH - 1)}`}>{depth > 0 ? <span aria-hidden="true" class="muted">↳ </span> : null}{s.name}</span></th>
                  <td><a href={`/${s.path}`}>/{s.path}</a></td>
                  <td data-section-stories={String(s.stories)}>{String(s.stories)}{s.stories !== s.published ? <span class="muted"> ({String(s.published)} published)</span> : null}</td>
                  <td>
                    <div class="actions">
                      {at > 0 ? <SectionMoveForm frame={frame} section={s} by="up" /> : null}
                      {at >= 0 && at < siblings.length - 1 ? <SectionMoveForm frame={frame} section={s} by="down" /> : null}
                    </div>
                  </td>
                  <td>
                    <div class="actions">
                      <a class="btn btn-small btn-quiet" href={`/admin/sections/${s.id}`}>Edit<span class="visually-hidden"> {s.name}</span></a>
                      <SectionDeleteForm frame={frame} section={s} />
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <section aria-labelledby="new-section-h">
        <h2 id="new-section-h">New section</h2>
        <form class="form" method="post" action="/admin/sections" data-section-new>
          <AdminCsrf frame={frame} />
          <div class="grid-2">
            <div>
              <label for="section-name">Name<input id="section-name" type="text" name="name" required maxlength={80} value={values.name} {...invalid(errors, 'name')} /></label>
              <FieldError errors={errors} field="name" />
            </div>
            <div>
              <label for="section-parent">
                Inside
                <select id="section-parent" name="parentId" {...invalid(errors, 'parentId')}>
                  <option value="">Nothing: a top-level section</option>
                  {tree.filter((e) => e.depth < MAX_SECTION_DEPTH - 1).map(({ section: s, depth }) => (
                    <option value={String(s.id)} selected={values.parentId === String(s.id)}>{`${'— '.repeat(depth)}${s.name} (/${s.path})`}</option>
                  ))}
                </select>
              </label>
              <FieldError errors={errors} field="parentId" />
            </div>
          </div>
          <label for="section-slug">
            Address part <span class="hint">optional</span>
            <input id="section-slug" type="text" name="slug" maxlength={60} value={values.slug} {...invalid(errors, 'slug', 'section-slug-hint')} />
          </label>
          <p class="hint" id="section-slug-hint">The last part of the section’s address: the parent’s address, a slash, then this. Left empty, it is made from the name (“Foreign Policy” → Foreign-Policy). It is part of every story URL in the section and cannot be changed later.</p>
          <FieldError errors={errors} field="slug" />
          <label for="section-description">Description<textarea id="section-description" name="description" maxlength={400} rows={3} {...invalid(errors, 'description')}>{values.description}</textarea></label>
          <FieldError errors={errors} field="description" />
          <div class="actions"><button class="btn" type="submit">Create section</button></div>
        </form>
      </section>
    </AdminLayout>
  );
}

function SectionMoveForm(props: { frame: AdminFrame; section: SectionListing; by: 'up' | 'down' }) {
  return (
    <form method="post" action={`/admin/sections/${props.section.id}/move`} class="inline-form">
      <AdminCsrf frame={props.frame} />
      <input type="hidden" name="direction" value={props.by} />
      <button class="btn btn-small btn-quiet" type="submit" data-section-move={props.by}>{props.by === 'up' ? 'Move up' : 'Move down'}<span class="visually-hidden"> {props.section.name}</span></button>
    </form>
  );
}

function SectionDeleteForm(props: { frame: AdminFrame; section: SectionListing }) {
  return (
    <form method="post" action={`/admin/sections/${props.section.id}/delete`} class="inline-form">
      <AdminCsrf frame={props.frame} />
      <button class="btn btn-small btn-danger" type="submit" data-section-delete data-confirm={`Delete the section “${props.section.name}” (/${props.section.path})?`}>Delete<span class="visually-hidden"> {props.section.name}</span></button>
    </form>
  );
}

export function SectionEditPage(props: { frame: AdminFrame; section: SectionListing; values: { name: string; description: string }; errors: FieldErrors; notice?: Notice }) {
  const { frame, section: s, values, errors } = props;
  return (
    <AdminLayout frame={frame} title={`Section: ${s.name}`}>
      <p><a href="/admin/sections">← Sections</a></p>
      <div class="page-head"><h1>Section: {s.name}</h1></div>
      <NoticeFlash notice={props.notice} />
      <dl class="kv">
        <dt>Address</dt><dd><a href={`/${s.path}`}>/{s.path}</a></dd>
        <dt>Stories</dt><dd>{String(s.stories)} ({String(s.published)} published)</dd>
        <dt>Sub-sections</dt><dd>{String(s.children)}</dd>
      </dl>
      <form class="form" method="post" action={`/admin/sections/${s.id}`} data-section-edit>
        <AdminCsrf frame={frame} />
        <label for="section-name">Name<input id="section-name" type="text" name="name" required maxlength={80} value={values.name} {...invalid(errors, 'name', 'section-name-hint')} /></label>
        <p class="hint" id="section-name-hint">Renaming changes what readers see in the navigation and on the section front. The address /{s.path} stays: it is part of every published story’s URL in this section, and links to them must keep working.</p>
        <FieldError errors={errors} field="name" />
        <label for="section-description">Description<textarea id="section-description" name="description" maxlength={400} rows={3} {...invalid(errors, 'description')}>{values.description}</textarea></label>
        <FieldError errors={errors} field="description" />
        <div class="actions"><button class="btn" type="submit">Save section</button></div>
      </form>
      <h2>Delete</h2>
      <p class="hint">Only a section with no stories (drafts included) and no sub-sections can be deleted.</p>
      <SectionDeleteForm frame={frame} section={s} />
    </AdminLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// Authors

export function AuthorsPage(props: { frame: AdminFrame; authors: AuthorListing[]; notice?: Notice }) {
  const { frame, authors } = props;
  return (
    <AdminLayout frame={frame} title="Authors">
      <div class="page-head">
        <h1>Authors</h1>
        <a class="btn" href="/admin/authors/new" data-author-new>New author</a>
      </div>
      <NoticeFlash notice={props.notice} />
      {authors.length === 0 ? <p class="muted">No authors yet. Authors are added when a story names them in its byline, or here.</p> : (
        <table class="list" data-authors>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Title</th><th scope="col">Page</th><th scope="col">Stories</th><th scope="col">Photo</th></tr>
          </thead>
          <tbody>
            {authors.map((a) => (
              <tr data-author-slug={a.slug}>
                <th scope="row"><a href={`/admin/authors/${a.id}`}>{a.name}</a></th>
                <td>{a.title || <span class="muted">—</span>}</td>
                <td><a href={`/author/${a.slug}`}>/author/{a.slug}</a></td>
                <td>{String(a.stories)}</td>
                <td>{a.hasPhoto ? 'Yes' : <span class="muted">None</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminLayout>
  );
}

export interface AuthorValues {
  name: string;
  title: string;
  bio: string;
  slug: string;
  removePhoto: boolean;
}

export function AuthorFormPage(props: { frame: AdminFrame; authorId: number | null; values: AuthorValues; photo: ImageRef | null; errors: FieldErrors; notice?: Notice; isPhotoLost?: boolean }) {
  const { frame, values, errors, photo } = props;
  const isNew = props.authorId === null;
  const action = isNew ? '/admin/authors/new' : `/admin/authors/${props.authorId}`;
  const title = isNew ? 'New author' : `Author: ${values.name}`;
  const thumb = photo ? [...photo.widths].sort((a, b) => a - b)[0] : null;
  return (
    <AdminLayout frame={frame} title={title}>
      <p><a href="/admin/authors">← Authors</a></p>
      <div class="page-head">
        <h1>{isNew ? 'New author' : values.name}</h1>
        {!isNew ? <a class="btn btn-quiet" href={`/author/${values.slug}`} target="_blank" rel="noopener">View the author page ↗</a> : null}
      </div>
      <NoticeFlash notice={props.notice} />
      <ErrorSummary errors={errors} lead="The author was not saved:" />
      <form class="form author-form" method="post" action={action} enctype="multipart/form-data" data-author-form>
        <AdminCsrf frame={frame} />
        <div class="grid-2">
          <div>
            <label for="author-name">Name<input id="author-name" type="text" name="name" required maxlength={120} value={values.name} {...invalid(errors, 'name', 'author-name-hint')} /></label>
            <p class="hint" id="author-name-hint">As it appears in bylines.</p>
            <FieldError errors={errors} field="name" />
          </div>
          <div>
            <label for="author-title">Title<input id="author-title" type="text" name="title" maxlength={120} value={values.title} placeholder="Staff writer" {...invalid(errors, 'title')} /></label>
            <FieldError errors={errors} field="title" />
          </div>
        </div>
        <label for="author-slug">Slug<input id="author-slug" type="text" name="slug" maxlength={90} value={values.slug} {...invalid(errors, 'slug', 'author-slug-hint')} /></label>
        <p class="hint" id="author-slug-hint">The author’s page is /author/<em>slug</em>: letters, digits and single dashes. Left empty, it is made from the name. Changing it changes the page’s address, and old links to it stop working.</p>
        <FieldError errors={errors} field="slug" />
        <label for="author-bio">Bio<textarea id="author-bio" name="bio" maxlength={3000} rows={5} {...invalid(errors, 'bio')}>{values.bio}</textarea></label>
        <FieldError errors={errors} field="bio" />
        <fieldset class="author-photo-field">
          <legend>Photo</legend>
          {photo && thumb ? (
            <p class="author-photo-current">
              <img src={`/media/${photo.id}/${thumb}.jpg`} width={96} height={Math.max(1, Math.round((photo.height * 96) / photo.width))} alt={`Current photo of ${values.name}`} data-author-photo />
            </p>
          ) : null}
          <label for="author-photo">
            {photo ? 'Replace the photo' : 'Upload a photo'}
            <input id="author-photo" type="file" name="photo" accept="image/jpeg,image/png,image/webp,image/gif" {...invalid(errors, 'photo', 'author-photo-hint')} />
          </label>
          <p class="hint" id="author-photo-hint">A JPEG, PNG, WebP or GIF of at most {String(MAX_PHOTO_BYTES / 1024 / 1024)} MB; a square portrait works best.{props.isPhotoLost ? ' Choose the photo again: files are not kept when a form is sent back.' : ''}</p>
          <FieldError errors={errors} field="photo" />
          {photo ? (
            <label class="check" for="author-remove-photo">
              <input id="author-remove-photo" type="checkbox" name="removePhoto" value="1" checked={values.removePhoto} data-author-remove-photo /> Remove the photo
            </label>
          ) : null}
        </fieldset>
        <div class="actions"><button class="btn" type="submit" data-author-save>{isNew ? 'Add author' : 'Save author'}</button></div>
      </form>
    </AdminLayout>
  );
}
