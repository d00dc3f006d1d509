import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeCommitment, makeContract, makeMeasure, makeOrganisation, makeWard } from '../../../tests/support/factories';
import { makeItem, makePledge } from '../../../tests/support/factories-pledges';
import { contractorHome } from '~/modules/contracts/contractor-home.server';
import { needsYouCouldMeet } from './signposting.server';

const TODAY = '2026-11-25';

/**
 * A supplier whose contract (Jan 2025 to Dec 2027) has a Jobs commitment in its
 * ward that is behind (nothing delivered), an Environment one with no ward at
 * risk, and a Health one on track (which must not signpost anything).
 */
async function world() {
  const supplier = await makeOrganisation('supplier');
  const ward = await makeWard();
  const otherWard = await makeWard();
  const theme = (name: string) => `${name} ${ward.name}`;
  const [jobs, environment, health] = await Promise.all([
    makeMeasure({ theme: theme('Jobs') }), makeMeasure({ theme: theme('Environment') }), makeMeasure({ theme: theme('Health') }),
  ]);
  const contract = await makeContract({ supplierId: supplier.id, startDate: '2025-01-01', endDate: '2027-12-31' });
  await makeCommitment(contract.id, jobs.id, { targetMilli: 10_000, deliveredMilli: 0, dueDate: '2027-12-31', wardId: ward.id });
  // 63% of the time gone; 45% delivered: at risk.
  await makeCommitment(contract.id, environment.id, { targetMilli: 10_000, deliveredMilli: 4_500, dueDate: '2027-12-31' });
  await makeCommitment(contract.id, health.id, { targetMilli: 10_000, deliveredMilli: 9_000, dueDate: '2027-12-31' });
  const vcse = await makeOrganisation('vcse');
  return { supplier, ward, otherWard, contract, vcse, themes: { jobs: jobs.theme, environment: environment.theme, health: health.theme } };
}

describe('needs you could meet', () => {
  it('lists open items matching the flagged commitments, best matches first, with a reason; nothing else', async () => {
    const w = await world();
    const make = (title: string, theme: string, wardId: string | null, neededBy: string | null, status: 'published' | 'pledged' | 'draft' | 'fulfilled' = 'published') =>
      makeItem({ organisationId: w.vcse.id, title, theme, wardId, neededBy, status });
    await make('Ward only', w.themes.health, w.ward.id, '2026-12-10');
    await make('Jobs elsewhere', w.themes.jobs, w.otherWard.id, '2027-01-10');
    await make('Jobs here, later', w.themes.jobs, w.ward.id, '2027-06-01', 'pledged');
    await make('Jobs here, sooner', w.themes.jobs, w.ward.id, '2027-02-01');
    await make('Environment, undated', w.themes.environment, null, null);
    // Left out: on-track theme elsewhere, a draft, a fulfilled item, one past its needed-by date.
    await make('Health elsewhere', w.themes.health, w.otherWard.id, '2027-01-01');
    await make('Draft jobs', w.themes.jobs, w.ward.id, '2027-01-01', 'draft');
    await make('Fulfilled jobs', w.themes.jobs, w.ward.id, '2027-01-01', 'fulfilled');
    await make('Past jobs', w.themes.jobs, w.ward.id, '2026-11-24');

    const needs = await needsYouCouldMeet(getDb(), w.supplier.id, TODAY);
    expect(needs.map((n) => n.title)).toEqual(['Jobs here, sooner', 'Jobs here, later', 'Jobs elsewhere', 'Environment, undated', 'Ward only']);
    const ref = (await getDb().selectFrom('contract').select('reference').where('id', '=', w.contract.id).executeTakeFirstOrThrow()).reference;
    expect(needs[0]!.reason).toBe(`Matches your ${w.themes.jobs} commitment on ${ref}, which is behind, in ${w.ward.name}`);
    expect(needs[3]!.reason).toBe(`Matches your ${w.themes.environment} commitment on ${ref}, which is at risk`);
    expect(needs[4]!.reason).toBe(`In ${w.ward.name}, where your ${w.themes.jobs} commitment on ${ref} is behind`);
  });

  it('leaves out needs the supplier has already pledged to, unless that pledge was declined or withdrawn; at most five', async () => {
    const w = await world();
    const items = [];
    for (let i = 0; i < 7; i += 1) items.push(await makeItem({ organisationId: w.vcse.id, title: `Need ${i}`, theme: w.themes.jobs, wardId: w.ward.id, neededBy: `2027-0${i + 1}-01` }));
    await makePledge(items[0]!.id, w.supplier.id, { status: 'offered' });
    await makePledge(items[1]!.id, w.supplier.id, { status: 'declined' });
    await makePledge(items[2]!.id, (await makeOrganisation('supplier')).id, { status: 'accepted' });
    const needs = await needsYouCouldMeet(getDb(), w.supplier.id, TODAY);
    expect(needs.map((n) => n.title)).toEqual(['Need 1', 'Need 2', 'Need 3', 'Need 4', 'Need 5']);
  });

  it('is empty when no commitment is at risk, behind or overdue, and shows on the contractor’s home page', async () => {
    const supplier = await makeOrganisation('supplier');
    expect(await needsYouCouldMeet(getDb(), supplier.id, TODAY)).toEqual([]);
    const w = await world();
    await makeItem({ organisationId: w.vcse.id, title: 'On the home page', theme: w.themes.jobs, wardId: w.ward.id });
    const home = await contractorHome(getDb(), { role: 'contractor', organisationId: w.supplier.id }, TODAY);
    expect(home.needs.map((n) => n.title)).toEqual(['On the home page']);
  });
});
