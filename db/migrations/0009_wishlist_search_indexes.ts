import { sql, type Kysely } from 'kysely';

// Browsing the public wishlist (/wishlist without search words) at 50,000 items.
// One partial index per sort order (and two for counting filtered lists), holding only public items (published,
// pledged, fulfilled) and covering the filter columns, so a page is a walk
// along the index that stops after the page's rows, never a sort of every
// public item. app/modules/wishlist/search.server.ts names them (INDEXED BY)
// and repeats the same status list literally, as a partial index needs.
// Measured in docs/performance.md; reasons in docs/decisions/0016-wishlist-search-with-fts5.md.
export const PUBLIC_ITEM_INDEXES = {
  newest: 'wishlist_item_public_newest',
  neededBy: 'wishlist_item_public_needed_by',
  value: 'wishlist_item_public_value',
  /** For counting and for narrow filters: ward first, then category and theme. */
  ward: 'wishlist_item_public_ward',
  /** For counting and for narrow filters: category, then theme. */
  category: 'wishlist_item_public_category',
} as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  const publicOnly = sql.raw(`WHERE status IN ('published', 'pledged', 'fulfilled')`);
  await sql`CREATE INDEX wishlist_item_public_newest ON wishlist_item (published_at, id, status, ward_id, category, theme) ${publicOnly}`.execute(db);
  // Items without a needed-by date come after those with one.
  await sql`CREATE INDEX wishlist_item_public_needed_by ON wishlist_item (needed_by IS NULL, needed_by, id, status, ward_id, category, theme) ${publicOnly}`.execute(db);
  await sql`CREATE INDEX wishlist_item_public_value ON wishlist_item (estimated_value_pence, id, status, ward_id, category, theme) ${publicOnly}`.execute(db);
  // Counting the matches of a filter reads only the matching index entries.
  await sql`CREATE INDEX wishlist_item_public_ward ON wishlist_item (ward_id, category, theme, status) ${publicOnly}`.execute(db);
  await sql`CREATE INDEX wishlist_item_public_category ON wishlist_item (category, theme, status) ${publicOnly}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of Object.values(PUBLIC_ITEM_INDEXES)) await sql`DROP INDEX IF EXISTS ${sql.id(index)}`.execute(db);
}
