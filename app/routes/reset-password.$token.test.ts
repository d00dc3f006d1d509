import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { verifyPassword } from '~/auth/password.server';
import { validateSessionToken } from '~/auth/session.server';
import { RESET_ATTEMPTS_PER_IP, requestPasswordReset } from '~/modules/users/password-reset.server';
import { HOUR } from '~/utils/time';
import { makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run, testContext } from '../../tests/support/requests';
import { action, loader } from './reset-password.$token';

type Reply = { status: string; initialValue?: Record<string, unknown>; error?: Record<string, string[] | null> };

const OLD = 'an-old-password-that-works';
const NEW = 'brand new harbour lantern 7';
let ip = 0;

async function userWithLink(issuedAt = new Date()) {
  const user = await makeUser('contractor', { password: OLD });
  await requestPasswordReset(getDb(), { email: user.email, ip: `192.0.2.${(ip += 1)}` }, { userId: null, organisationId: null }, issuedAt);
  const mail = await getDb().selectFrom('notification').select('link').where('to_user_id', '=', user.id).executeTakeFirstOrThrow();
  const token = mail.link!.split('/').pop()!;
  return { user, token };
}

const get = (token: string) => run(loader, makeRequest(`/reset-password/${token}`), { token });
const post = (token: string, form: Record<string, string>) => run(action, makeRequest(`/reset-password/${token}`, { method: 'POST', form }), { token });

async function state(userId: string) {
  const user = await getDb().selectFrom('user').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow();
  const resets = await getDb().selectFrom('password_reset').select('used_at').where('user_id', '=', userId).execute();
  const audits = await getDb().selectFrom('audit_event').select('action').where('subject_id', '=', userId).execute();
  return { hash: user.password_hash, used: resets.filter((r) => r.used_at).length, audits: audits.length };
}

describe('/reset-password/$token', () => {
  it('shows the form for a valid link', async () => {
    const { token } = await userWithLink();
    expect(await get(token)).toMatchObject({ status: 200, data: { valid: true } });
  });

  it('answers 410 for an unknown, malformed or expired link', async () => {
    expect(await get('A'.repeat(43))).toMatchObject({ status: 410, data: { valid: false } });
    expect(await get('not a token')).toMatchObject({ status: 410, data: { valid: false } });
    const { token } = await userWithLink(new Date(Date.now() - HOUR - 1000));
    expect(await get(token)).toMatchObject({ status: 410, data: { valid: false } });
  });

  it('sets the password, ends every session and sends the user to sign in; the link then stops working', async () => {
    const { user, token } = await userWithLink();
    const cookie = await cookieFor(user.id);
    const outcome = await post(token, { password: NEW, confirmPassword: NEW });
    expect(outcome).toMatchObject({ status: 303, location: '/sign-in?reset=1' });
    const after = await getDb().selectFrom('user').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(await verifyPassword(after.password_hash, NEW)).toBe(true);
    expect(await validateSessionToken(getDb(), cookie.split('=')[1]!)).toBeNull();
    const audit = await getDb().selectFrom('audit_event').select('action').where('subject_id', '=', user.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['password_reset.requested', 'user.password_reset']);

    expect(await get(token)).toMatchObject({ status: 410 });
    expect(await post(token, { password: 'a different new password', confirmPassword: 'a different new password' })).toMatchObject({ status: 410 });
  });

  it.each([
    ['missing fields', {}, 'password', 'Enter a new password'],
    ['a missing confirmation', { password: NEW }, 'confirmPassword', 'Confirm your new password'],
    ['mismatched passwords', { password: NEW, confirmPassword: `${NEW}!` }, 'confirmPassword', 'The passwords do not match. Enter the same new password twice'],
    ['a short password', { password: 'short', confirmPassword: 'short' }, 'password', 'Password must be 12 characters or more'],
    ['a common password', { password: 'password1234', confirmPassword: 'password1234' }, 'password', 'Password is too common. Choose a password that is harder to guess'],
    ['a password too long', { password: 'x'.repeat(257) + 'y', confirmPassword: 'x'.repeat(257) + 'y' }, 'password', 'Password must be 256 characters or fewer'],
    ['a password over 1000 characters', { password: 'ab'.repeat(600), confirmPassword: 'ab'.repeat(600) }, 'password', 'Password must be 1000 characters or fewer'],
  ])('refuses %s with 400, changing nothing and never echoing a password', async (_name, form, field, message) => {
    const { user, token } = await userWithLink();
    const before = await state(user.id);
    const outcome = await post(token, form);
    expect(outcome.status).toBe(400);
    const reply = outcome.data as Reply;
    expect(reply.error?.[field]?.[0]).toBe(message);
    expect(reply.initialValue?.password).toBeUndefined();
    expect(reply.initialValue?.confirmPassword).toBeUndefined();
    expect(await state(user.id)).toEqual(before);
    expect(await get(token)).toMatchObject({ status: 200 });
  });

  it('treats script tags as an ordinary (long, uncommon) password', async () => {
    const { user, token } = await userWithLink();
    const typed = '<script>alert("x")</script>';
    expect(await post(token, { password: typed, confirmPassword: typed })).toMatchObject({ status: 303 });
    const after = await getDb().selectFrom('user').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(await verifyPassword(after.password_hash, typed)).toBe(true);
  });

  it('answers 410, not a form error, when an invalid form arrives with a dead link', async () => {
    expect(await post('B'.repeat(43), { password: 'short' })).toMatchObject({ status: 410, data: { valid: false } });
  });

  it('refuses a bot that fills the hidden field with 400, changing nothing and keeping the link usable', async () => {
    const { user, token } = await userWithLink();
    const before = await state(user.id);
    const outcome = await post(token, { password: NEW, confirmPassword: NEW, website_url: 'http://spam.example' });
    expect(outcome.status).toBe(400);
    expect((outcome.data as Reply).error?.['']).toEqual(['Your new password could not be saved. Try again.']);
    expect((outcome.data as Reply).initialValue?.password).toBeUndefined();
    expect(await state(user.id)).toEqual(before);
    expect(await get(token)).toMatchObject({ status: 200 });
  });

  it(`answers 429 after ${RESET_ATTEMPTS_PER_IP} attempts from one address in 15 minutes, valid form or not, changing nothing`, async () => {
    const { user, token } = await userWithLink();
    // The route's action, posted from a given address.
    const postFrom = (clientIp: string, form: Record<string, string>) =>
      run((args) => action({ ...args, context: { ...testContext, clientIp } }), makeRequest(`/reset-password/${token}`, { method: 'POST', form }), { token });
    for (let i = 0; i < RESET_ATTEMPTS_PER_IP; i += 1) {
      expect(await postFrom('198.51.100.200', { password: 'short', confirmPassword: 'short' })).toMatchObject({ status: 400 });
    }
    const before = await state(user.id);
    for (const form of [{ password: NEW, confirmPassword: NEW }, { password: 'short' }] as Record<string, string>[]) {
      const outcome = await postFrom('198.51.100.200', form);
      expect(outcome.status).toBe(429);
      expect((outcome.data as Reply).error?.['']?.[0]).toMatch(/^Too many attempts\. Wait \d+ minutes and try again\.$/);
      expect((outcome.data as Reply).initialValue?.password).toBeUndefined();
    }
    expect(await state(user.id)).toEqual(before);
    expect(await postFrom('198.51.100.201', { password: NEW, confirmPassword: NEW })).toMatchObject({ status: 303 });
  });

  it('refuses a password containing the email address next to the field', async () => {
    const user = await makeUser('vcse', { password: OLD, email: 'rowan.ashby@example.org' });
    await requestPasswordReset(getDb(), { email: user.email, ip: '192.0.2.250' }, { userId: null, organisationId: null });
    const mail = await getDb().selectFrom('notification').select('link').where('to_user_id', '=', user.id).executeTakeFirstOrThrow();
    const token = mail.link!.split('/').pop()!;
    const outcome = await post(token, { password: 'rowan.ashby-forever-2026', confirmPassword: 'rowan.ashby-forever-2026' });
    expect(outcome.status).toBe(400);
    expect((outcome.data as Reply).error?.password?.[0]).toBe('Password must not contain your email address');
  });
});
