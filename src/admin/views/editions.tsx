/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The Weekly in the newsroom: the editions (with "Prepare an edition" for a week) and the
// edition editor — one form whose every button keeps what was typed, so it all works without
// the bundled script — with the file previews and the Publish button beside it.
import { NewerOlderPager } from './pager.tsx';
import { displayDateTime } from '../../content/dates.ts';
import type { EditionStatus } from '../../db/schema.ts';
import type { EditionRow } from '../../editions/edition-store.ts';
import { AdminCsrf, AdminLayout, NoticeFlash, type AdminFrame, type PageNotice } from '../layout.tsx';
import type { FieldErrors } from '../form-result.ts';
import { MAX_COVER_LINES, MAX_EDITION_STORIES, type EditionFormValues } from '../editions/edition-form.ts';
import { ErrorSummary, fieldId, SelectField, TextArea, TextField } from './settings-fields.tsx';
import { StoryOrderPicker } from './story-order-picker.tsx';

export type Notice = PageNotice;

/** A story as the editor lists it. */
export interface EditionStoryInfo {
  id: number;
  headline: string;
  sectionName: string;
  /** Site path or absolute URL of the story, '' when unknown. */
  url: string;
}

function StatusPill(props: { status: EditionStatus }) {
  return <span class={`status status-${props.status === 'published' ? 'published' : 'draft'}`} data-edition-status={props.status}>{props.status}</span>;
}

export interface EditionListing {
  edition: EditionRow;
  dateLine: string;
  /** Stories in the edition as it stands (the automatic selection counted when not arranged). */
  storyCount: number;
}

export function EditionsPage(props: { frame: AdminFrame; editions: EditionListing[]; page: number; hasMore: boolean; prepareWeek: string; errors: FieldErrors; notice?: Notice }) {
  const { frame, errors } = props;
  const tz = frame.site.publication.timeZone;
  const pageUrl = (p: number) => `/admin/editions${p > 1 ? `?page=${p}` : ''}`;
  return (
    <AdminLayout frame={frame} title="The Weekly">
      <div class="page-head">
        <h1>The Weekly</h1>
        <a class="btn btn-quiet" href="/editions" target="_blank" rel="noopener">Archive on the site ↗</a>
      </div>
      <NoticeFlash notice={props.notice} />
      <p class="hint">One edition a week, Monday to Sunday in the publication’s time zone ({tz}). Each Monday morning last week’s edition is prepared and built by itself from the week’s most important stories per section; it is published later that morning unless an editor published it first. Publishing announces it by e-mail to the readers holding the Weekly.</p>

      <section aria-labelledby="prepare-h">
        <h2 id="prepare-h">Prepare an edition</h2>
        <form class="form filters" method="post" action="/admin/editions" data-form="prepare-edition" novalidate>
          <AdminCsrf frame={frame} />
          <TextField name="week" label="Week" value={props.prepareWeek} errors={errors} size="small" maxLength={8} placeholder="2026-W47" hint="An ISO week such as 2026-W47. An edition that exists already is opened." />
          <button class="btn" type="submit" data-action="prepare-edition">Prepare</button>
        </form>
      </section>

      <section aria-labelledby="editions-h">
        <h2 id="editions-h">Editions</h2>
        {props.editions.length === 0 ? <p class="muted">No editions yet.</p> : (
          <table class="list" data-editions>
            <thead>
              <tr><th scope="col">Week</th><th scope="col">No.</th><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Stories</th></tr>
            </thead>
            <tbody>
              {props.editions.map(({ edition: e, dateLine, storyCount }) => (
                <tr data-edition-id={String(e.id)} data-edition-week={e.week}>
                  <th scope="row"><a href={`/admin/editions/${e.id}`}>{e.week}</a><br /><span class="muted">{dateLine}</span></th>
                  <td>{String(e.number)}</td>
                  <td>{e.title || <span class="muted">Untitled</span>}</td>
                  <td><StatusPill status={e.status} />{e.published_at !== null ? <><br /><span class="muted">{displayDateTime(Number(e.published_at), tz)}</span></> : null}</td>
                  <td data-story-count={String(storyCount)}>{String(storyCount)}{e.story_ids === null ? <span class="muted"> (automatic)</span> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <NewerOlderPager label="Pages of editions" page={props.page} hasMore={props.hasMore} href={pageUrl} />
      </section>
    </AdminLayout>
  );
}

const FIELD_LABELS: Record<string, string> = { title: 'Title', intro: 'Introduction', coverStory: 'Cover story', coverLines: 'Cover lines', stories: 'Stories', q: 'Search', _form: 'The form' };

function StoryCell(props: { story: EditionStoryInfo | undefined; id: number }) {
  const s = props.story;
  if (!s) return <td><span class="muted">Story {String(props.id)} is not available (unpublished or deleted): remove it.</span></td>;
  return (
    <td>
      {s.url ? <a href={s.url} target="_blank" rel="noopener">{s.headline}</a> : s.headline}
      <br /><span class="muted">{s.sectionName}</span>
    </td>
  );
}

export interface EditionEditorProps {
  frame: AdminFrame;
  edition: EditionRow;
  dateLine: string;
  values: EditionFormValues;
  /** Details of the stories named in values.order. */
  stories: Map<number, EditionStoryInfo>;
  /** The picker's matches for values.q. */
  choices: EditionStoryInfo[];
  errors: FieldErrors;
  notice?: Notice;
  isStale?: boolean;
}

export function EditionEditorPage(props: EditionEditorProps) {
  const { frame, edition: e, values, errors } = props;
  const action = `/admin/editions/${e.id}`;
  const title = `Weekly No. ${e.number} (${e.week})`;
  const isPublished = e.status === 'published';
  const coverOptions = [
    { value: '', label: 'The first story' },
    ...values.order.map((id) => ({ value: String(id), label: props.stories.get(id)?.headline ?? `Story ${id}` })),
  ];
  return (
    <AdminLayout frame={frame} title={title}>
      <p><a href="/admin/editions">← The Weekly</a></p>
      <div class="page-head">
        <h1>{title} <StatusPill status={e.status} /></h1>
        {isPublished ? <a class="btn btn-quiet" href={`/editions/${e.week}`} target="_blank" rel="noopener">View on the site ↗</a> : null}
      </div>
      <NoticeFlash notice={props.notice} />
      <ErrorSummary errors={errors} labels={FIELD_LABELS} />
      <p class="hint">
        {props.dateLine}.{' '}
        {isPublished
          ? 'Published: corrections saved here go into the files readers download (they are rebuilt).'
          : 'A draft: readers cannot see it until it is published.'}
      </p>
      <p class="actions" data-preview-links>
        <a class="btn btn-quiet btn-small" href={`${action}/preview.pdf`}>Download PDF preview</a>
        <a class="btn btn-quiet btn-small" href={`${action}/preview.epub`}>Download EPUB preview</a>
      </p>

      <form class="form settings-form edition-editor" method="post" action={action} data-form="edition" data-edition-stale={props.isStale ? '' : undefined} novalidate>
        <AdminCsrf frame={frame} />
        <input type="hidden" name="basis" value={values.basis} />
        <input type="hidden" name="mode" value={values.mode} />
        {values.order.map((id) => <input type="hidden" name="story" value={String(id)} />)}
        {/* First in the form, so Enter in a text field saves rather than moving a story. */}
        <div class="actions"><button class="btn" type="submit" name="op" value="save" data-action="save-edition">Save</button></div>
        {errors._form ? <p class="field-error" id={fieldId('_form')}>{errors._form}</p> : null}

        <TextField name="title" label="Title" value={values.title} errors={errors} maxLength={200} hint="On the cover and the archive, e.g. the cover story’s theme." />
        <TextArea name="intro" label="Editor’s introduction" value={values.intro} errors={errors} rows={5} hint="Optional, in Markdown: a few paragraphs before the contents." />
        <SelectField name="coverStory" label="Cover story" value={values.coverStory} errors={errors} options={coverOptions} hint="Its lead picture is the cover’s." />
        <TextArea name="coverLines" label="Cover lines" value={values.coverLines} errors={errors} rows={4} hint={`One per line, at most ${MAX_COVER_LINES}: short lines that sell the stories inside.`} />

        <StoryOrderPicker
          values={values}
          errors={errors}
          listAttribute="data-edition-stories"
          autoHint="Chosen automatically: the week’s most important stories per section. Moving, removing or adding a story makes this order your own."
          emptyHint="No stories yet: an edition needs at least one to be published."
          searchHint={`Words from the headline. An edition holds at most ${MAX_EDITION_STORIES} stories.`}
          inOrderLabel="In the edition"
          headlineOf={(id) => props.stories.get(id)?.headline}
          storyCell={(id) => <StoryCell story={props.stories.get(id)} id={id} />}
          choices={props.choices.map((s) => ({ id: s.id, headline: s.headline, cell: <StoryCell story={s} id={s.id} /> }))}
        />
      </form>

      {isPublished ? (
        <p class="hint" data-published-at>Published {e.published_at !== null ? displayDateTime(Number(e.published_at), frame.site.publication.timeZone) : ''}.</p>
      ) : (
        <section aria-labelledby="publish-h">
          <h2 id="publish-h">Publish</h2>
          <p class="hint">Save your changes first. Publishing opens the edition to readers and announces it by e-mail to everyone holding the Weekly; it cannot be undone.</p>
          <form method="post" action={`${action}/publish`} class="inline-form" data-form="publish-edition">
            <AdminCsrf frame={frame} />
            <input type="hidden" name="basis" value={values.basis} />
            <button class="btn" type="submit" data-action="publish-edition" data-confirm={`Publish the Weekly No. ${e.number} and announce it to its readers?`}>Publish</button>
          </form>
        </section>
      )}
    </AdminLayout>
  );
}

export function EditionNotFound(props: { frame: AdminFrame }) {
  return (
    <AdminLayout frame={props.frame} title="Not found">
      <h1>Not found</h1>
      <p>There is no such edition.</p>
      <p><a href="/admin/editions">Back to the Weekly</a></p>
    </AdminLayout>
  );
}
