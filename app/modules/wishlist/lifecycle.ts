import type { WishlistStatus } from '#db/schema';

// The wishlist item's lifecycle (docs/wishlist.md): which action may move an
// item from which status, who may take it, and where it lands. Pure.
//
//   draft ─submit→ submitted ─approve→ published ─(pledges, H3)→ pledged → fulfilled ─close→ closed
//                     └─reject→ rejected ─edit, submit→ submitted
//   withdraw (owner): draft, submitted, published, rejected → withdrawn (refused while a pledge is accepted or delivered)
//   expire (the jobs command): published, pledged → expired once the needed-by date has passed
//   edit (owner): draft, submitted, rejected stay as they are; a published item goes back to submitted
//     (updateItem refuses any item with an accepted, delivered or disputed pledge)
//   correct (officer): category, theme or ward of a published or pledged item; the status stays

export type ItemAction = 'edit' | 'submit' | 'withdraw' | 'close' | 'approve' | 'reject' | 'correct' | 'expire';
export type ItemActor = 'owner' | 'officer' | 'system';

interface Rule {
  by: ItemActor;
  from: readonly WishlistStatus[];
  /** The status after the action; 'same' keeps it. */
  to: Partial<Record<WishlistStatus, WishlistStatus>> | WishlistStatus | 'same';
}

export const ITEM_RULES: Record<ItemAction, Rule> = {
  edit: { by: 'owner', from: ['draft', 'submitted', 'rejected', 'published'], to: { draft: 'draft', submitted: 'submitted', rejected: 'rejected', published: 'submitted' } },
  submit: { by: 'owner', from: ['draft', 'rejected'], to: 'submitted' },
  withdraw: { by: 'owner', from: ['draft', 'submitted', 'published', 'rejected'], to: 'withdrawn' },
  close: { by: 'owner', from: ['fulfilled'], to: 'closed' },
  approve: { by: 'officer', from: ['submitted'], to: 'published' },
  reject: { by: 'officer', from: ['submitted'], to: 'rejected' },
  correct: { by: 'officer', from: ['published', 'pledged'], to: 'same' },
  expire: { by: 'system', from: ['published', 'pledged'], to: 'expired' },
};

/** May `actor` take `action` on an item in `status`? */
export function canTake(action: ItemAction, status: WishlistStatus, actor: ItemActor): boolean {
  const rule = ITEM_RULES[action];
  return rule.by === actor && rule.from.includes(status);
}

/** The status after `action`, or null when the action is not allowed from `status`. */
export function nextStatus(action: ItemAction, status: WishlistStatus): WishlistStatus | null {
  const rule = ITEM_RULES[action];
  if (!rule.from.includes(status)) return null;
  if (rule.to === 'same') return status;
  if (typeof rule.to === 'string') return rule.to;
  return rule.to[status] ?? null;
}

/** The actions the owning organisation can take now (the item page shows these). */
export function ownerActions(status: WishlistStatus): ItemAction[] {
  return (Object.keys(ITEM_RULES) as ItemAction[]).filter((a) => canTake(a, status, 'owner'));
}

/** Messages for an action refused because of the item's status. */
export const REFUSED: Record<ItemAction, string> = {
  edit: 'This item can no longer be changed: it has pledges, or it is closed, withdrawn or expired.',
  submit: 'Only a draft or a rejected item can be submitted.',
  withdraw: 'This item can no longer be withdrawn.',
  close: 'Only a fulfilled item can be closed.',
  approve: 'This item is not waiting for moderation: someone has already decided it, or the organisation changed it.',
  reject: 'This item is not waiting for moderation: someone has already decided it, or the organisation changed it.',
  correct: 'Only an open or pledged item can be corrected.',
  expire: 'Only an open or pledged item can expire.',
};

/** Approval is refused for an organisation the council has not verified. */
export const ORGANISATION_NOT_VERIFIED = 'Verify the organisation before approving its items.';
