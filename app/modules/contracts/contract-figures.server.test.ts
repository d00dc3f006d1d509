import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeCommitment, makeContract, makeMeasure, makeOrganisation, makeUser, makeWard } from '../../../tests/support/factories';
import { makeCommitmentWithSubstitution } from '../../../tests/support/factories-credits';
import { contractTotals, dueNext, flaggedCommitments, listCommitmentFigures, listContracts, scopeFor } from './contract-figures.server';

// The SQL figures checked against arithmetic done independently here, in BigInt:
// value = target × proxy / 1000, rounded half up (to the nearest penny, .5 up).
function expectedValue(milli: number, proxy: number): number {
  const product = BigInt(milli) * BigInt(proxy);
  const whole = product / 1000n;
  const rest = product % 1000n;
  return Number(rest >= 500n ? whole + 1n : whole);
}

describe('commitment figures', () => {
  it.each([
    // [target milli, proxy pence, delivered milli, substituted milli] → committed, delivered, substituted, remaining
    [{ t: 1, p: 499, d: 0, s: 0 }, { committed: 0, delivered: 0, substituted: 0, remaining: 0 }],
    [{ t: 1, p: 500, d: 0, s: 0 }, { committed: 1, delivered: 0, substituted: 0, remaining: 1 }],
    [{ t: 1500, p: 2_345_678, d: 500, s: 250 }, { committed: 3_518_517, delivered: 1_172_839, substituted: 586_420, remaining: 1_759_258 }],
    [{ t: 2000, p: 1_000_000, d: 3000, s: 0 }, { committed: 2_000_000, delivered: 3_000_000, substituted: 0, remaining: 0 }],
    [{ t: 333, p: 1_503, d: 111, s: 111 }, { committed: 500, delivered: 167, substituted: 167, remaining: 166 }],
  ])('%j', async ({ t, p, d, s }, expected) => {
    const contract = await makeContract();
    const measure = await makeMeasure({ proxyPence: p });
    await makeCommitmentWithSubstitution(contract.id, measure.id, { targetMilli: t, deliveredMilli: d, substitutedMilli: s });
    const [row] = await listCommitmentFigures(getDb(), contract.id, '2026-06-01');
    expect({ committed: row!.committedPence, delivered: row!.deliveredPence, substituted: row!.substitutedPence, remaining: row!.remainingPence }).toEqual(expected);
    const totals = (await contractTotals(getDb(), [contract.id])).get(contract.id)!;
    expect(totals).toEqual({ commitments: 1, committedPence: expected.committed, deliveredPence: expected.delivered, substitutedPence: expected.substituted, remainingPence: expected.remaining });
  });

  it('matches independent arithmetic for any commitments (totals are sums of rounded rows; remaining never below 0)', async () => {
    const measure = await makeMeasure();
    const commitmentArb = fc.record({
      target: fc.integer({ min: 1, max: 50_000_000 }),
      proxy: fc.integer({ min: 0, max: 100_000_000 }),
      delivered: fc.integer({ min: 0, max: 60_000_000 }),
      substituted: fc.integer({ min: 0, max: 20_000_000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(commitmentArb, { minLength: 1, maxLength: 8 }), async (items) => {
        const contract = await makeContract();
        for (const c of items) {
          await makeCommitmentWithSubstitution(contract.id, measure.id, { targetMilli: c.target, proxyPence: c.proxy, deliveredMilli: c.delivered, substitutedMilli: c.substituted });
        }
        const expected = items.map((c) => {
          const committed = expectedValue(c.target, c.proxy);
          const delivered = expectedValue(c.delivered, c.proxy);
          const substituted = expectedValue(c.substituted, c.proxy);
          return { committed, delivered, substituted, remaining: Math.max(0, committed - delivered - substituted) };
        });
        const sum = (k: keyof (typeof expected)[number]) => expected.reduce((acc, e) => acc + e[k], 0);
        const totals = (await contractTotals(getDb(), [contract.id])).get(contract.id)!;
        expect(totals).toEqual({
          commitments: items.length, committedPence: sum('committed'), deliveredPence: sum('delivered'),
          substitutedPence: sum('substituted'), remainingPence: sum('remaining'),
        });
        const rows = await listCommitmentFigures(getDb(), contract.id, '2026-06-01');
        const got = rows.map((r) => ({ committed: r.committedPence, delivered: r.deliveredPence, substituted: r.substitutedPence, remaining: r.remainingPence }));
        // Compare as multisets: rows come back in the database's order, and ties on some fields are common.
        const order = (a: (typeof got)[number], b: (typeof got)[number]) => a.committed - b.committed || a.delivered - b.delivered || a.substituted - b.substituted || a.remaining - b.remaining;
        expect(got.sort(order)).toEqual(expected.sort(order));
      }),
      { numRuns: 40 },
    );
  });

  it('gives each commitment its status from the rule in docs/commitment-status.md', async () => {
    const contract = await makeContract({ startDate: '2026-01-01', endDate: '2027-12-31' });
    const measure = await makeMeasure();
    await makeCommitment(contract.id, measure.id, { targetMilli: 1000, deliveredMilli: 1000, dueDate: '2026-12-31' });
    await makeCommitment(contract.id, measure.id, { targetMilli: 1000, deliveredMilli: 0, dueDate: '2026-02-01' });
    await makeCommitment(contract.id, measure.id, { targetMilli: 1000, deliveredMilli: 0, dueDate: '2027-01-01' });
    const rows = await listCommitmentFigures(getDb(), contract.id, '2026-07-02');
    expect(rows.map((r) => r.status)).toEqual(['overdue', 'met', 'behind']);
  });
});

describe('listContracts', () => {
  async function world() {
    const tag = Math.random().toString(36).slice(2, 8);
    const [supplierA, supplierB] = [await makeOrganisation('supplier', 'verified', `Alpha Build ${tag}`), await makeOrganisation('supplier', 'verified', `Beta Care ${tag}`)];
    const [officer1, officer2] = [await makeUser('officer'), await makeUser('admin')];
    const ward = await makeWard();
    const jobs = await makeMeasure({ theme: `Jobs ${Math.random()}` });
    const green = await makeMeasure({ theme: `Green ${Math.random()}` });
    const c1 = await makeContract({ supplierId: supplierA.id, officerId: officer1.id, reference: `${tag}-A1`, title: 'Road resurfacing', valuePence: 300, endDate: '2028-01-01' });
    const c2 = await makeContract({ supplierId: supplierA.id, officerId: officer2.id, reference: `${tag}-A2`, title: '100% recycled paper_supply', valuePence: 100, endDate: '2027-01-01', status: 'completed' });
    const c3 = await makeContract({ supplierId: supplierB.id, officerId: officer1.id, reference: `${tag}-B1`, title: 'Home care', valuePence: 200, endDate: '2029-01-01' });
    await makeCommitment(c1.id, jobs.id, { targetMilli: 1000, proxyPence: 1000, wardId: ward.id });
    await makeCommitment(c1.id, green.id, { targetMilli: 2000, proxyPence: 1000, deliveredMilli: 500 });
    await makeCommitment(c3.id, green.id, { targetMilli: 1000, proxyPence: 250 });
    return { supplierA, supplierB, officer1, officer2, ward, jobs, green, tag, c1, c2, c3 };
  }
  const staff = { supplierId: null };
  const refs = (r: { contracts: Array<{ reference: string }> }) => r.contracts.map((c) => c.reference);

  it('shows each contract with its totals from the same SQL as the contract page', async () => {
    const w = await world();
    const result = await listContracts(getDb(), staff, { q: w.tag });
    expect(result.total).toBe(3);
    const c1 = result.contracts.find((c) => c.id === w.c1.id)!;
    expect(c1.totals).toEqual({ commitments: 2, committedPence: 3000, deliveredPence: 500, substitutedPence: 0, remainingPence: 2500 });
    expect(result.contracts.find((c) => c.id === w.c2.id)!.totals.committedPence).toBe(0);
  });

  it('filters by supplier, officer, status, theme and ward, and searches reference or title', async () => {
    const w = await world();
    const q = w.tag;
    expect(refs(await listContracts(getDb(), staff, { q, supplier: w.supplierA.id }))).toEqual([`${q}-A1`, `${q}-A2`]);
    expect(refs(await listContracts(getDb(), staff, { q, officer: w.officer1.id }))).toEqual([`${q}-A1`, `${q}-B1`]);
    expect(refs(await listContracts(getDb(), staff, { q, status: 'completed' }))).toEqual([`${q}-A2`]);
    expect(refs(await listContracts(getDb(), staff, { theme: w.green.theme }))).toEqual([`${q}-A1`, `${q}-B1`]);
    expect(refs(await listContracts(getDb(), staff, { theme: w.jobs.theme }))).toEqual([`${q}-A1`]);
    expect(refs(await listContracts(getDb(), staff, { ward: w.ward.id }))).toEqual([`${q}-A1`]);
    expect(refs(await listContracts(getDb(), staff, { q: `${q}-b` }))).toEqual([`${q}-B1`]);
    expect(refs(await listContracts(getDb(), staff, { q: 'resurfacing', supplier: w.supplierA.id }))).toEqual([`${q}-A1`]);
  });

  it('treats % and _ in a search as plain characters, and SQL-looking text as text', async () => {
    const w = await world();
    expect(refs(await listContracts(getDb(), staff, { q: '100%', supplier: w.supplierA.id }))).toEqual([`${w.tag}-A2`]);
    expect(refs(await listContracts(getDb(), staff, { q: 'paper_supply', supplier: w.supplierA.id }))).toEqual([`${w.tag}-A2`]);
    expect((await listContracts(getDb(), staff, { q: '%' })).contracts.every((c) => c.title.includes('%') || c.reference.includes('%'))).toBe(true);
    expect((await listContracts(getDb(), staff, { q: "' OR 1=1 --" })).total).toBe(0);
  });

  it('sorts by each column both ways', async () => {
    const w = await world();
    const q = w.tag;
    expect(refs(await listContracts(getDb(), staff, { q, sort: 'value', order: 'desc' }))).toEqual([`${q}-A1`, `${q}-B1`, `${q}-A2`]);
    expect(refs(await listContracts(getDb(), staff, { q, sort: 'end-date' }))).toEqual([`${q}-A2`, `${q}-A1`, `${q}-B1`]);
    expect(refs(await listContracts(getDb(), staff, { q, sort: 'title' }))).toEqual([`${q}-A2`, `${q}-B1`, `${q}-A1`]);
    expect(refs(await listContracts(getDb(), staff, { q, sort: 'supplier', order: 'desc' }))).toEqual([`${q}-B1`, `${q}-A2`, `${q}-A1`]);
    expect(refs(await listContracts(getDb(), staff, { q, order: 'desc' }))).toEqual([`${q}-B1`, `${q}-A2`, `${q}-A1`]);
  });

  it('pages in SQL', async () => {
    const w = await world();
    const first = await listContracts(getDb(), staff, { q: w.tag }, 1, 2);
    const second = await listContracts(getDb(), staff, { q: w.tag }, 2, 2);
    expect(first.total).toBe(3);
    expect(refs(first)).toEqual([`${w.tag}-A1`, `${w.tag}-A2`]);
    expect(refs(second)).toEqual([`${w.tag}-B1`]);
  });

  it('scopes a contractor to their own organisation, whatever the filters say', async () => {
    const w = await world();
    const contractor = await makeUser('contractor', { organisationId: w.supplierB.id });
    const scope = scopeFor({ role: 'contractor', organisationId: contractor.organisationId });
    expect(refs(await listContracts(getDb(), scope, {}))).toEqual([`${w.tag}-B1`]);
    expect(refs(await listContracts(getDb(), scope, { supplier: w.supplierA.id }))).toEqual([`${w.tag}-B1`]);
    expect(scopeFor({ role: 'officer', organisationId: 'x' })).toEqual({ supplierId: null });
  });
});

describe('the contractor’s home figures', () => {
  it('lists what is due next (not met, not overdue) and what is at risk, behind or overdue, on active contracts only', async () => {
    const supplier = await makeOrganisation('supplier');
    const other = await makeOrganisation('supplier');
    const measure = await makeMeasure();
    const live = await makeContract({ supplierId: supplier.id, startDate: '2026-01-01', endDate: '2027-12-31' });
    const closed = await makeContract({ supplierId: supplier.id, status: 'completed', startDate: '2026-01-01' });
    const theirs = await makeContract({ supplierId: other.id, startDate: '2026-01-01' });
    const met = await makeCommitment(live.id, measure.id, { targetMilli: 1000, deliveredMilli: 1000, dueDate: '2026-08-01' });
    const overdue = await makeCommitment(live.id, measure.id, { targetMilli: 1000, dueDate: '2026-03-01' });
    const behind = await makeCommitment(live.id, measure.id, { targetMilli: 1000, dueDate: '2026-09-01' });
    const onTrack = await makeCommitment(live.id, measure.id, { targetMilli: 1000, deliveredMilli: 900, dueDate: '2026-10-01' });
    await makeCommitment(closed.id, measure.id, { targetMilli: 1000, dueDate: '2026-07-15' });
    await makeCommitment(theirs.id, measure.id, { targetMilli: 1000, dueDate: '2026-07-10' });
    const today = '2026-07-01';
    expect((await dueNext(getDb(), supplier.id, today)).map((r) => r.id)).toEqual([behind.id, onTrack.id]);
    const flagged = await flaggedCommitments(getDb(), supplier.id, today);
    expect(flagged.map((r) => [r.id, r.status])).toEqual([[overdue.id, 'overdue'], [behind.id, 'behind']]);
    expect(flagged.map((r) => r.id)).not.toContain(met.id);
  });
});
