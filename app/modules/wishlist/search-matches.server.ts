import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx } from '#db/client';
import { PUBLIC_ITEM_INDEXES } from '#db/migrations/0009_wishlist_search_indexes';
import { cachedCountForVersion, cachedKeysForVersion, keptKeysForVersion, type ItemKeys } from './search-cache.server';
import { toFtsQuery } from './search-query';
import type { WishlistFilters } from './search.schema';
import { browseOrder, filterIndex, filterTerms, isFiltered, itemsByKeys, RANK, whole, type WishlistPage } from './search-sql.server';

// Searching the public wishlist by words: the FTS5 index (wishlist_item_fts,
// public items only, porter stemming) ranked by bm25, with the title weighted
// above the organisation's name and the description. Every page of one search
// shares its ordered list of matches, so the list is built once (the items'
// integer keys, in the page order) and kept per data version
// (search-cache.server.ts): the count is its length and a page is a slice of it
// and a read of that page's items. The first page of a search not ranked yet is
// read on its own (sorted with a LIMIT, and counted), so a search asked for once
// costs no more than it did; the list is built when another page is asked for.
// Building it:
// - best match, no filters: ranked inside FTS5 (bm25 over the matches, reading
//   no stored text), equal ranks in the order the items were added (key order);
// - with a ward, category or theme, when the filters match far fewer items than
//   the words do: the filters' items first (from their index), then each match is
//   checked against them by key, and only those that pass are ranked or sorted
//   ("filter first");
// - otherwise each match joins its item by integer key to check the filters and
//   read the sort's columns ("join first").
// With filters or another sort, equal ranks and equal sort values come newest first
// (then by id), as they always did. Decision 0016; figures in docs/performance.md.

/** For tests: 'auto' chooses by the counts; the others force one way of applying filters (the results must not differ). */
export const searchTuning: { filterFirst: 'auto' | 'always' | 'never' } = { filterFirst: 'auto' };

/** One page of the public items matching a search's words and filters, and how many there are. */
export async function searchByWords(db: DbOrTx, filters: WishlistFilters, offset: number, limit: number): Promise<WishlistPage> {
  const match = toFtsQuery(filters.q);
  if (match === null) return { total: 0, items: [], unsearchable: true };
  const f = filters;
  const key = JSON.stringify([match, f.wardId, f.category, f.theme, f.status, f.sort, searchTuning.filterFirst]);
  if (offset === 0) {
    const kept = await keptKeysForVersion(db, key);
    if (!kept) {
      const first = await matchingKeys(db, f, match, limit);
      return { total: first.total, items: await itemsByKeys(db, first.keys), unsearchable: false };
    }
    return pageOf(db, kept, offset, limit);
  }
  const keys = await cachedKeysForVersion(db, key, async () => (await matchingKeys(db, f, match)).keys);
  return pageOf(db, keys, offset, limit);
}

async function pageOf(db: DbOrTx, keys: ItemKeys, offset: number, limit: number): Promise<WishlistPage> {
  return { total: keys.length, items: await itemsByKeys(db, keys.subarray(offset, offset + limit)), unsearchable: false };
}

/** How many public items a set of filters (no words) matches, read from the filters' index; kept per data version. */
export function countFiltered(db: DbOrTx, filters: WishlistFilters): Promise<number> {
  const f = filters;
  return cachedCountForVersion(db, JSON.stringify(['filters', f.wardId, f.category, f.theme, f.status]), async () => {
    // Without any filter, the category index (the narrowest holding every public item) is
    // read whole: 0.5 ms at 50,000 items, against 2.5 ms for SQLite's own choice (three
    // seeks along the status index). By status alone, SQLite's choice (one seek) is best.
    const index = filterIndex(f) ?? (f.status ? null : PUBLIC_ITEM_INDEXES.category);
    const from = index ? sql`wishlist_item AS i INDEXED BY ${sql.id(index)}` : sql`wishlist_item AS i`;
    const counted = await sql<{ n: number }>`SELECT count(*) AS n FROM ${from} WHERE ${filterTerms(f)}`.execute(db);
    return Number(counted.rows[0]?.n ?? 0);
  });
}

/** How many public items the words match (the FTS table holds public items only); kept per data version. */
function countWords(db: DbOrTx, match: string): Promise<number> {
  return cachedCountForVersion(db, JSON.stringify(['words', match]), async () => {
    const counted = await sql<{ n: number }>`SELECT count(*) AS n FROM wishlist_item_fts WHERE wishlist_item_fts MATCH ${match}`.execute(db);
    return Number(counted.rows[0]?.n ?? 0);
  });
}

/**
 * Filter first when the words match at least this many times as many items as the
 * filters do. Measured on the 50,000-item benchmark database (docs/performance.md):
 * an item read for the filters costs about three times what a match joined to its item
 * costs (its key is looked up by text id and kept in a temporary index), so below
 * that the two ways cost about the same and above it filtering first wins (for
 * "community" in one ward, 11 times as many matches: 30 ms instead of 80).
 */
export const FILTER_FIRST_RATIO = 3;

async function filterFirst(db: DbOrTx, f: WishlistFilters, match: string): Promise<boolean> {
  if (searchTuning.filterFirst !== 'auto') return searchTuning.filterFirst === 'always';
  // A status alone holds a sixth to two thirds of the items: never worth reading first.
  if (!filterIndex(f)) return false;
  return (await countFiltered(db, f)) * FILTER_FIRST_RATIO < (await countWords(db, match));
}

interface Keys { keys: number[]; total: number }

/**
 * The keys of the matches in page order: all of them, or (with `limit`) the first
 * page's and the count. The query depends on the filters and the sort (below).
 */
async function matchingKeys(db: DbOrTx, f: WishlistFilters, match: string, limit?: number): Promise<Keys> {
  if (!isFiltered(f) && f.sort === 'relevance') {
    const keys = await rankedKeys(db, match, limit);
    return { keys, total: limit === undefined ? keys.length : await countWords(db, match) };
  }
  const first = isFiltered(f) && (await filterFirst(db, f, match));
  const rows = await sql<{ seq: number; total?: number }>`
    SELECT k.seq ${limit === undefined ? sql`` : sql`, count(*) OVER () AS total`}
    ${first ? filteredFirst(f, match) : joined(f, match)}
    ORDER BY ${searchOrder(f.sort)}
    ${limit === undefined ? sql`` : sql`LIMIT ${whole(limit)}`}`.execute(db);
  const keys = keysOf(rows.rows);
  return { keys, total: limit === undefined ? keys.length : Number(rows.rows[0]?.total ?? 0) };
}

const keysOf = (rows: Array<{ seq: number }>): number[] => rows.map((r) => Number(r.seq));

/** Best match, no filters: the matches ranked over the FTS table alone (it holds public items only). */
async function rankedKeys(db: DbOrTx, match: string, limit?: number): Promise<number[]> {
  // Two sort terms, so FTS5 does not sort by rank itself; SQLite sorts, reading
  // each match's rank once. Equal ranks: in key order, as FTS5 itself returns them.
  const rows = await sql<{ seq: number }>`
    SELECT rowid AS seq FROM wishlist_item_fts
    WHERE wishlist_item_fts MATCH ${match} AND rank MATCH ${RANK}
    ORDER BY rank, rowid
    ${limit === undefined ? sql`` : sql`LIMIT ${whole(limit)}`}`.execute(db);
  return keysOf(rows.rows);
}

/** The sort for a search with filters or another order: rank first when by relevance, then newest first. */
function searchOrder(sort: WishlistFilters['sort']): RawBuilder<unknown> {
  if (sort === 'relevance') return sql`f.rank, i.published_at DESC, i.id DESC`;
  return browseOrder(sort).orderBy;
}

/** FTS5's rank, only when sorting by relevance (bm25 is then computed for the matches that pass the filters only). */
const rankIfRelevance = (f: WishlistFilters) => (f.sort === 'relevance' ? sql`AND f.rank MATCH ${RANK}` : sql``);

/**
 * Join first: each match (the FTS5 table is the outer loop, CROSS JOIN keeps it
 * there) joins its key and its item to check the filters and read the sort's columns.
 */
function joined(f: WishlistFilters, match: string): RawBuilder<unknown> {
  return sql`
    FROM wishlist_item_fts AS f
    CROSS JOIN wishlist_item_key AS k ON k.seq = f.rowid
    CROSS JOIN wishlist_item AS i ON i.id = k.item_id
    WHERE f.wishlist_item_fts MATCH ${match} ${rankIfRelevance(f)} AND ${filterTerms(f)}`;
}

/**
 * Filter first: the keys of the filters' items (read from their index) go into
 * a temporary index (an IN list); each match is looked up in it by key
 * (`+f.rowid`: never handed to FTS5 as a rowid look-up, which would run the whole
 * match again for every item), and only the matches found join their items, to
 * be ranked (bm25 only for them) and sorted.
 */
function filteredFirst(f: WishlistFilters, match: string): RawBuilder<unknown> {
  const index = filterIndex(f);
  const source = index ? sql`wishlist_item AS i INDEXED BY ${sql.id(index)}` : sql`wishlist_item AS i`;
  return sql`
    FROM wishlist_item_fts AS f
    CROSS JOIN wishlist_item_key AS k ON k.seq = f.rowid
    CROSS JOIN wishlist_item AS i ON i.id = k.item_id
    WHERE f.wishlist_item_fts MATCH ${match} ${rankIfRelevance(f)}
      AND +f.rowid IN (SELECT k.seq FROM ${source} CROSS JOIN wishlist_item_key AS k ON k.item_id = i.id WHERE ${filterTerms(f)})
      AND ${filterTerms(f)}`;
}
