import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { contractTotals } from '~/modules/contracts/contract-figures.server';
import { valueOfQuantity } from '~/modules/contracts/figures';
import { makeCommitment, makeContract, makeMeasure, makeReturn, makeWard } from '../../../tests/support/factories';
import { makeReportWorld } from '../../../tests/support/factories-reports';
import { loadDashboard, periodBreakdowns } from './dashboard.server';
import { reportPeriod, type ReportPeriod } from './period';
import { breakdown, DIMENSIONS, plain, totalsOf } from './breakdowns';
import { ALL_TIME, commitmentPeriodFigures, periodBreakdownRows, publicBreakdowns } from './period-figures.server';

// Agreement: every figure equals an independent sum written here, in different
// SQL (no CTEs, no SQL rounding: JS BigInt rounding per commitment), over a
// random but reproducible world.

const SEED = Number(process.env.REPORTS_SEED ?? 20261125);

interface Expected { committed: number; delivered: number; substituted: number; remaining: number; commitments: number }

async function independent(period: Pick<ReportPeriod, 'start' | 'end'>, groupBy: 'theme' | 'ward' | 'supplier' | 'contract' | 'measure' | 'all') {
  const db = getDb();
  const commitments = await sql<{ id: string; target: number; proxy: number; theme: string; ward: string | null; supplier: string; contract: string; measure: string }>`
    SELECT commitment.id, commitment.target_milli AS target, commitment.proxy_value_pence AS proxy, measure.theme AS theme,
           commitment.ward_id AS ward, contract.supplier_id AS supplier, contract.id AS contract, measure.id AS measure
    FROM contract, commitment, measure
    WHERE commitment.contract_id = contract.id AND measure.id = commitment.measure_id
      AND NOT (contract.end_date < ${period.start} OR contract.start_date > ${period.end})`.execute(db);
  const sumBy = async (query: ReturnType<typeof sql<{ id: string; q: number }>>) => new Map((await query.execute(db)).rows.map((r) => [r.id, Number(r.q)]));
  const deliveredIn = await sumBy(sql`SELECT commitment_id AS id, total(approved_quantity_milli) AS q FROM progress_return WHERE status = 'approved' AND period_end BETWEEN ${period.start} AND ${period.end} GROUP BY 1`);
  const deliveredTo = await sumBy(sql`SELECT commitment_id AS id, total(approved_quantity_milli) AS q FROM progress_return WHERE status = 'approved' AND period_end <= ${period.end} GROUP BY 1`);
  // Substituted £ is the ledger's: postings on each commitment's 'substituted' account, by booking date.
  const ledgerIn = await sumBy(sql`SELECT a.commitment_id AS id, total(p.amount_pence) AS q FROM ledger_posting p, ledger_account a, ledger_transaction t
    WHERE a.id = p.account_id AND t.id = p.transaction_id AND a.kind = 'substituted' AND date(t.booked_at) BETWEEN ${period.start} AND ${period.end} GROUP BY 1`);
  const ledgerTo = await sumBy(sql`SELECT a.commitment_id AS id, total(p.amount_pence) AS q FROM ledger_posting p, ledger_account a, ledger_transaction t
    WHERE a.id = p.account_id AND t.id = p.transaction_id AND a.kind = 'substituted' AND date(t.booked_at) <= ${period.end} GROUP BY 1`);
  const out = new Map<string, Expected>();
  for (const c of commitments.rows) {
    const key = groupBy === 'all' ? 'all' : (c[groupBy] ?? '');
    const e = out.get(key) ?? { committed: 0, delivered: 0, substituted: 0, remaining: 0, commitments: 0 };
    const committed = valueOfQuantity(c.target, c.proxy);
    e.commitments += 1;
    e.committed += committed;
    e.delivered += valueOfQuantity(deliveredIn.get(c.id) ?? 0, c.proxy);
    e.substituted += ledgerIn.get(c.id) ?? 0;
    e.remaining += Math.max(0, committed - valueOfQuantity(deliveredTo.get(c.id) ?? 0, c.proxy) - (ledgerTo.get(c.id) ?? 0));
    out.set(key, e);
  }
  return out;
}

const PERIODS = [reportPeriod(2025), reportPeriod(2026), reportPeriod(2026, 1), reportPeriod(2026, 3), reportPeriod(2026, 4), reportPeriod(2027), ALL_TIME];

describe('dashboard figures agree with independent sums over approved returns and swaps', () => {
  beforeAll(async () => {
    await makeReportWorld(SEED, { suppliers: 5, contracts: 12 });
    await makeReportWorld(SEED + 7, { suppliers: 3, contracts: 8 });
  }, 60_000);

  it.each(PERIODS.map((p) => [`${p.start} to ${p.end}`, p] as const))('totals and every breakdown for %s', async (_name, period) => {
    const { totals, breakdowns } = await periodBreakdowns(getDb(), period);
    const all = (await independent(period, 'all')).get('all') ?? { committed: 0, delivered: 0, substituted: 0, remaining: 0, commitments: 0 };
    expect(totals).toEqual({ commitments: all.commitments, committedPence: all.committed, deliveredPence: all.delivered, substitutedPence: all.substituted, remainingPence: all.remaining });
    for (const dimension of ['theme', 'ward', 'supplier', 'contract', 'measure'] as const) {
      const expected = await independent(period, dimension);
      const actual = new Map(breakdowns[dimension].map((row) => [row.key, {
        committed: row.committedPence, delivered: row.deliveredPence, substituted: row.substitutedPence, remaining: row.remainingPence, commitments: row.commitments,
      }]));
      expect(actual, dimension).toEqual(expected);
    }
  });

  it.each(PERIODS.map((p) => [`${p.start} to ${p.end}`, p] as const))('the SQL breakdowns equal the per-commitment rows aggregated in JavaScript, %s', async (_name, period) => {
    const rows = await commitmentPeriodFigures(getDb(), period);
    const grouped = await periodBreakdownRows(getDb(), period);
    expect(grouped.totals).toEqual(totalsOf(rows));
    for (const dimension of DIMENSIONS) expect(grouped.breakdowns[dimension], dimension).toEqual(plain(breakdown(rows, dimension)));
    // The public page's theme and ward rows, with each supplier's share.
    const shares = await publicBreakdowns(getDb(), period);
    expect(shares.theme).toEqual(breakdown(rows, 'theme'));
    expect(shares.ward).toEqual(breakdown(rows, 'ward'));
  });

  it('the world is rich enough to mean something', async () => {
    const { totals } = await periodBreakdowns(getDb(), reportPeriod(2026));
    expect(totals.commitments).toBeGreaterThan(20);
    expect(totals.deliveredPence).toBeGreaterThan(0);
    expect(totals.substitutedPence).toBeGreaterThan(0);
    expect(totals.remainingPence).toBeGreaterThan(0);
  });

  it('over all time, each contract’s figures equal the contract page’s (delivered = approved returns)', async () => {
    const { breakdowns } = await periodBreakdowns(getDb(), ALL_TIME);
    const pages = await contractTotals(getDb(), breakdowns.contract.map((r) => r.key));
    for (const row of breakdowns.contract) {
      const page = pages.get(row.key)!;
      expect({ ...row, label: undefined, href: undefined, key: undefined }).toMatchObject({
        committedPence: page.committedPence, deliveredPence: page.deliveredPence, substitutedPence: page.substitutedPence, remainingPence: page.remainingPence, commitments: page.commitments,
      });
    }
  });
});

describe('dashboard on known data', () => {
  it('counts a return in the period its period ends in, and leaves a contract out of a period it was not in force', async () => {
    const ward = await makeWard();
    const measure = await makeMeasure({ theme: 'Known theme', unit: 'FTE', proxyPence: 3_333 });
    const contract = await makeContract({ startDate: '2026-04-01', endDate: '2027-03-31' });
    const later = await makeContract({ startDate: '2027-04-01', endDate: '2028-03-31' });
    const cm = await makeCommitment(contract.id, measure.id, { targetMilli: 10_000, wardId: ward.id, deliveredMilli: 1_500 });
    await makeCommitment(later.id, measure.id, { targetMilli: 5_000 });
    const approved = await makeReturn(cm.id, { status: 'approved', periodStart: '2026-07-01', periodEnd: '2026-09-30', quantityMilli: 1_500 });
    await getDb().updateTable('progress_return').set({ approved_quantity_milli: 1_500 }).where('id', '=', approved.id).execute();
    await makeReturn(cm.id, { status: 'submitted', periodStart: '2026-10-01', periodEnd: '2026-12-31', quantityMilli: 2_000 });

    const q2 = await periodBreakdowns(getDb(), reportPeriod(2026, 2));
    const theme = q2.breakdowns.theme.find((r) => r.key === 'Known theme')!;
    // 10 FTE × £33.33 = £333.30 committed; 1.5 FTE × £33.33 = £49.995 → £50.00 delivered (half up); remaining £283.30.
    expect(theme).toMatchObject({ commitments: 1, committedPence: 33_330, deliveredPence: 5_000, substitutedPence: 0, remainingPence: 28_330, href: '/contracts?theme=Known%20theme' });
    const measureRow = q2.breakdowns.measure.find((r) => r.key === measure.id)!;
    expect(measureRow).toMatchObject({ unit: 'FTE', targetMilli: 10_000, deliveredMilli: 1_500, remainingMilli: 8_500 });
    expect(q2.breakdowns.ward.find((r) => r.key === ward.id)).toMatchObject({ label: ward.name, href: `/contracts?ward=${ward.id}` });
    // Q1 holds nothing delivered, but the whole commitment is remaining.
    const q1 = await periodBreakdowns(getDb(), reportPeriod(2026, 1));
    expect(q1.breakdowns.theme.find((r) => r.key === 'Known theme')).toMatchObject({ deliveredPence: 0, remainingPence: 33_330 });
    // 2027/28: only the later contract is in force.
    const next = await periodBreakdowns(getDb(), reportPeriod(2027));
    expect(next.breakdowns.contract.map((r) => r.key)).toContain(later.id);
    expect(next.breakdowns.contract.map((r) => r.key)).not.toContain(contract.id);

    const dashboard = await loadDashboard(getDb(), reportPeriod(2026, 2), '2026-11-25');
    expect(dashboard.returnsWaiting).toBeGreaterThanOrEqual(1);
    expect(dashboard.overdue.count).toBeGreaterThanOrEqual(1);
    expect(dashboard.overdue.items.length).toBeLessThanOrEqual(10);
  });
});

describe('cached figures', () => {
  it('are recomputed as soon as a return is added or anything is audited', async () => {
    const measure = await makeMeasure({ theme: 'Cache theme', proxyPence: 1000 });
    const contract = await makeContract({ startDate: '2026-04-01', endDate: '2027-03-31' });
    const cm = await makeCommitment(contract.id, measure.id, { targetMilli: 10_000 });
    const theme = async () => (await periodBreakdowns(getDb(), reportPeriod(2026))).breakdowns.theme.find((r) => r.key === 'Cache theme');
    expect(await theme()).toMatchObject({ deliveredPence: 0 });
    const r = await makeReturn(cm.id, { status: 'submitted', periodStart: '2026-04-01', periodEnd: '2026-06-30', quantityMilli: 2_000 });
    expect(await theme()).toMatchObject({ deliveredPence: 0 });
    // An approval changes a row without adding one; the audit event that goes with it moves the mark.
    await getDb().updateTable('progress_return').set({ status: 'approved', approved_quantity_milli: 2_000 }).where('id', '=', r.id).execute();
    await getDb().insertInto('audit_event').values({ occurred_at: new Date().toISOString(), action: 'return.approved', subject_type: 'progress_return', subject_id: r.id, actor_user_id: null, actor_organisation_id: null, before_json: null, after_json: null, request_id: null }).execute();
    expect(await theme()).toMatchObject({ deliveredPence: 2_000 });
  });
});

