// What the settings route tables share: sending a page with a status, and the form body with
// repeated names kept. (Who is acting: ../../audit.ts actorOf; ids: ../../row-id.ts rowId.)
import type { Context } from 'hono';
import { html } from '../../../site/reader-routes.tsx';
import type { FormBody } from '../../settings/form.ts';

export async function page(c: Context, node: unknown, status: 200 | 404 | 422 = 200): Promise<Response> {
  return c.html(await html(node), status);
}

export async function formBody(c: Context): Promise<FormBody> {
  return (await c.req.parseBody({ all: true })) as FormBody;
}
