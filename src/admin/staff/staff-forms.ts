// What the staff pages accept, parsed at the edge (zod): a new staff member and a change of
// role. Pure.
import { z } from 'zod';
import { STAFF_ROLES } from '../../accounts/staff.ts';
import type { StaffRole } from '../../db/schema.ts';
import { fieldErrors, formValues, type FormResult } from '../form-result.ts';

const roleSchema = z.enum(STAFF_ROLES as [StaffRole, ...StaffRole[]], { message: 'Choose admin, editor or writer.' });

export const NEW_STAFF_FIELDS = ['email', 'name', 'role'] as const;
export type NewStaffField = (typeof NEW_STAFF_FIELDS)[number];

const newStaffSchema = z.object({
  email: z.string().trim().toLowerCase().max(254, 'That address is too long.').pipe(z.email('Enter an e-mail address such as name@example.com.')),
  name: z.string().trim().max(120, 'Keep the name under 120 characters.'),
  role: roleSchema,
});

export type NewStaff = z.infer<typeof newStaffSchema>;

export function parseNewStaffForm(form: Record<string, unknown>): FormResult<NewStaff, Record<NewStaffField, string>> {
  const values = formValues(form, NEW_STAFF_FIELDS);
  const parsed = newStaffSchema.safeParse(values);
  if (!parsed.success) return { ok: false, values, errors: fieldErrors(parsed.error.issues, (path) => path.split('.')[0]) };
  return { ok: true, value: parsed.data, values };
}

export function parseRoleForm(form: Record<string, unknown>): FormResult<StaffRole, Record<'role', string>> {
  const values = formValues(form, ['role'] as const);
  const parsed = roleSchema.safeParse(values.role);
  if (!parsed.success) return { ok: false, values, errors: { role: parsed.error.issues[0]?.message ?? 'Choose admin, editor or writer.' } };
  return { ok: true, value: parsed.data, values };
}
