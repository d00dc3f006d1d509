import type { DbOrTx } from '#db/client';
import { REDACTED, TOKEN_LINKS, redactTokenLinks } from '~/modules/notifications/sender.server';
import { DAY, nowIso } from '~/utils/time';

// Housekeeping run by `npm run jobs` (hourly from cron). Every step deletes
// only rows that can no longer matter, or redacts secrets nobody needs any
// more, so running it twice changes nothing.

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
  /** Outbox emails whose reset or invitation token was replaced by [redacted]. */
  redactedLinks: number;
}

/**
 * Tokens at rest: a password reset or invitation email keeps its link (with the
 * token, a credential) only while it may still be needed: until it is sent, and
 * never past the token's lifetime. Pending emails younger than that keep theirs,
 * so the demo's outbox (where nothing is sent) can still be followed.
 */
export async function redactSpentTokenLinks(db: DbOrTx, now = new Date()): Promise<number> {
  const kinds = Object.entries(TOKEN_LINKS);
  const rows = await db
    .selectFrom('notification')
    .select(['id', 'kind', 'body_text', 'link'])
    .where('kind', 'in', kinds.map(([kind]) => kind))
    .where((eb) => eb.or([
      eb('status', '=', 'sent'),
      ...kinds.map(([kind, { lifetimeMs }]) => eb.and([eb('kind', '=', kind), eb('created_at', '<=', nowIso(new Date(now.getTime() - lifetimeMs)))])),
    ]))
    .where((eb) => eb.or([eb('link', 'is', null), eb('link', 'not like', `%${REDACTED}`)]))
    .execute();
  let redacted = 0;
  for (const row of rows) {
    const bodyText = redactTokenLinks(row.kind, row.body_text);
    const link = redactTokenLinks(row.kind, row.link);
    if (bodyText === row.body_text && link === row.link) continue;
    await db.updateTable('notification').set({ body_text: bodyText, link }).where('id', '=', row.id).execute();
    redacted += 1;
  }
  return redacted;
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

  const redactedLinks = await redactSpentTokenLinks(db, now);

  return {
    sessions: Number(sessions.numDeletedRows),
    passwordResets: Number(passwordResets.numDeletedRows),
    rateLimits: Number(rateLimits.numDeletedRows),
    redactedLinks,
  };
}
