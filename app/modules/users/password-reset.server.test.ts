import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { verifyPassword } from '~/auth/password.server';
import { checkBlocked, limitKey, recordFailure } from '~/auth/rate-limit.server';
import { createSession, validateSessionToken } from '~/auth/session.server';
import { sha256 } from '~/utils/ids.server';
import { HOUR, MINUTE } from '~/utils/time';
import { makeUser } from '../../../tests/support/factories';
import {
  LINK_NO_LONGER_VALID, RESET_ATTEMPTS_PER_IP, RESET_LIMIT_PER_EMAIL, RESET_LIMIT_PER_IP, findValidReset, requestPasswordReset, resetPassword,
} from './password-reset.server';

const actor = { userId: null, organisationId: null, requestId: 'r-reset' };
const OLD = 'an-old-password-that-works';
const NEW = 'brand new harbour lantern 7';
let ipCounter = 0;
const freshIp = () => `198.51.100.${(ipCounter += 1)}`;

async function counts() {
  const db = getDb();
  const [resets, notifications, audits] = await Promise.all([
    db.selectFrom('password_reset').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('notification').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { resets: Number(resets.n), notifications: Number(notifications.n), audits: Number(audits.n) };
}

/** Asks for a link and returns the token from the queued email. */
async function requestToken(email: string, now = new Date()): Promise<string> {
  expect(await requestPasswordReset(getDb(), { email, ip: freshIp() }, actor, now)).toEqual({ ok: true });
  const message = await getDb().selectFrom('notification').selectAll().where('to_email', '=', email).where('kind', '=', 'password_reset')
    .orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  const match = /\/reset-password\/([A-Za-z0-9_-]+)$/.exec(message.link ?? '');
  expect(match).not.toBeNull();
  return match![1]!;
}

describe('requestPasswordReset', () => {
  it('stores only a hash of the token, queues the link and audits the request', async () => {
    const user = await makeUser('contractor', { password: OLD });
    const now = new Date('2026-03-01T10:00:00Z');
    const token = await requestToken(user.email, now);
    const rows = await getDb().selectFrom('password_reset').selectAll().where('user_id', '=', user.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]!.expires_at).toBe(new Date(now.getTime() + HOUR).toISOString());
    expect(rows[0]!.used_at).toBeNull();

    const mail = await getDb().selectFrom('notification').selectAll().where('to_user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(mail).toMatchObject({ kind: 'password_reset', to_email: user.email, dedupe_key: null, status: 'pending' });
    expect(mail.link).toBe(`http://localhost:3000/reset-password/${token}`);
    expect(mail.body_text).toContain(mail.link);

    const audit = await getDb().selectFrom('audit_event').selectAll().where('subject_id', '=', user.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['password_reset.requested']);
    expect(audit[0]).toMatchObject({ actor_user_id: null, request_id: 'r-reset' });
    expect(audit[0]!.after_json).not.toContain(token);
  });

  it('answers an unknown or deactivated email exactly as a known one, and writes nothing for it', async () => {
    const known = await makeUser('vcse', { password: OLD });
    const gone = await makeUser('vcse', { password: OLD });
    await getDb().updateTable('user').set({ status: 'deactivated' }).where('id', '=', gone.id).execute();
    const knownResult = await requestPasswordReset(getDb(), { email: known.email, ip: freshIp() }, actor);
    const before = await counts();
    const unknownResult = await requestPasswordReset(getDb(), { email: 'nobody-here@example.org', ip: freshIp() }, actor);
    const deactivatedResult = await requestPasswordReset(getDb(), { email: gone.email, ip: freshIp() }, actor);
    expect(unknownResult).toEqual(knownResult);
    expect(deactivatedResult).toEqual(knownResult);
    expect(await counts()).toEqual(before);
  });

  it(`refuses more than ${RESET_LIMIT_PER_EMAIL} requests an hour for one email, known or not`, async () => {
    for (const email of ['limit-unknown@example.org', (await makeUser('officer')).email]) {
      for (let i = 0; i < RESET_LIMIT_PER_EMAIL; i += 1) {
        expect(await requestPasswordReset(getDb(), { email, ip: freshIp() }, actor)).toEqual({ ok: true });
      }
      const refused = await requestPasswordReset(getDb(), { email, ip: freshIp() }, actor);
      expect(refused).toMatchObject({ ok: false });
      expect(!refused.ok && refused.retryAfterSeconds).toBeGreaterThan(0);
    }
  });

  it(`refuses more than ${RESET_LIMIT_PER_IP} requests an hour from one address`, async () => {
    const ip = '192.0.2.77';
    for (let i = 0; i < RESET_LIMIT_PER_IP; i += 1) {
      expect((await requestPasswordReset(getDb(), { email: `ip-${i}@example.org`, ip }, actor)).ok).toBe(true);
    }
    expect((await requestPasswordReset(getDb(), { email: 'ip-last@example.org', ip }, actor)).ok).toBe(false);
  });
});

describe('findValidReset', () => {
  it('accepts a fresh link and refuses an expired, used, malformed or unknown one', async () => {
    const user = await makeUser('officer', { password: OLD });
    const now = new Date('2026-03-02T09:00:00Z');
    const token = await requestToken(user.email, now);
    expect(await findValidReset(getDb(), token, new Date(now.getTime() + HOUR - 1000))).toMatchObject({ userId: user.id, email: user.email });
    expect(await findValidReset(getDb(), token, new Date(now.getTime() + HOUR))).toBeNull();
    expect(await findValidReset(getDb(), 'x'.repeat(43), now)).toBeNull();
    expect(await findValidReset(getDb(), '../../etc', now)).toBeNull();
    expect(await findValidReset(getDb(), '', now)).toBeNull();
    await getDb().updateTable('password_reset').set({ used_at: now.toISOString() }).where('user_id', '=', user.id).execute();
    expect(await findValidReset(getDb(), token, now)).toBeNull();
  });
});

describe('resetPassword', () => {
  it('sets the password, uses the link up, ends every session, closes other links, notifies and audits', async () => {
    const user = await makeUser('contractor', { password: OLD });
    const first = await requestToken(user.email);
    const second = await requestToken(user.email);
    const sessions = [await createSession(getDb(), user.id), await createSession(getDb(), user.id)];
    const key = limitKey('sign-in-account', user.email);
    for (let i = 0; i < 6; i += 1) await recordFailure(getDb(), key);
    expect((await checkBlocked(getDb(), key)).ok).toBe(false);

    const result = await resetPassword(getDb(), { token: second, password: NEW, ip: freshIp() }, actor);
    expect(result).toEqual({ ok: true, userId: user.id });

    const row = await getDb().selectFrom('user').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(await verifyPassword(row.password_hash, NEW)).toBe(true);
    expect(await verifyPassword(row.password_hash, OLD)).toBe(false);
    for (const token of sessions) expect(await validateSessionToken(getDb(), token)).toBeNull();
    const resets = await getDb().selectFrom('password_reset').select('used_at').where('user_id', '=', user.id).execute();
    expect(resets.every((r) => r.used_at !== null)).toBe(true);
    expect(await findValidReset(getDb(), first)).toBeNull();
    expect((await checkBlocked(getDb(), key)).ok).toBe(true);

    const mail = await getDb().selectFrom('notification').selectAll().where('to_user_id', '=', user.id).where('kind', '=', 'password_changed').execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe('Your password was changed');
    const audit = await getDb().selectFrom('audit_event').selectAll().where('subject_id', '=', user.id).where('action', '=', 'user.password_reset').executeTakeFirstOrThrow();
    expect(audit.actor_user_id).toBe(user.id);
    expect(JSON.parse(audit.after_json!)).toMatchObject({ sessionsEnded: 2, otherLinksClosed: 1 });
  });

  it('works once: a second use, and any earlier link, is refused', async () => {
    const user = await makeUser('vcse', { password: OLD });
    const older = await requestToken(user.email);
    const token = await requestToken(user.email);
    expect((await resetPassword(getDb(), { token, password: NEW, ip: freshIp() }, actor)).ok).toBe(true);
    expect(await resetPassword(getDb(), { token, password: 'another new password 99', ip: freshIp() }, actor)).toEqual({ ok: false, reason: 'link', message: LINK_NO_LONGER_VALID });
    expect((await resetPassword(getDb(), { token: older, password: 'another new password 99', ip: freshIp() }, actor)).ok).toBe(false);
    const row = await getDb().selectFrom('user').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(await verifyPassword(row.password_hash, NEW)).toBe(true);
  });

  it('lets only one of two racing requests with the same link succeed', async () => {
    const user = await makeUser('officer', { password: OLD });
    const token = await requestToken(user.email);
    const results = await Promise.all([
      resetPassword(getDb(), { token, password: 'racing password number one', ip: freshIp() }, actor),
      resetPassword(getDb(), { token, password: 'racing password number two', ip: freshIp() }, actor),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'link')).toHaveLength(1);
    const audits = await getDb().selectFrom('audit_event').select('id').where('subject_id', '=', user.id).where('action', '=', 'user.password_reset').execute();
    expect(audits).toHaveLength(1);
  });

  it('refuses an expired link and writes nothing', async () => {
    const user = await makeUser('contractor', { password: OLD });
    const issued = new Date('2026-01-10T08:00:00Z');
    const token = await requestToken(user.email, issued);
    const before = await counts();
    const result = await resetPassword(getDb(), { token, password: NEW, ip: freshIp() }, actor, new Date(issued.getTime() + HOUR + 1));
    expect(result).toMatchObject({ ok: false, reason: 'link' });
    expect(await counts()).toEqual(before);
  });

  it('refuses a password that contains the email, keeping the link usable', async () => {
    const user = await makeUser('vcse', { password: OLD, email: 'harriet.jones@example.org' });
    const token = await requestToken(user.email);
    const result = await resetPassword(getDb(), { token, password: 'harriet.jones-is-my-password', ip: freshIp() }, actor);
    expect(result).toEqual({ ok: false, reason: 'password', message: 'Password must not contain your email address' });
    expect(await findValidReset(getDb(), token)).not.toBeNull();
  });

  it(`refuses more than ${RESET_ATTEMPTS_PER_IP} attempts in 15 minutes from one address, even with a good link, and writes nothing`, async () => {
    const user = await makeUser('contractor', { password: OLD });
    const token = await requestToken(user.email);
    const ip = '192.0.2.199';
    const now = new Date();
    for (let i = 0; i < RESET_ATTEMPTS_PER_IP; i += 1) {
      expect(await resetPassword(getDb(), { token: 'A'.repeat(43), password: NEW, ip }, actor, now)).toMatchObject({ ok: false, reason: 'link' });
    }
    const before = await counts();
    const refused = await resetPassword(getDb(), { token, password: NEW, ip }, actor, now);
    expect(refused).toEqual({ ok: false, reason: 'rate-limited', retryAfterSeconds: 15 * 60 });
    expect(await counts()).toEqual(before);
    expect(await findValidReset(getDb(), token)).not.toBeNull();
    // The window ends after 15 minutes, and another address is not held up.
    expect(await resetPassword(getDb(), { token: 'A'.repeat(43), password: NEW, ip }, actor, new Date(now.getTime() + 15 * MINUTE)))
      .toMatchObject({ ok: false, reason: 'link' });
    expect((await resetPassword(getDb(), { token, password: NEW, ip: freshIp() }, actor)).ok).toBe(true);
  });

  it('refuses a link whose user has since been deactivated', async () => {
    const user = await makeUser('contractor', { password: OLD });
    const token = await requestToken(user.email);
    await getDb().updateTable('user').set({ status: 'deactivated' }).where('id', '=', user.id).execute();
    expect((await resetPassword(getDb(), { token, password: NEW, ip: freshIp() }, actor)).ok).toBe(false);
  });
});
