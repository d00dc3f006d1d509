// Reporting periods, aligned with the UK financial year (1 April to 31 March).
// Pure: dates are YYYY-MM-DD strings, worked out in UTC to avoid clock changes.
export type ReportingPeriod = 'monthly' | 'quarterly' | 'half-yearly' | 'annual';

export const REPORTING_PERIODS: readonly ReportingPeriod[] = ['monthly', 'quarterly', 'half-yearly', 'annual'];
export const REPORTING_PERIOD_LABELS: Record<ReportingPeriod, string> = {
  monthly: 'Monthly',
  quarterly: 'Quarterly (April–June, July–September, October–December, January–March)',
  'half-yearly': 'Half-yearly (April–September, October–March)',
  annual: 'Yearly (April–March)',
};
export const DEFAULT_REPORTING_PERIOD: ReportingPeriod = 'quarterly';

/** A period's return is due this many days after the period ends. */
export const RETURN_GRACE_DAYS = 14;
/** A return is "due soon" from this many days before its due date. */
export const DUE_SOON_DAYS = 14;

export interface Period {
  start: string;
  end: string;
  /** e.g. "Jul to Sep 2026" */
  label: string;
}

const MONTHS_IN: Record<ReportingPeriod, number> = { monthly: 1, quarterly: 3, 'half-yearly': 6, annual: 12 };
const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const iso = (d: Date) => d.toISOString().slice(0, 10);
const parse = (date: string) => new Date(`${date}T00:00:00Z`);

export function addDays(date: string, days: number): string {
  const d = parse(date);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d);
}

/** Months since April of year 0, so that periods count from 1 April. */
function fiscalMonthIndex(date: string): number {
  const d = parse(date);
  return d.getUTCFullYear() * 12 + d.getUTCMonth() - 3;
}

function periodFromIndex(kind: ReportingPeriod, firstMonth: number): Period {
  const length = MONTHS_IN[kind];
  const startMonth = firstMonth + 3;
  const start = new Date(Date.UTC(Math.floor(startMonth / 12), startMonth % 12, 1));
  const end = new Date(Date.UTC(Math.floor((startMonth + length) / 12), (startMonth + length) % 12, 0));
  const from = `${SHORT_MONTHS[start.getUTCMonth()]}${start.getUTCFullYear() !== end.getUTCFullYear() ? ` ${start.getUTCFullYear()}` : ''}`;
  const to = `${SHORT_MONTHS[end.getUTCMonth()]} ${end.getUTCFullYear()}`;
  return { start: iso(start), end: iso(end), label: length === 1 ? to : `${from} to ${to}` };
}

export function periodContaining(kind: ReportingPeriod, date: string): Period {
  const length = MONTHS_IN[kind];
  const index = fiscalMonthIndex(date);
  return periodFromIndex(kind, index - (((index % length) + length) % length));
}

/** Every period that overlaps the dates from `from` to `to`, oldest first. */
export function periodsBetween(kind: ReportingPeriod, from: string, to: string): Period[] {
  if (to < from) return [];
  const periods: Period[] = [];
  let period = periodContaining(kind, from);
  while (period.start <= to) {
    periods.push(period);
    period = periodContaining(kind, addDays(period.end, 1));
  }
  return periods;
}

/** The date a period's return is due. */
export function returnDueDate(period: Pick<Period, 'end'>): string {
  return addDays(period.end, RETURN_GRACE_DAYS);
}
