import type { Db } from '#db/client';
import type { PledgeStatus } from '#db/schema';
import type { Actor } from '~/modules/audit/audit.server';
import { declineOfferedPledges, LAPSE_REASONS } from '~/modules/pledges/lapse.server';
import { findOwnItem, moveStatus, TAKEN_ON_PLEDGES, type ItemResult } from './items.server';
import { nextStatus, REFUSED } from './lifecycle';

// The owner ends an item: withdraws it (no longer needed) or closes it (fulfilled and done).

/** Pledges that stop a withdrawal: the organisation has taken them on and they are not settled. */
export const BLOCKING_PLEDGES: readonly PledgeStatus[] = TAKEN_ON_PLEDGES;
export const WITHDRAW_DECLINE_REASON = LAPSE_REASONS.withdrawn;

/**
 * Withdraws an item from draft, submitted, published or rejected. Refused
 * while any pledge is accepted, delivered or disputed; pledges still offered
 * are declined with WITHDRAW_DECLINE_REASON, audited, and their contractor is
 * told, in the same transaction (lapse.server.ts, shared with expiry).
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
    await declineOfferedPledges(tx, item.id, 'withdrawn', actor);
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
