/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Newsroom pages. The full newsroom app builds on these; for now, sign-in and a start page.
import type { SiteContext } from '../site/site-context.ts';
import type { Viewer } from '../site/viewer.ts';
import { Layout } from '../site/views/layout.tsx';
import { Csrf, Notice } from '../site/views/forms.tsx';

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

export function AdminHome(props: { site: SiteContext; viewer: Viewer; counts: { articles: number; readers: number; subscribers: number } }) {
  const staff = props.viewer.staff!;
  return (
    <Layout site={props.site} meta={{ title: 'Newsroom', description: 'Newsroom', isNoindex: true }}>
      <div class="narrow">
        <p class="kicker">Newsroom</p>
        <h1 class="page-title">Good day, {staff.name || staff.email}</h1>
        <p>You are signed in as <strong data-role={staff.role}>{staff.role}</strong>.</p>
        <dl class="kv">
          <dt>Articles</dt><dd>{props.counts.articles.toLocaleString('en-US')}</dd>
          <dt>Readers</dt><dd>{props.counts.readers.toLocaleString('en-US')}</dd>
          <dt>Subscribers</dt><dd>{props.counts.subscribers.toLocaleString('en-US')}</dd>
        </dl>
        <form method="post" action="/admin/logout" class="actions"><Csrf viewer={props.viewer} /><button class="btn btn-quiet" type="submit">Sign out</button></form>
      </div>
    </Layout>
  );
}
