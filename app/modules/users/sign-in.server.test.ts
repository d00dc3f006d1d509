import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { validateSessionToken } from '~/auth/session.server';
import { makeUser } from '../../../tests/support/factories';
import { signIn } from './sign-in.server';

const actor = { userId: null, organisationId: null, requestId: 'r1' };
const PASSWORD = 'a-long-test-password-42';

describe('signIn', () => {
  it('creates a session for the right password and audits it', async () => {
    const user = await makeUser('officer', { password: PASSWORD });
    const result = await signIn(getDb(), { email: user.email, password: PASSWORD, ip: '198.51.100.1' }, actor);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const sessionUser = await validateSessionToken(getDb(), result.token);
    expect(sessionUser?.id).toBe(user.id);
    const audit = await getDb().selectFrom('audit_event').selectAll().where('subject_id', '=', user.id).execute();
    expect(audit.map((a) => a.action)).toContain('user.signed_in');
    expect(audit[0]?.request_id).toBe('r1');
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const user = await makeUser('vcse', { password: PASSWORD });
    const wrong = await signIn(getDb(), { email: user.email, password: 'not-the-password-1', ip: '198.51.100.2' }, actor);
    const unknown = await signIn(getDb(), { email: 'nobody@example.org', password: PASSWORD, ip: '198.51.100.2' }, actor);
    expect(wrong).toEqual({ ok: false, message: 'Enter a correct email address and password' });
    expect(unknown).toEqual(wrong);
  });

  it('refuses a deactivated user', async () => {
    const user = await makeUser('contractor', { password: PASSWORD });
    await getDb().updateTable('user').set({ status: 'deactivated' }).where('id', '=', user.id).execute();
    const result = await signIn(getDb(), { email: user.email, password: PASSWORD, ip: '198.51.100.3' }, actor);
    expect(result.ok).toBe(false);
  });

  it('delays an account after five wrong passwords, even with the right one', async () => {
    const user = await makeUser('officer', { password: PASSWORD });
    for (let i = 0; i < 5; i += 1) {
      await signIn(getDb(), { email: user.email, password: `wrong-password-${i}`, ip: `198.51.100.${10 + i}` }, actor);
    }
    const result = await signIn(getDb(), { email: user.email, password: PASSWORD, ip: '198.51.100.99' }, actor);
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.message).toMatch(/^Too many attempts\. Wait \d+ seconds/);
  });
});
