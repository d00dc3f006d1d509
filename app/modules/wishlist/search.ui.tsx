import type { WishlistStatus } from '#db/schema';
import { STATUS_LABELS } from './wishlist';

// Pieces of the public wishlist pages (list and item) shared by both.

const TAG_CLASSES: Partial<Record<WishlistStatus, string>> = {
  published: 'govuk-tag--blue',
  pledged: 'govuk-tag--yellow',
  fulfilled: 'govuk-tag--green',
  draft: 'govuk-tag--grey',
  submitted: 'govuk-tag--light-blue',
  rejected: 'govuk-tag--red',
};

export function WishlistStatusTag({ status }: { status: WishlistStatus }) {
  return <strong className={`govuk-tag ${TAG_CLASSES[status] ?? 'govuk-tag--grey'}`}>{STATUS_LABELS[status]}</strong>;
}
