/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// A story's history: the list of its revisions with what each changed, one revision's changes
// field by field and word by word, and the restore button. Insertions and deletions are <ins>
// and <del> with a spoken "added:" / "removed:" and a legend, so colour is never the only cue.
import { displayDateTime } from '../../content/dates.ts';
import { AdminCsrf, AdminLayout, Flash, type AdminFrame } from '../layout.tsx';
import type { Comparison } from '../revisions/compare.ts';
import { splitParagraphs, type FoldedItem, type TextPart } from '../revisions/word-diff.ts';
import type { RestoreScope } from '../revisions/restore-policy.ts';
import type { Revision, StoryHead } from '../revisions/revision-store.ts';

export const HISTORY_PAGE_SIZE = 50;

const storyUrl = (id: number) => `/admin/stories/${id}`;
const historyUrl = (id: number) => `${storyUrl(id)}/revisions`;
export const revisionUrl = (articleId: number, revisionId: number, compare?: 'current') =>
  `${historyUrl(articleId)}/${revisionId}${compare ? `?compare=${compare}` : ''}`;

function When(props: { ms: number; timeZone: string }) {
  return <time datetime={new Date(props.ms).toISOString()}>{displayDateTime(props.ms, props.timeZone)}</time>;
}

/** Who saved a revision: a staff e-mail, or the importer or demo seed. */
export function sourceLabel(source: string): string {
  if (source === 'import') return 'Import';
  if (source === 'demo') return 'Demo content';
  return source;
}

const STATUS_LABEL = { draft: 'Draft', scheduled: 'Scheduled', published: 'Published' } as const;

function StoryLine(props: { story: StoryHead }) {
  const { story } = props;
  return (
    <p class="rev-story">
      <span class={`status status-${story.status}`}>{STATUS_LABEL[story.status]}</span>{' '}
      <a href={`${storyUrl(story.id)}/edit`}>{story.headline}</a>
    </p>
  );
}

// ---------------------------------------------------------------------------------------------
// Marked-up changes

/** Spacing after a marked stretch goes outside the mark, so underlines do not run into it. */
function splitTrailing(text: string): [string, string] {
  const m = /\s*$/.exec(text);
  const tail = m ? m[0] : '';
  return [text.slice(0, text.length - tail.length), tail];
}

export function Inserted(props: { text: string; what?: string }) {
  return (
    <ins>
      <span class="visually-hidden">{props.what ?? 'added'}: </span>
      {props.text}
    </ins>
  );
}

export function Deleted(props: { text: string; what?: string }) {
  return (
    <del>
      <span class="visually-hidden">{props.what ?? 'removed'}: </span>
      {props.text}
    </del>
  );
}

/** Running text with its changes marked. */
export function DiffText(props: { parts: TextPart[] }) {
  return (
    <>
      {props.parts.map((part, i) => {
        if (part.op === 'same') return part.text;
        const [text, own] = splitTrailing(part.text);
        // A replaced last word has no space after it; keep the old and new words apart.
        const tail = own || (part.op === 'del' && props.parts[i + 1]?.op === 'ins' ? ' ' : '');
        return (
          <>
            {part.op === 'ins' ? <Inserted text={text} /> : <Deleted text={text} />}
            {tail}
          </>
        );
      })}
    </>
  );
}

/** Items of a list (bylines, tags, corrections), each kept, added or removed. */
function DiffItems(props: { parts: TextPart[] }) {
  return (
    <ul class="rev-items">
      {props.parts.map((part) => (
        <li>{part.op === 'same' ? part.text : part.op === 'ins' ? <Inserted text={part.text} /> : <Deleted text={part.text} />}</li>
      ))}
    </ul>
  );
}

/** A value replaced by another: old → new. */
function DiffValue(props: { parts: TextPart[] }) {
  const del = props.parts.find((p) => p.op === 'del');
  const ins = props.parts.find((p) => p.op === 'ins');
  return (
    <>
      {del ? <Deleted text={del.text} /> : <span class="muted">(none)</span>}
      <span aria-hidden="true"> → </span>
      <span class="visually-hidden"> became </span>
      {ins ? <Inserted text={ins.text} /> : <span class="muted">(none)</span>}
    </>
  );
}

function FieldChanges(props: { comparison: Comparison }) {
  const { fields, unchanged } = props.comparison;
  return (
    <>
      {fields.length ? (
        <table class="list rev-fields" data-diff-fields>
          <caption class="visually-hidden">Fields that changed</caption>
          <thead>
            <tr><th scope="col">Field</th><th scope="col">Change</th></tr>
          </thead>
          <tbody>
            {fields.map((f) => (
              <tr data-diff-field={f.field}>
                <th scope="row">{f.label}</th>
                <td>
                  {f.shape === 'list' ? <DiffItems parts={f.parts} /> : f.shape === 'value' ? <DiffValue parts={f.parts} /> : <DiffText parts={f.parts} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No field other than the body changed.</p>
      )}
      {unchanged.length ? <p class="muted rev-unchanged">Unchanged: {unchanged.join(', ')}.</p> : null}
    </>
  );
}

function BodyChanges(props: { items: FoldedItem[] }) {
  return (
    <div class="rev-body" data-diff-body>
      {props.items.map((item) => {
        switch (item.kind) {
          case 'same':
            return <p class="rev-para" data-change="same">{item.text}</p>;
          case 'added':
            return <p class="rev-para rev-para-added" data-change="added"><Inserted text={item.text} what="added paragraph" /></p>;
          case 'removed':
            return <p class="rev-para rev-para-removed" data-change="removed"><Deleted text={item.text} what="removed paragraph" /></p>;
          case 'changed':
            return <p class="rev-para rev-para-changed" data-change="changed"><DiffText parts={item.parts} /></p>;
          case 'collapsed':
            return (
              <p class="rev-collapsed" data-change="collapsed">
                … {item.count} unchanged {item.count === 1 ? 'paragraph' : 'paragraphs'} …
              </p>
            );
        }
      })}
    </div>
  );
}

function Legend(props: { older: string; newer: string }) {
  return (
    <div class="rev-legend" data-diff-legend>
      <p class="rev-legend-title">How to read the changes</p>
      <ul>
        <li><del>Struck through</del>: removed — only in {props.older}.</li>
        <li><ins>Underlined</ins>: added — only in {props.newer}.</li>
      </ul>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// The history list

export interface HistoryRow {
  revision: Revision;
  /** "headline, body (+42 −7 words)", or what the first revision is. */
  summary: string;
  isLatest: boolean;
}

export function HistoryPage(props: { frame: AdminFrame; story: StoryHead; rows: HistoryRow[]; total: number; page: number; hasMore: boolean }) {
  const { frame, story, rows, page } = props;
  const tz = frame.site.publication.timeZone;
  return (
    <AdminLayout frame={frame} title={`History · ${story.headline}`}>
      <div class="page-head">
        <h1>History</h1>
        <div class="actions">
          <a class="btn btn-quiet" href={`${storyUrl(story.id)}/edit`}>Edit the story</a>
        </div>
      </div>
      <StoryLine story={story} />
      <p class="muted">
        {props.total === 1 ? 'One revision' : `${props.total} revisions`}, newest first. Each is the story as it was saved; open one to see what
        it changed and to restore it.
      </p>
      {rows.length ? (
        <table class="list rev-list" data-revisions>
          <caption class="visually-hidden">Revisions of “{story.headline}”</caption>
          <thead>
            <tr><th scope="col">Saved</th><th scope="col">By</th><th scope="col">What changed</th></tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr data-revision-id={String(row.revision.id)}>
                <td>
                  <a href={revisionUrl(story.id, row.revision.id)}><When ms={row.revision.createdAt} timeZone={tz} /></a>
                  {row.isLatest ? <> <span class="status status-published">latest</span></> : null}
                </td>
                <td>{sourceLabel(row.revision.source)}</td>
                <td data-change-summary>{row.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>This story has no saved revisions.</p>
      )}
      {page > 1 || props.hasMore ? (
        <nav class="pager" aria-label="Pages of revisions">
          {page > 1 ? <a href={`${historyUrl(story.id)}?page=${page - 1}`} rel="prev">Newer revisions</a> : null}
          <span>Page {page}</span>
          {props.hasMore ? <a href={`${historyUrl(story.id)}?page=${page + 1}`} rel="next">Older revisions</a> : null}
        </nav>
      ) : null}
    </AdminLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// One revision

export type RestoreOffer =
  | { kind: 'allowed'; scope: RestoreScope; missingPictures: string[] }
  | { kind: 'refused'; message: string }
  /** The revision holds exactly what the story holds now. */
  | { kind: 'same' };

export interface RevisionPageProps {
  frame: AdminFrame;
  story: StoryHead;
  revision: Revision;
  /** What the revision is compared with: the revision before it, or the story as it is now. */
  against: { kind: 'previous'; revision: Revision } | { kind: 'current' } | { kind: 'first' };
  comparison: Comparison | null;
  body: FoldedItem[];
  restore: RestoreOffer;
  notice?: { kind: 'ok' | 'error' | 'warn'; text: string };
}

export function RevisionPage(props: RevisionPageProps) {
  const { frame, story, revision, against, comparison } = props;
  const tz = frame.site.publication.timeZone;
  const when = displayDateTime(revision.createdAt, tz);
  const older = against.kind === 'current' ? `this revision (${when})` : against.kind === 'previous' ? `the revision before (${displayDateTime(against.revision.createdAt, tz)})` : '';
  const newer = against.kind === 'current' ? 'the current version' : `this revision (${when})`;
  return (
    <AdminLayout frame={frame} title={`Revision of ${when} · ${story.headline}`}>
      <div class="page-head">
        <h1>Revision of <When ms={revision.createdAt} timeZone={tz} /></h1>
        <div class="actions">
          <a class="btn btn-quiet" href={historyUrl(story.id)}>All revisions</a>
          <a class="btn btn-quiet" href={`${storyUrl(story.id)}/edit`}>Edit the story</a>
        </div>
      </div>
      <StoryLine story={story} />
      <p>Saved by {sourceLabel(revision.source)}.</p>
      {props.notice ? <Flash kind={props.notice.kind}>{props.notice.text}</Flash> : null}

      <nav class="rev-compare" aria-label="Compare this revision with">
        <span>Compare with:</span>
        <a href={revisionUrl(story.id, revision.id)} aria-current={against.kind !== 'current' ? 'page' : undefined}>the revision before it</a>
        <a href={revisionUrl(story.id, revision.id, 'current')} aria-current={against.kind === 'current' ? 'page' : undefined} data-compare-current>the current version</a>
      </nav>

      {against.kind === 'first' || !comparison ? (
        <>
          <p class="notice">This is the story’s first revision: there is nothing before it to compare with. Here is what it held.</p>
          <FirstRevision revision={revision} timeZone={tz} />
        </>
      ) : !comparison.isChanged ? (
        <p class="notice" data-no-changes>
          {against.kind === 'current' ? 'This revision holds exactly what the story holds now.' : 'Nothing changed in this revision: it was saved with the same words.'}
        </p>
      ) : (
        <>
          <Legend older={older} newer={newer} />
          <h2>Fields</h2>
          <FieldChanges comparison={comparison} />
          <h2>Body</h2>
          {comparison.body.isChanged ? (
            <>
              <p class="muted" data-body-counts>
                {comparison.body.added} {comparison.body.added === 1 ? 'word' : 'words'} added, {comparison.body.removed} {comparison.body.removed === 1 ? 'word' : 'words'} removed.
              </p>
              <BodyChanges items={props.body} />
            </>
          ) : (
            <p class="muted">The body did not change.</p>
          )}
        </>
      )}

      <RestoreSection frame={frame} story={story} revision={revision} offer={props.restore} when={when} />
    </AdminLayout>
  );
}

function FirstRevision(props: { revision: Revision; timeZone: string }) {
  const s = props.revision.snapshot;
  const orNone = (v: string) => (v ? v : <span class="muted">(none)</span>);
  return (
    <>
      <h2>Fields</h2>
      <dl class="kv rev-first" data-first-revision>
        <dt>Headline</dt><dd>{orNone(s.headline)}</dd>
        <dt>Dek</dt><dd>{orNone(s.dek)}</dd>
        <dt>Bylines</dt><dd>{orNone(s.authors.join(', '))}</dd>
        <dt>Dateline</dt><dd>{orNone(s.dateline)}</dd>
        <dt>Section</dt><dd>{orNone(s.section)}</dd>
        <dt>Tags</dt><dd>{orNone(s.tags.join(', '))}</dd>
        <dt>Access</dt><dd>{s.access}</dd>
        <dt>Slug</dt><dd>{orNone(s.slug)}</dd>
        <dt>Publish time</dt><dd>{s.published === null ? <span class="muted">(draft)</span> : <When ms={s.published} timeZone={props.timeZone} />}</dd>
        <dt>Lead image</dt>
        <dd>{s.image ? `${s.image.caption || '(no caption)'} — ${s.image.credit || '(no credit)'}; alt text: ${s.image.alt || '(none)'}` : <span class="muted">(none)</span>}</dd>
      </dl>
      <h2>Body</h2>
      <div class="rev-body" data-diff-body>
        {splitParagraphs(s.body).map((p) => <p class="rev-para" data-change="same">{p}</p>)}
      </div>
    </>
  );
}

/** What a restore puts back, in words, for this restorer. */
function restoredFields(scope: RestoreScope): string {
  const fields = ['headline', 'dek', 'bylines', 'dateline', 'section', 'tags'];
  if (scope.canRestoreAccess) fields.push('access');
  if (scope.canRestoreSlug) fields.push('slug');
  fields.push('lead image');
  return `${fields.join(', ')} and body`;
}

function RestoreSection(props: { frame: AdminFrame; story: StoryHead; revision: Revision; offer: RestoreOffer; when: string }) {
  const { story, revision, offer } = props;
  const keeps = story.status === 'draft' ? 'The story stays a draft.' : story.status === 'scheduled' ? 'The story stays scheduled for the same time.' : 'The story stays published, at the same time and address unless this revision had another slug.';
  return (
    <section class="rev-restore" aria-labelledby="restore-heading" data-restore-section>
      <h2 id="restore-heading">Restore this revision</h2>
      {offer.kind === 'same' ? (
        <p class="muted">The story already holds this revision’s words: there is nothing to restore.</p>
      ) : offer.kind === 'refused' ? (
        <p class="muted" data-restore-refused>{offer.message}</p>
      ) : (
        <form method="post" action={`${revisionUrl(story.id, revision.id)}/restore`} class="form">
          <AdminCsrf frame={props.frame} />
          <p>
            Its {restoredFields(offer.scope)} replace the current ones, saved as a new revision; nothing is lost. {keeps} Corrections are kept
            as they are.
          </p>
          {!offer.scope.canRestoreAccess ? (
            <p data-restore-keeps-access={story.access}>
              The access class stays as it is, <strong>{story.access}</strong>, and so does the slug: restoring those is for an editor.
            </p>
          ) : null}
          {offer.missingPictures.length ? (
            <Flash kind="warn">
              {offer.missingPictures.length === 1 ? 'One picture of this revision is' : 'Some pictures of this revision are'} no longer stored and will be left out:{' '}
              {offer.missingPictures.join(', ')}.
            </Flash>
          ) : null}
          <div class="actions">
            <button
              class="btn"
              type="submit"
              data-restore
              data-confirm={`Restore the revision of ${props.when}? Its words replace the current ones as a new revision. ${keeps}`}
            >
              Restore this revision
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

export function StoryNotFound(props: { frame: AdminFrame; what?: 'story' | 'revision'; storyId?: number }) {
  const isRevision = props.what === 'revision';
  return (
    <AdminLayout frame={props.frame} title={isRevision ? 'No such revision' : 'No such story'}>
      <h1>{isRevision ? 'No such revision' : 'No such story'}</h1>
      <p>
        {isRevision ? 'This story has no revision with this number.' : 'There is no story with this number.'}{' '}
        {isRevision && props.storyId ? <a href={historyUrl(props.storyId)}>All revisions of the story</a> : <a href="/admin/stories">Back to the stories</a>}
      </p>
    </AdminLayout>
  );
}
