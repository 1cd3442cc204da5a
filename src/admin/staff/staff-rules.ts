// The rule that keeps the newsroom runnable: there is always at least one admin, so nobody
// can demote or remove the last one (themselves included). Pure.
import type { StaffRole } from '../../db/schema.ts';

export type StaffChange = { kind: 'role'; role: StaffRole } | { kind: 'remove' };

export type StaffChangeDecision = { allowed: true } | { allowed: false; reason: 'last-admin' };

export function checkStaffChange(target: { role: StaffRole }, change: StaffChange, ctx: { adminCount: number }): StaffChangeDecision {
  const losesAdmin = target.role === 'admin' && (change.kind === 'remove' || change.role !== 'admin');
  if (losesAdmin && ctx.adminCount <= 1) return { allowed: false, reason: 'last-admin' };
  return { allowed: true };
}

/** Whether a staff account is locked out after failed sign-ins at `now`. */
export function isLocked(user: { locked_until: number | null }, now: number): boolean {
  return user.locked_until !== null && user.locked_until > now;
}
