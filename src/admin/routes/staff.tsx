/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Staff management (admins: 'staff:manage'). Thin handlers: parse, one use case, render or
// redirect; refusals and bad input come back on the same page with the reason.
import { Hono, type Context } from 'hono';
import type { NewsroomDeps } from '../deps.ts';
import { requireStaff } from '../guard.tsx';
import type { AdminFrame } from '../layout.tsx';
import { actorOf } from '../audit.ts';
import { rowId } from '../row-id.ts';
import { privatePage } from '../../site/private-page.ts';
import { parseNewStaffForm, parseRoleForm } from '../staff/staff-forms.ts';
import { addStaff, changeStaffRole, listStaff, removeStaff, unlockStaff, type StaffChangeResult } from '../staff/staff-store.ts';
import { StaffAddedPage, StaffPage, type StaffPageState } from '../views/staff.tsx';

const DONE: Record<string, string> = {
  role: 'The role has been changed.',
  unlock: 'The account is unlocked: they can sign in again.',
  'not-locked': 'That account was not locked.',
  removed: 'Access removed: they have been signed out, and the audit log keeps their name.',
};

const LAST_ADMIN = 'There must always be at least one admin: make someone else an admin first.';

export function staffRoutes(deps: NewsroomDeps): Hono {
  const { db } = deps;
  const app = new Hono();
  const userId = (c: Context) => rowId(c.req.param('id'));

  const render = async (c: Context, frame: AdminFrame, state: StaffPageState = {}, status = 200) =>
    privatePage(c, <StaffPage frame={frame} rows={await listStaff(db, deps.now())} state={state} />, status);
  const noSuchStaff = (c: Context, frame: AdminFrame) => render(c, frame, { notice: { kind: 'error', text: 'That staff member no longer exists.' } }, 404);

  const refusal = (c: Context, frame: AdminFrame, result: Exclude<StaffChangeResult, { ok: true }>, id: number, value?: string) => {
    if (result.reason === 'not-found') return noSuchStaff(c, frame);
    return render(c, frame, { notice: { kind: 'error', text: LAST_ADMIN }, roleError: value ? { userId: id, value, message: LAST_ADMIN } : undefined }, 409);
  };

  app.get('/admin/staff', async (c) => {
    const frame = await requireStaff(c, deps, 'staff:manage');
    if (frame instanceof Response) return frame;
    const done = DONE[c.req.query('done') ?? ''];
    return render(c, frame, done ? { notice: { kind: 'ok', text: done } } : {});
  });

  app.post('/admin/staff', async (c) => {
    const frame = await requireStaff(c, deps, 'staff:manage');
    if (frame instanceof Response) return frame;
    const form = parseNewStaffForm(await c.req.parseBody());
    if (!form.ok) return render(c, frame, { addForm: { values: form.values, errors: form.errors }, notice: { kind: 'error', text: 'The staff member was not added: see the marked fields.' } }, 422);
    const result = await addStaff(db, actorOf(frame), form.value, deps.now());
    if (!result.ok) {
      const values = { email: form.value.email, name: form.value.name, role: form.value.role };
      return render(c, frame, { addForm: { values, errors: { email: 'Someone on the staff already has this address.' } }, notice: { kind: 'error', text: 'The staff member was not added: see the marked fields.' } }, 422);
    }
    deps.logger.info({ staffId: result.id, role: result.role, by: frame.staff.id }, 'staff member added');
    // The password is shown on this page and nowhere else (not in a redirect, not in logs).
    return privatePage(c, <StaffAddedPage frame={frame} user={result} password={result.password} />, 201);
  });

  app.post('/admin/staff/:id{[0-9]+}/role', async (c) => {
    const frame = await requireStaff(c, deps, 'staff:manage');
    if (frame instanceof Response) return frame;
    const id = userId(c);
    if (id === null) return noSuchStaff(c, frame);
    const form = parseRoleForm(await c.req.parseBody());
    if (!form.ok) return render(c, frame, { roleError: { userId: id, value: form.values.role, message: form.errors.role! } }, 422);
    const result = await changeStaffRole(db, actorOf(frame), id, form.value, deps.now());
    if (!result.ok) return refusal(c, frame, result, id, form.value);
    // Demoting yourself: the staff page may no longer be yours to see.
    if (id === frame.staff.id && form.value !== 'admin') return c.redirect('/admin', 303);
    return c.redirect('/admin/staff?done=role', 303);
  });

  app.post('/admin/staff/:id{[0-9]+}/unlock', async (c) => {
    const frame = await requireStaff(c, deps, 'staff:manage');
    if (frame instanceof Response) return frame;
    const id = userId(c);
    if (id === null) return noSuchStaff(c, frame);
    const result = await unlockStaff(db, actorOf(frame), id, deps.now());
    if (!result.ok) return noSuchStaff(c, frame);
    return c.redirect(`/admin/staff?done=${result.wasLocked ? 'unlock' : 'not-locked'}`, 303);
  });

  app.post('/admin/staff/:id{[0-9]+}/remove', async (c) => {
    const frame = await requireStaff(c, deps, 'staff:manage');
    if (frame instanceof Response) return frame;
    const id = userId(c);
    if (id === null) return noSuchStaff(c, frame);
    const result = await removeStaff(db, actorOf(frame), id, deps.now());
    if (!result.ok) return refusal(c, frame, result, id);
    deps.logger.info({ staffId: id, by: frame.staff.id }, 'staff access removed');
    if (id === frame.staff.id) return c.redirect('/admin/login', 303);
    return c.redirect('/admin/staff?done=removed', 303);
  });

  return app;
}
