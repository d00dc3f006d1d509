import type { Db, DbOrTx, Tx } from '#db/client';
import type { Role } from '#db/schema';
import { invalidateUserSessions } from '~/auth/session.server';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { columnContains } from '~/utils/sql-like';
import { addMs, nowIso } from '~/utils/time';
import { ROLES_FOR_KIND, USERS_PAGE_SIZE, roleFitsOrganisation, type UserFilters } from './admin-users.schema';

// Administrators manage users: list and filter them, change a council user's
// role, deactivate and reactivate. The rules are in
// docs/decisions/0005-user-roles-and-last-admin.md.

export async function listUsers(db: DbOrTx, filters: UserFilters, page: number, pageSize = USERS_PAGE_SIZE) {
  let query = db.selectFrom('user').innerJoin('organisation', 'organisation.id', 'user.organisation_id');
  if (filters.q) {
    const q = filters.q;
    query = query.where((eb) => eb.or([columnContains('user.name', q), columnContains('user.email', q)]));
  }
  if (filters.role) query = query.where('user.role', '=', filters.role);
  if (filters.status) query = query.where('user.status', '=', filters.status);
  if (filters.kind) query = query.where('organisation.kind', '=', filters.kind);

  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pageCount);
  const rows = await query
    .select([
      'user.id', 'user.name', 'user.email', 'user.role', 'user.status', 'user.last_signed_in_at',
      'organisation.name as organisationName', 'organisation.kind as organisationKind',
    ])
    .orderBy('user.name')
    .orderBy('user.email')
    .limit(pageSize)
    .offset((current - 1) * pageSize)
    .execute();
  return { rows, total, page: current, pageCount, pageSize };
}

/** One user as an administrator sees them, or undefined. */
export async function getUserForAdmin(db: DbOrTx, userId: string) {
  const user = await db
    .selectFrom('user')
    .innerJoin('organisation', 'organisation.id', 'user.organisation_id')
    .select([
      'user.id', 'user.name', 'user.email', 'user.role', 'user.status', 'user.last_signed_in_at', 'user.created_at', 'user.updated_at',
      'organisation.id as organisationId', 'organisation.name as organisationName', 'organisation.kind as organisationKind',
    ])
    .where('user.id', '=', userId)
    .executeTakeFirst();
  if (!user) return undefined;
  const { sessions } = await db
    .selectFrom('session')
    .select((eb) => eb.fn.countAll<number>().as('sessions'))
    .where('user_id', '=', userId)
    .where('expires_at', '>', nowIso())
    .executeTakeFirstOrThrow();
  return { ...user, activeSessions: sessions };
}

export async function countActiveAdmins(db: DbOrTx): Promise<number> {
  const { n } = await db
    .selectFrom('user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return n;
}

export type AdminUserResult =
  | { ok: true; changed: 'role' | 'deactivated' | 'reactivated' }
  | { ok: false; status: 400 | 404 | 409; message: string; field?: 'role' };

const STALE: AdminUserResult = {
  ok: false, status: 409,
  message: 'Someone else changed this user while you were looking. Check their details below and try again.',
};

type Subject = NonNullable<Awaited<ReturnType<typeof loadSubject>>>;

function loadSubject(tx: Tx, userId: string) {
  return tx
    .selectFrom('user')
    .innerJoin('organisation', 'organisation.id', 'user.organisation_id')
    .select(['user.id', 'user.name', 'user.role', 'user.status', 'user.updated_at', 'organisation.kind as organisationKind'])
    .where('user.id', '=', userId)
    .executeTakeFirst();
}

/** The next version stamp: now, but always later than the last one so two quick changes differ. */
function nextVersion(previous: string): string {
  const now = nowIso();
  return now > previous ? now : addMs(previous, 1);
}

const ROLE_NOUN: Record<Role, string> = { vcse: 'a VCSE user', contractor: 'a contractor', officer: 'a council officer', admin: 'an administrator' };
const KIND_PHRASE: Record<Subject['organisationKind'], string> = { council: 'the council', supplier: 'a supplier', vcse: 'a VCSE organisation' };

const lastAdminMessage = (name: string) =>
  `${name} is the only active administrator. Make another council user an administrator first.`;

/**
 * Updates one user only if nobody changed them since `version` and, when the
 * change takes an active administrator away, only if another active
 * administrator remains. Check and write are one SQL statement, so two
 * administrators deciding at once (even from two processes) cannot remove the last one.
 */
async function guardedUpdate(tx: Tx, subject: Subject, version: string, set: { role?: Role; status?: 'active' | 'deactivated' }, removesAdmin: boolean) {
  let update = tx
    .updateTable('user')
    .set({ ...set, updated_at: nextVersion(subject.updated_at) })
    .where('id', '=', subject.id)
    .where('updated_at', '=', version);
  if (removesAdmin) {
    update = update.where((eb) => eb.exists(
      eb.selectFrom('user as other').select('other.id')
        .where('other.role', '=', 'admin').where('other.status', '=', 'active').where('other.id', '!=', subject.id),
    ));
  }
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

async function whyNotUpdated(tx: Tx, subject: Subject, removesAdmin: boolean): Promise<AdminUserResult> {
  if (removesAdmin && (await countActiveAdmins(tx)) <= 1) return { ok: false, status: 400, message: lastAdminMessage(subject.name) };
  return STALE;
}

export async function changeUserRole(db: Db, actor: Actor, input: { userId: string; role: Role; version: string }): Promise<AdminUserResult> {
  return db.transaction().execute(async (tx): Promise<AdminUserResult> => {
    const subject = await loadSubject(tx, input.userId);
    if (!subject) return { ok: false, status: 404, message: 'User not found' };
    if (subject.updated_at !== input.version) return STALE;
    if (subject.id === actor.userId) {
      return { ok: false, status: 400, field: 'role', message: 'You cannot change your own role. Ask another administrator to do it.' };
    }
    if (!roleFitsOrganisation(input.role, subject.organisationKind)) {
      const allowed = ROLES_FOR_KIND[subject.organisationKind].map((r) => ROLE_NOUN[r]).join(' or ');
      return { ok: false, status: 400, field: 'role', message: `${subject.name} works for ${KIND_PHRASE[subject.organisationKind]} and can only be ${allowed}` };
    }
    if (input.role === subject.role) {
      return { ok: false, status: 400, field: 'role', message: `${subject.name} is already ${ROLE_NOUN[subject.role]}: select a different role` };
    }
    const removesAdmin = subject.role === 'admin' && subject.status === 'active';
    if (removesAdmin && (await countActiveAdmins(tx)) <= 1) return { ok: false, status: 400, field: 'role', message: lastAdminMessage(subject.name) };
    if (!(await guardedUpdate(tx, subject, input.version, { role: input.role }, removesAdmin))) return whyNotUpdated(tx, subject, removesAdmin);
    await recordAudit(tx, actor, {
      action: 'user.role_changed', subjectType: 'user', subjectId: subject.id,
      before: { role: subject.role }, after: { role: input.role },
    });
    return { ok: true, changed: 'role' };
  });
}

/** Deactivates a user and ends all their sessions at once, in one transaction. */
export async function deactivateUser(db: Db, actor: Actor, input: { userId: string; version: string }): Promise<AdminUserResult> {
  return db.transaction().execute(async (tx): Promise<AdminUserResult> => {
    const subject = await loadSubject(tx, input.userId);
    if (!subject) return { ok: false, status: 404, message: 'User not found' };
    if (subject.updated_at !== input.version) return STALE;
    if (subject.status === 'deactivated') return { ok: false, status: 400, message: `${subject.name} is already deactivated` };
    if (subject.id === actor.userId) return { ok: false, status: 400, message: 'You cannot deactivate your own account. Ask another administrator to do it.' };
    const removesAdmin = subject.role === 'admin';
    if (removesAdmin && (await countActiveAdmins(tx)) <= 1) return { ok: false, status: 400, message: lastAdminMessage(subject.name) };
    if (!(await guardedUpdate(tx, subject, input.version, { status: 'deactivated' }, removesAdmin))) return whyNotUpdated(tx, subject, removesAdmin);
    const sessionsEnded = await invalidateUserSessions(tx, subject.id);
    await recordAudit(tx, actor, {
      action: 'user.deactivated', subjectType: 'user', subjectId: subject.id,
      before: { status: 'active' }, after: { status: 'deactivated', sessionsEnded },
    });
    return { ok: true, changed: 'deactivated' };
  });
}

export async function reactivateUser(db: Db, actor: Actor, input: { userId: string; version: string }): Promise<AdminUserResult> {
  return db.transaction().execute(async (tx): Promise<AdminUserResult> => {
    const subject = await loadSubject(tx, input.userId);
    if (!subject) return { ok: false, status: 404, message: 'User not found' };
    if (subject.updated_at !== input.version) return STALE;
    if (subject.status === 'active') return { ok: false, status: 400, message: `${subject.name} is already active` };
    if (!(await guardedUpdate(tx, subject, input.version, { status: 'active' }, false))) return STALE;
    await recordAudit(tx, actor, {
      action: 'user.reactivated', subjectType: 'user', subjectId: subject.id,
      before: { status: 'deactivated' }, after: { status: 'active' },
    });
    return { ok: true, changed: 'reactivated' };
  });
}
