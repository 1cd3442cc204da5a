/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Newsletters in the newsroom. Editors (newsletters:send) arrange, preview, schedule, send and
// cancel issues; admins (newsletters:manage) also create lists and change them.
//   GET  /admin/newsletters                         the lists, with members by status
//   GET|POST /admin/newsletters/new                 a new list                   (manage)
//   GET  /admin/newsletters/:id                     a list's issues and their reports
//   GET|POST /admin/newsletters/:id/settings        a list's settings            (manage)
//   POST /admin/newsletters/:id/issues              a new issue (by hand) / prepare a date (automatic)
//   GET|POST /admin/newsletters/issues/:id          the issue editor (drafts) or its report
//   POST /admin/newsletters/issues/:id/cancel       cancel a draft
//   GET  /admin/newsletters/issues/:id/preview?as=free|entitled   the e-mail, inert
// Handlers parse, call one use case, then redirect (303) or send the form back as typed (422,
// or 409 when someone else saved the issue first). Sending itself is the background sender's.
import { Hono, type Context } from 'hono';
import { displayDateTime } from '../../content/dates.ts';
import type { NewsroomDeps } from '../deps.ts';
import { requireStaff } from '../guard.tsx';
import type { AdminFrame } from '../layout.tsx';
import { actorOf, recordAudit } from '../audit.ts';
import { rowId } from '../row-id.ts';
import type { FieldErrors } from '../form-result.ts';
import { getList } from '../../newsletters/lists.ts';
import type { IssueStory, NewsletterList } from '../../newsletters/types.ts';
import {
  cancelIssue, createIssue, ensureDailyIssue, frozenContent, getIssue, issueReport, listIssues, queueIssue, updateDraft, type IssueRow,
} from '../../newsletters/issue-store.ts';
import { composeIssueContent, defaultSubject, storyChoices } from '../../newsletters/issue-content.ts';
import { isIssueDate, isScheduledDay, localDateOf, sendTimeFor } from '../../newsletters/schedule.ts';
import { html } from '../../site/reader-routes.tsx';
import { formBody } from './settings/render.ts';
import { listFormValues, parseListForm } from '../newsletters/list-form.ts';
import { nextIssueDate } from '../newsletters/next-issue.ts';
import { MAIL_WEBHOOK_PATH, SIGNATURE_HEADER, mailWebhookSecret } from '../../newsletters/feedback-webhook.ts';
import { can } from '../permissions.ts';
import { createList, listOverview, memberCounts, updateList } from '../newsletters/list-store.ts';
import { issueFormValues, parseIssueForm, type IssueFormValues } from '../newsletters/issue-form.ts';
import { previewAs, previewPolicy, renderPreview } from '../newsletters/email-preview.ts';
import {
  IssueEditorPage, IssueReportPage, ListFormPage, ListIssuesPage, NewsletterNotFound, NewslettersPage, type IssueListing, type Notice,
} from '../views/newsletters.tsx';

const ISSUES_PER_PAGE = 25;

async function page(c: Context, node: unknown, status: 200 | 404 | 409 | 422 = 200): Promise<Response> {
  return c.html(await html(node), status);
}
const CHOICES = 20;

const SAVED: Record<string, Notice> = {
  list: { kind: 'ok', text: 'List created.' },
  draft: { kind: 'ok', text: 'Draft saved.' },
  queued: { kind: 'ok', text: 'Queued for sending: the background sender is sending it now. Reload to follow the report.' },
  cancelled: { kind: 'ok', text: 'Issue cancelled: it will not be sent.' },
};

export interface NewsletterRouteDeps extends NewsroomDeps {
  /** Wakes the background sender after an issue is queued (it also looks by itself every few seconds). */
  kickSender?: () => void;
  /**
   * The key of the mail service's bounce and complaint reports (MAIL_WEBHOOK_SECRET), shown to
   * admins with the webhook's address. Unset: the one derived from the site's secret, which is
   * what the webhook uses when MAIL_WEBHOOK_SECRET is not set.
   */
  mailWebhookSecret?: string;
}

export function newsroomNewsletterRoutes(deps: NewsletterRouteDeps): Hono {
  const app = new Hono();
  const { db } = deps;
  const publicUrl = () => deps.state.publicUrl();
  const noticeOf = (c: Context): Notice | undefined => {
    const key = c.req.query('saved') ?? '';
    return Object.hasOwn(SAVED, key) ? SAVED[key] : undefined;
  };
  const notFound = (c: Context, frame: AdminFrame, what: string, back?: { href: string; label: string }) => page(c, <NewsletterNotFound frame={frame} what={what} back={back} />, 404);
  const listParam = async (c: Context) => {
    const id = rowId(c.req.param('id'));
    return id === null ? null : getList(db, { id });
  };
  const issueParam = async (c: Context): Promise<{ issue: IssueRow; list: NewsletterList } | null> => {
    const id = rowId(c.req.param('id'));
    const issue = id === null ? null : await getIssue(db, id);
    const list = issue ? await getList(db, { id: issue.list_id }) : null;
    return issue && list ? { issue, list } : null;
  };
  const tzOf = (frame: AdminFrame) => frame.site.publication.timeZone;

  // ---- Lists --------------------------------------------------------------------------------

  app.get('/admin/newsletters', async (c) => {
    const frame = await requireStaff(c, deps, 'newsletters:send');
    if (frame instanceof Response) return frame;
    // The webhook's key lets anyone suppress addresses: admins only.
    const webhook = can(frame.staff, 'newsletters:manage')
      ? { url: `${publicUrl()}${MAIL_WEBHOOK_PATH}`, secret: deps.mailWebhookSecret ?? mailWebhookSecret(null, deps.secret), header: SIGNATURE_HEADER }
      : undefined;
    return page(c, <NewslettersPage frame={frame} overview={await listOverview(db)} notice={noticeOf(c)} webhook={webhook} />);
  });

  app.get('/admin/newsletters/new', async (c) => {
    const frame = await requireStaff(c, deps, 'newsletters:manage');
    if (frame instanceof Response) return frame;
    return page(c, <ListFormPage frame={frame} list={null} values={listFormValues(null)} errors={{}} />);
  });

  app.post('/admin/newsletters/new', async (c) => {
    const frame = await requireStaff(c, deps, 'newsletters:manage');
    if (frame instanceof Response) return frame;
    const form = parseListForm(await formBody(c), { isNew: true });
    if (!form.ok) return page(c, <ListFormPage frame={frame} list={null} values={form.values} errors={form.errors} />, 422);
    const saved = await createList(db, { input: form.value, actor: actorOf(frame), now: deps.now() });
    if (!saved.ok) {
      const errors = saved.reason === 'invalid' ? saved.errors : { _form: 'The list could not be created.' };
      return page(c, <ListFormPage frame={frame} list={null} values={form.values} errors={errors} />, 422);
    }
    return c.redirect(`/admin/newsletters/${saved.list.id}?saved=list`, 303);
  });

  app.get('/admin/newsletters/:id{[0-9]+}/settings', async (c) => {
    const frame = await requireStaff(c, deps, 'newsletters:manage');
    if (frame instanceof Response) return frame;
    const list = await listParam(c);
    if (!list) return notFound(c, frame, 'list');
    return page(c, <ListFormPage frame={frame} list={list} members={await memberCounts(db, list.id)} values={listFormValues(list)} errors={{}} isSaved={c.req.query('saved') === '1'} />);
  });

  app.post('/admin/newsletters/:id{[0-9]+}/settings', async (c) => {
    const frame = await requireStaff(c, deps, 'newsletters:manage');
    if (frame instanceof Response) return frame;
    const list = await listParam(c);
    if (!list) return notFound(c, frame, 'list');
    const form = parseListForm(await formBody(c), { isNew: false, slug: list.slug });
    const back = async (errors: FieldErrors) => page(c, <ListFormPage frame={frame} list={list} members={await memberCounts(db, list.id)} values={form.values} errors={errors} />, 422);
    if (!form.ok) return back(form.errors);
    const saved = await updateList(db, { id: list.id, input: form.value, actor: actorOf(frame), now: deps.now() });
    if (!saved.ok) return saved.reason === 'not-found' ? notFound(c, frame, 'list') : back(saved.errors);
    return c.redirect(`/admin/newsletters/${list.id}/settings?saved=1`, 303);
  });

  // ---- A list's issues ----------------------------------------------------------------------

  async function issuesPage(c: Context, frame: AdminFrame, list: NewsletterList, opts: { prepareDate?: string; errors?: FieldErrors; notice?: Notice; status?: 200 | 422 } = {}) {
    const pageNo = Math.min(Math.max(Number.parseInt(c.req.query('page') ?? '1', 10) || 1, 1), 10_000);
    const [rows, members] = await Promise.all([
      listIssues(db, list.id, { limit: ISSUES_PER_PAGE + 1, offset: (pageNo - 1) * ISSUES_PER_PAGE }),
      memberCounts(db, list.id),
    ]);
    const shown = rows.slice(0, ISSUES_PER_PAGE);
    const issues: IssueListing[] = await Promise.all(shown.map(async (issue) => ({ issue, report: await issueReport(db, issue.id) })));
    const prepareDate = opts.prepareDate ?? nextIssueDate(list, tzOf(frame), deps.now());
    return page(c, (
      <ListIssuesPage frame={frame} list={list} members={members} issues={issues} page={pageNo} hasMore={rows.length > ISSUES_PER_PAGE} notice={opts.notice} prepareDate={prepareDate} errors={opts.errors ?? {}} />
    ), opts.status);
  }

  app.get('/admin/newsletters/:id{[0-9]+}', async (c) => {
    const frame = await requireStaff(c, deps, 'newsletters:send');
    if (frame instanceof Response) return frame;
    const list = await listParam(c);
    if (!list) return notFound(c, frame, 'list');
    return issuesPage(c, frame, list, { notice: noticeOf(c) });
  });

  app.post('/admin/newsletters/:id{[0-9]+}/issues', async (c) => {
    const frame = await requireStaff(c, deps, 'newsletters:send');
    if (frame instanceof Response) return frame;
    const list = await listParam(c);
    if (!list) return notFound(c, frame, 'list');
    const now = deps.now();
    const tz = tzOf(frame);
    if (!list.isActive) return issuesPage(c, frame, list, { status: 422, errors: { date: 'This list is inactive: an admin must reactivate it before it has new issues.' } });
    if (!list.isAutomatic || !list.schedule) {
      const issue = await createIssue(db, { list, issueDate: localDateOf(now, tz), now, userId: frame.staff.id });
      return c.redirect(`/admin/newsletters/issues/${issue.id}`, 303);
    }
    const date = String((await formBody(c)).date ?? '').trim().slice(0, 40);
    const problem = prepareProblem({ date, list, timeZone: tz, now });
    if (problem) return issuesPage(c, frame, list, { status: 422, prepareDate: date, errors: { date: problem } });
    const issue = await ensureDailyIssue(db, { list, issueDate: date, sendAt: sendTimeFor(date, list.schedule, tz), now });
    return c.redirect(`/admin/newsletters/issues/${issue.id}`, 303);
  });

  // ---- One issue ----------------------------------------------------------------------------

  /** The stories named in `ids`, as the issue would show them (unpublished ones are missing). */
  async function storiesFor(issue: IssueRow, list: NewsletterList, ids: number[]): Promise<Map<number, IssueStory>> {
    const content = await composeIssueContent(db, { issue: { ...issue, story_ids: JSON.stringify(ids) }, list, now: deps.now(), publicUrl: publicUrl() });
    return new Map(content.stories.map((s) => [s.articleId, s]));
  }

  async function editorPage(
    c: Context,
    frame: AdminFrame,
    at: { issue: IssueRow; list: NewsletterList },
    opts: { values?: IssueFormValues; errors?: FieldErrors; notice?: Notice; status?: 200 | 409 | 422; isStale?: boolean } = {},
  ): Promise<Response> {
    const { issue, list } = at;
    let values = opts.values;
    let stories: Map<number, IssueStory>;
    if (values) {
      stories = await storiesFor(issue, list, values.order);
    } else {
      const content = await composeIssueContent(db, { issue, list, now: deps.now(), publicUrl: publicUrl() });
      stories = new Map(content.stories.map((s) => [s.articleId, s]));
      values = { ...issueFormValues(issue, content.stories.map((s) => s.articleId), tzOf(frame)), q: (c.req.query('q') ?? '').slice(0, 100) };
    }
    const choices = await storyChoices(db, { query: values.q, limit: CHOICES, publicUrl: publicUrl() });
    return page(c, (
      <IssueEditorPage
        frame={frame} list={list} issue={issue} values={values} stories={stories} choices={choices} errors={opts.errors ?? {}}
        notice={opts.notice} defaultSubject={defaultSubject(list.name, issue.issue_date)} isStale={opts.isStale}
      />
    ), opts.status ?? 200);
  }

  async function reportPage(c: Context, frame: AdminFrame, at: { issue: IssueRow; list: NewsletterList }, opts: { notice?: Notice; status?: 200 | 409 } = {}): Promise<Response> {
    const { issue, list } = at;
    const content = frozenContent(issue);
    const report = await issueReport(db, issue.id);
    const subject = content?.subject ?? (issue.subject || defaultSubject(list.name, issue.issue_date));
    return page(c, <IssueReportPage frame={frame} list={list} issue={issue} report={report} stories={content?.stories ?? []} subject={subject} notice={opts.notice} />, opts.status ?? 200);
  }

  app.get('/admin/newsletters/issues/:id{[0-9]+}', async (c) => {
    const frame = await requireStaff(c, deps, 'newsletters:send');
    if (frame instanceof Response) return frame;
    const at = await issueParam(c);
    if (!at) return notFound(c, frame, 'issue');
    const notice = noticeOf(c);
    return at.issue.status === 'draft' ? editorPage(c, frame, at, { notice }) : reportPage(c, frame, at, { notice });
  });

  app.post('/admin/newsletters/issues/:id{[0-9]+}', async (c) => {
    const frame = await requireStaff(c, deps, 'newsletters:send');
    if (frame instanceof Response) return frame;
    const at = await issueParam(c);
    if (!at) return notFound(c, frame, 'issue');
    const { issue, list } = at;
    const tz = tzOf(frame);
    const now = deps.now();
    const form = parseIssueForm(await formBody(c), { timeZone: tz, now, currentSendAt: issue.send_at === null ? null : Number(issue.send_at) });
    if (issue.status !== 'draft') return reportPage(c, frame, at, { status: 409, notice: { kind: 'error', text: `Not saved: this issue is ${issue.status} and can no longer be changed.` } });
    if (!form.ok) return editorPage(c, frame, at, { values: form.values, errors: form.errors, status: 422 });
    const edit = form.value;

    const saved = await updateDraft(db, issue.id, { subject: edit.subject, intro: edit.intro, sendAt: edit.sendAt, ...(edit.storyIds !== undefined ? { storyIds: edit.storyIds } : {}) }, {
      now, userId: frame.staff.id, expectUpdatedAt: edit.expectUpdatedAt,
    });
    if (!saved.ok) {
      switch (saved.reason) {
        case 'not-found':
          return notFound(c, frame, 'issue');
        case 'not-draft': {
          const current = await issueParam(c);
          return current ? reportPage(c, frame, current, { status: 409, notice: { kind: 'error', text: 'Not saved: this issue was queued for sending in the meantime and can no longer be changed.' } }) : notFound(c, frame, 'issue');
        }
        case 'stale': {
          // The form keeps its old basis: sending it again is refused again rather than
          // applied over the newer version.
          const current = (await getIssue(db, issue.id)) ?? issue;
          deps.logger.info({ staffId: frame.staff.id, issueId: issue.id }, 'issue save refused: saved by someone else since the page was opened');
          const notice: Notice = {
            kind: 'error',
            text: `Not saved: someone else saved this issue at ${displayDateTime(Number(current.updated_at), tz)} since you opened it. Your text is below; copy what you need, then reload.`,
            link: { href: `/admin/newsletters/issues/${issue.id}`, label: 'Reload the issue' },
          };
          return editorPage(c, frame, { issue: current, list }, { values: form.values, notice, status: 409, isStale: true });
        }
        case 'unknown-story':
          return editorPage(c, frame, at, { values: form.values, errors: { stories: 'A story in the list is no longer published: remove it, then save again.' }, status: 422 });
      }
    }

    if ((issue.send_at === null ? null : Number(issue.send_at)) !== edit.sendAt) {
      const detail = edit.sendAt === null ? 'send time removed' : `scheduled for ${displayDateTime(edit.sendAt, tz)}`;
      await recordAudit(db, { actor: actorOf(frame), action: 'newsletter', detail: `${list.name} ${issue.slug}: ${detail}`, at: now });
    }

    if (edit.op.kind === 'send') {
      const queued = await queueIssue({ db, publicUrl: publicUrl() }, issue.id, { now, isDeferred: true });
      if (!queued.ok) {
        const current = await issueParam(c);
        if (!current) return notFound(c, frame, 'issue');
        if (queued.reason === 'no-stories') {
          return editorPage(c, frame, current, { status: 422, errors: { stories: 'Not sent: the issue has no stories. Add at least one, or use the automatic selection.' } });
        }
        return current.issue.status === 'draft' ? editorPage(c, frame, current, { status: 409, notice: { kind: 'error', text: 'Not sent: the issue changed while it was being queued. Check it and send again.' } }) : reportPage(c, frame, current, { status: 409, notice: { kind: 'warn', text: 'This issue was already queued for sending.' } });
      }
      // The recipients are written by the sender in the background: the report page counts them.
      await recordAudit(db, { actor: actorOf(frame), action: 'newsletter', detail: `${list.name} ${issue.slug}: queued for sending now`, at: now });
      deps.logger.info({ issueId: issue.id }, 'newsletter issue queued from the newsroom');
      deps.kickSender?.();
      return c.redirect(`/admin/newsletters/issues/${issue.id}?saved=queued`, 303);
    }
    const q = edit.q ? `&q=${encodeURIComponent(edit.q)}` : '';
    const anchor = edit.op.kind === 'search' || edit.op.kind === 'add' ? '#add-story' : '';
    return c.redirect(`/admin/newsletters/issues/${issue.id}?saved=draft${q}${anchor}`, 303);
  });

  app.post('/admin/newsletters/issues/:id{[0-9]+}/cancel', async (c) => {
    const frame = await requireStaff(c, deps, 'newsletters:send');
    if (frame instanceof Response) return frame;
    const at = await issueParam(c);
    if (!at) return notFound(c, frame, 'issue');
    const now = deps.now();
    const result = await cancelIssue(db, at.issue.id, now);
    if (!result.ok) {
      const current = await issueParam(c);
      if (!current) return notFound(c, frame, 'issue');
      return reportPage(c, frame, current, { status: 409, notice: { kind: 'error', text: `Not cancelled: this issue is ${current.issue.status}; only a draft can be cancelled.` } });
    }
    await recordAudit(db, { actor: actorOf(frame), action: 'newsletter', detail: `${at.list.name} ${at.issue.slug}: cancelled`, at: now });
    return c.redirect(`/admin/newsletters/issues/${at.issue.id}?saved=cancelled`, 303);
  });

  app.get('/admin/newsletters/issues/:id{[0-9]+}/preview', async (c) => {
    const frame = await requireStaff(c, deps, 'newsletters:send');
    if (frame instanceof Response) return frame;
    const at = await issueParam(c);
    if (!at) return notFound(c, frame, 'issue');
    const as = previewAs(c.req.query('as'));
    if (!as) return notFound(c, frame, 'kind of copy', { href: `/admin/newsletters/issues/${at.issue.id}`, label: 'Back to the issue' });
    const content = (at.issue.status !== 'draft' ? frozenContent(at.issue) : null)
      ?? (await composeIssueContent(db, { issue: at.issue, list: at.list, now: deps.now(), publicUrl: publicUrl() }));
    const email = renderPreview(content, as);
    c.header('content-security-policy', previewPolicy(publicUrl()));
    c.header('x-robots-tag', 'noindex');
    return c.html(email.html);
  });

  return app;
}

/** Why an automatic list cannot have an issue prepared for `date`, or null. */
function prepareProblem(o: { date: string; list: NewsletterList; timeZone: string; now: number }): string | null {
  if (!isIssueDate(o.date)) return 'Give a date such as 2026-12-01.';
  if (!o.list.schedule) return 'This list has no schedule.';
  if (o.date < localDateOf(o.now, o.timeZone)) return 'That date has passed.';
  if (!isScheduledDay(o.date, o.list.schedule)) return `${o.list.name} does not go out on that day of the week.`;
  if (sendTimeFor(o.date, o.list.schedule, o.timeZone) <= o.now) return 'That issue’s send time has passed.';
  return null;
}
