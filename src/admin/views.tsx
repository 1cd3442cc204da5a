/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Newsroom pages shared by every area: sign-in (in the reader site's frame, before anyone is
// known), the start page, and the refusal page.
import type { SiteContext } from '../site/site-context.ts';
import type { Viewer } from '../site/viewer.ts';
import { Layout } from '../site/views/layout.tsx';
import { Csrf, Notice } from '../site/views/forms.tsx';
import { AdminLayout, type AdminFrame } from './layout.tsx';
import { can, type Permission } from './permissions.ts';

export function AdminLogin(props: { site: SiteContext; viewer: Viewer; returnTo: string; email?: string; error?: string }) {
  return (
    <Layout site={props.site} meta={{ title: 'Newsroom sign-in', description: 'Staff sign-in', isNoindex: true }}>
      <div class="narrow">
        <p class="kicker">Newsroom</p>
        <h1 class="page-title">Staff sign-in</h1>
        {props.error ? <Notice>{props.error}</Notice> : null}
        <form class="form" method="post" action="/admin/login">
          <Csrf viewer={props.viewer} />
          <input type="hidden" name="return" value={props.returnTo} />
          <label>E-mail<input type="email" name="email" required autocomplete="username" value={props.email ?? ''} /></label>
          <label>Password<input type="password" name="password" required autocomplete="current-password" /></label>
          <button class="btn" type="submit">Sign in</button>
        </form>
        <p class="hint">Readers sign in at <a href="/login">/login</a>.</p>
      </div>
    </Layout>
  );
}

export interface HomeCounts {
  articles: number;
  drafts: number;
  submitted: number;
  scheduled: number;
  readers: number;
  subscribers: number;
}

export function AdminHome(props: { frame: AdminFrame; counts: HomeCounts }) {
  const { frame, counts } = props;
  const staff = frame.staff;
  const n = (x: number) => x.toLocaleString('en-US');
  return (
    <AdminLayout frame={frame} title="Newsroom">
      <div class="page-head">
        <h1>Good day, {staff.name || staff.email}</h1>
        <a class="btn" href="/admin/stories/new">Write a story</a>
      </div>
      <p>You are signed in as <strong data-role={staff.role}>{staff.role}</strong>.</p>
      <div class="cards">
        <a class="card" href="/admin/stories?status=submitted"><span class="big">{n(counts.submitted)}</span><br />waiting for an editor</a>
        <a class="card" href="/admin/stories?status=draft"><span class="big">{n(counts.drafts)}</span><br />drafts</a>
        <a class="card" href="/admin/stories?status=scheduled"><span class="big">{n(counts.scheduled)}</span><br />scheduled</a>
        <a class="card" href="/admin/stories"><span class="big">{n(counts.articles)}</span><br />stories in all</a>
        {can(staff, 'readers:manage') ? (
          <a class="card" href="/admin/readers"><span class="big">{n(counts.readers)}</span><br />readers, {n(counts.subscribers)} subscribing</a>
        ) : null}
      </div>
    </AdminLayout>
  );
}

const NEEDS: Record<Permission, string> = {
  'stories:write': 'a newsroom role',
  'stories:edit-any': 'an editor',
  'stories:publish': 'an editor',
  'front:curate': 'an editor',
  'authors:manage': 'an editor',
  'sections:manage': 'an admin',
  'staff:manage': 'an admin',
  'readers:manage': 'an admin',
  'plans:manage': 'an admin',
  'paywall:manage': 'an admin',
  'letters:manage': 'an admin',
  'settings:manage': 'an admin',
  'newsletters:send': 'an editor',
  'newsletters:manage': 'an admin',
  'editions:publish': 'an editor',
};

export function Forbidden(props: { frame: AdminFrame; permission?: Permission; message?: string }) {
  return (
    <AdminLayout frame={props.frame} title="Not allowed">
      <h1>Not allowed</h1>
      <p>{props.message ?? `This needs ${props.permission ? NEEDS[props.permission] : 'another role'}; you are signed in as ${props.frame.staff.role}.`}</p>
      <p><a href="/admin">Back to the newsroom</a></p>
    </AdminLayout>
  );
}
