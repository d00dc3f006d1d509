import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { commitmentStatus } from '~/modules/contracts/commitment-status';
import { londonToday } from '~/modules/contracts/dates';
import { loadEnv } from '~/utils/env.server';
import { DEMO_CONTRACTS, DEMO_CONTRACTS_ANCHOR } from './demo-contracts';
import { seedDemo } from './demo';

async function statuses(today: string) {
  const rows = await getDb()
    .selectFrom('commitment')
    .innerJoin('contract', 'contract.id', 'commitment.contract_id')
    .innerJoin('organisation', 'organisation.id', 'contract.supplier_id')
    .innerJoin('measure', 'measure.id', 'commitment.measure_id')
    .innerJoin('user', 'user.id', 'contract.officer_id')
    .select([
      'contract.reference', 'contract.start_date', 'contract.end_date', 'organisation.name as supplier', 'user.email as officer', 'measure.code',
      'measure.proxy_value_pence as measureProxy', 'commitment.proxy_value_pence', 'commitment.target_milli', 'commitment.delivered_milli',
      'commitment.substituted_milli', 'commitment.due_date',
    ])
    .orderBy('contract.reference')
    .orderBy('commitment.due_date')
    .execute();
  return rows.map((r) => ({
    ...r,
    status: commitmentStatus({ targetMilli: r.target_milli, achievedMilli: r.delivered_milli + r.substituted_milli, startDate: r.start_date, dueDate: r.due_date, today }),
  }));
}

describe('demo contracts', () => {
  it('are seeded with the demo, by the demo officer, on the demo measures, and show every status today', async () => {
    const env = { ...loadEnv(), NODE_ENV: 'test' as const, DEMO_MODE: false };
    await seedDemo(getDb(), env);
    const rows = await statuses(londonToday());

    expect(new Set(rows.map((r) => r.reference))).toEqual(new Set(DEMO_CONTRACTS.map((c) => c.reference)));
    expect(rows).toHaveLength(DEMO_CONTRACTS.reduce((n, c) => n + c.commitments.length, 0));
    const seeded = DEMO_CONTRACTS.flatMap((c) => c.commitments.map((k) => `${c.reference} ${k.measure} ${k.status}`)).sort();
    expect(rows.map((r) => `${r.reference} ${r.code} ${r.status}`).sort()).toEqual(seeded);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['on_track', 'at_risk', 'behind', 'met', 'overdue']));
    expect(new Set(rows.filter((r) => r.supplier === 'Brightwater Construction Ltd').map((r) => r.reference)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(rows.map((r) => r.supplier)).size).toBe(3);
    for (const r of rows) {
      expect(r.officer).toBe('officer@demo.test');
      expect(r.proxy_value_pence).toBe(r.measureProxy);
      expect(Number.isInteger(r.target_milli) && Number.isInteger(r.delivered_milli)).toBe(true);
      expect(r.due_date >= r.start_date).toBe(true);
      expect(r.end_date >= r.start_date).toBe(true);
    }

    // Moved with the calendar: as on the anchor date, whatever day the seed ran.
    const shift = (Date.parse(londonToday()) - Date.parse(DEMO_CONTRACTS_ANCHOR)) / 86_400_000;
    const eastfield = rows.find((r) => r.reference === 'NBC-2025-014')!;
    expect((Date.parse(eastfield.start_date) - Date.parse('2025-06-02')) / 86_400_000).toBe(shift);
  });
});
