/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { NewsroomDeps } from '../deps.ts';

export function settingsRoutes(_deps: NewsroomDeps): Hono {
  const app = new Hono();
  return app;
}
