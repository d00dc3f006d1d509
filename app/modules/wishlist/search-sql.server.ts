import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx } from '#db/client';
import type { WishlistCategory, WishlistStatus } from '#db/schema';
import { PUBLIC_ITEM_INDEXES } from '#db/migrations/0009_wishlist_search_indexes';
import type { WishlistFilters } from './search.schema';
import { PUBLIC_STATUSES } from './wishlist';

// The SQL the public wishlist's queries share (search.server.ts browses,
// search-matches.server.ts searches): the public statuses, the filters, the sort
// orders, the list's columns. Decision 0016; figures in docs/performance.md.

/** bm25 weights for the FTS columns: item_id (not indexed), title, description, organisation_name. */
export const BM25_WEIGHTS = { title: 10, description: 1, organisationName: 3 } as const;
export const RANK = sql.raw(`'bm25(0.0, ${BM25_WEIGHTS.title.toFixed(1)}, ${BM25_WEIGHTS.description.toFixed(1)}, ${BM25_WEIGHTS.organisationName.toFixed(1)})'`);

// Written out literally (not as bound parameters) so SQLite can use the partial indexes.
if (!PUBLIC_STATUSES.every((s) => /^[a-z]+$/.test(s))) throw new Error('unexpected status name');
export const PUBLIC_STATUS_LIST = sql.raw(`(${PUBLIC_STATUSES.map((s) => `'${s}'`).join(', ')})`);

/** Characters of the description shown in a list. */
export const SUMMARY_CHARS = 240;

export interface WishlistListItem {
  id: string;
  title: string;
  /** The description's first SUMMARY_CHARS characters (one more when it is longer, so the page can add "…"). */
  summary: string;
  category: WishlistCategory;
  theme: string;
  wardName: string | null;
  estimatedValuePence: number;
  neededBy: string | null;
  status: WishlistStatus;
  publishedAt: string | null;
  organisationName: string;
}

export interface WishlistPage {
  total: number;
  items: WishlistListItem[];
  /** True when the search had no words that could be searched for (only punctuation or symbols). */
  unsearchable: boolean;
}

export interface Row {
  id: string;
  title: string;
  summary: string;
  category: WishlistCategory;
  theme: string;
  ward_name: string | null;
  estimated_value_pence: number;
  needed_by: string | null;
  status: WishlistStatus;
  published_at: string | null;
  organisation_name: string;
}

export const toItem = (r: Row): WishlistListItem => ({
  id: r.id, title: r.title, summary: r.summary, category: r.category, theme: r.theme, wardName: r.ward_name,
  estimatedValuePence: r.estimated_value_pence, neededBy: r.needed_by, status: r.status, publishedAt: r.published_at,
  organisationName: r.organisation_name,
});

/** The list's columns, from `i` (wishlist_item), `o` (organisation) and `w` (ward, left joined). */
export const COLUMNS = sql`i.id, i.title, substr(i.description, 1, ${SUMMARY_CHARS + 1}) AS summary, i.category, i.theme, w.name AS ward_name,
  i.estimated_value_pence, i.needed_by, i.status, i.published_at, o.name AS organisation_name`;

/** The WHERE terms every public query shares: public statuses, then each filter given. */
export function filterTerms(f: WishlistFilters): RawBuilder<unknown> {
  const terms: RawBuilder<unknown>[] = [sql`i.status IN ${PUBLIC_STATUS_LIST}`];
  if (f.status) terms.push(sql`i.status = ${f.status}`);
  if (f.wardId) terms.push(sql`i.ward_id = ${f.wardId}`);
  if (f.category) terms.push(sql`i.category = ${f.category}`);
  if (f.theme) terms.push(sql`i.theme = ${f.theme}`);
  return sql.join(terms, sql` AND `);
}

/** True when a filter other than the public statuses narrows the list. */
export const isFiltered = (f: WishlistFilters): boolean => Boolean(f.wardId || f.category || f.theme || f.status);

/** The index that reads only the entries a set of filters can match, for counting them; null when none of ward, category or theme is set. */
export function filterIndex(f: WishlistFilters): string | null {
  if (f.wardId) return PUBLIC_ITEM_INDEXES.ward;
  if (f.category) return PUBLIC_ITEM_INDEXES.category;
  if (f.theme) return 'wishlist_item_theme';
  return null;
}


export function browseOrder(sort: WishlistFilters['sort']): { index: string; orderBy: RawBuilder<unknown> } {
  switch (sort) {
    case 'needed-by':
      return { index: PUBLIC_ITEM_INDEXES.neededBy, orderBy: sql`i.needed_by IS NULL, i.needed_by, i.id` };
    case 'value-high':
      return { index: PUBLIC_ITEM_INDEXES.value, orderBy: sql`i.estimated_value_pence DESC, i.id DESC` };
    case 'value-low':
      return { index: PUBLIC_ITEM_INDEXES.value, orderBy: sql`i.estimated_value_pence, i.id` };
    default:
      return { index: PUBLIC_ITEM_INDEXES.newest, orderBy: sql`i.published_at DESC, i.id DESC` };
  }
}

/**
 * LIMIT and OFFSET written into a query's SQL as numbers: bound as parameters,
 * SQLite 3.53 offers them to FTS5's planner and a ranked page took 0.5 to 0.9 s
 * instead of 2 to 60 ms (measured on the 50,000-item benchmark database).
 * Also used for item keys written into a page's read.
 */
export function whole(n: number): RawBuilder<unknown> {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a whole number: ${n}`);
  return sql.raw(String(n));
}

/**
 * The page's items, read by their keys and returned in the keys' order (an item no longer
 * public is left out). CROSS JOIN keeps the keys the outer loop: with a list of keys
 * SQLite otherwise chose to read every public item by status (0.5 s at 50,000 items).
 */
export async function itemsByKeys(db: DbOrTx, keys: ArrayLike<number>): Promise<WishlistListItem[]> {
  if (keys.length === 0) return [];
  const list = Array.from(keys);
  const rows = await sql<Row & { seq: number }>`
    SELECT ${COLUMNS}, k.seq
    FROM wishlist_item_key AS k CROSS JOIN wishlist_item AS i ON i.id = k.item_id
    JOIN organisation AS o ON o.id = i.organisation_id
    LEFT JOIN ward AS w ON w.id = i.ward_id
    WHERE k.seq IN (${sql.join(list.map(whole))}) AND i.status IN ${PUBLIC_STATUS_LIST}`.execute(db);
  const bySeq = new Map(rows.rows.map((r) => [Number(r.seq), r]));
  return list.flatMap((seq) => {
    const row = bySeq.get(seq);
    return row ? [toItem(row)] : [];
  });
}
