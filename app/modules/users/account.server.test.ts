import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { verifyPassword } from '~/auth/password.server';
import { createSession, validateSessionToken } from '~/auth/session.server';
import { makeUser } from '../../../tests/support/factories';
import { WRONG_CURRENT_PASSWORD, changePassword, countActiveSessions, signOutEverywhere } from './account.server';
import { SAME_AS_CURRENT } from './password.schema';
import { findValidReset, requestPasswordReset } from './password-reset.server';

const OLD = 'an-old-password-that-works';
const NEW = 'brand new harbour lantern 7';

async function signedIn(role: 'officer' | 'contractor' | 'vcse' | 'admin' = 'contractor', email?: string) {
  const user = await makeUser(role, { password: OLD, email });
  const here = await createSession(getDb(), user.id);
  const elsewhere = await createSession(getDb(), user.id);
  const sessionId = here.split('.')[0]!;
  return { user, here, elsewhere, sessionId, actor: { userId: user.id, organisationId: user.organisationId, requestId: 'r-acc' } };
}

async function passwordHash(userId: string) {
  return (await getDb().selectFrom('user').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow()).password_hash;
}

describe('changePassword', () => {
  it('changes the password, keeps this session, ends the others, closes reset links, notifies and audits', async () => {
    const { user, here, elsewhere, sessionId, actor } = await signedIn();
    await requestPasswordReset(getDb(), { email: user.email, ip: '198.51.100.200' }, actor);
    const link = await getDb().selectFrom('notification').select('link').where('kind', '=', 'password_reset').where('to_user_id', '=', user.id).executeTakeFirstOrThrow();
    const resetToken = link.link!.split('/').pop()!;

    const result = await changePassword(getDb(), { userId: user.id, sessionId, currentPassword: OLD, newPassword: NEW }, actor);
    expect(result).toEqual({ ok: true, otherSessionsEnded: 1 });
    expect(await verifyPassword(await passwordHash(user.id), NEW)).toBe(true);
    expect(await validateSessionToken(getDb(), here)).not.toBeNull();
    expect(await validateSessionToken(getDb(), elsewhere)).toBeNull();
    expect(await findValidReset(getDb(), resetToken)).toBeNull();

    const mail = await getDb().selectFrom('notification').selectAll().where('to_user_id', '=', user.id).where('kind', '=', 'password_changed').executeTakeFirstOrThrow();
    expect(mail).toMatchObject({ subject: 'Your password was changed', to_email: user.email });
    expect(mail.body_text).not.toContain(NEW);
    const audit = await getDb().selectFrom('audit_event').selectAll().where('subject_id', '=', user.id).where('action', '=', 'user.password_changed').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_user_id: user.id, request_id: 'r-acc' });
    expect(audit.after_json).not.toContain(NEW);
    expect(JSON.parse(audit.after_json!)).toEqual({ otherSessionsEnded: 1, resetLinksClosed: 1 });
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const { user, elsewhere, sessionId, actor } = await signedIn();
    const before = await passwordHash(user.id);
    const result = await changePassword(getDb(), { userId: user.id, sessionId, currentPassword: 'not-my-password-at-all', newPassword: NEW }, actor);
    expect(result).toEqual({ ok: false, status: 400, field: 'currentPassword', message: WRONG_CURRENT_PASSWORD });
    expect(await passwordHash(user.id)).toBe(before);
    expect(await validateSessionToken(getDb(), elsewhere)).not.toBeNull();
    const audit = await getDb().selectFrom('audit_event').select('action').where('subject_id', '=', user.id).execute();
    expect(audit).toEqual([]);
  });

  it('delays guessing after five wrong current passwords, even with the right one', async () => {
    const { user, sessionId, actor } = await signedIn('officer');
    for (let i = 0; i < 5; i += 1) {
      await changePassword(getDb(), { userId: user.id, sessionId, currentPassword: `wrong-guess-${i}-xx`, newPassword: NEW }, actor);
    }
    const result = await changePassword(getDb(), { userId: user.id, sessionId, currentPassword: OLD, newPassword: NEW }, actor);
    expect(result).toMatchObject({ ok: false, status: 429, field: 'currentPassword' });
    expect(!result.ok && result.message).toMatch(/^Too many attempts/);
  });

  it('refuses the same password again, or one containing the email', async () => {
    const { user, sessionId, actor } = await signedIn('vcse', 'margaret.oduya@example.org');
    expect(await changePassword(getDb(), { userId: user.id, sessionId, currentPassword: OLD, newPassword: OLD }, actor))
      .toEqual({ ok: false, status: 400, field: 'newPassword', message: SAME_AS_CURRENT });
    expect(await changePassword(getDb(), { userId: user.id, sessionId, currentPassword: OLD, newPassword: 'margaret.oduya-2026-pass' }, actor))
      .toMatchObject({ ok: false, field: 'newPassword', message: 'Password must not contain your email address' });
    expect(await verifyPassword(await passwordHash(user.id), OLD)).toBe(true);
  });
});

describe('signOutEverywhere', () => {
  it('ends every session of the user, this one included, and audits it', async () => {
    const { user, here, elsewhere, actor } = await signedIn('admin');
    const other = await signedIn('admin');
    expect(await countActiveSessions(getDb(), user.id)).toBe(2);
    expect(await signOutEverywhere(getDb(), user.id, actor)).toBe(2);
    expect(await validateSessionToken(getDb(), here)).toBeNull();
    expect(await validateSessionToken(getDb(), elsewhere)).toBeNull();
    expect(await validateSessionToken(getDb(), other.here)).not.toBeNull();
    expect(await countActiveSessions(getDb(), user.id)).toBe(0);
    const audit = await getDb().selectFrom('audit_event').selectAll().where('subject_id', '=', user.id).executeTakeFirstOrThrow();
    expect(audit.action).toBe('user.signed_out_everywhere');
    expect(JSON.parse(audit.after_json!)).toEqual({ sessionsEnded: 2 });
  });
});
