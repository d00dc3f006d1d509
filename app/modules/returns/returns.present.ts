import { formatDate } from '~/utils/time';
import { periodContaining, REPORTING_PERIODS } from './periods';

// Pure helpers the return pages and emails share (no server imports).

/** "Apr to Jun 2026" for a period that matches a reporting period of any length; otherwise both dates. */
export function periodLabel(start: string, end: string): string {
  for (const kind of REPORTING_PERIODS) {
    const period = periodContaining(kind, start);
    if (period.start === start && period.end === end) return period.label;
  }
  return `${formatDate(start)} to ${formatDate(end)}`;
}
