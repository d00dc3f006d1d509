import type { Db } from '#db/client';
import { hashPassword } from '~/auth/password.server';
import { hitRateLimit, limitKey, retryMessage } from '~/auth/rate-limit.server';
import { createSession } from '~/auth/session.server';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { enqueueNotification } from '~/modules/notifications/outbox.server';
import { findUserByEmail, insertUser, listActiveStaff } from '~/modules/users/users.server';
import { getEnv } from '~/utils/env.server';
import { HOUR, nowIso } from '~/utils/time';
import { FieldProblem, isUniqueViolation } from './constraint.server';
import { findWard, insertOrganisation } from './organisations.server';
import type { RegistrationInput } from './registration.schema';

// A VCSE organisation registers itself: the organisation (pending) and its first
// user are created together; officers are told there is one to verify.
export const REGISTRATION_LIMIT = { hits: 5, windowMs: HOUR };

export type RegistrationResult =
  | { ok: true; sessionToken: string; organisationId: string; userId: string }
  | { ok: false; status: 400 | 429; field?: keyof RegistrationInput; message: string };

const emailTaken = 'There is already an account with this email address. Sign in, or use a different email address';

export async function registerVcse(db: Db, input: RegistrationInput & { ip: string }, actor: Actor, now = new Date()): Promise<RegistrationResult> {
  // Counted before any lookup, so the form cannot be used to test many email addresses.
  const limited = await hitRateLimit(db, limitKey('register-ip', input.ip), REGISTRATION_LIMIT.hits, REGISTRATION_LIMIT.windowMs, now.getTime());
  if (!limited.ok) return { ok: false, status: 429, message: retryMessage(limited.retryAfterSeconds) };
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction().execute(async (tx) => {
      if (!(await findWard(tx, input.wardId))) throw new FieldProblem('wardId', 'Select the ward where your organisation mainly works');
      if (await findUserByEmail(tx, input.email)) throw new FieldProblem('email', emailTaken);

      const organisation = {
        name: input.organisationName, kind: 'vcse' as const, status: 'pending' as const,
        charityNumber: input.charityNumber ?? null, companyNumber: input.companyNumber ?? null, wardId: input.wardId,
        description: input.description, contactName: input.name, contactEmail: input.email, contactPhone: input.phone ?? null,
      };
      const organisationId = await insertOrganisation(tx, organisation);
      const userId = await insertUser(tx, { email: input.email, name: input.name, role: 'vcse', organisationId, passwordHash });
      const applicant: Actor = { ...actor, userId, organisationId };
      await recordAudit(tx, applicant, { action: 'organisation.registered', subjectType: 'organisation', subjectId: organisationId, after: organisation });
      await recordAudit(tx, applicant, {
        action: 'user.created', subjectType: 'user', subjectId: userId,
        after: { email: input.email, name: input.name, role: 'vcse', organisationId, via: 'registration' },
      });

      const { AUTHORITY_NAME } = getEnv();
      await enqueueNotification(tx, {
        kind: 'registration_received',
        toEmail: input.email,
        toUserId: userId,
        subject: `We have received your registration for ${input.organisationName}`,
        body: [
          `Hello ${input.name},`,
          `Thank you for registering ${input.organisationName} with the ${AUTHORITY_NAME} social value portal.`,
          'A council officer will check your organisation’s details, usually within 10 working days. We will email you when they have decided. Until then, nothing you add is shown to the public.',
        ].join('\n\n'),
        linkPath: '/organisation',
        dedupeKey: `registration_received:${organisationId}`,
      });
      for (const staff of await listActiveStaff(tx)) {
        await enqueueNotification(tx, {
          kind: 'organisation_pending',
          toEmail: staff.email,
          toUserId: staff.id,
          subject: `New VCSE organisation to verify: ${input.organisationName}`,
          body: `${input.organisationName} has registered on the social value portal and is waiting to be verified.`,
          linkPath: `/officer/organisations/${organisationId}`,
          dedupeKey: `organisation_pending:${organisationId}:${staff.id}`,
        });
      }

      const sessionToken = await createSession(tx, userId, now);
      await tx.updateTable('user').set({ last_signed_in_at: nowIso(now) }).where('id', '=', userId).execute();
      return { ok: true as const, sessionToken, organisationId, userId };
    });
  } catch (error) {
    if (error instanceof FieldProblem) return { ok: false, status: 400, field: error.field as keyof RegistrationInput, message: error.message };
    // The same email registered by a parallel request: the unique index refused ours.
    if (isUniqueViolation(error)) return { ok: false, status: 400, field: 'email', message: emailTaken };
    throw error;
  }
}
