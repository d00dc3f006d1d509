import type { LoaderFunctionArgs } from '@remix-run/node';
import { getDb } from '#db/client';
import { getUser, notFound } from '~/auth/guards.server';
import { can } from '~/auth/permissions';
import { photoResponse } from '~/modules/photos/photos.server';
import { isPublicStatus } from '~/modules/wishlist/wishlist';

// An item's photo. Public: anyone may see the photo of an item the public sees
// (published, pledged, fulfilled); caches may keep it but must ask again each
// time (a 304 while it is unchanged and still public), so a photo leaves every
// cache as soon as its item is withdrawn, rejected, expired or sent back to
// moderation, or the photo is replaced. Any other item's photo only its own organisation's users and
// staff (not a draft: drafts are private), never cached. Anything else is 404,
// so ids cannot be probed. Served with nosniff and a sandbox CSP.

export async function loader({ request, params }: LoaderFunctionArgs) {
  // Public: the status check below decides who may see which photo.
  const item = await getDb()
    .selectFrom('wishlist_item')
    .select(['id', 'organisation_id', 'status', 'photo_sha256', 'photo_content_type'])
    .where('id', '=', (params.itemId ?? '').slice(0, 100))
    .executeTakeFirst();
  if (!item?.photo_sha256 || !item.photo_content_type) throw notFound();
  if (isPublicStatus(item.status)) return photoResponse(item.photo_sha256, item.photo_content_type, { cache: 'public', ifNoneMatch: request.headers.get('If-None-Match') });
  const user = await getUser(request);
  const owner = user?.organisationId === item.organisation_id && can(user.role, 'wishlist:manage');
  const staff = Boolean(user && can(user.role, 'wishlist:moderate') && item.status !== 'draft');
  if (!owner && !staff) throw notFound();
  return photoResponse(item.photo_sha256, item.photo_content_type, { cache: 'private' });
}
