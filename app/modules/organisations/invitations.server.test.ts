import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { sha256 } from '~/utils/ids.server';
import { DAY } from '~/utils/time';
import { makeOrganisation, makeUser } from '../../../tests/support/factories';
import { NEW_ORGANISATION, type CreateInvitationInput } from './invitations.schema';
import { createInvitation, invitationStatus, listInvitations, revokeInvitation } from './invitations.server';

let seq = 0;
const email = () => `invitee-${Date.now()}-${seq++}@example.org`;

async function officerActor() {
  const officer = await makeUser('officer');
  return { userId: officer.id, organisationId: officer.organisationId, requestId: 'req-inv' };
}

async function counts() {
  const db = getDb();
  const n = async (table: 'invitation' | 'organisation' | 'audit_event' | 'notification') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { invitation: await n('invitation'), organisation: await n('organisation'), audit: await n('audit_event'), notification: await n('notification') };
}

describe('createInvitation', () => {
  it('stores only the hash of the token, expires in 7 days, queues the email and audits', async () => {
    const actor = await officerActor();
    const supplier = await makeOrganisation('supplier', 'verified');
    const now = new Date('2026-03-02T10:00:00Z');
    const input: CreateInvitationInput = { email: email(), name: 'Nia Jones', organisationId: supplier.id };
    const result = await createInvitation(getDb(), input, actor, now);
    expect(result.ok).toBe(true);
    if (!result.ok || result.token === null) throw new Error('expected a new invitation');

    const row = await getDb().selectFrom('invitation').selectAll().where('id', '=', result.invitationId).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(result.token));
    expect(row.token_hash).not.toContain(result.token);
    expect(row.expires_at).toBe('2026-03-09T10:00:00.000Z');
    expect(row).toMatchObject({ email: input.email, name: 'Nia Jones', organisation_id: supplier.id, invited_by: actor.userId, role: 'contractor' });

    const mail = await getDb().selectFrom('notification').selectAll().where('dedupe_key', '=', `invitation:${result.invitationId}`).executeTakeFirstOrThrow();
    expect(mail).toMatchObject({ kind: 'invitation', to_email: input.email, link: `http://localhost:3000/invitations/${result.token}` });
    expect(mail.body_text).toContain(supplier.name);

    const audit = await getDb().selectFrom('audit_event').selectAll().where('subject_id', '=', result.invitationId).execute();
    expect(audit.map((a) => a.action)).toEqual(['invitation.created']);
    expect(audit[0]).toMatchObject({ actor_user_id: actor.userId, request_id: 'req-inv' });
    expect(audit[0]!.after_json).not.toContain(result.token);
  });

  it('creates a new supplier when asked, and audits it', async () => {
    const actor = await officerActor();
    const name = `Harbourside Builders ${seq++} Ltd`;
    const result = await createInvitation(getDb(), { email: email(), name: 'Sam', organisationId: NEW_ORGANISATION, organisationName: name, companyNumber: 'SC123456' }, actor);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const org = await getDb().selectFrom('organisation').selectAll().where('id', '=', result.organisationId).executeTakeFirstOrThrow();
    expect(org).toMatchObject({ name, kind: 'supplier', status: 'verified', company_number: 'SC123456' });
    const audit = await getDb().selectFrom('audit_event').select('action').where('subject_id', '=', org.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['organisation.created']);
  });

  it('refuses a new supplier whose name exists already, ignoring case, and writes nothing', async () => {
    const actor = await officerActor();
    const existing = await makeOrganisation('supplier', 'verified', `Brightwater Test ${seq++} Ltd`);
    const before = await counts();
    const result = await createInvitation(getDb(), { email: email(), name: 'Sam', organisationId: NEW_ORGANISATION, organisationName: `  ${existing.name.toUpperCase()} ` }, actor);
    expect(result).toEqual({ ok: false, field: 'organisationName', message: `${existing.name} is already in the list of organisations. Select it from the list instead of creating a new one` });
    expect(await counts()).toEqual(before);
  });

  it('refuses an email that already has an account, whatever its case', async () => {
    const actor = await officerActor();
    const user = await makeUser('contractor');
    const supplier = await makeOrganisation('supplier');
    const before = await counts();
    const result = await createInvitation(getDb(), { email: user.email.toUpperCase(), name: 'Sam', organisationId: supplier.id }, actor);
    expect(result).toMatchObject({ ok: false, field: 'email' });
    expect(!result.ok && result.message).toMatch(/already has an account/);
    expect(await counts()).toEqual(before);
  });

  it('refuses an organisation that is not a verified supplier', async () => {
    const actor = await officerActor();
    const vcse = await makeOrganisation('vcse', 'verified');
    const result = await createInvitation(getDb(), { email: email(), name: 'Sam', organisationId: vcse.id }, actor);
    expect(result).toMatchObject({ ok: false, field: 'organisationId' });
    const unknown = await createInvitation(getDb(), { email: email(), name: 'Sam', organisationId: 'no-such-id' }, actor);
    expect(unknown).toMatchObject({ ok: false, field: 'organisationId' });
  });

  it('replaces (revokes) an open invitation for the same email', async () => {
    const actor = await officerActor();
    const supplier = await makeOrganisation('supplier');
    const address = email();
    const first = await createInvitation(getDb(), { email: address, name: 'Sam', organisationId: supplier.id }, actor);
    const second = await createInvitation(getDb(), { email: address, name: 'Sam Reid', organisationId: supplier.id }, actor);
    if (!first.ok || !second.ok) throw new Error('expected both to succeed');
    const rows = await getDb().selectFrom('invitation').selectAll().where('email', '=', address).orderBy('created_at').execute();
    expect(rows.map((r) => invitationStatus(r))).toEqual(['revoked', 'open']);
    const audit = await getDb().selectFrom('audit_event').select(['action', 'after_json']).where('subject_id', '=', first.invitationId).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['invitation.created', 'invitation.revoked']);
  });
});

describe('revokeInvitation', () => {
  it('revokes an open invitation once; a second revoke is refused', async () => {
    const actor = await officerActor();
    const supplier = await makeOrganisation('supplier');
    const created = await createInvitation(getDb(), { email: email(), name: 'Sam', organisationId: supplier.id }, actor);
    if (!created.ok) throw new Error('expected success');
    expect(await revokeInvitation(getDb(), created.invitationId, actor)).toBe('revoked');
    expect(await revokeInvitation(getDb(), created.invitationId, actor)).toBe('not-open');
    expect(await revokeInvitation(getDb(), 'missing', actor)).toBe('not-found');
    const audit = await getDb().selectFrom('audit_event').select('action').where('subject_id', '=', created.invitationId).execute();
    expect(audit.map((a) => a.action)).toEqual(['invitation.created', 'invitation.revoked']);
  });

  it('does not revoke an expired invitation', async () => {
    const actor = await officerActor();
    const supplier = await makeOrganisation('supplier');
    const created = await createInvitation(getDb(), { email: email(), name: 'Sam', organisationId: supplier.id }, actor, new Date(Date.now() - 8 * DAY));
    if (!created.ok) throw new Error('expected success');
    expect(await revokeInvitation(getDb(), created.invitationId, actor)).toBe('not-open');
  });
});

describe('listInvitations', () => {
  it('lists newest first with status, organisation and inviter, a page at a time', async () => {
    const actor = await officerActor();
    const supplier = await makeOrganisation('supplier');
    const base = Date.now() + 1000 * DAY; // later than anything else in this file
    for (let i = 0; i < 3; i += 1) {
      await createInvitation(getDb(), { email: `page-${i}-${seq++}@example.org`, name: `Person ${i}`, organisationId: supplier.id }, actor, new Date(base + i * 1000));
    }
    const { total, invitations } = await listInvitations(getDb(), { page: 1, pageSize: 2 }, new Date(base + 10_000));
    expect(total).toBeGreaterThanOrEqual(3);
    expect(invitations.map((i) => i.name)).toEqual(['Person 2', 'Person 1']);
    expect(invitations[0]).toMatchObject({ status: 'open', organisation_name: supplier.name, invited_by_name: 'Test officer' });
    const second = await listInvitations(getDb(), { page: 2, pageSize: 2 }, new Date(base + 10_000));
    expect(second.invitations[0]?.name).toBe('Person 0');
  });
});

describe('invitationStatus', () => {
  const at = '2026-01-08T00:00:00.000Z';
  it.each([
    [{ accepted_at: '2026-01-02T00:00:00Z', revoked_at: null, expires_at: at }, 'accepted'],
    [{ accepted_at: null, revoked_at: '2026-01-02T00:00:00Z', expires_at: at }, 'revoked'],
    [{ accepted_at: null, revoked_at: null, expires_at: at }, 'expired'],
    [{ accepted_at: null, revoked_at: null, expires_at: '2026-01-08T00:00:00.001Z' }, 'open'],
  ])('%j is %s at the moment of expiry', (row, status) => {
    expect(invitationStatus(row, new Date(at))).toBe(status);
  });
});
