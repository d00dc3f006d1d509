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

    expect(await cleanUpExpired(db(), NOW)).toEqual({ sessions: 2, passwordResets: 2, rateLimits: 2, redactedLinks: 0 });
    expect(await ids('session')).toEqual([live]);
    expect(await ids('password_reset')).toEqual([liveReset, recentlyExpired, recentlyUsed].sort());
    expect((await db().selectFrom('rate_limit').select('key').orderBy('key').execute()).map((r) => r.key)).toEqual(['current', 'recently-blocked']);

    expect(await cleanUpExpired(db(), NOW)).toEqual({ sessions: 0, passwordResets: 0, rateLimits: 0, redactedLinks: 0 });
  });
});

describe('cleanUpExpired: tokens in the outbox', () => {
  const ORIGIN = 'http://localhost:3000';
  let seq = 0;
  async function email(kind: string, path: string, { createdAgo, status = 'pending' }: { createdAgo: number; status?: 'pending' | 'sent' | 'failed' }) {
    const id = newId();
    const token = `tok${(seq += 1)}_${'x'.repeat(30)}`;
    const link = `${ORIGIN}${path}${path.endsWith('/') ? token : ''}`;
    await db().insertInto('notification').values({
      id, dedupe_key: null, kind, to_email: `outbox-${seq}@example.org`, to_user_id: null, subject: 's', body_text: `Open the link below.\n\n${link}`, link,
      status, attempts: status === 'pending' ? 0 : 1, last_error: null, created_at: ago(createdAgo), sent_at: status === 'pending' ? null : ago(createdAgo),
    }).execute();
    return { id, token, link };
  }
  const stored = (id: string) => db().selectFrom('notification').select(['body_text', 'link']).where('id', '=', id).executeTakeFirstOrThrow();

  it('redacts reset and invitation links once sent or past the token’s lifetime, keeps live pending ones, and a second run changes nothing', async () => {
    // Kept: pending and still usable (the demo outbox and e2e journeys follow these).
    const liveReset = await email('password_reset', '/reset-password/', { createdAgo: 30 * MINUTE });
    const liveInvitation = await email('invitation', '/invitations/', { createdAgo: 6 * DAY });
    const failedButLive = await email('invitation', '/invitations/', { createdAgo: DAY, status: 'failed' });
    const otherKind = await email('password_changed', '/forgot-password', { createdAgo: 30 * DAY, status: 'sent' });
    // Redacted: sent (any age), or older than the token's lifetime (reset 1 hour, invitation 7 days) whatever its status.
    const sentReset = await email('password_reset', '/reset-password/', { createdAgo: MINUTE, status: 'sent' });
    const oldReset = await email('password_reset', '/reset-password/', { createdAgo: HOUR });
    const sentInvitation = await email('invitation', '/invitations/', { createdAgo: HOUR, status: 'sent' });
    const oldInvitation = await email('invitation', '/invitations/', { createdAgo: 7 * DAY });
    const oldFailed = await email('invitation', '/invitations/', { createdAgo: 8 * DAY, status: 'failed' });

    expect((await cleanUpExpired(db(), NOW)).redactedLinks).toBe(5);

    for (const kept of [liveReset, liveInvitation, failedButLive, otherKind]) {
      expect(await stored(kept.id)).toEqual({ body_text: `Open the link below.\n\n${kept.link}`, link: kept.link });
    }
    for (const gone of [sentReset, oldReset]) {
      expect(await stored(gone.id)).toEqual({
        body_text: `Open the link below.\n\n${ORIGIN}/reset-password/[redacted]`, link: `${ORIGIN}/reset-password/[redacted]`,
      });
    }
    for (const gone of [sentInvitation, oldInvitation, oldFailed]) {
      expect(await stored(gone.id)).toEqual({
        body_text: `Open the link below.\n\n${ORIGIN}/invitations/[redacted]`, link: `${ORIGIN}/invitations/[redacted]`,
      });
    }
    const all = JSON.stringify(await db().selectFrom('notification').select(['body_text', 'link']).execute());
    for (const gone of [sentReset, oldReset, sentInvitation, oldInvitation, oldFailed]) expect(all).not.toContain(gone.token);

    expect((await cleanUpExpired(db(), NOW)).redactedLinks).toBe(0);
  });
});
