import type { Db, DbOrTx } from '#db/client';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { enqueueNotification } from '~/modules/notifications/outbox.server';
import { findUserByEmail, findUserById } from '~/modules/users/users.server';
import { getEnv } from '~/utils/env.server';
import { newId, randomToken, sha256 } from '~/utils/ids.server';
import { DAY, addMs, formatDate, nowIso } from '~/utils/time';
import { FieldProblem, isUniqueViolation } from './constraint.server';
import { NEW_ORGANISATION, type CreateInvitationInput } from './invitations.schema';
import { findOrganisation, findSupplierByName, insertOrganisation } from './organisations.server';
import { priorResult, rememberResult, type Once } from '~/modules/submissions/once.server';

// Contractor invitations: an officer invites a person to a supplier organisation;
// the link carries a random token of which only the SHA-256 is stored.
export const INVITATION_TTL_MS = 7 * DAY;
export const INVITATIONS_PAGE_SIZE = 20;

export type InvitationStatus = 'open' | 'accepted' | 'expired' | 'revoked';

export function invitationStatus(inv: { accepted_at: string | null; revoked_at: string | null; expires_at: string }, now = new Date()): InvitationStatus {
  if (inv.accepted_at) return 'accepted';
  if (inv.revoked_at) return 'revoked';
  if (Date.parse(inv.expires_at) <= now.getTime()) return 'expired';
  return 'open';
}

/** Every invitation, newest first, one page at a time (staff only: the route checks). */
export async function listInvitations(db: DbOrTx, { page, pageSize = INVITATIONS_PAGE_SIZE }: { page: number; pageSize?: number }, now = new Date()) {
  const counted = await db.selectFrom('invitation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('invitation')
    .innerJoin('organisation', 'organisation.id', 'invitation.organisation_id')
    .innerJoin('user as inviter', 'inviter.id', 'invitation.invited_by')
    .select([
      'invitation.id', 'invitation.email', 'invitation.name', 'invitation.created_at', 'invitation.expires_at',
      'invitation.accepted_at', 'invitation.revoked_at', 'organisation.name as organisation_name', 'inviter.name as invited_by_name',
    ])
    .orderBy('invitation.created_at', 'desc')
    .orderBy('invitation.id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { total: Number(counted.n), invitations: rows.map((row) => ({ ...row, status: invitationStatus(row, now) })) };
}

export function findInvitationSummary(db: DbOrTx, id: string) {
  return db.selectFrom('invitation').select(['id', 'email', 'name']).where('id', '=', id).executeTakeFirst();
}

export type CreateInvitationResult =
  /** token is null when this was a repeat of an invitation already sent. */
  | { ok: true; invitationId: string; organisationId: string; token: string | null }
  | { ok: false; field: keyof CreateInvitationInput; message: string };

const duplicateSupplier = (name: string) =>
  `${name} is already in the list of organisations. Select it from the list instead of creating a new one`;

async function createSupplier(tx: DbOrTx, input: CreateInvitationInput, actor: Actor): Promise<{ id: string; name: string }> {
  const name = input.organisationName ?? '';
  const existing = await findSupplierByName(tx, name);
  if (existing) throw new FieldProblem('organisationName', duplicateSupplier(existing.name));
  const id = await insertOrganisation(tx, { name, kind: 'supplier', status: 'verified', companyNumber: input.companyNumber ?? null });
  await recordAudit(tx, actor, {
    action: 'organisation.created', subjectType: 'organisation', subjectId: id,
    after: { name, kind: 'supplier', status: 'verified', companyNumber: input.companyNumber ?? null },
  });
  return { id, name };
}

async function existingSupplier(tx: DbOrTx, organisationId: string): Promise<{ id: string; name: string }> {
  const organisation = await findOrganisation(tx, organisationId);
  if (!organisation || organisation.kind !== 'supplier' || organisation.status !== 'verified') {
    throw new FieldProblem('organisationId', 'Select an organisation from the list, or choose a new organisation');
  }
  return { id: organisation.id, name: organisation.name };
}

/**
 * Invites a person to a supplier organisation (making the organisation first if
 * asked), replacing any open invitation for the same email, and queues the email.
 */
export async function createInvitation(db: Db, input: CreateInvitationInput, actor: Actor, now = new Date(), once?: Once): Promise<CreateInvitationResult> {
  const inviterId = actor.userId;
  if (!inviterId) throw new Error('An invitation needs a signed-in inviter');
  try {
    return await db.transaction().execute(async (tx) => {
      // The same form sent twice (double click, resent page): the first invitation stands.
      const prior = await priorResult(tx, once, 'invitation.create');
      const previous = prior ? await tx.selectFrom('invitation').select(['id', 'organisation_id']).where('id', '=', prior).executeTakeFirst() : undefined;
      if (previous) return { ok: true as const, invitationId: previous.id, organisationId: previous.organisation_id, token: null };
      if (await findUserByEmail(tx, input.email)) {
        throw new FieldProblem('email', `${input.email} already has an account. They can sign in, or use “Forgotten your password?” on the sign-in page`);
      }
      const organisation = input.organisationId === NEW_ORGANISATION ? await createSupplier(tx, input, actor) : await existingSupplier(tx, input.organisationId);

      const at = nowIso(now);
      const replaced = await tx
        .updateTable('invitation')
        .set({ revoked_at: at })
        .where('email', '=', input.email)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', at)
        .returning(['id'])
        .execute();
      for (const { id } of replaced) {
        await recordAudit(tx, actor, { action: 'invitation.revoked', subjectType: 'invitation', subjectId: id, before: { status: 'open' }, after: { status: 'revoked', reason: 'replaced by a new invitation' } });
      }

      const id = newId();
      const token = randomToken(24);
      const expiresAt = addMs(now, INVITATION_TTL_MS);
      await tx
        .insertInto('invitation')
        .values({
          id, token_hash: sha256(token), email: input.email, name: input.name, role: 'contractor', organisation_id: organisation.id,
          invited_by: inviterId, created_at: at, expires_at: expiresAt, accepted_at: null, revoked_at: null,
        })
        .execute();
      const inviter = await findUserById(tx, inviterId);
      const { AUTHORITY_NAME } = getEnv();
      await enqueueNotification(tx, {
        kind: 'invitation',
        toEmail: input.email,
        subject: `You are invited to report social value for ${organisation.name}`,
        body: [
          `Hello ${input.name},`,
          `${inviter?.name ?? 'A council officer'} at ${AUTHORITY_NAME} has invited you to the social value portal for ${organisation.name}. You will use it to report the social value your contracts deliver.`,
          `Open the link below to choose a password and sign in. It works once and expires on ${formatDate(expiresAt)}.`,
          'If you were not expecting this email, you can ignore it.',
        ].join('\n\n'),
        linkPath: `/invitations/${token}`,
        dedupeKey: `invitation:${id}`,
      });
      await recordAudit(tx, actor, {
        action: 'invitation.created', subjectType: 'invitation', subjectId: id,
        after: { email: input.email, name: input.name, organisationId: organisation.id, expiresAt, replaced: replaced.map((r) => r.id) },
      });
      await rememberResult(tx, once, 'invitation.create', id);
      return { ok: true as const, invitationId: id, organisationId: organisation.id, token };
    });
  } catch (error) {
    if (error instanceof FieldProblem) return { ok: false, field: error.field as keyof CreateInvitationInput, message: error.message };
    // Another officer created the same supplier at the same moment: the unique index refused ours.
    if (isUniqueViolation(error) && input.organisationId === NEW_ORGANISATION) {
      return { ok: false, field: 'organisationName', message: duplicateSupplier(input.organisationName ?? '') };
    }
    throw error;
  }
}

export type RevokeResult = 'revoked' | 'not-found' | 'not-open';

/** Revokes an open invitation; its link stops working at once. */
export async function revokeInvitation(db: Db, invitationId: string, actor: Actor, now = new Date()): Promise<RevokeResult> {
  return db.transaction().execute(async (tx) => {
    const invitation = await tx.selectFrom('invitation').select(['id', 'email']).where('id', '=', invitationId).executeTakeFirst();
    if (!invitation) return 'not-found';
    const at = nowIso(now);
    const result = await tx
      .updateTable('invitation')
      .set({ revoked_at: at })
      .where('id', '=', invitationId)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', at)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return 'not-open';
    await recordAudit(tx, actor, { action: 'invitation.revoked', subjectType: 'invitation', subjectId: invitationId, before: { status: 'open' }, after: { status: 'revoked' } });
    return 'revoked';
  });
}
