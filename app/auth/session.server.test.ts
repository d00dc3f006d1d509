import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeUser } from '../../tests/support/factories';
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS, createSession, invalidateUserSessions, readSessionToken, serializeSessionCookie, validateSessionToken } from './session.server';
import { sha256 } from '~/utils/ids.server';

const DAY = 86_400_000;

describe('sessions', () => {
  it('stores only a hash of the secret', async () => {
    const user = await makeUser('officer');
    const token = await createSession(getDb(), user.id);
    const [id, secret] = token.split('.');
    const row = await getDb().selectFrom('session').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(sha256(secret!));
    expect(JSON.stringify(row)).not.toContain(secret!);
  });

  it('rejects a tampered secret and deletes nothing valid', async () => {
    const user = await makeUser('vcse');
    const token = await createSession(getDb(), user.id);
    expect(await validateSessionToken(getDb(), `${token.split('.')[0]}.wrong-secret`)).toBeNull();
    expect(await validateSessionToken(getDb(), token)).not.toBeNull();
    expect(await validateSessionToken(getDb(), 'garbage')).toBeNull();
  });

  it('slides the idle expiry but never past the absolute limit', async () => {
    const user = await makeUser('contractor');
    const start = new Date('2026-01-01T00:00:00Z');
    const token = await createSession(getDb(), user.id, start);
    const later = new Date(start.getTime() + 6 * DAY);
    expect(await validateSessionToken(getDb(), token, later)).not.toBeNull();
    // Used every 6 days it stays alive, until the absolute timeout.
    let at = later;
    while (at.getTime() + 6 * DAY < start.getTime() + ABSOLUTE_TIMEOUT_MS) {
      at = new Date(at.getTime() + 6 * DAY);
      expect(await validateSessionToken(getDb(), token, at)).not.toBeNull();
    }
    expect(await validateSessionToken(getDb(), token, new Date(start.getTime() + ABSOLUTE_TIMEOUT_MS + 1))).toBeNull();
  });

  it('expires after the idle timeout without use', async () => {
    const user = await makeUser('admin');
    const start = new Date('2026-02-01T00:00:00Z');
    const token = await createSession(getDb(), user.id, start);
    expect(await validateSessionToken(getDb(), token, new Date(start.getTime() + IDLE_TIMEOUT_MS + 1))).toBeNull();
  });

  it('ends when the user is deactivated, and all sessions end together', async () => {
    const user = await makeUser('officer');
    const a = await createSession(getDb(), user.id);
    const b = await createSession(getDb(), user.id);
    expect(await invalidateUserSessions(getDb(), user.id)).toBe(2);
    expect(await validateSessionToken(getDb(), a)).toBeNull();
    expect(await validateSessionToken(getDb(), b)).toBeNull();
    const c = await createSession(getDb(), user.id);
    await getDb().updateTable('user').set({ status: 'deactivated' }).where('id', '=', user.id).execute();
    expect(await validateSessionToken(getDb(), c)).toBeNull();
  });

  it('writes an HttpOnly SameSite=Lax cookie and reads it back', async () => {
    const cookie = serializeSessionCookie('abc.def');
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    const name = cookie.split('=')[0]!;
    const request = new Request('http://localhost/', { headers: { Cookie: `other=1; ${name}=abc.def` } });
    expect(readSessionToken(request)).toBe('abc.def');
  });
});
