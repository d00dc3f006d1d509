import type { WishlistCategory, WishlistStatus } from '#db/schema';

// The wishlist's vocabulary, shared by server and UI. Pure.

export const WISHLIST_CATEGORIES: readonly WishlistCategory[] = ['goods', 'skills', 'volunteering', 'funding', 'space'];

export const CATEGORY_LABELS: Record<WishlistCategory, string> = {
  goods: 'Goods and equipment',
  skills: 'Skills and services',
  volunteering: 'Volunteering',
  funding: 'Funding',
  space: 'Space',
};

export const WISHLIST_STATUSES: readonly WishlistStatus[] = ['draft', 'submitted', 'published', 'rejected', 'pledged', 'fulfilled', 'closed', 'withdrawn', 'expired'];

export const STATUS_LABELS: Record<WishlistStatus, string> = {
  draft: 'Draft',
  submitted: 'Awaiting moderation',
  published: 'Open',
  rejected: 'Rejected',
  pledged: 'Pledged',
  fulfilled: 'Fulfilled',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
};

/** What the public (and contractors browsing) may see. */
export const PUBLIC_STATUSES: readonly WishlistStatus[] = ['published', 'pledged', 'fulfilled'];

/** Items that can still take new pledges. */
export const PLEDGEABLE_STATUSES: readonly WishlistStatus[] = ['published', 'pledged'];

export const isPublicStatus = (status: WishlistStatus): boolean => PUBLIC_STATUSES.includes(status);
