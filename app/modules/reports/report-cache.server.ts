import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';

// Report figures are sums over every return, swap and ledger posting, which
// takes seconds for a large authority (docs/performance.md). They are cached in
// this process and recomputed as soon as anything they read may have changed:
// the cache key includes a "data mark" of O(1) reads: the newest audit event
// (every state change is audited in its own transaction), the newest ledger
// posting, the newest row of each table the reports read, and SQLite's
// data_version (which moves when another process, such as `npm run jobs`,
// writes). Concurrent requests for the same figures share one computation.

const MAX_ENTRIES = 16;
const cache = new Map<string, Promise<unknown>>();

const TABLES = ['audit_event', 'ledger_posting', 'progress_return', 'commitment', 'contract', 'credit_swap', 'credit_claim', 'wishlist_item', 'pledge', 'story', 'ward', 'measure', 'organisation'] as const;

/** A value that changes whenever report data may have changed. */
export async function dataMark(db: DbOrTx): Promise<string> {
  const columns = TABLES.map((t) => `(SELECT max(rowid) FROM ${t})`).join(', ');
  const { rows } = await sql<Record<string, number | null>>`SELECT ${sql.raw(columns)}`.execute(db);
  const version = await sql<{ data_version: number }>`PRAGMA data_version`.execute(db);
  return `${Object.values(rows[0] ?? {}).join(':')}:${version.rows[0]?.data_version ?? 0}`;
}

/** The cached result for `key` at the current data mark, computing it once if needed. */
export async function cached<T>(db: DbOrTx, key: string, compute: () => Promise<T>): Promise<T> {
  const full = `${key}@${await dataMark(db)}`;
  let entry = cache.get(full) as Promise<T> | undefined;
  if (entry) {
    cache.delete(full);
    cache.set(full, entry); // most recently used last
    return entry;
  }
  entry = compute();
  cache.set(full, entry);
  entry.catch(() => cache.delete(full));
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return entry;
}

/** For tests. */
export function clearReportCache(): void {
  cache.clear();
}
