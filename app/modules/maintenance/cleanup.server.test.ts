import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { createSession } from '~/auth/session.server';
import { newId } from '~/utils/ids.server';
import { DAY, HOUR, MINUTE, addMs } from '~/utils/time';
import { makeUser } from '../../../tests/support/factories';
import { cleanUpExpired } from './cleanup.server';

const db = () => getDb();
const NOW = new Date('2026-11-24T12:00:00.000Z');
const ago = (ms: number) => addMs(NOW, -ms);

async function reset(userId: string, { createdAgo, expiresAgo, usedAgo }: { createdAgo: number; expiresAgo: number; usedAgo?: number }) {
  const id = newId();
  await db().insertInto('password_reset').values({
    id, token_hash: newId(), user_id: userId, created_at: ago(createdAgo), expires_at: ago(expiresAgo), used_at: usedAgo === undefined ? null : ago(usedAgo),
  }).execute();
  return id;
}

async function limit(key: string, windowStartedAgo: number, blockedUntilAgo: number) {
  await db().insertInto('rate_limit').values({
    key, window_started_at: NOW.getTime() - windowStartedAgo, hits: 3, failures: 2, blocked_until: blockedUntilAgo === Infinity ? 0 : NOW.getTime() - blockedUntilAgo,
  }).execute();
}

const ids = async (table: 'session' | 'password_reset') => (await db().selectFrom(table).select('id').execute()).map((r) => r.id).sort();

describe('cleanUpExpired', () => {
  it('deletes only what can no longer matter, and a second run deletes nothing', async () => {
    const user = await makeUser('officer');
    // Sessions: one live, one idle-expired, one past its absolute lifetime.
    const live = (await createSession(db(), user.id, new Date(NOW.getTime() - HOUR))).split('.')[0]!;
    await createSession(db(), user.id, new Date(NOW.getTime() - 8 * DAY));
    const old = (await createSession(db(), user.id, new Date(NOW.getTime() - 2 * DAY))).split('.')[0]!;
    await db().updateTable('session').set({ absolute_expires_at: ago(MINUTE) }).where('id', '=', old).execute();

    // Password resets: unused and live; expired 6 days ago (kept); expired 8 days ago; used 8 days ago; used 1 day ago (kept).
    const liveReset = await reset(user.id, { createdAgo: 10 * MINUTE, expiresAgo: -50 * MINUTE });
    const recentlyExpired = await reset(user.id, { createdAgo: 6 * DAY + HOUR, expiresAgo: 6 * DAY });
    await reset(user.id, { createdAgo: 8 * DAY + HOUR, expiresAgo: 8 * DAY });
    await reset(user.id, { createdAgo: 30 * DAY, expiresAgo: -DAY, usedAgo: 8 * DAY });
    const recentlyUsed = await reset(user.id, { createdAgo: 2 * DAY, expiresAgo: 2 * DAY - HOUR, usedAgo: DAY });

    // Rate limits: a current window; a window long over but blocked until an hour ago (kept);
    // a window and a block over for days; an old window that was cleared (blocked_until 0).
    await limit('current', 5 * MINUTE, Infinity);
    await limit('recently-blocked', 3 * DAY, HOUR);
    await limit('long-over', 3 * DAY, 2 * DAY + MINUTE);
    await limit('cleared', 3 * DAY, Infinity);

    expect(await cleanUpExpired(db(), NOW)).toEqual({ sessions: 2, passwordResets: 2, rateLimits: 2 });
    expect(await ids('session')).toEqual([live]);
    expect(await ids('password_reset')).toEqual([liveReset, recentlyExpired, recentlyUsed].sort());
    expect((await db().selectFrom('rate_limit').select('key').orderBy('key').execute()).map((r) => r.key)).toEqual(['current', 'recently-blocked']);

    expect(await cleanUpExpired(db(), NOW)).toEqual({ sessions: 0, passwordResets: 0, rateLimits: 0 });
  });
});
