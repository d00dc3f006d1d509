import { getDb } from '#db/client';
import { notFound, requirePermission } from '~/auth/guards.server';
import { findOwnItem } from './items.server';

// Route helpers for the VCSE's own item pages.

/** The signed-in VCSE user and one of their organisation's items; another organisation's (or an unknown) item is 404. */
export async function requireOwnItem(request: Request, itemId: string | undefined) {
  const user = await requirePermission(request, 'wishlist:manage');
  const item = itemId ? await findOwnItem(getDb(), user.organisationId, itemId.slice(0, 100)) : undefined;
  if (!item) throw notFound();
  return { user, item };
}

/** The address of an item's photo: the hash in the query makes a new photo a new URL (so it may be cached). */
export function photoSrc(item: { id: string; photo_sha256: string | null }): string | null {
  return item.photo_sha256 ? `/wishlist/${item.id}/photo?v=${item.photo_sha256.slice(0, 16)}` : null;
}
