import type { DbOrTx } from '#db/client';
import type { Role } from '#db/schema';
import { newId } from '~/utils/ids.server';
import { nowIso } from '~/utils/time';

// Repository functions for users: each takes the database or an open transaction.

export function findUserByEmail(db: DbOrTx, email: string) {
  return db.selectFrom('user').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export function findUserById(db: DbOrTx, id: string) {
  return db.selectFrom('user').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  organisationId: string;
  passwordHash: string | null;
}

export async function insertUser(db: DbOrTx, user: NewUser): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('user')
    .values({
      id, email: user.email.trim().toLowerCase(), name: user.name, role: user.role, organisation_id: user.organisationId,
      password_hash: user.passwordHash, last_signed_in_at: null, created_at: now, updated_at: now,
    })
    .execute();
  return id;
}

/** Active officers and admins: who hears about work waiting for the council. */
export function listActiveStaff(db: DbOrTx) {
  return db
    .selectFrom('user')
    .select(['id', 'email', 'name', 'role'])
    .where('role', 'in', ['officer', 'admin'])
    .where('status', '=', 'active')
    .orderBy('email')
    .execute();
}

/** Active users of one organisation. */
export function listActiveUsersOfOrganisation(db: DbOrTx, organisationId: string) {
  return db
    .selectFrom('user')
    .select(['id', 'email', 'name', 'role'])
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'active')
    .orderBy('email')
    .execute();
}

/** Sets a new password hash for an active user; false if the user is missing or deactivated. */
export async function updatePasswordHash(db: DbOrTx, userId: string, passwordHash: string): Promise<boolean> {
  const result = await db
    .updateTable('user')
    .set({ password_hash: passwordHash, updated_at: nowIso() })
    .where('id', '=', userId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
