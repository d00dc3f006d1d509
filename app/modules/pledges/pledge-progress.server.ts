import type { DbOrTx } from '#db/client';
import type { PledgeStatus } from '#db/schema';

// How much of an item's estimate pledges cover: the one definition used by the
// item page, the item's status (pledged, fulfilled) and the impact reports.

/** Pledges the organisation has accepted and not since lost: they count as "pledged so far". */
export const COUNTED_PLEDGE_STATUSES: readonly PledgeStatus[] = ['accepted', 'delivered', 'confirmed', 'disputed'];

export interface PledgeProgress {
  /** Sum of accepted, delivered, confirmed and disputed pledges, in pence. */
  pledgedPence: number;
  /** Sum of confirmed pledges only, in pence. */
  confirmedPence: number;
  pledgeCount: number;
}

export async function pledgeProgress(db: DbOrTx, itemIds: readonly string[]): Promise<Map<string, PledgeProgress>> {
  const result = new Map<string, PledgeProgress>();
  if (itemIds.length === 0) return result;
  const rows = await db
    .selectFrom('pledge')
    .select((eb) => [
      'item_id',
      eb.fn.sum<number>(eb.case().when('status', 'in', [...COUNTED_PLEDGE_STATUSES]).then(eb.ref('value_pence')).else(0).end()).as('pledged'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'confirmed').then(eb.ref('value_pence')).else(0).end()).as('confirmed'),
      eb.fn.sum<number>(eb.case().when('status', 'in', [...COUNTED_PLEDGE_STATUSES]).then(1).else(0).end()).as('n'),
    ])
    .where('item_id', 'in', [...itemIds])
    .groupBy('item_id')
    .execute();
  for (const row of rows) result.set(row.item_id, { pledgedPence: Number(row.pledged ?? 0), confirmedPence: Number(row.confirmed ?? 0), pledgeCount: Number(row.n ?? 0) });
  for (const id of itemIds) if (!result.has(id)) result.set(id, { pledgedPence: 0, confirmedPence: 0, pledgeCount: 0 });
  return result;
}
