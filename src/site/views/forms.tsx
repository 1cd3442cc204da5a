/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Small pieces shared by every form page: the CSRF field, notices, a simple message page.
import type { Child } from 'hono/jsx';
import type { SiteContext } from '../site-context.ts';
import type { Viewer } from '../viewer.ts';
import { Layout } from './layout.tsx';

export function Csrf(props: { viewer: Viewer }) {
  return <input type="hidden" name="_csrf" value={props.viewer.csrfToken} />;
}

export function Notice(props: { kind?: 'ok' | 'warn'; children?: Child }) {
  return <div class={props.kind === 'ok' ? 'notice notice-ok' : 'notice'} role="status">{props.children}</div>;
}

/** A short page: a heading, a message, maybe a link onward. */
export function MessagePage(props: { site: SiteContext; title: string; kicker?: string; children?: Child }) {
  return (
    <Layout site={props.site} meta={{ title: props.title, description: props.title, isNoindex: true }}>
      <div class="narrow">
        {props.kicker ? <p class="kicker">{props.kicker}</p> : null}
        <h1 class="page-title">{props.title}</h1>
        {props.children}
      </div>
    </Layout>
  );
}
