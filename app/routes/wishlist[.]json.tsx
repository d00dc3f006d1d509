import type { LoaderFunctionArgs } from '@remix-run/node';
import { getDb } from '#db/client';
import { JSON_DEFAULT_LIMIT, JSON_MAX_LIMIT, openDataHeaders, openDataPage, pageLinks, wishlistJson } from '~/modules/wishlist/open-data.server';
import { parseWishlistSearch } from '~/modules/wishlist/search.schema';
import { getEnv } from '~/utils/env.server';

// GET /wishlist.json: the public wishlist as JSON, with the page's filters, `limit` (up to 1,000) and `page`.
// Shape: docs/wishlist-public.md.

// Public: open data; public items and the organisation's public fields only.
export async function loader({ request }: LoaderFunctionArgs) {
  const search = parseWishlistSearch(new URL(request.url).searchParams);
  const origin = getEnv().APP_ORIGIN;
  const limit = Math.min(search.limit ?? JSON_DEFAULT_LIMIT, JSON_MAX_LIMIT);
  const result = await openDataPage(getDb(), search, origin, limit);
  const links = pageLinks(`${origin}/wishlist.json`, search, result, true);
  const linkHeader = [links.next ? `<${links.next}>; rel="next"` : null, links.prev ? `<${links.prev}>; rel="prev"` : null].filter(Boolean).join(', ');
  const body = JSON.stringify(wishlistJson(origin, search, result, new Date().toISOString()), null, 2);
  return new Response(body, { headers: openDataHeaders('application/json; charset=utf-8', linkHeader ? { Link: linkHeader } : {}) });
}
