import { beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeCommitment, makeContract, makeMeasure, makeUser, makeWard } from '../../../tests/support/factories';
import { actorOf, fundBalance, makeSwapSetup } from '../../../tests/support/factories-swaps';
import { contractBalance } from './ledger.server';
import { DEFAULT_CREDIT_POLICY } from './policy';
import { getCreditPolicy, setCreditPolicy } from './policy.server';
import { decideSwap, requestSwap, withdrawSwap } from './swaps.server';

const db = () => getDb();

async function swapsOf(commitmentId: string) {
  return db().selectFrom('credit_swap').selectAll().where('commitment_id', '=', commitmentId).execute();
}
async function commitmentRow(id: string) {
  return db().selectFrom('commitment').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
async function ledgerCount(contractId: string) {
  const row = await db().selectFrom('ledger_transaction').select((eb) => eb.fn.countAll<number>().as('n')).where('contract_id', '=', contractId).executeTakeFirstOrThrow();
  return Number(row.n);
}
async function accountBalance(contractId: string, kind: 'balance' | 'substituted' | 'substitute', commitmentId: string | null = null) {
  let q = db().selectFrom('ledger_account').select('balance_pence').where('contract_id', '=', contractId).where('kind', '=', kind);
  q = commitmentId ? q.where('commitment_id', '=', commitmentId) : q.where('commitment_id', 'is', null);
  return (await q.executeTakeFirst())?.balance_pence ?? 0;
}
const setPolicy = (patch: Partial<typeof DEFAULT_CREDIT_POLICY>) =>
  db().transaction().execute((tx) => setCreditPolicy(tx, { ...DEFAULT_CREDIT_POLICY, ...patch }, { userId: null, organisationId: null }));

// One database per file: each test starts from the default policy.
beforeEach(async () => {
  await db().deleteFrom('setting').where('key', '=', 'credit_policy').execute();
});

describe('requestSwap: bad input is a clear field error and nothing is saved', () => {
  const cases: [string, number, RegExp][] = [
    ['negative', -1000, /more than 0/],
    ['zero', 0, /more than 0/],
    ['fractional beyond 3 decimals', 1.5, /3 decimal places/],
    ['enormous', 1e15, /no more than the 10 FTE still to deliver/],
    ['not a number', Number.NaN, /more than 0/],
  ];
  it.each(cases)('%s quantity', async (_name, quantityMilli, message) => {
    const s = await makeSwapSetup();
    await fundBalance(s.contract.id, s.officer.id, 10_000_000);
    const result = await requestSwap(db(), { commitmentId: s.commitment.id, method: 'credits', quantityMilli, reason: 'Site closed' }, actorOf(s.contractor));
    expect(result).toMatchObject({ ok: false, reason: 'invalid', field: 'quantity', message: expect.stringMatching(message) });
    expect(await swapsOf(s.commitment.id)).toHaveLength(0);
  });

  it('a swap past the policy share (50% by default)', async () => {
    const s = await makeSwapSetup();
    await fundBalance(s.contract.id, s.officer.id, 10_000_000);
    const result = await requestSwap(db(), { commitmentId: s.commitment.id, method: 'credits', quantityMilli: 5_001, reason: 'Site closed' }, actorOf(s.contractor));
    expect(result).toMatchObject({ ok: false, field: 'quantity', message: expect.stringContaining('at most 50% of a commitment (5 FTE of 10 FTE)') });
    expect(await swapsOf(s.commitment.id)).toHaveLength(0);
  });

  it('counts other pending requests against the share and the remaining target', async () => {
    const s = await makeSwapSetup();
    await fundBalance(s.contract.id, s.officer.id, 10_000_000);
    expect(await requestSwap(db(), { commitmentId: s.commitment.id, method: 'credits', quantityMilli: 3_000, reason: 'Part one' }, actorOf(s.contractor))).toMatchObject({ ok: true });
    const second = await requestSwap(db(), { commitmentId: s.commitment.id, method: 'credits', quantityMilli: 3_000, reason: 'Part two' }, actorOf(s.contractor));
    expect(second).toMatchObject({ ok: false, field: 'quantity', message: expect.stringContaining('at most 2 FTE more can be swapped while 3 FTE waits for a decision') });
  });

  it('more than the remaining target (delivered already counts)', async () => {
    const s = await makeSwapSetup({ deliveredMilli: 9_000 });
    await setPolicy({ maxSubstitutedPercent: 100 });
    await fundBalance(s.contract.id, s.officer.id, 10_000_000);
    const result = await requestSwap(db(), { commitmentId: s.commitment.id, method: 'credits', quantityMilli: 2_000, reason: 'x' }, actorOf(s.contractor));
    expect(result).toMatchObject({ ok: false, field: 'quantity', message: expect.stringContaining('no more than the 1 FTE still to deliver') });
  });

  it('not enough credits, counting other pending credit swaps', async () => {
    const s = await makeSwapSetup();
    await fundBalance(s.contract.id, s.officer.id, 250_000); // £2,500: 2.5 FTE at £1,000
    const tooMuch = await requestSwap(db(), { commitmentId: s.commitment.id, method: 'credits', quantityMilli: 3_000, reason: 'x' }, actorOf(s.contractor));
    expect(tooMuch).toMatchObject({ ok: false, field: 'quantity', message: 'This needs £3,000.00 of credits; the contract has £2,500.00 available' });
    expect(await requestSwap(db(), { commitmentId: s.commitment.id, method: 'credits', quantityMilli: 2_000, reason: 'x' }, actorOf(s.contractor))).toMatchObject({ ok: true });
    const other = await makeCommitment(s.contract.id, s.measure.id, { targetMilli: 10_000 });
    const afterPending = await requestSwap(db(), { commitmentId: other.id, method: 'credits', quantityMilli: 1_000, reason: 'x' }, actorOf(s.contractor));
    expect(afterPending).toMatchObject({ ok: false, field: 'quantity', message: expect.stringContaining('£500.00 available (£2,500.00 less £2,000.00 in other credit swaps') });
    expect(await swapsOf(other.id)).toHaveLength(0);
  });

  it('a swap to the same commitment', async () => {
    const s = await makeSwapSetup();
    const other = await makeMeasure({ theme: 'Jobs' });
    const result = await requestSwap(db(), {
      commitmentId: s.commitment.id, method: 'measure', quantityMilli: 1_000, toMeasureId: other.id, toCommitmentId: s.commitment.id, toQuantityMilli: 2_000, reason: 'x',
    }, actorOf(s.contractor));
    expect(result).toMatchObject({ ok: false, field: 'toCommitmentId', message: expect.stringContaining('must be to a different commitment') });
    expect(await swapsOf(s.commitment.id)).toHaveLength(0);
  });

  it('more of the same measure as a new commitment (a swap to the same commitment in disguise)', async () => {
    const s = await makeSwapSetup();
    const result = await requestSwap(db(), {
      commitmentId: s.commitment.id, method: 'measure', quantityMilli: 1_000, toMeasureId: s.measure.id, toQuantityMilli: 1_000, reason: 'Later',
    }, actorOf(s.contractor));
    expect(result).toMatchObject({ ok: false, field: 'toMeasureId', message: expect.stringContaining('Select a different measure') });
    expect(await swapsOf(s.commitment.id)).toHaveLength(0);
  });

  it('cross theme only when the policy allows it', async () => {
    const s = await makeSwapSetup({ theme: 'Jobs' });
    const green = await makeMeasure({ theme: 'Environment', proxyPence: 100_000 });
    const input = { commitmentId: s.commitment.id, method: 'measure' as const, quantityMilli: 1_000, toMeasureId: green.id, toQuantityMilli: 1_000, reason: 'x' };
    expect(await requestSwap(db(), input, actorOf(s.contractor))).toMatchObject({ ok: false, field: 'toMeasureId', message: expect.stringContaining('only allows swaps within the same theme') });
    await setPolicy({ allowCrossTheme: true });
    expect(await requestSwap(db(), input, actorOf(s.contractor))).toMatchObject({ ok: true });
  });

  it('what is taken on must be worth at least what is given up', async () => {
    const s = await makeSwapSetup();
    const cheaper = await makeMeasure({ theme: 'Jobs', proxyPence: 40_000, unit: 'weeks' });
    const result = await requestSwap(db(), { commitmentId: s.commitment.id, method: 'measure', quantityMilli: 1_000, toMeasureId: cheaper.id, toQuantityMilli: 2_000, reason: 'x' }, actorOf(s.contractor));
    expect(result).toMatchObject({ ok: false, field: 'toQuantity', message: 'What you take on must be worth at least the £1,000.00 you give up; 2 weeks is worth £800.00. Enter at least 2.5 weeks' });
  });

  it('an inactive measure, a commitment of another measure, a missing reason, another supplier, a closed contract', async () => {
    const s = await makeSwapSetup();
    const retired = await makeMeasure({ active: false });
    const base = { commitmentId: s.commitment.id, method: 'measure' as const, quantityMilli: 1_000, toQuantityMilli: 1_000, reason: 'x' };
    expect(await requestSwap(db(), { ...base, toMeasureId: retired.id }, actorOf(s.contractor))).toMatchObject({ field: 'toMeasureId' });
    const other = await makeMeasure();
    const otherCommitment = await makeCommitment(s.contract.id, other.id);
    const third = await makeMeasure();
    expect(await requestSwap(db(), { ...base, toMeasureId: third.id, toCommitmentId: otherCommitment.id }, actorOf(s.contractor))).toMatchObject({ field: 'toCommitmentId' });
    expect(await requestSwap(db(), { ...base, toMeasureId: other.id, reason: '   ' }, actorOf(s.contractor))).toMatchObject({ field: 'reason' });
    const stranger = await makeUser('contractor');
    expect(await requestSwap(db(), { ...base, toMeasureId: other.id }, actorOf(stranger))).toEqual({ ok: false, reason: 'not-found' });
    const closed = await makeContract({ supplierId: s.contractor.organisationId, status: 'completed' });
    const closedCommitment = await makeCommitment(closed.id, s.measure.id);
    expect(await requestSwap(db(), { ...base, commitmentId: closedCommitment.id, toMeasureId: other.id }, actorOf(s.contractor))).toMatchObject({ field: 'commitmentId', message: expect.stringContaining('completed') });
    expect(await swapsOf(s.commitment.id)).toHaveLength(0);
  });

  it('a submission key makes a resent form create one request', async () => {
    const s = await makeSwapSetup();
    await fundBalance(s.contract.id, s.officer.id, 1_000_000);
    const once = { key: crypto.randomUUID(), userId: s.contractor.id };
    const input = { commitmentId: s.commitment.id, method: 'credits' as const, quantityMilli: 1_000, reason: 'x' };
    const a = await requestSwap(db(), input, actorOf(s.contractor), once);
    const b = await requestSwap(db(), input, actorOf(s.contractor), once);
    expect(a).toEqual(b);
    expect(await swapsOf(s.commitment.id)).toHaveLength(1);
  });
});

describe('decideSwap', () => {
  it('approving a credits swap raises substituted and spends the balance, in one ledger transaction', async () => {
    const s = await makeSwapSetup();
    await fundBalance(s.contract.id, s.officer.id, 500_000);
    const req = await requestSwap(db(), { commitmentId: s.commitment.id, method: 'credits', quantityMilli: 2_500, reason: 'Supplier closed' }, actorOf(s.contractor));
    if (!req.ok) throw new Error('request failed');
    expect((await swapsOf(s.commitment.id))[0]).toMatchObject({ value_pence: 250_000, status: 'requested' });
    const result = await decideSwap(db(), req.id, { decision: 'approve', reason: 'Balance covers it' }, actorOf(s.officer));
    expect(result).toMatchObject({ ok: true, status: 'approved' });
    expect((await commitmentRow(s.commitment.id)).substituted_milli).toBe(2_500);
    expect(await contractBalance(db(), s.contract.id)).toBe(250_000);
    expect(await accountBalance(s.contract.id, 'substituted', s.commitment.id)).toBe(250_000);
    const tx = await db().selectFrom('ledger_transaction').selectAll().where('source_type', '=', 'credit_swap').where('source_id', '=', req.id).execute();
    expect(tx).toHaveLength(1);
    expect(tx[0]).toMatchObject({ kind: 'swap', approved_by: s.officer.id });
    const swap = (await swapsOf(s.commitment.id))[0]!;
    expect(swap).toMatchObject({ status: 'approved', decided_by: s.officer.id, decision_reason: 'Balance covers it' });
    const audit = await db().selectFrom('audit_event').select('action').where('subject_id', '=', req.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['swap.requested', 'swap.approved']);
    const mail = await db().selectFrom('notification').select(['kind', 'to_email']).where('kind', '=', 'swap_decided').where('to_email', '=', s.contractor.email).execute();
    expect(mail).toHaveLength(1);
  });

  it('approving a measure swap creates the new commitment and books substitute value', async () => {
    const s = await makeSwapSetup();
    const ward = await makeWard();
    await db().updateTable('commitment').set({ ward_id: ward.id }).where('id', '=', s.commitment.id).execute();
    const volunteering = await makeMeasure({ theme: 'Jobs', unit: 'hours', proxyPence: 1_500 });
    const req = await requestSwap(db(), {
      commitmentId: s.commitment.id, method: 'measure', quantityMilli: 1_000, toMeasureId: volunteering.id, toQuantityMilli: 70_000, toDueDate: '2027-06-30', reason: 'Hire freeze',
    }, actorOf(s.contractor));
    if (!req.ok) throw new Error(JSON.stringify(req));
    const result = await decideSwap(db(), req.id, { decision: 'approve', reason: 'Good substitute' }, actorOf(s.officer));
    expect(result).toMatchObject({ ok: true });
    const swap = (await swapsOf(s.commitment.id))[0]!;
    expect(swap).toMatchObject({ to_value_pence: 105_000, value_pence: 100_000, to_proxy_value_pence: 1_500 });
    const b = await commitmentRow(swap.to_commitment_id!);
    expect(b).toMatchObject({ measure_id: volunteering.id, target_milli: 70_000, proxy_value_pence: 1_500, due_date: '2027-06-30', ward_id: ward.id, contract_id: s.contract.id });
    expect(b.description).toContain('swap');
    expect((await commitmentRow(s.commitment.id)).substituted_milli).toBe(1_000);
    expect(await accountBalance(s.contract.id, 'substituted', s.commitment.id)).toBe(100_000);
    expect(await accountBalance(s.contract.id, 'substitute', b.id)).toBe(100_000);
    expect(await contractBalance(db(), s.contract.id)).toBe(0);
  });

  it('approving a swap onto an existing commitment raises its target', async () => {
    const s = await makeSwapSetup();
    const other = await makeMeasure({ theme: 'Jobs', proxyPence: 50_000 });
    const b = await makeCommitment(s.contract.id, other.id, { targetMilli: 4_000, proxyPence: 60_000 });
    const req = await requestSwap(db(), { commitmentId: s.commitment.id, method: 'measure', quantityMilli: 3_000, toMeasureId: other.id, toCommitmentId: b.id, toQuantityMilli: 5_000, reason: 'x' }, actorOf(s.contractor));
    if (!req.ok) throw new Error(JSON.stringify(req));
    // Valued at the commitment's own proxy (£600), not the measure's current one (£500).
    expect((await swapsOf(s.commitment.id))[0]).toMatchObject({ to_value_pence: 300_000, to_proxy_value_pence: 60_000 });
    await decideSwap(db(), req.id, { decision: 'approve', reason: 'ok' }, actorOf(s.officer));
    expect((await commitmentRow(b.id)).target_milli).toBe(9_000);
    expect((await swapsOf(s.commitment.id))[0]!.to_commitment_id).toBe(b.id);
  });

  it('a second decision is a conflict and changes nothing', async () => {
    const s = await makeSwapSetup();
    await fundBalance(s.contract.id, s.officer.id, 500_000);
    const req = await requestSwap(db(), { commitmentId: s.commitment.id, method: 'credits', quantityMilli: 1_000, reason: 'x' }, actorOf(s.contractor));
    if (!req.ok) throw new Error('request failed');
    const other = await makeUser('officer');
    const results = await Promise.all([
      decideSwap(db(), req.id, { decision: 'approve', reason: 'ok' }, actorOf(s.officer)),
      decideSwap(db(), req.id, { decision: 'reject', reason: 'no' }, actorOf(other)),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ reason: 'conflict', kind: 'decided', message: expect.stringContaining('already approved by Test officer') });
    expect(await ledgerCount(s.contract.id)).toBe(2); // the funding and the one swap
  });

  it('needs a reason, an officer, and someone other than the requester', async () => {
    const s = await makeSwapSetup();
    await fundBalance(s.contract.id, s.officer.id, 500_000);
    const req = await requestSwap(db(), { commitmentId: s.commitment.id, method: 'credits', quantityMilli: 1_000, reason: 'x' }, actorOf(s.contractor));
    if (!req.ok) throw new Error('request failed');
    expect(await decideSwap(db(), req.id, { decision: 'reject', reason: ' ' }, actorOf(s.officer))).toMatchObject({ reason: 'invalid', field: 'reason' });
    expect(await decideSwap(db(), req.id, { decision: 'approve', reason: '' }, actorOf(s.officer))).toMatchObject({ reason: 'invalid', field: 'reason', message: 'Enter the reason for approving the swap' });
    expect(await decideSwap(db(), req.id, { decision: 'approve', reason: 'mine' }, actorOf(s.contractor))).toMatchObject({ reason: 'forbidden' });
    await db().updateTable('credit_swap').set({ created_by: s.officer.id }).where('id', '=', req.id).execute();
    expect(await decideSwap(db(), req.id, { decision: 'approve', reason: 'mine' }, actorOf(s.officer))).toMatchObject({ reason: 'forbidden', message: expect.stringContaining('you requested yourself') });
    expect(await decideSwap(db(), 'nope', { decision: 'approve', reason: 'x' }, actorOf(s.officer))).toEqual({ ok: false, reason: 'not-found' });
    expect((await swapsOf(s.commitment.id))[0]!.status).toBe('requested');
  });

  it('an approval that would overdraw the balance is refused and writes nothing', async () => {
    const s = await makeSwapSetup();
    await fundBalance(s.contract.id, s.officer.id, 100_000);
    const req = await requestSwap(db(), { commitmentId: s.commitment.id, method: 'credits', quantityMilli: 1_000, reason: 'x' }, actorOf(s.contractor));
    if (!req.ok) throw new Error('request failed');
    // The balance is spent elsewhere meanwhile (written straight to the ledger here).
    const other = await makeCommitment(s.contract.id, s.measure.id);
    const { bookTransaction } = await import('./ledger.server');
    await db().transaction().execute((tx) => bookTransaction(tx, {
      contractId: s.contract.id, kind: 'swap', sourceType: 'credit_swap', sourceId: 'elsewhere', reason: 'spent', approvedBy: s.officer.id,
      postings: [{ kind: 'substituted', commitmentId: other.id, amountPence: 60_000 }, { kind: 'balance', amountPence: -60_000 }],
    }));
    const result = await decideSwap(db(), req.id, { decision: 'approve', reason: 'ok' }, actorOf(s.officer));
    expect(result).toMatchObject({ ok: false, reason: 'conflict', kind: 'refused', message: expect.stringContaining('£1,000.00 of credits; the contract has £400.00 available') });
    expect((await swapsOf(s.commitment.id))[0]!.status).toBe('requested');
    expect((await commitmentRow(s.commitment.id)).substituted_milli).toBe(0);
    expect(await contractBalance(db(), s.contract.id)).toBe(40_000);
    // It can still be rejected.
    expect(await decideSwap(db(), req.id, { decision: 'reject', reason: 'No credits left' }, actorOf(s.officer))).toMatchObject({ ok: true, status: 'rejected' });
  });

  it('an approval past a policy share lowered since the request is refused', async () => {
    const s = await makeSwapSetup();
    await fundBalance(s.contract.id, s.officer.id, 1_000_000);
    const req = await requestSwap(db(), { commitmentId: s.commitment.id, method: 'credits', quantityMilli: 4_000, reason: 'x' }, actorOf(s.contractor));
    if (!req.ok) throw new Error('request failed');
    await setPolicy({ maxSubstitutedPercent: 25 });
    expect(await decideSwap(db(), req.id, { decision: 'approve', reason: 'ok' }, actorOf(s.officer))).toMatchObject({ ok: false, kind: 'refused', message: expect.stringContaining('at most 25%') });
    expect(await ledgerCount(s.contract.id)).toBe(1);
  });

  it('a cross-theme swap requested while the policy allowed it is refused once it no longer does', async () => {
    const s = await makeSwapSetup({ theme: 'Jobs' });
    const green = await makeMeasure({ theme: 'Environment', proxyPence: 100_000 });
    await setPolicy({ allowCrossTheme: true });
    const req = await requestSwap(db(), { commitmentId: s.commitment.id, method: 'measure', quantityMilli: 1_000, toMeasureId: green.id, toQuantityMilli: 1_000, reason: 'x' }, actorOf(s.contractor));
    if (!req.ok) throw new Error(JSON.stringify(req));
    await setPolicy({ allowCrossTheme: false });
    expect(await decideSwap(db(), req.id, { decision: 'approve', reason: 'ok' }, actorOf(s.officer))).toMatchObject({ ok: false, kind: 'refused', message: expect.stringContaining('no longer allows swaps across themes') });
    expect((await commitmentRow(s.commitment.id)).substituted_milli).toBe(0);
  });
});

describe('decideSwap: a measure retired since the request', () => {
  it('refuses the approval and writes nothing; the swap can still be rejected', async () => {
    const s = await makeSwapSetup({ theme: 'Jobs' });
    const other = await makeMeasure({ theme: 'Jobs', proxyPence: 100_000 });
    const req = await requestSwap(db(), { commitmentId: s.commitment.id, method: 'measure', quantityMilli: 1_000, toMeasureId: other.id, toQuantityMilli: 1_000, reason: 'x' }, actorOf(s.contractor));
    if (!req.ok) throw new Error(JSON.stringify(req));
    await db().updateTable('measure').set({ active: 0 }).where('id', '=', other.id).execute();
    const before = await ledgerCount(s.contract.id);
    expect(await decideSwap(db(), req.id, { decision: 'approve', reason: 'ok' }, actorOf(s.officer))).toMatchObject({ ok: false, kind: 'refused', message: expect.stringContaining('has been retired since the request') });
    expect((await commitmentRow(s.commitment.id)).substituted_milli).toBe(0);
    expect(await ledgerCount(s.contract.id)).toBe(before);
    expect((await swapsOf(s.commitment.id))[0]).toMatchObject({ status: 'requested', to_commitment_id: null });
    expect(await decideSwap(db(), req.id, { decision: 'reject', reason: 'Measure retired' }, actorOf(s.officer))).toMatchObject({ ok: true, status: 'rejected' });
  });
});

describe('withdrawSwap', () => {
  it('withdraws while requested, once, for the supplier only', async () => {
    const s = await makeSwapSetup();
    await fundBalance(s.contract.id, s.officer.id, 500_000);
    const req = await requestSwap(db(), { commitmentId: s.commitment.id, method: 'credits', quantityMilli: 1_000, reason: 'x' }, actorOf(s.contractor));
    if (!req.ok) throw new Error('request failed');
    expect(await withdrawSwap(db(), req.id, actorOf(await makeUser('contractor')))).toEqual({ ok: false, reason: 'not-found' });
    expect(await withdrawSwap(db(), req.id, actorOf(s.contractor))).toEqual({ ok: true, id: req.id });
    expect(await withdrawSwap(db(), req.id, actorOf(s.contractor))).toMatchObject({ ok: false, reason: 'conflict', message: expect.stringContaining('withdrawn') });
    expect(await decideSwap(db(), req.id, { decision: 'approve', reason: 'ok' }, actorOf(s.officer))).toMatchObject({ reason: 'conflict', kind: 'decided' });
    // A withdrawn request no longer holds the share or the balance.
    expect(await requestSwap(db(), { commitmentId: s.commitment.id, method: 'credits', quantityMilli: 5_000, reason: 'x' }, actorOf(s.contractor))).toMatchObject({ ok: true });
  });
});

describe('the credit policy setting', () => {
  it('is the default until changed, and a change is audited with before and after', async () => {
    expect(await getCreditPolicy(db())).toEqual(DEFAULT_CREDIT_POLICY);
    const admin = await makeUser('admin');
    const next = { maxSubstitutedPercent: 30, allowCrossTheme: true, priorityWardUpliftPercent: 10, creditsExpireWithContract: false };
    expect(await db().transaction().execute((tx) => setCreditPolicy(tx, next, actorOf(admin)))).toBe(true);
    expect(await db().transaction().execute((tx) => setCreditPolicy(tx, next, actorOf(admin)))).toBe(false);
    expect(await getCreditPolicy(db())).toEqual(next);
    const events = await db().selectFrom('audit_event').selectAll().where('subject_id', '=', 'credit_policy').where('actor_user_id', '=', admin.id).execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.before_json!)).toEqual(DEFAULT_CREDIT_POLICY);
    expect(JSON.parse(events[0]!.after_json!)).toEqual(next);
    await expect(db().transaction().execute((tx) => setCreditPolicy(tx, { ...next, maxSubstitutedPercent: 101 }, actorOf(admin)))).rejects.toThrow();
  });
});
