// What the settings route tables share: sending a page with a status, the form body with
// repeated names kept, and who is acting (for the audit log).
import type { Context } from 'hono';
import { html } from '../../../site/reader-routes.tsx';
import type { AdminFrame } from '../../layout.tsx';
import type { FormBody } from '../../settings/form.ts';

export async function page(c: Context, node: unknown, status: 200 | 404 | 422 = 200): Promise<Response> {
  return c.html(await html(node), status);
}

export async function formBody(c: Context): Promise<FormBody> {
  return (await c.req.parseBody({ all: true })) as FormBody;
}

export const actorOf = (frame: AdminFrame) => ({ id: frame.staff.id, email: frame.staff.email });

/** A positive integer route parameter, or null. */
export function idParam(value: string | undefined): number | null {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
