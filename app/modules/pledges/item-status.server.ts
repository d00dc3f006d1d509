import type { Tx } from '#db/client';
import type { WishlistStatus } from '#db/schema';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { nowIso } from '~/utils/time';
import { declineOfferedPledges } from './lapse.server';
import { pledgeProgress, type PledgeProgress } from './pledge-progress.server';

// An item's status follows its pledges (docs/decisions/0018-pledge-progress-and-item-status.md):
//   confirmed pledges cover the estimate                   → fulfilled
//   else counted pledges (COUNTED_PLEDGE_STATUSES) cover it → pledged
//   else                                                    → published
// "Cover" needs at least one such pledge, so an item estimated at £0 is not
// fulfilled by nobody. Only items in one of these three statuses move, and an
// expired one to fulfilled (below): the owner's and the moderators' statuses
// (draft, closed, withdrawn …) are never overwritten by a pledge step.
// A fulfilled item takes no more pledges (item-rule.ts), so the moment an item
// becomes fulfilled its offers still waiting are declined (lapse.server.ts).

export const PLEDGE_DRIVEN_STATUSES: readonly WishlistStatus[] = ['published', 'pledged', 'fulfilled'];

/**
 * The jobs command expires a pledged item whose needed-by date passes while its
 * accepted pledges are still being delivered. Their confirmation must still
 * count: an expired item becomes fulfilled (and only that) once confirmed
 * pledges cover it, so the need shows as met and the impact report counts it.
 */
const FULFILLABLE_WHEN_EXPIRED: WishlistStatus = 'expired';

/** The status pledges give an item, from its estimate and its pledges' progress. Pure. */
export function statusFromPledges(estimatePence: number, progress: PledgeProgress): 'published' | 'pledged' | 'fulfilled' {
  // Pledge values are above zero, so a positive sum means at least one pledge.
  if (progress.confirmedPence > 0 && progress.confirmedPence >= estimatePence) return 'fulfilled';
  if (progress.pledgeCount > 0 && progress.pledgedPence >= estimatePence) return 'pledged';
  return 'published';
}

/**
 * Brings an item's status in line with its pledges, inside the caller's
 * transaction, and audits the change (as the actor whose step caused it).
 * Returns the status after, or null when the item is not pledge-driven.
 */
export async function syncItemStatus(tx: Tx, itemId: string, actor: Actor, cause?: { pledgeId: string; step: string }): Promise<WishlistStatus | null> {
  const item = await tx.selectFrom('wishlist_item').select(['id', 'status', 'estimated_value_pence']).where('id', '=', itemId).executeTakeFirst();
  if (!item) return null;
  const expired = item.status === FULFILLABLE_WHEN_EXPIRED;
  if (!expired && !PLEDGE_DRIVEN_STATUSES.includes(item.status)) return null;
  const progress = (await pledgeProgress(tx, [itemId])).get(itemId)!;
  const status = statusFromPledges(item.estimated_value_pence, progress);
  if (expired && status !== 'fulfilled') return null;
  if (status === item.status) return status;
  const at = nowIso();
  const result = await tx
    .updateTable('wishlist_item')
    .set({ status, updated_at: at })
    .where('id', '=', itemId)
    .where('status', '=', item.status)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return null;
  await recordAudit(tx, actor, {
    action: `wishlist_item.${status === 'published' ? 'reopened' : status}`,
    subjectType: 'wishlist_item',
    subjectId: itemId,
    before: { status: item.status },
    after: { status, pledgedPence: progress.pledgedPence, confirmedPence: progress.confirmedPence, estimatedValuePence: item.estimated_value_pence, cause },
  });
  if (status === 'fulfilled') await declineOfferedPledges(tx, itemId, 'met', actor);
  return status;
}
