import type { Db } from '#db/client';
import { systemActor } from '~/modules/audit/audit.server';
import { londonToday } from '~/modules/contracts/dates';
import { moveStatus } from './items.server';
import { ITEM_RULES } from './lifecycle';
import { notifyOrganisation } from './notify.server';

// The jobs command: open (published or pledged) items whose needed-by date has
// passed become expired, audited as the system; the organisation is told once.

export async function expireWishlistItems(db: Db, today = londonToday()): Promise<{ expired: number }> {
  const due = await db
    .selectFrom('wishlist_item')
    .select(['id', 'status', 'title', 'organisation_id', 'needed_by'])
    .where('status', 'in', [...ITEM_RULES.expire.from])
    .where('needed_by', 'is not', null)
    .where('needed_by', '<', today)
    .orderBy('needed_by')
    .execute();
  let expired = 0;
  for (const item of due) {
    // One transaction per item: a racing pledge or edit on one item does not hold up the rest.
    const done = await db.transaction().execute(async (tx) => {
      const moved = await moveStatus(tx, systemActor, item, 'expire');
      if (!moved.ok) return false;
      await notifyOrganisation(tx, item.organisation_id, {
        kind: 'wishlist_item_expired',
        subject: `Your wishlist item has expired: ${item.title}`,
        body: `The needed-by date of “${item.title}” has passed, so it is no longer on the public wishlist. If you still need it, add it again with a new date.`,
        linkPath: `/organisation/wishlist/${item.id}`,
        dedupeKey: `wishlist-expired:${item.id}`,
      });
      return true;
    });
    if (done) expired++;
  }
  return { expired };
}
