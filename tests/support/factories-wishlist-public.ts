import type { WishlistCategory, WishlistStatus } from '../../db/schema';
import { getDb } from '../../db/client';
import { makeItem } from './factories-wishlist';

// Public wishlist test data: an item with the fields the public pages sort and filter by.
export async function makeListedItem(organisationId: string, {
  status = 'published', title, description = 'Something we need', category = 'goods', theme = 'Communities', wardId = null, valuePence = 50_000,
  neededBy = null, publishedAt = '2026-10-01T09:00:00.000Z', quantityDetail = '', photo = null,
}: {
  status?: WishlistStatus; title: string; description?: string; category?: WishlistCategory; theme?: string; wardId?: string | null; valuePence?: number;
  neededBy?: string | null; publishedAt?: string | null; quantityDetail?: string; photo?: { sha256: string; contentType: string; alt: string } | null;
}) {
  const item = await makeItem(organisationId, { status, title, description, category, theme, wardId, valuePence, neededBy, photo });
  const published = ['published', 'pledged', 'fulfilled', 'closed', 'expired', 'withdrawn'].includes(status) ? publishedAt : null;
  await getDb().updateTable('wishlist_item').set({ published_at: published, quantity_detail: quantityDetail, updated_at: publishedAt ?? new Date().toISOString() }).where('id', '=', item.id).execute();
  return item;
}

/** Every status the public must never see. */
export const HIDDEN_STATUSES: readonly WishlistStatus[] = ['draft', 'submitted', 'rejected', 'withdrawn', 'closed', 'expired'];
