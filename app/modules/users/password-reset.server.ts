import type { Db, DbOrTx } from '#db/client';
import { hashPassword } from '~/auth/password.server';
import { passwordProblem } from '~/auth/password-policy';
import { clearFailures, hitRateLimit, limitKey, type LimitResult } from '~/auth/rate-limit.server';
import { invalidateUserSessions } from '~/auth/session.server';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { enqueueNotification } from '~/modules/notifications/outbox.server';
import { newId, randomToken, sha256 } from '~/utils/ids.server';
import { HOUR, MINUTE, addMs, nowIso } from '~/utils/time';
import { passwordChangedEmail, resetLinkEmail } from './password-emails.server';
import { RESET_TOKEN_PATTERN } from './password.schema';
import { findUserByEmail, updatePasswordHash } from './users.server';

// Password reset by emailed link (docs/accounts.md). Only SHA-256 of a token is
// stored; a link works once, for an hour, and only for an active user.
export const RESET_TTL_MS = HOUR;
export const RESET_LIMIT_PER_EMAIL = 5;
export const RESET_LIMIT_PER_IP = 20;
export const RESET_LIMIT_WINDOW_MS = HOUR;
/** Attempts to use a reset link (the form's POST) from one IP address, per window. */
export const RESET_ATTEMPTS_PER_IP = 20;
export const RESET_ATTEMPTS_WINDOW_MS = 15 * MINUTE;

export type RequestResetResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Sends a reset link if an active account has this email. The result is the
 * same whether or not it does, so the form never reveals who has an account.
 */
export async function requestPasswordReset(db: Db, input: { email: string; ip: string }, actor: Actor, now = new Date()): Promise<RequestResetResult> {
  const perIp = await hitRateLimit(db, limitKey('reset-ip', input.ip), RESET_LIMIT_PER_IP, RESET_LIMIT_WINDOW_MS, now.getTime());
  if (!perIp.ok) return perIp;
  const perEmail = await hitRateLimit(db, limitKey('reset-email', input.email), RESET_LIMIT_PER_EMAIL, RESET_LIMIT_WINDOW_MS, now.getTime());
  if (!perEmail.ok) return perEmail;

  const user = await findUserByEmail(db, input.email);
  if (!user || user.status !== 'active') return { ok: true };

  const token = randomToken(32);
  await db.transaction().execute(async (tx) => {
    const id = newId();
    const expiresAt = addMs(now, RESET_TTL_MS);
    await tx
      .insertInto('password_reset')
      .values({ id, token_hash: sha256(token), user_id: user.id, created_at: nowIso(now), expires_at: expiresAt, used_at: null })
      .execute();
    await enqueueNotification(tx, resetLinkEmail(user, token, RESET_TTL_MS / 60_000));
    await recordAudit(tx, actor, {
      action: 'password_reset.requested', subjectType: 'user', subjectId: user.id, after: { resetId: id, expiresAt },
    });
  });
  return { ok: true };
}

export interface ValidReset {
  resetId: string;
  userId: string;
  email: string;
  organisationId: string;
}

/** The reset behind a token if it is unused, unexpired and its user still active; otherwise null. */
export async function findValidReset(db: DbOrTx, token: string, now = new Date()): Promise<ValidReset | null> {
  if (!RESET_TOKEN_PATTERN.test(token)) return null;
  const row = await db
    .selectFrom('password_reset')
    .innerJoin('user', 'user.id', 'password_reset.user_id')
    .select(['password_reset.id', 'password_reset.expires_at', 'password_reset.used_at', 'user.id as userId', 'user.email', 'user.status', 'user.organisation_id'])
    .where('password_reset.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.used_at !== null || row.expires_at <= nowIso(now) || row.status !== 'active') return null;
  return { resetId: row.id, userId: row.userId, email: row.email, organisationId: row.organisation_id };
}

/** Closes every unused reset link of a user (after a reset or a password change). */
export async function closeOutstandingResets(tx: DbOrTx, userId: string, now = new Date()): Promise<number> {
  const result = await tx
    .updateTable('password_reset')
    .set({ used_at: nowIso(now) })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export type ResetPasswordResult =
  | { ok: true; userId: string }
  | { ok: false; reason: 'link'; message: string }
  | { ok: false; reason: 'password'; message: string }
  | { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

/**
 * Counts one attempt to use a reset link from this IP address. resetPassword() calls it;
 * the page calls it too before it checks a link for a form that failed validation,
 * so every POST counts once and nobody can try links faster than the limit.
 */
export function hitResetAttemptLimit(db: DbOrTx, ip: string, now = new Date()): Promise<LimitResult> {
  return hitRateLimit(db, limitKey('reset-password-ip', ip), RESET_ATTEMPTS_PER_IP, RESET_ATTEMPTS_WINDOW_MS, now.getTime());
}

export const LINK_NO_LONGER_VALID = 'This link has expired or has already been used';

class LinkAlreadyUsed extends Error {}

/** Sets a new password from a reset link: single use, ends every session, closes other links. Rate limited per IP. */
export async function resetPassword(db: Db, input: { token: string; password: string; ip: string }, actor: Actor, now = new Date()): Promise<ResetPasswordResult> {
  const limited = await hitResetAttemptLimit(db, input.ip, now);
  if (!limited.ok) return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
  const reset = await findValidReset(db, input.token, now);
  if (!reset) return { ok: false, reason: 'link', message: LINK_NO_LONGER_VALID };
  const problem = passwordProblem(input.password, reset.email);
  if (problem) return { ok: false, reason: 'password', message: problem };
  const passwordHash = await hashPassword(input.password);
  const at = nowIso(now);

  try {
    await db.transaction().execute(async (tx) => {
      // The claim: of two requests racing with one link, only one updates this row.
      const claimed = await tx
        .updateTable('password_reset')
        .set({ used_at: at })
        .where('id', '=', reset.resetId)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw new LinkAlreadyUsed();
      if (!(await updatePasswordHash(tx, reset.userId, passwordHash))) throw new LinkAlreadyUsed();
      const otherLinksClosed = await closeOutstandingResets(tx, reset.userId, now);
      const sessionsEnded = await invalidateUserSessions(tx, reset.userId);
      // Proving control of the mailbox lifts any sign-in delay from earlier wrong guesses
      // (the key sign-in.server.ts uses for per-account failures).
      await clearFailures(tx, limitKey('sign-in-account', reset.email));
      await enqueueNotification(tx, passwordChangedEmail({ id: reset.userId, email: reset.email }, 'reset', at));
      await recordAudit(tx, { ...actor, userId: reset.userId, organisationId: reset.organisationId }, {
        action: 'user.password_reset', subjectType: 'user', subjectId: reset.userId,
        after: { resetId: reset.resetId, sessionsEnded, otherLinksClosed },
      });
    });
  } catch (error) {
    if (error instanceof LinkAlreadyUsed) return { ok: false, reason: 'link', message: LINK_NO_LONGER_VALID };
    throw error;
  }
  return { ok: true, userId: reset.userId };
}

/** Waits until at least `ms` have passed since `startedAt`, so fast and slow paths look alike. */
export async function padResponseTime(startedAt: number, ms: number): Promise<void> {
  const left = startedAt + ms - Date.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}
