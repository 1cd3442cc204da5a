/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The staff page: who works in the newsroom and in which role, adding someone (their
// password shown once), changing roles, unlocking, removing access.
import { AdminCsrf, AdminLayout, Flash, type AdminFrame } from '../layout.tsx';
import { displayDateTime } from '../../content/dates.ts';
import { STAFF_ROLES } from '../../accounts/staff.ts';
import type { StaffRole } from '../../db/schema.ts';
import type { NewStaffField } from '../staff/staff-forms.ts';
import type { StaffListRow } from '../staff/staff-store.ts';

const ROLE_HINTS: Record<StaffRole, string> = {
  writer: 'writes stories and edits their own drafts',
  editor: 'also edits any story, publishes, curates the front page, manages authors',
  admin: 'also runs sections, staff, readers, plans, the paywall, letters and settings',
};

export interface NewStaffFormState {
  values: Record<NewStaffField, string>;
  errors: Partial<Record<NewStaffField, string>>;
}

export interface StaffPageState {
  notice?: { kind: 'ok' | 'error'; text: string };
  addForm?: NewStaffFormState;
  /** A refused role change, shown next to that person's role. */
  roleError?: { userId: number; value: string; message: string };
}

function RoleOptions(props: { selected: string }) {
  return <>{STAFF_ROLES.map((r) => <option value={r} selected={props.selected === r}>{r}</option>)}</>;
}

export function StaffPage(props: { frame: AdminFrame; rows: StaffListRow[]; state?: StaffPageState }) {
  const { frame, rows } = props;
  const state = props.state ?? {};
  const tz = frame.site.publication.timeZone;
  const add = state.addForm ?? { values: { email: '', name: '', role: 'writer' }, errors: {} };
  const invalid = (f: NewStaffField) => (add.errors[f] ? { 'aria-invalid': 'true', 'aria-describedby': `staff-${f}-error` } : {});
  return (
    <AdminLayout frame={frame} title="Staff">
      <div class="page-head"><h1>Staff</h1></div>
      {state.notice ? <Flash kind={state.notice.kind}><span data-result>{state.notice.text}</span></Flash> : null}
      <table class="list staff-list">
        <caption class="visually-hidden">Newsroom staff</caption>
        <thead>
          <tr><th scope="col">E-mail</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Last sign-in</th><th scope="col">Sign-in</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
        </thead>
        <tbody>
          {rows.map((u) => {
            const isSelf = u.id === frame.staff.id;
            const roleError = state.roleError?.userId === u.id ? state.roleError : undefined;
            return (
              <tr data-staff-row data-staff-id={String(u.id)} data-role={u.role} data-locked={u.isLocked ? 'yes' : 'no'}>
                <td>{u.email}{isSelf ? <span class="muted"> (you)</span> : null}</td>
                <td>{u.name || <span class="muted">—</span>}</td>
                <td>
                  <form method="post" action={`/admin/staff/${u.id}/role`} class="staff-role">
                    <AdminCsrf frame={frame} />
                    <label><span class="visually-hidden">Role for {u.email}</span>
                      <select name="role" aria-invalid={roleError ? 'true' : undefined} aria-describedby={roleError ? `role-error-${u.id}` : undefined}>
                        <RoleOptions selected={roleError?.value ?? u.role} />
                      </select>
                    </label>
                    <button class="btn btn-small btn-quiet" type="submit" data-action="change-role" data-confirm={`Change the role of ${u.email}?`}>Change</button>
                    {roleError ? <span class="field-error" id={`role-error-${u.id}`}>{roleError.message}</span> : null}
                  </form>
                </td>
                <td>{u.lastSignInAt === null ? <span class="muted">Never</span> : displayDateTime(u.lastSignInAt, tz)}</td>
                <td>{u.isLocked ? <span class="status status-locked">Locked until {displayDateTime(u.lockedUntil!, tz)}</span> : <span class="muted">Open</span>}</td>
                <td>
                  <div class="actions">
                    {u.isLocked ? (
                      <form method="post" action={`/admin/staff/${u.id}/unlock`} class="inline-form">
                        <AdminCsrf frame={frame} />
                        <button class="btn btn-small" type="submit" data-action="unlock" data-confirm={`Unlock ${u.email} so they can sign in again?`}>Unlock</button>
                      </form>
                    ) : null}
                    <form method="post" action={`/admin/staff/${u.id}/remove`} class="inline-form">
                      <AdminCsrf frame={frame} />
                      <button class="btn btn-small btn-danger" type="submit" data-action="remove" data-confirm={isSelf ? 'Remove your own access? You will be signed out.' : `Remove ${u.email}'s access? They are signed out at once; the audit log keeps their name.`}>Remove access</button>
                    </form>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <section aria-labelledby="staff-add-h">
        <h2 id="staff-add-h">Add a staff member</h2>
        <form class="form staff-add" method="post" action="/admin/staff" data-form="add-staff" novalidate>
          <AdminCsrf frame={frame} />
          <div class="grid-2">
            <label>E-mail
              <input type="email" name="email" value={add.values.email} required maxlength={254} autocomplete="off" {...invalid('email')} />
              {add.errors.email ? <span class="field-error" id="staff-email-error">{add.errors.email}</span> : null}
            </label>
            <label>Name
              <input type="text" name="name" value={add.values.name} maxlength={120} autocomplete="off" {...invalid('name')} />
              {add.errors.name ? <span class="field-error" id="staff-name-error">{add.errors.name}</span> : null}
            </label>
          </div>
          <fieldset class="staff-roles" aria-describedby={add.errors.role ? 'staff-role-error' : undefined}>
            <legend>Role</legend>
            {STAFF_ROLES.map((r) => (
              <label class="check"><input type="radio" name="role" value={r} checked={add.values.role === r} /> {r}<span class="hint"> — {ROLE_HINTS[r]}</span></label>
            ))}
            {add.errors.role ? <span class="field-error" id="staff-role-error">{add.errors.role}</span> : null}
          </fieldset>
          <p class="hint">A password is generated and shown once, on the next page: hand it over in person or by a channel you trust.</p>
          <div><button class="btn" type="submit" data-action="add-staff">Add</button></div>
        </form>
      </section>
    </AdminLayout>
  );
}

export function StaffAddedPage(props: { frame: AdminFrame; user: { id: number; email: string; role: StaffRole }; password: string }) {
  const { frame, user, password } = props;
  return (
    <AdminLayout frame={frame} title="Staff member added">
      <h1>Staff member added</h1>
      <Flash kind="ok"><span data-result>{user.email} can now sign in as {user.role}.</span></Flash>
      <dl class="kv">
        <dt>E-mail</dt><dd>{user.email}</dd>
        <dt>Password</dt><dd><code class="staff-password" data-generated-password>{password}</code></dd>
      </dl>
      <p>This password is shown only this once and is not stored readably. Give it to {user.email} now; they sign in at <a href="/admin/login">/admin/login</a>.</p>
      <p><a href="/admin/staff">Back to staff</a></p>
    </AdminLayout>
  );
}
