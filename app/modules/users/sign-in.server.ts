import type { Db } from '#db/client';
import { verifyPassword } from '~/auth/password.server';
import { checkBlocked, clearFailures, hitRateLimit, limitKey, recordFailure, retryMessage } from '~/auth/rate-limit.server';
import { createSession } from '~/auth/session.server';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { MINUTE, nowIso } from '~/utils/time';

export type SignInResult = { ok: true; token: string; userId: string } | { ok: false; message: string };

// The same message whether the email is unknown, the password wrong or the
// account deactivated, so the form never reveals who has an account.
const WRONG = 'Enter a correct email address and password';
/** An office behind one address shares this budget, so it is larger than the per-account one. */
const IP_FREE_FAILURES = 20;

export async function signIn(db: Db, input: { email: string; password: string; ip: string }, actor: Actor): Promise<SignInResult> {
  const ipKey = limitKey('sign-in-ip', input.ip);
  const accountKey = limitKey('sign-in-account', input.email);
  const perIp = await hitRateLimit(db, limitKey('sign-in-ip-rate', input.ip), 60, 15 * MINUTE);
  if (!perIp.ok) return { ok: false, message: retryMessage(perIp.retryAfterSeconds) };
  for (const key of [ipKey, accountKey]) {
    const blocked = await checkBlocked(db, key);
    if (!blocked.ok) return { ok: false, message: retryMessage(blocked.retryAfterSeconds) };
  }

  const user = await db
    .selectFrom('user')
    .select(['id', 'password_hash', 'status', 'organisation_id'])
    .where('email', '=', input.email)
    .executeTakeFirst();
  const passwordOk = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || !passwordOk || user.status !== 'active') {
    await recordFailure(db, accountKey);
    await recordFailure(db, ipKey, { free: IP_FREE_FAILURES });
    return { ok: false, message: WRONG };
  }

  const token = await db.transaction().execute(async (tx) => {
    await clearFailures(tx, accountKey);
    const sessionToken = await createSession(tx, user.id);
    await tx.updateTable('user').set({ last_signed_in_at: nowIso() }).where('id', '=', user.id).execute();
    await recordAudit(tx, { ...actor, userId: user.id, organisationId: user.organisation_id }, {
      action: 'user.signed_in', subjectType: 'user', subjectId: user.id,
    });
    return sessionToken;
  });
  return { ok: true, token, userId: user.id };
}
