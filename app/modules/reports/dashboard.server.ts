import type { DbOrTx } from '#db/client';
import { overdueReturns as overdueReturnsToday } from '~/modules/returns/due-returns.server';
import { getReportingPeriod } from '~/modules/settings/settings.server';
import type { Dimension, PlainBreakdownRow, Totals } from './breakdowns';
import { periodBreakdownRows } from './period-figures.server';
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
  return cached(db, `breakdowns:${period.start}:${period.end}`, () => periodBreakdownRows(db, period));
}

/** Returns waiting for an officer's decision now (submitted), whatever the period. */
export async function countReturnsWaiting(db: DbOrTx): Promise<number> {
  const row = await db.selectFrom('progress_return').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'submitted').executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Returns overdue today on active contracts (docs/returns.md), the most overdue first: counted in SQL (due-returns.server.ts); cached. */
export function overdueReturns(db: DbOrTx, today: string): Promise<{ count: number; items: OverdueReturn[] }> {
  return cached(db, `overdue:${today}`, () => computeOverdue(db, today));
}

async function computeOverdue(db: DbOrTx, today: string): Promise<{ count: number; items: OverdueReturn[] }> {
  const period = await getReportingPeriod(db);
  const { count, items } = await overdueReturnsToday(db, { today, period, listed: OVERDUE_LISTED });
  return {
    count,
    items: items.map((r) => ({
      contractId: r.contractId, contractReference: r.contractReference, measure: `${r.measureCode}: ${r.measureTitle}`, period: r.period.label, dueDate: r.dueDate,
    })),
  };
}

export async function loadDashboard(db: DbOrTx, period: Pick<ReportPeriod, 'start' | 'end'>, today: string): Promise<Dashboard> {
  const [{ totals, breakdowns }, returnsWaiting, overdue] = await Promise.all([periodBreakdowns(db, period), countReturnsWaiting(db), overdueReturns(db, today)]);
  return { totals, breakdowns, returnsWaiting, overdue };
}
