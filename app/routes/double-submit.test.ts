import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeContract, makeMeasure, makeOrganisation, makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import * as newCommitmentPage from './contracts.$contractId.commitments.new';
import * as newPage from './contracts.new';
import * as newInvitationPage from './officer.invitations.new';

// A double click, two tabs or a resent page: the same form sent twice creates one record.

const date = (name: string, iso: string) => {
  const [year, month, day] = iso.split('-');
  return { [`${name}.day`]: String(Number(day)), [`${name}.month`]: String(Number(month)), [`${name}.year`]: year! };
};

async function officer() {
  const user = await makeUser('officer');
  return { ...user, cookie: await cookieFor(user.id) };
}

describe('sending a create-form twice', () => {
  it('adds one commitment, and the repeat lands on the same page', async () => {
    const { cookie } = await officer();
    const contract = await makeContract({ startDate: '2026-01-01', endDate: '2028-12-31' });
    const measure = await makeMeasure();
    const path = `/contracts/${contract.id}/commitments/new`;
    const page = await run(newCommitmentPage.loader, makeRequest(path, { cookie }), { contractId: contract.id });
    const submissionKey = (page.data as { submissionKey: string }).submissionKey;
    expect(submissionKey).toMatch(/^[0-9a-f-]{36}$/);
    const form = { submissionKey, measureId: measure.id, target: '2', ...date('dueDate', '2027-06-30'), wardId: '', description: 'Two local jobs' };
    const send = () => run(newCommitmentPage.action, makeRequest(path, { method: 'POST', cookie, form }), { contractId: contract.id });
    const [first, second] = await Promise.all([send(), send()]);
    expect(first.status).toBe(303);
    expect(second).toMatchObject({ status: 303, location: first.location });
    const rows = await getDb().selectFrom('commitment').select('id').where('contract_id', '=', contract.id).execute();
    expect(rows).toHaveLength(1);
    const audits = await getDb().selectFrom('audit_event').select('id').where('action', '=', 'commitment.created').where('subject_id', '=', rows[0]!.id).execute();
    expect(audits).toHaveLength(1);
    // A new page load gets a new key, so adding a second commitment on purpose still works.
    const again = await run(newCommitmentPage.action, makeRequest(path, { method: 'POST', cookie, form: { ...form, submissionKey: randomUUID() } }), { contractId: contract.id });
    expect(again.status).toBe(303);
    expect(await getDb().selectFrom('commitment').select('id').where('contract_id', '=', contract.id).execute()).toHaveLength(2);
  });

  it('creates one contract and sends the repeat to it instead of a “reference already used” error', async () => {
    const { cookie } = await officer();
    const supplier = await makeOrganisation('supplier', 'verified');
    const responsible = await makeUser('officer');
    const reference = `DS-${randomUUID().slice(0, 8)}`;
    const form = {
      submissionKey: randomUUID(), reference, title: 'Depot roof', description: '', supplierId: supplier.id, value: '250000',
      ...date('startDate', '2026-04-01'), ...date('endDate', '2027-03-31'), officerId: responsible.id,
    };
    const first = await run(newPage.action, makeRequest('/contracts/new', { method: 'POST', cookie, form }));
    const second = await run(newPage.action, makeRequest('/contracts/new', { method: 'POST', cookie, form }));
    expect(first.status).toBe(303);
    expect(second).toMatchObject({ status: 303, location: first.location });
    expect(await getDb().selectFrom('contract').select('id').where('reference', '=', reference).execute()).toHaveLength(1);
  });

  it('sends one invitation (one email) when the invitation form is sent twice', async () => {
    const { cookie } = await officer();
    const supplier = await makeOrganisation('supplier', 'verified');
    const email = `twice-${randomUUID().slice(0, 8)}@example.org`;
    const page = await run(newInvitationPage.loader, makeRequest('/officer/invitations/new', { cookie }));
    const form = { submissionKey: (page.data as { submissionKey: string }).submissionKey, email, name: 'Robin Hale', organisationId: supplier.id, organisationName: '', companyNumber: '' };
    const send = () => run(newInvitationPage.action, makeRequest('/officer/invitations/new', { method: 'POST', cookie, form }));
    const [first, second] = await Promise.all([send(), send()]);
    expect(first.status).toBe(303);
    expect(second).toMatchObject({ status: 303, location: first.location });
    expect(await getDb().selectFrom('invitation').select('id').where('email', '=', email).execute()).toHaveLength(1);
    expect(await getDb().selectFrom('notification').select('id').where('to_email', '=', email).execute()).toHaveLength(1);
  });
});
