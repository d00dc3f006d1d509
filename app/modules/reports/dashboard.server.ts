import type { DbOrTx } from '#db/client';
import { dueReturns } from '~/modules/returns/due-returns.server';
import { getReportingPeriod } from '~/modules/settings/settings.server';
import { breakdown, DIMENSIONS, plain, totalsOf, type Dimension, type PlainBreakdownRow, type Totals } from './breakdowns';
import { commitmentPeriodFigures } from './period-figures.server';
import { cached } from './report-cache.server';
import type { ReportPeriod } from './period';

// The officer dashboard: the chosen period's totals and each breakdown, plus
// the returns waiting for review and the returns overdue today.

/** Overdue returns listed by name on the dashboard (the count covers them all). */
export const OVERDUE_LISTED = 10;

export interface OverdueReturn {
  contractId: string;
  contractReference: string;
  measure: string;
  period: string;
  dueDate: string;
}

export interface Dashboard {
  totals: Totals;
  breakdowns: Record<Dimension, PlainBreakdownRow[]>;
  returnsWaiting: number;
  overdue: { count: number; items: OverdueReturn[] };
}

/** The period's totals and breakdowns (shared by the dashboard, its CSVs and the annual report); cached (report-cache.server.ts). */
export function periodBreakdowns(db: DbOrTx, period: Pick<ReportPeriod, 'start' | 'end'>): Promise<{ totals: Totals; breakdowns: Record<Dimension, PlainBreakdownRow[]> }> {
  return cached(db, `breakdowns:${period.start}:${period.end}`, async () => {
    const rows = await commitmentPeriodFigures(db, period);
    const breakdowns = Object.fromEntries(DIMENSIONS.map((d) => [d, plain(breakdown(rows, d))])) as Record<Dimension, PlainBreakdownRow[]>;
    return { totals: totalsOf(rows), breakdowns };
  });
}

/** Returns waiting for an officer's decision now (submitted), whatever the period. */
export async function countReturnsWaiting(db: DbOrTx): Promise<number> {
  const row = await db.selectFrom('progress_return').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'submitted').executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Returns overdue today on active contracts (docs/returns.md), most overdue first. */
export function overdueReturns(db: DbOrTx, today: string): Promise<{ count: number; items: OverdueReturn[] }> {
  return cached(db, `overdue:${today}`, () => computeOverdue(db, today));
}

async function computeOverdue(db: DbOrTx, today: string): Promise<{ count: number; items: OverdueReturn[] }> {
  const period = await getReportingPeriod(db);
  const { items } = await dueReturns(db, { today, period, limit: Number.POSITIVE_INFINITY });
  const overdue = items.filter((r) => r.state === 'overdue');
  return {
    count: overdue.length,
    items: overdue.slice(0, OVERDUE_LISTED).map((r) => ({
      contractId: r.contractId, contractReference: r.contractReference, measure: `${r.measureCode}: ${r.measureTitle}`, period: r.period.label, dueDate: r.dueDate,
    })),
  };
}

export async function loadDashboard(db: DbOrTx, period: Pick<ReportPeriod, 'start' | 'end'>, today: string): Promise<Dashboard> {
  const [{ totals, breakdowns }, returnsWaiting, overdue] = await Promise.all([periodBreakdowns(db, period), countReturnsWaiting(db), overdueReturns(db, today)]);
  return { totals, breakdowns, returnsWaiting, overdue };
}
