import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx } from '#db/client';
import type { WishlistCategory, WishlistStatus } from '#db/schema';
import { PUBLIC_ITEM_INDEXES } from '#db/migrations/0009_wishlist_search_indexes';
import { cachedForVersion } from './search-cache.server';
import { toFtsQuery } from './search-query';
import type { WishlistFilters } from './search.schema';
import { PUBLIC_STATUSES } from './wishlist';

// The public wishlist's queries: only public items (published, pledged,
// fulfilled), whatever the filters say. Two paths:
// - browsing (no search words): a walk along one of migration 0009's partial
//   indexes, named with INDEXED BY so the plan never turns into a sort of every item;
// - searching: the FTS5 index (wishlist_item_fts, public items only, porter
//   stemming), ranked by bm25 with the title weighted above the organisation's
//   name and the description. Without filters, the best-match page is ranked
//   and cut inside the FTS table (ORDER BY rank LIMIT) and counted there; with
//   filters or another sort, the matches join their items by integer key.
// Results and filter choices are cached per wishlist data version (search-cache.server.ts).
// Performance figures: docs/performance.md.

/** bm25 weights for the FTS columns: item_id (not indexed), title, description, organisation_name. */
export const BM25_WEIGHTS = { title: 10, description: 1, organisationName: 3 } as const;
const RANK = sql.raw(`'bm25(0.0, ${BM25_WEIGHTS.title.toFixed(1)}, ${BM25_WEIGHTS.description.toFixed(1)}, ${BM25_WEIGHTS.organisationName.toFixed(1)})'`);

// Written out literally (not as bound parameters) so SQLite can use the partial indexes.
if (!PUBLIC_STATUSES.every((s) => /^[a-z]+$/.test(s))) throw new Error('unexpected status name');
const PUBLIC_STATUS_LIST = sql.raw(`(${PUBLIC_STATUSES.map((s) => `'${s}'`).join(', ')})`);

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

interface Row {
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

const toItem = (r: Row): WishlistListItem => ({
  id: r.id, title: r.title, summary: r.summary, category: r.category, theme: r.theme, wardName: r.ward_name,
  estimatedValuePence: r.estimated_value_pence, neededBy: r.needed_by, status: r.status, publishedAt: r.published_at,
  organisationName: r.organisation_name,
});

/** The WHERE terms every public query shares: public statuses, then each filter given. */
function filterTerms(f: WishlistFilters): RawBuilder<unknown> {
  const terms: RawBuilder<unknown>[] = [sql`i.status IN ${PUBLIC_STATUS_LIST}`];
  if (f.status) terms.push(sql`i.status = ${f.status}`);
  if (f.wardId) terms.push(sql`i.ward_id = ${f.wardId}`);
  if (f.category) terms.push(sql`i.category = ${f.category}`);
  if (f.theme) terms.push(sql`i.theme = ${f.theme}`);
  return sql.join(terms, sql` AND `);
}

function browseOrder(sort: WishlistFilters['sort']): { index: string; orderBy: RawBuilder<unknown> } {
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

function searchOrder(sort: WishlistFilters['sort']): RawBuilder<unknown> {
  if (sort === 'relevance') return sql`f.rank, i.published_at DESC, i.id DESC`;
  return browseOrder(sort).orderBy;
}

const COLUMNS = sql`i.id, i.title, substr(i.description, 1, ${SUMMARY_CHARS + 1}) AS summary, i.category, i.theme, w.name AS ward_name,
  i.estimated_value_pence, i.needed_by, i.status, i.published_at, o.name AS organisation_name`;

/** One page of public items for these filters, and how many there are in all. */
export async function searchWishlist(db: DbOrTx, filters: WishlistFilters, { offset, limit }: { offset: number; limit: number }): Promise<WishlistPage> {
  const f = filters;
  const key = JSON.stringify(['page', f.q, f.wardId, f.category, f.theme, f.status, f.sort, offset, limit, browseTuning.sortDirectlyBelow]);
  return cachedForVersion(db, key, () => (f.q ? searchByWords(db, f, offset, limit) : browse(db, f, offset, limit)));
}

/** The index that reads only the entries a set of filters can match, for counting them; null when no filter narrows the list. */
function filterIndex(f: WishlistFilters): string | null {
  if (f.wardId) return PUBLIC_ITEM_INDEXES.ward;
  if (f.category) return PUBLIC_ITEM_INDEXES.category;
  if (f.theme) return 'wishlist_item_theme';
  return null;
}

/** Below this many matches they are sorted directly; from it, a page is read in order from the sort's index. (Tests lower it to check both plans.) */
export const browseTuning = { sortDirectlyBelow: 2_000 };

async function browse(db: DbOrTx, filters: WishlistFilters, offset: number, limit: number): Promise<WishlistPage> {
  const where = filterTerms(filters);
  const narrow = filterIndex(filters);
  const counted = narrow
    ? await sql<{ n: number }>`SELECT count(*) AS n FROM wishlist_item AS i INDEXED BY ${sql.id(narrow)} WHERE ${where}`.execute(db)
    : await sql<{ n: number }>`SELECT count(*) AS n FROM wishlist_item AS i WHERE ${where}`.execute(db);
  const total = Number(counted.rows[0]?.n ?? 0);
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

/**
 * LIMIT and OFFSET written into a search's SQL as numbers: bound as parameters,
 * SQLite 3.53 offers them to FTS5's planner and a ranked page took 0.5 to 0.9 s
 * instead of 2 to 60 ms (measured on the 50,000-item benchmark database).
 */
function whole(n: number): RawBuilder<unknown> {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a whole number: ${n}`);
  return sql.raw(String(n));
}

async function searchByWords(db: DbOrTx, filters: WishlistFilters, offset: number, limit: number): Promise<WishlistPage> {
  const match = toFtsQuery(filters.q);
  if (match === null) return { total: 0, items: [], unsearchable: true };
  const unfiltered = !filters.wardId && !filters.category && !filters.theme && !filters.status;
  return unfiltered && filters.sort === 'relevance' ? bestMatches(db, match, offset, limit) : filteredMatches(db, filters, match, offset, limit);
}

/**
 * Best match, no filters: the FTS table holds public items only, so the page is
 * ranked and cut inside it (FTS5 computes bm25 and sorts rowids, reading no
 * stored text) and the count is the number of matches. Only the page's rows
 * are then read, still checked for a public status. Ties: in the order the items were listed.
 */
async function bestMatches(db: DbOrTx, match: string, offset: number, limit: number): Promise<WishlistPage> {
  const counted = await sql<{ n: number }>`SELECT count(*) AS n FROM wishlist_item_fts WHERE wishlist_item_fts MATCH ${match}`.execute(db);
  const total = Number(counted.rows[0]?.n ?? 0);
  if (total === 0 || offset >= total) return { total, items: [], unsearchable: false };
  const rows = await sql<Row>`
    WITH page AS (
      SELECT rowid AS seq, rank FROM wishlist_item_fts
      WHERE wishlist_item_fts MATCH ${match} AND rank MATCH ${RANK}
      ORDER BY rank LIMIT ${whole(limit)} OFFSET ${whole(offset)}
    )
    SELECT ${COLUMNS}
    FROM page JOIN wishlist_item_key AS k ON k.seq = page.seq
    JOIN wishlist_item AS i ON i.id = k.item_id
    JOIN organisation AS o ON o.id = i.organisation_id
    LEFT JOIN ward AS w ON w.id = i.ward_id
    WHERE i.status IN ${PUBLIC_STATUS_LIST}
    ORDER BY page.rank, page.seq`.execute(db);
  return { total, items: rows.rows.map(toItem), unsearchable: false };
}

/** Filters or another sort: each match joins its item by integer key to check the filters; bm25 only when sorting by it. */
async function filteredMatches(db: DbOrTx, filters: WishlistFilters, match: string, offset: number, limit: number): Promise<WishlistPage> {
  const where = filterTerms(filters);
  const relevance = filters.sort === 'relevance';
  const order = searchOrder(filters.sort);
  // One pass over the matches: the page and the count (a window) together; the
  // page's display columns are read afterwards, for its rows only.
  const hits = relevance
    ? sql`SELECT rowid AS seq, rank FROM wishlist_item_fts WHERE wishlist_item_fts MATCH ${match} AND rank MATCH ${RANK}`
    : sql`SELECT rowid AS seq, 0 AS rank FROM wishlist_item_fts WHERE wishlist_item_fts MATCH ${match}`;
  const matching = sql`hits AS f JOIN wishlist_item_key AS k ON k.seq = f.seq JOIN wishlist_item AS i ON i.id = k.item_id WHERE ${where}`;
  const rows = await sql<Row & { total: number }>`
    WITH hits AS (${hits}), page AS (
      SELECT i.id, f.rank, count(*) OVER () AS total
      FROM ${matching}
      ORDER BY ${order}
      LIMIT ${whole(limit)} OFFSET ${whole(offset)}
    )
    SELECT ${COLUMNS}, f.total
    FROM page AS f JOIN wishlist_item AS i ON i.id = f.id
    JOIN organisation AS o ON o.id = i.organisation_id
    LEFT JOIN ward AS w ON w.id = i.ward_id
    ORDER BY ${order}`.execute(db);
  let total = Number(rows.rows[0]?.total ?? 0);
  // A page past the end has no rows to carry the count.
  if (rows.rows.length === 0 && offset > 0) {
    const counted = await sql<{ n: number }>`WITH hits AS (${hits}) SELECT count(*) AS n FROM ${matching}`.execute(db);
    total = Number(counted.rows[0]?.n ?? 0);
  }
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
