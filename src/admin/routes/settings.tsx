/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The business side of the newsroom, admins only: publication settings, the paywall policy,
// letters to readers, and plans & offers. One route table per page group; each route asks
// requireStaff for its permission first.
import { Hono } from 'hono';
import type { NewsroomDeps } from '../deps.ts';
import { publicationRoutes } from './settings/publication.tsx';
import { paywallRoutes } from './settings/paywall.tsx';
import { lettersRoutes } from './settings/letters.tsx';
import { plansRoutes } from './settings/plans.tsx';

export function settingsRoutes(deps: NewsroomDeps): Hono {
  const app = new Hono();
  for (const area of [publicationRoutes, paywallRoutes, lettersRoutes, plansRoutes]) app.route('/', area(deps));
  return app;
}
