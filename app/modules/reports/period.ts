// The periods reports are chosen by: a UK financial year (1 April to 31 March)
// or one quarter of it. Pure: dates are YYYY-MM-DD strings, no clock.
// Definitions: docs/reporting.md.

export type Quarter = 1 | 2 | 3 | 4;

export interface ReportPeriod {
  /** The financial year's first calendar year: 2026 is April 2026 to March 2027. */
  year: number;
  quarter: Quarter | null;
  /** First day, YYYY-MM-DD. */
  start: string;
  /** Last day, YYYY-MM-DD (inclusive). */
  end: string;
  /** "2026/27" or "Q3 2026/27 (Oct to Dec 2026)" */
  label: string;
}

/** The earliest year offered; years before it are refused as nonsense. */
export const FIRST_REPORT_YEAR = 2015;

export const QUARTERS: readonly Quarter[] = [1, 2, 3, 4];
export const QUARTER_MONTHS: Record<Quarter, string> = { 1: 'Apr to Jun', 2: 'Jul to Sep', 3: 'Oct to Dec', 4: 'Jan to Mar' };

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The financial year holding a date: 2027-03-31 → 2026, 2027-04-01 → 2027. */
export function financialYearOf(date: string): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month >= 4 ? year : year - 1;
}

/** 2026 → "2026/27" */
export function financialYearLabel(year: number): string {
  return `${year}/${pad((year + 1) % 100)}`;
}

/** The quarter (1 to 4) of the financial year holding a date. */
export function quarterOf(date: string): Quarter {
  const month = Number(date.slice(5, 7));
  return (Math.floor(((month + 8) % 12) / 3) + 1) as Quarter;
}

export function reportPeriod(year: number, quarter: Quarter | null = null): ReportPeriod {
  const yearLabel = financialYearLabel(year);
  if (quarter === null) return { year, quarter, start: `${year}-04-01`, end: `${year + 1}-03-31`, label: yearLabel };
  const firstMonth = 4 + (quarter - 1) * 3; // 4, 7, 10, 13
  const calendarYear = firstMonth > 12 ? year + 1 : year;
  const month = ((firstMonth - 1) % 12) + 1;
  const endMonth = month + 2;
  return {
    year, quarter,
    start: `${calendarYear}-${pad(month)}-01`,
    end: `${calendarYear}-${pad(endMonth)}-${pad(lastDay(calendarYear, endMonth))}`,
    label: `Q${quarter} ${yearLabel} (${QUARTER_MONTHS[quarter]} ${calendarYear})`,
  };
}

/** Years offered in the chooser: the first report year to the current financial year, newest first. */
export function yearOptions(today: string, from = FIRST_REPORT_YEAR): number[] {
  const years: number[] = [];
  for (let y = financialYearOf(today); y >= from; y -= 1) years.push(y);
  return years;
}

/** A whole financial year from a route parameter such as "2026" or "2026-27"; null if it is not one. */
export function parseYear(value: string | null | undefined, today: string): number | null {
  const match = /^(\d{4})(?:[-/](\d{2}))?$/.exec((value ?? '').trim());
  if (!match) return null;
  const year = Number(match[1]);
  if (match[2] !== undefined && Number(match[2]) !== (year + 1) % 100) return null;
  if (year < FIRST_REPORT_YEAR || year > financialYearOf(today)) return null;
  return year;
}

export interface PeriodChoice {
  period: ReportPeriod;
  /** True when the query asked for something that is not a period we offer (and got the current year instead). */
  corrected: boolean;
}

/**
 * The period from a GET form's `year` and `quarter`: the current financial year
 * when none is chosen. A year outside the offered range, or a quarter that is
 * not 1 to 4, falls back to the current year (or the whole chosen year) and is
 * flagged, never an error page: the chooser is a filter.
 */
export function choosePeriod(params: URLSearchParams, today: string): PeriodChoice {
  const current = financialYearOf(today);
  const yearText = params.get('year');
  const quarterText = params.get('quarter');
  let corrected = false;
  let year = current;
  if (yearText) {
    const parsed = parseYear(yearText, today);
    if (parsed === null) corrected = true;
    else year = parsed;
  }
  let quarter: Quarter | null = null;
  if (quarterText) {
    const q = Number(quarterText);
    if (/^[1-4]$/.test(quarterText.trim())) quarter = q as Quarter;
    else corrected = true;
  }
  return { period: reportPeriod(year, quarter), corrected };
}

/** The query string that chooses a period (for links and CSV exports). */
export function periodQuery(period: Pick<ReportPeriod, 'year' | 'quarter'>): string {
  return period.quarter === null ? `year=${period.year}` : `year=${period.year}&quarter=${period.quarter}`;
}
