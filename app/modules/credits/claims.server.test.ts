import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeClaimant, makePledge } from '../../../tests/support/factories-claims';
import { makeCommitment, makeContract, makeMeasure, makeUser } from '../../../tests/support/factories';
import { evidencePath } from '~/modules/returns/evidence-store.server';
import { makeTempDataDir, samples } from '~/modules/returns/evidence-test-samples';
import { newId } from '~/utils/ids.server';
import { decideClaim, requestClaim, withdrawClaim } from './claims.server';
import { CLAIM_LIMITS } from './claims.schema';
import { contractBalance } from './ledger.server';

beforeAll(() => {
  makeTempDataDir();
});

const db = () => getDb();

const activity = (contractId: string, measureId: string, quantityMilli = 2500, description = 'Careers talks at two schools') =>
  ({ contractId, kind: 'activity' as const, measureId, quantityMilli, description });

async function claimRow(id: string) {
  return db().selectFrom('credit_claim').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function count(table: 'credit_claim' | 'ledger_transaction' | 'claim_evidence', column: 'contract_id' | 'claim_id', value: string) {
  const row = await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where(column, '=', value).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function setUplift(percent: number) {
  const value_json = JSON.stringify({ priorityWardUpliftPercent: percent });
  await db().insertInto('setting').values({ key: 'credit_policy', value_json, updated_at: new Date().toISOString(), updated_by: null })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value_json })).execute();
}

describe('requestClaim: activity', () => {
  it('values the quantity at the measure’s proxy, audits, and tells the officer', async () => {
    const { contract, measure, actor, officer } = await makeClaimant();
    const result = await requestClaim(db(), activity(contract.id, measure.id, 2500), actor);
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    const row = await claimRow(result.id);
    expect(row).toMatchObject({ status: 'requested', kind: 'activity', quantity_milli: 2500, proxy_value_pence: 10_000, requested_value_pence: 25_000, uplift_percent: 0 });
    const audit = await db().selectFrom('audit_event').select('action').where('subject_id', '=', result.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['claim.requested']);
    const mail = await db().selectFrom('notification').select(['to_user_id', 'kind']).where('link', 'like', `%${result.id}`).execute();
    expect(mail).toEqual([{ to_user_id: officer.id, kind: 'claim_requested' }]);
  });

  it.each([
    ['zero', 0],
    ['negative', -1000],
    ['fractional beyond 3 decimals', 1.5],
    ['not a number', Number.NaN],
  ])('refuses a %s quantity and writes nothing', async (_label, quantityMilli) => {
    const { contract, measure, actor } = await makeClaimant();
    const result = await requestClaim(db(), activity(contract.id, measure.id, quantityMilli), actor);
    expect(result).toMatchObject({ ok: false, reason: 'invalid', field: 'quantity' });
    expect(await count('credit_claim', 'contract_id', contract.id)).toBe(0);
  });

  it('refuses an enormous value with a clear message', async () => {
    const { contract, measure, actor } = await makeClaimant();
    const milli = (CLAIM_LIMITS.maxValuePence / 10_000) * 1000 + 1000; // £10m + £100
    const result = await requestClaim(db(), activity(contract.id, measure.id, milli), actor);
    expect(result).toMatchObject({ ok: false, field: 'quantity', message: expect.stringContaining('£10,000,000.00') });
    const atCap = await requestClaim(db(), activity(contract.id, measure.id, milli - 1000), actor);
    expect(atCap).toMatchObject({ ok: true });
    const huge = await requestClaim(db(), activity(contract.id, measure.id, Number.MAX_SAFE_INTEGER), actor);
    expect(huge).toMatchObject({ ok: false, field: 'quantity' });
  });

  it('refuses a measure the contract already commits to (that delivery belongs in a return), and books nothing', async () => {
    const { contract, actor } = await makeClaimant();
    const committed = await makeMeasure();
    await makeCommitment(contract.id, committed.id);
    const result = await requestClaim(db(), activity(contract.id, committed.id), actor);
    expect(result).toMatchObject({ ok: false, field: 'measureId' });
    expect(await db().selectFrom('credit_claim').select('id').where('contract_id', '=', contract.id).execute()).toEqual([]);
  });

  it('needs an active measure and a description', async () => {
    const { contract, actor } = await makeClaimant();
    const retired = await makeMeasure({ active: false });
    expect(await requestClaim(db(), activity(contract.id, retired.id), actor)).toMatchObject({ ok: false, field: 'measureId' });
    expect(await requestClaim(db(), activity(contract.id, 'nope'), actor)).toMatchObject({ ok: false, field: 'measureId' });
    const measure = await makeMeasure();
    expect(await requestClaim(db(), activity(contract.id, measure.id, 1000, '   '), actor)).toMatchObject({ ok: false, field: 'description' });
    expect(await count('credit_claim', 'contract_id', contract.id)).toBe(0);
  });

  it('is not-found for another organisation’s contract, and refused on a closed one', async () => {
    const { measure, actor } = await makeClaimant();
    const other = await makeContract();
    expect(await requestClaim(db(), activity(other.id, measure.id), actor)).toEqual({ ok: false, reason: 'not-found' });
    const closed = await makeContract({ supplierId: actor.organisationId, status: 'completed' });
    expect(await requestClaim(db(), activity(closed.id, measure.id), actor)).toMatchObject({ ok: false, field: 'contractId' });
  });

  it('attaches evidence files and links; a repeated form (same submission key) makes one claim', async () => {
    const { contract, measure, actor } = await makeClaimant();
    const sha256 = createHash('sha256').update(samples.pdf).digest('hex');
    fs.mkdirSync(path.dirname(evidencePath(sha256)), { recursive: true });
    fs.writeFileSync(evidencePath(sha256), samples.pdf);
    const files = [{ sha256, sizeBytes: samples.pdf.length, contentType: 'application/pdf', fileName: 'register.pdf' }];
    const once = { key: randomUUID(), userId: actor.userId };
    const input = { ...activity(contract.id, measure.id), files, links: [{ url: 'https://example.org/news', title: 'News story' }] };
    const first = await requestClaim(db(), input, actor, once);
    const again = await requestClaim(db(), input, actor, once);
    expect(first.ok && again.ok && first.id === again.id).toBe(true);
    if (!first.ok) return;
    expect(await count('claim_evidence', 'claim_id', first.id)).toBe(2);
    expect(await count('credit_claim', 'contract_id', contract.id)).toBe(1);
    expect(fs.existsSync(evidencePath(sha256))).toBe(true);
  });

  it('refuses a bad link and keeps no claim', async () => {
    const { contract, measure, actor } = await makeClaimant();
    const result = await requestClaim(db(), { ...activity(contract.id, measure.id), links: [{ url: 'javascript:alert(1)' }] }, actor);
    expect(result).toMatchObject({ ok: false, field: 'evidence' });
    expect(await count('credit_claim', 'contract_id', contract.id)).toBe(0);
  });
});

describe('requestClaim: pledge', () => {
  it('takes the pledge’s value, with the priority-ward uplift recorded', async () => {
    const { contract, contractor, actor } = await makeClaimant();
    await setUplift(10);
    try {
      const plain = await makePledge(actor.organisationId!, contractor.id, { valuePence: 25_000 });
      const priority = await makePledge(actor.organisationId!, contractor.id, { valuePence: 25_001, priorityWard: true });
      const a = await requestClaim(db(), { contractId: contract.id, kind: 'pledge', pledgeId: plain.id }, actor);
      const b = await requestClaim(db(), { contractId: contract.id, kind: 'pledge', pledgeId: priority.id }, actor);
      if (!a.ok || !b.ok) throw new Error('expected both claims');
      expect(await claimRow(a.id)).toMatchObject({ requested_value_pence: 25_000, uplift_percent: 0, pledge_id: plain.id, measure_id: null });
      expect(await claimRow(b.id)).toMatchObject({ requested_value_pence: 27_501, uplift_percent: 10 }); // floor(25001 × 1.1)
    } finally {
      await setUplift(0);
    }
  });

  it('refuses another organisation’s pledge and a pledge not yet confirmed, booking nothing', async () => {
    const { contract, actor } = await makeClaimant();
    const stranger = await makeUser('contractor');
    const theirs = await makePledge(stranger.organisationId, stranger.id);
    expect(await requestClaim(db(), { contractId: contract.id, kind: 'pledge', pledgeId: theirs.id }, actor)).toMatchObject({ ok: false, reason: 'invalid', field: 'pledgeId' });
    const offered = await makePledge(actor.organisationId!, actor.userId!, { status: 'delivered' });
    expect(await requestClaim(db(), { contractId: contract.id, kind: 'pledge', pledgeId: offered.id }, actor)).toMatchObject({ ok: false, field: 'pledgeId', message: expect.stringContaining('delivered') });
    expect(await count('credit_claim', 'contract_id', contract.id)).toBe(0);
    expect(await count('ledger_transaction', 'contract_id', contract.id)).toBe(0);
  });

  it('backs one live claim only (even when two arrive together); a rejected claim frees the pledge', async () => {
    const { contract, contractor, actor, officerActor } = await makeClaimant();
    const pledge = await makePledge(actor.organisationId!, contractor.id);
    const input = { contractId: contract.id, kind: 'pledge' as const, pledgeId: pledge.id };
    const results = await Promise.all([requestClaim(db(), input, actor), requestClaim(db(), input, actor), requestClaim(db(), input, actor)]);
    const made = results.filter((r) => r.ok);
    expect(made).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) expect(r).toMatchObject({ reason: 'invalid', field: 'pledgeId', message: expect.stringContaining('one claim only') });
    const id = (made[0] as { id: string }).id;
    expect(await decideClaim(db(), id, { decision: 'reject', reason: 'Counted in the Q2 return already' }, officerActor)).toMatchObject({ ok: true });
    expect(await requestClaim(db(), input, actor)).toMatchObject({ ok: true });
    expect(await requestClaim(db(), input, actor)).toMatchObject({ ok: false, field: 'pledgeId' });
  });

  it('turns the unique index into a field error when the check is raced', async () => {
    const { contract, contractor, actor } = await makeClaimant();
    const pledge = await makePledge(actor.organisationId!, contractor.id);
    // A claim written behind the service's back, as a racing request would between check and insert.
    const now = new Date().toISOString();
    await db().insertInto('credit_claim').values({
      id: newId(), contract_id: contract.id, supplier_id: actor.organisationId!, kind: 'pledge', pledge_id: pledge.id, description: 'x',
      requested_value_pence: 100, created_by: contractor.id, created_at: now, updated_at: now,
    }).execute();
    const result = await requestClaim(db(), { contractId: contract.id, kind: 'pledge', pledgeId: pledge.id }, actor);
    expect(result).toMatchObject({ ok: false, reason: 'invalid', field: 'pledgeId' });
  });
});

describe('decideClaim', () => {
  async function pending() {
    const setup = await makeClaimant();
    const made = await requestClaim(db(), activity(setup.contract.id, setup.measure.id, 3000), setup.actor); // £300
    if (!made.ok) throw new Error('claim not made');
    return { ...setup, claimId: made.id };
  }

  it('approves: books balance +X / claimed -X with the officer as approver, notifies the contractor, audits', async () => {
    const { claimId, contract, officer, officerActor, contractor } = await pending();
    const result = await decideClaim(db(), claimId, { decision: 'approve' }, officerActor);
    expect(result).toMatchObject({ ok: true, status: 'approved' });
    expect(await claimRow(claimId)).toMatchObject({ status: 'approved', approved_value_pence: 30_000, decided_by: officer.id });
    expect(await contractBalance(db(), contract.id)).toBe(30_000);
    const txs = await db().selectFrom('ledger_transaction').selectAll().where('contract_id', '=', contract.id).execute();
    expect(txs).toEqual([expect.objectContaining({ kind: 'claim', source_type: 'credit_claim', source_id: claimId, approved_by: officer.id })]);
    const mail = await db().selectFrom('notification').select(['to_user_id', 'kind']).where('kind', '=', 'claim_decided').where('link', 'like', `%${claimId}`).execute();
    expect(mail).toEqual([{ to_user_id: contractor.id, kind: 'claim_decided' }]);
    const audit = await db().selectFrom('audit_event').select('action').where('subject_id', '=', claimId).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['claim.requested', 'claim.approved']);
  });

  it('approves a lower amount only with a reason; never more, never zero or less', async () => {
    const { claimId, contract, officerActor } = await pending();
    expect(await decideClaim(db(), claimId, { decision: 'approve', approvedValuePence: 20_000 }, officerActor)).toMatchObject({ ok: false, field: 'reason' });
    expect(await decideClaim(db(), claimId, { decision: 'approve', approvedValuePence: 30_001, reason: 'x' }, officerActor)).toMatchObject({ ok: false, field: 'approvedValue' });
    expect(await decideClaim(db(), claimId, { decision: 'approve', approvedValuePence: 0, reason: 'x' }, officerActor)).toMatchObject({ ok: false, field: 'approvedValue' });
    expect(await decideClaim(db(), claimId, { decision: 'approve', approvedValuePence: -5, reason: 'x' }, officerActor)).toMatchObject({ ok: false, field: 'approvedValue' });
    expect(await decideClaim(db(), claimId, { decision: 'approve', approvedValuePence: 10.5, reason: 'x' }, officerActor)).toMatchObject({ ok: false, field: 'approvedValue' });
    expect(await contractBalance(db(), contract.id)).toBe(0);
    expect(await decideClaim(db(), claimId, { decision: 'approve', approvedValuePence: 20_000, reason: 'Two of the three sessions evidenced' }, officerActor)).toMatchObject({ ok: true });
    expect(await claimRow(claimId)).toMatchObject({ approved_value_pence: 20_000, decision_reason: 'Two of the three sessions evidenced' });
    expect(await contractBalance(db(), contract.id)).toBe(20_000);
  });

  it('rejects only with a reason, booking nothing', async () => {
    const { claimId, contract, officerActor } = await pending();
    expect(await decideClaim(db(), claimId, { decision: 'reject' }, officerActor)).toMatchObject({ ok: false, field: 'reason' });
    expect(await decideClaim(db(), claimId, { decision: 'reject', reason: 'No evidence' }, officerActor)).toMatchObject({ ok: true, status: 'rejected', transactionId: null });
    expect(await count('ledger_transaction', 'contract_id', contract.id)).toBe(0);
  });

  it('answers conflict to a second decision, and exactly one of many simultaneous approvals books', async () => {
    const { claimId, contract, officerActor } = await pending();
    const other = await makeUser('admin');
    const actors = [officerActor, { userId: other.id, organisationId: other.organisationId, requestId: null }];
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => decideClaim(db(), claimId, { decision: i % 3 === 2 ? 'reject' : 'approve', reason: 'r' }, actors[i % 2]!)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) expect(r).toMatchObject({ reason: 'conflict', message: expect.stringContaining('already') });
    const booked = await count('ledger_transaction', 'contract_id', contract.id);
    expect(booked).toBe((await claimRow(claimId)).status === 'approved' ? 1 : 0);
  });

  it('cannot approve a claim on a contract that has closed since (reject is still possible)', async () => {
    const { claimId, contract, officerActor } = await pending();
    await db().updateTable('contract').set({ status: 'completed', closed_at: new Date().toISOString() }).where('id', '=', contract.id).execute();
    expect(await decideClaim(db(), claimId, { decision: 'approve' }, officerActor)).toMatchObject({ ok: false, field: 'decision', message: expect.stringContaining('closed') });
    expect(await count('ledger_transaction', 'contract_id', contract.id)).toBe(0);
    expect(await decideClaim(db(), claimId, { decision: 'reject', reason: 'Contract ended' }, officerActor)).toMatchObject({ ok: true, status: 'rejected' });
  });

  it('is only for staff, and nobody decides a claim they made', async () => {
    const { claimId, actor, officer, contract } = await pending();
    expect(await decideClaim(db(), claimId, { decision: 'approve' }, actor)).toMatchObject({ ok: false, reason: 'forbidden' });
    const now = new Date().toISOString();
    const own = newId();
    await db().insertInto('credit_claim').values({
      id: own, contract_id: contract.id, supplier_id: actor.organisationId!, kind: 'activity', measure_id: (await makeMeasure()).id, quantity_milli: 1000,
      proxy_value_pence: 100, description: 'x', requested_value_pence: 100, created_by: officer.id, created_at: now, updated_at: now,
    }).execute();
    expect(await decideClaim(db(), own, { decision: 'approve' }, { userId: officer.id, organisationId: officer.organisationId })).toMatchObject({ ok: false, reason: 'own-claim' });
    expect(await decideClaim(db(), 'missing', { decision: 'approve' }, { userId: officer.id, organisationId: officer.organisationId })).toEqual({ ok: false, reason: 'not-found' });
  });
});

describe('withdrawClaim', () => {
  it('withdraws the organisation’s claim while it is requested, frees the pledge, and refuses anyone else', async () => {
    const { contract, contractor, actor, officerActor } = await makeClaimant();
    const pledge = await makePledge(actor.organisationId!, contractor.id);
    const made = await requestClaim(db(), { contractId: contract.id, kind: 'pledge', pledgeId: pledge.id }, actor);
    if (!made.ok) throw new Error('claim not made');
    const stranger = await makeUser('contractor');
    expect(await withdrawClaim(db(), made.id, { userId: stranger.id, organisationId: stranger.organisationId })).toEqual({ ok: false, reason: 'not-found' });
    expect(await withdrawClaim(db(), made.id, actor)).toEqual({ ok: true });
    expect(await withdrawClaim(db(), made.id, actor)).toMatchObject({ ok: false, reason: 'conflict' });
    expect(await decideClaim(db(), made.id, { decision: 'approve' }, officerActor)).toMatchObject({ ok: false, reason: 'conflict', message: expect.stringContaining('withdrew') });
    expect(await requestClaim(db(), { contractId: contract.id, kind: 'pledge', pledgeId: pledge.id }, actor)).toMatchObject({ ok: true });
  });

  it('cannot withdraw a decided claim', async () => {
    const { contract, measure, actor, officerActor } = await makeClaimant();
    const made = await requestClaim(db(), activity(contract.id, measure.id), actor);
    if (!made.ok) throw new Error('claim not made');
    await decideClaim(db(), made.id, { decision: 'approve' }, officerActor);
    expect(await withdrawClaim(db(), made.id, actor)).toMatchObject({ ok: false, reason: 'conflict', message: expect.stringContaining('approved') });
  });
});
