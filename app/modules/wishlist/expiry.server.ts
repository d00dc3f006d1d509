import type { Db } from '#db/client';
import { systemActor } from '~/modules/audit/audit.server';
import { londonToday } from '~/modules/contracts/dates';
import { declineOfferedPledges } from '~/modules/pledges/lapse.server';
import { moveStatus } from './items.server';
import { ITEM_RULES } from './lifecycle';
import { notifyOrganisation } from './notify.server';

// The jobs command: open (published or pledged) items whose needed-by date has
// passed become expired, audited as the system; the organisation is told once.
// Pledges still offered on the item are declined in the same transaction, with
// the reason, audited, each contractor told (ADR 0022); accepted ones carry on.

const lapsedNote = (n: number) =>
  n === 0 ? '' : `\n\n${n === 1 ? 'One pledge you had not answered has' : `${n} pledges you had not answered have`} been declined, and ${n === 1 ? 'the contractor' : 'the contractors'} told.`;

export async function expireWishlistItems(db: Db, today = londonToday()): Promise<{ expired: number; declined: number }> {
  const due = await db
    .selectFrom('wishlist_item')
    .select(['id', 'status', 'title', 'organisation_id', 'needed_by'])
    .where('status', 'in', [...ITEM_RULES.expire.from])
    .where('needed_by', 'is not', null)
    .where('needed_by', '<', today)
    .orderBy('needed_by')
    .execute();
  let expired = 0;
  let declined = 0;
  for (const item of due) {
    // One transaction per item: a racing pledge or edit on one item does not hold up the rest.
    const done = await db.transaction().execute(async (tx) => {
      const moved = await moveStatus(tx, systemActor, item, 'expire');
      if (!moved.ok) return null;
      const lapsed = await declineOfferedPledges(tx, item.id, 'expired', systemActor);
      await notifyOrganisation(tx, item.organisation_id, {
        kind: 'wishlist_item_expired',
        subject: `Your wishlist item has expired: ${item.title}`,
        body: `The needed-by date of “${item.title}” has passed, so it is no longer on the public wishlist. If you still need it, add it again with a new date.${lapsedNote(lapsed.length)}`,
        linkPath: `/organisation/wishlist/${item.id}`,
        dedupeKey: `wishlist-expired:${item.id}`,
      });
      return lapsed.length;
    });
    if (done === null) continue;
    expired++;
    declined += done;
  }
  return { expired, declined };
}
