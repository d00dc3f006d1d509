import type { DbOrTx } from '#db/client';
import { approvedClaimsAndSwaps, ledgerSummary, needsMet, publishedStories } from './activity.server';
import { periodBreakdowns } from './dashboard.server';
import { reportPeriod } from './period';
import { cached } from './report-cache.server';

// The annual impact report for one financial year: the dashboard's figures for
// the year, credits and swaps, wishlist needs met and the year's stories.
export function annualReport(db: DbOrTx, year: number) {
  return cached(db, `annual:${year}`, () => computeAnnualReport(db, year));
}

async function computeAnnualReport(db: DbOrTx, year: number) {
  const period = reportPeriod(year);
  const [{ totals, breakdowns }, ledger, decisions, needs, stories] = await Promise.all([
    periodBreakdowns(db, period), ledgerSummary(db, period), approvedClaimsAndSwaps(db, period), needsMet(db, period), publishedStories(db, period),
  ]);
  const { bySupplier: _bySupplier, ...needsFigures } = needs;
  return { period, totals, breakdowns, ledger, decisions, needs: needsFigures, stories };
}

/** Years that have a report: from the earliest contract's start to the current year, newest first. */
export async function reportYears(db: DbOrTx, currentYear: number): Promise<number[]> {
  const row = await db.selectFrom('contract').select((eb) => eb.fn.min('start_date').as('first')).executeTakeFirst();
  const first = row?.first ? Number(String(row.first).slice(0, 4)) - (Number(String(row.first).slice(5, 7)) < 4 ? 1 : 0) : currentYear;
  const years: number[] = [];
  for (let y = currentYear; y >= Math.max(first, currentYear - 20); y -= 1) years.push(y);
  return years;
}
