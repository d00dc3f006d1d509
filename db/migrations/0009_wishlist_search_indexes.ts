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

  // A number that changes whenever anything the public wishlist shows may have changed (any item
  // or pledge written, an organisation or ward renamed, a ward added or removed). The search's
  // result cache (app/modules/wishlist/search-cache.server.ts) keys on it, so a cached page is
  // never served after a change, from this process or another. Decision 0016.
  await sql`CREATE TABLE wishlist_data_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL) STRICT`.execute(db);
  await sql`INSERT INTO wishlist_data_version (id, version) VALUES (1, 0)`.execute(db);
  for (const [name, event] of DATA_VERSION_TRIGGERS) {
    await sql`CREATE TRIGGER ${sql.id(name)} AFTER ${sql.raw(event)} BEGIN
      UPDATE wishlist_data_version SET version = version + 1 WHERE id = 1;
    END`.execute(db);
  }
}

const DATA_VERSION_TRIGGERS: Array<[string, string]> = [
  ['wishlist_data_version_item_insert', 'INSERT ON wishlist_item'],
  ['wishlist_data_version_item_update', 'UPDATE ON wishlist_item'],
  ['wishlist_data_version_item_delete', 'DELETE ON wishlist_item'],
  ['wishlist_data_version_pledge_insert', 'INSERT ON pledge'],
  ['wishlist_data_version_pledge_update', 'UPDATE ON pledge'],
  ['wishlist_data_version_pledge_delete', 'DELETE ON pledge'],
  ['wishlist_data_version_organisation', 'UPDATE OF name ON organisation'],
  ['wishlist_data_version_ward_insert', 'INSERT ON ward'],
  ['wishlist_data_version_ward_update', 'UPDATE ON ward'],
  ['wishlist_data_version_ward_delete', 'DELETE ON ward'],
];

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [name] of DATA_VERSION_TRIGGERS) await sql`DROP TRIGGER IF EXISTS ${sql.id(name)}`.execute(db);
  await sql`DROP TABLE IF EXISTS wishlist_data_version`.execute(db);
  for (const index of Object.values(PUBLIC_ITEM_INDEXES)) await sql`DROP INDEX IF EXISTS ${sql.id(index)}`.execute(db);
}
