import type { Tx } from '#db/client';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { nowIso } from '~/utils/time';
import { notifyOtherSide } from './pledge-notify.server';
import { STEP_ACTIONS } from './pledges.schema';

// Offers that outlive their need (ADR 0022). When an item can never again take
// an offer (the owner withdraws it, the jobs command expires it, confirmed
// pledges fulfil it), its pledges still offered are declined in the same
// transaction as the item's change, with a reason that says why; each decline
// is audited and the contractor's active users are told through the outbox.
// Accepted pledges are not touched: they carry on (item-rule.ts).

/** Why the portal declined an offer; the pledge page and the email show it. */
export const LAPSE_REASONS = {
  withdrawn: 'The organisation withdrew this need',
  expired: 'The need reached its needed-by date before this offer was answered',
  met: 'The need was met by other pledges before this offer was answered',
} as const;

export type LapseCause = keyof typeof LAPSE_REASONS;

/**
 * Declines every offered pledge of an item, inside the caller's transaction.
 * Each is a conditional update (a pledge answered or withdrawn a moment
 * before is left alone). Returns the ids declined.
 */
export async function declineOfferedPledges(tx: Tx, itemId: string, cause: LapseCause, actor: Actor): Promise<string[]> {
  const offers = await tx
    .selectFrom('pledge as p')
    .innerJoin('wishlist_item as i', 'i.id', 'p.item_id')
    .innerJoin('organisation as v', 'v.id', 'i.organisation_id')
    .innerJoin('organisation as s', 's.id', 'p.supplier_id')
    .select(['p.id', 'p.supplier_id', 'p.description', 'p.value_pence', 'p.expected_date', 'p.updated_at', 'i.title as itemTitle', 'v.name as recipientName', 's.name as supplierName'])
    .where('p.item_id', '=', itemId)
    .where('p.status', '=', 'offered')
    .orderBy('p.created_at')
    .orderBy('p.id')
    .execute();
  const reason = LAPSE_REASONS[cause];
  const declined: string[] = [];
  for (const offer of offers) {
    const at = nowIso();
    const result = await tx
      .updateTable('pledge')
      .set({ status: 'declined', response_reason: reason, responded_by: actor.userId, responded_at: at, updated_at: at })
      .where('id', '=', offer.id)
      .where('status', '=', 'offered')
      .where('updated_at', '=', offer.updated_at)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) continue;
    await recordAudit(tx, actor, {
      action: STEP_ACTIONS.decline, subjectType: 'pledge', subjectId: offer.id,
      before: { status: 'offered' }, after: { status: 'declined', reason, cause: `item-${cause}` },
    });
    await notifyOtherSide(tx, 'lapse', {
      id: offer.id, itemTitle: offer.itemTitle, supplierName: offer.supplierName, recipientName: offer.recipientName,
      description: offer.description, valuePence: offer.value_pence, expectedDate: offer.expected_date,
    }, offer.supplier_id, at, reason);
    declined.push(offer.id);
  }
  return declined;
}
