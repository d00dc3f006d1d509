import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import { keyedHash } from '~/utils/ids.server';

// Limits kept in SQLite, so they hold across restarts. Keys carry a keyed hash
// of the IP or email, never the value itself.
export const limitKey = (scope: string, value: string): string => `${scope}:${keyedHash(value.toLowerCase())}`;

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Counts one hit in a fixed window; refuses once more than `limit` hits fall in it. */
export async function hitRateLimit(db: DbOrTx, key: string, limit: number, windowMs: number, now = Date.now()): Promise<LimitResult> {
  const row = await sql<{ hits: number; window_started_at: number }>`
    INSERT INTO rate_limit (key, window_started_at, hits) VALUES (${key}, ${now}, 1)
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN window_started_at <= ${now - windowMs} THEN 1 ELSE hits + 1 END,
      window_started_at = CASE WHEN window_started_at <= ${now - windowMs} THEN ${now} ELSE window_started_at END
    RETURNING hits, window_started_at`.execute(db);
  const { hits, window_started_at } = row.rows[0]!;
  if (hits <= limit) return { ok: true };
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((window_started_at + windowMs - now) / 1000)) };
}

/** Consecutive failures allowed before each further one adds a growing delay. */
export const FREE_FAILURES = 5;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 15 * 60_000;

export function delayAfterFailures(failures: number, free = FREE_FAILURES): number {
  if (failures < free) return 0;
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - free));
}

export async function checkBlocked(db: DbOrTx, key: string, now = Date.now()): Promise<LimitResult> {
  const row = await db.selectFrom('rate_limit').select('blocked_until').where('key', '=', key).executeTakeFirst();
  if (!row || row.blocked_until <= now) return { ok: true };
  return { ok: false, retryAfterSeconds: Math.ceil((row.blocked_until - now) / 1000) };
}

/** Counts one failure; from the `free`-th on, each adds a doubling delay (30 s, 1 min, 2 min … 15 min). */
export async function recordFailure(db: DbOrTx, key: string, { free = FREE_FAILURES, now = Date.now() } = {}): Promise<void> {
  // Read and write in one (IMMEDIATE) transaction: two server processes counting
  // failures for one key at once must not both write the same count.
  const count = async (tx: DbOrTx) => {
    const existing = await tx.selectFrom('rate_limit').select('failures').where('key', '=', key).executeTakeFirst();
    const failures = (existing?.failures ?? 0) + 1;
    const blockedUntil = now + delayAfterFailures(failures, free);
    await tx
      .insertInto('rate_limit')
      .values({ key, window_started_at: now, hits: 0, failures, blocked_until: blockedUntil })
      .onConflict((oc) => oc.column('key').doUpdateSet({ failures, blocked_until: blockedUntil }))
      .execute();
  };
  if (db.isTransaction) await count(db);
  else await db.transaction().execute(count);
}

export async function clearFailures(db: DbOrTx, key: string): Promise<void> {
  await db.updateTable('rate_limit').set({ failures: 0, blocked_until: 0 }).where('key', '=', key).execute();
}

export function retryMessage(seconds: number): string {
  if (seconds < 90) return `Too many attempts. Wait ${seconds} seconds and try again.`;
  return `Too many attempts. Wait ${Math.ceil(seconds / 60)} minutes and try again.`;
}
