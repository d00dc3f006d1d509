import type { DbOrTx } from '#db/client';
import { DAY, nowIso } from '~/utils/time';

// Housekeeping run by `npm run jobs` (hourly from cron). Every step deletes
// only rows that can no longer matter, so running it twice changes nothing.

/** Used or expired password reset links are kept this long (for support questions), then deleted. */
export const PASSWORD_RESET_RETENTION_MS = 7 * DAY;
/** No rate limit uses a window longer than this (the longest today is 15 minutes). */
export const LONGEST_RATE_LIMIT_WINDOW_MS = DAY;
/** A rate-limit row is kept this long after its window and any block have ended. */
export const RATE_LIMIT_RETENTION_MS = DAY;

export interface CleanupResult {
  sessions: number;
  passwordResets: number;
  rateLimits: number;
}

export async function cleanUpExpired(db: DbOrTx, now = new Date()): Promise<CleanupResult> {
  const nowText = nowIso(now);
  const sessions = await db
    .deleteFrom('session')
    .where((eb) => eb.or([eb('expires_at', '<=', nowText), eb('absolute_expires_at', '<=', nowText)]))
    .executeTakeFirst();

  const resetCutoff = nowIso(new Date(now.getTime() - PASSWORD_RESET_RETENTION_MS));
  const passwordResets = await db
    .deleteFrom('password_reset')
    .where((eb) => eb.or([eb('expires_at', '<=', resetCutoff), eb('used_at', '<=', resetCutoff)]))
    .executeTakeFirst();

  // blocked_until is moved on by every failure (to now, or later while blocked),
  // so a row whose block ended over a day ago has seen no failure for a day either.
  const rateLimitCutoff = now.getTime() - RATE_LIMIT_RETENTION_MS;
  const rateLimits = await db
    .deleteFrom('rate_limit')
    .where('window_started_at', '<=', rateLimitCutoff - LONGEST_RATE_LIMIT_WINDOW_MS)
    .where('blocked_until', '<=', rateLimitCutoff)
    .executeTakeFirst();

  return {
    sessions: Number(sessions.numDeletedRows),
    passwordResets: Number(passwordResets.numDeletedRows),
    rateLimits: Number(rateLimits.numDeletedRows),
  };
}
