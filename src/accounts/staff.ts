// Staff users: admins, editors and writers, with argon2id password hashes.
import crypto from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { z } from 'zod';
import type { Db, Tx } from '../db/database.ts';
import type { StaffRole } from '../db/schema.ts';

export const STAFF_ROLES: StaffRole[] = ['admin', 'editor', 'writer'];

export const staffInputSchema = z.object({
  email: z.string().trim().toLowerCase().email('is not a valid e-mail address').max(254),
  role: z.enum(['admin', 'editor', 'writer'], { message: 'must be admin, editor or writer' }),
  name: z.string().trim().max(120).default(''),
  password: z.string().min(12, 'must be at least 12 characters').max(200),
});

export type StaffInput = z.input<typeof staffInputSchema>;

export class StaffExistsError extends Error {}

/** A password a person can type: 20 characters from an unambiguous alphabet (~100 bits). */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  for (const byte of crypto.randomBytes(20)) out += alphabet[byte % alphabet.length];
  return out.replace(/(.{5})(?=.)/g, '$1-');
}

export interface CreatedStaffUser {
  id: number;
  email: string;
  role: StaffRole;
}

export async function createStaffUser(
  db: Db,
  input: StaffInput,
  now: number,
  opts: {
    /** Runs inside the insert's transaction: records that must commit or roll back with the new user (the newsroom's audit log). */
    within?: (tx: Tx, user: CreatedStaffUser) => Promise<void>;
  } = {},
): Promise<CreatedStaffUser> {
  const data = staffInputSchema.parse(input);
  const existing = await db.selectFrom('users').select('id').where('email', '=', data.email).executeTakeFirst();
  if (existing) throw new StaffExistsError(`a staff user with e-mail ${data.email} already exists`);
  // Hashing is slow on purpose: done before the transaction so no write waits on it.
  const password_hash = await hash(data.password, { algorithm: 2 /* Argon2id */ });
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('users')
      .values({ email: data.email, name: data.name, role: data.role, password_hash, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const user = { id: row.id, email: data.email, role: data.role };
    if (opts.within) await opts.within(tx, user);
    return user;
  });
}
