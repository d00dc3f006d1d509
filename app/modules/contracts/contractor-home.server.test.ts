import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeCommitment, makeContract, makeMeasure, makeOrganisation, makeUser } from '../../../tests/support/factories';
import { makeCommitmentWithSubstitution } from '../../../tests/support/factories-credits';
import { cookieFor, makeRequest, run } from '../../../tests/support/requests';
import { loader as contractLoader } from '~/routes/contracts.$contractId._index';
import { loader as homeLoader } from '~/routes/_index';
import { contractorHome } from './contractor-home.server';

describe('the contractor’s home page', () => {
  it('shows only their organisation’s active contracts, with the same figures as the contract page', async () => {
    const supplier = await makeOrganisation('supplier');
    const other = await makeOrganisation('supplier');
    const measure = await makeMeasure({ unit: 'FTE', proxyPence: 1_503 });
    const live = await makeContract({ supplierId: supplier.id, startDate: '2020-01-01', endDate: '2040-12-31' });
    await makeContract({ supplierId: supplier.id, status: 'terminated' });
    const theirs = await makeContract({ supplierId: other.id, startDate: '2020-01-01', endDate: '2040-12-31' });
    await makeCommitmentWithSubstitution(live.id, measure.id, { targetMilli: 333, deliveredMilli: 111, substitutedMilli: 111, dueDate: '2040-01-01' });
    await makeCommitment(live.id, measure.id, { targetMilli: 1000, deliveredMilli: 0, dueDate: '2021-01-01' });
    await makeCommitment(theirs.id, measure.id, { targetMilli: 1000, dueDate: '2021-01-01' });
    const contractor = await makeUser('contractor', { organisationId: supplier.id });
    const cookie = await cookieFor(contractor.id);

    const home = await run(homeLoader, makeRequest('/', { cookie }));
    const data = (home.data as { contractor: Awaited<ReturnType<typeof contractorHome>> }).contractor;
    expect(data.activeContracts).toBe(1);
    expect(data.contracts.map((c) => c.id)).toEqual([live.id]);
    expect(data.dueNext.map((c) => c.contractId)).toEqual([live.id]);
    expect(data.flagged.map((c) => [c.contractId, c.status])).toEqual([[live.id, 'overdue']]);

    const page = await run(contractLoader, makeRequest(`/contracts/${live.id}`, { cookie }), { contractId: live.id });
    const { commitments, totals } = page.data as { commitments: Array<{ id: string }>; totals: { committed: string; delivered: string; remaining: string } };
    expect(data.contracts[0]).toMatchObject({ committed: totals.committed, delivered: totals.delivered, remaining: totals.remaining });
    // 333 × £15.03 ÷ 1000 = £5.00 (£5.00499 rounded); 1 × £15.03; delivered and substituted 111 × £15.03 ÷ 1000 = £1.67 each.
    expect(totals).toMatchObject({ committed: '£20.03', delivered: '£1.67', remaining: '£16.69' });
    for (const item of [...data.dueNext, ...data.flagged]) expect(commitments).toContainEqual(item);
  });

  it('is not computed for anyone else', async () => {
    for (const role of ['officer', 'vcse'] as const) {
      const user = await makeUser(role);
      const home = await run(homeLoader, makeRequest('/', { cookie: await cookieFor(user.id) }));
      expect((home.data as { contractor: unknown }).contractor).toBeNull();
    }
    expect((await run(homeLoader, makeRequest('/'))).data).toMatchObject({ contractor: null });
  });

  it('has nothing to show for a supplier without contracts', async () => {
    const supplier = await makeOrganisation('supplier');
    expect(await contractorHome(getDb(), { role: 'contractor', organisationId: supplier.id })).toEqual({ returnsDue: { items: [], total: 0 }, activeContracts: 0, contracts: [], dueNext: [], flagged: [], needs: [] });
  });
});
