import type { Db } from '#db/client';
import type { PledgeStatus } from '#db/schema';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { nowIso } from '~/utils/time';
import { findOwnItem, moveStatus, TAKEN_ON_PLEDGES, type ItemResult } from './items.server';
import { nextStatus, REFUSED } from './lifecycle';
import { notifyOrganisation } from './notify.server';

// The owner ends an item: withdraws it (no longer needed) or closes it (fulfilled and done).

/** Pledges that stop a withdrawal: the organisation has taken them on and they are not settled. */
export const BLOCKING_PLEDGES: readonly PledgeStatus[] = TAKEN_ON_PLEDGES;
export const WITHDRAW_DECLINE_REASON = 'The organisation withdrew this need';

/**
 * Withdraws an item from draft, submitted, published or rejected. Refused
 * while any pledge is accepted, delivered or disputed; pledges still offered
 * are declined with WITHDRAW_DECLINE_REASON and their contractor is told.
 */
export async function withdrawItem(db: Db, actor: Actor, organisationId: string, itemId: string): Promise<ItemResult> {
  return db.transaction().execute(async (tx) => {
    const item = await findOwnItem(tx, organisationId, itemId);
    if (!item) return { ok: false, reason: 'not-found' } as const;
    if (!nextStatus('withdraw', item.status)) return { ok: false, reason: 'conflict', message: REFUSED.withdraw } as const;
    const blocking = await tx.selectFrom('pledge').select('id').where('item_id', '=', item.id).where('status', 'in', [...BLOCKING_PLEDGES]).executeTakeFirst();
    if (blocking) {
      return { ok: false, reason: 'conflict', message: 'This item has pledges you have accepted. Settle them with the contractor (confirm or dispute delivery) before withdrawing it.' } as const;
    }
    const moved = await moveStatus(tx, actor, item, 'withdraw');
    if (!moved.ok) return moved;
    const offered = await tx.selectFrom('pledge').select(['id', 'supplier_id', 'description']).where('item_id', '=', item.id).where('status', '=', 'offered').execute();
    const now = nowIso();
    for (const pledge of offered) {
      const declined = await tx
        .updateTable('pledge')
        .set({ status: 'declined', response_reason: WITHDRAW_DECLINE_REASON, responded_by: actor.userId, responded_at: now, updated_at: now })
        .where('id', '=', pledge.id)
        .where('status', '=', 'offered')
        .executeTakeFirst();
      if (Number(declined.numUpdatedRows) !== 1) continue;
      await recordAudit(tx, actor, { action: 'pledge.declined', subjectType: 'pledge', subjectId: pledge.id, before: { status: 'offered' }, after: { status: 'declined', response_reason: WITHDRAW_DECLINE_REASON } });
      await notifyOrganisation(tx, pledge.supplier_id, {
        kind: 'pledge_declined',
        subject: `Your pledge was declined: ${item.title}`,
        body: `${WITHDRAW_DECLINE_REASON}: “${item.title}”. Your pledge (${pledge.description}) has been declined, and there is nothing more you need to do.`,
        linkPath: '/pledges',
        dedupeKey: `pledge-declined:${pledge.id}`,
      });
    }
    return moved;
  });
}

/** Closes a fulfilled item: it leaves the public wishlist. */
export async function closeItem(db: Db, actor: Actor, organisationId: string, itemId: string): Promise<ItemResult> {
  return db.transaction().execute(async (tx) => {
    const item = await findOwnItem(tx, organisationId, itemId);
    if (!item) return { ok: false, reason: 'not-found' } as const;
    return moveStatus(tx, actor, item, 'close');
  });
}
