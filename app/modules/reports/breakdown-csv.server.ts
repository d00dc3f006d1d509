import type { DbOrTx } from '#db/client';
import { milliToInput, penceToInput } from '~/modules/contracts/figures';
import { toCsv } from '~/utils/csv';
import { DIMENSION_LABELS, DIMENSIONS, type Dimension, type PlainBreakdownRow, type Totals } from './breakdowns';
import { periodBreakdowns } from './dashboard.server';
import type { ReportPeriod } from './period';

// One breakdown of the dashboard as CSV, for the same period and with the same
// figures (pounds with two decimals; quantities in the measure's unit).

export function parseDimension(value: string | null): Dimension | null {
  return (DIMENSIONS as readonly string[]).includes(value ?? '') ? (value as Dimension) : null;
}

export function breakdownCsvFileName(dimension: Dimension, period: Pick<ReportPeriod, 'year' | 'quarter'>): string {
  return `social-value-by-${dimension}-${period.year}-${String((period.year + 1) % 100).padStart(2, '0')}${period.quarter ? `-q${period.quarter}` : ''}.csv`;
}

export function breakdownCsvText(dimension: Dimension, rows: readonly PlainBreakdownRow[], totals: Totals, period: Pick<ReportPeriod, 'start' | 'end'>): string {
  const measure = dimension === 'measure';
  const header = [
    DIMENSION_LABELS[dimension].singular.toLowerCase(), 'id',
    ...(measure ? ['unit', 'target_quantity', 'delivered_quantity', 'substituted_quantity', 'remaining_quantity'] : []),
    'commitments', 'committed_gbp', 'delivered_gbp', 'substituted_gbp', 'remaining_gbp', 'period_start', 'period_end',
  ];
  const money = (t: Totals) => [t.commitments, penceToInput(t.committedPence), penceToInput(t.deliveredPence), penceToInput(t.substitutedPence), penceToInput(t.remainingPence)];
  const body = rows.map((r) => [
    r.label, r.key,
    ...(measure ? [r.unit ?? '', milliToInput(r.targetMilli ?? 0), milliToInput(r.deliveredMilli ?? 0), milliToInput(r.substitutedMilli ?? 0), milliToInput(r.remainingMilli ?? 0)] : []),
    ...money(r), period.start, period.end,
  ]);
  const total = ['Total', '', ...(measure ? ['', '', '', '', ''] : []), ...money(totals), period.start, period.end];
  return toCsv(header, [...body, total]);
}

export async function breakdownCsv(db: DbOrTx, dimension: Dimension, period: ReportPeriod): Promise<string> {
  const { totals, breakdowns } = await periodBreakdowns(db, period);
  return breakdownCsvText(dimension, breakdowns[dimension], totals, period);
}
