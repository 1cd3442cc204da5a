// Newsroom staff for HTTP tests: a user with a role, signed in through the real form.
import { createStaffUser } from '../../src/accounts/staff.ts';
import type { StaffRole } from '../../src/db/schema.ts';
import type { TestApp } from './app.ts';
import { Client } from './client.ts';

export const STAFF_TEST_PASSWORD = 'correct horse battery staple';

let serial = 0;

/** A new staff member with `role`, signed in; `client.staffId` is their user id. */
export async function signedInStaff(t: TestApp, role: StaffRole, opts: { email?: string; name?: string } = {}): Promise<Client & { staffId: number; email: string }> {
  const email = opts.email ?? `${role}-${++serial}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const user = await createStaffUser(t.app.database.db, { email, name: opts.name ?? `${role[0].toUpperCase()}${role.slice(1)} ${serial}`, role, password: STAFF_TEST_PASSWORD }, t.clock.now);
  const client = new Client(t);
  await client.get('/admin/login');
  const res = await client.post('/admin/login', { email, password: STAFF_TEST_PASSWORD, return: '/admin' });
  if (res.status !== 303) throw new Error(`staff sign-in failed with ${res.status}`);
  return Object.assign(client, { staffId: user.id, email });
}
