import type { Db, DbOrTx } from '#db/client';
import { hashPassword, verifyPassword } from '~/auth/password.server';
import { passwordProblem } from '~/auth/password-policy';
import { checkBlocked, clearFailures, limitKey, recordFailure, retryMessage } from '~/auth/rate-limit.server';
import { invalidateUserSessions } from '~/auth/session.server';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { enqueueNotification } from '~/modules/notifications/outbox.server';
import { nowIso } from '~/utils/time';
import { passwordChangedEmail } from './password-emails.server';
import { SAME_AS_CURRENT } from './password.schema';
import { closeOutstandingResets } from './password-reset.server';
import { findUserById, updatePasswordHash } from './users.server';

// A signed-in user's own account: change password, sign out everywhere.

/** Sessions of this user that have not yet expired (this browser included). */
export async function countActiveSessions(db: DbOrTx, userId: string, now = new Date()): Promise<number> {
  const at = nowIso(now);
  const row = await db
    .selectFrom('session')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('expires_at', '>', at)
    .where('absolute_expires_at', '>', at)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function invalidateOtherSessions(db: DbOrTx, userId: string, keepSessionId: string): Promise<number> {
  const result = await db.deleteFrom('session').where('user_id', '=', userId).where('id', '!=', keepSessionId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export type ChangePasswordResult =
  | { ok: true; otherSessionsEnded: number }
  | { ok: false; status: 400 | 429; field: 'currentPassword' | 'newPassword'; message: string };

export const WRONG_CURRENT_PASSWORD = 'Your current password is incorrect';

/**
 * Changes the signed-in user's password after checking the current one.
 * Keeps this session, ends all others, closes outstanding reset links and
 * emails the user. Wrong current passwords count towards a growing delay.
 */
export async function changePassword(
  db: Db,
  input: { userId: string; sessionId: string; currentPassword: string; newPassword: string },
  actor: Actor,
  now = new Date(),
): Promise<ChangePasswordResult> {
  const lockKey = limitKey('change-password', input.userId);
  const blocked = await checkBlocked(db, lockKey, now.getTime());
  if (!blocked.ok) return { ok: false, status: 429, field: 'currentPassword', message: retryMessage(blocked.retryAfterSeconds) };

  const user = await findUserById(db, input.userId);
  if (!user || user.status !== 'active' || !(await verifyPassword(user.password_hash, input.currentPassword))) {
    await recordFailure(db, lockKey, { now: now.getTime() });
    return { ok: false, status: 400, field: 'currentPassword', message: WRONG_CURRENT_PASSWORD };
  }
  if (input.newPassword === input.currentPassword) return { ok: false, status: 400, field: 'newPassword', message: SAME_AS_CURRENT };
  const problem = passwordProblem(input.newPassword, user.email);
  if (problem) return { ok: false, status: 400, field: 'newPassword', message: problem };

  const passwordHash = await hashPassword(input.newPassword);
  const at = nowIso(now);
  const otherSessionsEnded = await db.transaction().execute(async (tx) => {
    if (!(await updatePasswordHash(tx, user.id, passwordHash))) throw new Error('User was deactivated while changing password');
    const ended = await invalidateOtherSessions(tx, user.id, input.sessionId);
    const linksClosed = await closeOutstandingResets(tx, user.id, now);
    await clearFailures(tx, lockKey);
    await enqueueNotification(tx, passwordChangedEmail(user, 'changed', at));
    await recordAudit(tx, actor, {
      action: 'user.password_changed', subjectType: 'user', subjectId: user.id,
      after: { otherSessionsEnded: ended, resetLinksClosed: linksClosed },
    });
    return ended;
  });
  return { ok: true, otherSessionsEnded };
}

/** Ends every session of this user, this one included. */
export async function signOutEverywhere(db: Db, userId: string, actor: Actor): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const ended = await invalidateUserSessions(tx, userId);
    await recordAudit(tx, actor, { action: 'user.signed_out_everywhere', subjectType: 'user', subjectId: userId, after: { sessionsEnded: ended } });
    return ended;
  });
}
