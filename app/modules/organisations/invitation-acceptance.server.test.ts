import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { verifyPassword } from '~/auth/password.server';
import { validateSessionToken } from '~/auth/session.server';
import { DAY, MINUTE } from '~/utils/time';
import { makeOrganisation, makeUser } from '../../../tests/support/factories';
import { ACCEPT_LIMIT, acceptInvitation, findInvitationByToken } from './invitation-acceptance.server';
import { createInvitation, revokeInvitation } from './invitations.server';

const PASSWORD = 'a-long-contractor-password-9';
const anonymous = { userId: null, organisationId: null, requestId: 'req-accept' };
let seq = 0;
const ip = () => `198.51.100.${seq++ % 250}`;

async function invite(now = new Date()) {
  const officer = await makeUser('officer');
  const supplier = await makeOrganisation('supplier');
  const email = `accept-${Date.now()}-${seq++}@example.org`;
  const actor = { userId: officer.id, organisationId: officer.organisationId, requestId: null };
  const result = await createInvitation(getDb(), { email, name: 'Nia Jones', organisationId: supplier.id }, actor, now);
  if (!result.ok) throw new Error(result.message);
  if (result.token === null) throw new Error('expected a new invitation, not a repeat');
  return { ...result, token: result.token, email, supplier, actor };
}

const userCount = async () => Number((await getDb().selectFrom('user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('acceptInvitation', () => {
  it('creates the contractor in the organisation, signs them in and audits, once', async () => {
    const { token, email, supplier, invitationId } = await invite();
    const result = await acceptInvitation(getDb(), { token, name: 'Nia A. Jones', password: PASSWORD, ip: ip() }, anonymous);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const user = await getDb().selectFrom('user').selectAll().where('id', '=', result.userId).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ email, name: 'Nia A. Jones', role: 'contractor', organisation_id: supplier.id, status: 'active' });
    expect(await verifyPassword(user.password_hash, PASSWORD)).toBe(true);
    expect((await validateSessionToken(getDb(), result.sessionToken))?.id).toBe(user.id);

    const invitation = await getDb().selectFrom('invitation').selectAll().where('id', '=', invitationId).executeTakeFirstOrThrow();
    expect(invitation.accepted_at).not.toBeNull();
    const audit = await getDb().selectFrom('audit_event').selectAll().where('subject_id', 'in', [invitationId, user.id]).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['invitation.created', 'invitation.accepted', 'user.created']);
    expect(audit[1]).toMatchObject({ actor_user_id: user.id, request_id: 'req-accept' });

    const again = await acceptInvitation(getDb(), { token, name: 'Someone else', password: PASSWORD, ip: ip() }, anonymous);
    expect(again).toMatchObject({ ok: false, reason: 'unusable' });
    expect((await findInvitationByToken(getDb(), token))?.status).toBe('accepted');
  });

  it('lets only one of two simultaneous acceptances through', async () => {
    const { token } = await invite();
    const before = await userCount();
    const results = await Promise.all([
      acceptInvitation(getDb(), { token, name: 'First', password: PASSWORD, ip: ip() }, anonymous),
      acceptInvitation(getDb(), { token, name: 'Second', password: PASSWORD, ip: ip() }, anonymous),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await userCount()).toBe(before + 1);
  });

  it('works until just before 7 days and not at 7 days', async () => {
    const sent = new Date('2026-04-01T09:00:00Z');
    const early = await invite(sent);
    const ok = await acceptInvitation(getDb(), { token: early.token, name: 'N', password: PASSWORD, ip: ip() }, anonymous, new Date(sent.getTime() + 7 * DAY - MINUTE));
    expect(ok.ok).toBe(true);

    const late = await invite(sent);
    const atExpiry = new Date(sent.getTime() + 7 * DAY);
    expect((await findInvitationByToken(getDb(), late.token, atExpiry))?.status).toBe('expired');
    const before = await userCount();
    const refused = await acceptInvitation(getDb(), { token: late.token, name: 'N', password: PASSWORD, ip: ip() }, anonymous, atExpiry);
    expect(refused).toMatchObject({ ok: false, reason: 'unusable' });
    expect(await userCount()).toBe(before);
  });

  it('refuses a revoked invitation', async () => {
    const { token, invitationId, actor } = await invite();
    await revokeInvitation(getDb(), invitationId, actor);
    const result = await acceptInvitation(getDb(), { token, name: 'N', password: PASSWORD, ip: ip() }, anonymous);
    expect(result).toMatchObject({ ok: false, reason: 'unusable', message: expect.stringMatching(/council contact/) });
  });

  it('refuses an unknown or malformed token', async () => {
    expect(await findInvitationByToken(getDb(), 'x')).toBeNull();
    expect(await findInvitationByToken(getDb(), 'A'.repeat(32))).toBeNull();
    const result = await acceptInvitation(getDb(), { token: '../../etc/passwd', name: 'N', password: PASSWORD, ip: ip() }, anonymous);
    expect(result).toMatchObject({ ok: false, reason: 'unusable' });
  });

  it('refuses when an account with that email was created meanwhile, and leaves the invitation open', async () => {
    const { token, email, invitationId } = await invite();
    await makeUser('vcse', { email });
    const result = await acceptInvitation(getDb(), { token, name: 'N', password: PASSWORD, ip: ip() }, anonymous);
    expect(result).toMatchObject({ ok: false, reason: 'account-exists', message: expect.stringContaining(email) });
    const invitation = await getDb().selectFrom('invitation').select('accepted_at').where('id', '=', invitationId).executeTakeFirstOrThrow();
    expect(invitation.accepted_at).toBeNull();
  });

  it('limits attempts per IP address', async () => {
    const address = '192.0.2.77';
    for (let i = 0; i < ACCEPT_LIMIT.hits; i += 1) {
      await acceptInvitation(getDb(), { token: `unknown-token-${i}-abcdefghij`, name: 'N', password: PASSWORD, ip: address }, anonymous);
    }
    const { token } = await invite();
    const result = await acceptInvitation(getDb(), { token, name: 'N', password: PASSWORD, ip: address }, anonymous);
    expect(result).toMatchObject({ ok: false, reason: 'rate-limited', message: expect.stringMatching(/^Too many attempts/) });
  });
});
