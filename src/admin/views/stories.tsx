/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The stories area's pages: the list of every story, and the editor. The editor is one
// multipart form that works without JavaScript; the bundled script finds its data-* hooks
// (live preview, autosave, word count, drag-and-drop pictures) and enhances it.
import type { Child } from 'hono/jsx';
import type { ImageRef } from '../../content/blocks.ts';
import { articleUrlPath } from '../../content/article-store.ts';
import { displayDateTime } from '../../content/dates.ts';
import { slugify } from '../../content/slug.ts';
import type { AccessClass } from '../../db/schema.ts';
import { AdminCsrf, AdminLayout, NoticeFlash, type AdminFrame, type PageNotice } from '../layout.tsx';
import { canEditStory } from '../permissions.ts';
import { readingMinutes, STORY_FIELDS, type FieldErrors, type Intent, type StoryField, type StoryFormValues } from '../stories/story-form.ts';
import { LIST_STATUSES, listQueryString, type ListStatus, type StoryListFilters, type StoryListPage } from '../stories/story-list.ts';
import type { StoryRecord } from '../stories/story-record.ts';

export type { PageNotice };

const STATUS_LABELS: Record<ListStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  scheduled: 'Scheduled',
  published: 'Published',
};

function StatusBadge(props: { status: ListStatus }) {
  return <span class={`status status-${props.status}`} data-status={props.status}>{STATUS_LABELS[props.status]}</span>;
}

function When(props: { ms: number; timeZone: string }) {
  return <time datetime={new Date(props.ms).toISOString()}>{displayDateTime(props.ms, props.timeZone)}</time>;
}

// ---------------------------------------------------------------------------------------------
// The list

export interface StoryListProps {
  frame: AdminFrame;
  list: StoryListPage;
  filters: StoryListFilters;
  sections: { path: string; name: string }[];
  authors: { slug: string; name: string }[];
  notice?: PageNotice | null;
}

export function StoryListPage(props: StoryListProps) {
  const { frame, list, filters } = props;
  const tz = frame.site.publication.timeZone;
  const isFiltered = Boolean(filters.status || filters.section || filters.author || filters.q || filters.mine);
  const count = `${list.total.toLocaleString('en-US')} ${list.total === 1 ? 'story' : 'stories'}`;
  return (
    <AdminLayout frame={frame} title="Stories">
      <div class="page-head">
        <h1>Stories</h1>
        <a class="btn" href="/admin/stories/new" data-new-story>Write a story</a>
      </div>
      <NoticeFlash notice={props.notice} />
      <form class="filters" method="get" action="/admin/stories" role="search" aria-label="Filter stories" data-story-filters>
        <label>
          Search headlines and deks
          <input type="search" name="q" value={filters.q ?? ''} maxlength={200} />
        </label>
        <label>
          Status
          <select name="status">
            <option value="">Any status</option>
            {LIST_STATUSES.map((s) => <option value={s} selected={filters.status === s}>{STATUS_LABELS[s]}</option>)}
          </select>
        </label>
        <label>
          Section
          <select name="section">
            <option value="">Any section</option>
            {props.sections.map((s) => <option value={s.path} selected={filters.section === s.path}>{s.path.replace(/\//g, ' › ')}</option>)}
          </select>
        </label>
        <label>
          Byline
          <select name="author">
            <option value="">Anyone</option>
            {props.authors.map((a) => <option value={a.slug} selected={filters.author === a.slug}>{a.name}</option>)}
          </select>
        </label>
        <label class="check">
          <span><input type="checkbox" name="mine" value="1" checked={filters.mine} /> Started by me</span>
        </label>
        <button class="btn btn-quiet" type="submit">Filter</button>
        {isFiltered ? <a href="/admin/stories">Clear filters</a> : null}
      </form>
      <p class="muted" data-story-count={list.total}>
        {isFiltered ? `${count} match.` : `${count} in all.`}
        {list.pageCount > 1 ? ` Page ${list.page} of ${list.pageCount}.` : ''}
      </p>
      {list.rows.length === 0 ? (
        <p>{isFiltered ? 'No story matches these filters.' : 'No stories yet. Write the first one.'}</p>
      ) : (
        <table class="list stories-list">
          <caption class="visually-hidden">Stories, the most recently changed first</caption>
          <thead>
            <tr>
              <th scope="col">Headline</th>
              <th scope="col">Status</th>
              <th scope="col">Section</th>
              <th scope="col">Bylines</th>
              <th scope="col">Updated</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.rows.map((r) => {
              const edit = canEditStory(frame.staff, { createdBy: r.createdBy, status: r.status });
              const editUrl = `/admin/stories/${r.id}/edit`;
              return (
                <tr data-story-row={r.id} data-status={r.listStatus} data-editable={edit.allowed ? 'true' : 'false'}>
                  <td>
                    {edit.allowed ? <a href={editUrl}>{r.headline}</a> : <span>{r.headline}</span>}
                    {r.dek ? <div class="muted story-dek">{r.dek}</div> : null}
                    {r.createdByName ? <div class="muted story-by">Started by {r.createdBy === frame.staff.id ? 'you' : r.createdByName}</div> : null}
                  </td>
                  <td>
                    <StatusBadge status={r.listStatus} />
                    {r.listStatus === 'scheduled' && r.publishedAt !== null ? <div class="muted">for <When ms={r.publishedAt} timeZone={tz} /></div> : null}
                  </td>
                  <td>{r.sectionPath.replace(/\//g, ' › ')}</td>
                  <td>{r.authors.join(', ')}</td>
                  <td><When ms={r.updatedAt} timeZone={tz} /></td>
                  <td>
                    <div class="actions">
                      {edit.allowed ? (
                        <a class="btn btn-small btn-quiet" href={editUrl} aria-label={`Edit “${r.headline}”`}>Edit</a>
                      ) : (
                        <span class="muted" data-view-only>{edit.reason === 'not-yours' ? 'View only: not yours' : 'View only: editors change it now'}</span>
                      )}
                      {r.status === 'published' && r.urlPath ? <a href={r.urlPath} aria-label={`View “${r.headline}” on the site`}>View</a> : null}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {list.pageCount > 1 ? (
        <nav class="pager" aria-label="Pages of stories">
          {list.page > 1 ? <a rel="prev" href={`/admin/stories${listQueryString(filters, list.page - 1)}`}>← Newer</a> : null}
          <span>Page {list.page} of {list.pageCount}</span>
          {list.page < list.pageCount ? <a rel="next" href={`/admin/stories${listQueryString(filters, list.page + 1)}`}>Older →</a> : null}
        </nav>
      ) : null}
    </AdminLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// The editor

export interface StoryEditorProps {
  frame: AdminFrame;
  /** null: a story not yet saved. */
  story: StoryRecord | null;
  values: StoryFormValues;
  errors: FieldErrors;
  /** The lead picture to show (stored, just uploaded, or named by the form). */
  leadImage: ImageRef | null;
  sections: { path: string; name: string }[];
  /** The submit buttons to offer. */
  intents: Intent[];
  canSetAccess: boolean;
  canSchedule: boolean;
  canCorrect: boolean;
  /** The access class "section default" stands for in the chosen section. */
  sectionDefaultAccess: AccessClass;
  wordCount: number;
  now: number;
  notice?: PageNotice | null;
  /** The form holds the writer's text over a story someone else saved since: nothing autosaves it. */
  isStale?: boolean;
}

const FIELD_LABELS: Record<StoryField, string> = {
  headline: 'Headline',
  dek: 'Dek',
  section: 'Section',
  authors: 'Bylines',
  tags: 'Tags',
  dateline: 'Dateline',
  access: 'Access',
  slug: 'Slug',
  publish_at: 'Publish at',
  lead_image_id: 'Lead picture',
  lead_image: 'Lead picture',
  lead_caption: 'Caption',
  lead_credit: 'Credit',
  lead_alt: 'Alt text',
  body: 'Body',
  correction: 'Correction',
};

const fieldId = (name: StoryField) => `story-${name.replace(/_/g, '-')}`;

/** The attributes that tie a control to its label, hint and error. */
function control(name: StoryField, errors: FieldErrors, hasHint = false) {
  const id = fieldId(name);
  const described = [hasHint ? `${id}-hint` : '', errors[name] ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { id, name, 'aria-invalid': errors[name] ? ('true' as const) : undefined, 'aria-describedby': described || undefined };
}

function Hint(props: { name: StoryField; children?: Child }) {
  return <span class="hint" id={`${fieldId(props.name)}-hint`}>{props.children}</span>;
}

function FieldError(props: { name: StoryField; errors: FieldErrors }) {
  const message = props.errors[props.name];
  return message ? <span class="field-error" id={`${fieldId(props.name)}-error`}>{message}</span> : null;
}

function Field(props: { name: StoryField; label: string; hint?: Child; errors: FieldErrors; children?: Child }) {
  return (
    <div class="field" data-field={props.name}>
      <label for={fieldId(props.name)}>{props.label}</label>
      {props.hint ? <Hint name={props.name}>{props.hint}</Hint> : null}
      {props.children}
      <FieldError name={props.name} errors={props.errors} />
    </div>
  );
}

function ErrorSummary(props: { errors: FieldErrors }) {
  const entries = STORY_FIELDS.filter((f) => props.errors[f]).map((f) => [f, props.errors[f]!] as const);
  if (entries.length === 0) return null;
  return (
    <div class="notice notice-error error-summary" role="alert" tabindex={-1} data-error-summary>
      <h2>The story was not saved: {entries.length === 1 ? 'one thing needs' : `${entries.length} things need`} attention</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li><a href={`#${fieldId(field)}`}>{FIELD_LABELS[field]}: {message}</a></li>
        ))}
      </ul>
    </div>
  );
}

function intentButton(intent: Intent, story: StoryRecord | null): { label: string; className: string; confirm?: string } {
  const status = story?.status ?? 'draft';
  switch (intent) {
    case 'save':
      return { label: status === 'published' ? 'Update the live story' : status === 'scheduled' ? 'Save changes' : 'Save draft', className: status === 'draft' ? 'btn btn-quiet' : 'btn' };
    case 'submit':
      return { label: 'Hand in to the editors', className: 'btn' };
    case 'publish':
      return { label: 'Publish now', className: 'btn', confirm: status === 'scheduled' ? 'Publish this story now instead of at its scheduled time?' : undefined };
    case 'schedule':
      return { label: status === 'scheduled' ? 'Reschedule' : 'Schedule', className: 'btn btn-quiet' };
    case 'unpublish':
      return {
        label: 'Unpublish',
        className: 'btn btn-danger',
        confirm: status === 'published' ? 'Unpublish this story? It becomes a draft and its address answers “gone” (410).' : 'Cancel the schedule and make this story a draft again?',
      };
  }
}

function mediaThumb(image: ImageRef): { src: string; width: number; height: number } {
  const widths = [...image.widths].sort((a, b) => a - b);
  const w = widths.find((x) => x >= 800) ?? widths[widths.length - 1];
  return { src: `/media/${image.id}/${w}.webp`, width: w, height: Math.max(1, Math.round((image.height * w) / image.width)) };
}

export function StoryEditorPage(props: StoryEditorProps) {
  const { frame, story, values, errors } = props;
  const tz = frame.site.publication.timeZone;
  const isNew = story === null;
  const status = story ? (story.status === 'draft' && story.submittedAt !== null ? 'submitted' : story.status) : null;
  const autosaveUrl = story ? `/admin/stories/${story.id}/autosave` : '/admin/stories/autosave';
  const action = story ? `/admin/stories/${story.id}` : '/admin/stories';
  const title = isNew ? 'New story' : `Edit: ${story.headline}`;
  const slugShown = values.slug.trim() || slugify(values.headline.trim()) || 'Your-headline';
  const sectionShown = values.section || props.sections[0]?.path || 'Section';
  const urlAt = story?.status !== 'draft' && story?.publishedAt ? story.publishedAt : props.now;
  const urlPreview = articleUrlPath(sectionShown, urlAt, slugShown, tz);
  const lead = props.leadImage;
  const thumb = lead ? mediaThumb(lead) : null;
  const minutes = readingMinutes(props.wordCount);
  return (
    <AdminLayout frame={frame} title={title}>
      <div class="page-head">
        <h1>{isNew ? 'New story' : 'Edit story'}</h1>
        <div class="actions">
          {status ? <StatusBadge status={status} /> : null}
          {story ? <a href={`/admin/stories/${story.id}/preview?as=anonymous`} data-preview-link>Preview as a reader</a> : null}
          {story ? <a href={`/admin/stories/${story.id}/revisions`} data-history-link>History</a> : null}
          {story?.status === 'published' && story.urlPath ? <a href={story.urlPath}>View on the site</a> : null}
          <a href="/admin/stories">All stories</a>
        </div>
      </div>
      {story ? (
        <p class="muted story-meta">
          {story.status === 'published' && story.publishedAt !== null ? <>Published <When ms={story.publishedAt} timeZone={tz} />. </> : null}
          {story.status === 'scheduled' && story.publishedAt !== null ? <>Scheduled for <When ms={story.publishedAt} timeZone={tz} />. </> : null}
          {story.submittedAt !== null && story.status === 'draft' ? <>Handed in <When ms={story.submittedAt} timeZone={tz} />. </> : null}
          Last saved <When ms={story.updatedAt} timeZone={tz} />.
        </p>
      ) : null}
      <NoticeFlash notice={props.notice} />
      <ErrorSummary errors={errors} />
      <form
        id="story-form"
        class="form story-form"
        method="post"
        action={action}
        enctype="multipart/form-data"
        data-story-form=""
        data-story-id={story ? String(story.id) : ''}
        data-autosave-url={autosaveUrl}
        data-story-status={story?.status ?? 'new'}
        data-story-stale={props.isStale ? '' : undefined}
      >
        <AdminCsrf frame={frame} />
        {/* The version of the story this page was made from; autosave moves it on as it saves. */}
        <input type="hidden" name="base_updated_at" value={values.base_updated_at} data-base-updated-at />
        <div class="story-grid">
          <div class="story-main">
            <Field name="headline" label="Headline" errors={errors}>
              <input type="text" {...control('headline', errors)} value={values.headline} autocomplete="off" required />
            </Field>
            <Field name="dek" label="Dek" hint="One sentence under the headline that says what the story is." errors={errors}>
              <textarea {...control('dek', errors, true)} rows={2}>{values.dek}</textarea>
            </Field>
            <div class="field body-field">
              <label for={fieldId('body')}>Body</label>
              <Hint name="body">Markdown. The dateline is set before the first paragraph for you.</Hint>
              <div class="body-toolbar">
                <button type="button" class="btn btn-quiet btn-small" data-insert-image>Insert picture</button>
                <input type="file" accept="image/*" data-inline-image-input hidden aria-label="Picture to insert into the body" />
              </div>
              <div class="body-panes">
                <textarea {...control('body', errors, true)} rows={24} data-body-editor spellcheck>{values.body}</textarea>
                <div class="body-preview" data-body-preview aria-live="off" role="region" aria-label="Preview of the body" tabindex={0}></div>
              </div>
              <FieldError name="body" errors={errors} />
              <p class="body-stats muted">
                <span data-word-count>{props.wordCount}</span> words · about <span data-reading-time>{minutes}</span> min to read
                {' '}<span data-autosave-status aria-live="polite"></span>
              </p>
              <MarkdownCheatSheet />
            </div>
          </div>

          <div class="story-side">
            <fieldset>
              <legend>Where it runs</legend>
              <Field name="section" label="Section" errors={errors}>
                <select {...control('section', errors)}>
                  <option value="" selected={values.section === ''}>Choose a section</option>
                  {props.sections.map((s) => <option value={s.path} selected={values.section === s.path}>{s.path.replace(/\//g, ' › ')}</option>)}
                </select>
              </Field>
              <Field
                name="slug"
                label="Slug"
                errors={errors}
                hint={
                  <>
                    {story?.status === 'published' ? 'Changing it moves the story; the old address sends readers on (301).' : 'Leave empty to make it from the headline.'}
                    {' '}Address: <code data-story-url>{urlPreview}</code>
                    {story?.status === 'published' ? null : ' (dated the day it is published)'}
                  </>
                }
              >
                <input type="text" {...control('slug', errors, true)} value={values.slug} placeholder={slugify(values.headline.trim()) || undefined} autocomplete="off" spellcheck={false} />
              </Field>
              {props.canSetAccess ? (
                <Field name="access" label="Access" errors={errors}>
                  <select {...control('access', errors)}>
                    <option value="" selected={values.access === ''}>Section default ({props.sectionDefaultAccess})</option>
                    <option value="free" selected={values.access === 'free'}>Free for everyone</option>
                    <option value="metered" selected={values.access === 'metered'}>Metered</option>
                    <option value="subscriber" selected={values.access === 'subscriber'}>Subscribers only</option>
                  </select>
                </Field>
              ) : (
                <p class="hint" data-access-readonly>Access: {story?.access ?? props.sectionDefaultAccess} (editors decide).</p>
              )}
              {props.canSchedule ? (
                <Field
                  name="publish_at"
                  label="Publish at"
                  hint={`For “Schedule”; ${tz} time. On the night clocks go back, a time in the repeated hour means the first of the two.`}
                  errors={errors}
                >
                  <input type="datetime-local" {...control('publish_at', errors, true)} value={values.publish_at} />
                </Field>
              ) : null}
            </fieldset>

            <fieldset>
              <legend>Credits</legend>
              <Field name="authors" label="Bylines" hint="Names separated by commas; a new name becomes an author." errors={errors}>
                <input type="text" {...control('authors', errors, true)} value={values.authors} autocomplete="off" />
              </Field>
              <Field name="dateline" label="Dateline" hint="Where it was filed from, e.g. SOCHI, Russia." errors={errors}>
                <input type="text" {...control('dateline', errors, true)} value={values.dateline} autocomplete="off" />
              </Field>
              <Field name="tags" label="Tags" hint="Separated by commas." errors={errors}>
                <input type="text" {...control('tags', errors, true)} value={values.tags} autocomplete="off" />
              </Field>
            </fieldset>

            <fieldset class="lead-fieldset">
              <legend>Lead picture</legend>
              <div class="lead-drop" data-lead-drop>
                {thumb ? (
                  <img data-lead-preview src={thumb.src} width={thumb.width} height={thumb.height} alt="The lead picture as chosen" />
                ) : (
                  <p class="hint" data-lead-hint>Drop a picture here or choose a file</p>
                )}
                <label for={fieldId('lead_image')}>
                  {lead ? 'Replace with a file' : 'Picture file'}
                  <input type="file" {...control('lead_image', errors)} accept="image/jpeg,image/png,image/webp,image/gif" />
                </label>
                <input type="hidden" name="lead_image_id" value={values.lead_remove ? '' : values.lead_image_id} />
                <FieldError name="lead_image" errors={errors} />
              </div>
              {lead ? (
                <label class="check" for="story-lead-remove">
                  <span><input type="checkbox" id="story-lead-remove" name="lead_remove" value="1" checked={values.lead_remove} /> Remove the picture</span>
                </label>
              ) : null}
              <Field name="lead_caption" label="Caption" errors={errors}>
                <textarea {...control('lead_caption', errors)} rows={2}>{values.lead_caption}</textarea>
              </Field>
              <Field name="lead_credit" label="Credit" hint="Photographer/Agency, e.g. Joshua Roberts/AP." errors={errors}>
                <input type="text" {...control('lead_credit', errors, true)} value={values.lead_credit} autocomplete="off" />
              </Field>
              <Field name="lead_alt" label="Alt text" hint="What the picture shows, for readers who cannot see it." errors={errors}>
                <textarea {...control('lead_alt', errors, true)} rows={2}>{values.lead_alt}</textarea>
              </Field>
            </fieldset>

            {props.canCorrect && story ? (
              <fieldset>
                <legend>Corrections</legend>
                {story.corrections.length ? (
                  <ul class="corrections-list">
                    {story.corrections.map((c) => <li><When ms={c.at} timeZone={tz} />: {c.text}</li>)}
                  </ul>
                ) : null}
                <Field name="correction" label="New correction" hint="Added at the end of the story, dated now. Say what was wrong and what is right." errors={errors}>
                  <textarea {...control('correction', errors, true)} rows={3}>{values.correction}</textarea>
                </Field>
              </fieldset>
            ) : null}

            <div class="actions story-buttons">
              {props.intents.map((intent) => {
                const b = intentButton(intent, story);
                return <button class={b.className} type="submit" name="intent" value={intent} data-confirm={b.confirm}>{b.label}</button>;
              })}
            </div>
          </div>
        </div>
      </form>
    </AdminLayout>
  );
}

function MarkdownCheatSheet() {
  return (
    <details class="cheatsheet">
      <summary>Markdown cheat-sheet</summary>
      <dl>
        <dt><code>## A heading</code></dt>
        <dd>A sub-heading; <code>###</code> for a smaller one.</dd>
        <dt><code>*italic*</code>, <code>**bold**</code></dt>
        <dd>Emphasis.</dd>
        <dt><code>[the words](https://example.com)</code></dt>
        <dd>A link.</dd>
        <dt><code>- an item</code> / <code>1. an item</code></dt>
        <dd>A bulleted or numbered list, one item a line.</dd>
        <dt><code>&gt; quoted words</code></dt>
        <dd>A quotation.</dd>
        <dt><code>&gt; [!pullquote]</code><br /><code>&gt; The words to set large.</code><br /><code>&gt; — Name, role</code></dt>
        <dd>A pull quote, with its attribution on the last line.</dd>
        <dt><code>![Alt text](image:… "Caption | Credit")</code></dt>
        <dd>A picture on a line of its own. “Insert picture” uploads one and writes this line.</dd>
        <dt><code>---</code></dt>
        <dd>A divider.</dd>
        <dt>A web address alone on a line</dt>
        <dd>An embed (a video or a post), linked for readers.</dd>
      </dl>
    </details>
  );
}

/** The page for a story number that does not exist (404). */
export function NoSuchStory(props: { frame: AdminFrame }) {
  return (
    <AdminLayout frame={props.frame} title="No such story">
      <h1>No such story</h1>
      <p>There is no story with this number. <a href="/admin/stories">Back to the stories</a></p>
    </AdminLayout>
  );
}
