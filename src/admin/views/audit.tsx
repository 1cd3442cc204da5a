/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The audit log: who did what to which story, and when, newest first; filtered by action and
// by story, fifty entries a page.
import { displayDateTime } from '../../content/dates.ts';
import type { AuditAction, AuditRow } from '../audit.ts';
import { AdminLayout, type AdminFrame } from '../layout.tsx';

export const AUDIT_PAGE_SIZE = 50;

/** Every action the log knows, as the filter offers it (a Record, so a new action must be named here). */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  create: 'Created',
  submit: 'Submitted',
  publish: 'Published',
  schedule: 'Scheduled',
  unpublish: 'Unpublished',
  access: 'Access changed',
  restore: 'Revision restored',
  correct: 'Corrected',
  url: 'URL changed',
  'front-page': 'Front page',
  section: 'Section',
  author: 'Author',
  staff: 'Staff',
  reader: 'Reader',
  plan: 'Plan',
  offer: 'Offer',
  coupon: 'Coupon',
  paywall: 'Paywall',
  letter: 'Letter',
  settings: 'Settings',
  newsletter: 'Newsletter',
  edition: 'Weekly edition',
};

export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABELS) as AuditAction[];

export interface AuditFilter {
  action: AuditAction | null;
  /** The story the log is narrowed to, with its headline when it still exists. */
  article: { id: number; headline: string | null } | null;
  page: number;
}

export function auditUrl(f: { action: AuditAction | null; articleId: number | null; page?: number }): string {
  const q = new URLSearchParams();
  if (f.action) q.set('action', f.action);
  if (f.articleId !== null) q.set('article', String(f.articleId));
  if (f.page && f.page > 1) q.set('page', String(f.page));
  const s = q.toString();
  return s ? `/admin/audit?${s}` : '/admin/audit';
}

const actionLabel = (action: string) => (AUDIT_ACTION_LABELS as Record<string, string>)[action] ?? action;

export function AuditPage(props: { frame: AdminFrame; rows: AuditRow[]; filter: AuditFilter; hasMore: boolean }) {
  const { frame, rows, filter } = props;
  const tz = frame.site.publication.timeZone;
  const articleId = filter.article?.id ?? null;
  return (
    <AdminLayout frame={frame} title="Audit log">
      <div class="page-head">
        <h1>Audit log</h1>
      </div>
      <p class="muted">Who published, scheduled, unpublished, restored, corrected or changed what, and when — newest first.</p>

      <form class="filters" method="get" action="/admin/audit" data-audit-filters>
        <label>
          Action
          <select name="action">
            <option value="" selected={filter.action === null}>All actions</option>
            {AUDIT_ACTIONS.map((a) => <option value={a} selected={filter.action === a}>{AUDIT_ACTION_LABELS[a]}</option>)}
          </select>
        </label>
        {articleId !== null ? <input type="hidden" name="article" value={String(articleId)} /> : null}
        <button class="btn btn-quiet" type="submit">Filter</button>
      </form>

      {filter.article ? (
        <p class="notice" data-audit-story={String(filter.article.id)}>
          Showing the story {filter.article.headline ? `“${filter.article.headline}”` : `#${filter.article.id}`} only.{' '}
          <a href={auditUrl({ action: filter.action, articleId: null })}>Show every story</a>
        </p>
      ) : null}

      {rows.length ? (
        <table class="list audit-list" data-audit>
          <caption class="visually-hidden">Audit log entries</caption>
          <thead>
            <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Story</th><th scope="col">Detail</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-audit-entry={String(r.id)} data-action={r.action}>
                <td><time datetime={new Date(r.at).toISOString()}>{displayDateTime(r.at, tz)}</time></td>
                <td>{r.actor}</td>
                <td>{actionLabel(r.action)}</td>
                <td>
                  {r.articleId === null ? (
                    <span class="muted">—</span>
                  ) : r.headline === null ? (
                    <span class="muted">story #{r.articleId} (deleted)</span>
                  ) : (
                    <>
                      <a href={`/admin/stories/${r.articleId}/edit`}>{r.headline}</a>
                      {articleId === null ? (
                        <>
                          {' '}
                          <a class="audit-only" href={auditUrl({ action: filter.action, articleId: r.articleId })}>
                            (only this story<span class="visually-hidden">: “{r.headline}”</span>)
                          </a>
                        </>
                      ) : null}
                    </>
                  )}
                </td>
                <td>{r.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p data-audit-empty>{filter.page > 1 ? 'No more entries.' : 'Nothing has been recorded yet for this choice.'}</p>
      )}

      {filter.page > 1 || props.hasMore ? (
        <nav class="pager" aria-label="Pages of the audit log">
          {filter.page > 1 ? <a href={auditUrl({ action: filter.action, articleId, page: filter.page - 1 })} rel="prev">Newer entries</a> : null}
          <span>Page {filter.page}</span>
          {props.hasMore ? <a href={auditUrl({ action: filter.action, articleId, page: filter.page + 1 })} rel="next">Older entries</a> : null}
        </nav>
      ) : null}
    </AdminLayout>
  );
}
