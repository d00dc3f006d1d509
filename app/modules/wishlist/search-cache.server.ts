import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';

// Small in-process caches for the public wishlist, both keyed by the wishlist's
// data version (migration 0009: a counter that triggers bump on any change to an
// item, a pledge, an organisation's or a ward's name, or the wards), read before
// the query runs, so an entry is never used once anything it shows may have
// changed, whichever process made the change. Only public data is cached (the
// queries return public items only), and only outside a transaction. Decision 0016.
// - pages: whole result pages and the filter choices (the last 500);
// - searches: what every page of one search shares, its ordered match list (the
//   items' integer keys, 4 bytes each) and its count, so page N of a search
//   already ranked is a slice and a 20-row read. Bounded by the keys held in all.

/** The most result pages (and filter choices) kept; the least recently used goes first. */
export const SEARCH_CACHE_ENTRIES = 500;
/** The most item keys the searches' ordered lists may hold in all (about 4 MB); the least recently used go first. */
export const SEARCH_LIST_KEYS = 1_000_000;
/** The most searches (lists and counts) kept, whatever their size. */
export const SEARCH_LIST_ENTRIES = 1_000;

/** An ordered list of wishlist_item_key.seq values. */
export type ItemKeys = Int32Array | Float64Array;

/** A least-recently-used map bounded by entries and by a total weight. */
class Lru<T> {
  private readonly entries = new Map<string, { value: T; weight: number }>();
  private weight = 0;

  constructor(private readonly maxEntries: number, private readonly maxWeight: number) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: T, weight: number): void {
    if (weight > this.maxWeight) return;
    this.delete(key);
    this.entries.set(key, { value, weight });
    this.weight += weight;
    while (this.entries.size > this.maxEntries || this.weight > this.maxWeight) this.delete(this.entries.keys().next().value as string);
  }

  clear(): void {
    this.entries.clear();
    this.weight = 0;
  }

  /** For tests: how many entries and how much weight are held. */
  size(): { entries: number; weight: number } {
    return { entries: this.entries.size, weight: this.weight };
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.weight -= entry.weight;
  }
}

const pages = new Lru<unknown>(SEARCH_CACHE_ENTRIES, SEARCH_CACHE_ENTRIES);
const searches = new Lru<ItemKeys | number>(SEARCH_LIST_ENTRIES, SEARCH_LIST_KEYS);
const enabled = { pages: true, searches: true };

/** The wishlist's current data version (one row, a primary-key read). */
export async function wishlistDataVersion(db: DbOrTx): Promise<number> {
  const row = await sql<{ version: number }>`SELECT version FROM wishlist_data_version WHERE id = 1`.execute(db);
  return Number(row.rows[0]?.version ?? 0);
}

/** The cached value (a page, the filter choices) for this key at the current data version, or the computed one (then cached). */
export async function cachedForVersion<T>(db: DbOrTx, key: string, compute: () => Promise<T>): Promise<T> {
  if (!enabled.pages || db.isTransaction) return compute();
  const fullKey = `${await wishlistDataVersion(db)}\u0000${key}`;
  const hit = pages.get(fullKey);
  if (hit !== undefined) return hit as T;
  const value = await compute();
  pages.set(fullKey, value, 1);
  return value;
}

/** A search's ordered keys at the current data version, or the computed ones (then kept, if they fit). */
export async function cachedKeysForVersion(db: DbOrTx, key: string, compute: () => Promise<number[]>): Promise<ItemKeys> {
  const value = await cachedSearch(db, `keys\u0000${key}`, async () => toItemKeys(await compute()), (keys) => keys.length + 1);
  return value as ItemKeys;
}

/** A search's ordered keys if they are kept at the current data version (nothing is computed). */
export async function keptKeysForVersion(db: DbOrTx, key: string): Promise<ItemKeys | undefined> {
  if (!enabled.searches || db.isTransaction) return undefined;
  return searches.get(`${await wishlistDataVersion(db)}\u0000keys\u0000${key}`) as ItemKeys | undefined;
}

/** A search's count at the current data version, or the computed one (then kept). */
export async function cachedCountForVersion(db: DbOrTx, key: string, compute: () => Promise<number>): Promise<number> {
  return (await cachedSearch(db, `count\u0000${key}`, compute, () => 1)) as number;
}

async function cachedSearch<T extends ItemKeys | number>(db: DbOrTx, key: string, compute: () => Promise<T>, weigh: (value: T) => number): Promise<T> {
  if (!enabled.searches || db.isTransaction) return compute();
  const fullKey = `${await wishlistDataVersion(db)}\u0000${key}`;
  const hit = searches.get(fullKey);
  if (hit !== undefined) return hit as T;
  const value = await compute();
  searches.set(fullKey, value, weigh(value));
  return value;
}

/** Keys packed 4 bytes each (8 if one is beyond 32 bits, which 2 billion items would take). */
export function toItemKeys(keys: number[]): ItemKeys {
  return keys.every((k) => k <= 0x7fffffff && k >= -0x80000000) ? Int32Array.from(keys) : Float64Array.from(keys);
}

/**
 * For tests and benchmarks: turn the caches off (and empty them) or on. `searches`
 * (the ordered lists and counts) follows `pages` unless given, so a benchmark can
 * measure a different page of a search already ranked.
 */
export function setSearchCacheEnabled(on: boolean, searchesOn: boolean = on): void {
  enabled.pages = on;
  enabled.searches = searchesOn;
  pages.clear();
  searches.clear();
}

/** For tests: how much the search cache holds. */
export function searchCacheSize(): { entries: number; weight: number } {
  return searches.size();
}
