import type { LoaderFunctionArgs } from '@remix-run/node';
import { getDb } from '#db/client';
import { CSV_MAX_ROWS, openDataHeaders, openDataPage, pageLinks, wishlistCsv } from '~/modules/wishlist/open-data.server';
import { parseWishlistSearch } from '~/modules/wishlist/search.schema';
import { getEnv } from '~/utils/env.server';

// GET /wishlist.csv: the public wishlist as CSV (UTF-8 with a byte-order mark, formula-neutralised cells),
// with the page's filters; up to 10,000 rows per file, `page` for the next ones (Link header rel="next").

// Public: open data; public items and the organisation's public fields only.
export async function loader({ request }: LoaderFunctionArgs) {
  const search = parseWishlistSearch(new URL(request.url).searchParams);
  const origin = getEnv().APP_ORIGIN;
  const result = await openDataPage(getDb(), search, origin, CSV_MAX_ROWS);
  const links = pageLinks(`${origin}/wishlist.csv`, search, result, false);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const suffix = result.page > 1 ? `-page-${result.page}` : '';
  return new Response(wishlistCsv(result.items), {
    headers: openDataHeaders('text/csv; charset=utf-8', {
      'Content-Disposition': `attachment; filename="wishlist-${today}${suffix}.csv"`,
      ...(links.next ? { Link: `<${links.next}>; rel="next"` } : {}),
    }),
  });
}
