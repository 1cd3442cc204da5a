/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The newsroom's page shell: a side bar with what this staff member may use, the page's
// heading and content, the bundled script (deferred; every form works without it).
import type { Child } from 'hono/jsx';
import type { SiteContext } from '../site/site-context.ts';
import type { StaffViewer, Viewer } from '../site/viewer.ts';
import type { AdminAssets } from './assets.ts';
import { can, type Permission } from './permissions.ts';

/** What every newsroom page needs to draw its frame. */
export interface AdminFrame {
  site: SiteContext;
  viewer: Viewer;
  staff: StaffViewer;
  assets: AdminAssets;
  /** The request path, to mark the current section of the side bar. */
  path: string;
}

const NAV: { href: string; label: string; needs: Permission }[] = [
  { href: '/admin/stories', label: 'Stories', needs: 'stories:write' },
  { href: '/admin/front', label: 'Front page', needs: 'front:curate' },
  { href: '/admin/sections', label: 'Sections', needs: 'sections:manage' },
  { href: '/admin/authors', label: 'Authors', needs: 'authors:manage' },
  { href: '/admin/newsletters', label: 'Newsletters', needs: 'newsletters:send' },
  { href: '/admin/editions', label: 'The Weekly', needs: 'editions:publish' },
  { href: '/admin/readers', label: 'Readers', needs: 'readers:manage' },
  { href: '/admin/letters', label: 'Letters', needs: 'letters:manage' },
  { href: '/admin/paywall', label: 'Paywall', needs: 'paywall:manage' },
  { href: '/admin/plans', label: 'Plans & offers', needs: 'plans:manage' },
  { href: '/admin/staff', label: 'Staff', needs: 'staff:manage' },
  { href: '/admin/settings', label: 'Settings', needs: 'settings:manage' },
  { href: '/admin/audit', label: 'Audit log', needs: 'stories:publish' },
];

export function AdminLayout(props: { frame: AdminFrame; title: string; children?: Child }) {
  const { frame } = props;
  const pub = frame.site.publication;
  const isCurrent = (href: string) => frame.path === href || frame.path.startsWith(`${href}/`);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${props.title} · Newsroom · ${pub.name}`}</title>
        <link rel="stylesheet" href={frame.assets.style.path} />
        <script type="module" src={frame.assets.script.path}></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <aside class="side">
          <a class="brand" href="/admin">{pub.name}<small>Newsroom</small></a>
          <nav aria-label="Newsroom">
            <ul>
              {NAV.filter((n) => can(frame.staff, n.needs)).map((n) => (
                <li><a href={n.href} aria-current={isCurrent(n.href) ? 'page' : undefined}>{n.label}</a></li>
              ))}
              <li><a href="/" target="_blank" rel="noopener">View site ↗</a></li>
            </ul>
          </nav>
          <div class="who">
            <span>{frame.staff.name || frame.staff.email}</span> · <span data-role={frame.staff.role}>{frame.staff.role}</span>
            <form method="post" action="/admin/logout"><input type="hidden" name="_csrf" value={frame.viewer.csrfToken} /><button class="btn btn-quiet btn-small" type="submit">Sign out</button></form>
          </div>
        </aside>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}

/** The CSRF field every newsroom form carries. */
export function AdminCsrf(props: { frame: AdminFrame }) {
  return <input type="hidden" name="_csrf" value={props.frame.viewer.csrfToken} />;
}

/** A message at the top of a page: saved, refused, or why a save failed. */
export function Flash(props: { kind: 'ok' | 'error' | 'warn'; children?: Child }) {
  return <div class={`notice notice-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>{props.children}</div>;
}

/** A page's one-line notice, with a link to what it is about. */
export interface PageNotice {
  kind: 'ok' | 'error' | 'warn';
  text: string;
  link?: { href: string; label: string };
}

export function NoticeFlash(props: { notice?: PageNotice | null }) {
  const notice = props.notice;
  return notice ? <Flash kind={notice.kind}>{notice.text}{notice.link ? <> <a href={notice.link.href}>{notice.link.label}</a></> : null}</Flash> : null;
}
