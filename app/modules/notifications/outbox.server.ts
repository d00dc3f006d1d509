import type { DbOrTx } from '#db/client';
import { getEnv } from '~/utils/env.server';
import { newId } from '~/utils/ids.server';
import { nowIso } from '~/utils/time';

export interface OutboxMessage {
  kind: string;
  toEmail: string;
  toUserId?: string | null;
  subject: string;
  body: string;
  /** A path inside the portal (made absolute with APP_ORIGIN). */
  linkPath?: string;
  /** Makes the write idempotent: a second message with the same key is ignored. */
  dedupeKey?: string;
}

/** Queues an email. Call inside the transaction of the change it reports; sent after commit. */
export async function enqueueNotification(tx: DbOrTx, message: OutboxMessage): Promise<void> {
  const link = message.linkPath ? `${getEnv().APP_ORIGIN}${message.linkPath}` : null;
  await tx
    .insertInto('notification')
    .values({
      id: newId(),
      dedupe_key: message.dedupeKey ?? null,
      kind: message.kind,
      to_email: message.toEmail,
      to_user_id: message.toUserId ?? null,
      subject: message.subject,
      body_text: link ? `${message.body}\n\n${link}` : message.body,
      link,
      created_at: nowIso(),
      sent_at: null,
      last_error: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}
