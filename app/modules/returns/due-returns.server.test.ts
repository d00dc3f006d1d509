import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import type { ReturnStatus } from '#db/schema';
import { makeCommitment, makeContract, makeMeasure, makeOrganisation, makeUser } from '../../../tests/support/factories';
import { contractorHome } from '~/modules/contracts/contractor-home.server';
import { setReportingPeriod } from '~/modules/settings/settings.server';
import { newId } from '~/utils/ids.server';
import { dueReturns, overdueReturns } from './due-returns.server';
import { REPORTING_PERIODS } from './periods';

async function insertReturn(commitmentId: string, periodStart: string, periodEnd: string, status: ReturnStatus) {
  const c = await getDb().selectFrom('commitment').innerJoin('contract', 'contract.id', 'commitment.contract_id')
    .select(['contract.id', 'contract.supplier_id']).where('commitment.id', '=', commitmentId).executeTakeFirstOrThrow();
  const user = await makeUser('contractor', { organisationId: c.supplier_id });
  const id = newId();
  const now = new Date().toISOString();
  await getDb().insertInto('progress_return').values({
    id, commitment_id: commitmentId, contract_id: c.id, supplier_id: c.supplier_id, period_start: periodStart, period_end: periodEnd,
    quantity_milli: 1000, status, approved_quantity_milli: null, decision_reason: null, decided_by: null, decided_at: null,
    submitted_at: status === 'draft' ? null : now, first_submitted_at: status === 'draft' ? null : now, created_by: user.id, created_at: now, updated_at: now,
  }).execute();
  return id;
}

async function setUp({ startDate = '2026-04-01', dueDate = '2027-03-31' }: { startDate?: string; dueDate?: string } = {}) {
  const supplier = await makeOrganisation('supplier');
  const measure = await makeMeasure();
  const contract = await makeContract({ supplierId: supplier.id, startDate, endDate: '2028-03-31' });
  const commitment = await makeCommitment(contract.id, measure.id, { dueDate });
  return { supplier, measure, contract, commitment };
}

const summary = (items: Awaited<ReturnType<typeof dueReturns>>['items']) => items.map((r) => [r.period.start, r.dueDate, r.state]);

describe('dueReturns', () => {
  it('lists the periods whose returns are overdue, then due soon, with what the page needs', async () => {
    const { supplier, measure, contract, commitment } = await setUp();
    // Elsewhere: another supplier's contract, and a closed contract of this supplier.
    await setUp();
    const closed = await makeContract({ supplierId: supplier.id, startDate: '2026-04-01', status: 'completed' });
    await makeCommitment(closed.id, measure.id);

    // 31 Dec: Apr–Jun (due 14 Jul) and Jul–Sep (due 14 Oct) are overdue; Oct–Dec is due 14 Jan, within 14 days.
    const { items, total } = await dueReturns(getDb(), { supplierId: supplier.id, today: '2026-12-31', period: 'quarterly' });
    expect(total).toBe(3);
    expect(summary(items)).toEqual([
      ['2026-04-01', '2026-07-14', 'overdue'],
      ['2026-07-01', '2026-10-14', 'overdue'],
      ['2026-10-01', '2027-01-14', 'due_soon'],
    ]);
    expect(items[0]).toEqual({
      commitmentId: commitment.id, measureCode: measure.code, measureTitle: `Measure ${measure.code}`,
      contractId: contract.id, contractReference: contract.reference, supplierId: supplier.id,
      period: { start: '2026-04-01', end: '2026-06-30', label: 'Apr to Jun 2026' }, dueDate: '2026-07-14', state: 'overdue', draftId: null,
    });

    // The day before a period ends its return is not yet due soon; on its due date it is due soon, the day after overdue.
    expect(summary((await dueReturns(getDb(), { supplierId: supplier.id, today: '2026-12-30', period: 'quarterly' })).items)).toHaveLength(2);
    expect(summary((await dueReturns(getDb(), { supplierId: supplier.id, today: '2026-10-14', period: 'quarterly' })).items)).toEqual([
      ['2026-04-01', '2026-07-14', 'overdue'], ['2026-07-01', '2026-10-14', 'due_soon'],
    ]);
    expect((await dueReturns(getDb(), { supplierId: supplier.id, today: '2026-10-15', period: 'quarterly' })).items[1]!.state).toBe('overdue');
  });

  it('counts submitted, approved and more-information returns as sent; a draft or a rejected one as not', async () => {
    const { supplier, commitment } = await setUp();
    await insertReturn(commitment.id, '2026-04-01', '2026-06-30', 'approved');
    await insertReturn(commitment.id, '2026-07-01', '2026-09-30', 'rejected');
    const draftId = await insertReturn(commitment.id, '2026-07-01', '2026-09-30', 'draft');
    await insertReturn(commitment.id, '2026-10-01', '2026-12-31', 'rejected');
    await insertReturn(commitment.id, '2027-01-01', '2027-03-31', 'more_info_requested');

    const { items } = await dueReturns(getDb(), { supplierId: supplier.id, today: '2027-05-01', period: 'quarterly' });
    expect(items.map((r) => [r.period.start, r.state, r.draftId])).toEqual([
      ['2026-07-01', 'overdue', draftId],
      ['2026-10-01', 'overdue', null],
    ]);

    await getDb().updateTable('progress_return').set({ status: 'submitted' }).where('id', '=', draftId).execute();
    expect(summary((await dueReturns(getDb(), { supplierId: supplier.id, today: '2027-05-01', period: 'quarterly' })).items)).toEqual([['2026-10-01', '2027-01-14', 'overdue']]);
  });

  it('asks for nothing before the contract starts or after the commitment is due', async () => {
    // Starts mid-quarter: Jul–Sep is the first period. Due in November: Oct–Dec is the last.
    const { supplier } = await setUp({ startDate: '2026-08-15', dueDate: '2026-11-30' });
    const { items } = await dueReturns(getDb(), { supplierId: supplier.id, today: '2027-06-01', period: 'quarterly' });
    expect(summary(items)).toEqual([['2026-07-01', '2026-10-14', 'overdue'], ['2026-10-01', '2027-01-14', 'overdue']]);

    // Nothing for a contract that has not started.
    const later = await setUp({ startDate: '2027-04-01', dueDate: '2028-03-31' });
    expect(await dueReturns(getDb(), { supplierId: later.supplier.id, today: '2027-01-01', period: 'quarterly' })).toEqual({ items: [], total: 0 });
  });

  it('follows the reporting period; returns made under an earlier setting keep covering their dates', async () => {
    const { supplier, commitment } = await setUp();
    await insertReturn(commitment.id, '2026-04-01', '2026-06-30', 'submitted');
    const { items } = await dueReturns(getDb(), { supplierId: supplier.id, today: '2026-09-01', period: 'monthly' });
    // Apr, May and Jun are covered by the quarterly return; Jul is overdue (due 14 Aug); Aug is due soon (due 14 Sep).
    expect(items.map((r) => [r.period.label, r.state])).toEqual([['Jul 2026', 'overdue'], ['Aug 2026', 'due_soon']]);
  });

  it('answers for every supplier when none is given, and caps the list', async () => {
    const a = await setUp();
    const b = await setUp();
    const all = await dueReturns(getDb(), { today: '2026-12-31', period: 'quarterly', limit: 100_000 });
    for (const s of [a, b]) expect(all.items.filter((r) => r.supplierId === s.supplier.id)).toHaveLength(3);

    const capped = await dueReturns(getDb(), { supplierId: a.supplier.id, today: '2026-12-31', period: 'monthly', limit: 2 });
    expect(capped.total).toBe(9);
    expect(capped.items.map((r) => r.period.label)).toEqual(['Apr 2026', 'May 2026']);
  });

  it('feeds the contractor’s home page: overdue first, each with a link to start the return or continue its draft', async () => {
    const { supplier, contract, commitment } = await setUp();
    const draftId = await insertReturn(commitment.id, '2026-07-01', '2026-09-30', 'draft');
    const home = await contractorHome(getDb(), { role: 'contractor', organisationId: supplier.id }, '2026-12-31');
    expect(home.returnsDue.total).toBe(3);
    expect(home.returnsDue.items.map((r) => [r.period, r.due, r.state, r.href, r.hasDraft])).toEqual([
      ['Apr to Jun 2026', '14 Jul 2026', 'overdue', `/contracts/${contract.id}/commitments/${commitment.id}/returns/new?period=2026-04-01`, false],
      ['Jul to Sep 2026', '14 Oct 2026', 'overdue', `/returns/${draftId}/edit`, true],
      ['Oct to Dec 2026', '14 Jan 2027', 'due_soon', `/contracts/${contract.id}/commitments/${commitment.id}/returns/new?period=2026-10-01`, false],
    ]);

    // The admin's reporting period applies.
    const actor = { userId: null, organisationId: null, requestId: 't' };
    await getDb().transaction().execute((tx) => setReportingPeriod(tx, 'annual', actor));
    try {
      expect((await contractorHome(getDb(), { role: 'contractor', organisationId: supplier.id }, '2027-04-10')).returnsDue.items.map((r) => r.period)).toEqual(['Apr 2026 to Mar 2027']);
    } finally {
      await getDb().transaction().execute((tx) => setReportingPeriod(tx, 'quarterly', actor));
    }
  });

  it('counts and lists every supplier’s overdue returns in SQL exactly as dueReturns does, under every reporting period', async () => {
    // Returns made under several settings: one overlapping two quarters, gaps, a draft, a rejected one, one on a closed contract.
    const a = await setUp({ startDate: '2025-05-10', dueDate: '2027-09-30' });
    await insertReturn(a.commitment.id, '2025-04-01', '2025-06-30', 'approved');
    await insertReturn(a.commitment.id, '2025-08-01', '2025-11-30', 'submitted');
    await insertReturn(a.commitment.id, '2026-01-01', '2026-01-31', 'more_info_requested');
    await insertReturn(a.commitment.id, '2026-04-01', '2026-06-30', 'draft');
    await insertReturn(a.commitment.id, '2026-07-01', '2026-09-30', 'rejected');
    await insertReturn(a.commitment.id, '2026-10-01', '2027-03-31', 'approved');
    const b = await setUp({ startDate: '2026-02-15', dueDate: '2026-08-31' });
    await insertReturn(b.commitment.id, '2026-04-01', '2026-04-30', 'submitted');
    const closed = await makeContract({ supplierId: b.supplier.id, startDate: '2025-04-01', status: 'completed' });
    await makeCommitment(closed.id, b.measure.id);
    for (const period of REPORTING_PERIODS) {
      for (const today of ['2025-06-01', '2026-01-15', '2026-07-15', '2027-05-01', '2028-12-31']) {
        const all = await dueReturns(getDb(), { today, period, limit: Number.POSITIVE_INFINITY });
        const overdue = all.items.filter((r) => r.state === 'overdue').map(({ draftId: _draft, ...r }) => r);
        for (const listed of [1, 10, 1000]) {
          expect(await overdueReturns(getDb(), { today, period, listed }), `${period} ${today} ${listed}`).toEqual({ count: overdue.length, items: overdue.slice(0, listed) });
        }
      }
    }
  });
});
