import type { PledgeStatus, WishlistStatus } from '#db/schema';
import { PLEDGEABLE_STATUSES } from '~/modules/wishlist/wishlist';
import type { PledgeSide, PledgeStep } from './lifecycle';

// Which pledge steps the item's status allows (docs/pledges.md, ADR 0022). Pure:
// the services, the pledge page (which forms to show, what to say) and the
// tests read this one rule.
//
//   Making a promise needs an open need: a pledge can be OFFERED, and an offer
//   ACCEPTED, only while the item is published or pledged.
//   Keeping or leaving a promise never depends on the need: DECLINE and
//   WITHDRAW are always possible (the way out), and an accepted pledge can be
//   DELIVERED, DISPUTED and CONFIRMED whatever has happened to the item since
//   (it expired, was closed, was met by other pledges): the goods still
//   arrive, and the organisations agreed to them.

export type PledgeAct = PledgeStep | 'offer';

export const PLEDGE_ACTS: readonly PledgeAct[] = ['offer', 'accept', 'decline', 'deliver', 'confirm', 'dispute', 'withdraw'];

/** Item statuses in which a need takes new pledges and offers can be accepted. */
export const OPEN_FOR_PLEDGES: readonly WishlistStatus[] = PLEDGEABLE_STATUSES;

/** The acts that make a new promise, and so need the item open. */
const NEEDS_OPEN_ITEM: readonly PledgeAct[] = ['offer', 'accept'];

/** Where an item stands, as far as pledges are concerned. */
export type ItemState = 'open' | 'met' | 'closed' | 'expired' | 'withdrawn' | 'in-moderation' | 'not-approved' | 'draft';
export type ItemBlock = Exclude<ItemState, 'open'>;

const STATE: Record<WishlistStatus, ItemState> = {
  published: 'open',
  pledged: 'open',
  fulfilled: 'met',
  closed: 'closed',
  expired: 'expired',
  withdrawn: 'withdrawn',
  // An owner's edit sends a published item back to the council (submitted); the council may reject the changes.
  submitted: 'in-moderation',
  rejected: 'not-approved',
  draft: 'draft',
};

export const itemState = (status: WishlistStatus): ItemState => STATE[status];

/** Why the item's status stops `act` now, or null when it does not. */
export function itemBlock(act: PledgeAct, itemStatus: WishlistStatus): ItemBlock | null {
  if (!NEEDS_OPEN_ITEM.includes(act)) return null;
  const state = itemState(itemStatus);
  return state === 'open' ? null : state;
}

export const itemAllows = (act: PledgeAct, itemStatus: WishlistStatus): boolean => itemBlock(act, itemStatus) === null;

/**
 * An offer worth more than the need's estimate cannot be accepted: the owner
 * lowered the estimate after it was made (an offer survives an edit, ADR 0022),
 * and one pledge is never worth more than its need (ADR 0018).
 */
export const exceedsEstimate = (valuePence: number, estimatePence: number): boolean => estimatePence > 0 && valuePence > estimatePence;

/** What the VCSE is told when it tries to accept an offer the item's status no longer allows. */
export const ACCEPT_BLOCKED: Record<ItemBlock, string> = {
  met: 'This need has been met, so you cannot accept more pledges to it. You can decline this one.',
  closed: 'You have closed this need, so you cannot accept pledges to it. You can decline this one.',
  expired: 'This need has passed its needed-by date, so you cannot accept pledges to it. You can decline this one.',
  withdrawn: 'You withdrew this need, so you cannot accept pledges to it. You can decline this one.',
  'in-moderation': 'You changed this need, so it is off the public wishlist until the council has checked it again. You can accept this pledge once the council has approved it, or decline it now.',
  'not-approved': 'The council did not approve your changes to this need, so it is not on the public wishlist. Change it and send it again: you can accept this pledge once it is approved, or decline it now.',
  draft: 'This need is not on the public wishlist, so you cannot accept pledges to it. You can decline this one.',
};

/** The owner's item page, above its pledges, when offers wait on a need that cannot take them now. */
export function waitingOffersNote(itemStatus: WishlistStatus): string | null {
  const block = itemBlock('accept', itemStatus);
  if (!block) return null;
  if (block === 'in-moderation') return 'Pledges waiting for your answer stay while the council checks your changes. You can accept them once it has approved the item, or decline them now.';
  if (block === 'not-approved') return 'Pledges waiting for your answer stay. You can accept them once you have changed the item and the council has approved it, or decline them now.';
  return 'This need is not open to pledges, so pledges waiting for your answer can only be declined.';
}

/** Why the need is not open, said of the need (for the contractor and council staff). */
const WHY_NOT_OPEN: Record<ItemBlock, string> = {
  met: 'This need has been met by other pledges',
  closed: 'The organisation has closed this need',
  expired: 'This need has passed its needed-by date',
  withdrawn: 'The organisation withdrew this need',
  'in-moderation': 'The organisation changed this need, so it is off the public wishlist until the council has checked it again',
  'not-approved': 'The council did not approve the organisation’s changes to this need, so it is off the public wishlist until they change it and it is approved',
  draft: 'This need is not on the public wishlist',
};

const WAITING_FOR_MODERATION: readonly ItemBlock[] = ['in-moderation', 'not-approved'];

/** Statuses in which a pledge is a promise the organisation has taken on and not yet settled. */
const TAKEN_ON: readonly PledgeStatus[] = ['accepted', 'delivered', 'disputed'];

/**
 * What the pledge page says about the need when its status matters to this
 * pledge, or null when there is nothing to say: an offer the need no longer
 * lets the organisation accept, or an accepted pledge carrying on after the
 * need left the public wishlist.
 */
export function itemNotice(itemStatus: WishlistStatus, pledgeStatus: PledgeStatus, side: PledgeSide | null): string | null {
  const block = itemBlock('accept', itemStatus);
  if (!block) return null;
  if (pledgeStatus === 'offered') {
    if (side === 'recipient') return ACCEPT_BLOCKED[block];
    const later = WAITING_FOR_MODERATION.includes(block) ? 'cannot be accepted until the need is back on the wishlist' : 'can no longer be accepted';
    return side === 'supplier'
      ? `${WHY_NOT_OPEN[block]}, so your pledge ${later}. You can withdraw it at any time.`
      : `${WHY_NOT_OPEN[block]}, so this pledge ${later}.`;
  }
  if (TAKEN_ON.includes(pledgeStatus) && block !== 'met') {
    return `${WHY_NOT_OPEN[block]}. This pledge carries on: it was accepted, so it can still be delivered and its receipt confirmed.`;
  }
  return null;
}
