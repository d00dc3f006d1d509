import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeCommitment, makeContract, makeMeasure, makeOrganisation, makeUser, makeWard } from '../../../tests/support/factories';
import type { Actor } from '~/modules/audit/audit.server';
import { addCommitment, updateCommitment } from './commitments.server';
import type { CommitmentInput, ContractInput } from './contracts.schema';
import { closeContract, createContract, updateContract } from './contracts.server';

async function setup() {
  const officer = await makeUser('officer');
  const supplier = await makeOrganisation('supplier', 'verified');
  const actor: Actor = { userId: officer.id, organisationId: officer.organisationId, requestId: 'test' };
  return { officer, supplier, actor };
}

function contractInput(over: Partial<ContractInput> & Pick<ContractInput, 'supplierId' | 'officerId'>): ContractInput {
  return {
    reference: `REF-${Math.random().toString(36).slice(2, 10)}`, title: 'Highways maintenance', description: 'Roads', value: 250_000_000,
    startDate: '2026-04-01', endDate: '2029-03-31', ...over,
  };
}

const commitmentInput = (measureId: string, over: Partial<CommitmentInput> = {}): CommitmentInput => ({
  measureId, target: 2500, dueDate: '2027-03-31', description: 'Two and a half local jobs', ...over,
});

async function auditEvents(subjectId: string) {
  return getDb().selectFrom('audit_event').selectAll().where('subject_id', '=', subjectId).orderBy('id').execute();
}

async function count(table: 'contract' | 'commitment') {
  const row = await getDb().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('createContract', () => {
  it('creates an active contract and audits it', async () => {
    const { officer, supplier, actor } = await setup();
    const result = await createContract(getDb(), contractInput({ supplierId: supplier.id, officerId: officer.id, reference: 'HW/2026-01' }), actor);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const row = await getDb().selectFrom('contract').selectAll().where('id', '=', result.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ reference: 'HW/2026-01', status: 'active', value_pence: 250_000_000, start_date: '2026-04-01', end_date: '2029-03-31' });
    const events = await auditEvents(result.id);
    expect(events.map((e) => e.action)).toEqual(['contract.created']);
    expect(events[0]!.actor_user_id).toBe(officer.id);
    expect(JSON.parse(events[0]!.after_json!)).toMatchObject({ reference: 'HW/2026-01', value_pence: 250_000_000 });
  });

  it('refuses a reference already used, whatever its capitals, and writes nothing', async () => {
    const { officer, supplier, actor } = await setup();
    await createContract(getDb(), contractInput({ supplierId: supplier.id, officerId: officer.id, reference: 'UNIQ-abc' }), actor);
    const before = await count('contract');
    const result = await createContract(getDb(), contractInput({ supplierId: supplier.id, officerId: officer.id, reference: 'uniq-ABC' }), actor);
    expect(result).toMatchObject({ ok: false, reason: 'invalid', field: 'reference' });
    expect(await count('contract')).toBe(before);
  });

  it('refuses an end date before the start date (the database also forbids it)', async () => {
    const { officer, supplier, actor } = await setup();
    // The form's schema catches this first; the table's CHECK is the last line of defence.
    await expect(createContract(getDb(), contractInput({ supplierId: supplier.id, officerId: officer.id, startDate: '2027-01-02', endDate: '2027-01-01' }), actor)).rejects.toThrow(/CHECK/);
  });

  it.each([
    ['a pending supplier', async () => (await makeOrganisation('supplier', 'pending')).id],
    ['a VCSE organisation', async () => (await makeOrganisation('vcse', 'verified')).id],
    ['the council', async () => (await makeOrganisation('council', 'verified')).id],
    ['an unknown id', async () => 'no-such-organisation'],
  ])('refuses %s as the supplier', async (_label, supplierId) => {
    const { officer, actor } = await setup();
    const result = await createContract(getDb(), contractInput({ supplierId: await supplierId(), officerId: officer.id }), actor);
    expect(result).toMatchObject({ ok: false, field: 'supplierId' });
  });

  it.each(['contractor', 'vcse'] as const)('refuses a %s as the responsible officer', async (role) => {
    const { supplier, actor } = await setup();
    const user = await makeUser(role);
    const result = await createContract(getDb(), contractInput({ supplierId: supplier.id, officerId: user.id }), actor);
    expect(result).toMatchObject({ ok: false, field: 'officerId' });
  });

  it('accepts an administrator as the responsible officer but not a deactivated officer', async () => {
    const { supplier, actor } = await setup();
    const admin = await makeUser('admin');
    expect((await createContract(getDb(), contractInput({ supplierId: supplier.id, officerId: admin.id }), actor)).ok).toBe(true);
    const gone = await makeUser('officer');
    await getDb().updateTable('user').set({ status: 'deactivated' }).where('id', '=', gone.id).execute();
    expect(await createContract(getDb(), contractInput({ supplierId: supplier.id, officerId: gone.id }), actor)).toMatchObject({ ok: false, field: 'officerId' });
  });
});

describe('updateContract and closeContract', () => {
  it('updates, auditing before and after', async () => {
    const { officer, supplier, actor } = await setup();
    const contract = await makeContract({ supplierId: supplier.id, officerId: officer.id });
    const result = await updateContract(getDb(), contract.id, contractInput({ supplierId: supplier.id, officerId: officer.id, reference: contract.reference, title: 'New title' }), actor);
    expect(result.ok).toBe(true);
    const [event] = await auditEvents(contract.id);
    expect(event!.action).toBe('contract.updated');
    expect(JSON.parse(event!.before_json!).title).toBe(contract.title);
    expect(JSON.parse(event!.after_json!).title).toBe('New title');
  });

  it('keeps every commitment inside the new dates', async () => {
    const { officer, supplier, actor } = await setup();
    const contract = await makeContract({ supplierId: supplier.id, officerId: officer.id, startDate: '2026-04-01', endDate: '2028-03-31' });
    const measure = await makeMeasure();
    await makeCommitment(contract.id, measure.id, { dueDate: '2026-06-30' });
    const input = contractInput({ supplierId: supplier.id, officerId: officer.id, reference: contract.reference, startDate: '2026-07-01', endDate: '2028-03-31' });
    expect(await updateContract(getDb(), contract.id, input, actor)).toMatchObject({ ok: false, field: 'startDate' });
  });

  it('refuses a stale form', async () => {
    const { officer, supplier, actor } = await setup();
    const contract = await makeContract({ supplierId: supplier.id, officerId: officer.id });
    const input = contractInput({ supplierId: supplier.id, officerId: officer.id, reference: contract.reference, version: '2000-01-01T00:00:00.000Z' });
    expect(await updateContract(getDb(), contract.id, input, actor)).toMatchObject({ ok: false, reason: 'stale' });
  });

  it('closes with a reason, once; a closed contract and its commitments never change again', async () => {
    const { officer, supplier, actor } = await setup();
    const contract = await makeContract({ supplierId: supplier.id, officerId: officer.id });
    const measure = await makeMeasure();
    const commitment = await makeCommitment(contract.id, measure.id);
    expect((await closeContract(getDb(), contract.id, { status: 'terminated', reason: 'Supplier went into administration' }, actor)).ok).toBe(true);
    const row = await getDb().selectFrom('contract').selectAll().where('id', '=', contract.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'terminated', closure_reason: 'Supplier went into administration' });
    expect(row.closed_at).toBeTruthy();
    const [event] = await auditEvents(contract.id);
    expect(event).toMatchObject({ action: 'contract.closed' });
    expect(JSON.parse(event!.after_json!)).toMatchObject({ status: 'terminated', closure_reason: 'Supplier went into administration' });

    expect(await closeContract(getDb(), contract.id, { status: 'completed', reason: 'again' }, actor)).toMatchObject({ ok: false, reason: 'closed' });
    const edit = contractInput({ supplierId: supplier.id, officerId: officer.id, reference: contract.reference, title: 'Changed' });
    expect(await updateContract(getDb(), contract.id, edit, actor)).toMatchObject({ ok: false, reason: 'closed' });
    expect(await addCommitment(getDb(), contract.id, commitmentInput(measure.id), actor)).toMatchObject({ ok: false, reason: 'closed' });
    expect(await updateCommitment(getDb(), contract.id, commitment.id, commitmentInput(measure.id, { reason: 'x' }), actor)).toMatchObject({ ok: false, reason: 'closed' });
    expect((await getDb().selectFrom('contract').select('title').where('id', '=', contract.id).executeTakeFirstOrThrow()).title).toBe(contract.title);
    expect(await auditEvents(contract.id)).toHaveLength(1);
  });

  it('answers not-found for a contract that does not exist', async () => {
    const { actor } = await setup();
    expect(await closeContract(getDb(), 'nope', { status: 'completed', reason: 'x' }, actor)).toEqual({ ok: false, reason: 'not-found' });
  });
});

describe('addCommitment', () => {
  it('copies the proxy value from the measure; later measure edits never change it', async () => {
    const { actor } = await setup();
    const contract = await makeContract();
    const measure = await makeMeasure({ proxyPence: 123_456 });
    const ward = await makeWard();
    const result = await addCommitment(getDb(), contract.id, commitmentInput(measure.id, { wardId: ward.id }), actor);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    await getDb().updateTable('measure').set({ proxy_value_pence: 999 }).where('id', '=', measure.id).execute();
    const row = await getDb().selectFrom('commitment').selectAll().where('id', '=', result.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ proxy_value_pence: 123_456, target_milli: 2500, ward_id: ward.id, delivered_milli: 0, substituted_milli: 0 });
    const [event] = await auditEvents(result.id);
    expect(event!.action).toBe('commitment.created');
    expect(JSON.parse(event!.after_json!)).toMatchObject({ contract_id: contract.id, proxy_value_pence: 123_456 });
  });

  it.each([
    ['a retired measure', async () => ({ measureId: (await makeMeasure({ active: false })).id }), 'measureId'],
    ['an unknown measure', async () => ({ measureId: 'nope' }), 'measureId'],
    ['an unknown ward', async () => ({ wardId: 'nope' }), 'wardId'],
    ['a due date before the start', async () => ({ dueDate: '2026-03-31' }), 'dueDate'],
    ['a due date over a year after the end', async () => ({ dueDate: '2029-04-01' }), 'dueDate'],
    ['a target whose value would not be a safe integer', async () => ({ target: 10_000_000_000 }), 'target'],
  ])('refuses %s and writes nothing', async (_label, over, field) => {
    const { actor } = await setup();
    const contract = await makeContract({ startDate: '2026-04-01', endDate: '2028-03-31' });
    const measure = await makeMeasure({ proxyPence: 10_000_000 });
    const before = await count('commitment');
    const result = await addCommitment(getDb(), contract.id, commitmentInput(measure.id, await over()), actor);
    expect(result).toMatchObject({ ok: false, reason: 'invalid', field });
    expect(await count('commitment')).toBe(before);
  });
});

describe('updateCommitment', () => {
  it('needs no reason before the contract starts', async () => {
    const { actor } = await setup();
    const contract = await makeContract({ startDate: '2026-04-01', endDate: '2028-03-31' });
    const measure = await makeMeasure();
    const commitment = await makeCommitment(contract.id, measure.id, { targetMilli: 1000 });
    const result = await updateCommitment(getDb(), contract.id, commitment.id, commitmentInput(measure.id, { target: 3000 }), actor, '2026-03-31');
    expect(result.ok).toBe(true);
    const [event] = await auditEvents(commitment.id);
    expect(JSON.parse(event!.after_json!)).toMatchObject({ target_milli: 3000, reason: null });
  });

  it('needs a reason from the start date on, and audits it with before and after', async () => {
    const { actor } = await setup();
    const contract = await makeContract({ startDate: '2026-04-01', endDate: '2028-03-31' });
    const measure = await makeMeasure();
    const commitment = await makeCommitment(contract.id, measure.id, { targetMilli: 1000, description: 'Two and a half local jobs' });
    const refused = await updateCommitment(getDb(), contract.id, commitment.id, commitmentInput(measure.id, { target: 3000 }), actor, '2026-04-01');
    expect(refused).toMatchObject({ ok: false, reason: 'invalid', field: 'reason' });
    expect(await auditEvents(commitment.id)).toHaveLength(0);
    expect((await getDb().selectFrom('commitment').select('target_milli').where('id', '=', commitment.id).executeTakeFirstOrThrow()).target_milli).toBe(1000);

    const result = await updateCommitment(getDb(), contract.id, commitment.id, commitmentInput(measure.id, { target: 3000, reason: 'Scope extended by variation 2' }), actor, '2026-04-01');
    expect(result.ok).toBe(true);
    const [event] = await auditEvents(commitment.id);
    expect(event!.action).toBe('commitment.updated');
    expect(JSON.parse(event!.before_json!)).toMatchObject({ target_milli: 1000 });
    expect(JSON.parse(event!.after_json!)).toMatchObject({ target_milli: 3000, reason: 'Scope extended by variation 2', changed: ['target_milli'] });
  });

  it('keeps the copied proxy value when the measure is unchanged, even if the measure has been re-priced', async () => {
    const { actor } = await setup();
    const contract = await makeContract();
    const measure = await makeMeasure({ proxyPence: 500 });
    const commitment = await makeCommitment(contract.id, measure.id);
    await getDb().updateTable('measure').set({ proxy_value_pence: 900 }).where('id', '=', measure.id).execute();
    await updateCommitment(getDb(), contract.id, commitment.id, commitmentInput(measure.id, { reason: 'typo' }), actor);
    expect((await getDb().selectFrom('commitment').select('proxy_value_pence').where('id', '=', commitment.id).executeTakeFirstOrThrow()).proxy_value_pence).toBe(500);
  });

  it('copies the new measure’s proxy when the measure changes before anything is delivered, and refuses it after', async () => {
    const { actor } = await setup();
    const contract = await makeContract();
    const [a, b] = [await makeMeasure({ proxyPence: 500 }), await makeMeasure({ proxyPence: 700 })];
    const fresh = await makeCommitment(contract.id, a.id);
    expect((await updateCommitment(getDb(), contract.id, fresh.id, commitmentInput(b.id, { reason: 'wrong measure' }), actor)).ok).toBe(true);
    expect((await getDb().selectFrom('commitment').select('proxy_value_pence').where('id', '=', fresh.id).executeTakeFirstOrThrow()).proxy_value_pence).toBe(700);

    const delivered = await makeCommitment(contract.id, a.id, { targetMilli: 5000, deliveredMilli: 1000 });
    expect(await updateCommitment(getDb(), contract.id, delivered.id, commitmentInput(b.id, { reason: 'x' }), actor)).toMatchObject({ ok: false, field: 'measureId' });
    expect(await updateCommitment(getDb(), contract.id, delivered.id, commitmentInput(a.id, { target: 900, reason: 'x' }), actor)).toMatchObject({ ok: false, field: 'target' });
  });

  it('answers not-found for another contract’s commitment', async () => {
    const { actor } = await setup();
    const [one, two] = [await makeContract(), await makeContract()];
    const measure = await makeMeasure();
    const commitment = await makeCommitment(one.id, measure.id);
    expect(await updateCommitment(getDb(), two.id, commitment.id, commitmentInput(measure.id, { reason: 'x' }), actor)).toEqual({ ok: false, reason: 'not-found' });
  });
});
