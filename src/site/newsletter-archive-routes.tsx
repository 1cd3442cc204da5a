/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The archive of a newsletter list on the site: GET /newsletters/:list (the issues sent) and
// GET /newsletters/:list/:slug (one issue, as it was sent). Only issues that have gone out
// are shown; a list that is not open to sign-ups shows its issues only to the people it is
// for (holders of its entitlement, its members, staff). Registered after the fixed
// /newsletters/… paths and before the reader site's catch-all article paths.
import { Hono, type Context } from 'hono';
import type { Db } from '../db/database.ts';
import type { IssueStatus } from '../db/schema.ts';
import { getList } from '../newsletters/lists.ts';
import { parseIssueContent, defaultSubject } from '../newsletters/issue-content.ts';
import type { NewsletterList } from '../newsletters/types.ts';
import { loadEntitlements } from '../billing/billing-service.ts';
import type { SiteState } from './site-state.ts';
import { resolveViewer, setPrivate, type Viewer } from './viewer.ts';
import { errorPage, html, notFound, pageParam } from './reader-routes.tsx';
import { ArchiveIndexPage, ArchiveOfferPage, IssuePage, type ArchiveEntry } from './views/newsletter-archive.tsx';

export interface NewsletterArchiveDeps {
  db: Db;
  state: SiteState;
  secret: string;
  now: () => number;
  isHttps: boolean;
}

/**
 * Issues readers may see: sent, and those being sent — their content is frozen and already
 * in inboxes, whose "view in browser" link must not meet a 404 while the rest go out.
 */
const VISIBLE: IssueStatus[] = ['sending', 'sent'];
const PAGE_SIZE = 20;
const SLUG = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;

export type ArchiveAccess =
  | { isAllowed: true; isPublic: boolean; viewer: Viewer | null }
  | { isAllowed: false; reason: 'needs-entitlement' | 'members-only'; viewer: Viewer };

export function newsletterArchiveRoutes(deps: NewsletterArchiveDeps): Hono {
  const { db, state } = deps;
  const app = new Hono();

  /** Who may read this list's issues: anyone for a list open to sign-ups; else its own readers. */
  async function accessFor(c: Context, list: NewsletterList): Promise<ArchiveAccess> {
    if (list.isOpenToSignups) {
      // The sign-up form carries a form token, so an active list's pages are personal.
      return { isAllowed: true, isPublic: true, viewer: list.isActive ? await resolveViewer(c, deps) : null };
    }
    const viewer = await resolveViewer(c, deps);
    if (viewer.staff) return { isAllowed: true, isPublic: false, viewer };
    const reader = viewer.reader;
    if (reader) {
      if (list.entitlement) {
        const entitlements = await loadEntitlements(db, reader, { isStaff: false, now: deps.now() }) as Record<string, unknown>;
        if (entitlements[list.entitlement]) return { isAllowed: true, isPublic: false, viewer };
      }
      const member = await db
        .selectFrom('list_members')
        .select('id')
        .where('list_id', '=', list.id)
        .where('email', '=', reader.email.toLowerCase())
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (member) return { isAllowed: true, isPublic: false, viewer };
    }
    return { isAllowed: false, reason: list.entitlement ? 'needs-entitlement' : 'members-only', viewer };
  }

  async function respond(c: Context, access: ArchiveAccess, node: unknown, status = 200): Promise<Response> {
    // Pages with a form token or shown to some readers only are never kept by a shared cache.
    if (access.viewer) setPrivate(c);
    else c.header('cache-control', 'public, max-age=60');
    return c.html(await html(node), status as 200);
  }

  async function offer(c: Context, list: NewsletterList, access: Extract<ArchiveAccess, { isAllowed: false }>): Promise<Response> {
    const { site } = await state.current();
    const returnTo = new URL(c.req.url).pathname;
    return respond(c, access, <ArchiveOfferPage site={site} list={list} returnTo={returnTo} isSignedIn={access.viewer.reader !== null} />, 403);
  }

  app.get('/newsletters/:list', async (c) => {
    const { site } = await state.current();
    const slug = c.req.param('list');
    if (!SLUG.test(slug)) return notFound(c, site);
    const page = pageParam(c.req.query('page'));
    if (page === null) return errorPage(c, site, 400);
    const list = await getList(db, { slug });
    if (!list) return notFound(c, site);
    const access = await accessFor(c, list);
    if (!access.isAllowed) return offer(c, list, access);

    const [rows, total] = await Promise.all([
      db
        .selectFrom('newsletter_issues')
        .select(['slug', 'issue_date', 'subject', 'content'])
        .where('list_id', '=', list.id)
        .where('status', 'in', VISIBLE)
        .orderBy('issue_date', 'desc')
        .orderBy('id', 'desc')
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .execute(),
      db
        .selectFrom('newsletter_issues')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('list_id', '=', list.id)
        .where('status', 'in', VISIBLE)
        .executeTakeFirst()
        .then((r) => Number(r?.n ?? 0)),
    ]);
    if (page > 1 && rows.length === 0) return notFound(c, site);
    const entries: ArchiveEntry[] = rows.map((r) => {
      const content = parseIssueContent(r.content);
      return {
        slug: r.slug,
        issueDate: r.issue_date,
        subject: content?.subject || r.subject || defaultSubject(list.name, r.issue_date),
        leadHeadline: content?.stories[0]?.headline ?? '',
        storyCount: content?.stories.length ?? 0,
      };
    });
    return respond(c, access, <ArchiveIndexPage site={site} viewer={access.viewer} list={list} entries={entries} page={page} pageCount={Math.max(1, Math.ceil(total / PAGE_SIZE))} isPublic={access.isPublic} />);
  });

  app.get('/newsletters/:list/:slug', async (c) => {
    const { site } = await state.current();
    const listSlug = c.req.param('list');
    const issueSlug = c.req.param('slug');
    if (!SLUG.test(listSlug) || !SLUG.test(issueSlug)) return notFound(c, site);
    const list = await getList(db, { slug: listSlug });
    if (!list) return notFound(c, site);
    const row = await db
      .selectFrom('newsletter_issues')
      .select(['status', 'content'])
      .where('list_id', '=', list.id)
      .where('slug', '=', issueSlug)
      .executeTakeFirst();
    const content = row && VISIBLE.includes(row.status) ? parseIssueContent(row.content) : null;
    // A draft, a queued or a cancelled issue does not exist for readers (nor does its title).
    if (!content) return notFound(c, site);
    const access = await accessFor(c, list);
    if (!access.isAllowed) return offer(c, list, access);
    return respond(c, access, <IssuePage site={site} viewer={access.viewer} list={list} content={content} isPublic={access.isPublic} />);
  });

  return app;
}
