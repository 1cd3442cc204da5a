// Staff accounts from the newsroom: the list, adding someone (with a generated password
// shown once), changing a role, unlocking, and removing access. Each change writes its
// audit entry ('staff') in the transaction that makes it. Removing deletes the user: the
// audit log keeps the actor's e-mail (audit_log.user_id becomes null), their stories keep
// their words (created_by becomes null), and their sessions go with them, so they are
// signed out at once.
import type { Db, Tx } from '../../db/database.ts';
import type { StaffRole } from '../../db/schema.ts';
import { createStaffUser, generatePassword, StaffExistsError, type CreatedStaffUser } from '../../accounts/staff.ts';
import { recordAudit, type Actor } from '../audit.ts';
import { checkStaffChange, isLocked, type StaffChange } from './staff-rules.ts';
import type { NewStaff } from './staff-forms.ts';

export interface StaffListRow {
  id: number;
  email: string;
  name: string;
  role: StaffRole;
  createdAt: number;
  /** The last session opened (sign-in), if any is recorded. */
  lastSignInAt: number | null;
  lockedUntil: number | null;
  isLocked: boolean;
}

export async function listStaff(db: Db, now: number): Promise<StaffListRow[]> {
  const rows = await db
    .selectFrom('users')
    .leftJoin('sessions', 'sessions.user_id', 'users.id')
    .select((eb) => ['users.id', 'users.email', 'users.name', 'users.role', 'users.created_at', 'users.locked_until', eb.fn.max('sessions.created_at').as('last_sign_in')])
    .groupBy(['users.id', 'users.email', 'users.name', 'users.role', 'users.created_at', 'users.locked_until'])
    .orderBy('users.email')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    createdAt: Number(r.created_at),
    lastSignInAt: r.last_sign_in === null ? null : Number(r.last_sign_in),
    lockedUntil: r.locked_until,
    isLocked: isLocked(r, now),
  }));
}

export type AddStaffResult = { ok: true; id: number; email: string; role: StaffRole; password: string } | { ok: false; reason: 'exists' };

/** Adds a staff member with a generated password, returned once to show to the admin. */
export async function addStaff(db: Db, actor: Actor, input: NewStaff, now: number): Promise<AddStaffResult> {
  const password = generatePassword();
  let user: CreatedStaffUser;
  try {
    // The password is hashed before the transaction (slow on purpose); the user and the audit row commit together.
    user = await createStaffUser(db, { email: input.email, name: input.name, role: input.role, password }, now, {
      within: (tx, created) => recordAudit(tx, { actor, action: 'staff', detail: `added ${created.email} as ${created.role}`, at: now }),
    });
  } catch (err) {
    if (err instanceof StaffExistsError) return { ok: false, reason: 'exists' };
    // Two admins adding the same address at once: the unique index answers the second.
    if (await db.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst()) return { ok: false, reason: 'exists' };
    throw err;
  }
  return { ok: true, ...user, password };
}

export type StaffChangeResult =
  | { ok: true; email: string; from: StaffRole; to: StaffRole | null }
  | { ok: false; reason: 'not-found' | 'last-admin' };

/**
 * Runs a role change or removal under the last-admin rule. Every admin row is written
 * first (a no-op write), which on PostgreSQL locks them all: two admins demoting each other
 * at once are serialised, and the second sees the first's change and is refused. SQLite
 * runs one write transaction at a time anyway.
 */
async function changeStaff(db: Db, actor: Actor, userId: number, change: StaffChange, now: number): Promise<StaffChangeResult> {
  return db.transaction().execute(async (tx: Tx) => {
    await tx.updateTable('users').set((eb) => ({ role: eb.ref('role') })).where('role', '=', 'admin').execute();
    const target = await tx.selectFrom('users').select(['id', 'email', 'role']).where('id', '=', userId).executeTakeFirst();
    if (!target) return { ok: false, reason: 'not-found' } as const;
    const admins = await tx.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).where('role', '=', 'admin').executeTakeFirstOrThrow();
    const decision = checkStaffChange(target, change, { adminCount: Number(admins.n) });
    if (!decision.allowed) return { ok: false, reason: decision.reason } as const;
    if (change.kind === 'role') {
      if (change.role === target.role) return { ok: true, email: target.email, from: target.role, to: change.role } as const;
      await tx.updateTable('users').set({ role: change.role }).where('id', '=', userId).execute();
      await recordAudit(tx, { actor, action: 'staff', detail: `${target.email}: ${target.role} → ${change.role}`, at: now });
      return { ok: true, email: target.email, from: target.role, to: change.role } as const;
    }
    // The entry first: if the actor removes themselves, deleting them then clears its user_id.
    await recordAudit(tx, { actor, action: 'staff', detail: `removed ${target.email} (${target.role}); signed out`, at: now });
    await tx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await tx.deleteFrom('users').where('id', '=', userId).execute();
    return { ok: true, email: target.email, from: target.role, to: null } as const;
  });
}

export function changeStaffRole(db: Db, actor: Actor, userId: number, role: StaffRole, now: number): Promise<StaffChangeResult> {
  return changeStaff(db, actor, userId, { kind: 'role', role }, now);
}

export function removeStaff(db: Db, actor: Actor, userId: number, now: number): Promise<StaffChangeResult> {
  return changeStaff(db, actor, userId, { kind: 'remove' }, now);
}

/** Lifts a lock-out after failed sign-ins. */
export async function unlockStaff(db: Db, actor: Actor, userId: number, now: number): Promise<{ ok: true; email: string; wasLocked: boolean } | { ok: false; reason: 'not-found' }> {
  return db.transaction().execute(async (tx) => {
    const user = await tx.selectFrom('users').select(['email', 'locked_until']).where('id', '=', userId).executeTakeFirst();
    if (!user) return { ok: false, reason: 'not-found' } as const;
    const wasLocked = isLocked(user, now);
    await tx.updateTable('users').set({ locked_until: null, failed_logins: 0 }).where('id', '=', userId).execute();
    if (wasLocked) await recordAudit(tx, { actor, action: 'staff', detail: `unlocked ${user.email}`, at: now });
    return { ok: true, email: user.email, wasLocked } as const;
  });
}
