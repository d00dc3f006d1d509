import type { DbOrTx } from '#db/client';
import { enqueueNotification } from '~/modules/notifications/outbox.server';

// Emails about wishlist items go to every active user of the organisation
// concerned, through the outbox, inside the caller's transaction.

export interface OrganisationMessage {
  kind: string;
  subject: string;
  body: string;
  linkPath?: string;
  /** One message per user: the user's id is appended. */
  dedupeKey: string;
}

export async function notifyOrganisation(tx: DbOrTx, organisationId: string, message: OrganisationMessage): Promise<number> {
  const users = await tx
    .selectFrom('user')
    .select(['id', 'email'])
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
  for (const user of users) {
    await enqueueNotification(tx, {
      kind: message.kind, toEmail: user.email, toUserId: user.id, subject: message.subject, body: message.body,
      linkPath: message.linkPath, dedupeKey: `${message.dedupeKey}:${user.id}`,
    });
  }
  return users.length;
}
