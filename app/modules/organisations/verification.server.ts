import type { Db, DbOrTx } from '#db/client';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { enqueueNotification } from '~/modules/notifications/outbox.server';
import { listActiveUsersOfOrganisation } from '~/modules/users/users.server';
import { getEnv } from '~/utils/env.server';
import { nowIso } from '~/utils/time';
import { findOrganisationDetails } from './organisations.server';
import { VCSE_STATUSES, type DecisionInput, type VcseStatus } from './verification.schema';

// Officers verify or reject the VCSE organisations that registered themselves.
export const ORGANISATIONS_PAGE_SIZE = 25;

/** How many VCSE organisations are in each state (for the filter's tabs). */
export async function countVcseByStatus(db: DbOrTx): Promise<Record<VcseStatus, number>> {
  const rows = await db
    .selectFrom('organisation')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('kind', '=', 'vcse')
    .groupBy('status')
    .execute();
  const counts = Object.fromEntries(VCSE_STATUSES.map((s) => [s, 0])) as Record<VcseStatus, number>;
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

/** VCSE organisations in one state: oldest pending first (a queue); decided ones most recent first. */
export async function listVcseOrganisations(db: DbOrTx, { status, page, pageSize = ORGANISATIONS_PAGE_SIZE }: { status: VcseStatus; page: number; pageSize?: number }) {
  let query = db
    .selectFrom('organisation')
    .leftJoin('ward', 'ward.id', 'organisation.ward_id')
    .select([
      'organisation.id', 'organisation.name', 'organisation.charity_number', 'organisation.company_number', 'organisation.contact_name',
      'organisation.contact_email', 'organisation.created_at', 'organisation.decided_at', 'ward.name as ward_name',
    ])
    .where('organisation.kind', '=', 'vcse')
    .where('organisation.status', '=', status);
  query = status === 'pending'
    ? query.orderBy('organisation.created_at', 'asc')
    : query.orderBy('organisation.decided_at', 'desc').orderBy('organisation.created_at', 'desc');
  return query.orderBy('organisation.id').limit(pageSize).offset((page - 1) * pageSize).execute();
}

/** A VCSE organisation with its users, or null (also for other kinds of organisation). */
export async function findVcseOrganisation(db: DbOrTx, organisationId: string) {
  const organisation = await findOrganisationDetails(db, organisationId);
  if (!organisation || organisation.kind !== 'vcse') return null;
  const users = await listActiveUsersOfOrganisation(db, organisationId);
  return { ...organisation, users };
}

export type DecideResult = 'decided' | 'not-found' | 'already-decided';

/** Verifies or rejects a pending VCSE organisation, once: a second decision is refused. */
export async function decideOrganisation(db: Db, organisationId: string, input: DecisionInput, actor: Actor, now = new Date()): Promise<DecideResult> {
  const deciderId = actor.userId;
  if (!deciderId) throw new Error('A decision needs a signed-in officer');
  return db.transaction().execute(async (tx) => {
    const organisation = await findVcseOrganisation(tx, organisationId);
    if (!organisation) return 'not-found';
    const status = input.decision === 'verify' ? 'verified' : 'rejected';
    const reason = input.reason ?? null;
    const at = nowIso(now);
    const result = await tx
      .updateTable('organisation')
      .set({ status, decision_reason: reason, decided_by: deciderId, decided_at: at, updated_at: at })
      .where('id', '=', organisationId)
      .where('kind', '=', 'vcse')
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return 'already-decided';

    await recordAudit(tx, actor, {
      action: `organisation.${status}`, subjectType: 'organisation', subjectId: organisationId,
      before: { status: organisation.status, decisionReason: organisation.decision_reason },
      after: { status, decisionReason: reason },
    });

    const { AUTHORITY_NAME } = getEnv();
    const message = status === 'verified'
      ? {
          subject: `${organisation.name} is verified`,
          body: `${AUTHORITY_NAME} has verified ${organisation.name}. You can now post your organisation’s needs on the community wishlist.`,
        }
      : {
          subject: `We could not verify ${organisation.name}`,
          body: `${AUTHORITY_NAME} could not verify ${organisation.name}.\n\nThe reason given:\n${reason}\n\nIf you think this is a mistake, or you can send more information, reply to the council’s social value team.`,
        };
    const recipients = new Map<string, string | null>();
    for (const user of organisation.users) recipients.set(user.email.toLowerCase(), user.id);
    if (organisation.contact_email && !recipients.has(organisation.contact_email.toLowerCase())) recipients.set(organisation.contact_email.toLowerCase(), null);
    for (const [email, userId] of recipients) {
      await enqueueNotification(tx, {
        kind: 'organisation_decided', toEmail: email, toUserId: userId, ...message, linkPath: '/organisation',
        dedupeKey: `organisation_decided:${organisationId}:${at}:${email}`,
      });
    }
    return 'decided';
  });
}
