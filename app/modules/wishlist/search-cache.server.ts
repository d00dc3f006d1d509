import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';

// A small in-process cache of the public wishlist's result pages and filter
// choices. Every entry is keyed by the wishlist's data version (migration 0009:
// a counter that triggers bump on any change to an item, a pledge, an
// organisation's or a ward's name, or the wards), read before the query runs,
// so an entry is never used once anything it shows may have changed, whichever
// process made the change. Only public data is cached (the queries return
// public items only), and only outside a transaction. Decision 0016.

/** The most entries kept; the least recently used goes first. */
export const SEARCH_CACHE_ENTRIES = 500;

const entries = new Map<string, unknown>();
let enabled = true;

/** The wishlist's current data version (one row, a primary-key read). */
export async function wishlistDataVersion(db: DbOrTx): Promise<number> {
  const row = await sql<{ version: number }>`SELECT version FROM wishlist_data_version WHERE id = 1`.execute(db);
  return Number(row.rows[0]?.version ?? 0);
}

/** The cached value for this key at the current data version, or the computed one (then cached). */
export async function cachedForVersion<T>(db: DbOrTx, key: string, compute: () => Promise<T>): Promise<T> {
  if (!enabled || db.isTransaction) return compute();
  const fullKey = `${await wishlistDataVersion(db)}\u0000${key}`;
  if (entries.has(fullKey)) {
    const value = entries.get(fullKey) as T;
    entries.delete(fullKey);
    entries.set(fullKey, value);
    return value;
  }
  const value = await compute();
  entries.set(fullKey, value);
  if (entries.size > SEARCH_CACHE_ENTRIES) entries.delete(entries.keys().next().value as string);
  return value;
}

/** For tests and benchmarks: turn the cache off (and empty it) or on. */
export function setSearchCacheEnabled(on: boolean): void {
  enabled = on;
  entries.clear();
}
