import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeCommitment, makeContract, makeMeasure, makeOrganisation, makeUser } from '../../tests/support/factories';
import { makeCommitmentWithSubstitution } from '../../tests/support/factories-credits';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import * as contractPage from './contracts.$contractId._index';
import * as closePage from './contracts.$contractId.close';
import * as editCommitmentPage from './contracts.$contractId.commitments.$commitmentId.edit';
import * as newCommitmentPage from './contracts.$contractId.commitments.new';
import * as editPage from './contracts.$contractId.edit';
import * as listPage from './contracts._index';
import * as newPage from './contracts.new';

type Reply = { status?: string; error?: Record<string, string[]>; initialValue?: Record<string, unknown> };

async function signedIn(role: 'officer' | 'admin' | 'contractor' | 'vcse', organisationId?: string) {
  const user = await makeUser(role, { organisationId });
  return { ...user, cookie: await cookieFor(user.id) };
}

async function count(table: 'contract' | 'commitment' | 'audit_event') {
  const row = await getDb().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

function dateFields(name: string, iso: string) {
  const [year, month, day] = iso.split('-');
  return { [`${name}.day`]: String(Number(day)), [`${name}.month`]: String(Number(month)), [`${name}.year`]: year! };
}

async function contractForm(over: Record<string, string> = {}) {
  const supplier = await makeOrganisation('supplier', 'verified');
  const officer = await makeUser('officer');
  return {
    reference: `R-${Math.random().toString(36).slice(2, 9)}`, title: 'Library refurbishment', description: 'Fit-out', supplierId: supplier.id,
    value: '£1,250,000.50', ...dateFields('startDate', '2026-04-01'), ...dateFields('endDate', '2028-03-31'), officerId: officer.id, ...over,
  };
}

describe('who may see contracts', () => {
  it('an officer sees every contract; a contractor only their own organisation’s; vcse 403; anonymous to sign in', async () => {
    const [mine, theirs] = [await makeOrganisation('supplier'), await makeOrganisation('supplier')];
    const own = await makeContract({ supplierId: mine.id, reference: `OWN-${Math.random()}` });
    const other = await makeContract({ supplierId: theirs.id, reference: `OTHER-${Math.random()}` });
    const officer = await signedIn('officer');
    const contractor = await signedIn('contractor', mine.id);

    const staffList = await run(listPage.loader, makeRequest('/contracts?q=O', { cookie: officer.cookie }));
    const staffIds = (staffList.data as { contracts: Array<{ id: string }> }).contracts.map((c) => c.id);
    expect(staffIds).toEqual(expect.arrayContaining([own.id, other.id]));

    const contractorList = await run(listPage.loader, makeRequest(`/contracts?supplier=${theirs.id}`, { cookie: contractor.cookie }));
    expect((contractorList.data as { contracts: Array<{ id: string }> }).contracts.map((c) => c.id)).toEqual([own.id]);

    expect((await run(contractPage.loader, makeRequest(`/contracts/${own.id}`, { cookie: contractor.cookie }), { contractId: own.id })).status).toBe(200);
    expect((await run(contractPage.loader, makeRequest(`/contracts/${other.id}`, { cookie: contractor.cookie }), { contractId: other.id })).status).toBe(404);
    expect((await run(contractPage.loader, makeRequest(`/contracts/${other.id}`, { cookie: officer.cookie }), { contractId: other.id })).status).toBe(200);

    const vcse = await signedIn('vcse');
    expect((await run(contractPage.loader, makeRequest(`/contracts/${own.id}`, { cookie: vcse.cookie }), { contractId: own.id })).status).toBe(403);
    expect((await run(listPage.loader, makeRequest('/contracts', { cookie: vcse.cookie }))).status).toBe(403);
    const anonymous = await run(contractPage.loader, makeRequest(`/contracts/${own.id}`), { contractId: own.id });
    expect(anonymous.location).toMatch(/^\/sign-in\?redirectTo=/);
  });

  it('a contractor cannot reach the officers’ pages or actions, even for their own contract', async () => {
    const supplier = await makeOrganisation('supplier');
    const contract = await makeContract({ supplierId: supplier.id });
    const measure = await makeMeasure();
    const commitment = await makeCommitment(contract.id, measure.id);
    const contractor = await signedIn('contractor', supplier.id);
    const params = { contractId: contract.id, commitmentId: commitment.id };
    const before = await count('audit_event');
    for (const [mod, path] of [
      [newPage, '/contracts/new'], [editPage, `/contracts/${contract.id}/edit`], [closePage, `/contracts/${contract.id}/close`],
      [newCommitmentPage, `/contracts/${contract.id}/commitments/new`], [editCommitmentPage, `/contracts/${contract.id}/commitments/${commitment.id}/edit`],
    ] as const) {
      expect((await run(mod.loader, makeRequest(path, { cookie: contractor.cookie }), params)).status).toBe(403);
      const post = await run(mod.action, makeRequest(path, { method: 'POST', cookie: contractor.cookie, form: { status: 'terminated', reason: 'x', title: 'x' } }), params);
      expect(post.status).toBe(403);
    }
    expect(await count('audit_event')).toBe(before);
  });

  it('an unknown contract is a 404 on the officers’ pages', async () => {
    const officer = await signedIn('officer');
    for (const mod of [editPage, closePage, newCommitmentPage]) {
      expect((await run(mod.loader, makeRequest('/contracts/nope/edit', { cookie: officer.cookie }), { contractId: 'nope' })).status).toBe(404);
    }
  });
});

describe('/contracts/new', () => {
  it('creates the contract and goes to its page', async () => {
    const officer = await signedIn('officer');
    const form = await contractForm();
    const result = await run(newPage.action, makeRequest('/contracts/new', { method: 'POST', cookie: officer.cookie, form }));
    expect(result.status).toBe(303);
    const row = await getDb().selectFrom('contract').selectAll().where('reference', '=', form.reference).executeTakeFirstOrThrow();
    expect(result.location).toBe(`/contracts/${row.id}?done=created`);
    expect(row).toMatchObject({ value_pence: 125_000_050, start_date: '2026-04-01', end_date: '2028-03-31', officer_id: form.officerId });
  });

  it('defaults the responsible officer to me', async () => {
    const officer = await signedIn('officer');
    const result = await run(newPage.loader, makeRequest('/contracts/new', { cookie: officer.cookie }));
    expect((result.data as { defaultOfficerId: string }).defaultOfficerId).toBe(officer.id);
  });

  it.each([
    ['nothing at all', {
      reference: '', title: '', supplierId: '', value: '', 'startDate.day': '', 'startDate.month': '', 'startDate.year': '', 'endDate.day': '', 'endDate.month': '', 'endDate.year': '', officerId: '',
    }, {
      reference: ['Enter the contract reference'], title: ['Enter the contract title'], supplierId: ['Select the supplier'], value: ['Enter the contract value'],
      startDate: ['Enter the start date'], endDate: ['Enter the end date'], officerId: ['Select the responsible officer'],
    }],
    ['a title that is too long', { title: 'x'.repeat(201) }, { title: ['Title must be 200 characters or fewer'] }],
    ['a value that is not money', { value: 'lots' }, { value: ['Enter the contract value in pounds, like 1250000 or £1,250,000.00'] }],
    ['a negative value', { value: '-5' }, { value: ['Enter the contract value in pounds, like 1250000 or £1,250,000.00'] }],
    ['a date that is not real', { 'startDate.day': '31', 'startDate.month': '2' }, { startDate: ['Start date must be a real date'] }],
    ['a date missing its year', { 'endDate.year': '' }, { endDate: ['End date must include a year'] }],
    ['letters in a date', { 'endDate.month': 'March' }, { endDate: ['End date must be a real date'] }],
    ['an end date before the start', { ...dateFields('endDate', '2026-03-31') }, { endDate: ['End date must be the same as or after the start date'] }],
    ['a SQL-looking reference', { reference: "x'; DROP TABLE contract; --" }, { reference: [expect.stringMatching(/^Reference must start with a letter or number/)] }],
    ['a script tag as the reference', { reference: '<script>alert(1)</script>' }, { reference: [expect.stringMatching(/^Reference must start/)] }],
  ])('answers 400 by the field, writing nothing, for %s', async (_label, over, errors) => {
    const officer = await signedIn('officer');
    const form = await contractForm(over as Record<string, string>);
    const before = await count('contract');
    const result = await run(newPage.action, makeRequest('/contracts/new', { method: 'POST', cookie: officer.cookie, form }));
    expect(result.status).toBe(400);
    expect((result.data as Reply).error).toEqual(errors);
    expect(await count('contract')).toBe(before);
  });

  it('keeps what was typed, script tags and SQL included, as plain text', async () => {
    const officer = await signedIn('officer');
    const title = `<script>alert("x")</script>' OR 1=1; --`;
    const form = await contractForm({ title, value: 'not money' });
    const result = await run(newPage.action, makeRequest('/contracts/new', { method: 'POST', cookie: officer.cookie, form }));
    expect(result.status).toBe(400);
    const reply = result.data as Reply;
    expect(reply.initialValue).toMatchObject({ title, value: 'not money', startDate: { day: '1', month: '4', year: '2026' } });
  });

  it('stores a script-looking title as text when the rest is valid', async () => {
    const officer = await signedIn('officer');
    const form = await contractForm({ title: '<img src=x onerror=alert(1)>' });
    expect((await run(newPage.action, makeRequest('/contracts/new', { method: 'POST', cookie: officer.cookie, form }))).status).toBe(303);
    const row = await getDb().selectFrom('contract').select('title').where('reference', '=', form.reference).executeTakeFirstOrThrow();
    expect(row.title).toBe('<img src=x onerror=alert(1)>');
  });

  it('refuses a reference already used (capitals do not count), a pending supplier and a contractor as officer', async () => {
    const officer = await signedIn('officer');
    const existing = await makeContract({ reference: `DUP-${Math.random().toString(36).slice(2, 8)}` });
    const before = await count('contract');
    const dup = await run(newPage.action, makeRequest('/contracts/new', { method: 'POST', cookie: officer.cookie, form: await contractForm({ reference: existing.reference.toLowerCase() }) }));
    expect(dup.status).toBe(400);
    expect((dup.data as Reply).error?.reference?.[0]).toMatch(/already used by another contract/);
    const pending = await makeOrganisation('supplier', 'pending');
    const bad = await run(newPage.action, makeRequest('/contracts/new', { method: 'POST', cookie: officer.cookie, form: await contractForm({ supplierId: pending.id }) }));
    expect((bad.data as Reply).error).toEqual({ supplierId: ['Select a verified supplier from the list'] });
    const contractor = await makeUser('contractor');
    const notOfficer = await run(newPage.action, makeRequest('/contracts/new', { method: 'POST', cookie: officer.cookie, form: await contractForm({ officerId: contractor.id }) }));
    expect((notOfficer.data as Reply).error).toEqual({ officerId: ['Select an active council officer or administrator from the list'] });
    expect(await count('contract')).toBe(before);
  });
});

describe('commitments', () => {
  const commitmentForm = (measureId: string, over: Record<string, string> = {}) => ({
    measureId, target: '2.5', ...dateFields('dueDate', '2027-03-31'), wardId: '', description: 'Two and a half jobs', ...over,
  });

  it('adds a commitment with the measure’s proxy value, then needs a reason to change it once the contract has started', async () => {
    const officer = await signedIn('officer');
    const contract = await makeContract({ startDate: '2020-01-01', endDate: '2030-12-31' });
    const measure = await makeMeasure({ proxyPence: 1_234_567 });
    const added = await run(newCommitmentPage.action, makeRequest(`/contracts/${contract.id}/commitments/new`, { method: 'POST', cookie: officer.cookie, form: commitmentForm(measure.id) }), { contractId: contract.id });
    expect(added).toMatchObject({ status: 303, location: `/contracts/${contract.id}?done=commitment-added` });
    const row = await getDb().selectFrom('commitment').selectAll().where('contract_id', '=', contract.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ target_milli: 2500, proxy_value_pence: 1_234_567, due_date: '2027-03-31', ward_id: null });

    const path = `/contracts/${contract.id}/commitments/${row.id}/edit`;
    const params = { contractId: contract.id, commitmentId: row.id };
    const page = await run(editCommitmentPage.loader, makeRequest(path, { cookie: officer.cookie }), params);
    expect(page.data).toMatchObject({ started: true, defaultValue: { target: '2.5', dueDate: { day: '31', month: '3', year: '2027' } } });

    const auditBefore = await count('audit_event');
    const noReason = await run(editCommitmentPage.action, makeRequest(path, { method: 'POST', cookie: officer.cookie, form: commitmentForm(measure.id, { target: '3' }) }), params);
    expect(noReason.status).toBe(400);
    expect((noReason.data as Reply).error).toEqual({ reason: ['Enter the reason for changing this commitment: the contract has started'] });
    expect(await count('audit_event')).toBe(auditBefore);

    const withReason = await run(editCommitmentPage.action, makeRequest(path, { method: 'POST', cookie: officer.cookie, form: commitmentForm(measure.id, { target: '3', reason: 'Variation 2 added a site' }) }), params);
    expect(withReason.status).toBe(303);
    const event = await getDb().selectFrom('audit_event').selectAll().where('subject_id', '=', row.id).where('action', '=', 'commitment.updated').executeTakeFirstOrThrow();
    expect(JSON.parse(event.before_json!)).toMatchObject({ target_milli: 2500 });
    expect(JSON.parse(event.after_json!)).toMatchObject({ target_milli: 3000, reason: 'Variation 2 added a site' });
  });

  it.each([
    ['no measure', { measureId: '' }, { measureId: ['Select the measure'] }],
    ['a target that is not a number', { target: 'lots' }, { target: ['Enter the target as a number, like 12 or 2.5 (up to 3 decimal places)'] }],
    ['a target of 0', { target: '0' }, { target: ['Target must be more than 0'] }],
    ['too many decimal places', { target: '1.2345' }, { target: ['Enter the target as a number, like 12 or 2.5 (up to 3 decimal places)'] }],
    ['no due date', { 'dueDate.day': '', 'dueDate.month': '', 'dueDate.year': '' }, { dueDate: ['Enter the due date'] }],
    ['a description too long', { description: 'x'.repeat(2001) }, { description: ['Description must be 2000 characters or fewer'] }],
    ['a SQL-looking ward', { wardId: "' OR 1=1 --" }, { wardId: ['Select a ward from the list'] }],
  ])('answers 400, writing nothing, for %s', async (_label, over, errors) => {
    const officer = await signedIn('officer');
    const contract = await makeContract({ startDate: '2026-04-01', endDate: '2028-03-31' });
    const measure = await makeMeasure();
    const before = await count('commitment');
    const result = await run(newCommitmentPage.action, makeRequest(`/contracts/${contract.id}/commitments/new`, { method: 'POST', cookie: officer.cookie, form: commitmentForm(measure.id, over) }), { contractId: contract.id });
    expect(result.status).toBe(400);
    expect((result.data as Reply).error).toEqual(errors);
    expect(await count('commitment')).toBe(before);
  });
});

describe('a closed contract', () => {
  it('says so on its forms and refuses changes with 409', async () => {
    const officer = await signedIn('officer');
    const contract = await makeContract({ status: 'completed' });
    const measure = await makeMeasure();
    const page = await run(editPage.loader, makeRequest(`/contracts/${contract.id}/edit`, { cookie: officer.cookie }), { contractId: contract.id });
    expect((page.data as { closed: string }).closed).toMatch(/^This contract was marked completed on .* and can no longer be changed\.$/);
    const form = await contractForm({ reference: contract.reference });
    const edit = await run(editPage.action, makeRequest(`/contracts/${contract.id}/edit`, { method: 'POST', cookie: officer.cookie, form }), { contractId: contract.id });
    expect(edit.status).toBe(409);
    expect((edit.data as Reply).error?.['']?.[0]).toMatch(/can no longer be changed/);
    const add = await run(newCommitmentPage.action, makeRequest(`/contracts/${contract.id}/commitments/new`, {
      method: 'POST', cookie: officer.cookie, form: { measureId: measure.id, target: '1', ...dateFields('dueDate', '2027-01-01'), description: 'x' },
    }), { contractId: contract.id });
    expect(add.status).toBe(409);
    const close = await run(closePage.action, makeRequest(`/contracts/${contract.id}/close`, { method: 'POST', cookie: officer.cookie, form: { status: 'terminated', reason: 'again' } }), { contractId: contract.id });
    expect(close.status).toBe(409);
  });

  it('closing needs an outcome and a reason', async () => {
    const officer = await signedIn('officer');
    const contract = await makeContract();
    const path = `/contracts/${contract.id}/close`;
    const bad = await run(closePage.action, makeRequest(path, { method: 'POST', cookie: officer.cookie, form: { status: 'deleted', reason: '' } }), { contractId: contract.id });
    expect(bad.status).toBe(400);
    expect((bad.data as Reply).error).toEqual({ status: ['Select whether the contract was completed or terminated'], reason: ['Enter why the contract is being closed'] });
    const ok = await run(closePage.action, makeRequest(path, { method: 'POST', cookie: officer.cookie, form: { status: 'completed', reason: 'Works finished' } }), { contractId: contract.id });
    expect(ok).toMatchObject({ status: 303, location: `/contracts/${contract.id}?done=closed` });
  });
});

describe('the contract page', () => {
  it('shows the same figures to the officer and to the contractor', async () => {
    const supplier = await makeOrganisation('supplier');
    const contract = await makeContract({ supplierId: supplier.id });
    const measure = await makeMeasure({ unit: 'FTE', proxyPence: 2_345_678 });
    await makeCommitmentWithSubstitution(contract.id, measure.id, { targetMilli: 1500, deliveredMilli: 500, substitutedMilli: 250 });
    const officer = await signedIn('officer');
    const contractor = await signedIn('contractor', supplier.id);
    const asOfficer = await run(contractPage.loader, makeRequest(`/contracts/${contract.id}`, { cookie: officer.cookie }), { contractId: contract.id });
    const asContractor = await run(contractPage.loader, makeRequest(`/contracts/${contract.id}`, { cookie: contractor.cookie }), { contractId: contract.id });
    type Page = { commitments: unknown[]; totals: unknown; canManage: boolean };
    expect((asOfficer.data as Page).commitments).toEqual((asContractor.data as Page).commitments);
    expect((asOfficer.data as Page).totals).toEqual({ committed: '£35,185.17', delivered: '£11,728.39', substituted: '£5,864.20', remaining: '£17,592.58' });
    expect((asContractor.data as Page).totals).toEqual((asOfficer.data as Page).totals);
    expect((asOfficer.data as Page).commitments[0]).toMatchObject({ target: '1.5 FTE', delivered: '0.5 FTE', committedValue: '£35,185.17' });
    expect([(asOfficer.data as Page).canManage, (asContractor.data as Page).canManage]).toEqual([true, false]);
  });
});

describe('the list after a CSV import', () => {
  it('shows the import’s counts, read from its audit event, to staff only', async () => {
    const importId = `import-${Math.random().toString(36).slice(2)}`;
    await getDb().insertInto('audit_event').values({
      occurred_at: new Date().toISOString(), actor_user_id: null, actor_organisation_id: null, action: 'contracts.imported',
      subject_type: 'contract_import', subject_id: importId, before_json: null, after_json: JSON.stringify({ contracts: 2, commitments: 3 }), request_id: null,
    }).execute();
    const officer = await signedIn('officer');
    const contractor = await signedIn('contractor');
    const asOfficer = await run(listPage.loader, makeRequest(`/contracts?imported=${importId}`, { cookie: officer.cookie }));
    expect((asOfficer.data as { imported: string | null }).imported).toBe('Imported 2 contracts with 3 commitments');
    const forged = await run(listPage.loader, makeRequest('/contracts?imported=made-up', { cookie: officer.cookie }));
    expect((forged.data as { imported: string | null }).imported).toBeNull();
    const asContractor = await run(listPage.loader, makeRequest(`/contracts?imported=${importId}`, { cookie: contractor.cookie }));
    expect((asContractor.data as { imported: string | null }).imported).toBeNull();
  });
});
