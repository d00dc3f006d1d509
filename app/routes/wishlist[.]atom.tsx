import type { LoaderFunctionArgs } from '@remix-run/node';
import { getDb } from '#db/client';
import { ATOM_ENTRIES, openDataHeaders, openDataPage, wishlistAtom } from '~/modules/wishlist/open-data.server';
import { parseWishlistSearch } from '~/modules/wishlist/search.schema';
import { getEnv } from '~/utils/env.server';

// GET /wishlist.atom: an Atom feed of the newest 50 public needs, with the page's filters (a feed per ward, say).

// Public: open data; public items and the organisation's public fields only.
export async function loader({ request }: LoaderFunctionArgs) {
  const search = { ...parseWishlistSearch(new URL(request.url).searchParams), sort: 'newest' as const, page: 1 };
  const env = getEnv();
  const result = await openDataPage(getDb(), search, env.APP_ORIGIN, ATOM_ENTRIES);
  const feed = wishlistAtom({ origin: env.APP_ORIGIN, authorityName: env.AUTHORITY_NAME, search, items: result.items, generatedAt: new Date().toISOString() });
  return new Response(feed, { headers: openDataHeaders('application/atom+xml; charset=utf-8') });
}
