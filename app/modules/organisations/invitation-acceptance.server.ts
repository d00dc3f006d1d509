import type { Db, DbOrTx } from '#db/client';
import { hashPassword } from '~/auth/password.server';
import { hitRateLimit, limitKey, retryMessage } from '~/auth/rate-limit.server';
import { createSession } from '~/auth/session.server';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { findUserByEmail, insertUser } from '~/modules/users/users.server';
import { sha256 } from '~/utils/ids.server';
import { MINUTE, nowIso } from '~/utils/time';
import { isUniqueViolation } from './constraint.server';
import { invitationStatus, type InvitationStatus } from './invitations.server';

// Accepting a contractor invitation: the token in the link is the only credential.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;
export const ACCEPT_LIMIT = { hits: 10, windowMs: 15 * MINUTE };

export interface InvitationView {
  id: string;
  email: string;
  name: string;
  organisationId: string;
  organisationName: string;
  invitedByName: string;
  expiresAt: string;
  status: InvitationStatus;
}

/** The invitation behind a link's token, whatever its state; null if there is none. */
export async function findInvitationByToken(db: DbOrTx, token: string, now = new Date()): Promise<InvitationView | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const row = await db
    .selectFrom('invitation')
    .innerJoin('organisation', 'organisation.id', 'invitation.organisation_id')
    .innerJoin('user as inviter', 'inviter.id', 'invitation.invited_by')
    .select([
      'invitation.id', 'invitation.email', 'invitation.name', 'invitation.organisation_id', 'invitation.expires_at',
      'invitation.accepted_at', 'invitation.revoked_at', 'organisation.name as organisation_name', 'inviter.name as invited_by_name',
    ])
    .where('invitation.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id, email: row.email, name: row.name, organisationId: row.organisation_id, organisationName: row.organisation_name,
    invitedByName: row.invited_by_name, expiresAt: row.expires_at, status: invitationStatus(row, now),
  };
}

export type AcceptResult =
  | { ok: true; sessionToken: string; userId: string }
  | { ok: false; reason: 'rate-limited' | 'unusable' | 'account-exists'; message: string };

export const UNUSABLE_MESSAGE = 'This invitation can no longer be used. Ask your council contact to send you a new invitation.';

class Refused extends Error {
  constructor(readonly reason: 'unusable' | 'account-exists', message: string) {
    super(message);
  }
}

const accountExists = (email: string) =>
  `An account for ${email} already exists. Sign in instead, or use “Forgotten your password?” on the sign-in page`;

/**
 * Creates the contractor's account from an open invitation, marks the
 * invitation accepted exactly once and signs the new user in.
 */
export async function acceptInvitation(
  db: Db,
  input: { token: string; name: string; password: string; ip: string },
  actor: Actor,
  now = new Date(),
): Promise<AcceptResult> {
  const limited = await hitRateLimit(db, limitKey('invitation-accept-ip', input.ip), ACCEPT_LIMIT.hits, ACCEPT_LIMIT.windowMs, now.getTime());
  if (!limited.ok) return { ok: false, reason: 'rate-limited', message: retryMessage(limited.retryAfterSeconds) };
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction().execute(async (tx) => {
      const invitation = await findInvitationByToken(tx, input.token, now);
      if (!invitation || invitation.status !== 'open') throw new Refused('unusable', UNUSABLE_MESSAGE);
      if (await findUserByEmail(tx, invitation.email)) throw new Refused('account-exists', accountExists(invitation.email));

      const at = nowIso(now);
      // Only one request can take an invitation: the guard is in the UPDATE itself.
      const taken = await tx
        .updateTable('invitation')
        .set({ accepted_at: at })
        .where('id', '=', invitation.id)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', at)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) throw new Refused('unusable', UNUSABLE_MESSAGE);

      const userId = await insertUser(tx, { email: invitation.email, name: input.name, role: 'contractor', organisationId: invitation.organisationId, passwordHash });
      const newUser: Actor = { ...actor, userId, organisationId: invitation.organisationId };
      await recordAudit(tx, newUser, {
        action: 'invitation.accepted', subjectType: 'invitation', subjectId: invitation.id,
        before: { status: 'open' }, after: { status: 'accepted', userId },
      });
      await recordAudit(tx, newUser, {
        action: 'user.created', subjectType: 'user', subjectId: userId,
        after: { email: invitation.email, name: input.name, role: 'contractor', organisationId: invitation.organisationId, via: 'invitation' },
      });
      const sessionToken = await createSession(tx, userId, now);
      await tx.updateTable('user').set({ last_signed_in_at: at }).where('id', '=', userId).execute();
      return { ok: true as const, sessionToken, userId };
    });
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.reason, message: error.message };
    // An account for this email was made between our check and our insert.
    if (isUniqueViolation(error)) return { ok: false, reason: 'account-exists', message: 'An account for this email address already exists. Sign in instead' };
    throw error;
  }
}
