/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Newsletter pages of the newsroom: the lists (with their members by status), a list's form,
// a list's issues with each one's sending report, and the issue editor — one form whose
// every button keeps what was typed, so it all works without the bundled script.
import { NewerOlderPager } from './pager.tsx';
import type { Child } from 'hono/jsx';
import { displayDateTime } from '../../content/dates.ts';
import type { IssueStatus } from '../../db/schema.ts';
import type { IssueReport, IssueRow } from '../../newsletters/issue-store.ts';
import type { IssueStory, NewsletterList } from '../../newsletters/types.ts';
import { ENTITLEMENTS } from '../../billing/types.ts';
import { AdminCsrf, AdminLayout, Flash, NoticeFlash, type AdminFrame, type PageNotice } from '../layout.tsx';
import { can } from '../permissions.ts';
import type { FieldErrors } from '../form-result.ts';
import type { IssueFormValues } from '../newsletters/issue-form.ts';
import { describeSchedule, ENTITLEMENT_LABELS, RESERVED_LIST_SLUGS, WEEKDAYS, type ListFormValues } from '../newsletters/list-form.ts';
import type { ListOverview, MemberCounts } from '../newsletters/list-store.ts';
import { Checkbox, ChoiceGroup, ErrorSummary, FieldError, fieldId, SelectField, TextArea, TextField } from './settings-fields.tsx';
import { StoryOrderPicker } from './story-order-picker.tsx';

export type Notice = PageNotice;

const n = (x: number) => x.toLocaleString('en-US');

const STATUS_LABELS: Record<IssueStatus, string> = {
  draft: 'draft',
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  cancelled: 'cancelled',
};

/** The newsroom's status pill colours: scheduled drafts look scheduled, sent issues published. */
function IssueStatusPill(props: { issue: Pick<IssueRow, 'status' | 'send_at'> }) {
  const { status } = props.issue;
  const isScheduled = status === 'draft' && props.issue.send_at !== null;
  const tone = status === 'sent' ? 'published' : status === 'draft' ? (isScheduled ? 'scheduled' : 'draft') : status === 'cancelled' ? 'draft' : 'submitted';
  return <span class={`status status-${tone}`} data-issue-status={status}>{isScheduled ? 'scheduled' : STATUS_LABELS[status]}</span>;
}

const PARTS: { key: 'sent' | 'sending' | 'queued' | 'failed' | 'suppressed'; label: string; colour: string }[] = [
  { key: 'sent', label: 'sent', colour: 'var(--ok)' },
  { key: 'sending', label: 'sending', colour: 'var(--accent)' },
  { key: 'queued', label: 'waiting', colour: 'var(--line)' },
  { key: 'failed', label: 'failed', colour: 'var(--danger)' },
  { key: 'suppressed', label: 'suppressed', colour: 'var(--muted)' },
];

/** A small stacked bar of the sends by status (decoration), and the numbers beside it (the information). */
export function ReportBar(props: { report: IssueReport; isCompact?: boolean }) {
  const r = props.report;
  if (r.total === 0) return <span class="muted">No sends</span>;
  const pct = (x: number) => `${((x / r.total) * 100).toFixed(2)}%`;
  return (
    <div class="issue-report" data-report-total={String(r.total)} data-report-sent={String(r.sent)} data-report-failed={String(r.failed)} data-report-suppressed={String(r.suppressed)} data-report-queued={String(r.queued + r.sending)}>
      <div aria-hidden="true" style={`display:flex;height:.6rem;width:${props.isCompact ? '10rem' : '100%'};max-width:32rem;border:1px solid var(--line);border-radius:999px;overflow:hidden;margin:.2rem 0`}>
        {PARTS.filter((p) => r[p.key] > 0).map((p) => <span style={`width:${pct(r[p.key])};background:${p.colour}`}></span>)}
      </div>
      <span class={props.isCompact ? 'muted' : undefined} style="font-size:.88rem">
        {`${n(r.sent)} of ${n(r.total)} sent`}
        {r.queued + r.sending > 0 ? `, ${n(r.queued + r.sending)} waiting` : ''}
        {`, ${n(r.failed)} failed, ${n(r.suppressed)} suppressed`}
      </span>
    </div>
  );
}

function Members(props: { members: MemberCounts }) {
  const m = props.members;
  return (
    <span data-members-active={String(m.active)} data-members-pending={String(m.pending)} data-members-unsubscribed={String(m.unsubscribed)}>
      {n(m.active)} active<span class="muted">, {n(m.pending)} awaiting confirmation, {n(m.unsubscribed)} unsubscribed</span>
    </span>
  );
}

function Who(props: { list: NewsletterList }) {
  const { list } = props;
  const parts = [list.entitlement ? `readers entitled to “${list.entitlement}”` : null, list.isOpenToSignups ? 'free sign-ups' : null].filter(Boolean);
  return <>{parts.length ? parts.join(' and ') : <span class="muted">members added from readers’ accounts only</span>}</>;
}

// ---------------------------------------------------------------------------------------------
// Lists

/** The bounce and complaint webhook, for the admin who sets up the mail service. */
export interface MailWebhookInfo {
  url: string;
  secret: string;
  header: string;
}

function MailWebhook(props: { webhook: MailWebhookInfo }) {
  const w = props.webhook;
  return (
    <section data-mail-webhook aria-labelledby="mail-webhook-title">
      <h2 id="mail-webhook-title">Bounce and complaint reports</h2>
      <p class="hint">Set up your mail service to post its bounce and complaint reports here, signed with this secret: a hard bounce or a complaint stops every list from mailing that address. Keep the secret private; it is set by MAIL_WEBHOOK_SECRET, or derived from the site’s secret when that is not set.</p>
      <dl>
        <dt>Address</dt>
        <dd><code data-webhook-url>{w.url}</code></dd>
        <dt>Secret</dt>
        <dd><code data-webhook-secret>{w.secret}</code></dd>
        <dt>Signature</dt>
        <dd>the <code>{w.header}</code> header: <code>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of “t.body”&gt;</code></dd>
      </dl>
    </section>
  );
}

export function NewslettersPage(props: { frame: AdminFrame; overview: ListOverview[]; notice?: Notice; webhook?: MailWebhookInfo }) {
  const { frame } = props;
  const tz = frame.site.publication.timeZone;
  const canManage = can(frame.staff, 'newsletters:manage');
  return (
    <AdminLayout frame={frame} title="Newsletters">
      <div class="page-head">
        <h1>Newsletters</h1>
        {canManage ? <a class="btn" href="/admin/newsletters/new" data-action="new-list">New list</a> : null}
      </div>
      <NoticeFlash notice={props.notice} />
      <p class="hint">Each list goes to its members (sign-ups confirmed by e-mail, and readers who ticked it in their account) and to readers holding its entitlement, less those who unsubscribed. An automatic list is composed from the day’s stories and sent on its schedule; editors can arrange any issue before it goes.</p>
      {props.overview.length === 0 ? <p class="muted">No lists yet.</p> : (
        <table class="list settings-table" data-newsletter-lists>
          <thead>
            <tr><th scope="col">List</th><th scope="col">Goes to</th><th scope="col">Schedule</th><th scope="col">Members</th><th scope="col">Latest issue</th>{canManage ? <th scope="col">Settings</th> : null}</tr>
          </thead>
          <tbody>
            {props.overview.map(({ list, members, latest, issues }) => (
              <tr data-list-slug={list.slug}>
                <th scope="row">
                  <a href={`/admin/newsletters/${list.id}`}>{list.name}</a>
                  {!list.isActive ? <> <span class="status status-draft">inactive</span></> : null}
                  <br /><a class="muted" href={`/newsletters/${list.slug}`}>/newsletters/{list.slug}</a>
                </th>
                <td><Who list={list} /></td>
                <td>{list.isAutomatic ? describeSchedule(list.schedule) : 'by hand'}</td>
                <td><Members members={members} /></td>
                <td>
                  {latest ? (
                    <>
                      <a href={`/admin/newsletters/issues/${latest.id}`}>{latest.slug}</a> <IssueStatusPill issue={{ status: latest.status, send_at: latest.sendAt }} />
                      {latest.finishedAt !== null ? <><br /><span class="muted">{displayDateTime(latest.finishedAt, tz)}</span></> : latest.sendAt !== null && latest.status === 'draft' ? <><br /><span class="muted">goes {displayDateTime(latest.sendAt, tz)}</span></> : null}
                      <br /><span class="muted">{n(issues)} {issues === 1 ? 'issue' : 'issues'}</span>
                    </>
                  ) : <span class="muted">None yet</span>}
                </td>
                {canManage ? <td><a class="btn btn-small btn-quiet" href={`/admin/newsletters/${list.id}/settings`}>Edit<span class="visually-hidden"> {list.name}</span></a></td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.webhook ? <MailWebhook webhook={props.webhook} /> : null}
    </AdminLayout>
  );
}

const LIST_FIELD_LABELS: Record<string, string> = {
  name: 'Name', slug: 'Address', description: 'Description', entitlement: 'Entitlement', days: 'Weekdays', time: 'Time', position: 'Position',
};

export function ListFormPage(props: { frame: AdminFrame; list: NewsletterList | null; members?: MemberCounts; values: ListFormValues; errors: FieldErrors; isSaved?: boolean }) {
  const { frame, list, values, errors } = props;
  const action = list ? `/admin/newsletters/${list.id}/settings` : '/admin/newsletters/new';
  const title = list ? `List settings: ${list.name}` : 'New list';
  const tz = frame.site.publication.timeZone;
  return (
    <AdminLayout frame={frame} title={title}>
      <p><a href="/admin/newsletters">← Newsletters</a>{list ? <> · <a href={`/admin/newsletters/${list.id}`}>Issues of {list.name}</a></> : null}</p>
      <div class="page-head"><h1>{title}</h1></div>
      {props.isSaved ? <Flash kind="ok">List saved.</Flash> : null}
      <ErrorSummary errors={errors} labels={LIST_FIELD_LABELS} />
      {list && props.members ? <p>Members: <Members members={props.members} /></p> : null}
      <form class="form settings-form" method="post" action={action} data-form="newsletter-list" novalidate>
        <AdminCsrf frame={frame} />
        <TextField name="name" label="Name" value={values.name} errors={errors} isRequired maxLength={80} hint="As readers see it on the sign-up form and in their account." />
        {list ? (
          <TextField name="slug" label="Address" value={`/newsletters/${list.slug}`} errors={errors} isReadOnly hint="The archive’s address; it stays as it is so links to old issues keep working." />
        ) : (
          <TextField name="slug" label="Address" value={values.slug} errors={errors} maxLength={40} hint={`The archive is at /newsletters/address: lower-case letters, digits and single dashes. Left empty, it is made from the name. It cannot be changed later; ${RESERVED_LIST_SLUGS.join(', ')} are taken by the site.`} />
        )}
        <TextArea name="description" label="Description" value={values.description} errors={errors} rows={3} maxLength={400} hint="One or two sentences for the sign-up form." />
        <SelectField
          name="entitlement"
          label="Entitlement"
          value={values.entitlement}
          errors={errors}
          hint="Subscribers holding it receive the list without signing up, unless they unsubscribe."
          options={[{ value: '', label: 'None: members only' }, ...ENTITLEMENTS.map((e) => ({ value: e, label: ENTITLEMENT_LABELS[e] }))]}
        />
        <Checkbox name="isOpenToSignups" label="Open to sign-ups" isChecked={values.isOpenToSignups} errors={errors} hint="Anyone may sign up with an e-mail address, confirmed by a link sent to it." />
        <h2>Sending</h2>
        <Checkbox name="isAutomatic" label="Automatic: compose an issue from the day’s stories and send it on the schedule" isChecked={values.isAutomatic} errors={errors} hint="Lists sent by hand get a new issue from their page whenever an editor wants one." />
        <ChoiceGroup
          type="checkbox"
          name="days"
          label="Weekdays (automatic lists)"
          values={values.days}
          errors={errors}
          options={WEEKDAYS.map((d) => ({ value: String(d.value), label: d.label }))}
        />
        <TextField name="time" label="Time of day (automatic lists)" value={values.time} errors={errors} size="small" maxLength={5} placeholder="06:00" hint={`24-hour HH:MM in the publication’s time zone (${tz}).`} />
        <h2>Display</h2>
        <TextField name="position" label="Position" value={values.position} errors={errors} size="small" inputMode="numeric" hint="Lists are shown to readers in this order, lowest first." />
        <Checkbox name="isActive" label="Active" isChecked={values.isActive} errors={errors} hint="An inactive list is not offered to readers and sends nothing." />
        <div class="actions"><button class="btn" type="submit" data-action="save-list">{list ? 'Save list' : 'Create list'}</button></div>
      </form>
    </AdminLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// A list's issues

export interface IssueListing {
  issue: IssueRow;
  report: IssueReport;
}

export function ListIssuesPage(props: {
  frame: AdminFrame;
  list: NewsletterList;
  members: MemberCounts;
  issues: IssueListing[];
  page: number;
  hasMore: boolean;
  notice?: Notice;
  /** The date field of "Prepare an issue" (automatic lists), as typed. */
  prepareDate: string;
  errors: FieldErrors;
}) {
  const { frame, list, errors } = props;
  const tz = frame.site.publication.timeZone;
  const pageUrl = (p: number) => `/admin/newsletters/${list.id}${p > 1 ? `?page=${p}` : ''}`;
  return (
    <AdminLayout frame={frame} title={list.name}>
      <p><a href="/admin/newsletters">← Newsletters</a></p>
      <div class="page-head">
        <h1>{list.name}</h1>
        <div class="actions">
          {can(frame.staff, 'newsletters:manage') ? <a class="btn btn-quiet" href={`/admin/newsletters/${list.id}/settings`}>List settings</a> : null}
          <a class="btn btn-quiet" href={`/newsletters/${list.slug}`} target="_blank" rel="noopener">Archive ↗</a>
        </div>
      </div>
      <NoticeFlash notice={props.notice} />
      <dl class="kv">
        <dt>Goes to</dt><dd><Who list={list} /></dd>
        <dt>Members</dt><dd><Members members={props.members} /></dd>
        <dt>Schedule</dt><dd>{list.isAutomatic ? `${describeSchedule(list.schedule)} (${tz})` : 'sent by hand'}{!list.isActive ? ' — inactive: nothing is sent' : ''}</dd>
      </dl>

      <section aria-labelledby="new-issue-h">
        <h2 id="new-issue-h">{list.isAutomatic ? 'Prepare an issue' : 'New issue'}</h2>
        {list.isAutomatic ? (
          <form class="form filters" method="post" action={`/admin/newsletters/${list.id}/issues`} data-form="prepare-issue" novalidate>
            <AdminCsrf frame={frame} />
            <TextField name="date" type="date" label="Date" value={props.prepareDate} errors={errors} size="small" hint="Issues are prepared by themselves early on the day; prepare one earlier to arrange it ahead." />
            <button class="btn" type="submit" data-action="prepare-issue">Prepare</button>
          </form>
        ) : (
          <form method="post" action={`/admin/newsletters/${list.id}/issues`} data-form="new-issue">
            <AdminCsrf frame={frame} />
            <FieldError name="date" errors={errors} />
            <button class="btn" type="submit" data-action="new-issue">Start a new issue</button>
          </form>
        )}
      </section>

      <section aria-labelledby="issues-h">
        <h2 id="issues-h">Issues</h2>
        {props.issues.length === 0 ? <p class="muted">No issues yet.</p> : (
          <table class="list" data-issues>
            <thead>
              <tr><th scope="col">Issue</th><th scope="col">Subject</th><th scope="col">Status</th><th scope="col">When</th><th scope="col">Report</th></tr>
            </thead>
            <tbody>
              {props.issues.map(({ issue, report }) => (
                <tr data-issue-id={String(issue.id)}>
                  <th scope="row"><a href={`/admin/newsletters/issues/${issue.id}`}>{issue.slug}</a></th>
                  <td>{issue.subject || <span class="muted">Default subject</span>}</td>
                  <td><IssueStatusPill issue={issue} /></td>
                  <td>{whenOf(issue, tz)}</td>
                  <td>{issue.status === 'draft' || issue.status === 'cancelled' ? <span class="muted">—</span> : <ReportBar report={report} isCompact />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <NewerOlderPager label="Pages of issues" page={props.page} hasMore={props.hasMore} href={pageUrl} />
      </section>
    </AdminLayout>
  );
}

function whenOf(issue: IssueRow, tz: string): Child {
  const at = (ms: number | null) => (ms === null ? '' : displayDateTime(Number(ms), tz));
  switch (issue.status) {
    case 'draft':
      return issue.send_at !== null ? `goes ${at(issue.send_at)}` : <span class="muted">not scheduled</span>;
    case 'queued':
    case 'sending':
      return `queued ${at(issue.queued_at)}`;
    case 'sent':
      return `sent ${at(issue.finished_at ?? issue.queued_at)}`;
    case 'cancelled':
      return `cancelled ${at(issue.finished_at)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// One issue

const ISSUE_FIELD_LABELS: Record<string, string> = { subject: 'Subject', intro: 'Introduction', sendAt: 'Send time', stories: 'Stories', q: 'Search', _form: 'The form' };

function PreviewLinks(props: { issueId: number }) {
  return (
    <p class="actions" data-preview-links>
      <a class="btn btn-quiet btn-small" href={`/admin/newsletters/issues/${props.issueId}/preview?as=free`} target="_blank" rel="noopener">Preview: free copy ↗</a>
      <a class="btn btn-quiet btn-small" href={`/admin/newsletters/issues/${props.issueId}/preview?as=entitled`} target="_blank" rel="noopener">Preview: subscriber’s copy ↗</a>
    </p>
  );
}

function StoryCell(props: { story: IssueStory | undefined; id: number }) {
  const s = props.story;
  if (!s) return <td><span class="muted">Story {String(props.id)} is not available (unpublished or deleted): remove it.</span></td>;
  return (
    <td>
      <a href={s.url} target="_blank" rel="noopener">{s.headline}</a>
      {s.access === 'subscriber' ? <> <span class="status status-submitted">subscribers</span></> : null}
      <br /><span class="muted">{[s.sectionName, s.byline].filter(Boolean).join(' · ')}</span>
    </td>
  );
}

export interface IssueEditorProps {
  frame: AdminFrame;
  list: NewsletterList;
  issue: IssueRow;
  values: IssueFormValues;
  /** Details of the stories named in values.order (and of the picker's matches). */
  stories: Map<number, IssueStory>;
  /** The picker's matches for values.q (already in the issue or not). */
  choices: IssueStory[];
  errors: FieldErrors;
  notice?: Notice;
  defaultSubject: string;
  isStale?: boolean;
}

export function IssueEditorPage(props: IssueEditorProps) {
  const { frame, list, issue, values, errors } = props;
  const tz = frame.site.publication.timeZone;
  const action = `/admin/newsletters/issues/${issue.id}`;
  const title = `${list.name}: ${issue.slug}`;
  return (
    <AdminLayout frame={frame} title={title}>
      <p><a href={`/admin/newsletters/${list.id}`}>← {list.name}</a></p>
      <div class="page-head">
        <h1>{list.name}, {issue.slug} <IssueStatusPill issue={issue} /></h1>
      </div>
      <NoticeFlash notice={props.notice} />
      <ErrorSummary errors={errors} labels={ISSUE_FIELD_LABELS} />
      <p class="hint">
        {issue.send_at !== null ? <>This issue goes out on its own at <strong>{displayDateTime(Number(issue.send_at), tz)}</strong>. </> : <>This issue is not scheduled: send it now, or give it a send time. </>}
        Until it goes, it can be changed here; what is sent is the issue as it stands then.
      </p>
      <PreviewLinks issueId={issue.id} />

      <form class="form settings-form issue-editor" method="post" action={action} data-form="issue" data-issue-stale={props.isStale ? '' : undefined} novalidate>
        <AdminCsrf frame={frame} />
        <input type="hidden" name="basis" value={values.basis} />
        <input type="hidden" name="mode" value={values.mode} />
        {values.order.map((id) => <input type="hidden" name="story" value={String(id)} />)}
        {/* First in the form, so Enter in a text field saves rather than moving a story. */}
        <div class="actions"><button class="btn" type="submit" name="op" value="save" data-action="save-issue">Save draft</button></div>
        {errors._form ? <p class="field-error" id={fieldId('_form')}>{errors._form}</p> : null}

        <TextField name="subject" label="Subject" value={values.subject} errors={errors} maxLength={200} placeholder={props.defaultSubject} hint={`Left empty: “${props.defaultSubject}”.`} />
        <TextArea name="intro" label="Introduction" value={values.intro} errors={errors} rows={5} hint="Optional, in Markdown: a few lines from the editor above the stories. Links must be web addresses." />

        <StoryOrderPicker
          values={values}
          errors={errors}
          listAttribute="data-issue-stories"
          autoHint="Chosen automatically: the front page’s picks, then the day’s stories by section. Moving, removing or adding a story makes this order your own."
          emptyHint="No stories yet: an issue needs at least one to be sent."
          searchHint="Words from the headline or dek, or a story’s number."
          inOrderLabel="In the issue"
          headlineOf={(id) => props.stories.get(id)?.headline}
          storyCell={(id) => <StoryCell story={props.stories.get(id)} id={id} />}
          choices={props.choices.map((s) => ({ id: s.articleId, headline: s.headline, cell: <StoryCell story={s} id={s.articleId} /> }))}
        />

        <section aria-labelledby="send-h">
          <h2 id="send-h">Sending</h2>
          <div class="field">
            <label for={fieldId('sendAt')}>Send time</label>
            <span class="hint" id={`${fieldId('sendAt')}-hint`}>{`In the publication’s time zone (${tz}). Empty: not scheduled. Saved with the draft.`}</span>
            <input
              type="datetime-local"
              name="sendAt"
              id={fieldId('sendAt')}
              value={values.sendAt}
              aria-invalid={errors.sendAt ? 'true' : undefined}
              aria-describedby={[`${fieldId('sendAt')}-hint`, errors.sendAt ? `${fieldId('sendAt')}-error` : ''].filter(Boolean).join(' ')}
            />
            <FieldError name="sendAt" errors={errors} />
          </div>
          <div class="actions">
            <button class="btn btn-quiet" type="submit" name="op" value="save" data-action="schedule-issue">Save draft and send time</button>
            <button class="btn" type="submit" name="op" value="send" data-action="send-now" data-confirm={`Send this issue of ${list.name} to every recipient now?`}>Send now</button>
          </div>
        </section>
      </form>

      <section aria-labelledby="cancel-h">
        <h2 id="cancel-h">Cancel</h2>
        <p class="hint">A cancelled issue is never sent{list.isAutomatic ? ', and no other issue of this date is prepared' : ''}.</p>
        <form method="post" action={`${action}/cancel`} class="inline-form" data-form="cancel-issue">
          <AdminCsrf frame={frame} />
          <button class="btn btn-danger" type="submit" data-action="cancel-issue" data-confirm="Cancel this issue? It will not be sent.">Cancel this issue</button>
        </form>
      </section>
    </AdminLayout>
  );
}

/** An issue past its draft: what was sent (or is being sent), and how it went. */
export function IssueReportPage(props: { frame: AdminFrame; list: NewsletterList; issue: IssueRow; report: IssueReport; stories: IssueStory[]; subject: string; notice?: Notice }) {
  const { frame, list, issue, report } = props;
  const tz = frame.site.publication.timeZone;
  const isUnderway = issue.status === 'queued' || issue.status === 'sending';
  return (
    <AdminLayout frame={frame} title={`${list.name}: ${issue.slug}`}>
      <p><a href={`/admin/newsletters/${list.id}`}>← {list.name}</a></p>
      <div class="page-head">
        <h1>{list.name}, {issue.slug} <IssueStatusPill issue={issue} /></h1>
        {issue.status === 'sent' ? <a class="btn btn-quiet" href={`/newsletters/${list.slug}/${issue.slug}`} target="_blank" rel="noopener">View in the archive ↗</a> : null}
      </div>
      <NoticeFlash notice={props.notice} />
      <dl class="kv">
        <dt>Subject</dt><dd>{props.subject}</dd>
        {issue.queued_at !== null ? <><dt>Queued</dt><dd>{displayDateTime(Number(issue.queued_at), tz)}</dd></> : null}
        {issue.finished_at !== null ? <><dt>{issue.status === 'cancelled' ? 'Cancelled' : 'Finished'}</dt><dd>{displayDateTime(Number(issue.finished_at), tz)}</dd></> : null}
      </dl>
      {issue.status === 'cancelled' ? <p>This issue was cancelled and never sent.</p> : (
        <section aria-labelledby="report-h">
          <h2 id="report-h">Report</h2>
          {isUnderway ? <p class="hint">Sending in the background: reload the page to see how far it has gone.</p> : null}
          <ReportBar report={report} />
          <table class="list" style="max-width:32rem" data-report>
            <tbody>
              <tr><th scope="row">Recipients</th><td data-count="total">{n(report.total)}</td></tr>
              <tr><th scope="row">Waiting to be sent</th><td data-count="queued">{n(report.queued + report.sending)}</td></tr>
              <tr><th scope="row">Sent</th><td data-count="sent">{n(report.sent)}</td></tr>
              <tr><th scope="row">Failed</th><td data-count="failed">{n(report.failed)}</td></tr>
              <tr><th scope="row">Suppressed (bounced or complained before)</th><td data-count="suppressed">{n(report.suppressed)}</td></tr>
            </tbody>
          </table>
        </section>
      )}
      {issue.status !== 'cancelled' ? <PreviewLinks issueId={issue.id} /> : null}
      {props.stories.length > 0 ? (
        <section aria-labelledby="sent-stories-h">
          <h2 id="sent-stories-h">Stories</h2>
          <ol data-issue-stories>
            {props.stories.map((s) => <li><a href={s.url} target="_blank" rel="noopener">{s.headline}</a> <span class="muted">{s.sectionName}</span></li>)}
          </ol>
        </section>
      ) : null}
    </AdminLayout>
  );
}

export function NewsletterNotFound(props: { frame: AdminFrame; what: string; back?: { href: string; label: string } }) {
  return (
    <AdminLayout frame={props.frame} title="Not found">
      <h1>Not found</h1>
      <p>There is no such {props.what}.</p>
      <p><a href={props.back?.href ?? '/admin/newsletters'}>{props.back?.label ?? 'Back to the newsletters'}</a></p>
    </AdminLayout>
  );
}
