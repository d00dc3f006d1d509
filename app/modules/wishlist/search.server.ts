import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import { cachedForVersion } from './search-cache.server';
import { countFiltered, searchByWords, searchTuning } from './search-matches.server';
import type { WishlistFilters } from './search.schema';
import { browseOrder, COLUMNS, filterIndex, filterTerms, PUBLIC_STATUS_LIST, toItem, type Row, type WishlistPage } from './search-sql.server';

export { BM25_WEIGHTS, SUMMARY_CHARS, type WishlistListItem, type WishlistPage } from './search-sql.server';

// The public wishlist's queries: only public items (published, pledged,
// fulfilled), whatever the filters say. Two paths:
// - browsing (no search words): a walk along one of migration 0009's partial
//   indexes, named with INDEXED BY so the plan never turns into a sort of every item;
// - searching (search-matches.server.ts): the FTS5 index, ranked by bm25; each
//   search's ordered list of matches is built once and every page is a slice of it.
// Result pages and filter choices are cached per wishlist data version, and so are
// each search's ordered list and each filter's count (search-cache.server.ts).
// Performance figures: docs/performance.md.

/** One page of public items for these filters, and how many there are in all. */
export async function searchWishlist(db: DbOrTx, filters: WishlistFilters, { offset, limit }: { offset: number; limit: number }): Promise<WishlistPage> {
  const f = filters;
  const key = JSON.stringify(['page', f.q, f.wardId, f.category, f.theme, f.status, f.sort, offset, limit, browseTuning.sortDirectlyBelow, searchTuning.filterFirst]);
  return cachedForVersion(db, key, () => (f.q ? searchByWords(db, f, offset, limit) : browse(db, f, offset, limit)));
}

/** Below this many matches they are sorted directly; from it, a page is read in order from the sort's index. (Tests lower it to check both plans.) */
export const browseTuning = { sortDirectlyBelow: 2_000 };

async function browse(db: DbOrTx, filters: WishlistFilters, offset: number, limit: number): Promise<WishlistPage> {
  const where = filterTerms(filters);
  const narrow = filterIndex(filters);
  // The same for every page of these filters, so counted once per data version.
  const total = await countFiltered(db, filters);
  if (total === 0 || offset >= total) return { total, items: [], unsearchable: false };
  const { index, orderBy } = browseOrder(filters.sort);
  // Few matches: read them through the filter's index and sort them. Many: walk the sort's
  // covering index, skipping without table reads, and stop when the page is full.
  const source = narrow && total < browseTuning.sortDirectlyBelow ? narrow : index;
  const rows = await sql<Row>`
    WITH page AS (
      SELECT i.id FROM wishlist_item AS i INDEXED BY ${sql.id(source)}
      WHERE ${where} ORDER BY ${orderBy} LIMIT ${limit} OFFSET ${offset}
    )
    SELECT ${COLUMNS}
    FROM page JOIN wishlist_item AS i ON i.id = page.id
    JOIN organisation AS o ON o.id = i.organisation_id
    LEFT JOIN ward AS w ON w.id = i.ward_id
    ORDER BY ${orderBy}`.execute(db);
  return { total, items: rows.rows.map(toItem), unsearchable: false };
}

/** The choices for the filters: every ward, and the themes of public items. */
export function wishlistFilterOptions(db: DbOrTx): Promise<{ wards: Array<{ id: string; name: string }>; themes: string[] }> {
  return cachedForVersion(db, 'filter-options', () => readFilterOptions(db));
}

async function readFilterOptions(db: DbOrTx): Promise<{ wards: Array<{ id: string; name: string }>; themes: string[] }> {
  const wards = await db.selectFrom('ward').select(['id', 'name']).orderBy('name').execute();
  // Each distinct theme by a seek along the (theme, status) index, kept if a public item has it:
  // a few steps per theme, never a read of every item.
  const themes = await sql<{ theme: string }>`
    WITH RECURSIVE t(theme) AS (
      SELECT (SELECT min(theme) FROM wishlist_item)
      UNION ALL
      SELECT (SELECT min(theme) FROM wishlist_item WHERE theme > t.theme) FROM t WHERE t.theme IS NOT NULL
    )
    SELECT t.theme FROM t
    WHERE t.theme IS NOT NULL AND EXISTS (SELECT 1 FROM wishlist_item AS i WHERE i.theme = t.theme AND i.status IN ${PUBLIC_STATUS_LIST})`.execute(db);
  return { wards, themes: themes.rows.map((r) => r.theme) };
}
