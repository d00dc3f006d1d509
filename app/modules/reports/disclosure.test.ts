import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breakdown, type CommitmentPeriodFigures } from './breakdowns';
import { disclose, passes } from './disclosure';

const figures = (supplierId: string, theme: string, committedPence: number, deliveredPence = 0): CommitmentPeriodFigures => ({
  commitmentId: `${supplierId}-${theme}-${committedPence}-${Math.random()}`, contractId: `c-${supplierId}`, contractReference: 'R', contractTitle: 'T', supplierId, supplierName: `Name ${supplierId}`,
  measureId: 'm', measureCode: 'M', measureTitle: 'Measure', unit: 'FTE', theme, wardId: null, wardName: null,
  targetMilli: 1000, deliveredMilli: 0, substitutedMilli: 0, remainingMilli: 1000,
  committedPence, deliveredPence, substitutedPence: 0, remainingPence: committedPence - deliveredPence,
});

describe('public disclosure rule', () => {
  it('needs three suppliers and none above 80% of committed or delivered value', () => {
    const m = (entries: Array<[string, number]>) => new Map(entries);
    expect(passes({ committed: m([['a', 10], ['b', 10]]), delivered: m([]) })).toBe(false);
    expect(passes({ committed: m([['a', 10], ['b', 10], ['c', 10]]), delivered: m([]) })).toBe(true);
    expect(passes({ committed: m([['a', 81], ['b', 10], ['c', 9]]), delivered: m([]) })).toBe(false);
    expect(passes({ committed: m([['a', 80], ['b', 10], ['c', 10]]), delivered: m([]) })).toBe(true);
    expect(passes({ committed: m([['a', 34], ['b', 33], ['c', 33]]), delivered: m([['a', 90], ['b', 5], ['c', 5]]) })).toBe(false);
  });

  it('merges failing rows into Other, and grows Other until it passes, so no hidden row can be derived from the total', () => {
    const rows = breakdown([
      figures('a', 'Jobs', 1000), figures('b', 'Jobs', 1000), figures('c', 'Jobs', 1000),
      figures('a', 'Skills', 900), figures('b', 'Skills', 900), figures('c', 'Skills', 900),
      figures('d', 'Environment', 5000), // one supplier only
    ], 'theme');
    const result = disclose(rows, 'Other themes');
    expect(result.publishable).toBe(true);
    // Environment fails alone; merged with the smallest passing row (Skills) "Other" has four suppliers, but d holds 5000/7700 = 65%: passes.
    expect(result.rows.map((r) => r.label)).toEqual(['Jobs', 'Other themes']);
    expect(result.rows[1]).toMatchObject({ merged: 2, committedPence: 7700 });
    expect(result.totals!.committedPence).toBe(10_700);
  });

  it('publishes nothing when the whole comes from too few suppliers', () => {
    const rows = breakdown([figures('a', 'Jobs', 1000), figures('b', 'Skills', 1000)], 'theme');
    expect(disclose(rows, 'Other')).toEqual({ publishable: false, rows: [], totals: null });
  });

  it('always: every published row and Other pass, and the rows add up to the total', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ s: fc.constantFrom('a', 'b', 'c', 'd', 'e'), t: fc.constantFrom('T1', 'T2', 'T3', 'T4', 'T5', 'T6'), v: fc.integer({ min: 0, max: 100_000 }), d: fc.integer({ min: 0, max: 100 }) }), { maxLength: 40 }),
      (items) => {
        const rows = breakdown(items.map((i) => figures(i.s, i.t, i.v, Math.floor((i.v * i.d) / 100))), 'theme');
        const result = disclose(rows, 'Other');
        if (!result.publishable) return;
        const byLabel = new Map(rows.map((r) => [r.label, r]));
        for (const r of result.rows) {
          if (r.key === 'other') continue;
          const source = byLabel.get(r.label)!;
          expect(passes({ committed: source.supplierCommitted, delivered: source.supplierDelivered })).toBe(true);
        }
        expect(result.rows.reduce((a, r) => a + r.committedPence, 0)).toBe(result.totals!.committedPence);
        expect(result.rows.reduce((a, r) => a + r.deliveredPence, 0)).toBe(result.totals!.deliveredPence);
        // "Other" is a single row that passes the rule too (rebuilt from the hidden rows).
        const hidden = rows.filter((r) => !result.rows.some((p) => p.key !== 'other' && p.label === r.label));
        if (hidden.length > 0) {
          const committed = new Map<string, number>();
          const delivered = new Map<string, number>();
          for (const h of hidden) {
            for (const [k, v] of h.supplierCommitted) committed.set(k, (committed.get(k) ?? 0) + v);
            for (const [k, v] of h.supplierDelivered) delivered.set(k, (delivered.get(k) ?? 0) + v);
          }
          expect(passes({ committed, delivered })).toBe(true);
        }
      },
    ));
  });
});
