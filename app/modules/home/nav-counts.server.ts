import type { DbOrTx } from '#db/client';
import { can, type Actor } from '~/auth/permissions';
import type { NavCounts } from '~/components/navigation';
import { countAwaitingReview } from '~/modules/returns/review.server';

// The numbers beside navigation links: what waits for this person's decision.
export async function navCounts(db: DbOrTx, actor: Actor): Promise<NavCounts> {
  const count = async (query: Promise<{ n: number | bigint } | undefined>) => Number((await query)?.n ?? 0);
  const [returnsAwaitingReview, claims, swaps, wishlist] = await Promise.all([
    can(actor, 'return:review') ? countAwaitingReview(db) : 0,
    can(actor, 'credit:decide') ? count(db.selectFrom('credit_claim').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'requested').executeTakeFirst()) : 0,
    can(actor, 'credit:decide') ? count(db.selectFrom('credit_swap').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'requested').executeTakeFirst()) : 0,
    can(actor, 'wishlist:moderate') ? count(db.selectFrom('wishlist_item').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'submitted').executeTakeFirst()) : 0,
  ]);
  return { returnsAwaitingReview, creditRequestsAwaiting: claims + swaps, wishlistAwaitingModeration: wishlist };
}
