import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { verifyPassword } from '~/auth/password.server';
import { validateSessionToken } from '~/auth/session.server';
import { makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import * as index from './account._index';
import * as password from './account.password';
import * as signOutEverywhere from './account.sign-out-everywhere';

// /account, /account/password and /account/sign-out-everywhere.
type Reply = { status: string; initialValue?: Record<string, unknown>; error?: Record<string, string[] | null> };

const OLD = 'an-old-password-that-works';
const NEW = 'brand new harbour lantern 7';
const tokenOf = (cookie: string) => cookie.slice(cookie.indexOf('=') + 1);

async function signedIn(role: 'vcse' | 'contractor' | 'officer' | 'admin' = 'contractor') {
  const user = await makeUser(role, { password: OLD });
  return { user, cookie: await cookieFor(user.id), otherCookie: await cookieFor(user.id) };
}

async function snapshot(userId: string) {
  const user = await getDb().selectFrom('user').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow();
  const mail = await getDb().selectFrom('notification').select('id').where('to_user_id', '=', userId).execute();
  const audit = await getDb().selectFrom('audit_event').select('id').where('subject_id', '=', userId).execute();
  const sessions = await getDb().selectFrom('session').select('id').where('user_id', '=', userId).execute();
  return { hash: user.password_hash, mail: mail.length, audit: audit.length, sessions: sessions.length };
}

describe('/account', () => {
  it('sends an anonymous visitor to sign in, for every loader and action', async () => {
    const checks = [
      run(index.loader, makeRequest('/account')),
      run(password.loader, makeRequest('/account/password')),
      run(password.action, makeRequest('/account/password', { method: 'POST', form: { currentPassword: OLD, newPassword: NEW, confirmPassword: NEW } })),
      run(signOutEverywhere.loader, makeRequest('/account/sign-out-everywhere')),
      run(signOutEverywhere.action, makeRequest('/account/sign-out-everywhere', { method: 'POST' })),
    ];
    for (const outcome of await Promise.all(checks)) {
      expect(outcome.status).toBe(302);
      expect(outcome.location).toMatch(/^\/sign-in\?redirectTo=%2Faccount/);
    }
  });

  it.each(['vcse', 'contractor', 'officer', 'admin'] as const)('shows a %s their own details', async (role) => {
    const { user, cookie } = await signedIn(role);
    const outcome = await run(index.loader, makeRequest('/account', { cookie }));
    expect(outcome.status).toBe(200);
    expect(outcome.data).toMatchObject({ email: user.email, name: `Test ${role}`, sessions: 2, passwordChanged: false });
  });

  it('shows the success banner flag after a change', async () => {
    const { cookie } = await signedIn('officer');
    const outcome = await run(index.loader, makeRequest('/account?changed=1', { cookie }));
    expect(outcome.data).toMatchObject({ role: 'Council officer', passwordChanged: true });
  });
});

describe('/account/password', () => {
  const post = (cookie: string, form: Record<string, string>) => run(password.action, makeRequest('/account/password', { method: 'POST', cookie, form }));

  it('changes the password, keeps this session and signs out the others', async () => {
    const { user, cookie, otherCookie } = await signedIn();
    const outcome = await post(cookie, { currentPassword: OLD, newPassword: NEW, confirmPassword: NEW });
    expect(outcome).toMatchObject({ status: 303, location: '/account?changed=1' });
    const after = await snapshot(user.id);
    expect(await verifyPassword(after.hash, NEW)).toBe(true);
    expect(await validateSessionToken(getDb(), tokenOf(cookie))).not.toBeNull();
    expect(await validateSessionToken(getDb(), tokenOf(otherCookie))).toBeNull();
    const mail = await getDb().selectFrom('notification').select(['subject', 'kind']).where('to_user_id', '=', user.id).execute();
    expect(mail).toEqual([{ subject: 'Your password was changed', kind: 'password_changed' }]);
  });

  it.each([
    ['missing fields', {}, 'currentPassword', 'Enter your current password'],
    ['a missing new password', { currentPassword: OLD }, 'newPassword', 'Enter a new password'],
    ['mismatched new passwords', { currentPassword: OLD, newPassword: NEW, confirmPassword: `${NEW}?` }, 'confirmPassword', 'The passwords do not match. Enter the same new password twice'],
    ['a common new password', { currentPassword: OLD, newPassword: 'qwertyuiop123', confirmPassword: 'qwertyuiop123' }, 'newPassword', 'Password is too common. Choose a password that is harder to guess'],
    ['a short new password', { currentPassword: OLD, newPassword: 'short1', confirmPassword: 'short1' }, 'newPassword', 'Password must be 12 characters or more'],
    ['the current password again', { currentPassword: OLD, newPassword: OLD, confirmPassword: OLD }, 'newPassword', 'Your new password must be different from your current password'],
    ['a current password over 1000 characters', { currentPassword: 'z'.repeat(1001), newPassword: NEW, confirmPassword: NEW }, 'currentPassword', 'Current password must be 1000 characters or fewer'],
    ['a wrong current password', { currentPassword: '<script>alert(1)</script>', newPassword: NEW, confirmPassword: NEW }, 'currentPassword', 'Your current password is incorrect'],
  ])('refuses %s with 400 next to the field, writing nothing', async (_name, form, field, message) => {
    const { user, cookie } = await signedIn('vcse');
    const before = await snapshot(user.id);
    const outcome = await post(cookie, form);
    expect(outcome.status).toBe(400);
    const reply = outcome.data as Reply;
    expect(reply.error?.[field]?.[0]).toBe(message);
    for (const secret of ['currentPassword', 'newPassword', 'confirmPassword']) expect(reply.initialValue?.[secret]).toBeUndefined();
    expect(await snapshot(user.id)).toEqual(before);
  });

  it('answers 429 after repeated wrong current passwords', async () => {
    const { cookie } = await signedIn('officer');
    for (let i = 0; i < 5; i += 1) await post(cookie, { currentPassword: `wrong-${i}-password`, newPassword: NEW, confirmPassword: NEW });
    const outcome = await post(cookie, { currentPassword: OLD, newPassword: NEW, confirmPassword: NEW });
    expect(outcome.status).toBe(429);
    expect((outcome.data as Reply).error?.currentPassword?.[0]).toMatch(/^Too many attempts/);
  });
});

describe('/account/sign-out-everywhere', () => {
  it('ends every session of the user, clears the cookie and says so on the sign-in page', async () => {
    const { user, cookie, otherCookie } = await signedIn('admin');
    const bystander = await signedIn('admin');
    const outcome = await run(signOutEverywhere.action, makeRequest('/account/sign-out-everywhere', { method: 'POST', cookie }));
    expect(outcome).toMatchObject({ status: 303, location: '/sign-in?signedOut=everywhere' });
    expect(outcome.headers.get('Set-Cookie')).toMatch(/Max-Age=0/);
    expect(await validateSessionToken(getDb(), tokenOf(cookie))).toBeNull();
    expect(await validateSessionToken(getDb(), tokenOf(otherCookie))).toBeNull();
    expect(await validateSessionToken(getDb(), tokenOf(bystander.cookie))).not.toBeNull();
    const audit = await getDb().selectFrom('audit_event').select('action').where('subject_id', '=', user.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['user.signed_out_everywhere']);
  });

  it('sends a GET back to the account page', async () => {
    const { cookie } = await signedIn();
    expect(await run(signOutEverywhere.loader, makeRequest('/account/sign-out-everywhere', { cookie }))).toMatchObject({ status: 302, location: '/account' });
  });
});
