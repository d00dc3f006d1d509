import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { DAY } from '~/utils/time';
import { makeOrganisation, makeUser } from '../../../tests/support/factories';
import { countVcseByStatus, decideOrganisation, findVcseOrganisation, listVcseOrganisations } from './verification.server';

async function officerActor() {
  const officer = await makeUser('officer');
  return { userId: officer.id, organisationId: officer.organisationId, requestId: 'req-decide' };
}

async function pendingOrganisation() {
  const org = await makeOrganisation('vcse', 'pending');
  const user = await makeUser('vcse', { organisationId: org.id });
  const contact = (await getDb().selectFrom('organisation').select('contact_email').where('id', '=', org.id).executeTakeFirstOrThrow()).contact_email!;
  return { ...org, user, contact };
}

describe('decideOrganisation', () => {
  it('verifies a pending organisation, audits before and after, and emails its users and contact', async () => {
    const actor = await officerActor();
    const org = await pendingOrganisation();
    expect(await decideOrganisation(getDb(), org.id, { decision: 'verify' }, actor)).toBe('decided');
    const row = await getDb().selectFrom('organisation').selectAll().where('id', '=', org.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'verified', decided_by: actor.userId, decision_reason: null });
    expect(row.decided_at).not.toBeNull();
    const audit = await getDb().selectFrom('audit_event').selectAll().where('subject_id', '=', org.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'organisation.verified', actor_user_id: actor.userId, request_id: 'req-decide' });
    expect(JSON.parse(audit[0]!.before_json!)).toMatchObject({ status: 'pending' });
    expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ status: 'verified' });
    const mail = await getDb().selectFrom('notification').selectAll().where('dedupe_key', 'like', `organisation_decided:${org.id}:%`).execute();
    expect(mail.map((m) => m.to_email).sort()).toEqual([org.contact, org.user.email].sort());
    expect(mail.every((m) => m.kind === 'organisation_decided')).toBe(true);
  });

  it('rejects with a reason that the email carries', async () => {
    const actor = await officerActor();
    const org = await pendingOrganisation();
    const reason = 'We could not find your charity on the register.';
    expect(await decideOrganisation(getDb(), org.id, { decision: 'reject', reason }, actor)).toBe('decided');
    const row = await getDb().selectFrom('organisation').selectAll().where('id', '=', org.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'rejected', decision_reason: reason });
    const mail = await getDb().selectFrom('notification').selectAll().where('to_email', '=', org.user.email).where('kind', '=', 'organisation_decided').executeTakeFirstOrThrow();
    expect(mail.body_text).toContain(reason);
    const audit = await getDb().selectFrom('audit_event').select('action').where('subject_id', '=', org.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['organisation.rejected']);
  });

  it('refuses a second decision and changes nothing', async () => {
    const actor = await officerActor();
    const other = await officerActor();
    const org = await pendingOrganisation();
    await decideOrganisation(getDb(), org.id, { decision: 'verify' }, actor);
    const before = await getDb().selectFrom('organisation').selectAll().where('id', '=', org.id).executeTakeFirstOrThrow();
    expect(await decideOrganisation(getDb(), org.id, { decision: 'reject', reason: 'Too late' }, other)).toBe('already-decided');
    expect(await getDb().selectFrom('organisation').selectAll().where('id', '=', org.id).executeTakeFirstOrThrow()).toEqual(before);
    const audit = await getDb().selectFrom('audit_event').select('action').where('subject_id', '=', org.id).execute();
    expect(audit).toHaveLength(1);
  });

  it('answers not-found for a missing organisation or one that is not a VCSE', async () => {
    const actor = await officerActor();
    const supplier = await makeOrganisation('supplier', 'pending');
    expect(await decideOrganisation(getDb(), 'missing', { decision: 'verify' }, actor)).toBe('not-found');
    expect(await decideOrganisation(getDb(), supplier.id, { decision: 'verify' }, actor)).toBe('not-found');
    expect(await findVcseOrganisation(getDb(), supplier.id)).toBeNull();
  });
});

describe('listVcseOrganisations', () => {
  it('puts the oldest pending organisation first and leaves out other kinds', async () => {
    const older = await makeOrganisation('vcse', 'pending', 'Older pending');
    await getDb().updateTable('organisation').set({ created_at: new Date(Date.now() - 30 * DAY).toISOString() }).where('id', '=', older.id).execute();
    await makeOrganisation('vcse', 'pending', 'Newer pending');
    await makeOrganisation('supplier', 'pending', 'A supplier');
    const rows = await listVcseOrganisations(getDb(), { status: 'pending', page: 1 });
    const names = rows.map((r) => r.name);
    expect(names[0]).toBe('Older pending');
    expect(names).toContain('Newer pending');
    expect(names).not.toContain('A supplier');
    const counts = await countVcseByStatus(getDb());
    expect(counts.pending).toBe(rows.length);
  });
});
