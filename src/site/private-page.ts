// A personalised page: rendered, marked private so no shared cache keeps it.
import type { Context } from 'hono';
import { html } from './reader-routes.tsx';
import { setPrivate } from './viewer.ts';

export async function privatePage(c: Context, node: unknown, status = 200): Promise<Response> {
  setPrivate(c);
  return c.html(await html(node), status as 200);
}
