/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The one place newsroom routes ask "who is this, and may they?": a signed-in staff member
// with the permission, or a redirect to sign in, or a 403 page saying what is missing.
import type { Context } from 'hono';
import { html } from '../site/reader-routes.tsx';
import { resolveViewer, setPrivate, type ViewerDeps } from '../site/viewer.ts';
import type { SiteState } from '../site/site-state.ts';
import { adminAssets } from './assets.ts';
import type { AdminFrame } from './layout.tsx';
import { can, type Permission } from './permissions.ts';
import { Forbidden } from './views.tsx';

export interface GuardDeps extends ViewerDeps {
  state: SiteState;
}

/**
 * The frame for a newsroom page when the viewer is staff holding `permission`; otherwise
 * the response to send instead (sign-in redirect for GETs, 403 for the rest and for staff
 * without the permission).
 */
export async function requireStaff(c: Context, deps: GuardDeps, permission: Permission): Promise<AdminFrame | Response> {
  setPrivate(c);
  const viewer = await resolveViewer(c, deps);
  const path = c.req.path;
  const [{ site }, assets] = await Promise.all([deps.state.current(), adminAssets()]);
  if (!viewer.staff) {
    if (c.req.method === 'GET') return c.redirect(`/admin/login?return=${encodeURIComponent(path + (new URL(c.req.url).search || '')).replace(/%2F/g, '/')}`, 303);
    return c.text('Sign in to the newsroom first.', 403);
  }
  const frame: AdminFrame = { site, viewer, staff: viewer.staff, assets, path };
  if (!can(viewer.staff, permission)) return c.html(await html(<Forbidden frame={frame} permission={permission} />), 403);
  return frame;
}
