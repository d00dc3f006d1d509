import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { validateSessionToken } from '~/auth/session.server';
import { createInvitation, revokeInvitation } from '~/modules/organisations/invitations.server';
import { DAY } from '~/utils/time';
import { makeOrganisation, makeUser } from '../../tests/support/factories';
import { makeRequest, run } from '../../tests/support/requests';
import { action, headers, loader } from './invitations.$token';

// /invitations/$token: public, but the token is the credential.
type Reply = { status: string; initialValue?: Record<string, unknown>; error?: Record<string, string[] | null> };
const PASSWORD = 'harbour-lantern-bright-7';
let seq = 0;

async function invite(now = new Date()) {
  const officer = await makeUser('officer');
  const supplier = await makeOrganisation('supplier');
  const email = `route-accept-${Date.now()}-${seq++}@example.org`;
  const actor = { userId: officer.id, organisationId: officer.organisationId, requestId: null };
  const result = await createInvitation(getDb(), { email, name: 'Nia Jones', organisationId: supplier.id }, actor, now);
  if (!result.ok) throw new Error(result.message);
  if (result.token === null) throw new Error('expected a new invitation, not a repeat');
  return { ...result, token: result.token, email, supplier, actor };
}

const userCount = async () => Number((await getDb().selectFrom('user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const get = (token: string) => run(loader, makeRequest(`/invitations/${token}`), { token });
const post = (token: string, form: Record<string, string>) => run(action, makeRequest(`/invitations/${token}`, { method: 'POST', form }), { token });

describe('/invitations/$token', () => {
  it('shows who invited them to which organisation, with their name to confirm', async () => {
    const { token, email, supplier } = await invite();
    const outcome = await get(token);
    expect(outcome.status).toBe(200);
    expect(outcome.data).toMatchObject({ state: 'open', invitation: { email, name: 'Nia Jones', organisationName: supplier.name, invitedByName: 'Test officer' } });
  });

  it('creates the account, signs the contractor in and sends them home', async () => {
    const { token, email, supplier } = await invite();
    const outcome = await post(token, { name: 'Nia Jones', password: PASSWORD, confirmPassword: PASSWORD });
    expect(outcome.status).toBe(303);
    expect(outcome.location).toBe('/');
    const cookie = outcome.headers.get('Set-Cookie') ?? '';
    const sessionToken = /svp_session=([^;]+)/.exec(cookie)?.[1] ?? '';
    const user = await validateSessionToken(getDb(), sessionToken);
    expect(user).toMatchObject({ email, role: 'contractor', organisationId: supplier.id });
    expect(await get(token)).toMatchObject({ status: 410, data: { state: 'accepted', invitation: null } });
  });

  it.each([
    [{ name: '', password: '', confirmPassword: '' }, { name: ['Enter your name'], password: ['Enter a password'] }],
    [{ name: 'x'.repeat(101), password: 'short', confirmPassword: 'short' }, { name: ['Your name must be 100 characters or fewer'], password: ['Password must be 12 characters or more'] }],
    [{ name: 'Nia', password: PASSWORD, confirmPassword: `${PASSWORD}x` }, { confirmPassword: ['The passwords do not match. Enter the same password twice'] }],
  ])('answers 400 for %j, keeps the name and never the passwords, and writes nothing', async (form, errors) => {
    const { token } = await invite();
    const before = await userCount();
    const outcome = await post(token, form);
    expect(outcome.status).toBe(400);
    const reply = outcome.data as Reply;
    expect(reply.error).toMatchObject(errors);
    expect(reply.initialValue?.password).toBeUndefined();
    expect(reply.initialValue?.confirmPassword).toBeUndefined();
    expect(await userCount()).toBe(before);
  });

  it('keeps script typed as the name as text', async () => {
    const { token } = await invite();
    const typed = '<script>alert(1)</script>';
    const outcome = await post(token, { name: typed, password: 'short', confirmPassword: 'short' });
    expect(outcome.status).toBe(400);
    expect((outcome.data as Reply).initialValue?.name).toBe(typed);
  });

  it('refuses a password containing the invited email address', async () => {
    const { token, email } = await invite();
    const local = email.split('@')[0]!;
    const outcome = await post(token, { name: 'Nia', password: `${local}-x`, confirmPassword: `${local}-x` });
    expect((outcome.data as Reply).error?.password).toEqual(['Password must not contain your email address']);
  });

  it('explains an unknown, expired or revoked link and creates nothing', async () => {
    expect(await get('no-such-token-abcdefghijklmnop')).toMatchObject({ status: 404, data: { state: 'unknown', invitation: null } });
    const expired = await invite(new Date(Date.now() - 7 * DAY - 1000));
    expect(await get(expired.token)).toMatchObject({ status: 410, data: { state: 'expired' } });
    const revoked = await invite();
    await revokeInvitation(getDb(), revoked.invitationId, revoked.actor);
    expect(await get(revoked.token)).toMatchObject({ status: 410, data: { state: 'revoked' } });

    const before = await userCount();
    const outcome = await post(expired.token, { name: 'Nia', password: PASSWORD, confirmPassword: PASSWORD });
    expect(outcome.status).toBe(410);
    expect((outcome.data as Reply).error?.['']?.[0]).toMatch(/ask your council contact to send you a new invitation/i);
    expect(await userCount()).toBe(before);
  });

  it('refuses a bot that fills the hidden field with 400, writing nothing and leaving the invitation open', async () => {
    const { token } = await invite();
    const before = await userCount();
    const outcome = await post(token, { name: 'Nia Jones', password: PASSWORD, confirmPassword: PASSWORD, website_url: 'http://spam.example' });
    expect(outcome.status).toBe(400);
    expect((outcome.data as Reply).error?.['']).toEqual(['Your account could not be set up. Try again.']);
    expect((outcome.data as Reply).initialValue?.password).toBeUndefined();
    expect(outcome.headers.get('Set-Cookie')).toBeNull();
    expect(await userCount()).toBe(before);
    expect(await get(token)).toMatchObject({ status: 200, data: { state: 'open' } });
  });

  it('keeps the page, whose path holds the token, out of caches and Referer headers', () => {
    const sent = new Headers(headers({} as Parameters<typeof headers>[0]));
    expect(sent.get('Cache-Control')).toBe('no-store');
    expect(sent.get('Referrer-Policy')).toBe('no-referrer');
  });

  it('says clearly when an account with that email was made meanwhile', async () => {
    const { token, email } = await invite();
    await makeUser('contractor', { email });
    const outcome = await post(token, { name: 'Nia', password: PASSWORD, confirmPassword: PASSWORD });
    expect(outcome.status).toBe(400);
    expect((outcome.data as Reply).error?.['']?.[0]).toContain(`An account for ${email} already exists`);
  });
});
