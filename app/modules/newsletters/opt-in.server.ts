import type { Db } from '#db/client';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { nowIso } from '~/utils/time';

// A signed-in user's choice to receive the quarterly newsletter (contractor
// users receive it whatever they choose: ADR 0020). Audited.

export async function getNewsletterOptIn(db: Db, userId: string): Promise<boolean> {
  const row = await db.selectFrom('user').select('newsletter_opt_in').where('id', '=', userId).executeTakeFirst();
  return row?.newsletter_opt_in === 1;
}

export async function setNewsletterOptIn(db: Db, userId: string, optIn: boolean, actor: Actor, now = new Date()): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const before = await tx.selectFrom('user').select('newsletter_opt_in').where('id', '=', userId).executeTakeFirstOrThrow();
    const value = optIn ? 1 : 0;
    if (before.newsletter_opt_in === value) return;
    await tx.updateTable('user').set({ newsletter_opt_in: value, updated_at: nowIso(now) }).where('id', '=', userId).execute();
    await recordAudit(tx, actor, { action: optIn ? 'user.newsletter_opted_in' : 'user.newsletter_opted_out', subjectType: 'user', subjectId: userId, before: { newsletter_opt_in: before.newsletter_opt_in }, after: { newsletter_opt_in: value } });
  });
}
